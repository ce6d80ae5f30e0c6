import Foundation
import GRDB

/// The columns of each entity that travel, and how they are read: the reading
/// side of sync (docs/sync.md).
enum SyncSchema {
    /// Every reference column of an entity (the bookkeeping `created_by` too) and the table it points to.
    static func references(_ entity: String) -> [String: String] {
        var map = Entities.references[entity] ?? [:]
        map["created_by"] = "user"
        map["updated_by"] = "user"
        return map
    }

    /// The columns an insert carries: the entity's own (neither derived nor
    /// secret — a password hash never leaves its file) and who made it when.
    static func columns(_ type: any Record.Type) -> [String] {
        type.columns.filter { !type.derivedColumns.contains($0) && !Writer.secretColumns.contains($0) } + ["created_at", "created_by"]
    }

    /// Tables whose rows nearly every row names and that are seldom deleted.
    static let cachedTables: Set<String> = ["user", "folder", "zone", "stage", "vat_rate", "note_type", "ledger_account", "web_form"]

    /// The reference columns that lead from an entity to its account, hop by hop
    /// (nil: not account data, no zone; empty: the account itself).
    static let accountPath: [String: [(column: String, table: String)]] = {
        var paths: [String: [(column: String, table: String)]] = ["account": []]
        var changed = true
        while changed {
            changed = false
            for type in Entities.all where paths[type.table] == nil {
                for (column, table) in (Entities.references[type.table] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    if let rest = paths[table], table != type.table {
                        paths[type.table] = [(column, table)] + rest
                        changed = true
                        break
                    }
                }
            }
        }
        return paths
    }()

    /// The column whose change moves a row to another account's zone: an
    /// account's zone, another row's first hop towards its account.
    static func moveColumn(_ entity: String) -> String? {
        entity == AccountRecord.table ? "zone_id" : accountPath[entity]?.first?.column
    }
}

extension Reader {
    public func syncState(_ name: String) throws -> Value {
        Reader.value(try DatabaseValue.fetchOne(db.cachedStatement(sql: "SELECT value FROM store_state WHERE name = ?"),
                                                arguments: [name]) ?? .null)
    }

    /// This replica's UUID, once it has synced.
    public func syncReplica() throws -> RowUUID? {
        try syncState(SyncKey.replica).text.flatMap(RowUUID.init)
    }

    public func syncStatus() throws -> SyncStatus {
        let pushed = try syncState(SyncKey.pushed).int ?? 0
        return SyncStatus(
            replica: try syncReplica(), url: try syncState(SyncKey.url).text, hub: try syncState(SyncKey.hub).text,
            lastSync: try syncState(SyncKey.last).int, error: try syncState(SyncKey.error).text,
            unpushed: (try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE id > ? AND origin IS NULL", arguments: [pushed]) ?? 0)
                + (try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_forward") ?? 0),
            openConflicts: try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL") ?? 0,
            pending: try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_pending") ?? 0)
    }

    /// The local changes after `after` (a change-log id), at most `limit`, as
    /// they go to the hub, with the hashes of the files they carry and the last
    /// change-log id read (past entries that carry nothing: a secret's change).
    public func outgoingChanges(after: Int64, limit: Int, replica: RowUUID) throws -> (changes: [SyncChange], blobs: Set<String>, last: Int64) {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, at, hlc, entity, row_uuid, row_id, op, field, old_value, new_value FROM change_log
             WHERE id > ? AND origin IS NULL ORDER BY id LIMIT ?
            """), arguments: [after, limit])
        referenceCache = [:]
        defer { referenceCache = [:] }
        var out: [SyncChange] = []
        var blobs: Set<String> = []
        var last = after
        var zones = ZoneCache()
        for row in rows {
            last = row["id"]
            let entity: String = row["entity"]
            guard let type = Entities.type(entity) else { continue }
            let uuid = RowUUID(bytes: [UInt8](row["row_uuid"] as Data))
            let hlc = HLC(raw: (row["hlc"] as Int64?) ?? ((row["at"] as Int64) << 16))
            var change = SyncChange(localID: last, hlc: hlc, origin: replica, entity: entity, row: uuid, op: .update)
            let rowID: Int64 = row["row_id"]
            switch row["op"] as String {
            case "insert":
                guard let values = try syncRow(type, uuid: uuid, after: last) else { continue }
                change.op = .insert
                change.value = SyncValue.object(values)
                if entity == FileBlobRecord.table, case .plain(.text(let hash))? = values.first(where: { $0.0 == "hash" })?.1 {
                    blobs.insert(hash)
                }
                change.zone = try zones.zone(entity, values: Dictionary(values, uniquingKeysWith: { a, _ in a }), in: self)
            case "update":
                let field: String = row["field"]
                if Writer.secretColumns.contains(field) { continue }
                let new = Reader.value(row["new_value"] as DatabaseValue)
                change.field = field
                change.value = try syncValue(entity, column: field, new, asOf: last).json
                change.zone = try zones.zone(entity, rowID: rowID, snapshot: nil, in: self)
                if field == SyncSchema.moveColumn(entity) {
                    out.append(change)
                    out += try moveCopies(change, type: type, rowID: rowID, old: Reader.value(row["old_value"] as DatabaseValue), zones: &zones)
                    continue
                }
            default:
                change.op = .delete
                let snapshot = (row["old_value"] as String?).flatMap { try? CustomValues.decode($0) }
                change.zone = try zones.zone(entity, rowID: rowID, snapshot: snapshot, in: self)
            }
            out.append(change)
        }
        return (out, blobs, last)
    }

    /// What a move into another zone sends besides the change itself
    /// (docs/sync.md): the change again under the zone the row leaves (a
    /// replica that cannot follow it removes its copy), and the row with
    /// everything that belongs to it, whole, under the zone it enters (a
    /// replica that gains the zone makes them): each row at its insert's clock,
    /// then each field written since at that write's clock.
    func moveCopies(_ move: SyncChange, type: any Record.Type, rowID: Int64, old: Value, zones: inout ZoneCache) throws -> [SyncChange] {
        let left: RowUUID?
        if type.table == AccountRecord.table {
            if case .reference(let zone) = try syncValue(type.table, column: "zone_id", old, asOf: move.localID) { left = zone } else { left = nil }
        } else if let parent = SyncSchema.accountPath[type.table]?.first, let oldID = old.int {
            left = try zones.zone(parent.table, rowID: oldID, snapshot: nil, in: self)
        } else {
            left = nil
        }
        guard left != move.zone else { return [] }
        var out: [SyncChange] = []
        var part = 0
        func next(_ change: SyncChange) {
            var change = change
            part += 1
            change.localID = move.localID
            change.part = part
            out.append(change)
        }
        var leaving = move
        leaving.zone = left
        next(leaving)
        for member in try syncSubtree(type.table, id: rowID) {
            guard let values = try syncRow(member.type, uuid: member.uuid, after: 0) else { continue }
            let uuid = Data(member.uuid.bytes)
            let made = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT max(ifnull(hlc, at << 16)) FROM change_log WHERE row_uuid = ? AND entity = ? AND op = 'insert'
                """), arguments: [uuid, member.type.table]) ?? 0
            next(SyncChange(localID: 0, hlc: HLC(raw: made), origin: move.origin, entity: member.type.table, row: member.uuid, op: .copy,
                            value: SyncValue.object(values), zone: move.zone))
            let current = Dictionary(values, uniquingKeysWith: { a, _ in a })
            let custom = current["custom"].flatMap { value -> [String: Value]? in
                if case .plain(.text(let text)) = value { return try? CustomValues.decode(text) }
                return nil
            } ?? [:]
            for written in try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT field, max(ifnull(hlc, at << 16)) AS clock FROM change_log WHERE row_uuid = ? AND entity = ? AND op = 'update'
                     GROUP BY field HAVING clock > ? ORDER BY clock
                    """), arguments: [uuid, member.type.table, made]) {
                let field: String = written["field"]
                let value: SyncValue
                if field.hasPrefix("custom.") {
                    value = .plain(custom[String(field.dropFirst(7))] ?? .null)
                } else if let known = current[field] {
                    value = known
                } else {
                    continue  // derived or secret: not sent
                }
                next(SyncChange(localID: 0, hlc: HLC(raw: written["clock"]), origin: move.origin, entity: member.type.table, row: member.uuid,
                                op: .copy, field: field, value: value.json, zone: move.zone))
            }
        }
        return out
    }

    /// A row and every row that belongs to it on the way to its account
    /// (an account's contacts, notes, their files…), parents first.
    func syncSubtree(_ table: String, id: Int64) throws -> [(type: any Record.Type, id: Int64, uuid: RowUUID)] {
        guard let root = Entities.type(table),
              let uuid = try Data.fetchOne(db.cachedStatement(sql: "SELECT uuid FROM \(table) WHERE id = ?"), arguments: [id]) else { return [] }
        var members: [(depth: Int, type: any Record.Type, sql: String)] = []
        for type in Entities.all where type.table != table {
            guard let path = SyncSchema.accountPath[type.table], let hop = path.firstIndex(where: { $0.table == table }) else { continue }
            var condition = "\(path[hop].column) = ?"
            for j in stride(from: hop - 1, through: 0, by: -1) {
                condition = "\(path[j].column) IN (SELECT id FROM \(path[j].table) WHERE \(condition))"
            }
            members.append((hop + 1, type, "SELECT id, uuid FROM \(type.table) WHERE \(condition) ORDER BY id"))
        }
        var out: [(type: any Record.Type, id: Int64, uuid: RowUUID)] = [(root, id, RowUUID(bytes: [UInt8](uuid)))]
        for member in members.sorted(by: { ($0.depth, $0.type.table) < ($1.depth, $1.type.table) }) {
            for row in try Row.fetchAll(db.cachedStatement(sql: member.sql), arguments: [id]) {
                out.append((member.type, row["id"], RowUUID(bytes: [UInt8](row["uuid"] as Data))))
            }
        }
        return out
    }

    /// Other replicas' changes to send again under their row's zone now
    /// (`sync_forward`), at most `limit`: each under this replica, keyed by
    /// the negative of its number here (never a change-log id).
    public func forwardedChanges(limit: Int, replica: RowUUID) throws -> [SyncChange] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT id, change FROM sync_forward ORDER BY id LIMIT ?"), arguments: [limit]).compactMap { row in
            guard var change = try SyncApplier.pendingChange(row["change"]) else { return nil }
            change.localID = -(row["id"] as Int64)
            change.part = 0
            change.origin = replica
            return change
        }
    }

    /// A row's values as an insert carries them: as the row is now, or — if it
    /// has been deleted since — as it was when deleted (nil: nothing left to send).
    func syncRow(_ type: any Record.Type, uuid: RowUUID, after logID: Int64) throws -> [(String, SyncValue)]? {
        let columns = SyncSchema.columns(type)
        var values: [String: Value]
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns.joined(separator: ", ")) FROM \(type.table) WHERE uuid = ?"),
                                      arguments: [Data(uuid.bytes)]) {
            let fields = Reader.fields(row)
            values = Dictionary(uniqueKeysWithValues: columns.map { ($0, fields[$0]) })
        } else if let snapshot = try String.fetchOne(db.cachedStatement(sql: """
                SELECT old_value FROM change_log WHERE row_uuid = ? AND entity = ? AND op = 'delete' AND id > ? ORDER BY id LIMIT 1
                """), arguments: [Data(uuid.bytes), type.table, logID]) {
            values = try CustomValues.decode(snapshot)
            // The snapshot writes blobs as hexadecimal text.
            for column in columns where type.table == FileBlobRecord.table && column == "data" { values[column] = nil }
        } else {
            return nil
        }
        var out: [(String, SyncValue)] = []
        for column in columns {
            // A file's bytes travel once, by their hash, not in the row.
            if type.table == FileBlobRecord.table && column == "data" { continue }
            out.append((column, try syncValue(type.table, column: column, values[column] ?? .null)))
        }
        return out
    }

    /// A column's value for the hub: a reference becomes the referenced row's
    /// UUID — with `asOf` (a change-log id), of the row that had that id then
    /// (a deleted row's id can be taken by a later row).
    func syncValue(_ entity: String, column: String, _ value: Value, asOf: Int64? = nil) throws -> SyncValue {
        guard let table = SyncSchema.references(entity)[column], let id = value.int else { return .plain(value) }
        // The shared lists (users, folders, zones…) are named by nearly every row: read once per batch.
        if asOf == nil, SyncSchema.cachedTables.contains(table) {
            if let known = referenceCache[table + ":" + String(id)] { return .reference(known) }
            if let bytes = try Data.fetchOne(db.cachedStatement(sql: "SELECT uuid FROM \(table) WHERE id = ?"), arguments: [id]) {
                let uuid = RowUUID(bytes: [UInt8](bytes))
                referenceCache[table + ":" + String(id)] = uuid
                return .reference(uuid)
            }
        }
        if let bytes = try Data.fetchOne(db.cachedStatement(sql: "SELECT uuid FROM \(table) WHERE id = ?"), arguments: [id]) {
            guard let asOf else { return .reference(RowUUID(bytes: [UInt8](bytes))) }
            let since = try Int64.fetchOne(db.cachedStatement(sql: "SELECT min(id) FROM change_log WHERE row_uuid = ? AND entity = ? AND row_id = ?"),
                                           arguments: [bytes, table, id])
            if since.map({ $0 <= asOf }) ?? true { return .reference(RowUUID(bytes: [UInt8](bytes))) }
            if let then = try Data.fetchOne(db.cachedStatement(sql: """
                    SELECT row_uuid FROM change_log WHERE entity = ? AND row_id = ? AND id <= ? ORDER BY id DESC LIMIT 1
                    """), arguments: [table, id, asOf]) {
                return .reference(RowUUID(bytes: [UInt8](then)))
            }
        }
        // A row deleted since: its UUID is in the log.
        if let bytes = try Data.fetchOne(db.cachedStatement(sql: "SELECT row_uuid FROM change_log WHERE entity = ? AND row_id = ? ORDER BY id DESC LIMIT 1"),
                                         arguments: [table, id]) {
            return .reference(RowUUID(bytes: [UInt8](bytes)))
        }
        return .plain(.null)
    }

    /// The last change-log id.
    public func lastChangeID() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM change_log")) ?? 0
    }

    /// The bytes of a file, by its SHA-256.
    public func blobData(hash: String) throws -> [UInt8]? {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT data FROM file_blob WHERE hash = ?"), arguments: [hash]).map { [UInt8]($0) }
    }

    public func hasBlob(hash: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM file_blob WHERE hash = ?)"), arguments: [hash]) ?? false
    }

    /// The values that lost, newest first (`open`: only those no one has dealt with).
    public func syncConflicts(open: Bool = true, limit: Int = 1000) throws -> [SyncConflict] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM sync_conflict \(open ? "WHERE resolved_at IS NULL" : "") ORDER BY id DESC LIMIT ?
            """, arguments: [limit]).map { row in
            let entity: String = row["entity"]
            let uuid = RowUUID(bytes: [UInt8](row["row_uuid"] as Data))
            var label: String?
            if let type = Entities.type(entity), let column = ["name", "subject", "login", "text", "hash"].first(where: type.columns.contains) {
                label = try String.fetchOne(db, sql: "SELECT \(column) FROM \(entity) WHERE uuid = ?", arguments: [Data(uuid.bytes)])
            }
            return SyncConflict(id: row["id"], at: row["at"], entity: entity, row: uuid, field: row["field"], value: row["value"],
                                hlc: HLC(raw: row["hlc"]), origin: (row["origin"] as Data?).map { RowUUID(bytes: [UInt8]($0)) },
                                reason: row["reason"], resolvedAt: row["resolved_at"], rowLabel: label)
        }
    }
}

/// The zone of the account each row belongs to, remembered through one batch.
struct ZoneCache {
    private var accounts: [Int64: RowUUID?] = [:]

    /// From a row's own values (an insert: references already UUIDs).
    mutating func zone(_ entity: String, values: [String: SyncValue], in r: Reader) throws -> RowUUID? {
        guard let path = SyncSchema.accountPath[entity] else { return nil }
        if entity == AccountRecord.table {
            if case .reference(let zone)? = values["zone_id"] { return zone }
            return nil
        }
        guard case .reference(let next)? = values[path[0].column],
              let id = try Int64.fetchOne(r.db.cachedStatement(sql: "SELECT id FROM \(path[0].table) WHERE uuid = ?"), arguments: [Data(next.bytes)])
        else { return nil }
        return try zone(path[0].table, rowID: id, snapshot: nil, in: r)
    }

    /// The local id of the account a row belongs to, hop by hop from the row
    /// (or, deleted, from its last values); nil: not account data, or none.
    static func account(_ entity: String, rowID: Int64, snapshot: [String: Value]?, in r: Reader) throws -> Int64? {
        guard let path = SyncSchema.accountPath[entity] else { return nil }
        var id: Int64? = rowID
        var table = entity
        var first = true
        for (column, next) in path {
            if first, let snapshot {
                id = snapshot[column]?.int
            } else if let current = id {
                id = try Int64.fetchOne(r.db.cachedStatement(sql: "SELECT \(column) FROM \(table) WHERE id = ?"), arguments: [current])
            }
            first = false
            table = next
            if id == nil { return nil }
        }
        return id
    }

    /// From a row by its local id (or, deleted, its last values).
    mutating func zone(_ entity: String, rowID: Int64, snapshot: [String: Value]?, in r: Reader) throws -> RowUUID? {
        guard let path = SyncSchema.accountPath[entity], let account = try Self.account(entity, rowID: rowID, snapshot: snapshot, in: r) else { return nil }
        if path.isEmpty, let snapshot {
            // A deleted account: its zone as it was.
            return try snapshot["zone_id"]?.int.flatMap { try uuid(zone: $0, in: r) }
        }
        if let known = accounts[account] { return known }
        let zone = try Int64.fetchOne(r.db.cachedStatement(sql: "SELECT zone_id FROM account WHERE id = ?"), arguments: [account])
            .flatMap { try uuid(zone: $0, in: r) }
        accounts[account] = zone
        return zone
    }

    private func uuid(zone: Int64, in r: Reader) throws -> RowUUID? {
        try Data.fetchOne(r.db.cachedStatement(sql: "SELECT uuid FROM zone WHERE id = ?"), arguments: [zone]).map { RowUUID(bytes: [UInt8]($0)) }
    }
}
