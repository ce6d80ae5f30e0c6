import CRMStore
import CRMText
import Foundation

extension ProductOrder: TableOrder {
    public static var natural: ProductOrder { .byName }
}

/// A column of the catalogue's table.
public typealias ProductColumn = TableColumn<ProductDetails, ProductOrder>

/// The catalogue (nomenclator) as a table: code, name, unit, price, currency,
/// VAT rate, category, description, the bookkeeping dates; SQL over the `p` row.
public enum ProductTable {
    public static let kind = TableKind(name: "products", defaults: TableSettings(
        columns: ["code", "name", "unit", "price", "currency", "vat", "category"], sort: "name"))

    public static func columns() -> [ProductColumn] {
        func label(_ f: ProductField) -> Localized { f.label }
        return [
            ProductColumn(id: "code", label: label(.code), width: 12, order: ProductOrder(.code), sql: "p.code") { .text($0.record.code) },
            ProductColumn(id: "name", label: label(.name), width: 32, order: ProductOrder(.name), sql: "p.name") { .text($0.record.name) },
            ProductColumn(id: "unit", label: label(.unit), width: 6, sql: "p.unit") { .text($0.record.unit) },
            ProductColumn(id: "price", label: label(.price), type: .money, width: 12, order: ProductOrder(.price), sql: "p.price",
                          decode: { v, _ in v.int.map(CellValue.money) ?? .empty }) { .money($0.record.price) },
            ProductColumn(id: "currency", label: label(.currency), width: 6, sql: "p.currency") { .text($0.record.currency) },
            ProductColumn(id: "vat", label: label(.vat), width: 8, sql: "p.vat_rate_id",
                          filterSQL: "(SELECT v.name FROM vat_rate v WHERE v.id = p.vat_rate_id)",
                          decode: { v, l in TableLookups.name(v, in: l.vatRates) }) { .text($0.vat.name) },
            ProductColumn(id: "category", label: label(.category), width: 16, sql: "p.category") { CellValue(text: $0.record.category) },
            ProductColumn(id: "description", label: label(.description), width: 36, sql: "p.description") { CellValue(text: $0.record.description) },
            ProductColumn(id: "created", label: Localized(ro: "Creat la", en: "Created"), type: .date, width: 10, sql: "p.created_at",
                          filterSQL: "date(p.created_at / 1000, 'unixepoch')", decode: { v, _ in TableLookups.day(v) }) { d in
                d.record.meta.map { .date(String(Timestamp.iso($0.createdAt).prefix(10))) } ?? .empty
            },
            ProductColumn(id: "updated", label: Localized(ro: "Modificat la", en: "Changed"), type: .date, width: 10, sql: "p.updated_at",
                          filterSQL: "date(p.updated_at / 1000, 'unixepoch')", decode: { v, _ in TableLookups.day(v) }) { d in
                d.record.meta.map { .date(String(Timestamp.iso($0.updatedAt).prefix(10))) } ?? .empty
            },
        ]
    }
}

/// What a catalogue list shows: a category, words, filters, an order — for the
/// table, its counts and its exports alike.
public struct ProductView: Sendable, Equatable {
    public var category: String?
    public var search: String?
    public var filters: [Filter]
    public var order: ProductOrder

    public init(category: String? = nil, search: String? = nil, filters: [Filter] = [], order: ProductOrder = .byName) {
        self.category = category
        self.search = search
        self.filters = filters.filter { !$0.criteria.isEmpty }
        self.order = order
    }

    func query(in r: Reader) throws -> ProductQuery {
        let words = (search ?? "").split(whereSeparator: \.isWhitespace).map { Fold.key(String($0)) }.filter { !$0.isEmpty }
        var conditions: [SQLCondition] = []
        if !filters.isEmpty {
            let columns = ProductTable.columns()
            for filter in filters { if let condition = try filter.sql(columns: columns) { conditions.append(condition) } }
        }
        return ProductQuery(words: words, category: category, conditions: conditions)
    }
}

extension CRM {
    public func productColumns(for actor: Actor) throws -> [ProductColumn] {
        try policy.authorize(actor, .view, .offers)
        return ProductTable.columns()
    }

    /// A keyset page of the products a view shows, in its order.
    public func products(_ view: ProductView = ProductView(), at position: PagePosition = .first, limit: Int = 50,
                         for actor: Actor) throws -> [ProductDetails] {
        try policy.authorize(actor, .view, .offers)
        return try read { r in
            try ProductRules.details(try r.productsPage(try view.query(in: r), at: position, limit: limit, order: view.order), in: r)
        }
    }

    /// How many products a view shows (with `cap`: no further).
    public func count(_ view: ProductView, cap: Int? = nil, for actor: Actor) throws -> Int {
        try policy.authorize(actor, .view, .offers)
        return try read { r in try r.countProducts(try view.query(in: r), cap: cap) }
    }

    /// The cells of every product a view shows, straight from SQL: the export path.
    public func forEachRow(in view: ProductView, columns: [ProductColumn], for actor: Actor,
                           _ body: ([CellValue]) throws -> Bool) throws {
        try policy.authorize(actor, .export, .offers)
        try read { r in
            var decoder = try CellDecoder(columns, in: r)
            try r.forEachProductRow(try view.query(in: r), order: view.order, select: columns.map(\.sql)) { try body(decoder.cells($0)) }
        }
    }
}
