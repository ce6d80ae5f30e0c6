/// A small XML element tree written out as text: what e-Factura needs (names
/// with prefixes, namespace declarations as attributes, text, attributes, in
/// the order they are added). Written by hand: FoundationXML's XMLElement over
/// libxml2 crashed on this platform when documents were built and released
/// one after another.
final class XMLTree {
    let name: String
    private(set) var attributes: [(String, String)] = []
    private(set) var text: String?
    private(set) var children: [XMLTree] = []

    init(_ name: String, text: String? = nil) {
        self.name = name
        self.text = text
    }

    func attribute(_ name: String, _ value: String) { attributes.append((name, value)) }

    /// A new child element (appended in order: UBL's element order is the order of these calls).
    @discardableResult
    func child(_ name: String, _ text: String? = nil) -> XMLTree {
        let element = XMLTree(name, text: text)
        children.append(element)
        return element
    }

    /// Takes an element built apart as the last child.
    func adopt(_ element: XMLTree) { children.append(element) }

    /// The document: the XML declaration, then the tree indented by two spaces.
    func document() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        write(into: &out, depth: 0)
        return out
    }

    private func write(into out: inout String, depth: Int) {
        let indent = String(repeating: "  ", count: depth)
        out += indent + "<" + name
        for (key, value) in attributes { out += " \(key)=\"\(Self.escape(value, quotes: true))\"" }
        if children.isEmpty {
            if let text { out += ">" + Self.escape(text, quotes: false) + "</" + name + ">\n" } else { out += "/>\n" }
            return
        }
        out += ">\n"
        for child in children { child.write(into: &out, depth: depth + 1) }
        out += indent + "</" + name + ">\n"
    }

    /// Text as XML allows it: the five special characters escaped, the
    /// control characters XML 1.0 forbids left out.
    static func escape(_ text: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
