import CRMCore
import Foundation
import Testing

@Suite struct AccessTests {
    @Test func addressesAndRangesMatchTheWayTheyAreWritten() throws {
        let office = try #require(IPRange("192.168.10.0/24"))
        #expect(office.contains("192.168.10.77") && !office.contains("192.168.11.1"))
        #expect(office.contains("::ffff:192.168.10.5"))             // IPv4 written as IPv6
        #expect(try #require(IPRange("10.0.0.7")).contains("10.0.0.7") && !(try #require(IPRange("10.0.0.7"))).contains("10.0.0.8"))
        let v6 = try #require(IPRange("2001:db8::/32"))
        #expect(v6.contains("2001:db8:1::5") && !v6.contains("2001:db9::1") && !v6.contains("192.168.10.1"))
        #expect(try #require(IPRange("10.1.2.3/12")).contains("10.15.255.255") && !(try #require(IPRange("10.1.2.3/12"))).contains("10.16.0.0"))
        #expect(IPRange("0.0.0.0/0")?.contains("8.8.8.8") == true)
        for bad in ["10.0.0.256", "10.0.0.0/33", "sediu", "2001:db8::/129", ""] { #expect(IPRange(bad) == nil, "\(bad)") }
        #expect(IPRange("192.168.10.9/24")?.description == "192.168.10.9/24")
    }

    @Test func aUserWithAllowedAddressesWorksOnlyFromThem() throws {
        let db = try TestDatabase()
        try db.crm.addUser(login: "ana", name: "Ana", unixLogin: "ana", password: "parola-lunga-1", by: db.admin)
        // No entries: from anywhere.
        #expect(try db.crm.actor(unixLogin: "ana", from: "203.0.113.9").login == "ana")
        try db.crm.addIPRule(name: "Sediu", address: "192.168.10.0/24", by: db.admin)
        try db.crm.addIPRule(name: "VPN", address: "2001:db8:5::/48", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.addIPRule(name: "Rău", address: "192.168.300.1", by: db.admin) }
        try db.crm.setUserIPRules("ana", ["Sediu", "VPN"], by: db.admin)
        #expect(try db.crm.actor(unixLogin: "ana", from: "192.168.10.20").login == "ana")
        #expect(try db.crm.actor(unixLogin: "ana", from: "2001:db8:5::9").login == "ana")
        let refused = #expect(throws: CoreError.self) { try db.crm.actor(unixLogin: "ana", from: "203.0.113.9") }
        #expect(refused?.message(.en).contains("may not work from 203.0.113.9; allowed: Sediu, VPN") == true)
        #expect(throws: CoreError.self) { try db.crm.authenticate(login: "ana", password: "parola-lunga-1", source: "203.0.113.9") }
        // Local sessions: allowed until the administrator says otherwise.
        #expect(try db.crm.actor(unixLogin: "ana", from: nil).login == "ana")
        try db.crm.setLocalSessionsAllowed(false, by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.actor(unixLogin: "ana", from: nil) }
        // The administrator, with no entries, is not restricted; removing an entry frees its users from it.
        #expect(try db.crm.actor(unixLogin: "tester", from: "203.0.113.9").login == "tester")
        try db.crm.removeIPRule("Sediu", by: db.admin)
        #expect(try db.crm.userIPRules("ana").map(\.name) == ["VPN"])
        try db.crm.setUserIPRules("ana", [], by: db.admin)
        #expect(try db.crm.actor(unixLogin: "ana", from: "203.0.113.9").login == "ana")
        let ana = try db.crm.actor(unixLogin: "ana", from: nil)
        #expect(throws: CoreError.self) { try db.crm.addIPRule(name: "X", address: "10.0.0.1", by: ana) }
    }
}

@Suite struct RightsTests {
    @Test func everyActionALackingUserTriesIsRefusedByTheCore() throws {
        let db = try TestDatabase()
        try db.crm.addAccount(AccountInput(fields: [.code: "R1", .name: "Firma Unu SRL"]), by: db.admin)
        try db.crm.addUser(login: "ana", name: "Ana", unixLogin: "ana", by: db.admin)
        // Nothing set: everything but administration.
        var ana = try db.crm.actor(unixLogin: "ana", from: nil)
        #expect(ana.rights == nil)
        try db.crm.editAccount("R1", AccountInput(fields: [.city: "Arad"]), by: ana)
        try db.crm.setUserRights("ana", Rights.roles["citire"], by: db.admin)
        ana = try db.crm.actor(unixLogin: "ana", from: nil)
        #expect(try db.crm.accounts(AccountView(), for: db.admin).accounts.count == 1)
        #expect(try db.crm.accounts(AccountView(), for: ana).accounts.count == 1)   // view: granted
        let attempts: [(String, () throws -> Void)] = [
            ("add", { _ = try db.crm.addAccount(AccountInput(fields: [.name: "Doi SRL"]), by: ana) }),
            ("edit", { _ = try db.crm.editAccount("R1", AccountInput(fields: [.city: "Deva"]), by: ana) }),
            ("delete", { try db.crm.deleteAccount("R1", by: ana) }),
            ("import", { _ = try db.crm.importAccounts([], by: ana) }),
            ("export", { try db.crm.forEachRow(in: AccountView(), columns: [], for: ana) { _ in true } }),
            ("admin", { try db.crm.setUserRights("ana", nil, by: ana) }),
        ]
        for (action, attempt) in attempts {
            let refused = #expect(throws: CoreError.self, "\(action)") { try attempt() }
            #expect(refused?.message(.en).contains("ana") == true, "\(action)")
        }
        #expect(try db.crm.account("R1", for: db.admin).record.city == "Arad")
        #expect(throws: CoreError.self) { try db.crm.setUserRights("ana", ["accounts.fly"], by: db.admin) }
        try db.crm.setUserRights("ana", nil, by: db.admin)
        #expect(try db.crm.userRights("ana") == nil)
    }
}

@Suite struct SubscriptionTests {
    @Test func aModuleOutsideTheSubscriptionIsRefusedWhateverTheRights() throws {
        let db = try TestDatabase()
        try db.crm.addUser(login: "ana", name: "Ana", unixLogin: "ana", by: db.admin)
        try db.crm.setUserModules("ana", ["campaigns"], by: db.admin)
        let ana = try db.crm.actor(unixLogin: "ana", from: nil)
        #expect(ana.modules == ["campaigns"])
        let refused = #expect(throws: CoreError.self) { try db.crm.accounts(AccountView(), for: ana) }
        #expect(refused?.message(.en).contains("Accounts module is not in user ana's subscription") == true)
        #expect(throws: CoreError.self) { try db.crm.setUserModules("ana", ["zbor"], by: db.admin) }
        try db.crm.setUserModules("ana", ["accounts", "campaigns"], by: db.admin)
        #expect(try db.crm.accounts(AccountView(), for: try db.crm.actor(unixLogin: "ana", from: nil)).accounts.isEmpty)
        try db.crm.setUserModules("ana", nil, by: db.admin)
        #expect(try db.crm.userModules("ana") == nil)
    }
}
