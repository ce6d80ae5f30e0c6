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

    /// An offer's document: the logo, the header, Text 1, the lines, the
    /// totals, Text 2; the footer on every page.
    static func document(title: String, template: OfferTemplateRecord, logo: [UInt8]?, values: [String: String], rows: [[String]],
                         totals: [(label: String, value: String)], language: Language) -> PrintDocument {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        var blocks: [PrintBlock] = []
        if let logo { blocks.append(.image(png: logo, width: 110)) }
        blocks += Self.blocks(template.header, values: values, size: 9)
        blocks.append(.space(8))
        blocks += Self.blocks(template.text1, values: values)
        blocks.append(.table(PrintTable(columns: [
            .init(t("Nr.", "No."), weight: 5), .init(ProductField.name.label.text(language), weight: 37),
            .init(ProductField.unit.label.text(language), weight: 9), .init(t("Cant.", "Qty"), weight: 7, alignment: .right),
            .init(ProductField.price.label.text(language), weight: 12, alignment: .right), .init(t("Disc.", "Disc."), weight: 7, alignment: .right),
            .init(t("TVA", "VAT"), weight: 7, alignment: .right), .init(t("Valoare", "Value"), weight: 13, alignment: .right),
        ], rows: rows)))
        blocks.append(.totals(totals))
        blocks.append(.space(8))
        blocks += Self.blocks(template.text2, values: values)
        return PrintDocument(title: title, blocks: blocks, footer: footer(template.footer, values: values), language: language)
    }

    /// The values of the placeholders for a client, a user and the company.
    static func values(client: AccountRecord?, contact: String?, user: UserRecord?, company: CompanyProfile, day: String,
                       language: Language) -> [String: String] {
        [
            "client.name": client?.name ?? "", "client.cui": client?.cui.map { (client?.vatPayer ?? false ? "RO" : "") + $0 } ?? "",
            "client.address": client.map { [$0.address, $0.city, $0.county].compactMap { $0 }.joined(separator: ", ") } ?? "",
            "client.contact": contact ?? "",
            "user.name": user?.name ?? "", "user.email": user?.email ?? "", "user.phone": user?.mobile ?? "",
            "company.name": company[.name] ?? "", "date": day,
        ]
    }

    /// An offer's placeholders' values.
    static func offerValues(_ offer: OfferDetails) -> [String: String] {
        let r = offer.record
        return ["offer.number": r.label, "offer.date": r.day, "offer.valid": r.validUntil ?? "", "offer.currency": r.currency,
                "offer.total": Money.text(r.total) + " " + r.currency]
    }

    /// Hundredths of a percent as printed: 500 → "5%", 1250 → "12.5%".
    static func percent(_ hundredths: Int64) -> String {
        var text = Money.text(hundredths)
        while text.hasSuffix("0") && text.contains(".") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }

    /// An offer as `crm offer pdf` and Tipărire print it: its template (the
    /// first one if it has none), the primary contact, the opportunity's owner,
    /// the company's profile and the template's (or the company's) logo.
    public static func offer(_ offer: OfferDetails, crm: CRM, actor: Actor, day: String, language: Language) throws -> PrintDocument {
        let template = try offer.template ?? crm.offerTemplates(for: actor).first ?? OfferTemplateRecord(name: "—")
        let contact = try crm.contacts(ofAccount: offer.account.meta!.uuid.description, for: actor).first { $0.isPrimary }?.name
        let user = try crm.users().first { $0.meta?.id == offer.item.ownerID ?? actor.id }
        return Self.offer(offer, template: template, logo: try crm.logo(of: template) ?? crm.companyLogo(), company: try crm.companyProfile(),
                          contact: contact, user: user, day: day, language: language)
    }

    /// An offer printed with its template.
    public static func offer(_ offer: OfferDetails, template: OfferTemplateRecord, logo: [UInt8]?, company: CompanyProfile,
                             contact: String?, user: UserRecord?, day: String, language: Language) -> PrintDocument {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let r = offer.record
        let values = Self.values(client: offer.account, contact: contact, user: user, company: company, day: day, language: language)
            .merging(offerValues(offer)) { $1 }
        let rows = offer.lines.map { l in
            ["\(l.position)", l.name + (l.code.map { " (\($0))" } ?? ""), l.unit, Quantity.text(l.quantity), Money.text(l.unitPrice),
             l.discount == 0 ? "" : percent(l.discount), l.vatName, Money.text(l.net)]
        }
        var totals: [(label: String, value: String)] = [(t("Total fără TVA", "Total without VAT"), Money.text(r.net) + " " + r.currency)]
        for rate in offer.rateTotals {
            totals.append((t("TVA ", "VAT ") + rate.name + (offer.rateTotals.count > 1 ? t(" (baza ", " (on ") + Money.text(rate.net) + ")" : ""),
                           Money.text(rate.vat) + " " + r.currency))
        }
        totals.append((t("Total de plată", "Total"), Money.text(r.total) + " " + r.currency))
        return document(title: t("Ofertă ", "Offer ") + r.label, template: template, logo: logo, values: values, rows: rows, totals: totals,
                        language: language)
    }

    /// A template with example values, to see it before any offer uses it: the
    /// company's own details, the client given (or an example), a few lines of
    /// the catalogue and their totals.
    public static func preview(_ template: OfferTemplateRecord, logo: [UInt8]?, company: CompanyProfile, client: AccountDetails?,
                               user: UserRecord?, products: [ProductDetails], day: String, language: Language) -> PrintDocument {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        var net: Int64 = 0, vat: Int64 = 0
        let rows: [[String]] = products.prefix(5).enumerated().map { n, d in
            let quantity = Int64(n + 1)
            let value = d.record.price * quantity
            net += value
            vat += d.vat.vat(on: value)
            return ["\(n + 1)", d.record.name, d.record.unit, "\(quantity)", Money.text(d.record.price), "", d.vat.name, Money.text(value)]
        }
        var values = Self.values(client: client?.record, contact: client?.primaryContact?.name, user: user, company: company, day: day,
                                 language: language)
        if client == nil {
            values["client.name"] = t("Client exemplu SRL", "Example Client Ltd")
            values["client.cui"] = "RO18547290"
            values["client.address"] = t("Str. Exemplului nr. 1, Cluj-Napoca", "1 Example Street, Cluj-Napoca")
            values["client.contact"] = "Ion Popescu"
        }
        values["offer.number"] = "OF-0000"
        values["offer.date"] = day
        values["offer.valid"] = day
        values["offer.currency"] = "RON"
        values["offer.total"] = Money.text(net + vat) + " RON"
        return document(title: t("Ofertă (exemplu): ", "Offer (example): ") + template.name, template: template, logo: logo, values: values,
                        rows: rows, totals: [(t("Total fără TVA", "Total without VAT"), Money.text(net) + " RON"),
                                             (t("TVA", "VAT"), Money.text(vat) + " RON"),
                                             (t("Total de plată", "Total"), Money.text(net + vat) + " RON")],
                        language: language)
    }
}
