import CRMStore
import CRMText
import Foundation

extension InvoiceOrder: TableOrder {
    public static var natural: InvoiceOrder { .newest }
}

/// A column of the invoices' table.
public typealias InvoiceColumn = TableColumn<InvoiceDetails, InvoiceOrder>

/// Invoices as a table on the shared engine: number, kind, days, client,
/// amounts, what is paid, where it stands; SQL over the `i` row.
public enum InvoiceTable {
    public static let kind = TableKind(name: "invoices", defaults: TableSettings(
        columns: ["number", "day", "client", "total", "status", "due"], sort: "day", descending: true))

    /// A code column as filters compare it: by its Romanian label.
    static func labelled<T: RawRepresentable>(_ sql: String, _ cases: [T], _ label: (T) -> Localized) -> String where T.RawValue == String {
        "(CASE \(sql) " + cases.map { "WHEN '\($0.rawValue)' THEN '\(label($0).ro)'" }.joined(separator: " ") + " END)"
    }

    public static func columns(today: String) -> [InvoiceColumn] {
        let statusSQL = InvoiceQuery.statusSQL(today: today)
        return [
            InvoiceColumn(id: "number", label: Localized(ro: "Număr", en: "Number"), width: 14, sql: InvoiceQuery.labelSQL) { .text($0.record.label) },
            InvoiceColumn(id: "kind", label: Localized(ro: "Tip", en: "Kind"), width: 9, sql: "i.kind",
                          filterSQL: labelled("i.kind", InvoiceKind.allCases, \.label),
                          decode: { v, _ in CellValue(text: v.text.flatMap(InvoiceKind.init(rawValue:))?.label.ro) }) { .text($0.kind.label.ro) },
            InvoiceColumn(id: "day", label: Localized(ro: "Data", en: "Day"), type: .date, width: 10, order: InvoiceOrder(.day), sql: "i.day",
                          decode: { v, _ in v.text.map(CellValue.date) ?? .empty }) { .date($0.record.day) },
            InvoiceColumn(id: "due", label: Localized(ro: "Scadența", en: "Due"), type: .date, width: 10, order: InvoiceOrder(.due),
                          sql: "i.due_day", decode: { v, _ in v.text.map(CellValue.date) ?? .empty }) { .date($0.record.dueDay) },
            InvoiceColumn(id: "client", label: Localized(ro: "Client", en: "Client"), width: 28, sql: "json_extract(i.client, '$.name')") {
                .text($0.client.name)
            },
            InvoiceColumn(id: "cui", label: Localized(ro: "CUI/CIF", en: "Tax ID (CUI)"), width: 12, sql: "json_extract(i.client, '$.cui')") {
                CellValue(text: $0.client.cui)
            },
            InvoiceColumn(id: "total", label: Localized(ro: "Total", en: "Total"), type: .money, width: 13, order: InvoiceOrder(.total),
                          sql: "i.total", decode: { v, _ in v.int.map(CellValue.money) ?? .empty }) { .money($0.record.total) },
            InvoiceColumn(id: "currency", label: Localized(ro: "Monedă", en: "Currency"), width: 6, sql: "i.currency") { .text($0.record.currency) },
            InvoiceColumn(id: "vat", label: Localized(ro: "TVA", en: "VAT"), type: .money, width: 11, sql: "i.vat",
                          decode: { v, _ in v.int.map(CellValue.money) ?? .empty }) { .money($0.record.vat) },
            InvoiceColumn(id: "total_ron", label: Localized(ro: "Total lei", en: "Total RON"), type: .money, width: 13, sql: "i.total_ron",
                          decode: { v, _ in v.int.map(CellValue.money) ?? .empty }) { .money($0.record.totalRON) },
            InvoiceColumn(id: "paid", label: Localized(ro: "Încasat", en: "Paid"), type: .money, width: 12, sql: InvoiceQuery.paidSQL,
                          decode: { v, _ in v.int.map(CellValue.money) ?? .empty }) { .money($0.paid) },
            InvoiceColumn(id: "status", label: Localized(ro: "Stare", en: "Status"), width: 16, sql: statusSQL,
                          filterSQL: labelled(statusSQL, InvoiceStatus.allCases, \.label),
                          decode: { v, _ in CellValue(text: v.text.flatMap(InvoiceStatus.init(rawValue:))?.label.ro) }) { .text($0.status.label.ro) },
            InvoiceColumn(id: "delegate", label: Localized(ro: "Delegat", en: "Delegate"), width: 16, sql: "i.delegate") { CellValue(text: $0.record.delegate) },
            InvoiceColumn(id: "notes", label: Localized(ro: "Mențiuni", en: "Notes"), width: 24, sql: "i.notes") { CellValue(text: $0.record.notes) },
        ]
    }
}

/// What an invoice list shows: a kind, a status, an account, words, filters,
/// an order — for the table, its counts and its exports alike.
public struct InvoiceView: Sendable, Equatable {
    public var kind: InvoiceKind?
    public var status: InvoiceStatus?
    public var account: String?
    public var opportunity: String?
    public var search: String?
    public var filters: [Filter]
    public var order: InvoiceOrder

    public init(kind: InvoiceKind? = nil, status: InvoiceStatus? = nil, account: String? = nil, opportunity: String? = nil, search: String? = nil,
                filters: [Filter] = [], order: InvoiceOrder = .newest) {
        self.opportunity = opportunity
        self.kind = kind
        self.status = status
        self.account = account
        self.search = search
        self.filters = filters.filter { !$0.criteria.isEmpty }
        self.order = order
    }

    func query(in r: Reader, today: String) throws -> InvoiceQuery {
        let words = (search ?? "").split(whereSeparator: \.isWhitespace).map { Fold.key(String($0)) }.filter { !$0.isEmpty }
        var conditions: [SQLCondition] = []
        if !filters.isEmpty {
            let columns = InvoiceTable.columns(today: today)
            for filter in filters { if let condition = try filter.sql(columns: columns) { conditions.append(condition) } }
        }
        return InvoiceQuery(kind: kind?.rawValue, status: status?.rawValue, words: words,
                            accountID: try account.map { try AccountRules.resolve($0, in: r).meta!.id },
                            itemID: try opportunity.map { try WorkItemRules.resolve($0, in: r).meta!.id }, conditions: conditions, today: today)
    }
}

extension CRM {
    public func invoiceColumns(for actor: Actor) throws -> [InvoiceColumn] {
        try policy.authorize(actor, .view, .invoicing)
        return InvoiceTable.columns(today: today)
    }

    /// A keyset page of the invoices a view shows, in its order.
    public func invoices(_ view: InvoiceView, at position: PagePosition = .first, limit: Int = 50,
                         for actor: Actor) throws -> [InvoiceDetails] {
        try policy.authorize(actor, .view, .invoicing)
        let today = self.today
        return try read(for: actor) { r in
            try InvoiceRules.details(try r.invoicesPage(try view.query(in: r, today: today), at: position, limit: limit, order: view.order),
                                     today: today, in: r)
        }
    }

    /// How many invoices a view shows (with `cap`: no further).
    public func count(_ view: InvoiceView, cap: Int? = nil, for actor: Actor) throws -> Int {
        try policy.authorize(actor, .view, .invoicing)
        let today = self.today
        return try read(for: actor) { r in try r.countInvoices(try view.query(in: r, today: today), cap: cap) }
    }

    /// How many invoices stand in each status today (for the Facturi page's left pane).
    public func invoiceStatusCounts(for actor: Actor) throws -> [InvoiceStatus: Int] {
        try policy.authorize(actor, .view, .invoicing)
        let today = self.today
        return try read(for: actor) { r in
            Dictionary(uniqueKeysWithValues: try r.invoiceStatusCounts(today: today).compactMap { k, v in InvoiceStatus(rawValue: k).map { ($0, v) } })
        }
    }

    /// The cells of every invoice a view shows, straight from SQL: the export path.
    public func forEachRow(in view: InvoiceView, columns: [InvoiceColumn], for actor: Actor,
                           _ body: ([CellValue]) throws -> Bool) throws {
        try policy.authorize(actor, .export, .invoicing)
        let today = self.today
        try read(for: actor) { r in
            var decoder = try CellDecoder(columns, in: r)
            try r.forEachInvoiceRow(try view.query(in: r, today: today), order: view.order, select: columns.map(\.sql)) { try body(decoder.cells($0)) }
        }
    }
}
