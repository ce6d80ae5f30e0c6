import CRMText

/// Keys bound to named actions. Key maps are data (`keymaps/*.toml`), so that the
/// dispatcher, the footer, the help screen, the command palette and a user's own
/// bindings all read the same table.
///
/// A file has one table per context: `[global]` applies everywhere, `[browser]`
/// in the panes of a page and `[dialog]` inside dialogs; a context's own binding
/// wins over the global one. Each line is `"key" = "action.name"`.
public struct Keymap: Sendable, Equatable {
    public enum Context: String, Sendable, CaseIterable, Hashable {
        case global, browser, dialog
    }

    public private(set) var bindings: [Context: [Key: String]] = [:]

    public init() {}

    /// Reads a key map file. `actions` lists the action names that exist: any
    /// other name is an error naming its line.
    public init(parsing text: String, source: String, actions: Set<String>? = nil) throws {
        try merge(parsing: text, source: source, actions: actions)
    }

    /// Adds (or replaces) the bindings of a file; nothing changes if the file has a
    /// problem, so a bad user file leaves the defaults whole.
    public mutating func merge(parsing text: String, source: String, actions: Set<String>? = nil) throws {
        let document = try TOMLDocument(parsing: text, source: source)
        var added: [Context: [Key: String]] = [:]
        var firstLine: [Context: [Key: (Int, String)]] = [:]
        for entry in document.entries {
            guard let context = entry.table.isEmpty ? .global : Context(rawValue: entry.table) else {
                throw TOMLError(source: source, line: entry.line,
                                reason: "unknown section [\(entry.table)]; sections: "
                                    + Context.allCases.map { "[\($0.rawValue)]" }.joined(separator: ", "))
            }
            guard let key = Key(name: entry.key) else {
                throw TOMLError(source: source, line: entry.line,
                                reason: "«\(entry.key)» is not a key name (examples: \"f2\", \"ctrl+s\", \"shift+tab\", \"pgdn\")")
            }
            guard let action = entry.value.string, !action.isEmpty else {
                throw TOMLError(source: source, line: entry.line, reason: "write the action in double quotes: \"action.name\"")
            }
            if let actions, !actions.contains(action) {
                throw TOMLError(source: source, line: entry.line,
                                reason: "unknown action «\(action)» (crm keys --actions lists them)")
            }
            if let (line, spelled) = firstLine[context]?[key] {
                throw TOMLError(source: source, line: entry.line,
                                reason: "«\(entry.key)» is the same key as «\(spelled)» on line \(line): bind a key once")
            }
            firstLine[context, default: [:]][key] = (entry.line, entry.key)
            added[context, default: [:]][key] = action
        }
        for (context, keys) in added { bindings[context, default: [:]].merge(keys) { _, new in new } }
    }

    /// The action a key runs in a context (its own binding, else the global one).
    public func action(for key: Key, in context: Context = .global) -> String? {
        bindings[context]?[key] ?? bindings[.global]?[key]
    }

    /// The keys that run an action in a context, for the footer and the help screen.
    public func keys(for action: String, in context: Context = .global) -> [Key] {
        var keys = Set((bindings[context] ?? [:]).filter { $0.value == action }.map(\.key))
        if context != .global {
            for (key, bound) in bindings[.global] ?? [:] where bound == action && bindings[context]?[key] == nil {
                keys.insert(key)
            }
        }
        return keys.sorted { Self.order($0) < Self.order($1) }
    }

    /// Every action bound somewhere.
    public var boundActions: Set<String> { Set(bindings.values.flatMap(\.values)) }

    /// Function keys first, then named keys, then letters: the order people read hints in.
    private static func order(_ key: Key) -> (Int, String) {
        switch key {
        case .function(let n): return (0, String(format2(n)))
        case .char: return (3, key.description)
        case .ctrl, .alt: return (2, key.description)
        default: return (1, key.description)
        }
    }

    private static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
