import CRMStore
import CRMText
import Foundation

/// One block of a campaign template (CMP-3): a title, a text, an image, a
/// button or a divider, with its settings.
public struct MailBlock: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case title, text, image, button, divider }
    public enum Alignment: String, Codable, Sendable, CaseIterable { case left, center, right }

    public var kind: Kind
    /// The words (a title's, a text's, a button's label, an image's description).
    public var text: String
    /// Where a button or an image leads.
    public var link: String?
    /// An image's address.
    public var image: String?
    public var align: Alignment
    /// The text's colour (a button's background, a divider's line), #rrggbb.
    public var color: String
    /// The block's background, #rrggbb.
    public var background: String
    /// Space around the content, in pixels.
    public var padding: Int

    public init(_ kind: Kind, text: String = "", link: String? = nil, image: String? = nil, align: Alignment = .left,
                color: String? = nil, background: String = "#ffffff", padding: Int = 16) {
        self.kind = kind; self.text = text; self.link = link; self.image = image; self.align = align
        self.color = color ?? (kind == .button ? "#1a73e8" : kind == .divider ? "#dddddd" : "#222222")
        self.background = background; self.padding = padding
    }

    enum CodingKeys: String, CodingKey { case kind, text, link, image, align, color, background, padding }

    /// Read from JSON with every setting but the kind optional (the defaults of a new block).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode(Kind.self, forKey: .kind), text: try c.decodeIfPresent(String.self, forKey: .text) ?? "",
                  link: try c.decodeIfPresent(String.self, forKey: .link), image: try c.decodeIfPresent(String.self, forKey: .image),
                  align: try c.decodeIfPresent(Alignment.self, forKey: .align) ?? .left, color: try c.decodeIfPresent(String.self, forKey: .color),
                  background: try c.decodeIfPresent(String.self, forKey: .background) ?? "#ffffff",
                  padding: try c.decodeIfPresent(Int.self, forKey: .padding) ?? 16)
    }

    /// What is wrong with the block's settings, named by the block's place and field.
    func issues(at index: Int) -> [ValidationIssue] {
        problems().map { ValidationIssue(field: "block \(index + 1) \($0.field)", value: $0.value, reason: $0.reason) }
    }

    /// What is wrong with the block's settings, named by field (text, link,
    /// image, color, background, padding).
    public func problems() -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        let field = { (name: String) in name }
        for (name, value) in [("color", color), ("background", background)] where !Self.isColour(value) {
            out.append(.init(field: field(name), value: value, reason: .rule(Localized(ro: "o culoare #rrggbb", en: "a colour #rrggbb"))))
        }
        for (name, value) in [("link", link), ("image", image)] {
            if let value, !value.isEmpty, !TrackedHTML.isTrackable(value) {
                out.append(.init(field: field(name), value: value, reason: .rule(Localized(ro: "o adresă http(s)://", en: "an http(s):// address"))))
            }
        }
        if kind == .image && (image ?? "").isEmpty { out.append(.init(field: field("image"), value: "", reason: .required)) }
        if kind == .button && ((link ?? "").isEmpty || text.trimmed().isEmpty) {
            out.append(.init(field: field((link ?? "").isEmpty ? "link" : "text"), value: "", reason: .required))
        }
        if !(0...64).contains(padding) { out.append(.init(field: field("padding"), value: "\(padding)", reason: .invalidNumber)) }
        for unknown in TemplateText.unknownPlaceholders(in: text) {
            out.append(.init(field: field("text"), value: "{{\(unknown)}}", reason: .invalidChoice(allowed: TemplateText.placeholders.map { "{{\($0.name)}}" })))
        }
        return out
    }

    static func isColour(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy { $0.isHexDigit }
    }
}

/// Blocks to e-mail: HTML that mail clients show alike (a 600-pixel table,
/// inline styles, no stylesheet, no script) and its plain-text part; the
/// placeholders stay, to be filled per recipient.
public enum BlockRenderer {
    public static func html(_ blocks: [MailBlock]) -> String {
        var rows = ""
        for b in blocks {
            let cell = "align=\"\(b.align.rawValue)\" style=\"padding:\(b.padding)px;background:\(b.background);color:\(b.color);"
                + "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;text-align:\(b.align.rawValue)\""
            let content: String
            switch b.kind {
            case .title:
                content = "<h1 style=\"margin:0;font-size:26px;line-height:1.25;color:\(b.color);font-weight:bold\">\(escape(b.text))</h1>"
            case .text:
                content = b.text.components(separatedBy: "\n\n").map {
                    "<p style=\"margin:0 0 12px 0\">" + escape($0).replacingOccurrences(of: "\n", with: "<br>") + "</p>"
                }.joined()
            case .image:
                let img = "<img src=\"\(escape(b.image ?? ""))\" alt=\"\(escape(b.text))\" width=\"568\" "
                    + "style=\"display:block;width:100%;max-width:568px;height:auto;border:0\">"
                content = b.link.map { "<a href=\"\(escape($0))\">\(img)</a>" } ?? img
            case .button:
                content = "<a href=\"\(escape(b.link ?? ""))\" style=\"display:inline-block;padding:12px 28px;background:\(b.color);"
                    + "color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold\">\(escape(b.text))</a>"
            case .divider:
                content = "<hr style=\"border:0;border-top:1px solid \(b.color);margin:0\">"
            }
            rows += "<tr><td \(cell)>\(content)</td></tr>\n"
        }
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
            <body style="margin:0;padding:0;background:#f4f4f4">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f4f4"><tr><td align="center">
            <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:100%;background:#ffffff">
            \(rows)</table>
            </td></tr></table>
            </body></html>

            """
    }

    /// The plain-text part: titles in capitals, texts as they are, an image's
    /// description and link, a button's label with its address, a line for a divider.
    public static func text(_ blocks: [MailBlock]) -> String {
        blocks.map { b -> String in
            switch b.kind {
            case .title: return b.text.uppercased()
            case .text: return b.text
            case .image: return "[" + (b.text.isEmpty ? "imagine" : b.text) + "]" + (b.link.map { " " + $0 } ?? "")
            case .button: return b.text + ": " + (b.link ?? "")
            case .divider: return String(repeating: "─", count: 40)
            }
        }.joined(separator: "\n\n")
    }

    static func escape(_ text: String) -> String { TrackedHTML.escape(text) }
}

extension CRM {
    public func blockTemplates(for actor: Actor) throws -> [(name: String, blocks: [MailBlock])] {
        try policy.authorize(actor, .view, .accounts)
        return try read { r in try r.fetchAll(BlockTemplateRecord.self, orderBy: ["name"]).map { ($0.name, BlockTemplates.decode($0.blocks)) } }
    }

    public func blockTemplate(_ name: String, for actor: Actor) throws -> [MailBlock] {
        guard let found = try blockTemplates(for: actor).first(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) else {
            throw CoreError.notFound(what: Localized(ro: "șablonul de campanie", en: "campaign template"), ref: name)
        }
        return found.blocks
    }

    /// Saves a named template of blocks (a new one, or the one of that name), its settings checked.
    public func saveBlockTemplate(_ name: String, _ blocks: [MailBlock], by actor: Actor) throws {
        try policy.authorize(actor, .edit, .accounts)
        var issues = blocks.enumerated().flatMap { $0.element.issues(at: $0.offset) }
        if name.trimmed().isEmpty { issues.insert(.init(field: "name", value: name, reason: .required), at: 0) }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(blocks), as: UTF8.self)
        try write(actor, "block_template.save") { w in
            if let found = try w.fetchAll(BlockTemplateRecord.self).first(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) {
                try w.update(BlockTemplateRecord.self, id: found.meta!.id, set: ["blocks": .text(json)])
            } else {
                try w.insert(BlockTemplateRecord(name: name.trimmed(), blocks: json))
            }
        }
    }
}

enum BlockTemplates {
    static func decode(_ json: String) -> [MailBlock] {
        (try? JSONDecoder().decode([MailBlock].self, from: Data(json.utf8))) ?? []
    }
}
