import Foundation
import GRDB
import Testing
@testable import CRMStore

/// A temporary folder removed at the end of the test.
final class TempDir {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("crm-store-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

@Suite struct StoreFileTests {
    @Test func newFileGetsTheWholeSchemaAndTheSettings() throws {
        let tmp = try TempDir()
        let store = try Store.open(path: tmp.path("new.sqlite"), mode: .createIfMissing)
        #expect(try store.fileSchemaVersion() == Store.schemaVersion)
        let (journal, fk, sync, appID) = try store.read { r in
            (try String.fetchOne(r.db, sql: "PRAGMA journal_mode"), try Int.fetchOne(r.db, sql: "PRAGMA foreign_keys"),
             try Int.fetchOne(r.db, sql: "PRAGMA synchronous"), try Int32.fetchOne(r.db, sql: "PRAGMA application_id"))
        }
        #expect(journal == "wal")
        #expect(fk == 1)
        #expect(sync == 1)  // NORMAL
        #expect(appID == Schema.applicationID)
        let tables = try store.read { r in try String.fetchAll(r.db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        #expect(tables == ["account", "account_search", "account_search_config", "account_search_content", "account_search_data",
                           "account_search_idx", "added_count", "app_setting", "block_template", "campaign", "campaign_click", "campaign_recipient", "change_log", "contact", "custom_column", "doc_series", "duplicate_dismissal", "email", "email_file", "email_template", "expense",
                           "field_rule", "file_blob", "folder", "invoice", "invoice_line", "ip_rule", "ledger_account", "ledger_entry", "ledger_line", "mail_list", "mail_list_member",
                           "note", "note_file", "note_type", "offer", "offer_line", "offer_template", "operation", "payment", "product", "saved_filter",
                           "sign_in_failure", "sqlite_sequence", "stage", "store_state", "suppression", "sync_alias", "sync_conflict", "sync_forward", "sync_pending", "user", "user_ip_rule", "user_module", "user_right", "user_setting", "user_zone",
                           "vat_rate", "web_form", "web_submission", "work_item", "zone"])
    }

    @Test func emptyFileBecomesADatabaseOnlyWhenAskedTo() throws {
        let tmp = try TempDir()
        let path = tmp.path("empty.sqlite")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(throws: StoreError.notCRMDatabase(path: path)) { try Store.open(path: path) }
        #expect(bytes(path).isEmpty)
        let store = try Store.open(path: path, mode: .createIfMissing)
        #expect(try store.fileSchemaVersion() == Store.schemaVersion)
    }

    @Test func missingFileIsNotCreated() throws {
        let tmp = try TempDir()
        let path = tmp.path("missing.sqlite")
        #expect(throws: StoreError.notFound(path: path)) { try Store.open(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFileThatIsNotSQLiteIsLeftUntouched() throws {
        let tmp = try TempDir()
        let path = tmp.path("notes.txt")
        let content = Data("Acesta nu este o bază de date.\n".utf8 + (0..<4000).map { UInt8($0 % 251) })
        _ = FileManager.default.createFile(atPath: path, contents: content)
        for mode in [Store.OpenMode.existing, .createIfMissing] {
            #expect(throws: StoreError.notADatabase(path: path)) { try Store.open(path: path, mode: mode) }
        }
        #expect(bytes(path) == content)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anotherProgramsSQLiteFileIsLeftUntouched() throws {
        let tmp = try TempDir()
        let path = tmp.path("other.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE t(x); INSERT INTO t VALUES (1)") }
        try queue.close()
        let before = bytes(path)
        #expect(throws: StoreError.notCRMDatabase(path: path)) { try Store.open(path: path, mode: .createIfMissing) }
        #expect(bytes(path) == before)
    }

    @Test func aNewerSchemaIsRefusedAndLeftUntouched() throws {
        let tmp = try TempDir()
        let path = tmp.path("future.sqlite")
        let store = try Store.open(path: path, mode: .createIfMissing)
        try store.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 99") }
        try store.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try store.close()
        let before = bytes(path)
        #expect(throws: StoreError.newerSchema(path: path, found: 99, known: Store.schemaVersion)) { try Store.open(path: path) }
        #expect(bytes(path) == before)
    }

    @Test func aDamagedFileIsReportedAsDamaged() throws {
        let tmp = try TempDir()
        let path = tmp.path("damaged.sqlite")
        let store = try Store.open(path: path, mode: .createIfMissing)
        try store.write(userID: nil, operation: "fill") { w in
            let root = try w.insert(FolderRecord(parentID: nil, name: "Conturi", depth: 0))
            for i in 0..<2000 { try w.insert(AccountRecord(name: "Firma \(i) cu un nume destul de lung", folderID: root.meta!.id)) }
        }
        try store.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try store.close()
        // Overwrite every page after the first few with garbage.
        var data = bytes(path)
        for i in stride(from: 8 * 4096, to: data.count, by: 1) { data[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try data.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) {
            let s = try Store.open(path: path)
            _ = try s.read { try $0.fetchAll(AccountRecord.self) }
        }
        if case .corrupt? = error {} else { Issue.record("expected .corrupt, got \(String(describing: error))") }
        #expect(bytes(path) == data)
    }

    @Test func aVersion1FileOpensAndKeepsItsData() throws {
        let tmp = try TempDir()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/v1.sqlite")
        let path = tmp.path("v1.sqlite")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        let store = try Store.open(path: path)
        #expect(try store.fileSchemaVersion() == Store.schemaVersion)
        let accounts = try store.read { try $0.fetchAll(AccountRecord.self) }
        #expect(accounts.map(\.name) == ["Știința Veche SRL"])
        #expect(accounts.first?.cui == "14399840")
        let log = try store.read { try $0.changes(rowUUID: accounts[0].meta!.uuid) }
        #expect(log.map(\.op) == ["insert"])
    }

    @Test func twoConnectionsWriteWithoutLosingEither() throws {
        let tmp = try TempDir()
        let path = tmp.path("shared.sqlite")
        let a = try Store.open(path: path, mode: .createIfMissing)
        let b = try Store.open(path: path)
        let root = try a.write(userID: nil, operation: "root") { try $0.insert(FolderRecord(parentID: nil, name: "Conturi", depth: 0)) }
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let store = i == 0 ? a : b
            for n in 0..<100 {
                _ = try? store.write(userID: nil, operation: "add") { try $0.insert(AccountRecord(name: "S\(i)-\(n)", folderID: root.meta!.id)) }
            }
        }
        #expect(try a.read { try $0.count(AccountRecord.self) } == 200)
    }
}

@Suite struct BulkLoadTests {
    @Test func aBrokenReferenceFailsTheBulkLoad() throws {
        let tmp = try TempDir()
        let store = try Store.createForBulkLoad(path: tmp.path("bulk.sqlite"))
        try store.write(userID: nil, operation: "load") { w in
            try w.insert(FolderRecord(parentID: nil, name: "Conturi", depth: 0))
            try w.insert(AccountRecord(name: "Orfan", folderID: 999))
        }
        #expect(throws: StoreError.self) { try store.finishBulkLoad() }
    }

    @Test func aBulkLoadEndsAsANormalDatabase() throws {
        let tmp = try TempDir()
        let path = tmp.path("bulk.sqlite")
        let store = try Store.createForBulkLoad(path: path)
        try store.deferringIndexes {
            try store.write(userID: nil, operation: "load") { w in
                let root = try w.insert(FolderRecord(parentID: nil, name: "Conturi", depth: 0))
                try w.insertAll(PreparedRecords((0..<500).map { AccountRecord(name: "Firma \($0)", folderID: root.meta!.id) }))
            }
        }
        try store.finishBulkLoad()
        try store.close()
        let reopened = try Store.open(path: path)
        let (journal, indexes, pageSize) = try reopened.read { r in
            (try String.fetchOne(r.db, sql: "PRAGMA journal_mode"),
             try String.fetchAll(r.db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"),
             try Int.fetchOne(r.db, sql: "PRAGMA page_size"))
        }
        #expect(journal == "wal")
        #expect(pageSize == 8192)
        #expect(Schema.bulkDeferredIndexes.isSubset(of: Set(indexes)))
        let page = try reopened.read { try $0.accountsPage(folderIDs: nil, at: .first, limit: 3) }
        #expect(page.map(\.name) == ["Firma 0", "Firma 1", "Firma 10"])
        let log = try reopened.read { try $0.count(AccountRecord.self) }
        #expect(log == 500)
    }
}

@Suite struct SQLiteFeatureTests {
    /// The search issue builds on FTS5 with diacritics folded; the system SQLite must have it.
    @Test func fts5FoldsRomanianDiacritics() throws {
        let queue = try DatabaseQueue()
        let names = try queue.write { db -> [String] in
            try db.execute(sql: "CREATE VIRTUAL TABLE t USING fts5(name, tokenize = 'unicode61 remove_diacritics 2')")
            for name in ["Ștefan Țăranu SRL", "Știință Aplicată SA", "Alfa SRL"] {
                try db.execute(sql: "INSERT INTO t(name) VALUES (?)", arguments: [name])
            }
            return try String.fetchAll(db, sql: "SELECT name FROM t WHERE t MATCH ? ORDER BY name", arguments: ["st*"])
        }
        #expect(names == ["Ștefan Țăranu SRL", "Știință Aplicată SA"])
        let taranu = try queue.read { try String.fetchAll($0, sql: "SELECT name FROM t WHERE t MATCH 'taranu'") }
        #expect(taranu == ["Ștefan Țăranu SRL"])
    }
}
