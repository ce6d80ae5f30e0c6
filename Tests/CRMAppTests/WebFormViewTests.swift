import CRMCore
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// Setări → Formulare web through the key map: a form designed (settings,
/// fields, predefined fields, a field moved and one removed), what the core
/// still finds wrong shown as it is built, saved, its HTML generated to a file
/// and shown, its submissions listed; and a submission arriving from another
/// process popping up for the user it is told to, Enter opening its account.
@Suite struct WebFormViewTests {
    @Test func aFormIsDesignedSavedAndGeneratedInTheTerminal() throws {
        let db = try DemoDatabase(accounts: 20, invoicing: false)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 140, height: 44)
        _ = browser.perform("forms.admin")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("Web forms") && terminal.text.contains("Formular contact · 7 · 0"), "\(terminal.text)")
        // A new form: the settings first.
        db.more(&browser, terminal, [.char("n")])
        #expect(terminal.text.contains("Web form: new") && terminal.text.contains("the form has no field"), "\(terminal.text)")
        db.more(&browser, terminal, [.char("s")])
        CampaignViewTests.fill(db, &browser, terminal, ["name": "Cerere ofertă", "success": "Mulțumim, revenim cu oferta.",
                                                         "site": "https://www.carpaticsoft.ro/", "duplicates": "reject",
                                                         "notify": "cristina.lazar"])
        #expect(terminal.text.contains("Web form: Cerere ofertă •") && terminal.text.contains("reject"), "\(terminal.text)")
        // Adăugare câmp: three fields; the company's name, the person, the address.
        db.more(&browser, terminal, [.insert])
        #expect(terminal.text.contains("Add field") && terminal.text.contains("Table → column"), "\(terminal.text)")
        CampaignViewTests.fill(db, &browser, terminal, ["label": "Firma", "target": "account.name", "required": "da"])
        db.more(&browser, terminal, [.insert])
        CampaignViewTests.fill(db, &browser, terminal, ["label": "E-mail", "target": "contact.email", "required": "da"])
        #expect(terminal.text.contains("E-mail · Contacts → E-mail · e-mail · required"), "\(terminal.text)")
        // The contact needs its name: the core says so until it is there.
        #expect(terminal.text.contains("make the field Contacts → Name required"), "\(terminal.text)")
        db.more(&browser, terminal, [.insert])
        CampaignViewTests.fill(db, &browser, terminal, ["label": "Persoana de contact", "target": "contact.name", "required": "da"])
        // Moved up before the e-mail, and a stray field removed.
        db.more(&browser, terminal, [.char("<")])
        db.more(&browser, terminal, [.insert])
        CampaignViewTests.fill(db, &browser, terminal, ["label": "Observații", "target": "account.notes"])
        db.more(&browser, terminal, [.delete])
        #expect(!terminal.text.contains("Observații ·"), "\(terminal.text)")
        // Zones are in use in the demo: without a zone the form is refused.
        #expect(terminal.text.contains("zones are in use"), "\(terminal.text)")
        db.more(&browser, terminal, [.function(2)])
        #expect(try terminal.text.contains("zones are in use") && db.crm.webForms(for: db.admin).count == 1, "\(terminal.text)")
        // Adăugare câmp predefinit: the folder and the zone.
        db.more(&browser, terminal, [.char("p")])
        #expect(terminal.text.contains("Add predefined field") && terminal.text.contains("Folders:"), "\(terminal.text)")
        CampaignViewTests.fill(db, &browser, terminal, ["target": "account.folder", "value": "Prospecți/Târguri și evenimente"])
        db.more(&browser, terminal, [.char("p")])
        CampaignViewTests.fill(db, &browser, terminal, ["target": "account.zone", "value": "Vest"])
        #expect(!terminal.text.contains("⚠"), "\(terminal.text)")
        db.more(&browser, terminal, [.function(2)])
        #expect(terminal.text.contains("Form saved: Cerere ofertă") && terminal.text.contains("/f/"), "\(terminal.text)")
        let saved = try db.crm.webForm("Cerere ofertă", for: db.admin)
        #expect(saved.definition.fields.map(\.label) == ["Firma", "Persoana de contact", "E-mail"])
        #expect(saved.definition.fields.map(\.name) == ["firma", "persoana_de_contact", "e_mail"])
        #expect(saved.definition.site == "https://www.carpaticsoft.ro" && saved.definition.duplicates == .reject)
        #expect(saved.definition.notify == "cristina.lazar")
        #expect(saved.definition.presets == [WebFormPreset(target: "account.folder", value: "Prospecți/Târguri și evenimente"),
                                             WebFormPreset(target: "account.zone", value: "Vest")])
        // Generează formular: written to a file and shown.
        let file = db.dir.appendingPathComponent("cerere.html").path
        db.more(&browser, terminal, [.char("g")])
        #expect(terminal.text.contains("Generate the form: Cerere ofertă"), "\(terminal.text)")
        CampaignViewTests.fill(db, &browser, terminal, ["base": "https://crm.carpaticsoft.ro", "file": file])
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.contains("action=\"https://crm.carpaticsoft.ro/f/\(saved.token)\""))
        #expect(terminal.text.contains("— written to") && terminal.text.contains("<form class=\"crm-form\""), "\(terminal.text)")
        // Closing the code goes back to the designer; Esc there to the list.
        db.more(&browser, terminal, [.escape])
        guard case .webFormDesigner? = browser.overlay else { Issue.record("not back on the designer: \(terminal.text)"); return }
        db.more(&browser, terminal, [.escape])
        #expect(terminal.text.contains("Cerere ofertă · 3 · 0"), "\(terminal.text)")
        // Accesează formular: its address at the service (no display here to open a browser on).
        db.more(&browser, terminal, [.home, .char("a")])
        #expect(terminal.text.contains("/f/\(saved.token)") || terminal.text.contains("/f/"), "\(terminal.text)")
        // R: a form's submissions, exportable.
        let token = try db.crm.webForm("Formular contact", for: db.admin).token
        for email in ["ioana@brutaria-taranului.ro", "IOANA@brutaria-taranului.ro"] {
            _ = try db.crm.submitWebForm(token: token, [("firma", "Brutăria Țăranului SRL"), ("nume_si_prenume", "Ioana Șerban"), ("e_mail", email)])
        }
        _ = browser.perform("forms.admin")
        db.more(&browser, terminal, [.end, .char("r")])
        #expect(terminal.text.contains("Submissions: Formular contact") && terminal.text.contains("Brutăria Țăranului SRL")
                && terminal.text.contains("attached to the existing"), "\(terminal.text)")
        // Del twice deletes a form.
        _ = browser.perform("forms.admin")
        db.more(&browser, terminal, [.home, .delete])
        #expect(terminal.text.contains("Del once more deletes «Cerere ofertă»"), "\(terminal.text)")
        db.more(&browser, terminal, [.delete])
        #expect(try db.crm.webForms(for: db.admin).map(\.definition.name) == ["Formular contact"])
    }

    @Test func aSubmissionFromTheServicePopsUpForItsUserAndOpensItsAccount() throws {
        let db = try DemoDatabase(accounts: 20, invoicing: false)
        let cristina = try db.crm.actor(forLogin: "cristina.lazar", by: db.admin)
        var d = try db.crm.webForm("Formular contact", for: db.admin).definition
        d.notify = "cristina.lazar"
        let form = try db.crm.saveWebForm(d, replacing: "Formular contact", by: db.admin)
        // What the demo's visitors sent before is seen already.
        try db.crm.markSubmissionsSeen(try db.crm.unseenSubmissions(for: cristina).map(\.uuid), by: cristina)
        var browser = AccountBrowser(crm: db.crm, actor: cristina, keymap: DemoDatabase.keymap, appearance: Appearance(language: .en),
                                     resources: DemoDatabase.resources)
        let terminal = MemoryTerminal(width: 130, height: 36)
        db.more(&browser, terminal, [])
        _ = browser.idle()
        // crm serve is another process: another connection to the same file.
        let service = CRM(store: try Store.open(path: db.crm.store.path, mode: .existing))
        #expect(throws: WebFormRejection.self) {
            try service.submitWebForm(token: form.token, [("firma", "Cofetăria \u{1B}[31mRoșie SRL"), ("nume_si_prenume", "Ana"),
                                                          ("e_mail", "ana@cofetaria.ro")])
        }
        // An escape sequence was refused; the same visitor, properly typed, gets through.
        let ok = try? service.submitWebForm(token: form.token, [("firma", "Cofetăria <Roșie> SRL"), ("nume_si_prenume", "Ana Roșu"),
                                                               ("e_mail", "ana@cofetaria.ro"), ("mesaj", "Tort pentru 50 de persoane")])
        #expect(ok?.outcome == .created)
        _ = browser.idle()
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("Web forms: 1 new submissions") && terminal.text.contains("Cofetăria <Roșie> SRL · new account")
                && terminal.text.contains("Mesaj: Tort pentru 50 de persoane"), "\(terminal.text)")
        db.more(&browser, terminal, [.enter])
        #expect(browser.overlay == nil)
        #expect(browser.selectedAccount?.record.name == "Cofetăria <Roșie> SRL", "\(terminal.text)")
        #expect(try db.crm.unseenSubmissions(for: cristina).isEmpty)
        // Its Changes tab says what made it.
        db.more(&browser, terminal, [.char("]")])
        #expect(terminal.text.contains("insert · webform.submit"), "\(terminal.text)")
        // Seen: it does not pop up again.
        _ = try service.submitWebForm(token: form.token, [("nume_si_prenume", "Ana Roșu"), ("e_mail", "ANA@cofetaria.ro")])
        _ = browser.idle()
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("1 new submissions") && terminal.text.contains("attached to the existing"), "\(terminal.text)")
        db.more(&browser, terminal, [.escape])
        #expect(try browser.overlay == nil && db.crm.unseenSubmissions(for: cristina).isEmpty)
    }
}
