import CRMCore
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// Sync in the terminal: Sincronizare acum on a file that never synced says
/// what to do; a value that lost to a later write elsewhere shows in Setări →
/// Conflicte sincronizare and Enter puts it back; the status line tells the
/// open conflicts and what waits to be pushed.
@Suite struct SyncViewTests {
    @Test func aLostValueIsListedAndPutBackFromTheTerminal() throws {
        let db = try DemoDatabase(accounts: 10, invoicing: false)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 140, height: 44)
        _ = browser.perform("sync.now")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("This file has no hub yet: run crm sync --postgres URL once"), "\(terminal.text)")
        db.more(&browser, terminal, [.escape])
        #expect(!terminal.text.contains("synced") && !terminal.text.contains("no hub"), "\(terminal.text)")

        // Another replica's edit of the first account's city, older than this file's: it loses, and is kept.
        let account = try db.crm.accounts(folder: nil, limit: 1, for: db.admin).accounts[0].record
        let other = RowUUID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0001)
        let report = try db.crm.store.write(userID: nil, operation: "sync.apply") { w in
            try w.applySync([SyncChange(localID: 1, hlc: HLC(millis: 1_000, counter: 0), origin: other, entity: "account",
                                        row: account.meta!.uuid, op: .update, field: "city", value: "\"Vaslui\"")])
        }
        #expect(report.older == 1 && report.conflicts == 1)
        browser.refreshSyncStatus()
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("conflicts: 1"), "\(terminal.text)")
        _ = browser.perform("sync.conflicts")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("Sync conflicts") && terminal.text.contains("city · \"Vaslui\" · a later edit"), "\(terminal.text)")
        db.more(&browser, terminal, [.enter])
        #expect(terminal.text.contains("The value is back") && terminal.text.contains("No conflicts"), "\(terminal.text)")
        #expect(try db.crm.account("#\(account.meta!.id)", for: db.admin).record.city == "Vaslui")
        db.more(&browser, terminal, [.escape])
        // Put back as this user's write: it waits to be pushed.
        #expect(terminal.text.contains("to push: "), "\(terminal.text)")
    }

    @Test func onlyAdministratorsSeeTheConflicts() throws {
        let db = try DemoDatabase(accounts: 5, invoicing: false)
        var browser = try db.browser(asUserWith: ["accounts.view"])
        let terminal = MemoryTerminal(width: 120, height: 40)
        _ = browser.perform("sync.conflicts")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("You lack the right"), "\(terminal.text)")
    }
}
