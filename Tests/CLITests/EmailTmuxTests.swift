import Foundation
import Testing

/// The real program in tmux sends an e-mail from an account (Alt+E, a
/// template) through a real SMTP server; the message's pixel is fetched from a
/// real `crm serve`, and the open window turns the entry from not opened to
/// opened by itself.
@Suite struct EmailTmuxTests {
    @Test(.enabled(if: TerminalTests.tmuxAvailable && EmailCLITests.aiosmtpd))
    func anEmailSentFromTheClientsPageIsSeenOpenedInTheOpenWindow() throws {
        var cli = try CLI()
        defer { cli.remove() }
        cli.language = "ro"
        try cli.ok("demo", "--accounts", "12")
        let maildir = cli.dir.appendingPathComponent("maildir").path
        let (sink, smtpPort) = try EmailHistoryCLITests.startSink(maildir: maildir)
        defer { kill(sink.processIdentifier, SIGKILL); sink.waitUntilExit() }
        try cli.ok("email", "settings", "--host", "127.0.0.1", "--port", "\(smtpPort)", "--security", "none")
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

        let session = try TmuxSession(command: CLI.binary.path, width: 140, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro", "XDG_CONFIG_HOME": "/nonexistent"])
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
