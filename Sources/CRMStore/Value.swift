import CRMText
import Foundation

/// A stored value, as SQLite types it. The store's API speaks this type so that
/// no caller needs to import the SQLite library.
public enum Value: Sendable, Hashable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var text: String? {
        switch self {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .real(let d): return String(d)
        default: return nil
        }
    }

    public var int: Int64? {
        switch self {
        case .int(let i): return i
        case .text(let s): return Int64(s)
        default: return nil
        }
    }

    public var bool: Bool { int.map { $0 != 0 } ?? false }

    public static func optional(_ s: String?) -> Value { s.map(Value.text) ?? .null }
    public static func optional(_ i: Int64?) -> Value { i.map(Value.int) ?? .null }
    public static func bool(_ b: Bool) -> Value { .int(b ? 1 : 0) }

    /// The JSON text of this value (used in change-log snapshots).
    var json: String {
        switch self {
        case .null: return "null"
        case .int(let i): return String(i)
        case .real(let d): return d.isFinite ? String(d) : "null"
        case .text(let s): return JSONString.quote(s)
        case .blob(let b): return JSONString.quote(b.map { String(format: "%02x", $0) }.joined())
        }
    }
}

/// Minimal JSON text writing for the change log: one object of scalar values.
enum JSONText {

    static func object(_ pairs: [(String, Value)]) -> String {
        var out = "{"
        var first = true
        for (k, v) in pairs where !v.isNull {
            if !first { out += "," }
            first = false
            out += JSONString.quote(k) + ":" + v.json
        }
        return out + "}"
    }
}
