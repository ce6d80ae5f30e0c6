import Foundation

/// Keys bound to named actions. Key maps are data (`keymaps/*.keys`), so that the
/// dispatcher, the footer, the help screen, the command palette and a user's own
/// bindings all read the same table.
///
/// Format: one `key = action` a line; `#` starts a comment; a later line for the
/// same key wins (a user's file is read after the default one).
public struct Keymap: Sendable, Equatable {
    public private(set) var bindings: [Key: String] = [:]

    public init() {}

    public init(parsing text: String, source: String = "keymap") throws {
        try merge(parsing: text, source: source)
    }

    public mutating func merge(parsing text: String, source: String) throws {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if line.isEmpty { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty, !parts[1].contains(" ") else {
                throw KeymapError(source: source, line: number + 1, text: line, reason: "write KEY = action.name")
            }
            guard let key = Key(name: parts[0]) else {
                throw KeymapError(source: source, line: number + 1, text: line, reason: "unknown key «\(parts[0])»")
            }
            bindings[key] = parts[1]
        }
    }

    public func action(for key: Key) -> String? { bindings[key] }

    /// The keys bound to an action, for the footer and the help screen.
    public func keys(for action: String) -> [Key] {
        bindings.filter { $0.value == action }.map(\.key).sorted { $0.description < $1.description }
    }
}

public struct KeymapError: Error, Equatable, CustomStringConvertible {
    public let source: String
    public let line: Int
    public let text: String
    public let reason: String
    public var description: String { "\(source):\(line): \(reason): \(text)" }
}
