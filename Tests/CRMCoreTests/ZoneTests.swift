import CRMCore
import CRMStore
import Foundation
import Testing

/// A user limited to zones (ADM-2) sees only those zones' accounts, and what
/// hangs off them, through every path the core offers; and writes only there.
@Suite struct ZoneTests {
    /// Zones Nord and Sud; two accounts in each sharing an e-mail (a duplicate
    /// pair per zone), each with a contact; `ion` limited to Nord, `ana` to none.
    func base() throws -> (db: TestDatabase, ion: Actor, ana: Actor) {
        let db = try TestDatabase()
        for zone in ["Nord", "Sud"] { try db.crm.addZone(name: zone, by: db.admin) }
        try db.crm.addFolder(name: "Clienți", parent: "Conturi", by: db.admin)
        let accounts: [(String, String, String, String)] = [
            ("N1", "Alfa Nord SRL", "Nord", "office@nord.ro"), ("N2", "Beta Nord SRL", "Nord", "office@nord.ro"),
            ("S1", "Alfa Sud SRL", "Sud", "office@sud.ro"), ("S2", "Beta Sud SRL", "Sud", "office@sud.ro"),
        ]
        for (code, name, zone, email) in accounts {
            try db.crm.addAccount(AccountInput(fields: [.code: code, .name: name, .zone: zone, .email: email, .folder: "Clienți"]),
                                  by: db.admin)
            try db.crm.addContact(toAccount: code, [.name: "Contact \(code)"], primary: true, by: db.admin)
        }
        try db.crm.addUser(UserRecord(login: "ion", name: "Ion", unixLogin: "ion"), zones: ["Nord"], by: db.admin)
        try db.crm.addUser(UserRecord(login: "ana", name: "Ana", unixLogin: "ana"), by: db.admin)
        return (db, try db.crm.actor(unixLogin: "ion", from: nil), try db.crm.actor(unixLogin: "ana", from: nil))
    }

    func codes(_ page: AccountPage) -> [String] { page.accounts.compactMap(\.record.code) }

    func notFound(_ body: () throws -> Void) {
        #expect {
            try body()
        } throws: { error in
            if case CoreError.notFound = error { return true }
            return false
        }
    }

    @Test func listingsCountsSearchExportsFoldersAndDuplicatesShowOnlyTheUsersZones() throws {
        let (db, ion, ana) = try base()
        #expect(ion.zones != nil)
        #expect(codes(try db.crm.accounts(AccountView(), for: ion)) == ["N1", "N2"])
        #expect(codes(try db.crm.accounts(AccountView(), for: ana)) == ["N1", "S1", "N2", "S2"])
        #expect(codes(try db.crm.accounts(AccountView(search: "alfa"), for: ion)) == ["N1"])
        #expect(codes(try db.crm.accounts(AccountView(search: "sud"), for: ion)).isEmpty)
        #expect(codes(try db.crm.accounts(AccountView(folder: "Clienți"), for: ion)) == ["N1", "N2"])
        #expect(try db.crm.count(AccountView(), for: ion) == 2)
        #expect(try db.crm.count(AccountView(search: "alfa"), cap: 100, for: ion) == 1)
        #expect(try db.crm.accountCount(for: ion) == 2)
        #expect(try db.crm.accountCount(for: ana) == 4)

        let columns = try db.crm.accountColumns(for: ion)
        let code = try #require(columns.firstIndex { $0.id == "code" })
        var exported: [String] = []
        try db.crm.forEachRow(in: AccountView(), columns: columns, for: ion) { cells in
            exported.append(cells[code].display(.en))
            return true
        }
        #expect(exported == ["N1", "N2"])

        let clients = try #require(try db.crm.folderTree(for: ion).first { $0.path.hasSuffix("Clienți") })
        #expect(clients.accountCount == 2)

        let pairs = try db.crm.duplicates(for: ion)
        #expect(pairs.map { Set([$0.firstName, $0.secondName]) } == [Set(["Alfa Nord SRL", "Beta Nord SRL"])])
        #expect(try db.crm.duplicates(for: ana).count == 2)
        #expect(try db.crm.duplicates(of: "N1", for: ion).count == 1)
    }

    @Test func anAccountOfAnotherZoneIsNotFoundByAnyReferenceNorAnythingHangingOffIt() throws {
        let (db, ion, _) = try base()
        let sud = try db.crm.account("S1", for: db.admin).record
        let contact = try #require(try db.crm.contacts(ofAccount: "S1", for: db.admin).first)
        for ref in ["S1", "#\(sud.meta!.id)", sud.meta!.uuid.description, "Alfa Sud SRL"] {
            notFound { _ = try db.crm.account(ref, for: ion) }
        }
        notFound { _ = try db.crm.contacts(ofAccount: "S1", for: ion) }
        notFound { _ = try db.crm.history(of: sud.meta!.uuid, for: ion) }
        notFound { _ = try db.crm.history(of: contact.meta!.uuid, for: ion) }
        notFound { _ = try db.crm.duplicates(of: "S1", for: ion) }
        notFound { _ = try db.crm.mergePlan(survivor: "N1", others: ["S1"], for: ion) }
        notFound { try db.crm.editAccount("S1", AccountInput(fields: [.city: "Iași"]), by: ion) }
        notFound { try db.crm.deleteAccount("S1", by: ion) }
        notFound { try db.crm.moveAccounts(["S1"], toFolder: "Conturi", by: ion) }
        notFound { try db.crm.editContact("#\(contact.meta!.id)", [.name: "Alt nume"], by: ion) }
        notFound { try db.crm.deleteContact("#\(contact.meta!.id)", by: ion) }
        notFound { try db.crm.addContact(toAccount: "S1", [.name: "Nou"], by: ion) }
        notFound { try db.crm.dismissDuplicate("S1", "S2", by: ion) }
        // Its own zone's are there.
        #expect(try db.crm.history(of: try db.crm.account("N1", for: ion).record.meta!.uuid, for: ion).isEmpty == false)
        #expect(try db.crm.contacts(ofAccount: "N1", for: ion).count == 1)
        // Nothing of Sud changed.
        #expect(try db.crm.account("S1", for: db.admin).record == sud)
        // A code taken in another zone is refused without naming the account.
        #expect {
            try db.crm.addAccount(AccountInput(fields: [.code: "S1", .name: "Alt Nord SRL", .zone: "Nord"]), by: ion)
        } throws: { error in
            (error as? CoreError)?.issues.map(\.reason) == [.duplicateOutsideZones]
        }
        // A folder that also holds other zones' accounts is not theirs to delete.
        #expect(throws: CoreError.self) { try db.crm.deleteFolder(path: "Clienți", moveAccountsTo: "Conturi", by: ion) }
        #expect(try db.crm.accountCount(for: db.admin) == 4)
        // An administrator's merge of a Sud account into a Nord one: undoing it
        // would bring the Sud account back, so it is not theirs to undo.
        let across = try db.crm.merge(try db.crm.mergePlan(survivor: "N2", others: ["S2"], for: db.admin), by: db.admin)
        notFound { _ = try db.crm.undoMerge(across.operation, by: ion) }
        #expect(try db.crm.undoMerge(across.operation, by: db.admin) == across.operation)
        #expect(try db.crm.account("S2", for: db.admin).zone == "Sud")
        // Nor can they undo a merge of Sud's accounts.
        let merge = try db.crm.merge(try db.crm.mergePlan(survivor: "S1", others: ["S2"], for: db.admin), by: db.admin)
        notFound { _ = try db.crm.undoMerge(merge.operation, by: ion) }
        #expect(try db.crm.undoMerge(merge.operation, by: db.admin) == merge.operation)
    }

    @Test func writesStayInsideTheUsersZonesAndNeedAZoneOnceZonesAreInUse() throws {
        let (db, ion, ana) = try base()
        func reasons(_ body: () throws -> Void) -> [ValidationIssue.Reason] {
            do { try body(); return [] } catch let error as CoreError { return error.issues.map(\.reason) } catch { return [] }
        }
        #expect(reasons { try db.crm.addAccount(AccountInput(fields: [.name: "Gama SRL", .zone: "Sud"]), by: ion) }
                == [.outsideZones(allowed: ["Nord"])])
        #expect(reasons { try db.crm.addAccount(AccountInput(fields: [.name: "Gama SRL"]), by: ion) } == [.zoneRequired])
        // Zones in use: everyone, administrators included, gives a zone.
        #expect(reasons { try db.crm.addAccount(AccountInput(fields: [.name: "Gama SRL"]), by: ana) } == [.zoneRequired])
        #expect(reasons { try db.crm.addAccount(AccountInput(fields: [.name: "Gama SRL"]), by: db.admin) } == [.zoneRequired])
        #expect(reasons { try db.crm.editAccount("N1", AccountInput(fields: [.zone: "Sud"]), by: ion) }
                == [.outsideZones(allowed: ["Nord"])])
        #expect(reasons { try db.crm.editAccount("N1", AccountInput(fields: [.zone: ""]), by: ion) } == [.zoneRequired])
        try db.crm.addAccount(AccountInput(fields: [.name: "Gama SRL", .zone: "nord"]), by: ion)
        #expect(try db.crm.accountCount(for: ion) == 3)
        // Without any limited user, the zone is optional again.
        try db.crm.setUserZones("ion", nil, by: db.admin)
        #expect(try db.crm.zonesInUse() == false)
        try db.crm.addAccount(AccountInput(fields: [.name: "Delta SRL"]), by: ana)
        #expect(try db.crm.setUserZones("ion", ["Sud"], by: db.admin) == 1)
        #expect(try db.crm.userZones("ion") == ["Sud"])
    }

    @Test func anImportByALimitedUserRefusesRowsOfOtherZonesAndAccountsItCannotSee() throws {
        let (db, ion, _) = try base()
        let rows = [
            ImportRow(line: 2, input: AccountInput(fields: [.code: "N3", .name: "Nou Nord SRL", .zone: "Nord"]), contact: [:]),
            ImportRow(line: 3, input: AccountInput(fields: [.code: "S9", .name: "Nou Sud SRL", .zone: "Sud"]), contact: [:]),
            ImportRow(line: 4, input: AccountInput(fields: [.code: "S1", .name: "Alfa Sud SRL", .zone: "Nord"]), contact: [:]),
        ]
        #expect {
            try db.crm.importAccounts(rows, onDuplicate: .update, by: ion)
        } throws: { error in
            guard case CoreError.importRefused(let rejected) = error else { return false }
            return rejected.map(\.line) == [3, 4]
                && rejected.flatMap { $0.problems.map(\.reason) } == [.outsideZones(allowed: ["Nord"]), .outsideZones(allowed: ["Nord"])]
        }
        #expect(try db.crm.accountCount(for: db.admin) == 4)
        let report = try db.crm.importAccounts(rows, onDuplicate: .update, skipInvalid: true, by: ion)
        #expect(report.added == 1 && report.updated == 0 && report.rejected.count == 2)
        #expect(try db.crm.account("S1", for: db.admin).zone == "Sud")
    }
}
