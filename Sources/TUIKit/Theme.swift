import Foundation

/// A terminal colour: the terminal's default, one of the 16 named colours, or
/// an index in the 256-colour palette.
public enum TerminalColor: Sendable, Hashable {
    case `default`
    case indexed(Int)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    init?(name: String) {
        let n = name.lowercased()
        if n == "default" { self = .default; return }
        if let i = Self.names.firstIndex(of: n) { self = .indexed(i); return }
        if n.hasPrefix("bright"), let i = Self.names.firstIndex(of: String(n.dropFirst(6))) { self = .indexed(i + 8); return }
        if let i = Int(n), (0...255).contains(i) { self = .indexed(i); return }
        return nil
    }
}

/// A semantic palette: each role is a colour plus attributes. Widgets use roles;
/// the theme decides how they look (`themes/*.theme`).
///
/// Format: one `role = colour [bold] [underline] [reverse]` a line, `#` comments.
/// Colours: default, black … white, brightblack … brightwhite, or 0–255.
public struct Theme: Sendable, Equatable {
    public struct Entry: Sendable, Hashable {
        public var color: TerminalColor
        public var bold = false
        public var underline = false
        public var reverse = false
    }

    public private(set) var entries: [ColorRole: Entry]

    public init(parsing text: String, source: String = "theme") throws {
        entries = Dictionary(uniqueKeysWithValues: ColorRole.allCases.map { ($0, Entry(color: .default)) })
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if line.isEmpty { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let role = ColorRole(rawValue: parts[0]) else {
                throw KeymapError(source: source, line: number + 1, text: line,
                                  reason: "write ROLE = colour [bold] [underline] [reverse]; roles: "
                                      + ColorRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let words = parts[1].split(separator: " ").map(String.init)
            guard let first = words.first, let color = TerminalColor(name: first) else {
                throw KeymapError(source: source, line: number + 1, text: line, reason: "unknown colour")
            }
            var entry = Entry(color: color)
            for word in words.dropFirst() {
                switch word.lowercased() {
                case "bold": entry.bold = true
                case "underline": entry.underline = true
                case "reverse": entry.reverse = true
                default:
                    throw KeymapError(source: source, line: number + 1, text: line, reason: "unknown attribute «\(word)»")
                }
            }
            entries[role] = entry
        }
    }

    public subscript(role: ColorRole) -> Entry { entries[role] ?? Entry(color: .default) }
}
