import CRMText

/// A JSON value that keeps the order of object keys, written pretty-printed.
/// Field order follows the product's field order, which makes `--json` output
/// readable and stable.
public indirect enum JSONDocument: Sendable, Equatable {
    case object([(String, JSONDocument)])
    case array([JSONDocument])
    case string(String)
    case int(Int64)
    case number(String)  // an exact decimal, written as it is
    case bool(Bool)
    case null

    public static func == (a: JSONDocument, b: JSONDocument) -> Bool { a.render() == b.render() }

    public static func optional(_ s: String?) -> JSONDocument { s.map(JSONDocument.string) ?? .null }

    public func render(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            let body = pairs.map { "\(inner)\(JSONString.quote($0.0)): \($0.1.render(indent: indent + 1))" }
            return "{\n" + body.joined(separator: ",\n") + "\n\(pad)}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.render(indent: indent + 1) }.joined(separator: ",\n") + "\n\(pad)]"
        case .string(let s): return JSONString.quote(s)
        case .int(let i): return String(i)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

}
