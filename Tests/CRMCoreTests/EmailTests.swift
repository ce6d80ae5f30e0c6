import CRMCore
import CRMStore
import Foundation
import Testing

/// E-mail settings and templates in the core: who may change what, the
/// password sealed under the key file, templates' placeholders checked.
@Suite struct EmailTests {
    @Test func thePasswordIsSealedUnderTheKeyBesideTheDatabaseAndOnlyAdministratorsSetTheCompanysSettings() throws {
        let db = try TestDatabase()
        let settings = try db.crm.setEmailSettings([.host: "smtp.firma.ro", .port: "587", .from: "office@firma.ro"], password: "parolă 42",
                                                   mine: false, by: db.admin)
        #expect(settings.hasPassword && settings.sealedPassword?.contains("parolă") == false)
        #expect(try db.crm.emailPassword(settings) == "parolă 42")
        #expect(FileManager.default.fileExists(atPath: db.path + ".key"))
        // A user may not change the company's settings, but may keep their own, which win for them.
        let ana = try db.user("ana")
        #expect(throws: CoreError.self) { try db.crm.setEmailSettings([.from: "ana@firma.ro"], mine: false, by: ana) }
        try db.crm.setEmailSettings([.from: "ana@firma.ro", .host: "smtp.firma.ro"], mine: true, by: ana)
        #expect(try db.crm.emailSettings(for: ana).settings.from == "ana@firma.ro" && (try db.crm.emailSettings(for: ana).scope) == "user")
        #expect(try db.crm.emailSettings(for: db.admin).settings.from == "office@firma.ro")
        // Bad values are named; another key cannot open the password.
        #expect { try db.crm.setEmailSettings([.port: "99999", .security: "ssl", .replyTo: "nu"], mine: false, by: db.admin) } throws: { error in
            Set((error as? CoreError)?.issues.map(\.field) ?? []) == ["port", "security", "replyTo"]
        }
        try Data(repeating: 7, count: 32).write(to: URL(fileURLWithPath: db.path + ".key"))
        #expect(throws: CoreError.self) { try db.crm.emailPassword(settings) }
    }

    @Test func templatesKnowTheirPlaceholdersAndAreAdministered() throws {
        let db = try TestDatabase()
        #expect { try db.crm.addEmailTemplate(name: "T", subject: "Oferta {{offer.numar}}", body: "{{client.nume}}", by: db.admin) } throws: { error in
            (error as? CoreError)?.issues.map(\.field) == ["subject", "body"]
        }
        try db.crm.addEmailTemplate(name: "Ofertă", subject: "Oferta {{offer.number}}", body: "Bună ziua, {{client.contact}}", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.addEmailTemplate(name: "ofertă", subject: "x", body: "y", by: db.admin) }
        let ana = try db.user("ana")
        #expect(throws: CoreError.self) { try db.crm.addEmailTemplate(name: "A", subject: "x", body: "y", by: ana) }
        try db.crm.editEmailTemplate("OFERTĂ", retired: true, by: db.admin)
        #expect(try db.crm.emailTemplates(for: db.admin).isEmpty && (try db.crm.emailTemplates(includingRetired: true, for: db.admin)).count == 1)
    }
}
