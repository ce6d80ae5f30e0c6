import CRMCore
import CRMDemo
import CRMStore
import Foundation
import GRDB
import Testing

@Suite struct MergeTests {
    /// Every row of every entity table, bookkeeping of the last write aside
    /// (updated at/by and version change with any write, an undo included).
    func content(_ db: TestDatabase) throws -> [String] {
        try DatabaseQueue(path: db.path).read { r in
            var out: [String] = []
            for type in Entities.all {
                let rows = try Row.fetchAll(r, sql: "SELECT * FROM \(type.table) ORDER BY id")
                for row in rows {
                    let cells = row.columnNames.filter { !["updated_at", "updated_by", "version"].contains($0) }
                        .map { "\($0)=\(row[$0] as DatabaseValue)" }
                    out.append(type.table + ": " + cells.joined(separator: " "))
                }
            }
            let search = try Row.fetchAll(r, sql: "SELECT rowid, body FROM account_search ORDER BY rowid")
            out += search.map { "search \($0["rowid"] as Int64): \($0["body"] as String)" }
            return out
        }
    }

    func company(_ db: TestDatabase, _ code: String, _ name: String, _ fields: [AccountField: String] = [:],
                 contacts: [(String, Bool)] = []) throws {
        var all = fields
        if try !db.crm.zones().isEmpty { all[.zone] = all[.zone] ?? "Nord-Vest" }
        all[.code] = code
        all[.name] = name
        try db.crm.addAccount(AccountInput(fields: all), by: db.admin)
        for (contact, primary) in contacts {
            try db.crm.addContact(toAccount: code, [.name: contact], primary: primary, by: db.admin)
        }
    }

    @Test func mergeMovesContactsKeepsChosenValuesAndUndoRestoresEverything() throws {
        let db = try TestDatabase()
        _ = try DemoBuilder(lists: DemoTests.lists, seed: 3).populate(crm: db.crm, admin: db.admin, accounts: 40)
        try company(db, "M1", "Alfa Construct SRL", [.city: "Cluj-Napoca", .email: "office@alfa.ro"], contacts: [("Ana Pop", true)])
        try company(db, "M2", "ALFA CONSTRUCT S.R.L.", [.city: "Turda", .phone: "0264 111 222", .cui: "RO14399840"],
                    contacts: [("Ion Pop", true), ("Dan Xenofon", false)])
        try company(db, "M3", "Alfa Construct", [.website: "www.alfa.ro"])
        let before = try content(db)

        var plan = try db.crm.mergePlan(survivor: "M1", others: ["M2", "M3"], for: db.admin)
        #expect(plan.contacts == [1, 2, 0])
        // The newest non-empty value by default: M1 has no phone, M2 has.
        #expect(plan.fields.first { $0.name == "phone" }?.chosen == 1)
        #expect(plan.fields.first { $0.name == "website" }?.chosen == 2)
        #expect(plan.fields.first { $0.name == "code" }?.chosen == 0)
        #expect(plan.fields.first { $0.name == "name" }?.chosen == 2)  // the newest name
        plan.choose("city", 1)
        let result = try db.crm.merge(plan, by: db.admin)
        #expect(result.merged == 2 && result.contactsMoved == 2)
        let merged = try db.crm.account("M1", for: db.admin)
        #expect(merged.record.city == "Turda" && merged.record.phone == "+40264111222" && merged.record.cui == "14399840")
        #expect(merged.record.email == "office@alfa.ro" && merged.record.website == "www.alfa.ro")
        #expect(throws: CoreError.self) { try db.crm.account("M2", for: db.admin) }
        let contacts = try db.crm.contacts(ofAccount: "M1", for: db.admin)
        #expect(Set(contacts.map(\.name)) == ["Ana Pop", "Ion Pop", "Dan Xenofon"])
        #expect(contacts.filter(\.isPrimary).map(\.name) == ["Ana Pop"])  // the survivor's star stays
        // The search finds the merged contacts under the survivor.
        let found = try db.crm.accounts(AccountView(search: "Dan Xenofon"), limit: 10, for: db.admin)
        #expect(found.accounts.map { $0.record.code } == ["M1"])

        try db.crm.undoMerge(result.operation, by: db.admin)
        #expect(try content(db) == before)
        #expect(throws: CoreError.self) { try db.crm.undoMerge(result.operation, by: db.admin) }
    }

    @Test func anUndoIsRefusedOnceALaterChangeTouchedTheSameRows() throws {
        let db = try TestDatabase()
        try company(db, "A1", "Beta SRL")
        try company(db, "A2", "Beta S.R.L.", [.city: "Arad"])
        let result = try db.crm.merge(try db.crm.mergePlan(survivor: "A1", others: ["A2"], for: db.admin), by: db.admin)
        try db.crm.editAccount("A1", AccountInput(fields: [.city: "Deva"]), by: db.admin)
        let after = try content(db)
        #expect(throws: CoreError.self) { try db.crm.undoMerge(result.operation, by: db.admin) }
        #expect(try content(db) == after)
    }

    @Test func aPlanMadeBeforeAChangeIsRefused() throws {
        let db = try TestDatabase()
        try company(db, "B1", "Gama SRL")
        try company(db, "B2", "Gama S.R.L.")
        let plan = try db.crm.mergePlan(survivor: "B1", others: ["B2"], for: db.admin)
        try db.crm.editAccount("B2", AccountInput(fields: [.city: "Iași"]), by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.merge(plan, by: db.admin) }
        #expect(try db.crm.account("B2", for: db.admin).record.city == "Iași")
        #expect(throws: CoreError.self) { try db.crm.mergePlan(survivor: "B1", others: ["B1"], for: db.admin) }
    }
}
