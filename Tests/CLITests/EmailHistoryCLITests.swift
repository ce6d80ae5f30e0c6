import Foundation
import Testing

/// E-mails sent from an account: stored in its history first, their failures
/// kept with the reason and sent again; tracked through a real `crm serve`
/// (curl for the reader's mail client): the open pixel, the click redirect,
/// forged and changed tokens, limits, and a graceful stop.
@Suite struct EmailHistoryCLITests {
    static let sinkScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Readers/smtp_sink.py").path

    /// The test SMTP server: a Maildir; optionally a required login and a domain refused with 550.
    static func startSink(maildir: String, auth: String? = nil, rejectDomain: String? = nil, deferFirst: Int = 0) throws -> (Process, Int) {
        let port = EmailCLITests.freePort()
        let sink = Process()
        sink.executableURL = URL(fileURLWithPath: EmailCLITests.python)
        sink.arguments = [sinkScript, "--port", "\(port)", "--maildir", maildir] + (auth.map { ["--auth", $0] } ?? [])
            + (rejectDomain.map { ["--reject-domain", $0] } ?? []) + (deferFirst > 0 ? ["--defer-first", "\(deferFirst)"] : [])
        sink.standardOutput = FileHandle.nullDevice
        sink.standardError = FileHandle.nullDevice
        try sink.run()
        try waitUntil("the SMTP sink listens") { EmailCLITests.listening(port) || !sink.isRunning }
        guard sink.isRunning else { throw CLI.CLIFailure(message: "the SMTP sink did not start") }
        return (sink, port)
    }

    static func waitUntil(_ what: String, seconds: Double = 15, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try !condition() {
            guard Date() < deadline else { throw CLI.CLIFailure(message: "timed out waiting until \(what)") }
            usleep(20_000)
        }
    }

    /// A request as curl makes it: the status, the redirect, the body.
    static func http(_ url: String, method: String = "GET", data: String? = nil) throws -> (status: Int, location: String, body: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-X", method, "-w", "\n%{http_code} %{redirect_url}", url] + (data.map { ["--data", $0] } ?? [])
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let last = text.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let fields = last.split(separator: " ", maxSplits: 1).map(String.init)
        return (Int(fields.first ?? "") ?? 0, fields.count > 1 ? fields[1] : "", String(text.dropLast(last.count + 1)))
    }

    static func email(_ cli: CLI, _ id: Int) throws -> [String: Any] {
        try cli.ok("email", "show", "\(id)", "--json").json(object: true)
    }

    @Test(.enabled(if: EmailCLITests.aiosmtpd)) func anEmailIsInTheHistoryBeforeItIsSentAndAFailureIsKeptAndRetried() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let maildir = cli.dir.appendingPathComponent("maildir").path
        let (sink, port) = try Self.startSink(maildir: maildir, auth: "vanzari:parola-bună", rejectDomain: "inexistent.ro")
        // The sink inherits the test runner's blocked signals: it is killed.
        defer { kill(sink.processIdentifier, SIGKILL); sink.waitUntilExit() }
        try cli.ok("init")
        try cli.ok("account", "add", "--code", "AC1", "--name", "Alfa Construct SRL")
        try cli.ok("contact", "add", "AC1", "--name", "Ioana Mureșan", "--email", "ioana@alfaconstruct.ro", "--primary")
        try cli.ok("email", "settings", "--host", "127.0.0.1", "--port", "\(port)", "--security", "none", "--from", "office@firma.ro",
                   "--user", "vanzari")
        // A wrong password: the server refuses the login; the entry says so and stays, failed.
        try cli.run(["email", "settings", "--password-stdin"], input: "greșită\n")
        let denied = try cli.run(["email", "send", "--client", "AC1", "--subject", "Ofertă", "--text", "Bună ziua"])
        #expect(denied.status != 0 && denied.stderr.contains("refused the login") && denied.stderr.contains("crm email retry 1"))
        var first = try Self.email(cli, 1)
        #expect(first["status"] as? String == "failed" && first["attempts"] as? Int == 1)
        #expect((first["error"] as? String)?.contains("refused the login") == true && first["to"] as? String == "Ioana Mureșan <ioana@alfaconstruct.ro>")
        // The password set right, the same entry is sent again: one message at the server, the entry sent.
        try cli.run(["email", "settings", "--password-stdin"], input: "parola-bună\n")
        try cli.ok("email", "retry", "1")
        first = try Self.email(cli, 1)
        #expect(first["status"] as? String == "sent" && first["attempts"] as? Int == 2 && first["error"] is NSNull)
        let messages = try EmailCLITests.received(maildir)
        #expect(messages.count == 1 && messages.first?["subject"] as? String == "Ofertă")
        // A sent e-mail is not sent twice.
        let again = try cli.run(["email", "retry", "1"])
        #expect(again.status != 0 && again.stderr.contains("already sent"))
        // A recipient the server refuses (550): failed with the server's reason.
        let rejected = try cli.run(["email", "send", "--client", "AC1", "--to", "nimeni@inexistent.ro", "--subject", "x", "--text", "y"])
        #expect(rejected.status != 0 && rejected.stderr.contains("refused the message") && rejected.stderr.contains("550"))
        // Nothing listens: a connection failure.
        try cli.ok("email", "settings", "--port", "\(EmailCLITests.freePort())")
        let unreachable = try cli.run(["email", "send", "--client", "AC1", "--subject", "x", "--text", "y"])
        #expect(unreachable.status != 0 && unreachable.stderr.contains("could not connect"))
        let failed = try cli.ok("email", "list", "--client", "AC1", "--status", "failed", "--json").json()
        #expect(failed.count == 2)
        // Searched (diacritics aside) and exported.
        #expect(try cli.ok("email", "list", "--search", "OFERTA", "--json").json().map { $0["subject"] as? String } == ["Ofertă"])
        let csv = cli.dir.appendingPathComponent("emails.csv").path
        try cli.ok("email", "list", "--client", "AC1", "-o", csv)
        // CSV lines end in CRLF, one Character to Swift.
        let exported = try String(contentsOfFile: csv, encoding: .utf8).split(whereSeparator: \.isNewline)
        #expect(exported.count == 4 && exported[0].contains("Subject") && exported.contains { $0.contains("Ofertă") && $0.contains("sent") })
        // A bad address is refused before anything is stored.
        let bad = try cli.run(["email", "send", "--client", "AC1", "--to", "nu e adresă", "--subject", "x", "--text", "y"])
        #expect(bad.status != 0 && bad.stderr.contains("not an e-mail address"))
        #expect(try cli.ok("email", "list", "--json").json().count == 3)
        // A sendmail that ends without reading a large message: a failure with its status, not a program killed by SIGPIPE.
        let script = try Self.file(cli, "sendmail.sh", "#!/bin/sh\necho 'queue full' >&2\nexit 75\n")
        chmod(script, 0o755)
        try cli.ok("email", "settings", "--transport", "sendmail", "--sendmail", script)
        let big = try Self.file(cli, "mare.txt", String(repeating: "x", count: 400_000))
        let quit = try cli.run(["email", "send", "--client", "AC1", "--subject", "Mare", "--text", "y", "--attach", big])
        #expect(quit.status == 1 && quit.stderr.contains("refused the message (75)") && quit.stderr.contains("queue full"), "\(quit.stderr)")
        // With the account deleted, its e-mails go with it.
        try cli.ok("account", "rm", "AC1")
        #expect(try cli.ok("email", "list", "--json").json().isEmpty)
    }

    @Test(.enabled(if: EmailCLITests.aiosmtpd)) func openAndClickAreTrackedThroughServeAndForgedTokensAreRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let maildir = cli.dir.appendingPathComponent("maildir").path
        let (sink, smtpPort) = try Self.startSink(maildir: maildir)
        // The sink inherits the test runner's blocked signals: it is killed.
        defer { kill(sink.processIdentifier, SIGKILL); sink.waitUntilExit() }
        try cli.ok("init")
        try cli.ok("account", "add", "--code", "TS1", "--name", "Țesătoria Șiret SRL")
        try cli.ok("email", "settings", "--host", "127.0.0.1", "--port", "\(smtpPort)", "--security", "none", "--from", "office@firma.ro")
        // crm serve on a free port: it records its public address, so what is sent from now on is tracked.
        let port = EmailCLITests.freePort()
        let base = "http://127.0.0.1:\(port)"
        let log = cli.dir.appendingPathComponent("serve.log"), out = cli.dir.appendingPathComponent("serve.out")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let serve = Process()
        serve.executableURL = CLI.binary
        serve.arguments = ["serve", "--db", cli.db, "--listen", "127.0.0.1:\(port)", "--public-url", base]
        serve.environment = ProcessInfo.processInfo.environment.merging(["CRM_LANG": "en"]) { $1 }
        serve.standardOutput = try FileHandle(forWritingTo: out)
        serve.standardError = try FileHandle(forWritingTo: log)
        try serve.run()
        defer { if serve.isRunning { kill(serve.processIdentifier, SIGKILL) } }
        try Self.waitUntil("crm serve answers") { (try? Self.http(base + "/health").status) == 200 || !serve.isRunning }
        try cli.ok("email", "send", "--client", "TS1", "--to", "ana@tesatoria.ro", "--subject", "Catalog",
                   "--html-file", try Self.file(cli, "m.html", "<html><body><p>Vedeți <a href=\"https://firma.ro/catalog?an=2026&amp;luna=11\">catalogul</a>"
                                                + " sau <a href=\"mailto:office@firma.ro\">scrieți-ne</a>.</p></body></html>"),
                   "--text", "Vedeți catalogul: https://firma.ro/catalog")
        var entry = try Self.email(cli, 1)
        #expect(entry["status"] as? String == "sent" && entry["tracking"] as? String == "notOpened")
        // The message as received: the web link led through the service, mailto left alone, a pixel at the end.
        let html = try #require(try EmailCLITests.received(maildir).first?["html"] as? String)
        let click = try #require(Self.firstMatch(#"http://127\.0\.0\.1:\d+/t/c/[A-Za-z0-9_.-]+"#, in: html))
        let pixel = try #require(Self.firstMatch(#"http://127\.0\.0\.1:\d+/t/o/[A-Za-z0-9_.-]+\.gif"#, in: html))
        #expect(html.contains("mailto:office@firma.ro") && !html.contains("https://firma.ro/catalog?"))
        // The pixel: a GIF, and the e-mail becomes opened (green) within the service's quarter-second write.
        let opened = try Self.http(pixel)
        #expect(opened.status == 200 && opened.body.hasPrefix("GIF89a"))
        try Self.waitUntil("the open is written") { try Self.email(cli, 1)["tracking"] as? String == "opened" }
        // The click: a redirect to the link's own address (entities decoded), then clicked (blue).
        let clicked = try Self.http(click)
        #expect(clicked.status == 302 && clicked.location == "https://firma.ro/catalog?an=2026&luna=11")
        try Self.waitUntil("the click is written") { try Self.email(cli, 1)["tracking"] as? String == "clicked" }
        entry = try Self.email(cli, 1)
        #expect(entry["opens"] as? Int == 1 && entry["clicks"] as? Int == 1)
        // A changed token — one character of the signed part or of the signature — is refused with a bare page.
        let token = String(click.split(separator: "/").last!)
        let dot = token.firstIndex(of: ".")!
        for position in [token.index(token.startIndex, offsetBy: 3), token.index(after: dot)] {
            var changed = token
            let original = changed[position]
            changed.replaceSubrange(position...position, with: original == "A" ? "B" : "A")
            let refused = try Self.http(base + "/t/c/" + changed)
            #expect(refused.status == 404 && refused.body == "Not found\n" && refused.location.isEmpty)
        }
        // A token for another site, made by hand with a signature taken from a genuine one: refused.
        let forgedPayload = Data("c\n\(entry["uuid"] as! String)\n1\nhttps://evil.example/".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let forged = try Self.http(base + "/t/c/" + forgedPayload + "." + token[token.index(after: dot)...])
        #expect(forged.status == 404 && forged.location.isEmpty)
        // Limits: other methods, bodies and over-long addresses are refused; unknown paths get the same bare page.
        #expect(try Self.http(pixel, method: "POST", data: "x=1").status == 405)
        #expect(try Self.http(base + "/t/o/" + String(repeating: "A", count: 5000)).status == 414)
        #expect(try Self.http(base + "/admin").status == 404)
        // The access log names no address, token or link.
        let logged = try String(contentsOf: log, encoding: .utf8)
        #expect(logged.contains("GET open 200") && logged.contains("GET click 302") && logged.contains("GET click 404"))
        #expect(!logged.contains(token) && !logged.contains("firma.ro") && !logged.contains("127.0.0.1 "))
        // SIGTERM: the hits counted since the last write are written, and it stops cleanly.
        _ = try Self.http(pixel)
        kill(serve.processIdentifier, SIGTERM)
        try Self.waitUntil("crm serve stops") { !serve.isRunning }
        #expect(serve.terminationStatus == 0)
        #expect(try String(contentsOf: out, encoding: .utf8).contains("crm serve: stopped"))
        #expect(try Self.email(cli, 1)["opens"] as? Int == 2)
    }

    static func file(_ cli: CLI, _ name: String, _ text: String) throws -> String {
        let url = cli.dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? { allMatches(pattern, in: text).first }

    static func allMatches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
    }
}
