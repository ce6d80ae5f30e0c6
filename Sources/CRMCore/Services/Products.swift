import CRMStore
import CRMText
import Foundation

/// The fields of a product or service, as typed (CLI, forms, import).
public enum ProductField: String, Sendable, CaseIterable {
    case code, name, description, unit, price, currency, vat, category

    public var label: Localized {
        switch self {
        case .code: return .init(ro: "Cod", en: "Code")
        case .name: return .init(ro: "Denumire", en: "Name")
        case .description: return .init(ro: "Descriere", en: "Description")
        case .unit: return .init(ro: "U.M.", en: "Unit")
        case .price: return .init(ro: "Preț unitar", en: "Unit price")
        case .currency: return .init(ro: "Monedă", en: "Currency")
        case .vat: return .init(ro: "Cotă TVA", en: "VAT rate")
        case .category: return .init(ro: "Categorie", en: "Category")
        }
    }
}

/// A product with its VAT rate, as lists and forms show it.
public struct ProductDetails: Sendable {
    public let record: ProductRecord
    public let vat: VATRateRecord
    public let createdBy: String?
    public let updatedBy: String?
    public var uuid: String { record.meta?.uuid.description ?? "" }
}

extension CRM {
    // MARK: - VAT rates

    /// The VAT rates a new database starts with: the standard, the reduced, zero and exempt.
    static let defaultVATRates: [(name: String, percent: Int64, exempt: Bool)] = [
        ("21%", 2100, false), ("11%", 1100, false), ("0%", 0, false), ("Scutit", 0, true),
    ]

    /// The VAT rates in their order (retired ones only when asked).
    public func vatRates(includingRetired: Bool = false) throws -> [VATRateRecord] {
        let stored = try read { try $0.fetchAll(VATRateRecord.self, orderBy: ["position", "id"]) }
        let rates = stored.isEmpty ? try write(nil, "vat.defaults") { try ProductRules.ensureRates(in: $0) } : stored
        return includingRetired ? rates : rates.filter { !$0.retired }
    }

    /// Adds a VAT rate (administrators): a name and a percent (0–100, two decimals), or exempt.
    @discardableResult
    public func addVATRate(name: String, percent: String, exempt: Bool = false, by actor: Actor) throws -> VATRateRecord {
        try policy.authorize(actor, .admin, .administration)
        var issues: [ValidationIssue] = []
        let clean = FieldRules.text(name, field: "name", max: 40, issues: &issues)
        guard let d = FieldRules.decimal(percent), d >= 0, d <= 100, d.rounded(2) == d else {
            throw CoreError.invalid(issues + [.init(field: "percent", value: percent, reason: .invalidNumber)])
        }
        guard issues.isEmpty, case .text(let label) = clean else {
            throw CoreError.invalid(issues.isEmpty ? [.init(field: "name", value: name, reason: .required)] : issues)
        }
        return try write(actor, "vat.add") { w in
            let rates = try ProductRules.ensureRates(in: w)
            if rates.contains(where: { Fold.key($0.name) == Fold.key(label) }) {
                throw CoreError.invalid([.init(field: "name", value: label, reason: .duplicate(of: label))])
            }
            return try w.insert(VATRateRecord(name: label, percent: NSDecimalNumber(decimal: d * 100).int64Value, exempt: exempt,
                                              position: (rates.map(\.position).max() ?? 0) + 1))
        }
    }

    /// Retires a VAT rate (or brings it back): new products cannot take it, those that have it keep it.
    public func retireVATRate(_ name: String, retired: Bool = true, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, "vat.retire") { w in
            let rate = try ProductRules.rate(name, in: try ProductRules.ensureRates(in: w), includingRetired: true)
            try w.update(VATRateRecord.self, id: rate.meta!.id, set: ["retired": .bool(retired)])
        }
    }

    // MARK: - Products

    /// Adds a product or service: a code no other product has (case aside), a
    /// name, a unit (buc. unless given), a price without VAT (0 unless given),
    /// a currency (RON), a VAT rate from the list (the first unless given).
    @discardableResult
    public func addProduct(_ input: [ProductField: String], by actor: Actor) throws -> ProductRecord {
        try policy.authorize(actor, .add, .offers)
        return try write(actor, "product.add") { w in try ProductRules.add(input, in: w) }
    }

    /// Changes the given fields of a product (`expectedVersion`: refused if
    /// someone changed it since).
    @discardableResult
    public func editProduct(_ ref: String, _ input: [ProductField: String], expectedVersion: Int64? = nil,
                            by actor: Actor) throws -> ProductRecord {
        try policy.authorize(actor, .edit, .offers)
        return try write(actor, "product.edit") { w in
            let product = try ProductRules.resolve(ref, in: w)
            let values = try ProductRules.values(input, existing: product, in: w)
            try w.update(ProductRecord.self, id: product.meta!.id, set: values, expectedVersion: expectedVersion)
            return try w.fetch(ProductRecord.self, id: product.meta!.id)!
        }
    }

    public func deleteProduct(_ ref: String, by actor: Actor) throws {
        try policy.authorize(actor, .delete, .offers)
        try write(actor, "product.delete") { w in
            let product = try ProductRules.resolve(ref, in: w)
            try w.delete(ProductRecord.self, id: product.meta!.id)
        }
    }

    /// A product by its code (case aside), UUID or #id.
    public func product(_ ref: String, for actor: Actor) throws -> ProductDetails {
        try policy.authorize(actor, .view, .offers)
        return try read { r in try ProductRules.details([try ProductRules.resolve(ref, in: r)], in: r)[0] }
    }

    /// The categories in use, with how many products each holds ("" for none).
    public func productCategories(for actor: Actor) throws -> [(name: String, count: Int)] {
        try policy.authorize(actor, .view, .offers)
        return try read { try $0.productCategories() }
    }
}

/// The rules of the catalogue: typed values into stored ones, references into rows.
enum ProductRules {
    static func ensureRates(in w: Writer) throws -> [VATRateRecord] {
        let stored = try w.fetchAll(VATRateRecord.self, orderBy: ["position", "id"])
        guard stored.isEmpty else { return stored }
        return try CRM.defaultVATRates.enumerated().map { n, rate in
            try w.insert(VATRateRecord(name: rate.name, percent: rate.percent, exempt: rate.exempt, position: Int64(n + 1)))
        }
    }

    /// A VAT rate by name ("21%", "21", "21 %", "scutit"), case and spaces aside.
    static func rate(_ name: String, in rates: [VATRateRecord], includingRetired: Bool = false) throws -> VATRateRecord {
        func key(_ s: String) -> String { Fold.key(s).replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "%", with: "") }
        let usable = rates.filter { includingRetired || !$0.retired }
        guard let found = usable.first(where: { key($0.name) == key(name) }) else {
            throw CoreError.invalid([.init(field: "vat", value: name, reason: .invalidChoice(allowed: usable.map(\.name)))])
        }
        return found
    }

    static func resolve(_ ref: String, in r: Reader) throws -> ProductRecord {
        let clean = ref.trimmingCharacters(in: .whitespaces)
        if let found = try r.product(code: clean) ?? r.fetch(ProductRecord.self, ref: clean) { return found }
        throw CoreError.notFound(what: Localized(ro: "produsul", en: "product"), ref: ref)
    }

    static func add(_ input: [ProductField: String], in w: Writer) throws -> ProductRecord {
        var values = try Self.values(input, existing: nil, in: w)
        let rates = try ensureRates(in: w)
        var product = ProductRecord(code: values["code"]?.text ?? "", name: values["name"]?.text ?? "", unit: values["unit"]?.text ?? "buc.",
                                    price: values["price"]?.int ?? 0, currency: values["currency"]?.text ?? "RON",
                                    vatRateID: values["vat_rate_id"]?.int ?? rates.first { !$0.retired }!.meta!.id)
        product.description = values.removeValue(forKey: "description")?.text
        product.category = values.removeValue(forKey: "category")?.text
        return try w.insert(product)
    }

    /// The stored values of typed input, all problems reported together: the
    /// code unique, the name given, a price with at most two decimals, a
    /// three-letter currency, a VAT rate from the list.
    static func values(_ input: [ProductField: String], existing: ProductRecord?, in w: Writer) throws -> [String: Value] {
        var out: [String: Value] = [:]
        var issues: [ValidationIssue] = []
        for (field, raw) in input {
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            switch field {
            case .code:
                guard case .text(let code) = FieldRules.text(trimmed, field: "code", max: 40, issues: &issues) else {
                    if trimmed.isEmpty { issues.append(.init(field: "code", value: raw, reason: .required)) }
                    continue
                }
                if let other = try w.product(code: code), other.meta?.id != existing?.meta?.id {
                    issues.append(.init(field: "code", value: code, reason: .duplicate(of: other.name)))
                }
                out["code"] = .text(code)
            case .name:
                guard case .text(let name) = FieldRules.text(trimmed, field: "name", max: 200, issues: &issues) else {
                    if trimmed.isEmpty { issues.append(.init(field: "name", value: raw, reason: .required)) }
                    continue
                }
                out["name"] = .text(name)
                out["name_key"] = .text(SortKey.romanian(name))
            case .description:
                out["description"] = FieldRules.text(raw, field: "description", max: 4000, issues: &issues)
            case .unit:
                guard case .text(let unit) = FieldRules.text(trimmed, field: "unit", max: 20, issues: &issues) else {
                    if trimmed.isEmpty { issues.append(.init(field: "unit", value: raw, reason: .required)) }
                    continue
                }
                out["unit"] = .text(unit)
            case .price:
                guard let d = FieldRules.decimal(trimmed), d >= 0, d.rounded(2) == d, d < 1e15 else {
                    issues.append(.init(field: "price", value: raw, reason: .invalidNumber)); continue
                }
                out["price"] = .int(NSDecimalNumber(decimal: d * 100).int64Value)
            case .currency:
                let code = trimmed.uppercased()
                guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                    issues.append(.init(field: "currency", value: raw, reason: .invalidChoice(allowed: ["RON", "EUR", "USD", "…"]))); continue
                }
                out["currency"] = .text(code)
            case .vat:
                do {
                    out["vat_rate_id"] = .int(try rate(trimmed, in: try ensureRates(in: w)).meta!.id)
                } catch CoreError.invalid(let found) {
                    issues += found
                }
            case .category:
                out["category"] = FieldRules.text(raw, field: "category", max: 60, issues: &issues)
            }
        }
        if existing == nil {
            for required in [ProductField.code, .name] where input[required].map({ $0.trimmed().isEmpty }) ?? true {
                if !issues.contains(where: { $0.field == required.rawValue }) {
                    issues.append(.init(field: required.rawValue, value: "", reason: .required))
                }
            }
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return out
    }

    static func details(_ records: [ProductRecord], in r: Reader) throws -> [ProductDetails] {
        let rates = Dictionary(uniqueKeysWithValues: try r.fetchAll(VATRateRecord.self).map { ($0.meta!.id, $0) })
        let users = Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) })
        return records.map {
            ProductDetails(record: $0, vat: rates[$0.vatRateID] ?? VATRateRecord(name: "?", percent: 0, position: 0),
                           createdBy: $0.meta?.createdBy.flatMap { users[$0] }, updatedBy: $0.meta?.updatedBy.flatMap { users[$0] })
        }
    }
}

extension CRM {
    /// The catalogue from a file's rows (`rows` hold each row's values by
    /// field, with its line): new codes are added, known ones changed when
    /// `update` says so (else refused as duplicates). All or nothing: one bad
    /// row refuses the whole file, every bad row named with its problems —
    /// unless `skipInvalid`, when the good rows go in and the bad ones are returned.
    @discardableResult
    public func importProducts(_ rows: [(line: Int, values: [ProductField: String])], update: Bool = false, skipInvalid: Bool = false,
                               by actor: Actor) throws -> (added: Int, updated: Int, rejected: [ImportReport.Rejected]) {
        try policy.authorize(actor, .import, .offers)
        return try write(actor, "product.import") { w in
            var rejected: [ImportReport.Rejected] = []
            var added = 0, updated = 0
            // A code twice in the file: the second names the first's product.
            var seen: [String: String] = [:]
            for row in rows {
                let code = (row.values[.code] ?? "").trimmed()
                if let first = seen[code.lowercased()], !code.isEmpty {
                    rejected.append(.init(line: row.line, problems: [.init(field: "code", value: code, reason: .duplicate(of: first))]))
                    continue
                }
                seen[code.lowercased()] = (row.values[.name] ?? code).trimmed()
                do {
                    if update, !code.isEmpty, let existing = try w.product(code: code) {
                        try w.update(ProductRecord.self, id: existing.meta!.id, set: try ProductRules.values(row.values, existing: existing, in: w))
                        updated += 1
                    } else {
                        _ = try ProductRules.add(row.values, in: w)
                        added += 1
                    }
                } catch CoreError.invalid(let issues) {
                    rejected.append(.init(line: row.line, problems: issues))
                }
            }
            guard rejected.isEmpty || skipInvalid else { throw CoreError.importRefused(rejected) }
            return (added, updated, rejected)
        }
    }
}

extension ProductField {
    /// The field a file's column header names: its Romanian or English label, or its
    /// own name, case and diacritics aside ("Cota TVA", "VAT rate", "vat").
    public init?(header: String) {
        let key = Fold.key(header).replacingOccurrences(of: " ", with: "")
        guard let found = ProductField.allCases.first(where: { field in
            [field.rawValue, field.label.ro, field.label.en].contains { Fold.key($0).replacingOccurrences(of: " ", with: "") == key }
        }) else { return nil }
        self = found
    }
}

extension VATRateRecord {
    /// The VAT on a net amount (hundredths), exact to the ban, halves rounded up.
    public func vat(on net: Int64) -> Int64 {
        guard !exempt else { return 0 }
        let (q, r) = (net * percent).quotientAndRemainder(dividingBy: 10_000)
        return q + (r * 2 >= 10_000 ? 1 : 0)
    }

    /// The price with VAT of a net amount (hundredths).
    public func gross(_ net: Int64) -> Int64 { net + vat(on: net) }
}
