import CRMDemo
import CRMStore
import Foundation
import Testing
@testable import CRMCore

@Suite struct DemoTests {
    static let lists: WordLists = {
        try! WordLists.load(from: TestDatabase.sampleData)
    }()

    func build(seed: UInt64, accounts: Int) throws -> (TestDatabase, DemoBuilder.Summary) {
        let db = try TestDatabase()
        let summary = try DemoBuilder(lists: Self.lists, seed: seed).populate(crm: db.crm, admin: db.admin, accounts: accounts)
        return (db, summary)
    }

    func snapshot(_ db: TestDatabase) throws -> [String] {
        try db.store.read { r in
            try r.fetchAll(AccountRecord.self, orderBy: ["code"]).map {
                [$0.code ?? "", $0.name, $0.cui ?? "", $0.iban ?? "", $0.city ?? "", $0.phone ?? "", $0.email ?? ""].joined(separator: "|")
            }
        }
    }

    @Test func sameSeedSameCompany() throws {
        let (a, _) = try build(seed: 7, accounts: 300)
        let (b, _) = try build(seed: 7, accounts: 300)
        let (c, _) = try build(seed: 8, accounts: 300)
        #expect(try snapshot(a) == snapshot(b))
        #expect(try snapshot(a) != snapshot(c))
    }

    @Test func everyGeneratedValuePassesTheValidators() throws {
        let (db, summary) = try build(seed: 3, accounts: 500)
        #expect(summary.accounts == 500)
        #expect(summary.contacts > 500)
        #expect(summary.users == 5 && summary.zones == 8 && summary.folders == 13)
        let accounts = try db.store.read { try $0.fetchAll(AccountRecord.self) }
        for a in accounts {
            if let cui = a.cui { #expect(CUI.isValid(cui), "\(a.name): \(cui)") }
            if let iban = a.iban { #expect(IBAN.normalize(iban) == iban, "\(a.name): \(iban)") }
            if let e = a.email { #expect(Email.normalize(e) != nil, "\(a.name): \(e)") }
            for p in [a.phone, a.mobile].compactMap({ $0 }) { #expect(Phone.normalize(p) == p, "\(a.name): \(p)") }
            #expect(a.zoneID != nil && a.ownerID != nil)
        }
        #expect(accounts.contains { $0.name.contains("SRL") } && accounts.contains { $0.name.contains("PFA") })
        #expect(accounts.contains { $0.city?.contains(where: { "ășțâî".contains($0) }) == true })
        let contacts = try db.store.read { try $0.fetchAll(ContactRecord.self) }
        for c in contacts { if let e = c.email { #expect(Email.normalize(e) != nil, "\(c.name): \(e)") } }
        let primaries = Dictionary(grouping: contacts.filter(\.isPrimary), by: \.accountID)
        #expect(primaries.values.allSatisfy { $0.count == 1 })
    }

    @Test func usersOwnAccountsOfTheirZones() throws {
        let (db, _) = try build(seed: 5, accounts: 200)
        let users = try db.crm.users()
        #expect(users.count == 6)
        let zoneNames = Dictionary(uniqueKeysWithValues: try db.crm.zones().map { ($0.meta!.id, $0.name) })
        let userZones = try db.store.read { try $0.fetchAll(UserZoneRecord.self) }
        let andrei = users.first { $0.login == "andrei.popescu" }!
        let andreiZones = Set(userZones.filter { $0.userID == andrei.meta!.id }.map { zoneNames[$0.zoneID]! })
        #expect(andreiZones == ["Nord-Vest", "Centru"])
        let his = try db.store.read { try $0.fetchAll(AccountRecord.self, matching: ["owner_id": .int(andrei.meta!.id)]) }
        #expect(!his.isEmpty)
        #expect(his.allSatisfy { andreiZones.contains(zoneNames[$0.zoneID!]!) })
    }

    @Test func refusesADatabaseWithAccounts() throws {
        let (db, _) = try build(seed: 1, accounts: 10)
        #expect(throws: DemoError.notEmpty(accounts: 10)) {
            try DemoBuilder(lists: Self.lists, seed: 1).populate(crm: db.crm, admin: db.admin, accounts: 10)
        }
    }
}
