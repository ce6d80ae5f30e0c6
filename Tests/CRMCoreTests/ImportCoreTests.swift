import CRMCore
import CRMDemo
import CRMStore
import Foundation
import Testing

@Suite struct ImportCoreTests {
    func row(_ line: Int, _ fields: [AccountField: String], contact: String? = nil) -> ImportRow {
        ImportRow(line: line, input: AccountInput(fields: fields), contact: contact.map { [.name: $0] } ?? [:])
    }

    @Test func aRowThatRepeatsAnEarlierOneOfTheSameFileIsSkippedOrUpdated() throws {
        let db = try TestDatabase()
        let rows = [
            row(2, [.code: "R1", .name: "Unu SRL", .city: "Arad"], contact: "Ana Unu"),
            row(3, [.code: "R2", .name: "Doi SRL", .cui: "RO14399840"]),
            row(4, [.code: "R1", .name: "Unu SRL", .city: "Deva"]),         // the same code as row 2
            row(5, [.code: "R3", .name: "Doi bis SRL", .cui: "14399840"]),  // the same CUI as row 3
        ]
        let skipped = try db.crm.importAccounts(rows, onDuplicate: .skip, dryRun: true, by: db.admin)
        #expect(skipped.added == 2 && skipped.skipped == 2)
        let updated = try db.crm.importAccounts(rows, onDuplicate: .update, by: db.admin)
        #expect(updated.added == 2 && updated.updated == 2)
        #expect(try db.crm.account("R1", for: db.admin).record.city == "Deva")
        #expect(try db.crm.contacts(ofAccount: "R1", for: db.admin).map { "\($0.name) \($0.isPrimary)" } == ["Ana Unu true"])
        // Found by its CUI, the account takes every cell the row fills, its code too.
        #expect(try db.crm.account("14399840", for: db.admin).record.name == "Doi bis SRL")
        #expect(try db.crm.account("14399840", for: db.admin).record.code == "R3")
        // With `create` a repeated CUI is added anyway; a repeated code is still refused by the code's rule.
        let created = try db.crm.importAccounts([row(6, [.code: "R4", .name: "Trei SRL", .cui: "14399840"]),
                                                 row(7, [.code: "R4", .name: "Trei bis SRL"])],
                                                onDuplicate: .create, skipInvalid: true, by: db.admin)
        #expect(created.added == 1 && created.rejected.map(\.line) == [7])
    }

    @Test func aCancelledImportLeavesNothing() throws {
        let db = try TestDatabase()
        let before = try db.crm.accountCount(for: db.admin)
        var n = 0
        #expect(throws: CoreError.cancelled) {
            try db.crm.importAccounts(from: {
                n += 1
                return n <= 1_000 ? ImportRowFactory.make(n) : nil
            }, by: db.admin) { read in read < 500 }
        }
        #expect(try db.crm.accountCount(for: db.admin) == before)
    }

    @Test func aReaderFailureMidwayImportsNothing() throws {
        let db = try TestDatabase()
        let before = try db.crm.accountCount(for: db.admin)
        var n = 0
        #expect(throws: CoreError.self) {
            try db.crm.importAccounts(from: {
                n += 1
                if n > 300 { throw CoreError.refused(Localized(ro: "fișier deteriorat", en: "a damaged file")) }
                return ImportRowFactory.make(n)
            }, by: db.admin)
        }
        #expect(try db.crm.accountCount(for: db.admin) == before)
    }
}

enum ImportRowFactory {
    static func make(_ n: Int) -> ImportRow {
        ImportRow(line: n + 1, input: AccountInput(fields: [.code: "F\(n)", .name: "Firma \(n) SRL"]), contact: [:])
    }
}

@Suite struct SearchCountTests {
    @Test func aCappedSearchCountAgreesWithTheFullOneWithinTheCap() throws {
        let db = try TestDatabase()
        _ = try DemoBuilder(lists: DemoTests.lists, seed: 5).populate(crm: db.crm, admin: db.admin, accounts: 300)
        #expect(try db.crm.searchIndexState().complete)
        let folders = try db.crm.folderTree(for: db.admin)
        for word in ["srl", "ion", "agro", "cluj", "zzzz", "pop ana"] {
            for folder in [nil, folders[1].path] {
                let view = AccountView(folder: folder, search: word)
                let all = try db.crm.count(view, for: db.admin)
                #expect(try db.crm.count(view, cap: 1_000_000, for: db.admin) == all, "\(word) in \(folder ?? "all")")
                #expect(try db.crm.count(view, cap: 5, for: db.admin) == min(all, 5), "\(word) in \(folder ?? "all")")
            }
        }
    }
}
