import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// Trimitere e-mail through the key map: a template filled for the account,
/// the message kept in the history before it leaves (through a sendmail that
/// writes it to a file, or refuses it), its failure shown with the reason and
/// sent again with R, the history's colours; e-mail templates in Setări.
@Suite struct EmailViewTests {
    /// A sendmail that keeps each message in `dir`, or refuses it while `dir/refuse` exists.
    static func sendmail(in dir: URL) throws -> String {
        let script = dir.appendingPathComponent("sendmail.sh")
        try """
            #!/bin/sh
            if [ -e "\(dir.path)/refuse" ]; then echo "mailbox full" >&2; exit 75; fi
            cat > "\(dir.path)/sent-$$.eml"
            """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        return script.path
    }

    static func sent(in dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("sent-") }
            .map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
    }

    /// Lets the background sending end and the page take its outcome.
    static func settle(_ db: DemoDatabase, _ browser: inout AccountBrowser, _ terminal: MemoryTerminal) {
        if case .progress(let job)? = browser.overlay { _ = job.wait() }
        db.more(&browser, terminal, [])
    }

    @Test func anEmailFromTheAccountIsFilledFromATemplateKeptInTheHistoryAndAFailureIsSentAgain() throws {
        let db = try DemoDatabase(accounts: 3, invoicing: false)
        let outbox = db.dir.appendingPathComponent("outbox")
        try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
        try db.crm.setEmailSettings([.transport: "sendmail", .sendmail: try Self.sendmail(in: outbox), .from: "office@firma.ro"],
                                    mine: false, by: db.admin)
        try db.crm.addEmailTemplate(name: "Anunț", subject: "Pentru {{client.name}}", body: "Bună ziua, **{{client.contact}}**!", by: db.admin)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 130, height: 40)
        db.more(&browser, terminal, [])
        let account = try #require(browser.selectedAccount)
        try db.crm.addContact(toAccount: account.record.meta!.uuid.description, [.name: "Ioana Mureșan", .email: "ioana@client.ro"], primary: true,
                              by: db.admin)
        db.more(&browser, terminal, [])
        // Alt+E: the dialog, To the primary contact; → picks the template, which fills the subject and the message.
        db.more(&browser, terminal, [.alt("e"), .right])
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("no e-mail dialog: \(terminal.text)"); return }
        #expect(terminal.text.contains("Send e-mail — " + account.record.name))
        #expect(dialog.form.value("to").hasSuffix("<ioana@client.ro>") && dialog.form.value("subject") == "Pentru " + account.record.name)
        #expect(dialog.form.value("text").hasPrefix("Bună ziua, **"))
        // F2 sends: stored, then sent; the history shows it, not opened.
        db.more(&browser, terminal, [.function(2)])
        Self.settle(db, &browser, terminal)
        #expect(terminal.text.contains("E-mail sent to"), "\(terminal.text)")
        let message = try #require(try Self.sent(in: outbox).first)
        #expect(message.contains("X-CRM-Entry: ") && message.contains("ioana@client.ro"))
        var emails = try db.crm.emails(account: account.record.meta!.uuid.description, for: db.admin)
        #expect(emails.count == 1 && emails[0].record.state == .sent && emails[0].record.html?.contains("<b>") == true)
        db.more(&browser, terminal, [.char("]"), .char("]")])
        #expect(browser.tab == .work && terminal.text.contains("✉ not opened · Pentru " + account.record.name))
        #expect(browser.workStyle(browser.work.first { if case .email = $0 { true } else { false } }!).foreground == .visited)
        // The server refuses the next one: the entry stays, failed with the reason, red; Enter then R sends it again.
        FileManager.default.createFile(atPath: outbox.appendingPathComponent("refuse").path, contents: nil)
        db.more(&browser, terminal, [.alt("e"), .function(2)])
        // Without a subject the dialog stays, naming it.
        guard case .dialog(var second)? = browser.overlay else { Issue.record("the dialog closed: \(terminal.text)"); return }
        #expect(second.form.fields.first { $0.id == "subject" }?.error != nil)
        second.form.set("subject", "Revin cu detalii")
        browser.overlay = .dialog(second)
        db.more(&browser, terminal, [.function(2)])
        Self.settle(db, &browser, terminal)
        #expect(terminal.text.contains("The e-mail was not sent"), "\(terminal.text)")
        emails = try db.crm.emails(account: account.record.meta!.uuid.description, for: db.admin)
        let failed = try #require(emails.first { $0.record.state == .failed })
        #expect(failed.record.failure(.en)?.contains("mailbox full") == true)
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("✉ NOT SENT · Revin cu detalii") && browser.workStyle(.email(failed)).foreground == .error)
        try FileManager.default.removeItem(at: outbox.appendingPathComponent("refuse"))
        let at = browser.work.firstIndex { if case .email(let e) = $0 { e.uuid == failed.uuid } else { false } }!
        browser.focus = .details
        browser.workIndex = at
        db.more(&browser, terminal, [.enter])
        #expect(terminal.text.contains("mailbox full") && terminal.text.contains("r sends again"), "\(terminal.text)")
        db.more(&browser, terminal, [.char("r")])
        Self.settle(db, &browser, terminal)
        #expect(try db.crm.email(failed.uuid, for: db.admin).record.state == .sent && (try Self.sent(in: outbox)).count == 2)
        // Opened elsewhere (crm serve writes the counts): the open page turns it green by itself.
        try db.crm.recordTracking([TrackingHit(email: failed.uuid, isClick: false, at: 1)])
        db.more(&browser, terminal, [])
        let shown = browser.work.first { if case .email(let e) = $0 { e.uuid == failed.uuid } else { false } }!
        #expect(browser.workStyle(shown).foreground == .opened && terminal.text.contains("✉ opened (1/0) · Revin"))
    }

    @Test func emailTemplatesAreWrittenPreviewedAndSavedToAnHTMLFileFromSetari() throws {
        let db = try DemoDatabase(accounts: 2, invoicing: false)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 130, height: 40)
        _ = browser.perform("emailtemplates.admin")
        db.more(&browser, terminal, [.enter])
        guard case .dialog(var dialog)? = browser.overlay else { Issue.record("no template dialog: \(terminal.text)"); return }
        #expect(terminal.text.contains("New e-mail template") && terminal.text.contains("{{client.name}}"))
        let file = db.dir.appendingPathComponent("salut.html").path
        dialog.form.set("name", "Salut")
        dialog.form.set("subject", "Pentru {{client.name}}")
        dialog.form.set("body", "<p>Bună ziua, {{client.name}}!</p>")
        dialog.form.set("save", file)
        dialog.form.focus = dialog.form.fields.firstIndex { $0.id == "body" }!
        browser.overlay = .dialog(dialog)
        // F3 on the body: the text as the selected account receives it; Esc goes back to the dialog.
        db.more(&browser, terminal, [.function(3)])
        let client = try #require(browser.selectedAccount?.record.name)
        #expect(terminal.text.contains("E-mail template preview") && terminal.text.contains("Bună ziua, \(client)!"), "\(terminal.text)")
        db.more(&browser, terminal, [.escape, .function(2)])
        #expect(browser.overlay == nil && terminal.text.contains("Template saved: Salut"), "\(terminal.text)")
        #expect(try db.crm.emailTemplate("salut", for: db.admin).body == "<p>Bună ziua, {{client.name}}!</p>")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "<p>Bună ziua, {{client.name}}!</p>")
        // Loaded back from a file into the template.
        try "<p>Altfel, {{client.name}}</p>".write(toFile: file + ".2.html", atomically: true, encoding: .utf8)
        _ = browser.perform("emailtemplates.admin")
        let place = try db.crm.emailTemplates(includingRetired: true, for: db.admin).firstIndex { $0.name == "Salut" }! + 1
        db.more(&browser, terminal, Array(repeating: .down, count: place) + [.enter])
        guard case .dialog(var existing)? = browser.overlay else { Issue.record("no template dialog: \(terminal.text)"); return }
        existing.form.set("load", file + ".2.html")
        browser.overlay = .dialog(existing)
        db.more(&browser, terminal, [.function(2)])
        #expect(try db.crm.emailTemplate("salut", for: db.admin).body == "<p>Altfel, {{client.name}}</p>")
        // An unknown placeholder is refused under its field.
        _ = browser.perform("emailtemplates.admin")
        db.more(&browser, terminal, [.enter])
        guard case .dialog(var bad)? = browser.overlay else { return }
        bad.form.set("name", "Greșit")
        bad.form.set("subject", "{{nu.exista}}")
        browser.overlay = .dialog(bad)
        db.more(&browser, terminal, [.function(2)])
        #expect(terminal.text.contains("{{nu.exista}}") && (try? db.crm.emailTemplate("Greșit", for: db.admin)) == nil)
    }

    @Test func markedAccountsJoinAnEmailListOnceEach() throws {
        let db = try DemoDatabase(accounts: 6, invoicing: false)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 130, height: 40)
        db.more(&browser, terminal, [])
        for a in try db.crm.accounts(folder: nil, limit: 0, for: db.admin).accounts {
            try db.crm.addContact(toAccount: a.record.meta!.uuid.description, [.name: "Contact " + a.record.name, .email: "c\(a.record.meta!.id)@ex.ro"],
                                  primary: true, by: db.admin)
        }
        db.more(&browser, terminal, [])
        // Space marks the first two rows; the palette's Adăugare la lista e-mail asks for the list: a new one.
        db.more(&browser, terminal, [.home, .char(" "), .char(" ")])
        _ = browser.perform("maillist.add")
        db.more(&browser, terminal, [])
        guard case .dialog(var dialog)? = browser.overlay else { Issue.record("no list dialog: \(terminal.text)"); return }
        #expect(terminal.text.contains("Add to an e-mail list: 2 accounts"))
        dialog.form.set("list", "Cluj nord")
        browser.overlay = .dialog(dialog)
        db.more(&browser, terminal, [.function(2)])
        #expect(terminal.text.contains("added to the list «Cluj nord»"), "\(terminal.text)")
        let first = try db.crm.mailListMembers("cluj nord", for: db.admin)
        // Again: nothing twice.
        db.more(&browser, terminal, [.home, .char(" "), .char(" ")])
        _ = browser.perform("maillist.add")
        guard case .dialog(var again)? = browser.overlay else { return }
        again.form.set("list", "Cluj nord")
        browser.overlay = .dialog(again)
        db.more(&browser, terminal, [.function(2)])
        #expect(try db.crm.mailListMembers("Cluj nord", for: db.admin).count == first.count && first.count == 2)
    }

    @Test func campaignsAreStartedPausedCancelledAndReportedFromTheirWindow() throws {
        let db = try DemoDatabase(accounts: 40, invoicing: false)
        try db.crm.setEmailSettings([.host: "127.0.0.1"], mine: false, by: db.admin)
        try db.crm.addCampaign(name: "Iarnă", list: "Newsletter clienți", subject: "Iarna", text: "x", by: db.admin)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 130, height: 40)
        _ = browser.perform("campaigns.open")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("E-mail campaigns") && terminal.text.contains("Newsletter noiembrie · Newsletter clienți · finished"))
        // The demo's finished campaign: its report.
        db.more(&browser, terminal, [.home, .enter, .down, .down, .down, .down])
        #expect(terminal.text.contains("Report: Newsletter noiembrie") && terminal.text.contains("Bounced") && terminal.text.contains("550"),
                "\(terminal.text)")
        _ = browser.perform("campaigns.open")
        db.more(&browser, terminal, [.end, .char("s")])
        #expect(try db.crm.campaign("Iarnă", for: db.admin).status == .running && terminal.text.contains("«Iarnă» runs"))
        db.more(&browser, terminal, [.char("p")])
        #expect(try db.crm.campaign("Iarnă", for: db.admin).status == .paused)
        db.more(&browser, terminal, [.char("x")])
        #expect(try db.crm.campaign("Iarnă", for: db.admin).status == .cancelled && terminal.text.contains("Iarnă · Newsletter clienți · cancelled"))
        // An ended campaign is not started again: the window says so.
        db.more(&browser, terminal, [.char("s")])
        #expect(terminal.text.contains("has ended"))
    }

    @Test func anHTMLTemplateTakesTheClientsNameAsText() throws {
        let db = try DemoDatabase(accounts: 1, invoicing: false)
        let template = EmailTemplateRecord(name: "H", subject: "Pentru {{client.name}}", body: "<p>Bună ziua, {{client.name}}</p>")
        let client = try db.crm.addAccount(AccountInput(fields: [.name: "A & <B> SRL", .zone: "Vest"]), by: db.admin)
        let filled = EmailComposer.fill(template, client: client, contact: nil, user: nil, company: try db.crm.companyProfile(), offer: nil,
                                        day: "2026-11-29", language: .ro)
        #expect(filled.body == "<p>Bună ziua, A &amp; &lt;B&gt; SRL</p>" && filled.subject == "Pentru A & <B> SRL")
    }
}
