import CRMCore
import CRMStore
import CRMText
import Foundation

/// RO e-Factura: a fiscal invoice as UBL 2.1 Invoice XML with the CIUS-RO
/// customization (EN 16931 and ANAF's national rules), a storno as a UBL
/// CreditNote pointing to the invoice it cancels. What ANAF needs and the
/// invoice lacks (an address's street, a county, a Bucharest sector) is refused
/// before any file is written, naming the party and the field.
public enum EFactura {
    public static let customization = "urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1"

    /// The XML of a fiscal invoice or a storno.
    public static func xml(_ invoice: InvoiceDetails) throws -> Data {
        guard invoice.kind == .fiscal else {
            throw CoreError.refused(Localized(ro: "e-Factura se face doar pentru facturi fiscale, nu pentru proforme",
                                              en: "e-Factura is made for invoices only, not for proformas"))
        }
        let r = invoice.record
        let credit = r.stornoOf != nil
        // A credit note states the storno's amounts as positive numbers.
        let sign: Int64 = credit ? -1 : 1
        let root = XMLTree(credit ? "CreditNote" : "Invoice")
        root.attribute("xmlns", credit ? "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" : "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2")
        root.attribute("xmlns:cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2")
        root.attribute("xmlns:cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2")
        let currency = r.currency
        root.add("cbc:CustomizationID", customization)
        root.add("cbc:ID", r.label)
        root.add("cbc:IssueDate", r.day)
        if !credit { root.add("cbc:DueDate", r.dueDay) }
        root.add(credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", credit ? "381" : "380")
        for note in notes(invoice) { root.add("cbc:Note", String(note.prefix(300))) }
        root.add("cbc:DocumentCurrencyCode", currency)
        if currency != "RON" { root.add("cbc:TaxCurrencyCode", "RON") }
        if credit, let original = invoice.related {
            let reference = root.child("cac:BillingReference").child("cac:InvoiceDocumentReference")
            reference.add("cbc:ID", original.label)
            reference.add("cbc:IssueDate", original.day)
        }
        let categories = Set(invoice.lines.map { VATCategory($0) })
        let outsideVAT = categories == [.notSubject]
        root.child("cac:AccountingSupplierParty").adopt(try party(invoice.supplier, role: Localized(ro: "furnizorul (Setări firmă)", en: "the supplier (company settings)"),
                                                                     outsideVAT: outsideVAT, seller: true))
        root.child("cac:AccountingCustomerParty").adopt(try party(invoice.client, role: Localized(ro: "clientul", en: "the client"),
                                                                     outsideVAT: outsideVAT, seller: false))
        if let day = r.deliveryDay { root.child("cac:Delivery").add("cbc:ActualDeliveryDate", day) }
        if let iban = invoice.supplier.iban, !credit {
            let means = root.child("cac:PaymentMeans")
            means.add("cbc:PaymentMeansCode", "42")
            means.add("cbc:PaymentID", r.label)
            means.child("cac:PayeeFinancialAccount").add("cbc:ID", iban.filter { !$0.isWhitespace }.uppercased())
        }
        // The VAT breakdown: one subtotal per category and rate.
        let totals = invoice.rateTotals
        let taxTotal = root.child("cac:TaxTotal")
        taxTotal.amount("cbc:TaxAmount", sign * r.vat, currency)
        for total in totals {
            let category = VATCategory(total)
            let sub = taxTotal.child("cac:TaxSubtotal")
            sub.amount("cbc:TaxableAmount", sign * total.net, currency)
            sub.amount("cbc:TaxAmount", sign * total.vat, currency)
            let tax = sub.child("cac:TaxCategory")
            tax.add("cbc:ID", category.rawValue)
            if category != .notSubject { tax.add("cbc:Percent", Money.text(total.percent)) }
            if let mention = category.mention {
                tax.add("cbc:TaxExemptionReasonCode", category == .exempt ? "VATEX-EU-132" : "VATEX-EU-O")
                tax.add("cbc:TaxExemptionReason", String(mention.ro.prefix(100)))
            }
            tax.child("cac:TaxScheme").add("cbc:ID", "VAT")
        }
        if currency != "RON" { root.child("cac:TaxTotal").amount("cbc:TaxAmount", sign * r.vatRON, "RON") }
        let sums = root.child("cac:LegalMonetaryTotal")
        let lineSum = invoice.lines.reduce(0) { $0 + $1.net }
        sums.amount("cbc:LineExtensionAmount", sign * lineSum, currency)
        sums.amount("cbc:TaxExclusiveAmount", sign * r.net, currency)
        sums.amount("cbc:TaxInclusiveAmount", sign * r.total, currency)
        sums.amount("cbc:PayableAmount", sign * r.total, currency)
        for line in invoice.lines {
            let element = root.child(credit ? "cac:CreditNoteLine" : "cac:InvoiceLine")
            element.add("cbc:ID", String(line.position))
            let unit = unitCode(line.unit)
            let quantity = element.add(credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", Quantity.text(sign * line.quantity))
            quantity.attribute("unitCode", unit)
            element.amount("cbc:LineExtensionAmount", sign * line.net, currency)
            let gross = sign * line.quantity * line.unitPrice
            let grossRounded = Money.divided(gross, by: 1000)
            if line.discount > 0 {
                let allowance = element.child("cac:AllowanceCharge")
                allowance.add("cbc:ChargeIndicator", "false")
                allowance.add("cbc:AllowanceChargeReasonCode", "95")
                allowance.add("cbc:AllowanceChargeReason", "Discount \(Money.text(line.discount).replacingOccurrences(of: ".00", with: ""))%")
                allowance.amount("cbc:Amount", grossRounded - sign * line.net, currency)
            }
            let item = element.child("cac:Item")
            item.add("cbc:Name", String(line.name.prefix(100)))
            if let code = line.code { item.child("cac:SellersItemIdentification").add("cbc:ID", code) }
            let category = VATCategory(line)
            let tax = item.child("cac:ClassifiedTaxCategory")
            tax.add("cbc:ID", category.rawValue)
            if category != .notSubject { tax.add("cbc:Percent", Money.text(line.vatPercent)) }
            tax.child("cac:TaxScheme").add("cbc:ID", "VAT")
            let price = element.child("cac:Price")
            price.amount("cbc:PriceAmount", line.unitPrice, currency)
        }
        return Data(root.document().utf8)
    }

    /// Writes the XML beside its target, then renames it into place.
    public static func write(_ invoice: InvoiceDetails, to path: String) throws {
        let data = try xml(invoice)
        let url = URL(fileURLWithPath: path)
        let partial = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".partial").path
        do { try data.write(to: URL(fileURLWithPath: partial)) } catch { throw TableExport.cannotWrite(path, error.localizedDescription) }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: partial)
            throw TableExport.cannotWrite(path, reason)
        }
    }

    /// The document's notes: delivery details, the original of a storno, the legal mentions, the invoice's own.
    static func notes(_ invoice: InvoiceDetails) -> [String] {
        let r = invoice.record
        var out: [String] = []
        let delivery = [r.delegate.map { "Delegat: \($0)" }, r.delegateID.map { "act identitate \($0)" }, r.vehicle.map { "mijloc de transport \($0)" }]
            .compactMap { $0 }
        if !delivery.isEmpty { out.append(delivery.joined(separator: ", ")) }
        for category in Set(invoice.lines.map { VATCategory($0) }).sorted(by: { $0.rawValue < $1.rawValue }) {
            if let mention = category.mention { out.append(mention.ro) }
        }
        if let notes = r.notes { out.append(Sanitize.line(notes)) }
        return Array(out.prefix(20))
    }

    /// A party: name, address (street, city — a Bucharest sector —, ISO county, country), tax ids, legal entity, contact.
    static func party(_ p: Party, role: Localized, outsideVAT: Bool, seller: Bool) throws -> XMLTree {
        func missing(_ ro: String, _ en: String) -> CoreError {
            CoreError.refused(Localized(ro: "e-Factura: pentru \(role.ro) «\(p.name)» lipsește \(ro)",
                                        en: "e-Factura: \(role.en) «\(p.name)» lacks \(en)"))
        }
        let element = XMLTree("cac:Party")
        element.child("cac:PartyName").add("cbc:Name", String(p.name.prefix(200)))
        guard let street = p.address?.trimmed().nilIfBlank else { throw missing("adresa (strada)", "its address (street)") }
        guard var city = p.city?.trimmed().nilIfBlank else { throw missing("orașul", "its city") }
        let address = element.child("cac:PostalAddress")
        var county: String?
        if p.country == "RO" {
            guard let code = p.county.flatMap(County.code) ?? County.code(city) else {
                throw missing("județul (ex. Cluj, Ilfov, București)", "its county (e.g. Cluj, Ilfov, București)")
            }
            county = code
            if code == "RO-B" {
                guard let sector = County.sector(in: street + " " + city) else {
                    throw missing("sectorul în adresă (ex. «…, Sector 3»)", "the sector in its address (e.g. «…, Sector 3»)")
                }
                city = sector
            }
        }
        address.add("cbc:StreetName", String(street.prefix(150)))
        address.add("cbc:CityName", String(city.prefix(50)))
        if let county { address.add("cbc:CountrySubentity", county) }
        address.child("cac:Country").add("cbc:IdentificationCode", p.country)
        let cui = p.cui.map { $0.uppercased().hasPrefix("RO") ? String($0.dropFirst(2)) : $0 }?.trimmed().nilIfBlank
        if let cui, p.vatPayer, !outsideVAT {
            let scheme = element.child("cac:PartyTaxScheme")
            scheme.add("cbc:CompanyID", (p.country == "RO" ? "RO" : "") + cui)
            scheme.child("cac:TaxScheme").add("cbc:ID", "VAT")
        } else if seller, let cui, !outsideVAT {
            // A seller's tax registration id (BT-32), not a VAT id.
            let scheme = element.child("cac:PartyTaxScheme")
            scheme.add("cbc:CompanyID", cui)
            scheme.child("cac:TaxScheme").add("cbc:ID", "TAX")
        }
        let legal = element.child("cac:PartyLegalEntity")
        legal.add("cbc:RegistrationName", String(p.name.prefix(200)))
        if seller {
            if outsideVAT, let cui { legal.add("cbc:CompanyID", cui) }
            if let register = p.tradeRegister?.trimmed().nilIfBlank { legal.add("cbc:CompanyLegalForm", String(register.prefix(1000))) }
        } else if !(p.vatPayer && !outsideVAT) {
            // A client without a VAT id: its CUI — or, for a person, thirteen zeros as ANAF accepts.
            legal.add("cbc:CompanyID", cui ?? "0000000000000")
        }
        if p.phone != nil || p.email != nil {
            let contact = element.child("cac:Contact")
            if let phone = p.phone?.trimmed().nilIfBlank { contact.add("cbc:Telephone", String(phone.prefix(100))) }
            if let email = p.email?.trimmed().nilIfBlank { contact.add("cbc:ElectronicMail", String(email.prefix(100))) }
        }
        return element
    }

    /// UN/ECE Recommendation 20 codes for the units invoices use.
    static func unitCode(_ unit: String) -> String {
        switch Fold.key(unit).trimmingCharacters(in: CharacterSet(charactersIn: ". ")) {
        case "buc", "bucata", "bucati", "pcs", "piece": return "H87"
        case "ora", "ore", "h": return "HUR"
        case "zi", "zile": return "DAY"
        case "luna", "luni": return "MON"
        case "an", "ani": return "ANN"
        case "km": return "KMT"
        case "kg": return "KGM"
        case "l", "litru", "litri": return "LTR"
        case "m", "ml", "metru": return "MTR"
        case "mp", "m2": return "MTK"
        case "set", "seturi": return "SET"
        default: return "C62"
        }
    }

}

private extension String {
    var nilIfBlank: String? { isEmpty ? nil : self }
}

private extension XMLTree {
    @discardableResult
    func add(_ name: String, _ value: String) -> XMLTree { child(name, value) }

    func amount(_ name: String, _ bani: Int64, _ currency: String) {
        add(name, Money.text(bani)).attribute("currencyID", currency)
    }
}
