import CRMStore
import Foundation
import Testing
@testable import CRMCore

@Suite struct FolderTests {
    @Test func fourLevelsBelowTheRootAndNoFifth() throws {
        let db = try TestDatabase()
        try db.crm.addFolder(name: "A", parent: "", by: db.admin)
        try db.crm.addFolder(name: "B", parent: "A", by: db.admin)
        try db.crm.addFolder(name: "C", parent: "Conturi/A/B", by: db.admin)
        let d = try db.crm.addFolder(name: "D", parent: "a/b/c", by: db.admin)
        #expect(d.path == "Conturi/A/B/C/D")
        #expect(d.depth == 4)
        let error = #expect(throws: CoreError.self) { try db.crm.addFolder(name: "E", parent: "A/B/C/D", by: db.admin) }
        #expect(error?.message(.en).contains("would exceed 4 folder levels") == true)
        #expect(error?.message(.ro).contains("ar depăși 4 niveluri") == true)
    }

    @Test func schemaRefusesAFifthLevelWrittenDirectly() throws {
        let db = try TestDatabase()
        try db.crm.addFolder(name: "A", parent: "", by: db.admin)
        let a = try db.crm.folder(path: "A")
        // A depth that does not follow the parent's is refused by the schema itself.
        #expect(throws: StoreError.self) {
            try db.store.write(userID: db.admin.id, operation: "test") { w in
                try w.insert(FolderRecord(parentID: a.meta!.id, name: "Z", depth: 5))
            }
        }
        #expect(throws: StoreError.self) {
            try db.store.write(userID: db.admin.id, operation: "test") { w in
                try w.insert(FolderRecord(parentID: a.meta!.id, name: "Z", depth: 3))
            }
        }
    }

    @Test func renameMoveAndSiblingNames() throws {
        let db = try TestDatabase()
        try db.crm.addFolder(name: "Clienți", parent: "", by: db.admin)
        try db.crm.addFolder(name: "Prospecți", parent: "", by: db.admin)
        try db.crm.addFolder(name: "Cluj", parent: "Clienți", by: db.admin)
        try db.crm.addFolder(name: "Turda", parent: "Clienți/Cluj", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.addFolder(name: "clienti", parent: "", by: db.admin) }
        try db.crm.renameFolder(path: "Clienți/Cluj", to: "Cluj-Napoca", by: db.admin)
        try db.crm.moveFolder(path: "Clienți/Cluj-Napoca", to: "Prospecți", by: db.admin)
        let paths = try db.crm.folderTree(for: db.admin).map(\.path)
        #expect(paths == ["Conturi", "Conturi/Clienți", "Conturi/Prospecți", "Conturi/Prospecți/Cluj-Napoca",
                          "Conturi/Prospecți/Cluj-Napoca/Turda"])
        #expect(try db.crm.folder(path: "Prospecți/Cluj-Napoca/Turda").depth == 3)
        // Into itself, or deeper than four levels: refused.
        #expect(throws: CoreError.self) { try db.crm.moveFolder(path: "Prospecți", to: "Prospecți/Cluj-Napoca", by: db.admin) }
        try db.crm.addFolder(name: "X", parent: "Clienți", by: db.admin)
        try db.crm.addFolder(name: "Y", parent: "Clienți/X", by: db.admin)
        try db.crm.addFolder(name: "Z", parent: "Clienți/X/Y", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.moveFolder(path: "Prospecți/Cluj-Napoca", to: "Clienți/X/Y", by: db.admin) }
        #expect(throws: CoreError.self) { try db.crm.renameFolder(path: "Conturi", to: "Altceva", by: db.admin) }
    }

    @Test func deletingANonEmptyFolderAsksWhereTheAccountsGo() throws {
        let db = try TestDatabase()
        try db.crm.addFolder(name: "Vechi", parent: "", by: db.admin)
        try db.crm.addFolder(name: "Sub", parent: "Vechi", by: db.admin)
        try db.crm.addFolder(name: "Nou", parent: "", by: db.admin)
        try db.crm.addAccount(AccountInput(fields: [.name: "A", .folder: "Vechi"]), by: db.admin)
        try db.crm.addAccount(AccountInput(fields: [.name: "B", .folder: "Vechi/Sub"]), by: db.admin)
        let refused = #expect(throws: CoreError.self) { try db.crm.deleteFolder(path: "Vechi", moveAccountsTo: nil, by: db.admin) }
        #expect(refused?.message(.en).contains("holds 2 accounts") == true)
        #expect(throws: CoreError.self) { try db.crm.deleteFolder(path: "Vechi", moveAccountsTo: "Vechi/Sub", by: db.admin) }
        #expect(try db.crm.deleteFolder(path: "Vechi", moveAccountsTo: "Nou", by: db.admin) == 2)
        let nodes = try db.crm.folderTree(for: db.admin)
        #expect(nodes.map(\.path) == ["Conturi", "Conturi/Nou"])
        #expect(nodes.last?.accountCount == 2)
        #expect(try db.crm.account("B", for: db.admin).folderPath == "Conturi/Nou")
    }
}

@Suite struct ContactTests {
    @Test func atMostOnePrimaryContact() throws {
        let db = try TestDatabase()
        try db.crm.addAccount(AccountInput(fields: [.name: "Firma SRL"]), by: db.admin)
        let ion = try db.crm.addContact(toAccount: "Firma SRL", [.name: "Ion Pop", .mobile: "0722 000 111"], primary: true, by: db.admin)
        let ana = try db.crm.addContact(toAccount: "Firma SRL", [.name: "Ana Pop", .email: "ana@firma.ro"], by: db.admin)
        #expect(ion.mobile == "+40722000111")
        var list = try db.crm.contacts(ofAccount: "Firma SRL", for: db.admin)
        #expect(list.map(\.name) == ["Ion Pop", "Ana Pop"])
        try db.crm.setPrimaryContact(ana.meta!.uuid.description, by: db.admin)
        list = try db.crm.contacts(ofAccount: "Firma SRL", for: db.admin)
        #expect(list.filter(\.isPrimary).map(\.name) == ["Ana Pop"])
        // A new primary contact takes the star from the old one.
        try db.crm.addContact(toAccount: "Firma SRL", [.name: "Dan Pop"], primary: true, by: db.admin)
        list = try db.crm.contacts(ofAccount: "Firma SRL", for: db.admin)
        #expect(list.filter(\.isPrimary).map(\.name) == ["Dan Pop"])
    }

    @Test func schemaRefusesASecondPrimary() throws {
        let db = try TestDatabase()
        let a = try db.crm.addAccount(AccountInput(fields: [.name: "Firma SRL"]), by: db.admin)
        try db.crm.addContact(toAccount: "Firma SRL", [.name: "Ion"], primary: true, by: db.admin)
        #expect(throws: StoreError.self) {
            try db.store.write(userID: db.admin.id, operation: "test") { w in
                var c = ContactRecord(accountID: a.meta!.id, name: "Ana")
                c.isPrimary = true
                try w.insert(c)
            }
        }
    }

    @Test func editValidatesAndDeleteRemoves() throws {
        let db = try TestDatabase()
        try db.crm.addAccount(AccountInput(fields: [.name: "Firma SRL"]), by: db.admin)
        let c = try db.crm.addContact(toAccount: "Firma SRL", [.name: "Ion"], by: db.admin)
        let ref = c.meta!.uuid.description
        #expect(throws: CoreError.self) { try db.crm.editContact(ref, [.email: "fara-arond"], by: db.admin) }
        #expect(throws: CoreError.self) { try db.crm.editContact(ref, [.name: "  "], by: db.admin) }
        let changes = try db.crm.editContact(ref, [.role: "Director", .phone: "021 222 3333"], by: db.admin)
        #expect(Set(changes.map(\.field)) == ["role", "phone"])
        try db.crm.deleteContact("#\(c.meta!.id)", by: db.admin)
        #expect(try db.crm.contacts(ofAccount: "Firma SRL", for: db.admin).isEmpty)
    }
}
