import CRMStore
import CRMText
import Foundation

public enum InvoiceKind: String, Sendable, CaseIterable {
    case proforma, fiscal

    public var label: Localized {
        switch self {
        case .proforma: return Localized(ro: "Factură proformă", en: "Proforma invoice")
        case .fiscal: return Localized(ro: "Factură fiscală", en: "Invoice")
        }
    }
}

/// Where an invoice stands: a proforma; a fiscal one unpaid, partly paid,
/// paid or overdue (past its due day, not paid in full); cancelled by a storno;
/// or itself a storno.
public enum InvoiceStatus: String, Sendable, CaseIterable {
    case proforma, unpaid, partial, paid, overdue, cancelled, storno

    public var label: Localized {
        switch self {
        case .proforma: return Localized(ro: "proformă", en: "proforma")
        case .unpaid: return Localized(ro: "neîncasată", en: "unpaid")
        case .partial: return Localized(ro: "încasată parțial", en: "partly paid")
        case .paid: return Localized(ro: "încasată", en: "paid")
        case .overdue: return Localized(ro: "scadență depășită", en: "overdue")
        case .cancelled: return Localized(ro: "stornată", en: "cancelled")
        case .storno: return Localized(ro: "storno", en: "storno")
        }
    }
}

/// A line's VAT category as EN 16931 names it: standard, zero rated, exempt,
/// or outside VAT (a supplier that is not a VAT payer).
public enum VATCategory: String, Sendable {
    case standard = "S", zero = "Z", exempt = "E", notSubject = "O"

    public init(_ line: some PricedLine) {
        if line.vatName == InvoiceRules.notSubject { self = .notSubject }
        else if line.vatExempt { self = .exempt }
        else if line.vatPercent == 0 { self = .zero }
        else { self = .standard }
    }

    public init(_ total: OfferDetails.RateTotal) {
        if total.name == InvoiceRules.notSubject { self = .notSubject }
        else if total.exempt { self = .exempt }
        else if total.percent == 0 { self = .zero }
        else { self = .standard }
    }

    /// The legal mention an invoice carries for lines of this category.
    public var mention: Localized? {
        switch self {
        case .exempt: return Localized(ro: "Scutit de TVA conform art. 292 din Codul fiscal", en: "VAT exempt under art. 292 of the Fiscal Code")
        case .notSubject: return Localized(ro: "Furnizorul nu este înregistrat în scopuri de TVA (art. 310 din Codul fiscal)",
                                           en: "The supplier is not registered for VAT (art. 310 of the Fiscal Code)")
        case .standard, .zero: return nil
        }
    }
}

/// A party of an invoice as it was on the invoice's day: the supplier (the
/// company's profile) or the client (its account).
public struct Party: Sendable, Equatable, Codable {
    public var name: String
    public var cui: String?
    public var vatPayer: Bool
    public var tradeRegister: String?
    public var address: String?
    public var city: String?
    public var county: String?
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var iban: String?
    public var bank: String?
    public var email: String?
    public var phone: String?

    public init(name: String, cui: String? = nil, vatPayer: Bool = false, tradeRegister: String? = nil, address: String? = nil,
                city: String? = nil, county: String? = nil, country: String = "RO", iban: String? = nil, bank: String? = nil,
                email: String? = nil, phone: String? = nil) {
        self.name = name; self.cui = cui; self.vatPayer = vatPayer; self.tradeRegister = tradeRegister; self.address = address
        self.city = city; self.county = county; self.country = country; self.iban = iban; self.bank = bank; self.email = email
        self.phone = phone
    }

    public init(_ a: AccountRecord) {
        self.init(name: a.name, cui: a.cui, vatPayer: a.vatPayer, tradeRegister: a.tradeRegister, address: a.address, city: a.city,
                  county: a.county, country: Party.countryCode(a.country), iban: a.iban, bank: a.bank, email: a.email, phone: a.phone ?? a.mobile)
    }

    public init(_ c: CompanyProfile) {
        self.init(name: c[.name] ?? "", cui: c[.cui], vatPayer: c.vatPayer, tradeRegister: c[.tradeRegister], address: c[.address],
                  city: c[.city], county: c[.county], country: "RO", iban: c[.iban], bank: c[.bank], email: c[.email], phone: c[.phone])
    }

    /// The CUI as documents print it: with RO for a VAT payer.
    public var fiscalCode: String? { cui.map { vatPayer && !$0.uppercased().hasPrefix("RO") ? "RO" + $0 : $0 } }

    /// A country as ISO alpha-2: "RO", "România", "Romania" → RO.
    static func countryCode(_ text: String) -> String {
        let t = text.trimmed()
        if t.count == 2 { return t.uppercased() }
        return ["romania": "RO", "moldova": "MD", "ungaria": "HU", "bulgaria": "BG", "germania": "DE", "austria": "AT", "italia": "IT",
                "franta": "FR", "spania": "ES", "polonia": "PL"][Fold.key(t)] ?? (t.isEmpty ? "RO" : String(t.prefix(2)).uppercased())
    }

    var json: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
    static func decode(_ text: String) -> Party { (try? JSONDecoder().decode(Party.self, from: Data(text.utf8))) ?? Party(name: "?") }
}

/// What an invoice is made of, as typed (CLI, dialog): the client (or the
/// opportunity, whose account it is), lines — or those of an offer or a
/// proforma —, the series, the days, the currency and its rate, delivery.
public struct InvoiceInput: Sendable, Equatable {
    public var kind: InvoiceKind
    public var client: String?
    public var opportunity: String?
    /// Încărcare produse din ofertă: the offer whose lines the invoice takes (and its opportunity).
    public var offer: String?
    /// A proforma whose lines (and client) the fiscal invoice takes.
    public var proforma: String?
    public var lines: [OfferLineInput]
    public var series: String?
    public var day: String?
    public var dueDay: String?
    /// Days from the invoice's day to its due day (when no due day is given; default 15).
    public var dueDays: Int?
    public var currency: String?
    /// RON for one unit of a foreign currency ("4,9750").
    public var rate: String?
    public var delegate: String?
    public var delegateID: String?
    public var vehicle: String?
    public var deliveryDay: String?
    public var notes: String?

    public init(kind: InvoiceKind = .fiscal, client: String? = nil, opportunity: String? = nil, offer: String? = nil, proforma: String? = nil,
                lines: [OfferLineInput] = [], series: String? = nil, day: String? = nil, dueDay: String? = nil, dueDays: Int? = nil,
                currency: String? = nil, rate: String? = nil, delegate: String? = nil, delegateID: String? = nil, vehicle: String? = nil,
                deliveryDay: String? = nil, notes: String? = nil) {
        self.kind = kind; self.client = client; self.opportunity = opportunity; self.offer = offer; self.proforma = proforma
        self.lines = lines; self.series = series; self.day = day; self.dueDay = dueDay; self.dueDays = dueDays; self.currency = currency
        self.rate = rate; self.delegate = delegate; self.delegateID = delegateID; self.vehicle = vehicle; self.deliveryDay = deliveryDay
        self.notes = notes
    }
}

/// An invoice with its lines, parties, payments and where it stands.
public struct InvoiceDetails: Sendable {
    public let record: InvoiceRecord
    public let lines: [InvoiceLineRecord]
    public let client: Party
    public let supplier: Party
    public let payments: [PaymentRecord]
    /// The storno that cancels it, or the invoice a storno cancels.
    public let related: InvoiceRecord?
    public let status: InvoiceStatus
    public let accountUUID: String
    public let createdBy: String?
    public var uuid: String { record.meta?.uuid.description ?? "" }
    public var kind: InvoiceKind { InvoiceKind(rawValue: record.kind) ?? .fiscal }
    /// Paid so far, in the invoice's currency.
    public var paid: Int64 { payments.reduce(0) { $0 + $1.amount } }
    public var remaining: Int64 { record.total - paid }
    public var rateTotals: [OfferDetails.RateTotal] { OfferRules.rateTotals(lines) }
    public var isPosted: Bool { record.postedEntryID != nil }
}

extension CRM {
    // MARK: - Series

    /// The series a new document of a kind is numbered in when none is named:
    /// the first in use (made on first use: PF for proformas, FCT for invoices).
    public func invoiceSeries(_ kind: InvoiceKind? = nil, includingRetired: Bool = false) throws -> [DocSeriesRecord] {
        let stored = try read { try $0.fetchAll(DocSeriesRecord.self, orderBy: ["kind", "id"]) }
        let all = stored.isEmpty ? try write(nil, "series.defaults") { try InvoiceRules.ensureSeries(in: $0) } : stored
        return all.filter { (kind == nil || $0.kind == kind!.rawValue) && (includingRetired || !$0.retired) }
    }

    /// Adds a numbering series (administrators): a prefix of letters (and digits), numbered on and on, or from 1 every year.
    @discardableResult
    public func addInvoiceSeries(_ kind: InvoiceKind, prefix: String, yearly: Bool = false, by actor: Actor) throws -> DocSeriesRecord {
        try policy.authorize(actor, .admin, .administration)
        let clean = prefix.trimmed().uppercased()
        guard (1...12).contains(clean.count), clean.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw CoreError.invalid([.init(field: "prefix", value: prefix, reason: .invalidChoice(allowed: ["FCT", "PF", "AB2026"]))])
        }
        return try write(actor, "series.add") { w in
            _ = try InvoiceRules.ensureSeries(in: w)
            if try w.fetchAll(DocSeriesRecord.self, matching: ["kind": .text(kind.rawValue), "prefix": .text(clean)]).first != nil {
                throw CoreError.invalid([.init(field: "prefix", value: clean, reason: .duplicate(of: clean))])
            }
            return try w.insert(DocSeriesRecord(kind: kind.rawValue, prefix: clean, yearly: yearly))
        }
    }

    /// Retires a series (or brings it back): no new numbers in it; its documents stay.
    public func retireInvoiceSeries(_ kind: InvoiceKind, prefix: String, retired: Bool = true, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, "series.retire") { w in
            let series = try InvoiceRules.series(kind, prefix, in: w, includingRetired: true)
            try w.update(DocSeriesRecord.self, id: series.meta!.id, set: ["retired": .bool(retired)])
        }
    }

    // MARK: - Invoices

    /// Adds a proforma or fiscal invoice: the client and lines from the input
    /// (or an offer's, or a proforma's), numbered next in its series (inside the
    /// write, so two users never get the same number), the parties copied as
    /// they are today, amounts exact to the ban and in RON at the rate given.
    @discardableResult
    public func addInvoice(_ input: InvoiceInput, by actor: Actor) throws -> InvoiceRecord {
        try policy.authorize(actor, .add, .invoicing)
        let company = try companyProfile()
        let rates = try vatRates(includingRetired: true)
        return try write(actor, "invoice.add") { w in
            let prepared = try InvoiceRules.prepare(input, existing: nil, company: company, rates: rates, in: w)
            let series = try InvoiceRules.series(input.kind, input.series, in: w)
            let year = series.yearly ? Int64(prepared.day.prefix(4)) ?? 0 : 0
            var invoice = prepared.record
            invoice.series = series.prefix
            invoice.year = year
            invoice.number = try w.lastInvoiceNumber(kind: input.kind.rawValue, series: series.prefix, year: year) + 1
            try InvoiceRules.checkOrder(invoice, in: w)
            let saved = try w.insert(invoice)
            try InvoiceRules.insertLines(prepared.lines, invoice: saved.meta!.id, in: w)
            return saved
        }
    }

    /// Changes an invoice not yet in the books (a proforma, or a fiscal invoice
    /// before Înregistrare venit): what the input gives; its number stays. A
    /// posted fiscal invoice is corrected by a storno and a new invoice instead.
    @discardableResult
    public func editInvoice(_ ref: String, _ input: InvoiceInput, expectedVersion: Int64? = nil, by actor: Actor) throws -> InvoiceRecord {
        try policy.authorize(actor, .edit, .invoicing)
        let company = try companyProfile()
        let rates = try vatRates(includingRetired: true)
        return try write(actor, "invoice.edit") { w in
            let invoice = try InvoiceRules.resolve(ref, in: w)
            try InvoiceRules.ensureChangeable(invoice, in: w)
            let prepared = try InvoiceRules.prepare(input, existing: invoice, company: company, rates: rates, in: w)
            try InvoiceRules.checkOrder(prepared.record, in: w)
            var set: [String: Value] = [:]
            let fresh = prepared.record
            for (column, value) in zip(InvoiceRecord.columns, fresh.values) where !["kind", "series", "year", "number"].contains(column) {
                set[column] = value
            }
            try w.update(InvoiceRecord.self, id: invoice.meta!.id, set: set, expectedVersion: expectedVersion)
            for old in try w.fetchAll(InvoiceLineRecord.self, matching: ["invoice_id": .int(invoice.meta!.id)]) {
                try w.delete(InvoiceLineRecord.self, id: old.meta!.id)
            }
            try InvoiceRules.insertLines(prepared.lines, invoice: invoice.meta!.id, in: w)
            return try w.fetch(InvoiceRecord.self, id: invoice.meta!.id)!
        }
    }

    /// Deletes a proforma. A fiscal invoice is never deleted: a storno cancels it.
    public func deleteInvoice(_ ref: String, by actor: Actor) throws {
        try policy.authorize(actor, .delete, .invoicing)
        try write(actor, "invoice.delete") { w in
            let invoice = try InvoiceRules.resolve(ref, in: w)
            guard invoice.kind == InvoiceKind.proforma.rawValue else {
                throw CoreError.refused(Localized(
                    ro: "factura fiscală \(invoice.label) nu se șterge: se anulează cu o factură storno (crm invoice cancel)",
                    en: "the invoice \(invoice.label) cannot be deleted: a storno invoice cancels it (crm invoice cancel)"))
            }
            for line in try w.fetchAll(InvoiceLineRecord.self, matching: ["invoice_id": .int(invoice.meta!.id)]) {
                try w.delete(InvoiceLineRecord.self, id: line.meta!.id)
            }
            try w.delete(InvoiceRecord.self, id: invoice.meta!.id)
        }
    }

    /// One invoice by its number ("FCT-0042", "FCT-2026-0042"), UUID or #id.
    public func invoice(_ ref: String, for actor: Actor) throws -> InvoiceDetails {
        try policy.authorize(actor, .view, .invoicing)
        return try read(for: actor) { r in try InvoiceRules.details([try InvoiceRules.resolve(ref, in: r)], today: today, in: r)[0] }
    }

    /// Invoices newest first: of an account, of an opportunity, of a kind, in a status (limit 0: all).
    public func invoices(account: String? = nil, opportunity: String? = nil, kind: InvoiceKind? = nil, status: InvoiceStatus? = nil,
                         limit: Int = 200, for actor: Actor) throws -> [InvoiceDetails] {
        try invoices(InvoiceView(kind: kind, status: status, account: account, opportunity: opportunity), limit: limit, for: actor)
    }

    /// Anulare: a storno invoice — the invoice's lines with their quantities
    /// negated, in the fiscal series, pointing to it — and, when the invoice is
    /// in the books, the reverse of its entry. An invoice is cancelled once; a
    /// storno is not cancelled; a paid invoice is not cancelled (its payments first).
    @discardableResult
    public func cancelInvoice(_ ref: String, day: String? = nil, series: String? = nil, by actor: Actor) throws -> InvoiceRecord {
        try policy.authorize(actor, .add, .invoicing)
        return try write(actor, "invoice.storno") { w in
            let original = try InvoiceRules.resolve(ref, in: w)
            guard original.kind == InvoiceKind.fiscal.rawValue, original.stornoOf == nil else {
                throw CoreError.refused(Localized(ro: "se stornează doar o factură fiscală (nu o proformă sau un storno)",
                                                  en: "only an invoice is cancelled (not a proforma or a storno)"))
            }
            if let storno = try w.fetchAll(InvoiceRecord.self, matching: ["storno_of": .int(original.meta!.id)]).first {
                throw CoreError.refused(Localized(ro: "factura \(original.label) este deja stornată prin \(storno.label)",
                                                  en: "the invoice \(original.label) is already cancelled by \(storno.label)"))
            }
            if try w.count(PaymentRecord.self, matching: ["invoice_id": .int(original.meta!.id)]) > 0 {
                throw CoreError.refused(Localized(ro: "factura \(original.label) are încasări; ștergeți-le înainte de storno",
                                                  en: "the invoice \(original.label) has payments; delete them before cancelling it"))
            }
            let when = try InvoiceRules.day(day, field: "day", default: self.today)
            let fiscal = try InvoiceRules.series(.fiscal, series ?? original.series, in: w)
            let year = fiscal.yearly ? Int64(when.prefix(4)) ?? 0 : 0
            var storno = original
            storno.meta = nil
            storno.series = fiscal.prefix
            storno.year = year
            storno.number = try w.lastInvoiceNumber(kind: InvoiceKind.fiscal.rawValue, series: fiscal.prefix, year: year) + 1
            storno.day = when
            guard when >= original.day else {
                throw CoreError.invalid([.init(field: "day", value: when, reason: .exceeds(Localized(
                    ro: "ziua facturii stornate (\(original.day))", en: "the cancelled invoice's day (\(original.day))")))])
            }
            try InvoiceRules.checkOrder(storno, in: w)
            storno.dueDay = when
            storno.stornoOf = original.meta!.id
            storno.postedEntryID = nil
            storno.notes = "Stornare factura \(original.label) din \(original.day)"
            for key in [\InvoiceRecord.net, \.vat, \.total, \.netRON, \.vatRON, \.totalRON] { storno[keyPath: key] = -original[keyPath: key] }
            var saved = try w.insert(storno)
            let lines = try w.fetchAll(InvoiceLineRecord.self, matching: ["invoice_id": .int(original.meta!.id)], orderBy: ["position"])
            try InvoiceRules.insertLines(lines.map { line in
                var negated = line
                negated.quantity = -line.quantity
                negated.net = -line.net
                negated.vat = -line.vat
                return negated
            }, invoice: saved.meta!.id, in: w)
            if original.postedEntryID != nil, let revenue = original.revenueAccountID {
                let entry = try Ledger.postInvoice(saved, revenueAccountID: revenue, in: w)
                try w.update(InvoiceRecord.self, id: saved.meta!.id, set: ["posted_entry_id": .int(entry), "revenue_account_id": .int(revenue)])
                saved = try w.fetch(InvoiceRecord.self, id: saved.meta!.id)!
            }
            return saved
        }
    }

    /// Înregistrare venit: a fiscal invoice into the books — the client debited
    /// with the total, the revenue account (the first unless named) credited
    /// with the net and VAT collected with the VAT, in RON.
    @discardableResult
    public func postInvoice(_ ref: String, revenueAccount: String? = nil, by actor: Actor) throws -> InvoiceRecord {
        try policy.authorize(actor, .edit, .invoicing)
        return try write(actor, "invoice.post") { w in
            let invoice = try InvoiceRules.resolve(ref, in: w)
            guard invoice.kind == InvoiceKind.fiscal.rawValue else {
                throw CoreError.refused(Localized(ro: "o proformă nu se înregistrează în contabilitate; emiteți factura fiscală din ea",
                                                  en: "a proforma is not posted; issue the invoice from it"))
            }
            guard invoice.postedEntryID == nil else {
                throw CoreError.refused(Localized(ro: "factura \(invoice.label) este deja înregistrată", en: "the invoice \(invoice.label) is already posted"))
            }
            let revenue = try Ledger.account(revenueAccount, kind: .revenue, in: w)
            let entry = try Ledger.postInvoice(invoice, revenueAccountID: revenue.meta!.id, in: w)
            try w.update(InvoiceRecord.self, id: invoice.meta!.id, set: ["posted_entry_id": .int(entry), "revenue_account_id": .int(revenue.meta!.id)])
            return try w.fetch(InvoiceRecord.self, id: invoice.meta!.id)!
        }
    }

    /// Înregistrare încasare: money in against a fiscal invoice in the books —
    /// part or all of what is left, by a document (chitanță, ordin de plată,
    /// card…), into a cash or bank account (the first unless named).
    @discardableResult
    public func addPayment(invoice ref: String, amount: String? = nil, docType: String = "ordin de plată", docNumber: String? = nil,
                           day: String? = nil, details: String? = nil, cashAccount: String? = nil, by actor: Actor) throws -> PaymentRecord {
        try policy.authorize(actor, .add, .invoicing)
        return try write(actor, "payment.add") { w in
            let invoice = try InvoiceRules.resolve(ref, in: w)
            guard invoice.kind == InvoiceKind.fiscal.rawValue, invoice.total > 0 else {
                throw CoreError.refused(Localized(ro: "se încasează doar o factură fiscală (nu o proformă sau un storno)",
                                                  en: "only an invoice is paid (not a proforma or a storno)"))
            }
            guard invoice.postedEntryID != nil else {
                throw CoreError.refused(Localized(ro: "factura \(invoice.label) nu este înregistrată: Înregistrare venit întâi (crm invoice post)",
                                                  en: "the invoice \(invoice.label) is not posted: post its revenue first (crm invoice post)"))
            }
            if try w.fetchAll(InvoiceRecord.self, matching: ["storno_of": .int(invoice.meta!.id)]).first != nil {
                throw CoreError.refused(Localized(ro: "factura \(invoice.label) este stornată", en: "the invoice \(invoice.label) is cancelled"))
            }
            let earlier = try w.fetchAll(PaymentRecord.self, matching: ["invoice_id": .int(invoice.meta!.id)])
            let paid = earlier.reduce(0) { $0 + $1.amount }
            let left = invoice.total - paid
            let value = try InvoiceRules.amount(amount, default: left, field: "amount")
            guard value <= left else {
                throw CoreError.invalid([.init(field: "amount", value: amount ?? "", reason: .exceeds(
                    Localized(ro: "rămas de încasat \(Money.text(left)) \(invoice.currency)", en: "left to pay \(Money.text(left)) \(invoice.currency)")))])
            }
            // The last payment takes exactly what is left in RON, so a paid invoice leaves no RON cent behind.
            let paidRON = earlier.reduce(0) { $0 + $1.amountRON }
            let ron = value == left ? invoice.totalRON - paidRON : InvoiceRules.ron(value, rate: invoice.rate)
            guard ron > 0 else { throw CoreError.invalid([.init(field: "amount", value: amount ?? "", reason: .invalidNumber)]) }
            let cash = try Ledger.account(cashAccount, kind: .cash, in: w)
            var payment = PaymentRecord(direction: "in", accountID: invoice.accountID, amount: value, amountRON: ron,
                                        docType: try InvoiceRules.docType(docType), day: try InvoiceRules.day(day, field: "day", default: self.today),
                                        cashAccountID: cash.meta!.id)
            payment.invoiceID = invoice.meta!.id
            payment.docNumber = docNumber?.trimmed().nilIfEmpty
            payment.details = details?.trimmed().nilIfEmpty
            let client = try Ledger.partyAccount(.client, accountID: invoice.accountID, in: w)
            payment.entryID = try Ledger.post(day: payment.day, kind: "payment",
                                              document: "\(payment.docType) \(payment.docNumber ?? "")".trimmed() + " · " + invoice.label,
                                              description: payment.details,
                                              [(cash.meta!.id, ron), (client.meta!.id, -ron)], in: w)
            return try w.insert(payment)
        }
    }

    /// Deletes a payment (in or out) and the reverse of its entry.
    public func deletePayment(_ ref: String, by actor: Actor) throws {
        try policy.authorize(actor, .delete, .invoicing)
        try write(actor, "payment.delete") { w in
            guard let payment = try w.fetch(PaymentRecord.self, ref: ref) else {
                throw CoreError.notFound(what: Localized(ro: "plata", en: "payment"), ref: ref)
            }
            if let entry = payment.entryID { try Ledger.unpost(entry, in: w) }
            try w.delete(PaymentRecord.self, id: payment.meta!.id)
        }
    }

    /// Today in the store's clock, YYYY-MM-DD (local time).
    var today: String { String(Timestamp.local(store.now).prefix(10)) }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

enum InvoiceRules {
    /// The default series, made on first use.
    static func ensureSeries(in w: Writer) throws -> [DocSeriesRecord] {
        let stored = try w.fetchAll(DocSeriesRecord.self, orderBy: ["kind", "id"])
        guard stored.isEmpty else { return stored }
        _ = try w.insert(DocSeriesRecord(kind: InvoiceKind.proforma.rawValue, prefix: "PF"))
        _ = try w.insert(DocSeriesRecord(kind: InvoiceKind.fiscal.rawValue, prefix: "FCT"))
        return try w.fetchAll(DocSeriesRecord.self, orderBy: ["kind", "id"])
    }

    /// A series of a kind by its prefix (the first in use when none is named).
    static func series(_ kind: InvoiceKind, _ prefix: String?, in w: Writer, includingRetired: Bool = false) throws -> DocSeriesRecord {
        let all = try ensureSeries(in: w).filter { $0.kind == kind.rawValue && (includingRetired || !$0.retired) }
        guard let prefix, !prefix.trimmed().isEmpty else {
            guard let first = all.first else {
                throw CoreError.refused(Localized(ro: "nicio serie de \(kind.label.ro.lowercased()) în uz (crm invoice series add)",
                                                  en: "no \(kind.label.en.lowercased()) series in use (crm invoice series add)"))
            }
            return first
        }
        guard let found = all.first(where: { $0.prefix == prefix.trimmed().uppercased() }) else {
            throw CoreError.invalid([.init(field: "series", value: prefix, reason: .invalidChoice(allowed: all.map(\.prefix)))])
        }
        return found
    }

    static func resolve(_ ref: String, in r: Reader) throws -> InvoiceRecord {
        let clean = ref.trimmed().uppercased()
        var found: InvoiceRecord?
        let parts = clean.split(separator: "-").map(String.init)
        if parts.count >= 2, let number = Int64(parts.last!) {
            let year = parts.count >= 3 ? Int64(parts[parts.count - 2]) ?? 0 : 0
            let series = parts.prefix(parts.count - (year > 0 ? 2 : 1)).joined(separator: "-")
            // A proforma and an invoice may share a label: the invoice is meant unless the proforma's series is named.
            found = try r.fetchAll(InvoiceRecord.self, matching: ["series": .text(series), "year": .int(year), "number": .int(number)])
                .sorted { a, _ in a.kind == InvoiceKind.fiscal.rawValue }.first
        }
        if found == nil { found = try r.fetch(InvoiceRecord.self, ref: ref.trimmed()) }
        // An invoice is seen by those who see its account.
        guard let found, (try? AccountRules.resolve("#\(found.accountID)", in: r)) != nil else {
            throw CoreError.notFound(what: Localized(ro: "factura", en: "invoice"), ref: ref)
        }
        return found
    }

    /// Fiscal invoices are numbered in the order of their days: a number's day
    /// is not before the previous number's, nor after the next one's.
    static func checkOrder(_ invoice: InvoiceRecord, in r: Reader) throws {
        guard invoice.kind == InvoiceKind.fiscal.rawValue else { return }
        let around = try r.neighbourDays(kind: invoice.kind, series: invoice.series, year: invoice.year, number: invoice.number)
        if let before = around.before, invoice.day < before {
            throw CoreError.invalid([.init(field: "day", value: invoice.day, reason: .rule(Localized(
                ro: "factura de dinainte din seria \(invoice.series) este din \(before); facturile se numerotează în ordinea zilelor",
                en: "the invoice before it in the series \(invoice.series) is of \(before); invoices are numbered in the order of their days")))])
        }
        if let after = around.after, invoice.day > after {
            throw CoreError.invalid([.init(field: "day", value: invoice.day, reason: .rule(Localized(
                ro: "factura următoare din seria \(invoice.series) este din \(after); facturile se numerotează în ordinea zilelor",
                en: "the next invoice in the series \(invoice.series) is of \(after); invoices are numbered in the order of their days")))])
        }
    }

    /// A fiscal invoice in the books, cancelled or paid is not changed.
    static func ensureChangeable(_ invoice: InvoiceRecord, in r: Reader) throws {
        if invoice.stornoOf != nil || invoice.postedEntryID != nil {
            throw CoreError.refused(Localized(
                ro: "factura \(invoice.label) este înregistrată în contabilitate: nu se mai modifică; se stornează și se emite alta",
                en: "the invoice \(invoice.label) is posted: it is not changed any more; cancel it with a storno and issue another"))
        }
    }

    /// A day typed as YYYY-MM-DD or DD.MM.YYYY (today when none).
    static func day(_ raw: String?, field: String, default today: String) throws -> String {
        guard let raw, !raw.trimmed().isEmpty else { return today }
        guard let day = FieldRules.date(raw.trimmed()) else { throw CoreError.invalid([.init(field: field, value: raw, reason: .invalidDate)]) }
        return day
    }

    /// An amount typed in the document's currency (the default when none).
    static func amount(_ raw: String?, default value: Int64, field: String) throws -> Int64 {
        guard let raw, !raw.trimmed().isEmpty else { return value }
        guard let d = FieldRules.decimal(raw.trimmed()), d > 0, d.rounded(2) == d, d < 1e13 else {
            throw CoreError.invalid([.init(field: field, value: raw, reason: .invalidNumber)])
        }
        return NSDecimalNumber(decimal: d * 100).int64Value
    }

    /// The kinds of payment documents (free text, the usual ones named).
    static let docTypes = ["chitanță", "ordin de plată", "card", "numerar", "bilet la ordin", "cec", "extras de cont"]

    static func docType(_ raw: String) throws -> String {
        let clean = raw.trimmed()
        guard !clean.isEmpty, clean.count <= 40 else {
            throw CoreError.invalid([.init(field: "doc_type", value: raw, reason: .invalidChoice(allowed: docTypes))])
        }
        return docTypes.first { Fold.key($0) == Fold.key(clean) } ?? clean
    }

    /// An amount of the currency in RON at a rate (ten-thousandths), to the ban, halves away from zero.
    static func ron(_ amount: Int64, rate: Int64) -> Int64 { Money.divided(amount * rate, by: 10_000) }

    /// The invoice record and lines an input describes, checked, every problem named.
    static func prepare(_ input: InvoiceInput, existing: InvoiceRecord?, company: CompanyProfile, rates: [VATRateRecord],
                        in w: Writer) throws -> (record: InvoiceRecord, lines: [InvoiceLineRecord], day: String) {
        var issues: [ValidationIssue] = []
        let today = String(Timestamp.local(w.now).prefix(10))
        guard let supplierName = company[.name], company[.cui] != nil, company[.address] != nil, company[.city] != nil else {
            throw CoreError.refused(Localized(
                ro: "datele firmei nu sunt complete (denumire, CUI, adresă, oraș): Setări firmă sau crm company set",
                en: "the company's details are incomplete (name, tax ID, address, city): Setări firmă or crm company set"))
        }
        _ = supplierName
        var lines = input.lines
        var itemID = existing?.itemID, offerID = existing?.offerID, accountID = existing?.accountID
        var currency = input.currency
        if let ref = input.offer {
            let offer = try OfferRules.resolve(ref, in: w)
            let item = try WorkItemRules.resolve("#\(offer.itemID)", in: w)
            offerID = offer.meta!.id
            itemID = item.meta!.id
            accountID = item.accountID
            currency = currency ?? offer.currency
            if lines.isEmpty {
                lines = try w.fetchAll(OfferLineRecord.self, matching: ["offer_id": .int(offer.meta!.id)], orderBy: ["position"]).map(OfferLineInput.init)
            }
        }
        if let ref = input.proforma {
            let proforma = try resolve(ref, in: w)
            guard proforma.kind == InvoiceKind.proforma.rawValue else {
                throw CoreError.invalid([.init(field: "proforma", value: ref, reason: .invalidChoice(allowed: ["PF-…"]))])
            }
            accountID = proforma.accountID
            itemID = itemID ?? proforma.itemID
            offerID = offerID ?? proforma.offerID
            currency = currency ?? proforma.currency
            if lines.isEmpty {
                lines = try w.fetchAll(InvoiceLineRecord.self, matching: ["invoice_id": .int(proforma.meta!.id)], orderBy: ["position"])
                    .map(OfferLineInput.init)
            }
        }
        if let ref = input.opportunity {
            let item = try WorkItemRules.resolve(ref, in: w)
            guard item.kind == WorkItemKind.opportunity.rawValue else {
                throw CoreError.invalid([.init(field: "opportunity", value: ref, reason: .invalidChoice(allowed: ["crm opportunity list"]))])
            }
            itemID = item.meta!.id
            accountID = item.accountID
        }
        if let ref = input.client { accountID = try AccountRules.resolve(ref, in: w).meta!.id }
        guard let accountID, let account = try w.fetch(AccountRecord.self, id: accountID) else {
            throw CoreError.invalid([.init(field: "client", value: "", reason: .required)])
        }
        if lines.isEmpty, let existing {
            lines = try w.fetchAll(InvoiceLineRecord.self, matching: ["invoice_id": .int(existing.meta!.id)], orderBy: ["position"])
                .map(OfferLineInput.init)
        }
        let prepared = try OfferRules.lines(lines, rates: rates, in: w)
        let money = try OfferRules.currency(currency ?? existing?.currency ?? prepared.currency ?? "RON")
        var rate: Int64 = 10_000
        if money != "RON" {
            if let raw = input.rate {
                if let d = FieldRules.decimal(raw.trimmed()), d > 0, d.rounded(4) == d, d < 100_000 {
                    rate = NSDecimalNumber(decimal: d * 10_000).int64Value
                } else {
                    issues.append(.init(field: "rate", value: raw, reason: .invalidNumber))
                }
            } else if let existing, existing.currency == money {
                rate = existing.rate
            } else {
                issues.append(.init(field: "rate", value: "", reason: .required))
            }
        }
        let day = (try? Self.day(input.day ?? existing?.day, field: "day", default: today)) ?? {
            issues.append(.init(field: "day", value: input.day ?? "", reason: .invalidDate)); return today
        }()
        var due = day
        if let raw = input.dueDay {
            if let d = FieldRules.date(raw.trimmed()) { due = d } else { issues.append(.init(field: "due", value: raw, reason: .invalidDate)) }
        } else if let days = input.dueDays {
            if (0...366).contains(days) { due = OfferRules.day(day, plus: days) } else {
                issues.append(.init(field: "due", value: "\(days)", reason: .invalidNumber))
            }
        } else {
            due = existing?.dueDay ?? OfferRules.day(day, plus: 15)
        }
        if due < day { issues.append(.init(field: "due", value: due, reason: .invalidDate)) }
        var deliveryDay = existing?.deliveryDay
        if let raw = input.deliveryDay {
            if raw.trimmed().isEmpty { deliveryDay = nil } else if let d = FieldRules.date(raw.trimmed()) { deliveryDay = d } else {
                issues.append(.init(field: "delivery_day", value: raw, reason: .invalidDate))
            }
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        var invoice = InvoiceRecord(kind: input.kind.rawValue, series: existing?.series ?? "", year: existing?.year ?? 0,
                                    number: existing?.number ?? 0, day: day, dueDay: due, accountID: accountID, currency: money, rate: rate,
                                    client: Party(account).json, supplier: Party(company).json)
        invoice.meta = existing?.meta
        invoice.itemID = itemID
        invoice.offerID = offerID
        invoice.delegate = input.delegate.map { $0.trimmed().nilIfEmpty } ?? existing?.delegate
        invoice.delegateID = input.delegateID.map { $0.trimmed().nilIfEmpty } ?? existing?.delegateID
        invoice.vehicle = input.vehicle.map { $0.trimmed().nilIfEmpty } ?? existing?.vehicle
        invoice.deliveryDay = deliveryDay
        invoice.notes = input.notes.map { $0.trimmed().nilIfEmpty } ?? existing?.notes
        // A supplier that is not a VAT payer charges none: every line at 0 %, outside VAT.
        var records = prepared.lines.map { line -> InvoiceLineRecord in
            var l = InvoiceLineRecord(invoiceID: 0, position: line.position, name: line.name, unit: line.unit, quantity: line.quantity,
                                      unitPrice: line.unitPrice, vatName: line.vatName, vatPercent: line.vatPercent, vatExempt: line.vatExempt)
            l.productID = line.productID
            l.code = line.code
            l.discount = line.discount
            l.net = line.net
            if !company.vatPayer { l.vatName = notSubject; l.vatPercent = 0; l.vatExempt = true }
            l.vat = VATRateRecord(name: l.vatName, percent: l.vatPercent, exempt: l.vatExempt, position: 0).vat(on: l.net)
            return l
        }
        records.sort { $0.position < $1.position }
        let totals = OfferRules.rateTotals(records)
        invoice.net = totals.reduce(0) { $0 + $1.net }
        invoice.vat = totals.reduce(0) { $0 + $1.vat }
        invoice.total = invoice.net + invoice.vat
        invoice.totalRON = ron(invoice.total, rate: rate)
        invoice.vatRON = ron(invoice.vat, rate: rate)
        invoice.netRON = invoice.totalRON - invoice.vatRON
        return (invoice, records, day)
    }

    /// The VAT "rate" of a supplier that is not a VAT payer.
    static let notSubject = "Neplătitor TVA"

    static func insertLines(_ lines: [InvoiceLineRecord], invoice: Int64, in w: Writer) throws {
        for var line in lines {
            line.meta = nil
            line.invoiceID = invoice
            _ = try w.insert(line)
        }
    }

    static func details(_ records: [InvoiceRecord], today: String, in r: Reader) throws -> [InvoiceDetails] {
        let users = Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) })
        return try records.map { invoice in
            let id = invoice.meta!.id
            let lines = try r.fetchAll(InvoiceLineRecord.self, matching: ["invoice_id": .int(id)], orderBy: ["position"])
            let payments = try r.fetchAll(PaymentRecord.self, matching: ["invoice_id": .int(id)], orderBy: ["day", "id"])
            let storno = try r.fetchAll(InvoiceRecord.self, matching: ["storno_of": .int(id)]).first
            let original = try invoice.stornoOf.flatMap { try r.fetch(InvoiceRecord.self, id: $0) }
            let paid = payments.reduce(0) { $0 + $1.amount }
            let status: InvoiceStatus
            if invoice.kind == InvoiceKind.proforma.rawValue { status = .proforma }
            else if invoice.stornoOf != nil { status = .storno }
            else if storno != nil { status = .cancelled }
            else if paid >= invoice.total { status = .paid }
            else if invoice.dueDay < today { status = .overdue }
            else { status = paid > 0 ? .partial : .unpaid }
            let account = try r.fetch(AccountRecord.self, id: invoice.accountID)
            return InvoiceDetails(record: invoice, lines: lines, client: Party.decode(invoice.client), supplier: Party.decode(invoice.supplier),
                                  payments: payments, related: storno ?? original, status: status,
                                  accountUUID: account?.meta?.uuid.description ?? "", createdBy: invoice.meta?.createdBy.flatMap { users[$0] })
        }
    }
}

extension OfferLineInput {
    /// An invoice's line as input again (a proforma's lines for the invoice, a line changed).
    public init(_ line: InvoiceLineRecord) {
        self.init(product: line.productID.map { "#\($0)" }, name: line.name, unit: line.unit, quantity: Quantity.text(abs(line.quantity)),
                  price: Money.text(line.unitPrice), discount: line.discount == 0 ? nil : Money.text(line.discount),
                  vat: line.vatName == InvoiceRules.notSubject ? nil : line.vatName)
    }
}
