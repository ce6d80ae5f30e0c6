import CRMCore
import CRMStore
import CRMText
import Foundation

/// An e-mail template filled for a client (and an offer): the subject, the
/// text, and the HTML alternative. A body in the offer templates' light
/// formatting becomes HTML paragraphs with bold and italic; a body written in
/// HTML is sent as it is, its text alternative being its words without tags.
public enum EmailComposer {
    public static func compose(_ template: EmailTemplateRecord, client: AccountRecord?, contact: String?, user: UserRecord?,
                               company: CompanyProfile, offer: OfferDetails?, day: String,
                               language: Language) -> (subject: String, text: String, html: String) {
        let filled = fill(template, client: client, contact: contact, user: user, company: company, offer: offer, day: day, language: language)
        let (text, html) = render(filled.body)
        return (filled.subject, text, html)
    }

    /// The template's subject and body with the placeholders filled, the body
    /// still in its light formatting (or HTML): what a person edits before sending.
    public static func fill(_ template: EmailTemplateRecord, client: AccountRecord?, contact: String?, user: UserRecord?,
                            company: CompanyProfile, offer: OfferDetails?, day: String, language: Language) -> (subject: String, body: String) {
        var values = TemplateBlocks.values(client: client, contact: contact, user: user, company: company, day: day, language: language)
        if let offer { values.merge(TemplateBlocks.offerValues(offer)) { $1 } }
        // Into an HTML body the values go escaped: a client named «A & <B>» stays text.
        let isHTML = template.body.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<")
        return (TemplateText.fill(template.subject, values).replacingOccurrences(of: "\n", with: " "),
                TemplateText.fill(template.body, isHTML ? values.mapValues(escape) : values))
    }

    /// A body as it is sent: the text and the HTML alternative.
    public static func render(_ body: String) -> (text: String, html: String) {
        if body.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<") {
            return (text(ofHTML: body), body)
        }
        let paragraphs = TemplateText.paragraphs(body)
        let text = paragraphs.map { $0.runs.map(\.text).joined() }.joined(separator: "\n\n")
        let html = "<html><body>\n" + paragraphs.map { p -> String in
            let align = p.alignment == .centre ? " style=\"text-align:center\"" : p.alignment == .right ? " style=\"text-align:right\"" : ""
            let runs = p.runs.map { run -> String in
                var piece = escape(run.text).replacingOccurrences(of: "\n", with: "<br>")
                if run.italic { piece = "<i>" + piece + "</i>" }
                if run.bold { piece = "<b>" + piece + "</b>" }
                return piece
            }.joined()
            return "<p\(align)>" + runs + "</p>"
        }.joined(separator: "\n") + "\n</body></html>\n"
        return (text, html)
    }

    /// An offer's PDF as a file to send (Oferta-OF-0042.pdf).
    public static func offerPDF(_ offer: OfferDetails, crm: CRM, actor: Actor, day: String, language: Language) throws -> NoteAttachment {
        let document = try TemplateBlocks.offer(offer, crm: crm, actor: actor, day: day, language: language)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crm-offer-\(getpid())-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try PDFWriter().write(document, to: path)
        let name = (language == .ro ? "Oferta-" : "Offer-") + offer.record.label + ".pdf"
        return NoteAttachment(name: name, data: [UInt8](FileManager.default.contents(atPath: path) ?? Data()))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// An HTML body's words: tags out, paragraphs and line breaks as new lines, the common entities back.
    static func text(ofHTML html: String) -> String {
        var out = "", inTag = false, tag = ""
        for character in html {
            if character == "<" { inTag = true; tag = ""; continue }
            if inTag {
                if character == ">" {
                    inTag = false
                    let name = tag.lowercased().split(whereSeparator: { $0 == " " || $0 == "/" }).first.map(String.init) ?? ""
                    if ["p", "br", "div", "li", "tr", "h1", "h2", "h3"].contains(name) && !out.hasSuffix("\n") { out += "\n" }
                } else {
                    tag.append(character)
                }
                continue
            }
            out.append(character)
        }
        return out.replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
