import Foundation
import CRMText
import GRDB

/// One CRM database file. Opening it checks what the file is before anything is
/// written to it, applies pending migrations, and sets the connection up for many
/// sessions at once: WAL journal, foreign keys, a busy timeout, synchronous=NORMAL,
/// and short `BEGIN IMMEDIATE` write transactions.
public final class Store: Sendable {
    public enum OpenMode: Sendable {
        /// The file must exist and be a CRM database.
        case existing
        /// A missing or empty file becomes a new CRM database.
        case createIfMissing
    }

    public let path: String
    let writer: any DatabaseWriter
    let clock: @Sendable () -> Int64

    /// Milliseconds since the Unix epoch, UTC.
    public static let systemClock: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// Page size of new files: 8 KiB pages make bulk loads and range reads cheaper
    /// than the 4 KiB default, at a small cost per single-row write.
    static let pageSize = 8192

    /// The schema version this program writes.
    public static var schemaVersion: Int { Schema.currentVersion }

    /// A store made by `createForBulkLoad`.
    let bulk: Bool

    init(path: String, writer: any DatabaseWriter, clock: @escaping @Sendable () -> Int64, bulk: Bool = false) {
        self.path = path
        self.writer = writer
        self.clock = clock
        self.bulk = bulk
    }

    /// How much of the file reads may map into memory.
    static let mmapSize = 1 << 30

    /// `crm_fold(text)`: the text without diacritics and case, for searching.
    static let foldFunction = DatabaseFunction("crm_fold", argumentCount: 1, pure: true) { values in
        String.fromDatabaseValue(values[0]).map(Fold.key)
    }

    public static func open(path: String, mode: OpenMode = .existing,
                            clock: @escaping @Sendable () -> Int64 = Store.systemClock) throws -> Store {
        try checkFile(path: path, mode: mode)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Takes effect only on a new, empty file (before WAL is switched on).
            try db.execute(sql: "PRAGMA page_size = \(Store.pageSize)")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Reads map the file instead of copying every page (a big export reads it all).
            try db.execute(sql: "PRAGMA mmap_size = \(Store.mmapSize)")
            db.add(function: Store.foldFunction)
        }
        // A queue, not GRDB's pool: the pool writes a transaction into a missing WAL
        // on every open, which would touch a damaged file before its damage shows.
        // Sessions are processes; WAL lets them read while one writes.
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let mode = try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            if mode?.lowercased() != "wal" {
                try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
            }
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
        let store = Store(path: path, writer: queue, clock: clock)
        try store.migrate()
        return store
    }

    /// A new file filled by one bulk load (the demo database): no journal and no
    /// fsync while loading, then switched to WAL like any other CRM file. Only for
    /// a file that does not exist yet: a crash during the load leaves no half-file
    /// that could be taken for a database, because the caller loads into a temporary
    /// path and renames it at the end.
    public static func createForBulkLoad(path: String,
                                         clock: @escaping @Sendable () -> Int64 = Store.systemClock) throws -> Store {
        guard try FileProbe.inspect(path: path) == .missing else {
            throw StoreError.cannotOpen(path: path, detail: "a bulk load needs a new file")
        }
        var config = Configuration()
        // Foreign keys are checked once, over the whole file, by `finishBulkLoad`.
        config.foreignKeysEnabled = false
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = \(Store.pageSize); PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
        let store = Store(path: path, writer: queue, clock: clock, bulk: true)
        try store.migrate()
        // A bulk load fills the search index afterwards (SearchIndex), not row by row.
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE store_state SET value = 0 WHERE name = ?", arguments: [SearchIndex.stateName])
        }
        return store
    }

    /// Runs a bulk load with the random-order indexes dropped, and builds them
    /// again at the end: sorting once is much cheaper than a million random index
    /// inserts. Outside a bulk-load store the body just runs.
    public func deferringIndexes<T>(_ body: () throws -> T) throws -> T {
        guard bulk else { return try body() }
        let indexes = try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
                .map { (name: $0[0] as String, sql: $0[1] as String) }
                .filter { Schema.bulkDeferredIndexes.contains($0.name) }
        }
        do {
            try writer.writeWithoutTransaction { db in
                for index in indexes { try db.execute(sql: "DROP INDEX \(index.name)") }
            }
            let result = try body()
            try writer.writeWithoutTransaction { db in
                // Sorting for the index builds may use a second thread.
                try db.execute(sql: "PRAGMA threads = 2")
                for index in indexes { try db.execute(sql: index.sql) }
            }
            return result
        } catch let error as DatabaseError {
            throw Store.translate(error, path: path)
        }
    }

    /// Ends a bulk load: WAL journal from now on, statistics for the planner.
    public func finishBulkLoad() throws {
        try writer.writeWithoutTransaction { db in
            if let broken = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                throw StoreError.constraint(detail: "FOREIGN KEY constraint failed: \(broken[0] as String? ?? "?") row \(broken[1] as Int64? ?? 0) → \(broken[2] as String? ?? "?")")
            }
            try db.execute(sql: "PRAGMA analysis_limit = 1000; ANALYZE")
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
    }

    public func close() throws {
        if let queue = writer as? DatabaseQueue { try queue.close() }
    }

    // MARK: - Reading and writing

    public func read<T>(_ body: (Reader) throws -> T) throws -> T {
        do {
            return try writer.read { db in try body(Reader(db: db)) }
        } catch let error as DatabaseError {
            throw Store.translate(error, path: path)
        }
    }

    /// Runs `body` in one short `BEGIN IMMEDIATE` transaction as one named operation
    /// of `userID`: every row it inserts, updates or deletes is recorded in the
    /// change log under that operation. Nothing is kept if `body` throws.
    public func write<T>(userID: Int64?, operation: String, _ body: (Writer) throws -> T) throws -> T {
        let now = clock()
        do {
            return try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    let w = try Writer(db: db, userID: userID, operation: operation, now: now)
                    result = try body(w)
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw Store.translate(error, path: path)
        }
    }

    // MARK: - Opening checks

    static func checkFile(path: String, mode: OpenMode) throws {
        switch try FileProbe.inspect(path: path) {
        case .missing:
            guard mode == .createIfMissing else { throw StoreError.notFound(path: path) }
        case .empty:
            guard mode == .createIfMissing else { throw StoreError.notCRMDatabase(path: path) }
        case .notSQLite:
            throw StoreError.notADatabase(path: path)
        case .sqlite(let appID, let version, _):
            if appID == Schema.applicationID && version > Schema.currentVersion {
                throw StoreError.newerSchema(path: path, found: version, known: Schema.currentVersion)
            }
            // The header may be stale while a WAL holds newer pages (another session
            // just created or migrated the file): ask SQLite, read-only.
            let (sqlAppID, sqlVersion, tables) = try readOnlyProbe(path: path)
            if sqlAppID != Schema.applicationID {
                if sqlAppID == 0 && tables == 0 && mode == .createIfMissing { return }
                throw StoreError.notCRMDatabase(path: path)
            }
            if sqlVersion > Schema.currentVersion {
                throw StoreError.newerSchema(path: path, found: sqlVersion, known: Schema.currentVersion)
            }
        }
    }

    private static func readOnlyProbe(path: String) throws -> (Int32, Int, Int) {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
    }

    func migrate() throws {
        do {
            // The header read before opening may be stale when a WAL holds newer pages:
            // check again through SQLite before writing anything.
            let (appID, version, tables) = try writer.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
            if appID != Schema.applicationID && !(appID == 0 && tables == 0) {
                throw StoreError.notCRMDatabase(path: path)
            }
            if version > Schema.currentVersion {
                throw StoreError.newerSchema(path: path, found: version, known: Schema.currentVersion)
            }
            if version == Schema.currentVersion { return }
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    // Another session may have migrated between the check and the lock.
                    let now = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                    for step in Schema.migrations where step.version > now {
                        try step.apply(db)
                    }
                    try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
                    try db.execute(sql: "PRAGMA user_version = \(Schema.currentVersion)")
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw Store.translate(error, path: path)
        }
    }

    /// The schema version recorded in the file.
    public func fileSchemaVersion() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    static func translate(_ error: DatabaseError, path: String) -> StoreError {
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notADatabase(path: path)
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: detail)
        case .SQLITE_CONSTRAINT: return .constraint(detail: detail)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_FULL:
            return .cannotOpen(path: path, detail: detail)
        default: return .sqlite(detail: detail)
        }
    }
}
