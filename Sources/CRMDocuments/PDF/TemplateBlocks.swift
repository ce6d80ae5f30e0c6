import CRMCore
import CRMStore
import Foundation

/// A template's sections as blocks of a document: placeholders filled, the
/// light formatting (bold, italic, lists, alignment) carried over.
public enum TemplateBlocks {
    public static func blocks(_ text: String, values: [String: String], size: Double = 9.5) -> [PrintBlock] {
        TemplateText.paragraphs(TemplateText.fill(text, values)).map { paragraph in
            let alignment: PrintAlignment = paragraph.alignment == .centre ? .centre : paragraph.alignment == .right ? .right : .left
            return .paragraph(RichText(paragraph.runs.map { RichText.Run($0.text, bold: $0.bold, italic: $0.italic) }), size: size,
                              alignment: alignment)
        }
    }

    /// The footer line of the pages: the section's text, without its formatting.
    public static func footer(_ text: String, values: [String: String]) -> String {
        TemplateText.paragraphs(TemplateText.fill(text, values)).map { $0.runs.map(\.text).joined() }.joined(separator: " · ")
    }

    /// A template with example values, to see it before any offer uses it: the
    /// company's own details, the client given (or an example), a few lines of
    /// the catalogue and their totals.
    public static func preview(_ template: OfferTemplateRecord, logo: [UInt8]?, company: CompanyProfile, client: AccountDetails?,
                               user: UserRecord?, products: [ProductDetails], day: String, language: Language) -> PrintDocument {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let address = client.map { [$0.record.address, $0.record.city, $0.record.county].compactMap { $0 }.joined(separator: ", ") }
        var net: Int64 = 0, vat: Int64 = 0
        let rows: [[String]] = products.prefix(5).enumerated().map { n, d in
            let quantity = Int64(n + 1)
            let value = d.record.price * quantity
            net += value
            vat += d.vat.vat(on: value)
            return ["\(n + 1)", d.record.name, d.record.unit, "\(quantity)", Money.text(d.record.price), d.vat.name, Money.text(value)]
        }
        let values: [String: String] = [
            "client.name": client?.record.name ?? t("Client exemplu SRL", "Example Client Ltd"),
            "client.cui": client?.record.cui.map { (client?.record.vatPayer ?? false ? "RO" : "") + $0 } ?? "RO18547290",
            "client.address": address ?? t("Str. Exemplului nr. 1, Cluj-Napoca", "1 Example Street, Cluj-Napoca"),
            "client.contact": client?.primaryContact?.name ?? t("Ion Popescu", "Ion Popescu"),
            "offer.number": "OF-0000", "offer.date": day, "offer.valid": day, "offer.currency": "RON",
            "offer.total": Money.text(net + vat) + " RON",
            "user.name": user?.name ?? "", "user.email": user?.email ?? "", "user.phone": user?.mobile ?? "",
            "company.name": company[.name] ?? "", "date": day,
        ]
        var blocks: [PrintBlock] = []
        if let logo { blocks.append(.image(png: logo, width: 110)) }
        blocks += Self.blocks(template.header, values: values, size: 9)
        blocks.append(.space(8))
        blocks += Self.blocks(template.text1, values: values)
        blocks.append(.table(PrintTable(columns: [
            .init(t("Nr.", "No."), weight: 5), .init(ProductField.name.label.text(language), weight: 42), .init(ProductField.unit.label.text(language), weight: 10),
            .init(t("Cant.", "Qty"), weight: 7, alignment: .right), .init(ProductField.price.label.text(language), weight: 13, alignment: .right),
            .init(t("TVA", "VAT"), weight: 7, alignment: .right), .init(t("Valoare", "Value"), weight: 13, alignment: .right),
        ], rows: rows)))
        blocks.append(.totals([(t("Total fără TVA", "Total without VAT"), Money.text(net) + " RON"), (t("TVA", "VAT"), Money.text(vat) + " RON"),
                               (t("Total de plată", "Total"), Money.text(net + vat) + " RON")]))
        blocks.append(.space(8))
        blocks += Self.blocks(template.text2, values: values)
        return PrintDocument(title: t("Ofertă (exemplu): ", "Offer (example): ") + template.name, blocks: blocks,
                             footer: footer(template.footer, values: values), language: language)
    }
}
