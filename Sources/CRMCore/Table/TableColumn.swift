import CRMStore
import CRMText
import Foundation

/// A typed cell of a table: what the screen shows as text and an export writes
/// as a number, a date or a yes/no.
public enum CellValue: Sendable, Equatable {
    case empty
    case text(String)
    /// An exact decimal number (custom number columns).
    case number(Decimal)
    /// Money in bani (hundredths of a leu), exact.
    case money(Int64)
    /// A calendar day, YYYY-MM-DD.
    case date(String)
    case bool(Bool)

    /// Text, or empty when there is none.
    public init(text: String?) { self = text.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }

    /// The text a table shows, in the interface's language for yes/no.
    public func display(_ language: Language) -> String {
        switch self {
        case .empty: return ""
        case .text(let s): return s
        case .number(let d): return "\(d)"
        case .money(let bani): return Money.text(bani)
        case .date(let iso): return iso
        case .bool(let b): return b ? Localized(ro: "da", en: "yes").text(language) : Localized(ro: "nu", en: "no").text(language)
        }
    }
}

/// How a table's rows are ordered: a column of its own and a direction, with a
/// natural order (accounts by name, opportunities newest first) for when the
/// chosen column cannot sort.
public protocol TableOrder: Sendable, Hashable {
    var descending: Bool { get set }
    static var natural: Self { get }
}

extension AccountOrder: TableOrder {
    public static var natural: AccountOrder { .byName }
}

/// One column of an entity table: what it is called, its type, its usual width,
/// whether the list can be ordered by it, and how a row gives its value. Every
/// view of a table (screen, export, filter) reads the same columns; `Row` is
/// what the screen holds (an account, an opportunity) and `Order` how its
/// list sorts.
public struct TableColumn<Row, Order: TableOrder>: Sendable {
    public let id: String
    public let label: Localized
    public let type: CustomColumnType
    public let width: Int
    /// The keyset order that sorts by this column, ascending (nil: it cannot sort).
    public let order: Order?
    let extract: @Sendable (Row) -> CellValue
    /// The same value straight from SQL, for exports: an expression over the
    /// table's row and how its result becomes a cell (names for ids come from
    /// the lookups).
    let sql: String
    let decode: @Sendable (Value, TableLookups) -> CellValue
    /// The expression a filter compares: a name instead of an id, a day
    /// (YYYY-MM-DD) instead of a time.
    let filterSQL: String

    public init(id: String, label: Localized, type: CustomColumnType = .text, width: Int, order: Order? = nil,
                sql: String, filterSQL: String? = nil,
                decode: @escaping @Sendable (Value, TableLookups) -> CellValue = { v, _ in CellValue(text: v.text) },
                value: @escaping @Sendable (Row) -> CellValue) {
        self.filterSQL = filterSQL ?? sql
        self.id = id
        self.label = label
        self.type = type
        self.width = width
        self.order = order
        self.sql = sql
        self.decode = decode
        extract = value
    }

    public func value(_ row: Row) -> CellValue { extract(row) }
}

/// A column of the accounts table.
public typealias AccountColumn = TableColumn<AccountDetails, AccountOrder>

/// A table's name (its settings and saved filters go by it) and what a user
/// sees before choosing: the visible columns and the sort.
public struct TableKind: Sendable, Equatable {
    public let name: String
    public let defaults: TableSettings

    public init(name: String, defaults: TableSettings) {
        self.name = name
        self.defaults = defaults
    }
}

/// Turns SQL rows (the columns' expressions) into the columns' typed cells,
/// one buffer for every row: the export path of every table.
struct CellDecoder<Row, Order: TableOrder> {
    let columns: [TableColumn<Row, Order>]
    let lookups: TableLookups
    var buffer: [CellValue]

    init(_ columns: [TableColumn<Row, Order>], in r: Reader) throws {
        self.columns = columns
        lookups = try TableLookups(r)
        buffer = [CellValue](repeating: .empty, count: columns.count)
    }

    mutating func cells(_ values: [Value]) -> [CellValue] {
        for i in columns.indices { buffer[i] = columns[i].decode(values[i], lookups) }
        return buffer
    }
}

/// Names for the ids rows refer to, read once per export.
public struct TableLookups: Sendable {
    let folders: [Int64: String]
    let zones: [Int64: String]
    let users: [Int64: String]
    let stages: [Int64: String]
    let vatRates: [Int64: String]

    init(_ r: Reader) throws {
        let names = try DetailsLookup(r)
        folders = names.folders.byID.mapValues(names.folders.path(of:))
        zones = names.zones
        users = names.users
        stages = Dictionary(uniqueKeysWithValues: try r.fetchAll(StageRecord.self).map { ($0.meta!.id, $0.name) })
        vatRates = Dictionary(uniqueKeysWithValues: try r.fetchAll(VATRateRecord.self).map { ($0.meta!.id, $0.name) })
    }

    static func name(_ v: Value, in map: [Int64: String]) -> CellValue {
        guard case .int(let id) = v else { return .empty }
        return CellValue(text: map[id])
    }

    static func day(_ v: Value) -> CellValue {
        guard case .int(let ms) = v else { return .empty }
        return .date(String(Timestamp.iso(ms).prefix(10)))
    }
}

/// The accounts table: the standard fields, the primary contact, the
/// bookkeeping dates, then the custom columns in their order.
public enum AccountTable {
    public static let name = "accounts"
    /// What a user sees before choosing: code, name, city, phone, e-mail.
    public static let defaultVisible = ["code", "name", "city", "phone", "email"]
    public static let kind = TableKind(name: name, defaults: TableSettings(columns: defaultVisible, sort: "name"))

    public static func columns(custom: [CustomColumnRecord]) -> [AccountColumn] {
        var out: [AccountColumn] = []
        let widths: [AccountField: Int] = [.code: 10, .name: 30, .kind: 8, .cui: 12, .tradeRegister: 14, .vatPayer: 4,
                                           .address: 30, .city: 16, .county: 14, .country: 4, .zone: 12, .phone: 13,
                                           .mobile: 13, .email: 26, .website: 22, .iban: 26, .bank: 16, .owner: 14,
                                           .folder: 24, .tags: 16, .notes: 30, .coordinates: 20]
        for field in AccountField.allCases {
            let order = AccountOrder.Column(rawValue: field.rawValue).map { AccountOrder($0) }
            let width = widths[field] ?? 14
            let column: AccountColumn
            switch field {
            case .vatPayer:
                column = AccountColumn(id: field.rawValue, label: field.label, type: .bool, width: 4, sql: "vat_payer",
                                     decode: { v, _ in .bool(v == .int(1)) }) { .bool($0.record.vatPayer) }
            case .cui:
                column = AccountColumn(id: field.rawValue, label: field.label, width: width, order: order,
                                     sql: "CASE WHEN vat_payer = 1 AND cui IS NOT NULL THEN 'RO' || cui ELSE cui END") {
                    CellValue(text: $0.text(field))
                }
            case .zone, .owner, .folder:
                let name = field == .zone ? "(SELECT z.name FROM zone z WHERE z.id = account.zone_id)"
                    : field == .owner ? "(SELECT u.login FROM user u WHERE u.id = account.owner_id)"
                    : "(SELECT f.name FROM folder f WHERE f.id = account.folder_id)"
                column = AccountColumn(id: field.rawValue, label: field.label, width: width, sql: field.column, filterSQL: name, decode: { v, l in
                    TableLookups.name(v, in: field == .zone ? l.zones : field == .owner ? l.users : l.folders)
                }) { CellValue(text: $0.text(field)) }
            default:
                column = AccountColumn(id: field.rawValue, label: field.label, width: width, order: order, sql: field.column) {
                    CellValue(text: $0.text(field))
                }
            }
            out.append(column)
        }
        out.append(AccountColumn(id: "contact", label: Localized(ro: "Contact", en: "Contact"), width: 22,
                               sql: "(SELECT c.name FROM contact c WHERE c.account_id = account.id AND c.is_primary = 1)") {
            CellValue(text: $0.primaryContact?.name)
        })
        out.append(AccountColumn(id: "created", label: Localized(ro: "Creat la", en: "Created"), type: .date, width: 10,
                               sql: "created_at", filterSQL: "date(created_at / 1000, 'unixepoch')",
                               decode: { v, _ in TableLookups.day(v) }) { a in
            a.record.meta.map { .date(String(Timestamp.iso($0.createdAt).prefix(10))) } ?? .empty
        })
        out.append(AccountColumn(id: "updated", label: Localized(ro: "Modificat la", en: "Changed"), type: .date, width: 10,
                               sql: "updated_at", filterSQL: "date(updated_at / 1000, 'unixepoch')",
                               decode: { v, _ in TableLookups.day(v) }) { a in
            a.record.meta.map { .date(String(Timestamp.iso($0.updatedAt).prefix(10))) } ?? .empty
        })
        for column in custom {
            let numeric = [.number, .money, .bool].contains(CustomColumnType(rawValue: column.type) ?? .text)
            out.append(.custom(column, in: "custom", order: AccountOrder(custom: .init(key: column.key, numeric: numeric))) { $0.custom })
        }
        return out
    }
}

extension TableColumn {
    /// A custom column (ACC-9, OPP-2): its value in the row's JSON `customSQL`
    /// column, typed as the column is.
    static func custom(_ column: CustomColumnRecord, in customSQL: String, order: Order?,
                       values: @escaping @Sendable (Row) -> [(column: CustomColumnRecord, value: Value)]) -> TableColumn {
        let key = column.key
        let type = CustomColumnType(rawValue: column.type) ?? .text
        let path = "'$.\"" + key.replacingOccurrences(of: "'", with: "''") + "\"'"
        return TableColumn(id: "custom." + key, label: Localized(ro: column.label, en: column.label), type: type,
                           width: max(8, min(24, DisplayWidth.of(column.label) + 2)), order: order,
                           sql: "json_extract(\(customSQL), \(path))", decode: { v, _ in CustomColumns.cell(v, type: type) }) { row in
            CustomColumns.cell(values(row).first { $0.column.key == key }?.value ?? .null, type: type)
        }
    }
}

extension CustomColumns {
    /// A stored custom value as a typed cell.
    public static func cell(_ value: Value, type: CustomColumnType) -> CellValue {
        switch (value, type) {
        case (.null, _): return .empty
        case (.int(let bani), .money): return .money(bani)
        case (.int(let i), .bool): return .bool(i != 0)
        case (.int(let i), .number): return .number(Decimal(i))
        case (.real(let d), .number): return .number(Decimal(d))
        case (.text(let s), .number): return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")).map(CellValue.number) ?? .text(s)
        case (.text(let s), .date): return .date(s)
        default: return value.text.map { $0.isEmpty ? CellValue.empty : .text($0) } ?? .empty
        }
    }
}

extension CRM {
    /// The cells of every account a view shows, for the given columns, in the
    /// view's order, straight from SQL (no records built): the export path.
    /// `body` gets each row's cells and returns false to stop.
    public func forEachRow(in view: AccountView, columns: [AccountColumn], for actor: Actor,
                           _ body: ([CellValue]) throws -> Bool) throws {
        try policy.authorize(actor, .export, .accounts)
        try read(for: actor) { r in
            var decoder = try CellDecoder(columns, in: r)
            try r.forEachAccountRow(try view.query(in: r), order: view.order, select: columns.map(\.sql)) { try body(decoder.cells($0)) }
        }
    }
}
