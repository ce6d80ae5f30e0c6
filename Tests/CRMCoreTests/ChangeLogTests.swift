import CRMStore
import Foundation
import Testing
@testable import CRMCore

@Suite struct ChangeLogTests {
    @Test func addEditDeleteAreRecordedWithWhoAndWhen() throws {
        let db = try TestDatabase()
        let seller = try db.user("vanzator")
        let added = try db.crm.addAccount(AccountInput(fields: [.name: "Alfa SRL", .city: "Arad"]), by: seller)
        let uuid = added.meta!.uuid
        try db.crm.editAccount(uuid.description, AccountInput(fields: [.city: "Deva", .email: "office@alfa.ro"]), by: db.admin)
        try db.crm.deleteAccount(uuid.description, by: seller)

        let log = try db.crm.history(of: uuid, for: db.admin)
        #expect(log.map(\.op) == ["insert", "update", "update", "delete"])
        #expect(log.map(\.operation) == ["account.add", "account.edit", "account.edit", "account.delete"])
        #expect(log.map(\.userID) == [seller.id, db.admin.id, db.admin.id, seller.id])
        #expect(log.allSatisfy { $0.entity == "account" && $0.rowID == added.meta!.id && $0.at > 0 })

        // An insert's new value is the row itself.
        #expect(log[0].field == nil && log[0].oldValue == .null && log[0].newValue == .null)

        let updates = log.filter { $0.op == "update" }.sorted { ($0.field ?? "") < ($1.field ?? "") }
        #expect(updates.map(\.field) == ["city", "email"])
        #expect(updates[0].oldValue == .text("Arad") && updates[0].newValue == .text("Deva"))
        #expect(updates[1].oldValue == .null && updates[1].newValue == .text("office@alfa.ro"))

        let gone = try JSONSerialization.jsonObject(with: Data(log[3].oldValue.text!.utf8)) as! [String: Any]
        #expect(gone["city"] as? String == "Deva")
        #expect(gone["email"] as? String == "office@alfa.ro")
        #expect(gone["name"] as? String == "Alfa SRL")
        #expect(gone["name_key"] == nil)
        #expect(log[3].newValue == .null)
    }

    @Test func customValuesAreLoggedPerKey() throws {
        let db = try TestDatabase()
        try db.crm.addCustomColumn(entity: "account", label: "Nr. angajați", type: .number, by: db.admin)
        let a = try db.crm.addAccount(AccountInput(fields: [.name: "A"], custom: ["nr_angajati": "10"]), by: db.admin)
        try db.crm.editAccount("A", AccountInput(custom: ["nr_angajati": "12"]), by: db.admin)
        let update = try db.crm.history(of: a.meta!.uuid, for: db.admin).last!
        #expect(update.field == "custom.nr_angajati")
        #expect(update.oldValue == .int(10) && update.newValue == .int(12))
    }

    @Test func aFailedOperationLeavesNoTrace() throws {
        let db = try TestDatabase()
        let before = try db.store.read { try $0.count(AccountRecord.self) }
        #expect(throws: (any Error).self) {
            try db.store.write(userID: db.admin.id, operation: "test") { w in
                try w.insert(AccountRecord(name: "Temporar", folderID: 1))
                throw CoreError.refused(Localized(ro: "x", en: "x"))
            }
        }
        #expect(try db.store.read { try $0.count(AccountRecord.self) } == before)
        #expect(try db.store.read { r in try r.fetchAll(UserRecord.self).count } == 1)
    }

    @Test func foreignKeysAreEnforced() throws {
        let db = try TestDatabase()
        let error = #expect(throws: StoreError.self) {
            try db.store.write(userID: db.admin.id, operation: "test") { w in
                try w.insert(AccountRecord(name: "Fără dosar", folderID: 9999))
            }
        }
        if case .constraint(let detail)? = error { #expect(detail.contains("FOREIGN KEY")) } else { Issue.record("\(String(describing: error))") }
    }
}
