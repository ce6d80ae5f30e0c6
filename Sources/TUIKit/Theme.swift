import CRMText
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
/// the theme decides how they look (`themes/*.toml`).
///
/// Format: a `[colors]` table of `role = "colour [bold] [underline] [reverse]"`.
/// Colours: default, black … white, brightblack … brightwhite, or 0–255.
public struct Theme: Sendable, Equatable {
    public struct Entry: Sendable, Hashable {
        public var color: TerminalColor
        /// The colour behind the text when the role is a cell's background
        /// ("white on blue"); nil: the role's colour.
        public var background: TerminalColor?
        public var bold = false
        public var underline = false
        public var reverse = false
    }

    public private(set) var entries: [ColorRole: Entry]

    /// Every role in the terminal's default colour: where a theme file starts.
    static let plain = Theme(entries: Dictionary(uniqueKeysWithValues: ColorRole.allCases.map { ($0, Entry(color: .default)) }))

    private init(entries: [ColorRole: Entry]) { self.entries = entries }

    public init(parsing text: String, source: String = "theme") throws {
        entries = Theme.plain.entries
        let document = try TOMLDocument(parsing: text, source: source)
        for entry in document.entries {
            guard entry.table == "colors" else {
                throw TOMLError(source: source, line: entry.line, reason: "write the roles under [colors]")
            }
            guard let role = ColorRole(rawValue: entry.key) else {
                throw TOMLError(source: source, line: entry.line,
                                reason: "unknown role «\(entry.key)»; roles: " + ColorRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let spec = entry.value.string else {
                throw TOMLError(source: source, line: entry.line, reason: "write \"colour [bold] [underline] [reverse]\" in quotes")
            }
            var words = spec.split(separator: " ").map(String.init)
            guard let first = words.first, let color = TerminalColor(name: first) else {
                throw TOMLError(source: source, line: entry.line, reason: "unknown colour «\(spec)»")
            }
            var parsed = Entry(color: color)
            words.removeFirst()
            if words.first == "on" {
                guard words.count > 1, let back = TerminalColor(name: words[1]) else {
                    throw TOMLError(source: source, line: entry.line, reason: "write \"colour on colour\": «\(spec)»")
                }
                parsed.background = back
                words.removeFirst(2)
            }
            for word in words {
                switch word.lowercased() {
                case "bold": parsed.bold = true
                case "underline": parsed.underline = true
                case "reverse": parsed.reverse = true
                default: throw TOMLError(source: source, line: entry.line, reason: "unknown attribute «\(word)»")
                }
            }
            entries[role] = parsed
        }
    }

    public subscript(role: ColorRole) -> Entry { entries[role] ?? Entry(color: .default) }

    /// How a style looks: the foreground role's colour, the background role's
    /// background, the attributes of both roles and of the style.
    public func resolve(_ style: Style) -> (foreground: TerminalColor, background: TerminalColor, bold: Bool,
                                            underline: Bool, reverse: Bool) {
        let fg = self[style.foreground], bg = self[style.background]
        return (fg.color, bg.background ?? bg.color, style.bold || fg.bold || bg.bold,
                style.underline || fg.underline || bg.underline, style.reverse != (fg.reverse || bg.reverse))
    }
}
