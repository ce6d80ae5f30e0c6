import CRMCore
import CRMStore
import Foundation
import GRDB
import Testing

@Suite struct UserTests {
    @Test func passwordsAreArgon2idHashesThatVerify() throws {
        let hash = try Passwords.hash("corect-cal-baterie")
        #expect(hash.hasPrefix("$argon2id$"))
        #expect(Passwords.verify("corect-cal-baterie", hash: hash))
        #expect(!Passwords.verify("corect-cal-baterie!", hash: hash))
        #expect(!Passwords.verify("", hash: hash))
        #expect(try Passwords.hash("corect-cal-baterie") != hash)  // a new salt each time
        #expect(throws: CoreError.self) { try Passwords.hash("scurtă") }
    }

    @Test func aUserSignsInWithTheirPasswordUntilDisabled() throws {
        let db = try TestDatabase()
        try db.crm.addUser(login: "Ana.Pop", name: "Ana Pop", email: "Ana@Firma.ro", password: "parola-lunga-1", by: db.admin)
        let ana = try db.crm.authenticate(login: "ana.pop", password: "parola-lunga-1", source: nil)
        #expect(ana.login == "ana.pop")
        // A wrong password and an unknown login get the same answer.
        let wrong = #expect(throws: CoreError.self) { try db.crm.authenticate(login: "ana.pop", password: "parola-lunga-2", source: nil) }
        let unknown = #expect(throws: CoreError.self) { try db.crm.authenticate(login: "nimeni", password: "parola-lunga-1", source: nil) }
        #expect(wrong?.message(.en) == unknown?.message(.en))
        // Her own password she may change; another's, not.
        try db.crm.setPassword(nil, "parola-noua-22", by: ana)
        #expect(try db.crm.authenticate(login: "ana.pop", password: "parola-noua-22", source: nil).login == "ana.pop")
        #expect(throws: CoreError.self) { try db.crm.setPassword("tester", "parola-noua-22", by: ana) }
        #expect(throws: CoreError.self) { try db.crm.addUser(login: "x", name: "X", by: ana) }
        #expect(throws: CoreError.self) { try db.crm.audit(for: ana) }
        #expect(try db.crm.audit(user: "ana.pop", for: db.admin).map(\.operation) == ["user.password"])
        try db.crm.setUserDisabled("ana.pop", true, by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.authenticate(login: "ana.pop", password: "parola-noua-22", source: nil) }
        try db.crm.setUserDisabled("ana.pop", false, by: db.admin)
        #expect(try db.crm.authenticate(login: "ana.pop", password: "parola-noua-22", source: nil).login == "ana.pop")
    }

    @Test func theRulesOfUsersHold() throws {
        let db = try TestDatabase()
        // The last enabled administrator stays one; nobody disables themselves.
        #expect(throws: CoreError.self) { try db.crm.editUser(db.admin.login, UserChanges(isAdmin: false), by: db.admin) }
        #expect(throws: CoreError.self) { try db.crm.setUserDisabled(db.admin.login, true, by: db.admin) }
        try db.crm.addUser(login: "dan", name: "Dan", unixLogin: "dan", by: db.admin)
        // A Unix login maps one user; logins and e-mails are checked.
        #expect(throws: CoreError.self) { try db.crm.addUser(login: "dan2", name: "Dan 2", unixLogin: "dan", by: db.admin) }
        #expect(throws: CoreError.self) { try db.crm.addUser(login: "dan", name: "Dan 3", by: db.admin) }
        #expect(throws: CoreError.self) { try db.crm.addUser(login: "Ion Pop", name: "Ion", by: db.admin) }
        #expect(throws: CoreError.self) { try db.crm.editUser("dan", UserChanges(email: "nu-e-email"), by: db.admin) }
        #expect(try db.crm.actor(unixLogin: "dan", from: nil).login == "dan")
    }

    @Test func noPasswordHashReachesTheChangeLog() throws {
        let db = try TestDatabase()
        try db.crm.addUser(login: "ana", name: "Ana", password: "parola-lunga-1", by: db.admin)
        try db.crm.setPassword("ana", "parola-lunga-2", by: db.admin)
        let logged = try DatabaseQueue(path: db.path).read { r in
            try String.fetchAll(r, sql: "SELECT ifnull(old_value, '') || ' ' || ifnull(new_value, '') FROM change_log")
        }
        #expect(!logged.isEmpty && logged.allSatisfy { !$0.contains("argon2") })
    }

    @Test func failedSignInsAreRecordedAndSlowTheNextOnes() throws {
        #expect([0, 1, 2, 3, 4, 5, 12].map(CRM.signInDelay) == [0, 0, 0, 1, 2, 4, 30])
        let db = try TestDatabase()
        try db.crm.addUser(login: "ana", name: "Ana", password: "parola-lunga-1", by: db.admin)
        for _ in 0..<3 {
            #expect(throws: CoreError.self) { try db.crm.authenticate(login: "Ana", password: "greșită-greșită", source: "10.0.0.7") }
        }
        let rows = try DatabaseQueue(path: db.path).read { r in
            try Row.fetchAll(r, sql: "SELECT login, source FROM sign_in_failure").map { "\($0["login"] as String) \($0["source"] as String)" }
        }
        #expect(rows == Array(repeating: "ana 10.0.0.7", count: 3))
        // The fourth attempt, even with the right password, waits a second first.
        let start = Date()
        #expect(try db.crm.authenticate(login: "ana", password: "parola-lunga-1", source: nil).login == "ana")
        #expect(Date().timeIntervalSince(start) >= 1)
    }

    @Test func onlyANewDatabaseTakesWhoeverInitialisesItAsAdministrator() throws {
        let db = try TestDatabase()
        #expect(try db.crm.initialize(unixLogin: "tester").isAdmin)
        try db.crm.addUser(UserRecord(login: "ana", name: "Ana", unixLogin: "ana"), by: db.admin)
        // Mapped: the same user back, an administrator or not.
        #expect(try db.crm.initialize(unixLogin: "ana").login == "ana")
        #expect(try db.crm.initialize(unixLogin: "ana").isAdmin == false)
        #expect {
            try db.crm.initialize(unixLogin: "intrus")
        } throws: { error in
            guard case CoreError.refused(let text) = error else { return false }
            return text.en.contains("ask an administrator to add you")
        }
        #expect(try db.crm.users().map(\.login).sorted() == ["ana", "tester"])
    }
}
