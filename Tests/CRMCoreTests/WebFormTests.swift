import CRMCore
import CRMStore
import Foundation
import Testing

/// Web forms in the core (ADM-3): what a form may be, what a submission makes
/// (and refuses), duplicates, the user told, rights, zones, merge and delete.
@Suite struct WebFormTests {
    /// Zones Nord and Sud, a leads folder, Ana (Nord) and a form sending there, told to her.
    func base(duplicates: WebFormDuplicates = .attach) throws -> (db: TestDatabase, ana: Actor, token: String) {
        let db = try TestDatabase()
        for zone in ["Nord", "Sud"] { try db.crm.addZone(name: zone, by: db.admin) }
        try db.crm.addFolder(name: "Lead-uri", parent: "Conturi", by: db.admin)
        try db.crm.addUser(UserRecord(login: "ana", name: "Ana Pop", unixLogin: "ana"), zones: ["Nord"], by: db.admin)
        let ana = try db.crm.actor(unixLogin: "ana", from: nil)
        let form = try db.crm.saveWebForm(WebFormDefinition(
            name: "Contact", successMessage: "Mulțumim!", errorMessage: "Nu s-a putut.", duplicates: duplicates, notify: "ana",
            fields: [WebFormField(label: "Firma", target: "account.name"), WebFormField(label: "Nume", target: "contact.name", required: true),
                     WebFormField(label: "E-mail", target: "contact.email", required: true), WebFormField(label: "CUI", target: "account.cui"),
                     WebFormField(label: "Mesaj", target: "account.notes", type: .textarea),
                     WebFormField(label: "Newsletter", target: "account.vatPayer", type: .checkbox)],
            presets: [WebFormPreset(target: "account.folder", value: "Lead-uri"), WebFormPreset(target: "account.zone", value: "Nord"),
                      WebFormPreset(target: "account.owner", value: "ana")]), by: db.admin)
        return (db, ana, form.token)
    }

    func rejection(_ body: () throws -> Void) -> WebFormRejection? {
        do { try body() } catch let r as WebFormRejection { return r } catch { Issue.record("not a rejection: \(error)") }
        return nil
    }

    @Test func aSubmissionMakesAnAccountAndItsContactWithThePresetsAndTellsTheUser() throws {
        let (db, ana, token) = try base()
        let receipt = try db.crm.submitWebForm(token: token, [("firma", "Țesătoria Șerbănescu SRL"), ("nume", "Ștefan Țurcanu"),
                                                              ("e_mail", "stefan@tesatoria.ro"), ("mesaj", "Rând unu\r\nrând doi"),
                                                              ("newsletter", "da"), ("necunoscut", "ignorat")])
        #expect(receipt.outcome == .created)
        #expect(receipt.message == "Mulțumim!")
        let account = try db.crm.account(try #require(receipt.accountUUID), for: db.admin)
        #expect(account.record.name == "Țesătoria Șerbănescu SRL")
        #expect(account.folderPath == "Conturi/Lead-uri")
        #expect(account.zone == "Nord" && account.owner == "ana")
        #expect(account.record.notes == "Rând unu\nrând doi")
        #expect(account.record.vatPayer)
        #expect(account.record.meta?.createdBy == nil)
        #expect(account.primaryContact?.name == "Ștefan Țurcanu")
        #expect(account.primaryContact?.email == "stefan@tesatoria.ro")
        // Searchable at once, by its contact too.
        #expect(try db.crm.accounts(AccountView(search: "turcanu"), for: db.admin).accounts.map(\.record.name) == ["Țesătoria Șerbănescu SRL"])
        #expect(try db.crm.accounts(AccountView(search: "tesatoria.ro"), for: db.admin).accounts.count == 1)
        // Told to Ana: once, until she has seen it.
        let unseen = try db.crm.unseenSubmissions(for: ana)
        #expect(unseen.count == 1)
        #expect(unseen.first?.accountName == "Țesătoria Șerbănescu SRL" && unseen.first?.form == "Contact" && unseen.first?.attached == false)
        #expect(unseen.first?.summary.contains("Mesaj: Rând unu\nrând doi") == true)
        #expect(try db.crm.unseenSubmissions(for: db.admin).isEmpty)
        try db.crm.markSubmissionsSeen(unseen.map(\.uuid), by: db.admin)  // not hers to mark
        #expect(try db.crm.unseenSubmissions(for: ana).count == 1)
        try db.crm.markSubmissionsSeen(unseen.map(\.uuid), by: ana)
        #expect(try db.crm.unseenSubmissions(for: ana).isEmpty)
        // Without a company name the contact's names the account.
        let person = try db.crm.submitWebForm(token: token, [("nume", "Maria Ionescu"), ("e_mail", "maria@exemplu.ro")])
        #expect(try db.crm.account(try #require(person.accountUUID), for: db.admin).record.name == "Maria Ionescu")
        // The operation is the form's, in the change log.
        #expect(try db.crm.submissions(ofForm: "contact", for: db.admin).count == 2)
    }

    @Test func theSameAddressOrCUIAttachesOrIsRefusedByTheFormsPolicy() throws {
        let (db, ana, token) = try base()
        let existing = try db.crm.addAccount(AccountInput(fields: [.name: "Existent SRL", .cui: "18547290", .zone: "Sud"]), by: db.admin)
        try db.crm.addContact(toAccount: existing.meta!.uuid.description, [.name: "Ion Pop", .email: "ion@existent.ro"], primary: true, by: db.admin)
        let count = try db.crm.accountCount(for: db.admin)
        // By a contact's address, another letter case: attached, the contact not doubled.
        let a = try db.crm.submitWebForm(token: token, [("nume", "Ion Pop"), ("e_mail", "ION@existent.ro")])
        #expect(a.outcome == .attached && a.accountUUID == existing.meta!.uuid.description)
        #expect(try db.crm.contacts(ofAccount: existing.meta!.uuid.description, for: db.admin).count == 1)
        // By the CUI: attached, the new person joins as a contact.
        let b = try db.crm.submitWebForm(token: token, [("firma", "Alt nume"), ("nume", "Elena Stan"), ("e_mail", "elena@existent.ro"),
                                                        ("cui", "RO18547290")])
        #expect(b.outcome == .attached)
        #expect(try db.crm.contacts(ofAccount: existing.meta!.uuid.description, for: db.admin).map(\.name).sorted() == ["Elena Stan", "Ion Pop"])
        #expect(try db.crm.accountCount(for: db.admin) == count)
        // Ana is told, though the account is in Sud: she sees the submission, not the account.
        let told = try db.crm.unseenSubmissions(for: ana)
        #expect(told.count == 2 && told.allSatisfy { $0.accountName == nil && $0.attached })

        let (db2, _, token2) = try base(duplicates: .reject)
        try db2.crm.addAccount(AccountInput(fields: [.name: "Existent SRL", .email: "office@existent.ro", .zone: "Sud"]), by: db2.admin)
        let refused = rejection { _ = try db2.crm.submitWebForm(token: token2, [("nume", "X"), ("e_mail", "office@existent.ro")]) }
        #expect(refused?.message == "Nu s-a putut.")
        #expect(refused?.issues.first?.text.contains("există deja") == true)
        #expect(try db2.crm.accountCount(for: db2.admin) == 1)
    }

    @Test func badSubmissionsAreRefusedWholeAndNamedByTheirFields() throws {
        let (db, _, token) = try base()
        let before = try db.crm.accountCount(for: db.admin)
        let missing = rejection { _ = try db.crm.submitWebForm(token: token, [("firma", "X SRL"), ("e_mail", "nu-e-adresă")]) }
        #expect(missing?.issues.map(\.field).sorted() == ["e_mail", "nume"])
        #expect(missing?.issues.first { $0.field == "nume" }?.text == "este obligatoriu")
        let control = rejection { _ = try db.crm.submitWebForm(token: token, [("firma", "X\u{1B}[31m"), ("nume", "Ion"), ("e_mail", "i@x.ro")]) }
        #expect(control?.issues.map(\.field) == ["firma"])
        // A long text keeps its lines; a one-line field does not take them.
        #expect(rejection { _ = try db.crm.submitWebForm(token: token, [("firma", "X\nY"), ("nume", "Ion"), ("e_mail", "i@x.ro")]) } != nil)
        let twice = rejection { _ = try db.crm.submitWebForm(token: token, [("nume", "Ion"), ("nume", "Ana"), ("e_mail", "i@x.ro")]) }
        #expect(twice?.issues.map(\.field) == ["nume"])
        let cui = rejection { _ = try db.crm.submitWebForm(token: token, [("nume", "Ion"), ("e_mail", "i@x.ro"), ("cui", "<b>123</b>")]) }
        #expect(cui?.issues.map(\.field) == ["cui"])
        let tooLong = rejection { _ = try db.crm.submitWebForm(token: token, [("nume", String(repeating: "a", count: 300)), ("e_mail", "i@x.ro")]) }
        #expect(tooLong?.issues.map(\.field) == ["nume"])
        let many = rejection { _ = try db.crm.submitWebForm(token: token, (0...100).map { ("x\($0)", "y") }) }
        #expect(many != nil)
        // The honeypot: told it worked, nothing kept.
        let robot = try db.crm.submitWebForm(token: token, [("nume", "Robot"), ("e_mail", "r@x.ro"), ("crm_website", "http://spam")])
        #expect(robot.outcome == .spam && robot.accountUUID == nil)
        #expect(try db.crm.accountCount(for: db.admin) == before)
        // An unknown or switched-off form is not found.
        #expect(throws: CoreError.self) { try db.crm.submitWebForm(token: "nimic", [("nume", "Ion")]) }
        var d = try db.crm.webForm("Contact", for: db.admin).definition
        d.enabled = false
        try db.crm.saveWebForm(d, replacing: "Contact", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.submitWebForm(token: token, [("nume", "Ion"), ("e_mail", "i@x.ro")]) }
        #expect(try db.crm.webForm(token: token) == nil)
    }

    @Test func aDefinitionIsCheckedAgainstTheBaseAndKeepsItsNamesAndAddress() throws {
        let (db, ana, token) = try base()
        func problems(_ change: (inout WebFormDefinition) -> Void) throws -> [String] {
            var d = try db.crm.webForm("Contact", for: db.admin).definition
            change(&d)
            return try db.crm.checkWebForm(d).map { $0.message(.en) }
        }
        #expect(try problems { _ in }.isEmpty)
        #expect(try problems { $0.presets.removeAll { $0.target == "account.zone" } }.contains { $0.contains("zones are in use") })
        #expect(try problems { $0.presets[0].value = "Nicăieri" }.count == 1)
        #expect(try problems { $0.fields.append(WebFormField(label: "Alt nume", target: "account.name")) }.contains { $0.contains("same column") })
        #expect(try problems { $0.fields.append(WebFormField(label: "Zona", target: "account.zone")) }.contains { $0.contains("predefined") })
        #expect(try problems { $0.fields[1].required = false }.contains { $0.contains("Contacts → Name required") })
        #expect(try problems { $0.successURL = "javascript:alert(1)" }.contains { $0.contains("web address") })
        #expect(try problems { $0.site = "https://www.firma.ro/contact" }.contains { $0.contains("origin") })
        #expect(try problems { $0.fields = [] }.contains { $0.contains("no field") })
        #expect(try problems { $0.notify = "nimeni" }.count == 1)
        #expect(try problems { $0.fields[0].label = "Firma\u{1B}[2J" }.contains { $0.contains("control characters") })
        // A mandatory account field (an administrator's rule) must be asked or predefined.
        try db.crm.setFieldRule(entity: "account", field: "phone", mandatory: true, unique: false, by: db.admin)
        #expect(try problems { _ in }.contains { $0.contains("Phone is mandatory") })
        try db.crm.setFieldRule(entity: "account", field: "phone", mandatory: false, unique: false, by: db.admin)
        // Saved again with a field renamed: its name in the page and the address stay.
        var d = try db.crm.webForm("Contact", for: db.admin).definition
        d.fields[0].label = "Denumirea firmei"
        d.fields[0].name = ""
        let saved = try db.crm.saveWebForm(d, replacing: "Contact", by: db.admin)
        #expect(saved.token == token)
        #expect(saved.definition.fields[0].name == "firma")
        // Only administrators design forms.
        #expect(throws: CoreError.self) { try db.crm.webForms(for: ana) }
        #expect(throws: CoreError.self) { try db.crm.saveWebForm(d, by: ana) }
        // A new address: the old one stops answering.
        let renewed = try db.crm.renewWebFormAddress("Contact", by: db.admin)
        #expect(renewed != token && renewed.count >= 22)
        #expect(try db.crm.webForm(token: token) == nil && db.crm.webForm(token: renewed) != nil)
    }

    @Test func submissionsFollowTheirAccountIntoAMergeAndLoseItWhenItIsDeleted() throws {
        let (db, _, token) = try base()
        let a = try #require(try db.crm.submitWebForm(token: token, [("firma", "Alfa SRL"), ("nume", "Ion"), ("e_mail", "ion@alfa.ro")]).accountUUID)
        let b = try #require(try db.crm.submitWebForm(token: token, [("firma", "Alfa S.R.L."), ("nume", "Ana"), ("e_mail", "ana@alfa.ro")]).accountUUID)
        _ = try db.crm.merge(try db.crm.mergePlan(survivor: a, others: [b], for: db.admin), by: db.admin)
        let subs = try db.crm.submissions(ofForm: "Contact", for: db.admin)
        #expect(subs.count == 2 && subs.allSatisfy { $0.accountUUID == a })
        _ = try db.crm.undoMerge(nil, by: db.admin)
        #expect(Set(try db.crm.submissions(ofForm: "Contact", for: db.admin).compactMap(\.accountUUID)) == [a, b])
        try db.crm.deleteAccount(b, by: db.admin)
        let after = try db.crm.submissions(ofForm: "Contact", for: db.admin)
        #expect(after.count == 2 && after.filter { $0.accountUUID == nil }.count == 1)
        // Deleting the form keeps the accounts it made.
        try db.crm.deleteWebForm("Contact", by: db.admin)
        #expect(try db.crm.account(a, for: db.admin).record.name == "Alfa SRL")
    }

    @Test func theSnippetWorksWithoutScriptAndEscapesWhatTheDesignerTyped() throws {
        let (db, _, _) = try base()
        var d = try db.crm.webForm("Contact", for: db.admin).definition
        d.fields[0].label = "Firma <script>alert(1)</script> & co"
        let form = try db.crm.saveWebForm(d, replacing: "Contact", by: db.admin)
        let html = WebFormHTML.snippet(form, action: form.address(base: "https://crm.firma.ro/"))
        #expect(html.contains("<form class=\"crm-form\""))
        #expect(html.contains("action=\"https://crm.firma.ro/f/\(form.token)\" method=\"post\""))
        #expect(html.contains("Firma &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("<input type=\"email\""))
        #expect(html.contains("<textarea"))
        #expect(html.contains("type=\"checkbox\""))
        #expect(html.contains("name=\"crm_website\" tabindex=\"-1\""))
        // Each field's name in the page is what the service reads.
        for field in form.definition.fields { #expect(html.contains("name=\"\(field.name)\"")) }
    }
}
