import Foundation
import Testing

/// The real program in tmux sends an e-mail from an account (Alt+E, a
/// template) through a real SMTP server; the message's pixel is fetched from a
/// real `crm serve`, and the open window turns the entry from not opened to
/// opened by itself.
@Suite struct EmailTmuxTests {
    @Test(.enabled(if: TerminalTests.tmuxAvailable && EmailCLITests.aiosmtpd))
    /// A Romanian demo of 12 accounts whose e-mail goes to a loopback SMTP sink delivering into `maildir`.
    static func mailingDemo() throws -> (cli: CLI, sink: Process, maildir: String) {
        var cli = try CLI()
        cli.language = "ro"
        try cli.ok("demo", "--accounts", "12")
        let maildir = cli.dir.appendingPathComponent("maildir").path
        let (sink, smtpPort) = try EmailHistoryCLITests.startSink(maildir: maildir)
        do {
            try cli.ok("email", "settings", "--host", "127.0.0.1", "--port", "\(smtpPort)", "--security", "none")
        } catch {
            kill(sink.processIdentifier, SIGKILL)
            throw error
        }
        return (cli, sink, maildir)
    }

    func anEmailSentFromTheClientsPageIsSeenOpenedInTheOpenWindow() throws {
        let (cli, sink, maildir) = try Self.mailingDemo()
        defer { cli.remove(); kill(sink.processIdentifier, SIGKILL); sink.waitUntilExit() }
        try cli.ok("account", "add", "--code", "AAA1", "--name", "AAA Țesături SRL", "--zone", "Vest")
        try cli.ok("contact", "add", "AAA1", "--name", "Ștefan Pîrvu", "--email", "stefan@tesaturi.ro", "--primary")
        let port = EmailCLITests.freePort()
        let base = "http://127.0.0.1:\(port)"
        let serve = Process()
        serve.executableURL = CLI.binary
        serve.arguments = ["serve", "--db", cli.db, "--listen", "127.0.0.1:\(port)", "--public-url", base, "--quiet"]
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer { kill(serve.processIdentifier, SIGKILL); serve.waitUntilExit() }
        try EmailHistoryCLITests.waitUntil("crm serve answers") { (try? EmailHistoryCLITests.http(base + "/health").status) == 200 }

        let session = try TmuxSession.crm(cli, width: 140, height: 35)
        try session.waitFor("the Clienți page") { $0.contains("13 conturi") && $0.contains("AAA Țesături SRL") }
        try session.send("]", "]")
        try session.waitFor("the Istoric tab") { $0.contains("Istoric") }
        try session.send("M-e")
        try session.waitFor("the e-mail dialog") { $0.contains("Trimitere e-mail — AAA Țesături SRL") && $0.contains("stefan@tesaturi.ro") }
        // → picks the first template (Ofertă), which fills the subject; Ctrl+S sends.
        try session.send("Right")
        try session.waitFor("the template's subject") { $0.contains("pentru AAA Țesături SRL") }
        try session.send("C-s")
        try session.waitFor("the message sent", timeout: 20) { $0.contains("E-mail trimis către") }
        try session.waitFor("the entry, not opened") { $0.contains("✉ nedeschis") }
        // The reader's mail client loads the pixel: the open window shows it opened within seconds.
        let html = try #require(try EmailCLITests.received(maildir).first?["html"] as? String)
        let pixel = try #require(EmailHistoryCLITests.firstMatch(#"http://127\.0\.0\.1:\d+/t/o/[A-Za-z0-9_.-]+\.gif"#, in: html))
        #expect(try EmailHistoryCLITests.http(pixel).status == 200)
        try session.waitFor("the entry, opened", timeout: 5) { $0.contains("✉ deschis (1/0)") }
        try session.quit()
    }
}

/// The real program in tmux builds a campaign template of blocks, makes a
/// campaign from it in the Campanii e-mail window and starts it; `crm campaign
/// run` sends it through a real SMTP server with the block's button.
@Suite struct CampaignTmuxTests {
    @Test(.enabled(if: TerminalTests.tmuxAvailable && EmailCLITests.aiosmtpd))
    func aTemplateBuiltInTheTerminalBecomesACampaignThatIsSent() throws {
        let (cli, sink, maildir) = try EmailTmuxTests.mailingDemo()
        defer { cli.remove(); kill(sink.processIdentifier, SIGKILL); sink.waitUntilExit() }
        try cli.ok("maillist", "add-address", "Test", "Ana Pop <ana@client.ro>")
        let session = try TmuxSession.crm(cli, width: 140, height: 40)
        try session.waitFor("the Clienți page") { $0.contains("12 conturi") }
        // The palette's Șabloane campanie: a new template, in the builder.
        try session.send("C-p")
        try session.type("Șabloane campanie")
        try session.send("Enter")
        try session.waitFor("the templates' menu") { $0.contains("Șablon campanie nou…") }
        try session.send("Enter")
        try session.waitFor("the builder") { $0.contains("Șablon campanie: nou") && $0.contains("1. Titlu · Titlu") }
        // Ins, 4: a button after the title; its label and link, saved into the builder.
        try session.send("IC")
        try session.type("4")
        try session.waitFor("the button's dialog") { $0.contains("Bloc 2: Buton") }
        try session.type("Comandă acum")
        try session.send("Tab")
        try session.type("https://magazin.ro/iarna")
        try session.send("C-s")
        try session.waitFor("the button in the list and the preview") {
            $0.contains("2. Buton · Comandă acum") && $0.contains("Comandă acum: https://magazin.ro/iarna")
        }
        // > moves it below the text; F2 names and saves the template.
        try session.type(">")
        try session.waitFor("the button moved") { $0.contains("3. Buton · Comandă acum") }
        try session.send("F2")
        try session.waitFor("the name's dialog") { $0.contains("Salvare șablon campanie") }
        try session.type("Iarnă")
        try session.send("C-s")
        try session.waitFor("the template saved") { $0.contains("Șablonul «Iarnă» a fost salvat") }
        try session.send("Escape")
        // Campanii e-mail: n, a campaign on the list Test from the template, no pause; s starts it.
        try session.send("C-p")
        try session.type("Campanii e-mail")
        try session.send("Enter")
        try session.waitFor("the campaigns") { $0.contains("Newsletter noiembrie") }
        try session.type("n")
        try session.waitFor("the campaign's dialog") { $0.contains("Campanie nouă") }
        try session.type("Iarnă TUI")
        try session.send("Tab", "Right", "Tab")
        try session.type("Oferta de iarnă")
        // The sender stays the settings' one; → picks the first template.
        try session.send("Tab", "Tab", "Right", "Tab", "Tab", "C-u")
        try session.type("0")
        try session.send("C-s")
        try session.waitFor("the campaign added") { $0.contains("Campanie adăugată: «Iarnă TUI»") && $0.contains("Iarnă TUI · Test · ciornă") }
        try session.type("s")
        try session.waitFor("the campaign started") { $0.contains("«Iarnă TUI» rulează: 1 în așteptare") }
        try session.send("Escape")
        try session.waitFor("the page again") { !$0.contains("Campanii e-mail ─") }
        try session.quit()
        try cli.ok("campaign", "run", "Iarnă TUI")
        let message = try #require(try EmailCLITests.received(maildir).first)
        #expect(message["subject"] as? String == "Oferta de iarnă" && (message["to"] as? String)?.contains("ana@client.ro") == true)
        let html = try #require(message["html"] as? String), text = try #require(message["text"] as? String)
        #expect(html.contains("href=\"https://magazin.ro/iarna\"") && html.contains(">Comandă acum</a>") && text.contains("Comandă acum: https://magazin.ro/iarna"))
    }
}
