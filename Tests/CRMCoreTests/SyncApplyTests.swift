import CRMCore
import CRMStore
import Foundation
import Testing

/// Applying pulled changes without a hub: what a file does with changes as
/// they arrive (docs/sync.md, "Unique rules").
@Suite struct SyncApplyTests {
    static let other = RowUUID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0002)

    /// Another replica's account, made like `template` (an insert as this file would push it) but with its own UUID and name.
    static func insert(like template: SyncChange, uuid: RowUUID, name: String, at millis: Int64) -> SyncChange {
        SyncChange(localID: 1, hlc: HLC(millis: millis, counter: 0), origin: other, entity: "account", row: uuid, op: .insert,
                   value: template.value!.replacingOccurrences(of: "\"Zeta Prim SRL\"", with: "\"\(name)\""))
    }

    @Test func aCodeGivenUpComesBackOnceItsPlaceIsFree() throws {
        let db = try TestDatabase()
        try db.crm.addAccount(AccountInput(fields: [.name: "Zeta Prim SRL", .code: "Z1"]), by: db.admin)
        let template = try #require(try db.store.read { r in
            try r.outgoingChanges(after: 0, limit: 1000, replica: Self.other).changes.first { $0.entity == "account" && $0.op == .insert }
        })
        // A later account of another replica with the same code: it arrives without it, and the code is kept as a conflict.
        let later = RowUUID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0003)
        let far = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
        try db.store.write(userID: nil, operation: "sync.apply") { w in
            _ = try w.applySync([Self.insert(like: template, uuid: later, name: "Zeta Secund SRL", at: far)])
        }
        func code(_ name: String) throws -> String? {
            try db.crm.accounts(folder: nil, limit: 10, for: db.admin).accounts.first { $0.record.name == name }?.record.code
        }
        #expect(try code("Zeta Secund SRL") == nil)
        #expect(try db.crm.syncConflicts(by: db.admin).contains { $0.field == "code" && $0.reason == "unique" })
        // Nothing comes back while the code is held.
        #expect(try db.store.write(userID: nil, operation: "sync.restore") { w in try w.restoreFreedUniqueValues() } == 0)
        // The first account lets it go: the later one gets it back, in a write of this file (to be pushed), the conflict closed.
        _ = try db.crm.editAccount("Z1", AccountInput(fields: [.code: "Z2"]), by: db.admin)
        let unpushed = try db.crm.syncStatus().unpushed
        #expect(try db.store.write(userID: nil, operation: "sync.restore") { w in try w.restoreFreedUniqueValues() } == 1)
        #expect(try code("Zeta Secund SRL") == "Z1")
        #expect(try db.crm.syncStatus().unpushed == unpushed + 1)
        #expect(try db.crm.syncConflicts(by: db.admin).isEmpty)

        // A field written since it was given up stays as written.
        let third = RowUUID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0004)
        try db.store.write(userID: nil, operation: "sync.apply") { w in
            _ = try w.applySync([Self.insert(like: template, uuid: third, name: "Zeta Terț SRL", at: far + 1_000)])
        }
        #expect(try code("Zeta Terț SRL") == nil)
        _ = try db.crm.editAccount("Z1", AccountInput(fields: [.code: "Z3"]), by: db.admin)
        try db.store.write(userID: nil, operation: "sync.apply") { w in
            _ = try w.applySync([SyncChange(localID: 3, hlc: HLC(millis: far + 3_000, counter: 0), origin: Self.other, entity: "account",
                                            row: third, op: .update, field: "code", value: "\"T1\"")])
        }
        #expect(try db.store.write(userID: nil, operation: "sync.restore") { w in try w.restoreFreedUniqueValues() } == 0)
        #expect(try code("Zeta Terț SRL") == "T1")
    }
}
