import Foundation
import Testing

/// `crm email`: the settings (the password sealed with a key beside the
/// database) and a message sent to a real SMTP server on loopback (Debian's
/// aiosmtpd, into a Maildir), read back by Python's `email` package.
@Suite struct EmailCLITests {
    static let python = "/usr/bin/python3"
    static let aiosmtpd: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import aiosmtpd"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    /// A free port on loopback (the kernel picks it).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on a loopback port.
    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    /// aiosmtpd on a free port, delivering into a Maildir; stopped by the caller.
    static func startServer(maildir: String) throws -> (Process, Int) {
        let port = freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: python)
        server.arguments = ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        let deadline = Date().addingTimeInterval(15)
        while !listening(port) {
            guard Date() < deadline, server.isRunning else { server.terminate(); throw CLI.CLIFailure(message: "aiosmtpd did not start") }
            usleep(20_000)
        }
        return (server, port)
    }

    /// The Maildir's messages as Python's `email` package reads them.
    static func received(_ maildir: String) throws -> [[String: Any]] {
        let script = """
            import mailbox, email, email.policy, json, hashlib, sys
            out = []
            box = mailbox.Maildir(sys.argv[1], factory=None)
            for key in box.keys():
                m = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
                parts = [{"type": p.get_content_type(), "filename": p.get_filename(),
                          "sha": hashlib.sha256(p.get_payload(decode=True)).hexdigest() if p.get_filename() else None}
                         for p in m.walk() if not p.is_multipart()]
                out.append({"subject": str(m["Subject"]), "from": str(m["From"]), "to": str(m["To"]), "cc": str(m["Cc"]),
                            "replyTo": str(m["Reply-To"]), "messageID": str(m["Message-ID"]), "date": str(m["Date"]),
                            "entry": str(m["X-CRM-Entry"]), "returnPath": str(m["Return-Path"]), "listUnsubscribe": str(m["List-Unsubscribe"]), "listUnsubscribePost": str(m["List-Unsubscribe-Post"]),
                            "text": m.get_body(preferencelist=("plain",)).get_content(),
                            "html": (m.get_body(preferencelist=("html",)) or m).get_content() if m.get_body(preferencelist=("html",)) else None,
                            "parts": parts, "defects": len(m.defects)})
            print(json.dumps(out))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script, maildir]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    @Test(.enabled(if: aiosmtpd)) func aMessageWithDiacriticsPartsAndFilesReachesTheServerAsSent() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let maildir = cli.dir.appendingPathComponent("maildir").path
        let (server, port) = try Self.startServer(maildir: maildir)
        // aiosmtpd keeps running on SIGTERM: it is killed.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        try cli.ok("init")
        try cli.ok("email", "settings", "--host", "127.0.0.1", "--port", "\(port)", "--security", "none", "--from", "office@carpaticsoft.ro",
                   "--from-name", "Carpatic Soft — Vânzări", "--reply-to", "vanzari@carpaticsoft.ro")
        // The password: sealed with the key beside the database, never in it in plain text, shown masked.
        let shown = try cli.run(["email", "settings", "--password-stdin", "--json"], input: "parolă-secretă-42\n")
        #expect(shown.status == 0 && shown.stdout.contains("••••••••") && !shown.stdout.contains("parolă-secretă-42"))
        let key = cli.db + ".key"
        #expect(FileManager.default.contents(atPath: key)?.count == 32)
        let raw = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        #expect(raw.range(of: Data("parolă-secretă-42".utf8)) == nil && raw.range(of: Data("sealedPassword".utf8)) != nil)
        // A message: names and subject with diacritics, text and HTML, a file with a diacritic in its name.
        let html = cli.dir.appendingPathComponent("mesaj.html")
        try "<p>Bună ziua, <b>Ștefan</b>!</p>".write(to: html, atomically: true, encoding: .utf8)
        let file = cli.dir.appendingPathComponent("Ofertă Șiret.txt")
        try "Conținut cu ț și ș\n".write(to: file, atomically: true, encoding: .utf8)
        let sent = try cli.ok("email", "send", "--to", "Ștefan Pîrvu <stefan@client.ro>", "--cc", "ana@client.ro",
                              "--subject", "Ofertă pentru Țesătoria Șiret — noiembrie", "--text", "Bună ziua, Ștefan!\nAtașat găsiți oferta.",
                              "--html-file", html.path, "--attach", file.path)
        #expect(sent.stdout.contains("Sent to stefan@client.ro, ana@client.ro"))
        let messages = try Self.received(maildir)
        let message = try #require(messages.first)
        #expect(messages.count == 1 && message["defects"] as? Int == 0)
        #expect(message["subject"] as? String == "Ofertă pentru Țesătoria Șiret — noiembrie")
        #expect(message["from"] as? String == "Carpatic Soft — Vânzări <office@carpaticsoft.ro>")
        #expect(message["to"] as? String == "Ștefan Pîrvu <stefan@client.ro>" && message["cc"] as? String == "ana@client.ro")
        #expect(message["replyTo"] as? String == "vanzari@carpaticsoft.ro" && (message["messageID"] as? String)?.hasSuffix("@carpaticsoft.ro>") == true)
        #expect((message["text"] as? String)?.contains("Bună ziua, Ștefan!\r\nAtașat găsiți oferta.") == true
                || (message["text"] as? String)?.contains("Bună ziua, Ștefan!\nAtașat găsiți oferta.") == true)
        #expect((message["html"] as? String)?.contains("<b>Ștefan</b>") == true)
        let parts = try #require(message["parts"] as? [[String: Any]])
        #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html", "text/plain"])
        let attached = try #require(parts.last)
        #expect(attached["filename"] as? String == "Ofertă Șiret.txt")
        let expected = try Self.sha256(file.path)
        #expect(attached["sha"] as? String == expected)
        // A template (light formatting, placeholders) filled for a client and sent to its primary contact.
        let unknown = try cli.run(["email", "template", "add", "Greșit", "--subject", "x {{nu.exista}}", "--body", "y"])
        #expect(unknown.status != 0 && unknown.stderr.contains("{{nu.exista}}"))
        try cli.ok("email", "template", "add", "Ofertă", "--subject", "Oferta pentru {{client.name}}",
                   "--body", "Bună ziua, {{client.contact}}!\n\nVă trimitem **oferta noastră**.\n\n*{{company.name}}*")
        try cli.ok("account", "add", "--code", "TS1", "--name", "Țesătoria Șiret SRL")
        try cli.ok("contact", "add", "TS1", "--name", "Ștefan Pîrvu", "--email", "stefan@tesatoria.ro", "--primary")
        let shownTemplate = try cli.ok("email", "template", "show", "ofertă", "--client", "TS1")
        #expect(shownTemplate.stdout.contains("Subject: Oferta pentru Țesătoria Șiret SRL") && shownTemplate.stdout.contains("Bună ziua, Ștefan Pîrvu!"))
        try cli.ok("email", "send", "--template", "Ofertă", "--client", "TS1")
        let templated = try #require(try Self.received(maildir).first { ($0["subject"] as? String) == "Oferta pentru Țesătoria Șiret SRL" })
        #expect(templated["to"] as? String == "Ștefan Pîrvu <stefan@tesatoria.ro>")
        #expect((templated["text"] as? String)?.contains("Vă trimitem oferta noastră.") == true)
        #expect((templated["html"] as? String)?.contains("<b>oferta noastră</b>") == true)
        // Nothing listens: the failure says so, and why.
        try cli.ok("email", "settings", "--port", "\(Self.freePort())")
        let refused = try cli.run(["email", "send", "--to", "a@b.ro", "--subject", "x", "--text", "y"])
        #expect(refused.status != 0 && refused.stderr.contains("could not connect to the mail server"))
        // Bad settings are refused, naming the field.
        let bad = try cli.run(["email", "settings", "--security", "ssl", "--from", "nu-e-adresa"])
        #expect(bad.status != 0 && bad.stderr.contains("security:") && bad.stderr.contains("from:"))
    }

    static func sha256(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
