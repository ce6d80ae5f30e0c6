import CRMCore
import CRMStore
import Foundation

/// A proforma or fiscal invoice (or a storno) printed: the supplier and the
/// client side by side, the invoice's series, number, days, currency and rate,
/// the lines with their VAT, the totals per rate, the RON equivalent of a
/// foreign-currency invoice, the legal mentions of exempt lines, delivery
/// details and signatures.
public enum InvoiceDocument {
    public static func document(_ invoice: InvoiceDetails, logo: [UInt8]?, language: Language) -> PrintDocument {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let r = invoice.record
        let money = { (bani: Int64) in Money.text(bani) + " " + r.currency }
        let title: String
        switch (invoice.kind, r.stornoOf != nil) {
        case (.proforma, _): title = t("FACTURĂ PROFORMĂ", "PROFORMA INVOICE")
        case (_, true): title = t("FACTURĂ STORNO", "CREDIT NOTE (STORNO)")
        default: title = t("FACTURĂ", "INVOICE")
        }
        var blocks: [PrintBlock] = []
        if let logo { blocks.append(.image(png: logo, width: 110)) }
        blocks.append(.columns([party(t("Furnizor", "Supplier"), invoice.supplier, language: language),
                                party(t("Client", "Client"), invoice.client, language: language)], size: 8.5))
        blocks.append(.space(10))
        blocks.append(.paragraph(RichText(title + " " + t("nr. ", "no. ") + r.label, bold: true), size: 15, alignment: .centre))
        var facts = [t("Data emiterii: ", "Issued: ") + r.day, t("Scadența: ", "Due: ") + r.dueDay, t("Moneda: ", "Currency: ") + r.currency]
        if r.currency != "RON" { facts.append(t("Curs: 1 ", "Rate: 1 ") + r.currency + " = " + rate(r.rate) + " RON") }
        blocks.append(.paragraph(RichText(facts.joined(separator: " · ")), size: 9, alignment: .centre))
        if let original = invoice.related, r.stornoOf != nil {
            blocks.append(.paragraph(RichText(t("Stornează factura ", "Cancels the invoice ") + original.label + t(" din ", " of ") + original.day,
                                              italic: true), size: 9, alignment: .centre))
        } else if let storno = invoice.related {
            blocks.append(.paragraph(RichText(t("Stornată prin factura ", "Cancelled by the invoice ") + storno.label, italic: true),
                                     size: 9, alignment: .centre))
        }
        blocks.append(.space(8))
        let rows = invoice.lines.map { l -> [String] in
            ["\(l.position)", l.name + (l.code.map { " (\($0))" } ?? "") + (l.discount == 0 ? "" : t(" — discount ", " — discount ") + percent(l.discount)),
             l.unit, Quantity.text(l.quantity), Money.text(l.unitPrice), Money.text(l.net), l.vatName, Money.text(l.vat)]
        }
        blocks.append(.table(PrintTable(columns: [
            .init(t("Nr.", "No."), weight: 5, alignment: .right), .init(t("Denumire", "Name"), weight: 37), .init(t("U.M.", "Unit"), weight: 7),
            .init(t("Cant.", "Qty"), weight: 8, alignment: .right), .init(t("Preț unitar", "Unit price"), weight: 11, alignment: .right),
            .init(t("Valoare", "Value"), weight: 12, alignment: .right), .init(t("Cotă", "Rate"), weight: 8, alignment: .right),
            .init(t("TVA", "VAT"), weight: 12, alignment: .right),
        ], rows: rows)))
        var totals: [(label: String, value: String)] = [(t("Total fără TVA", "Total without VAT"), money(r.net))]
        for rate in invoice.rateTotals {
            totals.append((t("TVA ", "VAT ") + rate.name + t(" (baza ", " (on ") + Money.text(rate.net) + ")", money(rate.vat)))
        }
        totals.append((t("Total de plată", "Total to pay"), money(r.total)))
        if r.currency != "RON" {
            totals.append((t("Echivalent în lei (TVA ", "RON equivalent (VAT ") + Money.text(r.vatRON) + ")", Money.text(r.totalRON) + " RON"))
        }
        blocks.append(.totals(totals))
        var mentions: [String] = []
        for category in Set(invoice.lines.map { VATCategory($0) }).sorted(by: { $0.rawValue < $1.rawValue }) {
            if let mention = category.mention { mentions.append(mention.text(language)) }
        }
        if let notes = r.notes { mentions.append(notes) }
        if invoice.kind == .fiscal, r.stornoOf == nil, !invoice.payments.isEmpty {
            mentions.append(t("Încasat: ", "Paid: ") + money(invoice.paid) + " · " + t("rest de plată: ", "left to pay: ") + money(invoice.remaining))
        }
        for mention in mentions { blocks.append(.paragraph(RichText(mention, italic: true), size: 8.5)) }
        blocks.append(.space(10))
        let delivery = [r.delegate.map { t("Delegat: ", "Delegate: ") + $0 }, r.delegateID.map { t("act identitate ", "ID ") + $0 },
                        r.vehicle.map { t("mijloc de transport ", "vehicle ") + $0 }, r.deliveryDay.map { t("data livrării ", "delivered ") + $0 }]
            .compactMap { $0 }
        blocks.append(.columns([
            RichText([RichText.Run(t("Semnătura și ștampila furnizorului", "Supplier's signature and stamp") + "\n", bold: true),
                      RichText.Run(invoice.createdBy.map { t("Întocmit de ", "Issued by ") + $0 } ?? "")]),
            RichText([RichText.Run(t("Date privind expediția", "Delivery details") + "\n", bold: true), RichText.Run(delivery.joined(separator: "\n"))]),
            RichText([RichText.Run(t("Semnătura de primire", "Received by") + "\n", bold: true)]),
        ], size: 8.5))
        return PrintDocument(title: title + " " + r.label, blocks: blocks,
                             footer: [invoice.supplier.name, title.capitalized + " " + r.label].joined(separator: " · "), language: language)
    }

    /// A party's block: its role, name, tax ids, address, bank.
    static func party(_ role: String, _ p: Party, language: Language) -> RichText {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        var lines: [String] = []
        let codes = [p.fiscalCode.map { t("CUI ", "Tax ID ") + $0 }, p.tradeRegister.map { t("Reg. Com. ", "Reg. ") + $0 }].compactMap { $0 }
        if !codes.isEmpty { lines.append(codes.joined(separator: " · ")) }
        let place = [p.address, p.city, p.county.map { t("jud. ", "county ") + $0 }, p.country == "RO" ? nil : p.country].compactMap { $0 }
        if !place.isEmpty { lines.append(place.joined(separator: ", ")) }
        if let iban = p.iban { lines.append("IBAN " + IBAN.grouped(iban) + (p.bank.map { " · " + $0 } ?? "")) }
        let contact = [p.phone, p.email].compactMap { $0 }
        if !contact.isEmpty { lines.append(contact.joined(separator: " · ")) }
        return RichText([RichText.Run(role + "\n", italic: true), RichText.Run(p.name + "\n", bold: true), RichText.Run(lines.joined(separator: "\n"))])
    }

    /// An exchange rate in ten-thousandths as written: 49771 → "4.9771".
    public static func rate(_ value: Int64) -> String {
        let whole = value / 10_000, rest = value % 10_000
        return "\(whole)." + String(rest + 10_000).dropFirst()
    }

    /// Hundredths of a percent as printed: 500 → "5%", 1250 → "12.5%".
    static func percent(_ hundredths: Int64) -> String { TemplateBlocks.percent(hundredths) }
}
