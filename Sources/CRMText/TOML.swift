/// A value in a TOML file, as far as the program's data files need: strings,
/// integers, booleans and arrays of them.
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case array([TOMLValue])

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
}

/// One `key = value` line, with the table it belongs to and where it was written,
/// so that a problem found later (an unknown action, a bad colour) can still name
/// its line.
public struct TOMLEntry: Sendable, Equatable {
    public let table: String
    public let key: String
    public let value: TOMLValue
    public let line: Int
}

/// A problem in a data file: the file, the line and what is wrong.
public struct TOMLError: Error, Equatable, CustomStringConvertible {
    public let source: String
    public let line: Int
    public let reason: String

    public init(source: String, line: Int, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(source):\(line): \(reason)" }
}

/// The TOML subset the key maps, themes and settings are written in: comments,
/// `[table]` and `[table.sub]` headers, bare or quoted keys, basic and literal
/// strings, integers, booleans and one-line arrays. A key written twice in the
/// same table is an error, as in TOML.
public struct TOMLDocument: Sendable, Equatable {
    public private(set) var entries: [TOMLEntry] = []

    public init(parsing text: String, source: String) throws {
        var table = ""
        var seen: Set<String> = []
        var tables: Set<String> = [""]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var scanner = Scanner(Array(raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)), source: source, line: number)
            scanner.skipSpaces()
            if scanner.atEndOfLine { continue }
            if scanner.peek == "[" {
                scanner.advance()
                if scanner.peek == "[" { throw scanner.error("arrays of tables ([[…]]) are not used in this file") }
                let name = try scanner.dottedKey().joined(separator: ".")
                scanner.skipSpaces()
                guard scanner.peek == "]" else { throw scanner.error("a table header ends with ]") }
                scanner.advance()
                try scanner.expectEndOfLine()
                guard tables.insert(name).inserted else { throw scanner.error("the table [\(name)] is defined twice") }
                table = name
                continue
            }
            let key = try scanner.dottedKey().joined(separator: ".")
            scanner.skipSpaces()
            guard scanner.peek == "=" else { throw scanner.error("expected = after the key «\(key)»") }
            scanner.advance()
            scanner.skipSpaces()
            let value = try scanner.value()
            try scanner.expectEndOfLine()
            let full = table.isEmpty ? key : table + "." + key
            guard seen.insert(full).inserted else { throw scanner.error("the key «\(key)» is written twice") }
            entries.append(TOMLEntry(table: table, key: key, value: value, line: number))
        }
    }

    /// The entries of one table, in file order.
    public func entries(in table: String) -> [TOMLEntry] { entries.filter { $0.table == table } }

    /// The tables that hold at least one entry.
    public var tables: [String] {
        var out: [String] = []
        for e in entries where !out.contains(e.table) { out.append(e.table) }
        return out
    }
}

private struct Scanner {
    let chars: [Character]
    let source: String
    let line: Int
    var i = 0

    init(_ chars: [Character], source: String, line: Int) {
        self.chars = chars
        self.source = source
        self.line = line
    }

    var peek: Character? { i < chars.count ? chars[i] : nil }
    var atEndOfLine: Bool { peek == nil || peek == "#" }
    mutating func advance() { i += 1 }

    func error(_ reason: String) -> TOMLError { TOMLError(source: source, line: line, reason: reason) }

    mutating func skipSpaces() { while peek == " " || peek == "\t" { i += 1 } }

    mutating func expectEndOfLine() throws {
        skipSpaces()
        guard atEndOfLine else { throw error("unexpected text after the value: «\(String(chars[i...]))»") }
    }

    mutating func dottedKey() throws -> [String] {
        var parts = [try simpleKey()]
        skipSpaces()
        while peek == "." {
            advance()
            skipSpaces()
            parts.append(try simpleKey())
            skipSpaces()
        }
        return parts
    }

    mutating func simpleKey() throws -> String {
        skipSpaces()
        if peek == "\"" { return try basicString() }
        if peek == "'" { return try literalString() }
        var out = ""
        while let c = peek, c.isASCII, c.isLetter || c.isNumber || c == "_" || c == "-" { out.append(c); advance() }
        guard !out.isEmpty else {
            throw error(peek.map { "a key cannot start with «\($0)»; put it in quotes" } ?? "a key is missing")
        }
        return out
    }

    mutating func value() throws -> TOMLValue {
        switch peek {
        case "\"": return .string(try basicString())
        case "'": return .string(try literalString())
        case "[":
            advance()
            var items: [TOMLValue] = []
            while true {
                skipSpaces()
                if peek == "]" { advance(); return .array(items) }
                items.append(try value())
                skipSpaces()
                if peek == "," { advance(); continue }
                guard peek == "]" else { throw error("an array's items are separated by commas and end with ]") }
            }
        case nil: throw error("a value is missing after =")
        default:
            var word = ""
            while let c = peek, c != " ", c != "\t", c != ",", c != "]", c != "#" { word.append(c); advance() }
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            if let n = Int(word.filter { $0 != "_" }) { return .integer(n) }
            throw error("«\(word)» is not a value; write text in double quotes")
        }
    }

    mutating func literalString() throws -> String {
        advance()
        var out = ""
        while let c = peek, c != "'" { out.append(c); advance() }
        guard peek == "'" else { throw error("a text in single quotes is not closed") }
        advance()
        return out
    }

    mutating func basicString() throws -> String {
        advance()
        var out = ""
        while let c = peek, c != "\"" {
            advance()
            guard c == "\\" else { out.append(c); continue }
            guard let e = peek else { break }
            advance()
            switch e {
            case "\"": out.append("\"")
            case "\\": out.append("\\")
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "b": out.append("\u{8}")
            case "f": out.append("\u{C}")
            case "e": out.append("\u{1B}")
            case "u", "U":
                let count = e == "u" ? 4 : 8
                guard i + count <= chars.count, let v = UInt32(String(chars[i..<(i + count)]), radix: 16),
                      let scalar = Unicode.Scalar(v) else { throw error("a \\\(e) escape needs \(count) hex digits") }
                out.unicodeScalars.append(scalar)
                i += count
            default: throw error("unknown escape \\\(e) in a text")
            }
        }
        guard peek == "\"" else { throw error("a text in double quotes is not closed") }
        advance()
        return out
    }
}
