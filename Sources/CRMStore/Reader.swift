import Foundation
import GRDB

/// Read access inside one transaction. Queries are named by what they return;
/// SQL stays in this module.
public class Reader {
    let db: Database

    /// The zones whose accounts this transaction shows (ADM-2); nil: every
    /// account. The core sets it from the acting user; every account listing
    /// applies it — pages, counts, exports, search, folder counts, duplicates,
    /// and accounts found by reference — while the checks that must see the
    /// whole base (a code or a unique value already taken) do not.
    public var zones: [Int64]?
    /// Sync's reference lookups of one batch (see `syncValue`).
    var referenceCache: [String: RowUUID] = [:]

    init(db: Database) { self.db = db }

    /// The SQL condition on `account` (or an alias) that keeps the visible
    /// accounts; nil: all are visible. `viaIndex` false keeps SQLite from
    /// walking the zone index: an ordered page walks its order's index and
    /// skips the other zones' rows instead of sorting a whole zone.
    func zoneCondition(_ table: String = "account", viaIndex: Bool = true) -> String? {
        guard let zones else { return nil }
        // The ids are the store's own integers, never text from outside.
        return zones.isEmpty ? "0" : "\(viaIndex ? "" : "+")\(table).zone_id IN (\(zones.map(String.init).joined(separator: ",")))"
    }

    /// Whether this transaction's user sees the account.
    public func isVisible(_ account: AccountRecord) -> Bool {
        guard let zones else { return true }
        return account.zoneID.map(zones.contains) ?? false
    }

    public func fetch<R: Record>(_ type: R.Type, id: Int64) throws -> R? {
        try fetchFirst(R.self, sql: "SELECT * FROM \(R.table) WHERE id = ?", [.int(id)])
    }

    public func fetch<R: Record>(_ type: R.Type, uuid: RowUUID) throws -> R? {
        try fetchFirst(R.self, sql: "SELECT * FROM \(R.table) WHERE uuid = ?", [.blob(uuid.bytes)])
    }

    /// A row by the reference a person or script gives for it: its UUID, or
    /// its id written "#12" or "12".
    public func fetch<R: Record>(_ type: R.Type, ref: String) throws -> R? {
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        if let uuid = RowUUID(trimmed) { return try fetch(R.self, uuid: uuid) }
        guard let id = Int64(trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed) else { return nil }
        return try fetch(R.self, id: id)
    }

    /// Rows whose columns equal the given values (NULL matches IS NULL).
    public func fetchAll<R: Record>(_ type: R.Type, matching: [String: Value] = [:], orderBy: [String] = ["id"],
                                    limit: Int? = nil) throws -> [R] {
        let (clause, args) = try whereClause(R.self, matching)
        let order = try orderBy.map { try checked(R.self, $0) }.joined(separator: ", ")
        var sql = "SELECT * FROM \(R.table)\(clause) ORDER BY \(order)"
        if let limit { sql += " LIMIT \(limit)" }
        return try fetchRecords(R.self, sql: sql, args)
    }

    public func count<R: Record>(_ type: R.Type, matching: [String: Value] = [:]) throws -> Int {
        let (clause, args) = try whereClause(R.self, matching)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(R.table)\(clause)", arguments: arguments(args)) ?? 0
    }

    // MARK: - Helpers shared by the named queries

    func fetchFirst<R: Record>(_ type: R.Type, sql: String, _ args: [Value]) throws -> R? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments(args)) else { return nil }
        return try decode(R.self, row)
    }

    func fetchRecords<R: Record>(_ type: R.Type, sql: String, _ args: [Value]) throws -> [R] {
        let statement = try db.cachedStatement(sql: sql)
        let positions = Dictionary(statement.columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return try Row.fetchAll(statement, arguments: arguments(args)).map { try decode(R.self, $0, positions: positions) }
    }

    func decode<R: Record>(_ type: R.Type, _ row: Row, positions: [String: Int]? = nil) throws -> R {
        let fields = positions.map { Fields(positions: $0, values: row.databaseValues.map(Reader.value)) } ?? Reader.fields(row)
        guard case .blob(let uuid) = fields["uuid"], uuid.count == 16, let id = fields.int("id") else {
            throw StoreError.sqlite(detail: "\(R.table) row without id or uuid")
        }
        let meta = RowMeta(id: id, uuid: RowUUID(bytes: uuid), createdAt: fields.int("created_at") ?? 0,
                           createdBy: fields.int("created_by"), updatedAt: fields.int("updated_at") ?? 0,
                           updatedBy: fields.int("updated_by"), version: fields.int("version") ?? 1)
        return try R(meta: meta, fields: fields)
    }

    static func fields(_ row: Row) -> Fields {
        Fields(positions: Dictionary(row.columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }),
               values: row.databaseValues.map(value))
    }

    static func value(_ v: DatabaseValue) -> Value {
        switch v.storage {
        case .null: return .null
        case .int64(let i): return .int(i)
        case .double(let d): return .real(d)
        case .string(let s): return .text(s)
        case .blob(let d): return .blob([UInt8](d))
        }
    }

    static func dbValue(_ v: Value) -> DatabaseValue {
        switch v {
        case .null: return .null
        case .int(let i): return i.databaseValue
        case .real(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let b): return Data(b).databaseValue
        }
    }

    func arguments(_ values: [Value]) -> StatementArguments {
        StatementArguments(values.map(Reader.dbValue))
    }

    func checked<R: Record>(_ type: R.Type, _ column: String) throws -> String {
        let known = ["id", "uuid", "created_at", "created_by", "updated_at", "updated_by", "version"] + R.columns
        guard known.contains(column) else { throw StoreError.sqlite(detail: "\(R.table) has no column \(column)") }
        return column
    }

    func whereClause<R: Record>(_ type: R.Type, _ matching: [String: Value]) throws -> (String, [Value]) {
        guard !matching.isEmpty else { return ("", []) }
        var parts: [String] = []
        var args: [Value] = []
        for (column, value) in matching.sorted(by: { $0.key < $1.key }) {
            let c = try checked(R.self, column)
            if value.isNull {
                parts.append("\(c) IS NULL")
            } else {
                parts.append("\(c) = ?")
                args.append(value)
            }
        }
        return (" WHERE " + parts.joined(separator: " AND "), args)
    }
}
