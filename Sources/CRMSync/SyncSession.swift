import CRMCore
import CRMStore
import CRMText
import Foundation

/// The phase a round is in, for the hook tests use to cut a connection.
public enum SyncPhase: Sendable { case push, pull }

/// What one round did.
public struct SyncRoundReport: Sendable, Equatable {
    public var pushed = 0
    public var pulled = 0
    public var blobsSent = 0
    public var blobsFetched = 0
    /// Values given up to a unique rule that came back, their place free again.
    public var restored = 0
    public var applied = SyncApplyReport()

    public init() {}
}

/// One replica's sync with the PostgreSQL hub (docs/sync.md): push what this
/// file changed, pull what the others changed, in batches, each batch whole or
/// not at all on either side, so that a round cut anywhere resumes with
/// nothing lost and nothing applied twice.
public final class SyncSession {
    public let crm: CRM
    let actor: Actor?
    public let url: String
    let password: String?
    /// Changes per batch, each way.
    public var batchSize = 5000
    /// Called after every batch (tests cut the connection here).
    public var afterBatch: ((SyncPhase, PostgresConnection) throws -> Void)?
    /// Seconds to wait for the server when connecting.
    public var timeout = 10

    public static let channel = "crm_hub_changes"

    /// `password`: from `--password-file`; nil leaves it to libpq (PGPASSWORD, ~/.pgpass).
    public init(crm: CRM, actor: Actor?, url: String, password: String?) throws {
        guard !PostgresConnection.hasPassword(url) else {
            throw CoreError.refused(Localized(
                ro: "adresa hub-ului conține o parolă; dați-o în PGPASSWORD, în ~/.pgpass sau cu --password-file, nu în linia de comandă",
                en: "the hub's address holds a password; give it in PGPASSWORD, in ~/.pgpass or with --password-file, not on the command line"))
        }
        self.crm = crm; self.actor = actor; self.url = url; self.password = password
    }

    public func connect() throws -> PostgresConnection {
        do {
            return try PostgresConnection(url: url, password: password, timeout: timeout)
        } catch let error as PostgresError {
            throw Self.refused(error, doing: ("conectarea la", "connecting to"), url: url)
        }
    }

    static func refused(_ error: PostgresError, doing: (ro: String, en: String), url: String) -> CoreError {
        let where_ = PostgresConnection.redacted(url)
        return CoreError.refused(Localized(ro: "\(doing.ro) hub-ul PostgreSQL \(where_): \(error.message)",
                                           en: "\(doing.en) the PostgreSQL hub \(where_): \(error.message)"))
    }

    // MARK: - The hub

    /// Makes the hub's schema (again: nothing changes when it is there), and
    /// records the schema version of the replicas it serves. Administrators only.
    @discardableResult
    public func initHub() throws -> String {
        if let actor { try crm.policy.authorize(actor, .admin, .administration) }
        let conn = try connect()
        return try hubCall(("pregătirea", "setting up")) {
            try conn.execute("BEGIN")
            for statement in HubSchema.statements { try conn.execute(statement) }
            try conn.execute("INSERT INTO crm_hub.meta (key, value) VALUES ('hub_id', gen_random_uuid()::text), ('schema_version', $1), ('created_at', now()::text) ON CONFLICT (key) DO NOTHING",
                             [String(Store.schemaVersion)])
            try conn.execute("INSERT INTO crm_hub.hub_user (crm_user, all_zones) VALUES (current_user, true) ON CONFLICT (crm_user) DO UPDATE SET all_zones = true")
            try conn.execute("COMMIT")
            let meta = try self.meta(conn)
            try checkVersion(meta)
            return meta["hub_id"] ?? ""
        }
    }

    /// Lets a CRM user sync: a PostgreSQL role named as their login, with this
    /// password, that pulls only the changes of their zones' accounts (all of
    /// them for an administrator or a user without zones).
    public func addUser(login: String, password newPassword: String) throws {
        if let actor { try crm.policy.authorize(actor, .admin, .administration) }
        guard let user = try crm.users().first(where: { $0.login.lowercased() == login.lowercased() }) else {
            throw CoreError.notFound(what: Localized(ro: "utilizatorul", en: "the user"), ref: login)
        }
        guard newPassword.count >= 8 else {
            throw CoreError.refused(Localized(ro: "parola rolului PostgreSQL are mai puțin de 8 caractere",
                                              en: "the PostgreSQL role's password is shorter than 8 characters"))
        }
        let zones = try crm.store.read { r in
            try r.fetchAll(UserZoneRecord.self, matching: ["user_id": .int(user.meta!.id)]).compactMap { link in
                try r.fetchAll(ZoneRecord.self, ids: [link.zoneID])[link.zoneID]?.meta?.uuid.description
            }
        }
        let role = user.login.lowercased()
        let conn = try connect()
        try hubCall(("adăugarea utilizatorului la", "adding the user to")) {
            try checkVersion(try meta(conn))
            let quoted = try conn.execute("SELECT quote_ident($1), quote_literal($2), EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
                                          [role, newPassword])[0]
            let (ident, literal) = (quoted[0] ?? "", quoted[1] ?? "")
            try conn.execute("BEGIN")
            try conn.execute(quoted[2] == "t" ? "ALTER ROLE \(ident) LOGIN PASSWORD \(literal)" : "CREATE ROLE \(ident) LOGIN PASSWORD \(literal)")
            for grant in HubSchema.grants { try conn.execute(grant.replacingOccurrences(of: "ROLE", with: ident)) }
            try conn.execute("INSERT INTO crm_hub.hub_user (crm_user, all_zones) VALUES ($1, $2) ON CONFLICT (crm_user) DO UPDATE SET all_zones = excluded.all_zones",
                             [role, user.isAdmin || zones.isEmpty ? "true" : "false"])
            try conn.execute("DELETE FROM crm_hub.user_zone WHERE crm_user = $1", [role])
            for zone in zones { try conn.execute("INSERT INTO crm_hub.user_zone (crm_user, zone) VALUES ($1, $2::uuid)", [role, zone]) }
            try conn.execute("COMMIT")
        }
    }

    private func meta(_ conn: PostgresConnection) throws -> [String: String] {
        do {
            var out: [String: String] = [:]
            for row in try conn.execute("SELECT key, value FROM crm_hub.meta") { out[row[0] ?? ""] = row[1] ?? "" }
            return out
        } catch let error as PostgresError where error.sqlState == "42P01" || error.sqlState == "3F000" {
            throw CoreError.refused(Localized(
                ro: "baza PostgreSQL nu este încă un hub crm; un administrator îl pregătește cu `crm sync init-hub --postgres …`",
                en: "the PostgreSQL database is not a crm hub yet; an administrator sets it up with `crm sync init-hub --postgres …`"))
        }
    }

    private func checkVersion(_ meta: [String: String]) throws {
        let theirs = Int(meta["schema_version"] ?? "") ?? 0
        guard theirs == Store.schemaVersion else {
            let (older, newer) = theirs < Store.schemaVersion ? ("celelalte", "acest") : ("acest", "celelalte")
            let (olderEn, newerEn) = theirs < Store.schemaVersion ? ("the others", "this one") : ("this one", "the others")
            throw CoreError.refused(Localized(
                ro: "hub-ul ține replici cu schema v\(theirs), iar acest crm scrie schema v\(Store.schemaVersion): nu se sincronizează; actualizați crm pe \(older) calculatoare la versiunea de pe \(newer) (\(newer == "acest" ? "acesta" : "celelalte")), apoi rulați crm sync",
                en: "the hub holds replicas of schema v\(theirs) and this crm writes schema v\(Store.schemaVersion): not syncing; upgrade crm on \(olderEn) to the version of \(newerEn), then run crm sync"))
        }
    }

    private func hubCall<T>(_ doing: (ro: String, en: String), _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw Self.refused(error, doing: doing, url: url)
        }
    }

    // MARK: - A round

    /// Pushes, then pulls, on `connection` (or a new one). The time and outcome
    /// are kept in the file for `crm sync status` and the terminal.
    @discardableResult
    public func round(on connection: PostgresConnection? = nil) throws -> SyncRoundReport {
        do {
            let conn = try connection ?? connect()
            var report = SyncRoundReport()
            try hubCall(("sincronizarea cu", "syncing with")) {
                let replica = try prepare(conn)
                // Values given up to a unique rule whose place is free again come back first, and go up with the rest.
                report.restored = try crm.store.write(userID: actor?.id, operation: "sync.restore") { w in try w.restoreFreedUniqueValues() }
                try push(conn, replica: replica, into: &report)
                try pull(conn, replica: replica, into: &report)
            }
            try crm.store.write(userID: actor?.id, operation: "sync.round") { w in
                try w.setSyncState(SyncKey.last, .int(w.now))
                try w.setSyncState(SyncKey.error, .null)
                try w.setSyncState(SyncKey.url, .text(PostgresConnection.redacted(url)))
            }
            return report
        } catch {
            let message = (error as? CoreError)?.message(.en) ?? String(describing: error)
            _ = try? crm.store.write(userID: actor?.id, operation: "sync.round") { w in try w.setSyncState(SyncKey.error, .text(message)) }
            throw error
        }
    }

    /// Checks the hub (set up, same schema, the hub this file synced with
    /// before) and registers this replica; returns its UUID.
    private func prepare(_ conn: PostgresConnection) throws -> RowUUID {
        let meta = try self.meta(conn)
        try checkVersion(meta)
        let hub = meta["hub_id"] ?? ""
        let (replica, known) = try crm.store.write(userID: actor?.id, operation: "sync.setup") { w in
            (try w.ensureSyncReplica(), try w.syncState(SyncKey.hub).text)
        }
        if let known, known != hub {
            throw CoreError.refused(Localized(
                ro: "acest fișier s-a sincronizat cu alt hub (\(known)); hub-ul de la \(PostgresConnection.redacted(url)) este \(hub): folosiți hub-ul lui sau o copie nouă",
                en: "this file synced with another hub (\(known)); the hub at \(PostgresConnection.redacted(url)) is \(hub): use its hub or a new copy"))
        }
        if known == nil {
            try crm.store.write(userID: actor?.id, operation: "sync.setup") { w in try w.setSyncState(SyncKey.hub, .text(hub)) }
        }
        try conn.execute("""
            INSERT INTO crm_hub.replica (id, crm_user, name, schema_version) VALUES ($1::uuid, current_user, $2, $3)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, schema_version = excluded.schema_version
            """, [replica.description, ProcessInfo.processInfo.hostName + ":" + crm.store.path, String(Store.schemaVersion)])
        return replica
    }

    private func push(_ conn: PostgresConnection, replica: RowUUID, into report: inout SyncRoundReport) throws {
        while true {
            let pushed = try crm.store.read { try $0.syncState(SyncKey.pushed).int ?? 0 }
            let batch = try crm.store.read { try $0.outgoingChanges(after: pushed, limit: batchSize, replica: replica) }
            guard batch.last > pushed else { break }
            // Files first, once each by their hash: a change never names a file the hub lacks.
            for hash in batch.blobs.sorted() {
                guard let data = try crm.store.read({ try $0.blobData(hash: hash) }) else { continue }
                let rows = try conn.execute("""
                    INSERT INTO crm_hub.blob (sha256, size, data) VALUES ($1, $2, decode($3, 'base64')) ON CONFLICT (sha256) DO NOTHING RETURNING 1
                    """, [hash, String(data.count), Data(data).base64EncodedString()])
                report.blobsSent += rows.count
            }
            try send(conn, batch.changes, replica: replica)
            // Only once the hub has the batch: cut before, it is sent again (and the hub keeps one copy).
            try crm.store.write(userID: actor?.id, operation: "sync.push") { w in try w.setSyncState(SyncKey.pushed, .int(batch.last)) }
            report.pushed += batch.changes.count
            try afterBatch?(.push, conn)
        }
        // Others' changes this replica sends again under the zone it moved their rows into.
        while true {
            let forwards = try crm.store.read { try $0.forwardedChanges(limit: batchSize, replica: replica) }
            guard !forwards.isEmpty else { return }
            try send(conn, forwards, replica: replica)
            try crm.store.write(userID: actor?.id, operation: "sync.push") { w in try w.forwarded(forwards) }
            report.pushed += forwards.count
        }
    }

    /// One batch into the hub, in one transaction: COPY into a temporary
    /// table, then into `crm_hub.change` in the batch's order (its `seq`), where
    /// a batch sent before adds nothing.
    private func send(_ conn: PostgresConnection, _ changes: [SyncChange], replica: RowUUID) throws {
        guard !changes.isEmpty else { return }
        var text = ""
        for (n, c) in changes.enumerated() {
            let fields: [String?] = [String(n), String(c.localID), String(c.part), String(c.hlc.raw), c.entity, c.row.description, c.op.rawValue,
                                     c.field, c.value, c.zone?.description]
            text += fields.map(PostgresConnection.copyField).joined(separator: "\t") + "\n"
        }
        try conn.execute("BEGIN")
        try conn.execute("""
            CREATE TEMP TABLE IF NOT EXISTS crm_push_batch (n int, local_id bigint, part int, hlc bigint, entity text, row_uuid uuid, op text,
                                                            field text, value text, zone uuid) ON COMMIT DELETE ROWS
            """)
        try conn.copy("COPY crm_push_batch FROM STDIN", data: text)
        try conn.execute("""
            INSERT INTO crm_hub.change (replica, local_id, part, hlc, entity, row_uuid, op, field, value, zone)
            SELECT $1::uuid, local_id, part, hlc, entity, row_uuid, op, field, value, zone FROM crm_push_batch ORDER BY n
            ON CONFLICT (replica, local_id, part) DO NOTHING
            """, [replica.description])
        try conn.execute("UPDATE crm_hub.replica SET last_push = now() WHERE id = $1::uuid", [replica.description])
        try conn.execute("NOTIFY \(Self.channel)")
        try conn.execute("COMMIT")
    }

    /// The zones this connection's role sees, as the hub's row-level security
    /// decides (nil: all of them — the hub's owner, or a user of every zone).
    private func visibleZones(_ conn: PostgresConnection) throws -> Set<RowUUID>? {
        let row = try conn.execute("""
            SELECT (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
                OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'crm_hub.change'::regclass), 'MEMBER')
                OR coalesce((SELECT all_zones FROM crm_hub.hub_user WHERE crm_user = current_user), false),
                   (SELECT string_agg(zone::text, ',') FROM crm_hub.user_zone WHERE crm_user = current_user)
            """)[0]
        if row[0] == "t" { return nil }
        return Set((row[1] ?? "").split(separator: ",").compactMap { RowUUID(String($0)) })
    }

    /// What a pull reads of the hub's changes, in the order `pull` reads the columns.
    private static let pulled = "SELECT txid::text, seq, replica, local_id, hlc, entity, row_uuid, op, field, value, zone, part FROM crm_hub.change"

    private func pull(_ conn: PostgresConnection, replica: RowUUID, into report: inout SyncRoundReport) throws {
        let zones = try visibleZones(conn)
        while true {
            let position = try crm.store.read { try $0.syncState(SyncKey.pulled).text } ?? "0:0"
            let parts = position.split(separator: ":").map(String.init)
            var rows = try conn.execute("""
                \(Self.pulled)
                 WHERE (txid, seq) > ($1::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot()) AND replica <> $3::uuid
                 ORDER BY txid, seq LIMIT $4
                """, [parts.first ?? "0", parts.count > 1 ? parts[1] : "0", replica.description, String(batchSize)])
            guard var last = rows.last else { return }
            if rows.count == batchSize, case let more = try conn.execute("""
                    \(Self.pulled)
                     WHERE txid = $1::xid8 AND seq > $2::bigint AND replica = $3::uuid AND local_id = $4::bigint ORDER BY seq
                    """, [last[0] ?? "0", last[1] ?? "0", last[2] ?? "", last[3] ?? "0"]), let end = more.last {
                // A change and what its move sent with it (parts 1, 2…) come in one batch.
                rows += more
                last = end
            }
            var changes: [SyncChange] = []
            changes.reserveCapacity(rows.count)
            var hashes: Set<String> = []
            for row in rows {
                guard let origin = row[2].flatMap(RowUUID.init), let localID = row[3].flatMap(Int64.init), let hlc = row[4].flatMap(Int64.init),
                      let entity = row[5], let uuid = row[6].flatMap(RowUUID.init), let op = row[7].flatMap(SyncOp.init) else {
                    throw CoreError.refused(Localized(ro: "hub-ul are o schimbare nelizibilă (seq \(row[1] ?? "?"))",
                                                      en: "the hub holds an unreadable change (seq \(row[1] ?? "?"))"))
                }
                let change = SyncChange(localID: localID, part: row[11].flatMap(Int.init) ?? 0, hlc: HLC(raw: hlc), origin: origin, entity: entity,
                                        row: uuid, op: op, field: row[8], value: row[9], zone: row[10].flatMap(RowUUID.init))
                if entity == "file_blob", op == .insert, let hash = Self.hash(in: change.value) { hashes.insert(hash) }
                changes.append(change)
            }
            var blobs: [String: [UInt8]] = [:]
            let missing = try crm.store.read { r in try hashes.filter { try !r.hasBlob(hash: $0) } }
            if !missing.isEmpty {
                for row in try conn.execute("SELECT sha256, encode(data, 'base64') FROM crm_hub.blob WHERE sha256 = ANY($1::text[])",
                                            ["{" + missing.sorted().joined(separator: ",") + "}"]) {
                    if let hash = row[0], let data = row[1].flatMap({ Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }) {
                        blobs[hash] = [UInt8](data)
                    }
                }
                report.blobsFetched += blobs.count
            }
            for hash in hashes where blobs[hash] == nil {
                if let local = try crm.store.read({ try $0.blobData(hash: hash) }) { blobs[hash] = local }
            }
            let applied = try crm.store.write(userID: actor?.id, operation: "sync.apply") { w in
                let applied = try w.applySync(changes, blobs: blobs, zones: zones)
                try w.setSyncState(SyncKey.pulled, .text("\(last[0] ?? "0"):\(last[1] ?? "0")"))
                try w.setSyncState(SyncKey.pullMark, .int(try w.lastChangeID()))
                return applied
            }
            report.pulled += changes.count
            report.applied.applied += applied.applied
            report.applied.older += applied.older
            report.applied.conflicts += applied.conflicts
            report.applied.pending += applied.pending
            report.applied.removed += applied.removed
            try conn.execute("UPDATE crm_hub.replica SET last_pull = now() WHERE id = $1::uuid", [replica.description])
            try afterBatch?(.pull, conn)
        }
    }

    static func hash(in value: String?) -> String? {
        guard let value, let range = value.range(of: "\"hash\":\"") else { return nil }
        let rest = value[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    // MARK: - Watching

    /// Syncs until `stop` says so: a round, then waits for another replica's
    /// push (LISTEN) or a local change, at most `idle` seconds; after a failure
    /// it waits 1, 2, 4… up to 60 seconds and connects again.
    public func watch(idle: Double = 60, stop: @escaping () -> Bool, report: (Result<SyncRoundReport, Error>) -> Void) {
        var conn: PostgresConnection?
        var backoff = 1.0
        while !stop() {
            do {
                if conn == nil {
                    let fresh = try connect()
                    _ = try hubCall(("ascultarea", "listening to")) { try fresh.execute("LISTEN \(Self.channel)") }
                    conn = fresh
                }
                report(.success(try round(on: conn)))
                backoff = 1
                var waited = 0.0
                while !stop() && waited < idle {
                    let told = try hubCall(("ascultarea", "listening to")) { try conn!.waitForNotifications(seconds: 0.5) }
                    if !told.isEmpty { break }
                    if try crm.store.read({ try $0.syncStatus().unpushed }) > 0 { break }
                    waited += 0.5
                }
            } catch {
                report(.failure(error))
                conn = nil
                var slept = 0.0
                while !stop() && slept < backoff { Thread.sleep(forTimeInterval: 0.25); slept += 0.25 }
                backoff = min(60, backoff * 2)
            }
        }
    }
}

/// The hub's schema (docs/sync.md), each statement safe to run again.
enum HubSchema {
    static let statements = [
        "CREATE SCHEMA IF NOT EXISTS crm_hub",
        "CREATE TABLE IF NOT EXISTS crm_hub.meta (key text PRIMARY KEY, value text NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS crm_hub.replica (id uuid PRIMARY KEY, crm_user text NOT NULL DEFAULT current_user, name text,
            schema_version int, last_push timestamptz, last_pull timestamptz)
        """,
        """
        CREATE TABLE IF NOT EXISTS crm_hub.change (
            seq bigserial PRIMARY KEY,
            txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            replica uuid NOT NULL REFERENCES crm_hub.replica,
            local_id bigint NOT NULL,
            part int NOT NULL DEFAULT 0,
            hlc bigint NOT NULL,
            entity text NOT NULL,
            row_uuid uuid NOT NULL,
            op text NOT NULL,
            field text,
            value text,
            zone uuid)
        """,
        // Hubs made before a move sent its rows again (the part, the copy operation).
        "ALTER TABLE crm_hub.change ADD COLUMN IF NOT EXISTS part int NOT NULL DEFAULT 0",
        "ALTER TABLE crm_hub.change DROP CONSTRAINT IF EXISTS change_replica_local_id_key",
        "ALTER TABLE crm_hub.change DROP CONSTRAINT IF EXISTS change_op_check",
        "ALTER TABLE crm_hub.change ADD CONSTRAINT change_op_check CHECK (op IN ('insert', 'update', 'delete', 'copy'))",
        "CREATE UNIQUE INDEX IF NOT EXISTS change_once ON crm_hub.change (replica, local_id, part)",
        "CREATE INDEX IF NOT EXISTS change_position ON crm_hub.change (txid, seq)",
        "CREATE TABLE IF NOT EXISTS crm_hub.blob (sha256 text PRIMARY KEY, size bigint NOT NULL, data bytea NOT NULL)",
        "CREATE TABLE IF NOT EXISTS crm_hub.hub_user (crm_user text PRIMARY KEY, all_zones boolean NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS crm_hub.user_zone (crm_user text NOT NULL REFERENCES crm_hub.hub_user ON DELETE CASCADE, zone uuid NOT NULL,
            PRIMARY KEY (crm_user, zone))
        """,
        "ALTER TABLE crm_hub.change ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE crm_hub.replica ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS read_zones ON crm_hub.change",
        """
        CREATE POLICY read_zones ON crm_hub.change FOR SELECT USING (
            zone IS NULL OR EXISTS (SELECT 1 FROM crm_hub.hub_user u WHERE u.crm_user = current_user AND (u.all_zones
                OR EXISTS (SELECT 1 FROM crm_hub.user_zone z WHERE z.crm_user = u.crm_user AND z.zone = change.zone))))
        """,
        "DROP POLICY IF EXISTS push_own ON crm_hub.change",
        """
        CREATE POLICY push_own ON crm_hub.change FOR INSERT WITH CHECK (
            EXISTS (SELECT 1 FROM crm_hub.replica r WHERE r.id = change.replica AND r.crm_user = current_user))
        """,
        "DROP POLICY IF EXISTS own_replicas ON crm_hub.replica",
        "CREATE POLICY own_replicas ON crm_hub.replica USING (crm_user = current_user) WITH CHECK (crm_user = current_user)",
    ]

    /// What a user's role may do (ROLE: the role's quoted name).
    static let grants = [
        "GRANT USAGE ON SCHEMA crm_hub TO ROLE",
        "GRANT SELECT ON crm_hub.meta, crm_hub.hub_user, crm_hub.user_zone TO ROLE",
        "GRANT SELECT, INSERT ON crm_hub.change, crm_hub.blob TO ROLE",
        "GRANT USAGE ON SEQUENCE crm_hub.change_seq_seq TO ROLE",
        "GRANT SELECT, INSERT, UPDATE ON crm_hub.replica TO ROLE",
    ]
}
