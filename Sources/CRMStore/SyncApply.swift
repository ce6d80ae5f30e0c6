import Foundation
import GRDB

/// What applying one batch of pulled changes did.
public struct SyncApplyReport: Sendable, Equatable {
    /// Changes written (rows inserted, fields set, rows deleted).
    public var applied = 0
    /// Changes older than what the row already has (kept as conflicts when their value differs).
    public var older = 0
    /// Values that lost and were kept in the conflicts view.
    public var conflicts = 0
    /// Changes waiting for a row they refer to.
    public var pending = 0
    /// Rows that left this file: moved into a zone its user does not see.
    public var removed = 0

    public init() {}
}

/// One write of a register (a field, or a row's liveness): its clock and replica
/// (nil: this one) and, for a local write, its change-log id.
struct RegisterWrite {
    var hlc: HLC
    var origin: RowUUID?
    var logID: Int64
    /// The row's insert (no other replica can have edited a row before it saw it).
    var insert = false
}

extension Writer {
    public func setSyncState(_ name: String, _ value: Value) throws {
        if value.isNull {
            try db.execute(sql: "DELETE FROM store_state WHERE name = ?", arguments: [name])
        } else {
            try db.execute(sql: "INSERT OR REPLACE INTO store_state (name, value) VALUES (?, ?)", arguments: [name, Reader.dbValue(value)])
        }
    }

    /// This replica's UUID, made the first time it syncs.
    public func ensureSyncReplica() throws -> RowUUID {
        if let replica = try syncReplica() { return replica }
        var rng = SystemRandomNumberGenerator()
        let replica = RowUUID.make(at: now, using: &rng)
        try setSyncState(SyncKey.replica, .text(replica.description))
        return replica
    }

    /// Applies pulled changes in order (docs/sync.md): per field, the later
    /// write wins (clock, then replica) and the loser is kept in
    /// `sync_conflict`; a delete wins over a concurrent edit; a change whose
    /// row or reference is not here yet waits in `sync_pending`; rows that meet
    /// under a unique rule become one (or the later gives up the field).
    /// `blobs`: the bytes of the files the batch's `file_blob` rows name;
    /// `zones`: the zones this replica's user sees (nil: all) — a row moved
    /// into another zone leaves the file with what belongs to it.
    public func applySync(_ changes: [SyncChange], blobs: [String: [UInt8]] = [:], zones: Set<RowUUID>? = nil) throws -> SyncApplyReport {
        let replica = try ensureSyncReplica()
        let pullMark = try syncState(SyncKey.pullMark).int ?? 0
        var applier = SyncApplier(w: self, replica: replica, pullMark: pullMark, blobs: blobs)
        applier.zones = zones
        applier.movedHere = Set(try Data.fetchAll(db.cachedStatement(sql: """
            SELECT DISTINCT row_uuid FROM change_log WHERE entity = 'account' AND op = 'update' AND field = 'zone_id' AND origin IS NULL
            """)).map { RowUUID(bytes: [UInt8]($0)) })
        try deferringSearchIndex {
            for change in changes {
                hlc.observe(change.hlc)
                try applier.apply(change)
            }
            // Once the batch is in: a move undone by a later one in it (its copies) moves nothing out.
            for (type, uuid) in applier.moved { try applier.leaveIfHidden(type, uuid: uuid) }
        }
        syncStamp = nil
        return applier.report
    }

    /// Puts a lost value back (a new local write, which then syncs like any
    /// other) and marks the conflict resolved; a lost row (`:row`) is inserted again.
    public func restoreSyncConflict(id: Int64) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sync_conflict WHERE id = ? AND resolved_at IS NULL", arguments: [id]) else {
            throw StoreError.rowNotFound(entity: "sync_conflict", id: id)
        }
        let entity: String = row["entity"]
        guard let type = Entities.type(entity) else { throw StoreError.sqlite(detail: "unknown entity \(entity)") }
        let uuid = RowUUID(bytes: [UInt8](row["row_uuid"] as Data))
        let field: String = row["field"]
        let text: String? = row["value"]
        let applier = SyncApplier(w: self, replica: try ensureSyncReplica(), pullMark: 0, blobs: [:])
        if field == SyncApplier.wholeRow {
            let values = try SyncValue.parse(object: text ?? "{}")
            guard let local = try applier.resolve(type.table, values) else {
                throw StoreError.constraint(detail: "the row «\(entity)» needs a row that is not here (deleted); restore that first")
            }
            _ = try applier.insertRow(type, uuid: uuid, values: local)
        } else {
            guard let id = try applier.localID(type.table, uuid) else {
                throw StoreError.constraint(detail: "the \(entity) row is deleted; restore it first")
            }
            let value = try SyncValue.parse(value: text ?? "null")
            guard let local = try applier.resolve(type.table, [field: value]) else {
                throw StoreError.constraint(detail: "the value refers to a row that is not here (deleted)")
            }
            try update(type, id: id, set: [field: local[field] ?? .null])
        }
        try db.execute(sql: "UPDATE sync_conflict SET resolved_at = ?, resolved_by = ? WHERE id = ?", arguments: [now, userID, id])
    }

    /// Forgets the forwarded changes the hub has now (`localID`s as `forwardedChanges` made them).
    public func forwarded(_ changes: [SyncChange]) throws {
        for change in changes where change.localID < 0 {
            try db.cachedStatement(sql: "DELETE FROM sync_forward WHERE id = ?").execute(arguments: [-change.localID])
        }
    }

    /// A value given up to a unique rule (an account code, the primary
    /// contact) whose place is free now — the row that held it let it go —
    /// comes back, in a write of this replica that then travels: the decision
    /// to give it up depended on what this file held when the value arrived,
    /// which differs from one replica to another; its return does not. Only
    /// if nothing was written to the field since. Returns how many came back.
    public func restoreFreedUniqueValues() throws -> Int {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, entity, row_uuid, field, value, hlc FROM sync_conflict
             WHERE resolved_at IS NULL AND reason = 'unique'
               AND ((entity = 'account' AND field = 'code') OR (entity = 'contact' AND field = 'is_primary'))
             ORDER BY hlc, id
            """)
        guard !rows.isEmpty else { return 0 }
        let applier = SyncApplier(w: self, replica: try ensureSyncReplica(), pullMark: 0, blobs: [:])
        var restored = 0
        for row in rows {
            let entity: String = row["entity"], field: String = row["field"]
            guard let type = Entities.type(entity) else { continue }
            let uuid = RowUUID(bytes: [UInt8](row["row_uuid"] as Data))
            guard let id = try applier.localID(entity, uuid), let clock = try applier.fieldClock(entity, uuid, field: field),
                  clock.hlc.raw == (row["hlc"] as Int64), case .plain(let value) = try SyncValue.parse(value: row["value"] ?? "null"),
                  !value.isNull else { continue }
            guard try applier.currentValue(entity, id: id, field: field) != value else { continue }
            do {
                try update(type, id: id, set: [field: value])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                continue  // still held
            }
            try db.execute(sql: "UPDATE sync_conflict SET resolved_at = ?, resolved_by = ? WHERE id = ?", arguments: [now, userID, row["id"] as Int64])
            restored += 1
        }
        return restored
    }

    /// Marks a conflict looked at, its value left where it lost.
    public func dismissSyncConflict(id: Int64) throws {
        try db.execute(sql: "UPDATE sync_conflict SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL",
                       arguments: [now, userID, id])
    }
}

/// The rules of applying pulled changes, over one write transaction.
struct SyncApplier {
    static let wholeRow = ":row"
    let w: Writer
    let replica: RowUUID
    /// The change-log id at the end of the previous pull.
    let pullMark: Int64
    let blobs: [String: [UInt8]]
    /// The zones this replica's user sees (nil: all).
    var zones: Set<RowUUID>?
    /// Rows a change in this batch moved (their zone or their parent): seen again at its end.
    var moved: [(any Record.Type, RowUUID)] = []
    /// The accounts this replica has moved to another zone (whose changes it may have to forward).
    var movedHere: Set<RowUUID> = []
    var report = SyncApplyReport()

    init(w: Writer, replica: RowUUID, pullMark: Int64, blobs: [String: [UInt8]]) {
        self.w = w; self.replica = replica; self.pullMark = pullMark; self.blobs = blobs
    }

    var db: Database { w.db }

    mutating func apply(_ c: SyncChange) throws {
        guard !movedHere.isEmpty, c.zone != nil, c.op != .copy else { return try applyChange(c) }
        // Where its row is: before a delete, after anything else.
        let before = c.op == .delete ? try placeHere(c) : nil
        try applyChange(c)
        try forwardIfMoved(c, c.op == .delete ? before : try placeHere(c))
    }

    /// The account a change's row belongs to here, and that account's zone
    /// (nil: not account data, or not here).
    private func placeHere(_ c: SyncChange) throws -> (account: RowUUID, zone: RowUUID?)? {
        guard let id = try localID(c.entity, try alias(c.entity, c.row)),
              let account = try ZoneCache.account(c.entity, rowID: id, snapshot: nil, in: w),
              let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT a.uuid, z.uuid AS zone FROM account a LEFT JOIN zone z ON z.id = a.zone_id WHERE a.id = ?"),
                                         arguments: [account]) else { return nil }
        return (RowUUID(bytes: [UInt8](row["uuid"] as Data)), (row["zone"] as Data?).map { RowUUID(bytes: [UInt8]($0)) })
    }

    /// A change made under a zone its row has left since this replica moved
    /// it there (a contact added, an edit, a delete, concurrently with the
    /// move): the replicas of the new zone would never see it. This replica
    /// sends it again under the zone the row is in — as a copy, which changes
    /// nothing where it is known already.
    private func forwardIfMoved(_ c: SyncChange, _ place: (account: RowUUID, zone: RowUUID?)?) throws {
        guard let place, place.zone != c.zone, movedHere.contains(place.account),
              let moved = try fieldClock(AccountRecord.table, place.account, field: "zone_id"), moved.origin ?? replica == replica, !moved.insert
        else { return }
        var again = c
        again.op = c.op == .delete ? .delete : .copy
        again.zone = place.zone
        try db.cachedStatement(sql: "INSERT INTO sync_forward (change) VALUES (?)").execute(arguments: [Self.encode(again)])
    }

    private mutating func applyChange(_ c: SyncChange) throws {
        guard let type = Entities.type(c.entity) else {
            throw StoreError.sqlite(detail: "the hub has a change of «\(c.entity)», which this version of crm does not know")
        }
        let uuid = try alias(c.entity, c.row)
        w.syncStamp = (c.hlc, c.origin)
        defer { w.syncStamp = nil }
        let id = try localID(type.table, uuid)
        switch c.op {
        case .insert:
            var values = try SyncValue.parse(object: c.value ?? "{}")
            if let id {
                values["created_at"] = nil; values["created_by"] = nil
                try applyFields(type, id: id, uuid: uuid, values, c)
                return
            }
            try insertArriving(type, uuid: uuid, values, c)
        case .copy:
            if let field = c.field {
                // A field's latest write sent again with a moved row: later wins, an older one is no conflict (it was met already).
                guard let id else {
                    if try liveness(c.entity, uuid)?.dead != true { try wait(c, for: uuid) }
                    return
                }
                try applyField(type, id: id, uuid: uuid, field: field, try SyncValue.parse(value: c.value ?? "null"), c, quiet: true)
                return
            }
            // A moved row: made here if this file lacks it; one that has it has had its every change.
            guard id == nil else {
                report.older += 1
                return
            }
            try insertArriving(type, uuid: uuid, try SyncValue.parse(object: c.value ?? "{}"), c)
        case .update:
            guard let field = c.field else { return }
            guard let id else {
                let dead = try liveness(c.entity, uuid)?.dead == true
                if dead {
                    // The delete wins, and the edit is kept; it also waits, in case an undo brings the row back.
                    try keep(c.entity, uuid, field: field, value: c.value, c.hlc, c.origin, winner: nil, reason: "deleted")
                }
                if !dead, SyncSchema.references(c.entity)[field] != nil, try retarget(type, c, row: uuid, field: field) { return }
                try wait(c, for: uuid)
                return
            }
            let value = try SyncValue.parse(value: c.value ?? "null")
            try applyField(type, id: id, uuid: uuid, field: field, value, c)
            if field == SyncSchema.moveColumn(type.table), zones != nil { moved.append((type, uuid)) }
        case .delete:
            let alive = try liveness(c.entity, uuid)
            if let alive, SyncChange.later((alive.write.hlc, alive.write.origin ?? replica), than: (c.hlc, c.origin)) {
                report.older += 1
                return
            }
            if let id {
                try deleteRow(type, id: id, uuid: uuid)
            } else {
                // Not here (yet, or deleted already): the delete is remembered, so that an older insert arriving late stays deleted.
                try w.log(c.entity, uuid: uuid, rowID: 0, op: "delete", field: nil, old: .null, new: .null)
            }
            report.applied += 1
        }
    }

    /// A row this file does not hold: made, unless it was deleted later than the insert.
    private mutating func insertArriving(_ type: any Record.Type, uuid: RowUUID, _ values: [String: SyncValue], _ c: SyncChange) throws {
        if let death = try liveness(c.entity, uuid), death.dead, !SyncChange.later((c.hlc, c.origin), than: (death.write.hlc, death.write.origin ?? replica)) {
            report.older += 1
            return
        }
        guard let local = try resolve(type.table, values, waiting: c) else { return }
        try insert(type, uuid: uuid, values: local, incoming: values, c)
    }

    /// After a move: a row now in a zone this replica's user does not see
    /// leaves the file, with everything that belongs to it — removed under the
    /// oldest clock there is, not deleted, so that it comes back whole if it
    /// moves back into a zone seen here.
    mutating func leaveIfHidden(_ type: any Record.Type, uuid: RowUUID) throws {
        guard let zones, let id = try localID(type.table, uuid) else { return }
        var cache = ZoneCache()
        guard let zone = try cache.zone(type.table, rowID: id, snapshot: nil, in: w), !zones.contains(zone) else { return }
        let stamp = w.syncStamp
        w.syncStamp = (HLC(raw: 0), replica)
        defer { w.syncStamp = stamp }
        for member in try w.syncSubtree(type.table, id: id).reversed() where try localID(member.type.table, member.uuid) == member.id {
            try deleteRow(member.type, id: member.id, uuid: member.uuid)
            report.removed += 1
        }
    }

    // MARK: - Fields

    /// A whole row's values onto a row here, field by field; should the row
    /// leave meanwhile (moved under a deleted row), the rest wait for it.
    private mutating func applyFields(_ type: any Record.Type, id: Int64, uuid: RowUUID, _ values: [String: SyncValue], _ c: SyncChange) throws {
        for (field, value) in values.sorted(by: { $0.key < $1.key }) {
            if try localID(type.table, uuid) == id {
                try applyField(type, id: id, uuid: uuid, field: field, value, c)
            } else {
                try wait(SyncChange(localID: c.localID, hlc: c.hlc, origin: c.origin, entity: c.entity, row: uuid, op: .update, field: field,
                                    value: value.json), for: uuid)
            }
        }
    }

    /// `quiet`: a write sent again (a moved row's field): no value is kept as a conflict.
    private mutating func applyField(_ type: any Record.Type, id: Int64, uuid: RowUUID, field: String, _ value: SyncValue,
                                     _ c: SyncChange, quiet: Bool = false) throws {
        if case .reference(let target) = value, let targetTable = SyncSchema.references(type.table)[field],
           field != "created_by" && field != "updated_by" {
            let parent = try alias(targetTable, target)
            if try localID(targetTable, parent) == nil, try liveness(targetTable, parent)?.dead == true {
                let local = try fieldClock(type.table, uuid, field: field)
                if local.map({ SyncChange.later((c.hlc, c.origin), than: ($0.hlc, $0.origin ?? replica)) }) ?? true {
                    // Moved under a row deleted meanwhile: it goes away with it, as it did where the delete came after.
                    try takeAway(type, id: id, uuid: uuid, waitingFor: parent, with: [field: value])
                    try wait(c, for: uuid)
                    return
                }
            }
        }
        guard let resolved = try resolve(type.table, [field: value], waiting: c) else { return }
        let new = resolved[field] ?? .null
        let current = try currentValue(type.table, id: id, field: field)
        let local = try fieldClock(type.table, uuid, field: field)
        if let local, !SyncChange.later((c.hlc, c.origin), than: (local.hlc, local.origin ?? replica)) {
            report.older += 1
            if current != new && !quiet { try keep(type.table, uuid, field: field, value: value.json, c.hlc, c.origin, winner: local.hlc, reason: "later") }
            return
        }
        guard current != new else {
            // The same value, written later: its clock is the field's now (an older write arriving next must lose).
            try w.log(type.table, uuid: uuid, rowID: id, op: "update", field: field, old: current, new: new)
            return
        }
        if let local, local.origin == nil, !local.insert, local.logID > pullMark, !quiet {
            // A local edit the other replica had not seen: it loses, and is kept.
            try keep(type.table, uuid, field: field, value: try w.syncValue(type.table, column: field, current).json, local.hlc, nil,
                     winner: c.hlc, reason: "later")
        }
        do {
            try w.update(type, id: id, set: [field: new])
            report.applied += 1
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            guard let clash = try clash(type, error, values: [field: new], excluding: id), let clear = clash.clear else {
                try keep(type.table, uuid, field: field, value: value.json, c.hlc, c.origin, winner: nil, reason: "unique")
                return
            }
            // The later of the two writes that made the rows meet gives the value up.
            let theirs = try clashClock(type.table, clash)
            if let theirs, SyncChange.later((c.hlc, c.origin), than: (theirs.hlc, theirs.origin ?? replica)) {
                if clear.field == field {
                    // The later write gives the value up: the field is left without it (as a new row would come), and it is kept.
                    try keep(type.table, uuid, field: field, value: value.json, c.hlc, c.origin, winner: theirs.hlc, reason: "unique")
                    if current != clear.value {
                        try w.update(type, id: id, set: [field: clear.value])
                    } else {
                        try w.log(type.table, uuid: uuid, rowID: id, op: "update", field: field, old: current, new: current)
                    }
                    return
                }
                try giveUp(type, Clash(id: id, uuid: uuid, columns: clash.columns, clear: clear), clear)
            } else {
                try giveUp(type, clash, clear)
            }
            try w.update(type, id: id, set: [field: new])
            report.applied += 1
        }
    }

    /// The value of one column (or custom key) of a row.
    func currentValue(_ table: String, id: Int64, field: String) throws -> Value {
        if field.hasPrefix("custom.") {
            let text = try String.fetchOne(db, sql: "SELECT custom FROM \(table) WHERE id = ?", arguments: [id]) ?? "{}"
            return try CustomValues.decode(text)[String(field.dropFirst(7))] ?? .null
        }
        return Reader.value(try DatabaseValue.fetchOne(db, sql: "SELECT \(field) FROM \(table) WHERE id = ?", arguments: [id]) ?? .null)
    }

    /// The last accepted write of a field: its latest update, else the row's insert.
    func fieldClock(_ entity: String, _ uuid: RowUUID, field: String) throws -> RegisterWrite? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, ifnull(hlc, at << 16) AS clock, origin, op FROM change_log
             WHERE row_uuid = ? AND entity = ? AND (op = 'insert' OR (op = 'update' AND field = ?))
             ORDER BY clock DESC, id DESC LIMIT 1
            """), arguments: [Data(uuid.bytes), entity, field]).map { row in
            var write = Self.write(row)
            write.insert = (row["op"] as String) == "insert"
            return write
        }
    }

    /// The last insert or delete of a row: whether it is deleted, and by which write.
    private func liveness(_ entity: String, _ uuid: RowUUID) throws -> (dead: Bool, write: RegisterWrite)? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, ifnull(hlc, at << 16) AS clock, origin, op FROM change_log
             WHERE row_uuid = ? AND entity = ? AND op IN ('insert', 'delete')
             ORDER BY clock DESC, id DESC LIMIT 1
            """), arguments: [Data(uuid.bytes), entity]).map { (($0["op"] as String) == "delete", Self.write($0)) }
    }

    /// When a row was first made: its earliest insert (a row that became
    /// another replica's earlier row carries that row's insert too).
    private func creation(_ entity: String, _ uuid: RowUUID) throws -> RegisterWrite? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, ifnull(hlc, at << 16) AS clock, origin FROM change_log
             WHERE row_uuid = ? AND entity = ? AND op = 'insert' ORDER BY clock, id LIMIT 1
            """), arguments: [Data(uuid.bytes), entity]).map(Self.write)
    }

    private static func write(_ row: Row) -> RegisterWrite {
        RegisterWrite(hlc: HLC(raw: row["clock"]), origin: (row["origin"] as Data?).map { RowUUID(bytes: [UInt8]($0)) }, logID: row["id"])
    }

    // MARK: - Rows

    func localID(_ table: String, _ uuid: RowUUID) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM \(table) WHERE uuid = ?"), arguments: [Data(uuid.bytes)])
    }

    private func alias(_ entity: String, _ uuid: RowUUID) throws -> RowUUID {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT target FROM sync_alias WHERE entity = ? AND uuid = ?"),
                          arguments: [entity, Data(uuid.bytes)]).map { RowUUID(bytes: [UInt8]($0)) } ?? uuid
    }

    /// Values with their references turned into local ids; nil when a
    /// referenced row is not here (the change waits, or — the row deleted — is kept as a conflict).
    func resolve(_ table: String, _ values: [String: SyncValue]) throws -> [String: Value]? {
        var out: [String: Value] = [:]
        let references = SyncSchema.references(table)
        for (column, value) in values {
            switch value {
            case .plain(let plain): out[column] = plain
            case .reference(let target):
                guard let targetTable = references[column] else { out[column] = .null; continue }
                guard let id = try localID(targetTable, try alias(targetTable, target)) else { return nil }
                out[column] = .int(id)
            }
        }
        return out
    }

    private mutating func resolve(_ table: String, _ values: [String: SyncValue], waiting c: SyncChange) throws -> [String: Value]? {
        if let out = try resolve(table, values) { return out }
        let references = SyncSchema.references(table)
        for (column, value) in values.sorted(by: { $0.key < $1.key }) {
            guard case .reference(let target) = value, let targetTable = references[column] else { continue }
            let uuid = try alias(targetTable, target)
            if try localID(targetTable, uuid) != nil { continue }
            // Who made or last changed a row is not worth holding it back: the reference is left empty.
            if column == "created_by" || column == "updated_by" { continue }
            // Not here yet, or deleted (an undo may bring it back): the change waits for it.
            try wait(c, for: uuid)
            return nil
        }
        // Only bookkeeping references are missing: the row comes without them.
        var out: [String: Value] = [:]
        for (column, value) in values {
            switch value {
            case .plain(let plain): out[column] = plain
            case .reference(let target):
                let targetTable = references[column] ?? ""
                out[column] = try localID(targetTable, try alias(targetTable, target)).map(Value.int) ?? .null
            }
        }
        return out
    }

    private mutating func insert(_ type: any Record.Type, uuid: RowUUID, values: [String: Value], incoming: [String: SyncValue],
                                 _ c: SyncChange) throws {
        var values = values
        if type.table == FileBlobRecord.table {
            let hash = values["hash"]?.text ?? ""
            guard let data = blobs[hash] else { throw StoreError.sqlite(detail: "the file \(hash) did not come with its row") }
            values["data"] = .blob(data)
        }
        for _ in 0..<4 {
            let inserted: Int64
            do {
                inserted = try insertRow(type, uuid: uuid, values: values)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                guard let clash = try clash(type, error, values: values, excluding: nil) else { throw error }
                let theirs = clash.clear == nil ? try creation(type.table, clash.uuid) : try clashClock(type.table, clash)
                let incomingLater = theirs.map { SyncChange.later((c.hlc, c.origin), than: ($0.hlc, $0.origin ?? replica)) } ?? true
                if let clear = clash.clear {
                    if incomingLater {
                        try keep(type.table, uuid, field: clear.field, value: incoming[clear.field]?.json, c.hlc, c.origin, winner: theirs?.hlc, reason: "unique")
                        values[clear.field] = clear.value
                    } else {
                        try giveUp(type, clash, clear)
                    }
                    continue
                }
                // The same thing made twice (a folder, a file, a setting): one row, under the earlier UUID.
                var fields = incoming
                fields["created_at"] = nil; fields["created_by"] = nil
                if incomingLater {
                    try db.execute(sql: "INSERT OR REPLACE INTO sync_alias (entity, uuid, target) VALUES (?, ?, ?)",
                                   arguments: [type.table, Data(uuid.bytes), Data(clash.uuid.bytes)])
                    try applyFields(type, id: clash.id, uuid: clash.uuid, fields, c)
                } else {
                    try rekey(type.table, id: clash.id, from: clash.uuid, to: uuid)
                    // The row was made when the earlier one was.
                    try db.execute(sql: "UPDATE \(type.table) SET created_at = ?, created_by = ? WHERE id = ?",
                                   arguments: [Reader.dbValue(values["created_at"] ?? .null), Reader.dbValue(values["created_by"] ?? .null), clash.id])
                    try applyFields(type, id: clash.id, uuid: uuid, fields, c)
                }
                try release(waitingFor: uuid)
                return
            }
            try reapplyLaterEdits(type, id: inserted, uuid: uuid, after: c.hlc)
            report.applied += 1
            try release(waitingFor: uuid)
            return
        }
        throw StoreError.constraint(detail: "a synced \(type.table) row meets other rows under several unique rules")
    }

    /// A row back (an undo elsewhere put it back) with the values it had there:
    /// the edits this file holds that are later than its return still win.
    private mutating func reapplyLaterEdits(_ type: any Record.Type, id: Int64, uuid: RowUUID, after clock: HLC) throws {
        let edits = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, field, new_value, ifnull(hlc, at << 16) AS clock, origin FROM change_log
             WHERE row_uuid = ? AND entity = ? AND op = 'update' AND ifnull(hlc, at << 16) > ? ORDER BY clock, id
            """), arguments: [Data(uuid.bytes), type.table, clock.raw])
        guard !edits.isEmpty else { return }
        let stamp = w.syncStamp
        defer { w.syncStamp = stamp }
        // The latest of each field's edits is its value.
        var latest: [String: Row] = [:]
        for edit in edits { latest[edit["field"]] = edit }
        for edit in latest.values.sorted(by: { ($0["id"] as Int64) < ($1["id"] as Int64) }) {
            let field: String = edit["field"]
            if Writer.secretColumns.contains(field) { continue }
            let clock = HLC(raw: edit["clock"])
            let origin = (edit["origin"] as Data?).map { RowUUID(bytes: [UInt8]($0)) } ?? replica
            w.syncStamp = (clock, origin)
            var value = Reader.value(edit["new_value"] as DatabaseValue)
            if let table = SyncSchema.references(type.table)[field], let old = value.int {
                // The log holds the local id the row had then; it may be gone (and the id taken) since: by its UUID.
                guard let then = try Data.fetchOne(db.cachedStatement(sql: """
                        SELECT row_uuid FROM change_log WHERE entity = ? AND row_id = ? AND id <= ? ORDER BY id DESC LIMIT 1
                        """), arguments: [table, old, edit["id"] as Int64]) else { continue }
                let parent = try alias(table, RowUUID(bytes: [UInt8](then)))
                guard let now = try localID(table, parent) else {
                    // Its later place is a row not here: it waits for it there, as elsewhere.
                    try takeAway(type, id: id, uuid: uuid, waitingFor: parent, with: [field: .reference(parent)])
                    return
                }
                value = .int(now)
            }
            do {
                try w.update(type, id: id, set: [field: value])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                // Another row holds the value now: it stays there, and this one is kept (a code is given up, as elsewhere).
                try keep(type.table, uuid, field: field, value: try w.syncValue(type.table, column: field, value).json, clock, origin,
                         winner: nil, reason: "unique")
                if let clear = try clash(type, error, values: [field: value], excluding: id)?.clear, clear.field == field {
                    try w.update(type, id: id, set: [field: clear.value])
                }
            }
        }
    }

    /// Inserts a row with its UUID, logged as an insert (under the current stamp).
    func insertRow(_ type: any Record.Type, uuid: RowUUID, values: [String: Value]) throws -> Int64 {
        var row: [String: Value] = [:]
        for column in type.columns where !type.derivedColumns.contains(column) { row[column] = values[column] ?? .null }
        type.derive(&row)
        let columns = ["uuid", "created_at", "created_by", "updated_at", "updated_by", "version"] + type.columns
        let sql = "INSERT INTO \(type.table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        let args: [Value] = [.blob(uuid.bytes), values["created_at"] ?? .int(w.now), values["created_by"] ?? .null, .int(w.now),
                             .optional(w.userID), .int(1)] + type.columns.map { row[$0] ?? .null }
        // Bound through the C API: GRDB binds arguments recursively, one stack frame each.
        try w.execute(try db.cachedStatement(sql: sql), args)
        let id = db.lastInsertedRowID
        try w.logRestore(type.table, uuid: uuid, rowID: id)
        if type.table == AccountRecord.table {
            try w.refreshSearch(accountIDs: [id])
        } else if type.table == ContactRecord.table, let account = row["account_id"]?.int {
            try w.refreshSearch(accountIDs: [account])
        }
        return id
    }

    /// A row deleted by a pulled delete. The rows that still refer to it here
    /// (made concurrently) cannot stay: they leave, and wait for it as any
    /// change does for a row not here — should an undo bring it back, they
    /// come back with it, as they do on the replicas that never had them.
    private mutating func deleteRow(_ type: any Record.Type, id: Int64, uuid: RowUUID) throws {
        for (table, column) in try Self.dependents(of: type.table, in: db) {
            guard let child = Entities.type(table) else { continue }
            let rows = try Row.fetchAll(db, sql: "SELECT id, uuid FROM \(table) WHERE \(column) = ?", arguments: [id])
            for row in rows {
                try takeAway(child, id: row["id"], uuid: RowUUID(bytes: [UInt8](row["uuid"] as Data)), waitingFor: uuid, with: [:])
            }
        }
        try w.delete(type, id: id)
    }

    /// A row leaves this file while the row it belongs to is deleted: its
    /// insert (as it is now, with `changes`) waits for that row, and it is
    /// removed under the oldest clock there is — not deleted, only away.
    private mutating func takeAway(_ type: any Record.Type, id: Int64, uuid: RowUUID, waitingFor parent: RowUUID,
                                   with changes: [String: SyncValue]) throws {
        if let row = try w.syncRow(type, uuid: uuid, after: 0), let made = try liveness(type.table, uuid)?.write {
            var values = Dictionary(row, uniquingKeysWith: { a, _ in a })
            for (field, value) in changes { values[field] = value }
            try wait(SyncChange(localID: 0, hlc: made.hlc, origin: made.origin ?? replica, entity: type.table, row: uuid, op: .insert,
                                value: SyncValue.object(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })), for: parent)
        }
        let stamp = w.syncStamp
        w.syncStamp = (HLC(raw: 0), replica)
        defer { w.syncStamp = stamp }
        try deleteRow(type, id: id, uuid: uuid)
    }

    /// The (table, column) pairs whose foreign key points to `table` without an
    /// ON DELETE action of its own.
    static func dependents(of table: String, in db: Database) throws -> [(String, String)] {
        var out: [(String, String)] = []
        for type in Entities.all {
            for row in try Row.fetchAll(db, sql: "SELECT \"table\" AS target, \"from\" AS column, on_delete FROM pragma_foreign_key_list(?)",
                                        arguments: [type.table]) where (row["target"] as String) == table {
                let column: String = row["column"]
                if (row["on_delete"] as String) == "NO ACTION" && column != "created_by" && column != "updated_by" {
                    out.append((type.table, column))
                }
            }
        }
        return out
    }

    // MARK: - Unique rules

    /// A local row a write met under a unique rule, and — for the rules where
    /// the later row gives up the value rather than becoming one with the
    /// earlier — the field and what it becomes.
    struct Clash {
        var id: Int64
        var uuid: RowUUID
        /// The columns of the unique rule.
        var columns: [String]
        var clear: (field: String, value: Value)?
    }

    /// When a local row came to hold what a unique rule met: the latest write of the rule's columns (and of the field it would give up).
    private func clashClock(_ table: String, _ clash: Clash) throws -> RegisterWrite? {
        let writes = try (clash.columns + [clash.clear?.field].compactMap { $0 }).compactMap { try fieldClock(table, clash.uuid, field: $0) }
        return writes.max { SyncChange.later(($1.hlc, $1.origin ?? replica), than: ($0.hlc, $0.origin ?? replica)) }
    }

    private func clash(_ type: any Record.Type, _ error: DatabaseError, values: [String: Value], excluding: Int64?) throws -> Clash? {
        let message = error.message ?? ""
        guard let range = message.range(of: "UNIQUE constraint failed: ") else { return nil }
        let detail = message[range.upperBound...]
        var conditions: [String] = []
        var args: [Value] = []
        var clear: (String, Value)?
        var columns = ["code"]
        if detail.hasPrefix("index 'product_code'") {
            conditions = ["lower(code) = lower(?)"]; args = [values["code"] ?? .null]
        } else if !detail.hasPrefix("index") {
            columns = detail.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .compactMap { $0.split(separator: ".").last.map(String.init) }
            guard !columns.isEmpty, columns.allSatisfy({ type.columns.contains($0) }) else { return nil }
            if type.table == AccountRecord.table && columns == ["code"] { clear = ("code", .null) }
            if type.table == ContactRecord.table && columns == ["account_id"] {
                clear = ("is_primary", .int(0)); conditions.append("is_primary = 1")
            }
            for column in columns {
                conditions.append("\(column) IS ?")
                if let value = values[column] {
                    args.append(value)
                } else {
                    args.append(try currentValue(type.table, id: excluding ?? 0, field: column))
                }
            }
        } else {
            return nil
        }
        if let excluding { conditions.append("id <> ?"); args.append(.int(excluding)) }
        guard let row = try Row.fetchOne(db, sql: "SELECT id, uuid FROM \(type.table) WHERE \(conditions.joined(separator: " AND ")) LIMIT 1",
                                         arguments: w.arguments(args)) else { return nil }
        return Clash(id: row["id"], uuid: RowUUID(bytes: [UInt8](row["uuid"] as Data)), columns: columns, clear: clear)
    }

    /// The local row is the later one: it gives the value up, in a write of this
    /// replica (pushed like any other), and its value is kept.
    private mutating func giveUp(_ type: any Record.Type, _ clash: Clash, _ clear: (field: String, value: Value)) throws {
        let current = try currentValue(type.table, id: clash.id, field: clear.field)
        let stamp = w.syncStamp
        w.syncStamp = nil
        defer { w.syncStamp = stamp }
        let clock = try fieldClock(type.table, clash.uuid, field: clear.field)
        try keep(type.table, clash.uuid, field: clear.field, value: try w.syncValue(type.table, column: clear.field, current).json,
                 clock?.hlc ?? HLC(raw: 0), clock?.origin, winner: stamp?.hlc, reason: "unique")
        try w.update(type, id: clash.id, set: [clear.field: clear.value])
    }

    /// A local row becomes the remote row it met (the remote one is earlier):
    /// it takes its UUID, and its history follows.
    private mutating func rekey(_ table: String, id: Int64, from old: RowUUID, to new: RowUUID) throws {
        let (oldData, newData) = (Data(old.bytes), Data(new.bytes))
        try db.execute(sql: "UPDATE \(table) SET uuid = ? WHERE id = ?", arguments: [newData, id])
        try db.execute(sql: "UPDATE change_log SET row_uuid = ? WHERE entity = ? AND row_uuid = ?", arguments: [newData, table, oldData])
        try db.execute(sql: "UPDATE sync_alias SET target = ? WHERE entity = ? AND target = ?", arguments: [newData, table, oldData])
        try db.execute(sql: "INSERT OR REPLACE INTO sync_alias (entity, uuid, target) VALUES (?, ?, ?)", arguments: [table, oldData, newData])
        // The row is now the earlier one: its making, under the incoming change's clock, is part of its history.
        try w.logRestore(table, uuid: new, rowID: id)
        if table == AccountRecord.table {
            // Dismissed duplicate pairs name accounts by UUID.
            for column in ["account_a", "account_b"] {
                try db.execute(sql: "UPDATE duplicate_dismissal SET \(column) = ? WHERE \(column) = ?", arguments: [new.description, old.description])
            }
        }
        try release(waitingFor: new)
    }

    // MARK: - Conflicts and waiting changes

    private mutating func keep(_ entity: String, _ uuid: RowUUID, field: String, value: String?, _ hlc: HLC, _ origin: RowUUID?,
                               winner: HLC?, reason: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO sync_conflict (at, entity, row_uuid, field, value, hlc, origin, winner_hlc, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [w.now, entity, Data(uuid.bytes), field, value, hlc.raw, origin.map { Data($0.bytes) }, winner?.raw, reason])
        report.conflicts += 1
    }

    private mutating func wait(_ c: SyncChange, for target: RowUUID) throws {
        try db.cachedStatement(sql: "INSERT INTO sync_pending (row_uuid, waits_for, change) VALUES (?, ?, ?)")
            .execute(arguments: [Data(c.row.bytes), Data(target.bytes), Self.encode(c)])
        report.pending += 1
    }

    /// A change as JSON, to be kept in the file (waiting, or to be sent again).
    static func encode(_ c: SyncChange) -> String {
        var pairs: [(String, SyncValue)] = [
            ("localID", .plain(.int(c.localID))), ("hlc", .plain(.int(c.hlc.raw))), ("origin", .plain(.text(c.origin.description))),
            ("entity", .plain(.text(c.entity))), ("row", .plain(.text(c.row.description))), ("op", .plain(.text(c.op.rawValue))),
            ("field", .plain(.optional(c.field))), ("value", .plain(.optional(c.value))),
        ]
        if let zone = c.zone { pairs.append(("zone", .plain(.text(zone.description)))) }
        return SyncValue.object(pairs)
    }

    /// A row waiting for the row it refers to (away with a deleted parent, say)
    /// is moved elsewhere by a later edit (a merge moved it to the surviving
    /// account): its waiting insert takes the new reference, and comes back
    /// if that row is here — with the edit's clock on the field, so that an
    /// older move arriving later loses. False: nothing was waiting to move.
    private mutating func retarget(_ type: any Record.Type, _ c: SyncChange, row uuid: RowUUID, field: String) throws -> Bool {
        let rows = try Row.fetchAll(db, sql: "SELECT id, change FROM sync_pending WHERE row_uuid IN (?, ?) ORDER BY id",
                                    arguments: [Data(uuid.bytes), Data(c.row.bytes)])
        // Only a move later than the last one this file knows of.
        if let known = try fieldClock(type.table, uuid, field: field), !SyncChange.later((c.hlc, c.origin), than: (known.hlc, known.origin ?? replica)) {
            return false
        }
        for row in rows {
            guard var insert = try Self.pendingChange(row["change"]), insert.op == .insert, c.hlc > insert.hlc else { continue }
            var values = try SyncValue.parse(object: insert.value ?? "{}")
            let value = try SyncValue.parse(value: c.value ?? "null")
            values[field] = value
            insert.value = SyncValue.object(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            try db.execute(sql: "DELETE FROM sync_pending WHERE id = ?", arguments: [row["id"] as Int64])
            let stamp = w.syncStamp
            defer { w.syncStamp = stamp }
            guard let local = try resolve(type.table, values) else {
                // Still not here: it waits for the new row instead.
                try apply(insert)
                try wait(c, for: uuid)
                return true
            }
            w.syncStamp = (insert.hlc, insert.origin)
            let id: Int64
            do {
                id = try insertRow(type, uuid: uuid, values: local)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                // It meets another row under a unique rule: the insert's own rules decide, then the edit applies.
                try apply(insert)
                try wait(c, for: uuid)
                try release(waitingFor: uuid)
                return true
            }
            // The edit's clock on the field first: it is the field's latest write, whatever else this file holds.
            w.syncStamp = (c.hlc, c.origin)
            let current = try currentValue(type.table, id: id, field: field)
            try w.log(type.table, uuid: uuid, rowID: id, op: "update", field: field, old: current, new: current)
            try reapplyLaterEdits(type, id: id, uuid: uuid, after: insert.hlc)
            report.applied += 1
            try release(waitingFor: uuid)
            return true
        }
        return false
    }

    static func pendingChange(_ text: String) throws -> SyncChange? {
        let object = try SyncValue.parse(object: text)
        func string(_ key: String) -> String? { if case .plain(.text(let s))? = object[key] { return s }; return nil }
        func int(_ key: String) -> Int64 { if case .plain(.int(let i))? = object[key] { return i }; return 0 }
        guard let origin = string("origin").flatMap(RowUUID.init), let row = string("row").flatMap(RowUUID.init),
              let op = string("op").flatMap(SyncOp.init) else { return nil }
        return SyncChange(localID: int("localID"), hlc: HLC(raw: int("hlc")), origin: origin, entity: string("entity") ?? "",
                          row: row, op: op, field: string("field"), value: string("value"), zone: string("zone").flatMap(RowUUID.init))
    }

    /// Applies the changes that waited for this row, in the order they came.
    private mutating func release(waitingFor uuid: RowUUID) throws {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, change FROM sync_pending WHERE waits_for = ? ORDER BY id"),
                                    arguments: [Data(uuid.bytes)])
        guard !rows.isEmpty else { return }
        try db.execute(sql: "DELETE FROM sync_pending WHERE waits_for = ?", arguments: [Data(uuid.bytes)])
        let stamp = w.syncStamp
        defer { w.syncStamp = stamp }
        for row in rows {
            guard let change = try Self.pendingChange(row["change"]) else { continue }
            try apply(change)
        }
    }
}
