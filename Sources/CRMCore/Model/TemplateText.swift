import CRMText
import Foundation

/// The light formatting of a template's sections, written in the terminal or
/// in $EDITOR: **bold**, *italic*, a line starting with "- " is a list item,
/// "1. " a numbered one, a paragraph starting with [centrat] (or [centre]) is
/// centred, with [dreapta] (or [right]) aligned right; an empty line separates
/// paragraphs. Placeholders {{client.name}}, {{offer.number}}, {{date}}… are
/// replaced by their values when a document is made.
public enum TemplateText {
    public enum Alignment: Sendable, Equatable { case left, centre, right }

    public struct Run: Sendable, Equatable {
        public var text: String
        public var bold: Bool
        public var italic: Bool
    }

    public struct Paragraph: Sendable, Equatable {
        public var alignment: Alignment
        public var runs: [Run]
    }

    /// Every placeholder a template may use, with what it stands for.
    public static let placeholders: [(name: String, meaning: Localized)] = [
        ("client.name", .init(ro: "denumirea clientului", en: "the client's name")),
        ("client.cui", .init(ro: "CUI-ul clientului", en: "the client's tax ID")),
        ("client.address", .init(ro: "adresa clientului", en: "the client's address")),
        ("client.contact", .init(ro: "persoana de contact principală", en: "the primary contact")),
        ("offer.number", .init(ro: "numărul ofertei", en: "the offer's number")),
        ("offer.date", .init(ro: "data ofertei", en: "the offer's date")),
        ("offer.valid", .init(ro: "valabilă până la", en: "valid until")),
        ("offer.total", .init(ro: "totalul ofertei", en: "the offer's total")),
        ("offer.currency", .init(ro: "moneda ofertei", en: "the offer's currency")),
        ("user.name", .init(ro: "numele celui care face oferta", en: "the name of the one making the offer")),
        ("user.email", .init(ro: "e-mailul lui", en: "their e-mail")),
        ("user.phone", .init(ro: "telefonul lui", en: "their phone")),
        ("company.name", .init(ro: "denumirea firmei", en: "the company's name")),
        ("date", .init(ro: "data de azi", en: "today's date")),
    ]

    /// The placeholders a text uses that are not known, in order.
    public static func unknownPlaceholders(in text: String) -> [String] {
        let known = Set(placeholders.map(\.name))
        return usedPlaceholders(in: text).filter { !known.contains($0) }
    }

    static func usedPlaceholders(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !out.contains(name) { out.append(name) }
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// The text with its placeholders replaced (an unknown or empty one by nothing).
    public static func fill(_ text: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out += rest[..<open.lowerBound]
            out += values[rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)] ?? ""
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The paragraphs of a formatted text (placeholders already filled).
    public static func paragraphs(_ text: String) -> [Paragraph] {
        var out: [Paragraph] = []
        var current: [String] = []
        func flush() {
            guard !current.isEmpty else { return }
            var lines = current
            current = []
            var alignment = Alignment.left
            let first = lines[0].trimmingCharacters(in: .whitespaces)
            for (tags, value) in [(["[centrat]", "[centre]", "[center]"], Alignment.centre), (["[dreapta]", "[right]"], .right)] {
                if let tag = tags.first(where: { first.lowercased().hasPrefix($0) }) {
                    alignment = value
                    lines[0] = String(first.dropFirst(tag.count)).trimmingCharacters(in: .whitespaces)
                }
            }
            let body = lines.map { line -> String in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") { return "• " + trimmed.dropFirst(2) }
                return line
            }.joined(separator: "\n")
            out.append(Paragraph(alignment: alignment, runs: runs(body)))
        }
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { flush() } else { current.append(line) }
        }
        flush()
        return out
    }

    /// Bold (**…**) and italic (*…*) runs; a marker without its pair is text.
    static func runs(_ text: String) -> [Run] {
        var out: [Run] = []
        var bold = false, italic = false
        var buffer = ""
        let chars = Array(text)
        func emit() {
            if !buffer.isEmpty { out.append(Run(text: buffer, bold: bold, italic: italic)) }
            buffer = ""
        }
        func closes(_ marker: String, from index: Int) -> Bool {
            String(chars[index...]).contains(marker)
        }
        var i = 0
        while i < chars.count {
            if chars[i] == "*", i + 1 < chars.count, chars[i + 1] == "*", bold || closes("**", from: i + 2) {
                emit()
                bold.toggle()
                i += 2
                continue
            }
            if chars[i] == "*", italic || (i + 1 < chars.count && chars[i + 1] != " " && closes("*", from: i + 1)) {
                emit()
                italic.toggle()
                i += 1
                continue
            }
            buffer.append(chars[i])
            i += 1
        }
        emit()
        return out
    }
}
