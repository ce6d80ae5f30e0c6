import CRMStore
import CRMText
import Foundation

/// A line of an offer as typed: a product of the catalogue (its name, unit,
/// price and VAT rate unless given), or a line written on the spot (a name and
/// a price at least); a quantity (three decimals), a discount in percent.
public struct OfferLineInput: Sendable, Equatable {
    public var product: String?
    public var name: String?
    public var unit: String?
    public var quantity: String
    public var price: String?
    public var discount: String?
    public var vat: String?

    public init(product: String? = nil, name: String? = nil, unit: String? = nil, quantity: String = "1", price: String? = nil,
                discount: String? = nil, vat: String? = nil) {
        self.product = product
        self.name = name
        self.unit = unit
        self.quantity = quantity
        self.price = price
        self.discount = discount
        self.vat = vat
    }
}

extension OfferLineInput {
    /// A saved line as input again (to change an offer): its own name, unit,
    /// price, discount and VAT rate, still linked to its product when there is one.
    public init(_ line: OfferLineRecord) {
        self.init(product: line.productID.map { "#\($0)" }, name: line.name, unit: line.unit, quantity: Quantity.text(line.quantity),
                  price: Money.text(line.unitPrice), discount: line.discount == 0 ? nil : Money.text(line.discount), vat: line.vatName)
    }
}

/// A priced line of an offer or an invoice: its net and its VAT rate.
public protocol PricedLine {
    var net: Int64 { get }
    var vatName: String { get }
    var vatPercent: Int64 { get }
    var vatExempt: Bool { get }
}

extension OfferLineRecord: PricedLine {}
extension InvoiceLineRecord: PricedLine {}

/// An offer with its lines, its opportunity and account, and its totals per VAT rate.
public struct OfferDetails: Sendable {
    public struct RateTotal: Sendable, Equatable {
        public let name: String
        public let percent: Int64
        public let exempt: Bool
        public let net: Int64
        public let vat: Int64
    }

    public let record: OfferRecord
    public let lines: [OfferLineRecord]
    public let item: WorkItemRecord
    public let account: AccountRecord
    public let template: OfferTemplateRecord?
    public let createdBy: String?
    public var uuid: String { record.meta?.uuid.description ?? "" }

    /// How many days from its date the offer is valid.
    public var validDays: Int { OfferRules.days(from: record.day, to: record.validUntil ?? record.day) }

    /// The net and the VAT of each rate, in the order the rates first appear.
    public var rateTotals: [RateTotal] { OfferRules.rateTotals(lines) }
}

extension CRM {
    /// The series new offers are numbered in.
    static let offerSeries = "OF"

    /// Adds an offer to an opportunity: its lines (at least one), a template
    /// (the first unless named), the date (today) and how many days it is
    /// valid (30), a currency (the lines' products', else RON); numbered next
    /// in the series. Totals: each rate's VAT on the sum of its lines, to the ban.
    @discardableResult
    public func addOffer(to itemRef: String, lines: [OfferLineInput], template: String? = nil, day: String? = nil, validDays: Int = 30,
                         currency: String? = nil, by actor: Actor) throws -> OfferRecord {
        try policy.authorize(actor, .add, .offers)
        let chosen = try template.map { try offerTemplate($0, for: actor) } ?? offerTemplates(for: actor).first
        if let chosen, chosen.retired, template != nil {
            throw CoreError.invalid([.init(field: "template", value: chosen.name,
                                           reason: .invalidChoice(allowed: try offerTemplates(for: actor).map(\.name)))])
        }
        let today = day ?? String(Timestamp.local(store.now).prefix(10))
        guard let date = FieldRules.date(today) else { throw CoreError.invalid([.init(field: "day", value: today, reason: .invalidDate)]) }
        guard (0...366).contains(validDays) else {
            throw CoreError.invalid([.init(field: "valid", value: "\(validDays)", reason: .invalidNumber)])
        }
        return try write(actor, "offer.add") { w in
            let item = try WorkItemRules.resolve(itemRef, in: w)
            guard item.kind == WorkItemKind.opportunity.rawValue else {
                throw CoreError.refused(Localized(ro: "o ofertă se face pe o oportunitate, nu pe o activitate",
                                                  en: "an offer is made on an opportunity, not an activity"))
            }
            let prepared = try OfferRules.lines(lines, rates: try ProductRules.ensureRates(in: w), in: w)
            let money = try OfferRules.currency(currency ?? prepared.currency ?? "RON")
            let number = try w.lastOfferNumber(series: Self.offerSeries) + 1
            var offer = OfferRecord(itemID: item.meta!.id, series: Self.offerSeries, number: number, day: date, currency: money)
            offer.templateID = chosen?.meta?.id
            offer.validUntil = OfferRules.day(date, plus: validDays)
            let totals = OfferRules.rateTotals(prepared.lines)
            offer.net = totals.reduce(0) { $0 + $1.net }
            offer.vat = totals.reduce(0) { $0 + $1.vat }
            offer.total = offer.net + offer.vat
            let saved = try w.insert(offer)
            for var line in prepared.lines {
                line.offerID = saved.meta!.id
                _ = try w.insert(line)
            }
            return saved
        }
    }

    /// Changes an offer: its lines (all of them, as they should be), its
    /// template, how many days from its date it is valid, its currency — what is
    /// not given stays. Its number and date stay; the totals are reckoned again.
    /// Refused when someone changed it since `expectedVersion`.
    @discardableResult
    public func editOffer(_ ref: String, lines: [OfferLineInput]? = nil, template: String? = nil, validDays: Int? = nil,
                          currency: String? = nil, expectedVersion: Int64? = nil, by actor: Actor) throws -> OfferRecord {
        try policy.authorize(actor, .edit, .offers)
        let chosen = try template.map { try offerTemplate($0, for: actor) }
        if let chosen, chosen.retired {
            throw CoreError.invalid([.init(field: "template", value: chosen.name,
                                           reason: .invalidChoice(allowed: try offerTemplates(for: actor).map(\.name)))])
        }
        if let validDays, !(0...366).contains(validDays) {
            throw CoreError.invalid([.init(field: "valid", value: "\(validDays)", reason: .invalidNumber)])
        }
        return try write(actor, "offer.edit") { w in
            let offer = try OfferRules.resolve(ref, in: w)
            var set: [String: Value] = [:]
            if let chosen { set["template_id"] = .int(chosen.meta!.id) }
            if let validDays { set["valid_until"] = .text(OfferRules.day(offer.day, plus: validDays)) }
            if let currency { set["currency"] = .text(try OfferRules.currency(currency)) }
            if let lines {
                // The rates in force, and a retired one a line already had.
                let prepared = try OfferRules.lines(lines, rates: try ProductRules.ensureRates(in: w), in: w)
                for old in try w.fetchAll(OfferLineRecord.self, matching: ["offer_id": .int(offer.meta!.id)]) {
                    try w.delete(OfferLineRecord.self, id: old.meta!.id)
                }
                for var line in prepared.lines {
                    line.offerID = offer.meta!.id
                    _ = try w.insert(line)
                }
                let totals = OfferRules.rateTotals(prepared.lines)
                let net = totals.reduce(0) { $0 + $1.net }, vat = totals.reduce(0) { $0 + $1.vat }
                set["net"] = .int(net)
                set["vat"] = .int(vat)
                set["total"] = .int(net + vat)
            }
            try w.update(OfferRecord.self, id: offer.meta!.id, set: set, expectedVersion: expectedVersion)
            return try w.fetch(OfferRecord.self, id: offer.meta!.id)!
        }
    }

    /// One offer by its label ("OF-0042"), UUID or #id.
    public func offer(_ ref: String, for actor: Actor) throws -> OfferDetails {
        try policy.authorize(actor, .view, .offers)
        return try read(for: actor) { r in try OfferRules.details([try OfferRules.resolve(ref, in: r)], in: r)[0] }
    }

    /// Offers newest first: of an opportunity, of an account (its opportunities'), or all the actor sees.
    public func offers(item: String? = nil, account: String? = nil, limit: Int = 200, for actor: Actor) throws -> [OfferDetails] {
        try policy.authorize(actor, .view, .offers)
        return try read(for: actor) { r in
            var conditions: [String] = []
            var args: [Value] = []
            if let item { conditions.append("o.item_id = ?"); args.append(.int(try WorkItemRules.resolve(item, in: r).meta!.id)) }
            if let account { conditions.append("w.account_id = ?"); args.append(.int(try AccountRules.resolve(account, in: r).meta!.id)) }
            let records = try r.offers(conditions: conditions, args, limit: limit)
            return try OfferRules.details(records, in: r)
        }
    }

    /// The lines as an offer would hold them, and their totals per VAT rate,
    /// without saving anything (the offer dialog's live totals); every bad line named.
    public func offerPreview(_ lines: [OfferLineInput], for actor: Actor) throws -> (lines: [OfferLineRecord], totals: [OfferDetails.RateTotal]) {
        try policy.authorize(actor, .view, .offers)
        let rates = try vatRates(includingRetired: true)
        return try read(for: actor) { r in
            let prepared = try OfferRules.lines(lines, rates: rates, in: r)
            return (prepared.lines, OfferRules.rateTotals(prepared.lines))
        }
    }

    public func deleteOffer(_ ref: String, by actor: Actor) throws {
        try policy.authorize(actor, .delete, .offers)
        try write(actor, "offer.delete") { w in try OfferRules.delete(try OfferRules.resolve(ref, in: w), in: w) }
    }
}

enum OfferRules {
    static func resolve(_ ref: String, in r: Reader) throws -> OfferRecord {
        let clean = ref.trimmingCharacters(in: .whitespaces).uppercased()
        var found: OfferRecord?
        if let dash = clean.lastIndex(of: "-"), let number = Int64(clean[clean.index(after: dash)...]) {
            found = try r.fetchAll(OfferRecord.self, matching: ["series": .text(String(clean[..<dash])), "number": .int(number)]).first
        }
        if found == nil { found = try r.fetch(OfferRecord.self, ref: ref.trimmingCharacters(in: .whitespaces)) }
        // An offer is seen by those who see its opportunity's account.
        guard let found, (try? WorkItemRules.resolve("#\(found.itemID)", in: r)) != nil else {
            throw CoreError.notFound(what: Localized(ro: "oferta", en: "offer"), ref: ref)
        }
        return found
    }

    static func delete(_ offer: OfferRecord, in w: Writer) throws {
        try EmailRules.detach(offer: offer.meta!.id, in: w)
        for line in try w.fetchAll(OfferLineRecord.self, matching: ["offer_id": .int(offer.meta!.id)]) {
            try w.delete(OfferLineRecord.self, id: line.meta!.id)
        }
        try w.delete(OfferRecord.self, id: offer.meta!.id)
    }

    /// An opportunity's offers go with it.
    static func deleteAll(ofItem itemID: Int64, in w: Writer) throws {
        for offer in try w.fetchAll(OfferRecord.self, matching: ["item_id": .int(itemID)]) { try delete(offer, in: w) }
    }

    static func currency(_ raw: String) throws -> String {
        let code = raw.trimmed().uppercased()
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw CoreError.invalid([.init(field: "currency", value: raw, reason: .invalidChoice(allowed: ["RON", "EUR", "USD", "…"]))])
        }
        return code
    }

    /// A day (YYYY-MM-DD) moved by some days; the text as it was when it is no day.
    static func day(_ iso: String, plus days: Int) -> String { Day(iso)?.adding(days: days).text ?? iso }

    /// The days from one YYYY-MM-DD to another.
    static func days(from: String, to: String) -> Int {
        guard let start = Day(from), let end = Day(to) else { return 0 }
        return end.daysSince1970 - start.daysSince1970
    }

    /// The lines as stored, every problem named with its line ("lines[2].quantity").
    static func lines(_ inputs: [OfferLineInput], rates: [VATRateRecord], in w: Reader) throws -> (lines: [OfferLineRecord], currency: String?) {
        guard !inputs.isEmpty else { throw CoreError.invalid([.init(field: "lines", value: "", reason: .required)]) }
        var out: [OfferLineRecord] = []
        var issues: [ValidationIssue] = []
        var currency: String?
        for (n, input) in inputs.enumerated() {
            let field = "lines[\(n + 1)]"
            var product: ProductDetails?
            if let ref = input.product {
                do { product = try ProductRules.details([try ProductRules.resolve(ref, in: w)], in: w)[0] } catch CoreError.notFound {
                    issues.append(.init(field: field + ".product", value: ref, reason: .invalidChoice(allowed: ["crm product list"])))
                    continue
                }
            }
            if let p = product, currency == nil { currency = p.record.currency }
            let name = (input.name ?? product?.record.name ?? "").trimmed()
            if name.isEmpty { issues.append(.init(field: field + ".name", value: "", reason: .required)) }
            let unit = (input.unit ?? product?.record.unit ?? "buc.").trimmed()
            guard let q = FieldRules.decimal(input.quantity), q > 0, q.rounded(3) == q, q < 1e9 else {
                issues.append(.init(field: field + ".quantity", value: input.quantity, reason: .invalidNumber)); continue
            }
            var price = product?.record.price
            if let raw = input.price {
                guard let d = FieldRules.decimal(raw), d >= 0, d.rounded(2) == d, d < 1e13 else {
                    issues.append(.init(field: field + ".price", value: raw, reason: .invalidNumber)); continue
                }
                price = NSDecimalNumber(decimal: d * 100).int64Value
            }
            guard let unitPrice = price else { issues.append(.init(field: field + ".price", value: "", reason: .required)); continue }
            var discount: Int64 = 0
            if let raw = input.discount, !raw.trimmed().isEmpty {
                guard let d = FieldRules.decimal(raw.replacingOccurrences(of: "%", with: "")), d >= 0, d <= 100, d.rounded(2) == d else {
                    issues.append(.init(field: field + ".discount", value: raw, reason: .invalidNumber)); continue
                }
                discount = NSDecimalNumber(decimal: d * 100).int64Value
            }
            let rate: VATRateRecord
            if let raw = input.vat {
                do { rate = try ProductRules.rate(raw, in: rates) } catch CoreError.invalid(let found) {
                    issues += found.map { ValidationIssue(field: field + ".vat", value: $0.value, reason: $0.reason) }
                    continue
                }
            } else {
                rate = product?.vat ?? rates.first { !$0.retired }!
            }
            var line = OfferLineRecord(offerID: 0, position: Int64(n + 1), name: name, unit: unit.isEmpty ? "buc." : unit,
                                       quantity: NSDecimalNumber(decimal: q * 1000).int64Value, unitPrice: unitPrice, vatName: rate.name,
                                       vatPercent: rate.percent, vatExempt: rate.exempt)
            line.productID = product?.record.meta?.id
            line.code = product?.record.code
            line.discount = discount
            line.net = net(quantity: line.quantity, unitPrice: unitPrice, discount: discount)
            out.append(line)
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return (out, currency)
    }

    /// A line's value: quantity × price, less the discount, each step to the ban (halves up).
    static func net(quantity: Int64, unitPrice: Int64, discount: Int64) -> Int64 {
        func rounded(_ value: Int64, _ divisor: Int64) -> Int64 {
            let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
            return q + (r * 2 >= divisor ? 1 : 0)
        }
        let gross = rounded(quantity * unitPrice, 1000)
        return gross - rounded(gross * discount, 10_000)
    }

    /// Each rate's net and VAT: the VAT on the sum of the rate's lines (a
    /// storno's negative sums mirror the positive ones exactly).
    static func rateTotals<Line: PricedLine>(_ lines: [Line]) -> [OfferDetails.RateTotal] {
        var order: [String] = []
        var sums: [String: (percent: Int64, exempt: Bool, net: Int64)] = [:]
        // One sum per rate (the same percent under two names is one rate, as e-Factura wants), named as first met.
        var names: [String: String] = [:]
        for line in lines {
            let key = "\(line.vatExempt ? "E" : "")\(line.vatPercent)"
            if sums[key] == nil { order.append(key); sums[key] = (line.vatPercent, line.vatExempt, 0); names[key] = line.vatName }
            sums[key]!.net += line.net
        }
        return order.map { key in
            let s = sums[key]!, name = names[key]!
            let rate = VATRateRecord(name: name, percent: s.percent, exempt: s.exempt, position: 0)
            let vat = s.net < 0 ? -rate.vat(on: -s.net) : rate.vat(on: s.net)
            return OfferDetails.RateTotal(name: name, percent: s.percent, exempt: s.exempt, net: s.net, vat: vat)
        }
    }

    static func details(_ records: [OfferRecord], in r: Reader) throws -> [OfferDetails] {
        let users = Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) })
        let templates = Dictionary(uniqueKeysWithValues: try r.fetchAll(OfferTemplateRecord.self).map { ($0.meta!.id, $0) })
        return try records.map { offer in
            let item = try WorkItemRules.resolve("#\(offer.itemID)", in: r)
            guard let account = try r.fetch(AccountRecord.self, id: item.accountID) else {
                throw CoreError.notFound(what: Localized(ro: "contul", en: "account"), ref: "#\(item.accountID)")
            }
            let lines = try r.fetchAll(OfferLineRecord.self, matching: ["offer_id": .int(offer.meta!.id)], orderBy: ["position"])
            return OfferDetails(record: offer, lines: lines, item: item, account: account, template: offer.templateID.flatMap { templates[$0] },
                                createdBy: offer.meta?.createdBy.flatMap { users[$0] })
        }
    }
}
