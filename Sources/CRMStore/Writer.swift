import Foundation
import GRDB
import GRDBSQLite

/// One field's change, as the change log records it.
public struct FieldChange: Sendable, Equatable {
    public let field: String
    public let old: Value
    public let new: Value
}

/// The one write path. Inside `Store.write`, every insert, update and delete of an
/// entity row goes through here: it fills the bookkeeping columns (uuid, created
/// and updated by and at, version) and appends to the change log under the
/// current operation.
public final class Writer: Reader {
    /// The index a keyset order by a column other than the name walks, made the
    /// first time someone sorts by that column (about a second on a million
    /// accounts; every later page is then read in milliseconds).
    public func ensureOrderIndex(_ order: AccountOrder) throws {
        guard let index = order.index else { return }
        if order.custom == nil { _ = try checked(AccountRecord.self, order.column.rawValue) }
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(index.name) ON account(\(index.expression), id)")
    }

    /// The index a unique rule on an account column needs (`lower(column)`), made
    /// or dropped with the rule.
    public func setUniqueIndex(accountColumn column: String, present: Bool) throws {
        let c = try checked(AccountRecord.self, column)
        if present {
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS account_unique_\(c) ON account(lower(\(c)))")
        } else {
            try db.execute(sql: "DROP INDEX IF EXISTS account_unique_\(c)")
        }
    }

    public let userID: Int64?
    public let now: Int64
    public let operationID: Int64
    private var rng = SplitMix64()
    private var lastUUID: RowUUID?
    /// Prepared statements of this transaction, by purpose (insert per table, log).
    private var statements: [String: Statement] = [:]
    /// The search document's SQL for the custom columns it was made for.
    var searchDocumentCache: (keys: [String], sql: String)?
    /// The search index mark, once read (see `searchIndexedUpTo`).
    var searchMarkCache: Int64?
    /// Stamps every change-log entry of this transaction with a clock reading
    /// later than the last entry's (docs/sync.md), whichever process wrote it.
    let hlc: HybridClock
    /// Set while a change pulled from the hub is applied: its entries keep the
    /// remote clock and replica, so they are never pushed back.
    public var syncStamp: (hlc: HLC, origin: RowUUID)?

    init(db: Database, userID: Int64?, operation: String, now: Int64) throws {
        self.userID = userID
        self.now = now
        var rng = SplitMix64()
        let uuid = RowUUID.make(at: now, using: &rng)
        try db.execute(sql: "INSERT INTO operation (uuid, at, user_id, name) VALUES (?, ?, ?, ?)",
                       arguments: [Data(uuid.bytes), now, userID, operation])
        self.operationID = db.lastInsertedRowID
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT ifnull(hlc, at << 16) FROM change_log ORDER BY id DESC LIMIT 1")) ?? 0
        self.hlc = HybridClock(last: HLC(raw: last))
        super.init(db: db)
    }

    /// Inserts a new row; returns it with its bookkeeping filled in. The change
    /// log's entry for an insert carries no values: the row itself is the new
    /// value, and every later change has its own entry with old and new values.
    @discardableResult
    public func insert<R: Record>(_ record: R) throws -> R {
        var out = record
        out.meta = try insertAll(PreparedRecords([record]))[0]
        return out
    }

    /// Inserts many rows of one table, several rows per statement (a bulk load
    /// spends most of its time in per-statement overhead otherwise), and returns
    /// their bookkeeping in order. Ids are given explicitly, in order: the
    /// transaction holds the write lock, so nobody else can take them.
    @discardableResult
    public func insertAll<R: Record>(_ batch: PreparedRecords<R>) throws -> [RowMeta] {
        let count = batch.count
        guard count > 0 else { return [] }
        let width = Writer.metaColumns.count + 1 + R.columns.count
        let perStatement = max(1, min(100, 30_000 / width))
        var nextID = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM \(R.table)")) ?? 0) + 1
        var metas: [RowMeta] = []
        metas.reserveCapacity(count)
        var start = 0
        while start < count {
            let end = min(count, start + perStatement)
            for _ in start..<end {
                metas.append(RowMeta(id: nextID, uuid: nextUUID(), createdAt: now, createdBy: userID, updatedAt: now,
                                     updatedBy: userID, version: 1))
                nextID += 1
            }
            let rows = end - start
            let (now, userID) = (self.now, self.userID)
            let statement = try prepared("\(R.table)#\(rows)") { Writer.insertSQL(R.self, rows: rows) }
            try batch.bytes.withUnsafeBytes { text in
                try execute(statement) { b in
                    for i in start..<end {
                        b.bind(.int(metas[i].id)); b.bind(metas[i].uuid); b.bind(.int(now))
                        b.bind(.optional(userID)); b.bind(.int(now)); b.bind(.optional(userID)); b.bind(.int(1))
                        for cell in batch.row(i) { b.bind(cell, text) }
                    }
                }
            }
            try logInserts(R.table, metas[start..<end])
            start = end
        }
        try searchAfterInsert(R.self, batch, metas)
        return metas
    }

    /// Increasing UUIDs within the transaction (see `RowUUID.successor`).
    private func nextUUID() -> RowUUID {
        let uuid = lastUUID?.successor(at: now) ?? RowUUID.make(at: now, using: &rng)
        lastUUID = uuid
        return uuid
    }

    private func prepared(_ key: String, _ sql: () -> String) throws -> Statement {
        if let statement = statements[key] { return statement }
        let statement = try db.cachedStatement(sql: sql())
        statements[key] = statement
        return statement
    }

    static let metaColumns = ["uuid", "created_at", "created_by", "updated_at", "updated_by", "version"]
    /// Columns whose values the change log leaves out.
    static let secretColumns: Set<String> = ["password_hash"]

    static func insertSQL<R: Record>(_ type: R.Type, rows: Int) -> String {
        let columns = ["id"] + metaColumns + R.columns
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(R.table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    private func logInserts(_ entity: String, _ rows: ArraySlice<RowMeta>) throws {
        let n = rows.count
        let sql = "INSERT INTO change_log (operation_id, at, user_id, entity, row_uuid, row_id, op, hlc, origin) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: n).joined(separator: ", ")
        let (operationID, now, userID) = (self.operationID, self.now, self.userID)
        try execute(try prepared("change_log#\(n)") { sql }) { b in
            for meta in rows {
                b.bind(.int(operationID)); b.bind(.int(now)); b.bind(.optional(userID)); b.bind(.text(entity))
                b.bind(meta.uuid); b.bind(.int(meta.id)); b.bind(.text("insert"))
                let (hlc, origin) = stamp()
                b.bind(hlc); b.bind(origin)
            }
        }
        try countAdded(entity, n)
    }

    /// Keeps the count of rows added per entity, user and hour (the dashboard's user actions, read without counting the log).
    private func countAdded(_ entity: String, _ n: Int) throws {
        let sql = """
            INSERT INTO added_count (entity, user_id, hour, n) VALUES (?, ?, ?, ?)
            ON CONFLICT (entity, user_id, hour) DO UPDATE SET n = n + excluded.n
            """
        try execute(try prepared("added_count") { sql }, [.text(entity), .int(userID ?? 0), .int(now / 3_600_000), .int(Int64(n))])
    }

    /// Binds and steps a prepared statement through the SQLite C API: the write
    /// path runs millions of times in a bulk load, where generic argument
    /// conversion would cost more than SQLite itself.
    func execute(_ statement: Statement, _ values: [Value]) throws {
        try execute(statement) { b in for value in values { b.bind(value) } }
    }

    private func execute(_ statement: Statement, _ bind: (inout Binder) -> Void) throws {
        let stmt = statement.sqliteStatement
        sqlite3_reset(stmt)
        var binder = Binder(stmt: stmt)
        bind(&binder)
        let rc = sqlite3_step(stmt)
        guard rc == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(stmt)
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message)
        }
    }

    /// Binds values to a statement's parameters, in order.
    struct Binder {
        let stmt: OpaquePointer
        var index: Int32 = 1

        mutating func bind(_ value: Value) {
            switch value {
            case .null: sqlite3_bind_null(stmt, index)
            case .int(let i): sqlite3_bind_int64(stmt, index, i)
            case .real(let d): sqlite3_bind_double(stmt, index, d)
            case .text(var s):
                let (stmt, index) = (self.stmt, self.index)
                s.withUTF8 { buffer in
                    if let base = buffer.baseAddress, buffer.count > 0 {
                        _ = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                            sqlite3_bind_text(stmt, index, $0, Int32(buffer.count), Writer.transient)
                        }
                    } else {
                        sqlite3_bind_text(stmt, index, "", 0, Writer.transient)
                    }
                }
            case .blob(let bytes):
                _ = bytes.withUnsafeBytes { sqlite3_bind_blob(stmt, index, $0.baseAddress, Int32(bytes.count), Writer.transient) }
            }
            index += 1
        }

        mutating func bind(_ uuid: RowUUID) {
            let (stmt, index) = (self.stmt, self.index)
            _ = uuid.withBytes { sqlite3_bind_blob(stmt, index, $0.baseAddress, 16, Writer.transient) }
            self.index += 1
        }

        /// A prepared cell; text and blob cells point into `bytes`.
        mutating func bind(_ cell: PreparedRecords<some Record>.Cell, _ bytes: UnsafeRawBufferPointer) {
            switch cell {
            case .null: sqlite3_bind_null(stmt, index)
            case .int(let i): sqlite3_bind_int64(stmt, index, i)
            case .real(let d): sqlite3_bind_double(stmt, index, d)
            case .text(let start, let count):
                sqlite3_bind_text(stmt, index, (bytes.baseAddress! + Int(start)).assumingMemoryBound(to: CChar.self),
                                  count, Writer.transient)
            case .blob(let start, let count):
                sqlite3_bind_blob(stmt, index, bytes.baseAddress! + Int(start), count, Writer.transient)
            }
            index += 1
        }
    }

    /// New accounts, and the accounts of new contacts, join the search index.
    private func searchAfterInsert<R: Record>(_ type: R.Type, _ batch: PreparedRecords<R>, _ metas: [RowMeta]) throws {
        if R.table == AccountRecord.table {
            try refreshSearch(accountIDs: metas.map(\.id))
        } else if R.table == ContactRecord.table, let column = R.columns.firstIndex(of: "account_id") {
            guard try searchIndexedUpTo() > 0 else { return }
            let ids = Set((0..<batch.count).compactMap { batch.value(row: $0, column: column) })
            try refreshSearch(accountIDs: Array(ids))
        }
    }

    /// SQLite copies bound text and blobs (SQLITE_TRANSIENT).
    fileprivate static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Sets the given columns of one row. A field named `custom.KEY` sets one key of
    /// the row's `custom` JSON object (`.null` removes it). With `expectedVersion`,
    /// the write is refused if another session changed the row since it was read.
    /// Returns the fields that actually changed (an update that changes nothing
    /// writes nothing and logs nothing).
    @discardableResult
    public func update<R: Record>(_ type: R.Type, id: Int64, set changes: [String: Value],
                                  expectedVersion: Int64? = nil) throws -> [FieldChange] {
        var plain: [String: Value] = [:]
        var custom: [String: Value] = [:]
        for (field, value) in changes {
            if field.hasPrefix("custom.") {
                guard R.columns.contains("custom") else { throw StoreError.sqlite(detail: "\(R.table) has no custom columns") }
                custom[String(field.dropFirst("custom.".count))] = value
            } else {
                plain[try checked(R.self, field)] = value
            }
        }
        R.derive(&plain)
        let touched = plain.keys.sorted() + (custom.isEmpty ? [] : ["custom"])
        let (current, uuid) = try currentRow(R.self, id: id, columns: (["uuid", "version"] + touched).joined(separator: ", "),
                                             expectedVersion: expectedVersion)

        var changed: [FieldChange] = []
        var assignments: [String: Value] = [:]
        for column in plain.keys.sorted() where current[column] != plain[column]! {
            assignments[column] = plain[column]!
            if !R.derivedColumns.contains(column) {
                changed.append(FieldChange(field: column, old: current[column], new: plain[column]!))
            }
        }
        if !custom.isEmpty {
            var object = try CustomValues.decode(current.string("custom"))
            for key in custom.keys.sorted() {
                let old = object[key] ?? .null
                let new = custom[key]!
                if old == new { continue }
                object[key] = new.isNull ? nil : new
                changed.append(FieldChange(field: "custom.\(key)", old: old, new: new))
            }
            let encoded = CustomValues.encode(object)
            if encoded != current.string("custom") { assignments["custom"] = .text(encoded) }
        }
        guard !assignments.isEmpty else { return [] }

        let columns = assignments.keys.sorted()
        let sql = "UPDATE \(R.table) SET " + columns.map { "\($0) = ?" }.joined(separator: ", ")
            + ", updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?"
        try db.execute(sql: sql, arguments: arguments(columns.map { assignments[$0]! } + [.int(now), .optional(userID), .int(id)]))
        for change in changed {
            // A password hash never goes into the log (nor, through it, to sync).
            let secret = Writer.secretColumns.contains(change.field)
            try log(R.table, uuid: uuid, rowID: id, op: "update", field: change.field,
                    old: secret ? .text("***") : change.old, new: secret ? .text("***") : change.new)
        }
        if R.table == AccountRecord.table {
            try refreshSearch(accountIDs: [id])
        } else if R.table == ContactRecord.table {
            let now = try Int64.fetchOne(db, sql: "SELECT account_id FROM contact WHERE id = ?", arguments: [id])
            try refreshSearch(accountIDs: [current.int("account_id"), now].compactMap { $0 })
        }
        return changed
    }

    /// Deletes one row; the change log keeps the whole row as it was.
    public func delete<R: Record>(_ type: R.Type, id: Int64, expectedVersion: Int64? = nil) throws {
        let (current, uuid) = try currentRow(R.self, id: id, columns: "*", expectedVersion: expectedVersion)
        // With its creation and version, so that an undo puts it back as it was.
        let snapshot = JSONText.object(R.columns.filter { !R.derivedColumns.contains($0) && !Writer.secretColumns.contains($0) }
                                       .map { ($0, current[$0]) }
                                       + ["created_at", "created_by", "version"].map { ($0, current[$0]) })
        try db.execute(sql: "DELETE FROM \(R.table) WHERE id = ?", arguments: [id])
        try log(R.table, uuid: uuid, rowID: id, op: "delete", field: nil, old: .text(snapshot), new: .null)
        if R.table == AccountRecord.table {
            if id <= (try searchIndexedUpTo()) { try db.execute(sql: "DELETE FROM account_search WHERE rowid = ?", arguments: [id]) }
        } else if R.table == ContactRecord.table, let account = current.int("account_id") {
            try refreshSearch(accountIDs: [account])
        }
    }

    /// The row about to change, refused if it is gone or no longer at the version
    /// the caller read.
    private func currentRow<R: Record>(_ type: R.Type, id: Int64, columns: String,
                                       expectedVersion: Int64?) throws -> (Fields, RowUUID) {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM \(R.table) WHERE id = ?", arguments: [id]) else {
            throw StoreError.rowNotFound(entity: R.table, id: id)
        }
        let current = Reader.fields(row)
        let version = current.int("version") ?? 1
        if let expectedVersion, expectedVersion != version {
            throw StoreError.staleVersion(entity: R.table, id: id, expected: expectedVersion, found: version)
        }
        guard case .blob(let bytes) = current["uuid"], bytes.count == 16 else {
            throw StoreError.rowNotFound(entity: R.table, id: id)
        }
        return (current, RowUUID(bytes: bytes))
    }

    /// The clock reading and replica of the next change-log entry: the remote
    /// change's while one is applied, else a new local reading (no replica).
    private func stamp() -> (Value, Value) {
        if let syncStamp { return (.int(syncStamp.hlc.raw), .blob(syncStamp.origin.bytes)) }
        return (.int(hlc.now(wall: now).raw), .null)
    }

    /// Logs a row put back by an undo as an insert.
    func logRestore(_ entity: String, uuid: RowUUID, rowID: Int64) throws {
        try log(entity, uuid: uuid, rowID: rowID, op: "insert", field: nil, old: .null, new: .null)
    }

    func log(_ entity: String, uuid: RowUUID, rowID: Int64, op: String, field: String?, old: Value,
                     new: Value) throws {
        let sql = """
            INSERT INTO change_log (operation_id, at, user_id, entity, row_uuid, row_id, op, field, old_value, new_value, hlc, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        let (hlc, origin) = stamp()
        try execute(try prepared("change_log") { sql }, [
            .int(operationID), .int(now), .optional(userID), .text(entity), .blob(uuid.bytes), .int(rowID),
            .text(op), .optional(field), old, new, hlc, origin,
        ])
        if op == "insert" { try countAdded(entity, 1) }
    }
}

/// Rows of one table with their column values computed, ready for
/// `Writer.insertAll` (they can be prepared on another thread). The values sit
/// in flat arrays: one cell per column, and one buffer for all the text, so a
/// million rows cost a handful of allocations instead of tens of millions.
public struct PreparedRecords<R: Record>: Sendable {
    enum Cell: Sendable {
        case null
        case int(Int64)
        case real(Double)
        case text(start: Int32, count: Int32)
        case blob(start: Int32, count: Int32)
    }

    private(set) var cells: [Cell] = []
    /// UTF-8 text and blob bytes, each text followed by a NUL.
    private(set) var bytes: [UInt8] = [0]
    public private(set) var count = 0

    public init(_ records: [R]) {
        cells.reserveCapacity(records.count * R.columns.count)
        for record in records {
            let values = record.values
            precondition(values.count == R.columns.count, "\(R.table): values do not match columns")
            for value in values { cells.append(store(value)) }
        }
        count = records.count
    }

    func row(_ index: Int) -> ArraySlice<Cell> {
        cells[(index * R.columns.count)..<((index + 1) * R.columns.count)]
    }

    /// An integer cell (a reference), if the cell holds one.
    func value(row index: Int, column: Int) -> Int64? {
        if case .int(let i) = cells[index * R.columns.count + column] { return i }
        return nil
    }

    /// Sets one column of one row: a reference known only once the row it
    /// points to is written.
    public mutating func set(_ column: String, of index: Int, to value: Value) {
        guard let position = R.columns.firstIndex(of: column) else { preconditionFailure("\(R.table).\(column)") }
        cells[index * R.columns.count + position] = store(value)
    }

    private mutating func store(_ value: Value) -> Cell {
        switch value {
        case .null: return .null
        case .int(let i): return .int(i)
        case .real(let d): return .real(d)
        case .text(let s):
            let start = Int32(bytes.count)
            bytes.append(contentsOf: s.utf8)
            let cell = Cell.text(start: start, count: Int32(bytes.count) - start)
            bytes.append(0)
            return cell
        case .blob(let b):
            let start = Int32(bytes.count)
            bytes.append(contentsOf: b)
            return .blob(start: start, count: Int32(b.count))
        }
    }
}

/// The `custom` column: a JSON object of custom column values keyed by column key.
public enum CustomValues {
    public static func decode(_ text: String) throws -> [String: Value] {
        guard let data = text.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw StoreError.sqlite(detail: "custom values are not a JSON object")
        }
        var out: [String: Value] = [:]
        for (key, any) in object {
            switch any {
            case let s as String: out[key] = .text(s)
            case let n as NSNumber:
                let s = n.stringValue
                if s.contains(".") || s.contains("e") || s.contains("E") { out[key] = .real(n.doubleValue) } else { out[key] = .int(n.int64Value) }
            default: continue
            }
        }
        return out
    }

    public static func encode(_ values: [String: Value]) -> String {
        JSONText.object(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
