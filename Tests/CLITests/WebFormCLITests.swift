import Foundation
import Testing

/// Web forms end to end: a form made with `crm form`, its HTML generated, and
/// submissions to a real `crm serve` — from curl (hostile ones among them) and
/// from a real browser (headless Chromium driven by Selenium) filling the
/// generated snippet on another site's page, with and without its script.
@Suite struct WebFormCLITests {
    static let browserScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Readers/browser_form.py").path

    /// Whether Chromium, its driver and Selenium are here (./test installs them).
    static let browser: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: EmailCLITests.python)
        p.arguments = ["-c", "import selenium"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    /// A base with a folder for leads, two zones, a salesman of one of them, and a form sending there.
    static func database(site: String? = nil, duplicates: String = "attach", extra: [String] = []) throws -> (CLI, token: String) {
        let cli = try CLI()
        try cli.ok("init")
        try cli.ok("folder", "add", "Prospecți")
        try cli.ok("folder", "add", "Prospecți/Lead-uri web")
        try cli.ok("zone", "add", "Nord")
        try cli.ok("zone", "add", "Sud")
        try cli.ok("user", "add", "ana.pop", "--name", "Ana Pop", "--zone", "Nord")
        var args = ["form", "add", "Formular contact",
                    "--field", "Firma=account.name", "--field", "Nume și prenume=contact.name:required",
                    "--field", "E-mail=contact.email:required", "--field", "Telefon=contact.phone", "--field", "CUI=account.cui",
                    "--field", "Mesaj=account.notes:textarea",
                    "--preset", "account.folder=Prospecți/Lead-uri web", "--preset", "account.zone=Nord", "--preset", "account.owner=ana.pop",
                    "--preset", "account.tags=web",
                    "--success", "Vă mulțumim, vă sunăm curând!", "--error", "Nu am putut primi formularul.", "--duplicates", duplicates]
        if let site { args += ["--site", site] }
        try cli.ok(args + extra)
        let token = try cli.ok("form", "show", "Formular contact", "--json").json(object: true)["token"] as? String ?? ""
        return (cli, token)
    }

    static func serve(_ cli: CLI, extra: [String] = []) throws -> (Process, base: String) {
        let port = EmailCLITests.freePort()
        let base = "http://127.0.0.1:\(port)"
        let serve = try CampaignCLITests.runner(cli, ["serve", "--listen", "127.0.0.1:\(port)", "--quiet", "--no-campaigns"] + extra)
        try EmailHistoryCLITests.waitUntil("crm serve answers") { (try? EmailHistoryCLITests.http(base + "/health").status) == 200 }
        return (serve, base)
    }

    /// A POST as a browser or a robot sends it: the status, the headers' text and the body.
    static func post(_ url: String, body: String, type: String? = "application/x-www-form-urlencoded", headers: [String] = [],
                     file: String? = nil) throws -> (status: Int, headers: String, body: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        var args = ["-s", "-i", "-X", "POST", url]
        // Without a type, none at all (curl would add the form's).
        args += ["-H", "Content-Type:" + (type.map { " " + $0 } ?? "")]
        for h in headers { args += ["-H", h] }
        args += file.map { ["--data-binary", "@" + $0] } ?? ["--data-binary", body]
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, head, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return pairs.map { k, v in
            (k.addingPercentEncoding(withAllowedCharacters: allowed) ?? k) + "=" + (v.addingPercentEncoding(withAllowedCharacters: allowed) ?? v)
        }.joined(separator: "&")
    }

    /// SQLite's own check of the file.
    static func integrity(_ cli: CLI) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [cli.db, "PRAGMA integrity_check"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func accounts(_ cli: CLI) throws -> [[String: Any]] { try cli.ok("account", "list", "--json", "--limit", "1000").json() }

    @Test func aSubmissionBecomesAnAccountInTheFormsFolderWithItsValuesAndAContact() throws {
        let (cli, token) = try Self.database()
        defer { cli.remove() }
        let (serve, base) = try Self.serve(cli)
        defer { kill(serve.processIdentifier, SIGKILL); serve.waitUntilExit() }
        let before = try Self.accounts(cli).count
        // The plain form (no script): a page with the success message.
        let r = try Self.post(base + "/f/" + token, body: Self.encode([
            ("firma", "Țesătoria Șerbănescu SRL"), ("nume_si_prenume", "Ștefan Țurcanu"), ("e_mail", "stefan@tesatoria.ro"),
            ("telefon", "0722 123 456"), ("cui", "RO18547290"), ("mesaj", "Bună ziua,\r\nvă rog o ofertă <b>urgentă</b>."), ("crm_website", ""),
        ]))
        #expect(r.status == 200)
        #expect(r.body.contains("Vă mulțumim, vă sunăm curând!"))
        #expect(r.headers.lowercased().contains("content-security-policy"))
        let all = try Self.accounts(cli)
        #expect(all.count == before + 1)
        let account = try #require(all.first { $0["name"] as? String == "Țesătoria Șerbănescu SRL" })
        #expect(account["folder"] as? String == "Conturi/Prospecți/Lead-uri web")
        #expect(account["zone"] as? String == "Nord")
        #expect(account["owner"] as? String == "ana.pop")
        #expect(account["tags"] as? String == "web")
        #expect((account["cui"] as? String ?? "").hasSuffix("18547290"))
        #expect(account["notes"] as? String == "Bună ziua,\nvă rog o ofertă <b>urgentă</b>.")
        let contacts = try cli.ok("contact", "list", "Țesătoria Șerbănescu SRL", "--json").json()
        #expect(contacts.count == 1)
        #expect(contacts.first?["name"] as? String == "Ștefan Țurcanu")
        #expect(contacts.first?["email"] as? String == "stefan@tesatoria.ro")
        // The submission is recorded for the form, told to the account's owner.
        let subs = try cli.ok("form", "submissions", "Formular contact", "--json").json()
        #expect(subs.count == 1 && subs.first?["outcome"] as? String == "created")
        #expect((subs.first?["summary"] as? String ?? "").contains("Nume și prenume: Ștefan Țurcanu"))

        // The same address again (another letter case), asked as the script asks: attached, no second account.
        let again = try Self.post(base + "/f/" + token, body: Self.encode([("nume_si_prenume", "Ștefan Țurcanu"), ("e_mail", "STEFAN@tesatoria.ro"),
                                                                        ("mesaj", "Revin cu o întrebare")]),
                                  headers: ["Accept: application/json"])
        #expect(again.status == 200)
        let answer = try JSONSerialization.jsonObject(with: Data(again.body.utf8)) as? [String: Any]
        #expect(answer?["ok"] as? Bool == true)
        #expect(answer?["message"] as? String == "Vă mulțumim, vă sunăm curând!")
        #expect(try Self.accounts(cli).count == before + 1)
        let both = try cli.ok("form", "submissions", "Formular contact", "--json").json()
        #expect(both.map { $0["outcome"] as? String } == ["attached", "created"])
        #expect(try cli.ok("contact", "list", "Țesătoria Șerbănescu SRL", "--json").json().count == 1)
        // The submissions export to Excel.
        let xlsx = cli.dir.appendingPathComponent("inregistrari.xlsx").path
        #expect(try cli.ok("form", "submissions", "Formular contact", "-o", xlsx).stdout.contains("2 submissions exported"))
        #expect(FileManager.default.fileExists(atPath: xlsx))
        // The change log names the form's operation.
        #expect(try cli.ok("audit", "--limit", "5").stdout.contains("webform.submit"))
    }

    @Test func aRejectingFormRefusesAKnownAddressOrCUI() throws {
        let (cli, token) = try Self.database(duplicates: "reject")
        defer { cli.remove() }
        let (serve, base) = try Self.serve(cli)
        defer { kill(serve.processIdentifier, SIGKILL); serve.waitUntilExit() }
        try cli.ok("account", "add", "--name", "Existent SRL", "--cui", "18547290", "--zone", "Sud", "--email", "office@existent.ro")
        let count = try Self.accounts(cli).count
        for (email, cui) in [("office@existent.ro", ""), ("alt@exemplu.ro", "RO 18547290")] {
            let r = try Self.post(base + "/f/" + token, body: Self.encode([("firma", "Altă firmă"), ("nume_si_prenume", "Ion Pop"), ("e_mail", email), ("cui", cui)]),
                                  headers: ["Accept: application/json"])
            #expect(r.status == 422)
            #expect(r.body.contains("deja"))
        }
        #expect(try Self.accounts(cli).count == count)
    }

    @Test func hostileSubmissionsGetTheErrorAnswerAndCreateNothing() throws {
        let (cli, token) = try Self.database(site: "https://www.firma.ro", extra: [])
        defer { cli.remove() }
        let (serve, base) = try Self.serve(cli, extra: ["--form-rate", "0"])
        defer { kill(serve.processIdentifier, SIGKILL); serve.waitUntilExit() }
        let url = base + "/f/" + token
        let good: [(String, String)] = [("firma", "Firma Bună SRL"), ("nume_si_prenume", "Ion Pop"), ("e_mail", "ion@firma-buna.ro")]
        func with(_ name: String, _ value: String) -> String {
            Self.encode(good.contains { $0.0 == name } ? good.map { $0.0 == name ? ($0.0, value) : $0 } : good + [(name, value)])
        }
        let big = cli.dir.appendingPathComponent("big.txt").path
        try Data((with("mesaj", "") + String(repeating: "A", count: 20_000)).utf8).write(to: URL(fileURLWithPath: big))
        let cases: [(what: String, status: Int, response: () throws -> (status: Int, headers: String, body: String))] = [
            ("oversized", 413, { try Self.post(url, body: "", file: big) }),
            ("a required field missing", 422, { try Self.post(url, body: Self.encode(good.filter { $0.0 != "e_mail" })) }),
            ("SQL in the e-mail", 422, { try Self.post(url, body: with("e_mail", "x@y.ro'; DROP TABLE account; --")) }),
            ("HTML in the CUI", 422, { try Self.post(url, body: with("cui", "<script>alert(1)</script>")) }),
            ("an escape sequence in the name", 422, { try Self.post(url, body: with("firma", "Firma \u{1B}[2J\u{1B}]0;pwned\u{07} SRL")) }),
            ("a bidi override in the contact", 422, { try Self.post(url, body: with("nume_si_prenume", "Ion \u{202E}poP")) }),
            ("a field given twice", 422, { try Self.post(url, body: with("firma", "A") + "&firma=B") }),
            ("JSON instead of a form", 415, { try Self.post(url, body: "{\"firma\": \"X\"}", type: "application/json") }),
            ("multipart", 415, { try Self.post(url, body: "--x\r\nContent-Disposition: form-data; name=\"firma\"\r\n\r\nX\r\n--x--", type: "multipart/form-data; boundary=x") }),
            ("no content type", 415, { try Self.post(url, body: Self.encode(good), type: nil) }),
            ("another charset", 415, { try Self.post(url, body: Self.encode(good), type: "application/x-www-form-urlencoded; charset=iso-8859-2") }),
            ("broken encoding", 400, { try Self.post(url, body: with("firma", "x") + "&mesaj=%E2%28%A1") }),
            ("another site's page", 403, { try Self.post(url, body: Self.encode(good), headers: ["Origin: https://evil.example"]) }),
            ("a script from another site", 403, { try Self.post(url, body: Self.encode(good), headers: ["Origin: https://evil.example", "Accept: application/json"]) }),
            ("an unknown address", 404, { try Self.post(base + "/f/AAAAAAAAAAAAAAAAAAAAAA", body: Self.encode(good)) }),
        ]
        let before = try Self.accounts(cli).count
        for c in cases {
            let r = try c.response()
            #expect(r.status == c.status, "\(c.what): \(r.status) \(r.body)")
            if c.status != 404 { #expect(r.body.contains("Nu am putut primi formularul."), "\(c.what): \(r.body)") }
            // Nothing of what was sent comes back unescaped.
            #expect(!r.body.contains("<script>alert"), "\(c.what)")
            #expect(!r.body.contains("\u{1B}"), "\(c.what)")
        }
        // The robot's honeypot: told it succeeded, nothing kept.
        let robot = try Self.post(url, body: with("firma", "Spam SRL") + "&crm_website=http%3A%2F%2Fspam.example")
        #expect(robot.status == 200)
        #expect(try Self.accounts(cli).count == before)
        #expect(try cli.ok("form", "submissions", "Formular contact", "--json").json().isEmpty)
        // The base is whole, and a script in a name is kept as inert text and escaped in the answer.
        let inert = try Self.post(url, body: with("firma", "<img src=x onerror=alert(1)> SRL"), headers: ["Origin: https://www.firma.ro"])
        #expect(inert.status == 200)
        #expect(inert.headers.contains("Access-Control-Allow-Origin: https://www.firma.ro"))
        #expect(try Self.accounts(cli).contains { $0["name"] as? String == "<img src=x onerror=alert(1)> SRL" })
        #expect(try Self.integrity(cli) == "ok")
        // CORS: the form's site may ask, another may not.
        let preflight = try EmailHistoryCLITests.http(url, method: "OPTIONS")
        #expect(preflight.status == 403)
    }

    @Test func oneAddressMaySendOnlySoManyAMinute() throws {
        let (cli, token) = try Self.database()
        defer { cli.remove() }
        let (serve, base) = try Self.serve(cli, extra: ["--form-rate", "3"])
        defer { kill(serve.processIdentifier, SIGKILL); serve.waitUntilExit() }
        let statuses = try (1...5).map { i in
            try Self.post(base + "/f/" + token, body: Self.encode([("nume_si_prenume", "Vizitator \(i)"), ("e_mail", "v\(i)@exemplu.ro")])).status
        }
        // A minute's window may turn between two posts: then more pass, never fewer than three.
        #expect(statuses.prefix(3).allSatisfy { $0 == 200 })
        #expect(statuses.contains(429) || statuses.count(where: { $0 == 200 }) <= 6)
        let limited = try Self.post(base + "/f/" + token, body: Self.encode([("nume_si_prenume", "Vizitator 9"), ("e_mail", "v9@exemplu.ro")]))
        if limited.status == 429 { #expect(limited.headers.contains("Retry-After: 60")) }
    }

    @Test func theDesignRulesAreTheCoresWhateverTheWayIn() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        try cli.ok("zone", "add", "Nord")
        try cli.ok("user", "add", "ana.pop", "--name", "Ana Pop", "--zone", "Nord")
        // Zones in use: a form without a zone would make accounts no one sees.
        var r = try cli.run(["form", "add", "F", "--field", "Firma=account.name:required"])
        #expect(r.status != 0 && r.stderr.contains("Zone"))
        r = try cli.run(["form", "add", "F", "--field", "Firma=account.folder", "--preset", "account.zone=Nord"])
        #expect(r.status != 0 && r.stderr.contains("predefined"))
        r = try cli.run(["form", "add", "F", "--field", "Firma=account.nume", "--preset", "account.zone=Nord"])
        #expect(r.status != 0 && r.stderr.contains("is not a column"))
        r = try cli.run(["form", "add", "F", "--field", "E-mail=contact.email", "--preset", "account.zone=Nord"])
        #expect(r.status != 0 && r.stderr.contains("Contacts → Name required"))
        r = try cli.run(["form", "add", "F", "--field", "Firma=account.name", "--preset", "account.zone=Nicăieri"])
        #expect(r.status != 0)
        r = try cli.run(["form", "add", "F", "--field", "Firma=account.name:checkbox", "--preset", "account.zone=Nord"])
        #expect(r.status != 0 && r.stderr.contains("does not suit"))
        try cli.ok("form", "add", "F", "--field", "Firma=account.name:required", "--preset", "account.zone=Nord", "--site", "https://www.firma.ro/")
        #expect(try cli.ok("form", "show", "F", "--json").json(object: true)["site"] as? String == "https://www.firma.ro")
        // The HTML needs the service's address.
        r = try cli.run(["form", "html", "F"])
        #expect(r.status != 0 && r.stderr.contains("--base"))
        let html = try cli.ok("form", "html", "F", "--base", "https://crm.firma.ro").stdout
        let token = try cli.ok("form", "show", "F", "--json").json(object: true)["token"] as? String ?? ""
        #expect(html.contains("action=\"https://crm.firma.ro/f/\(token)\""))
        #expect(html.contains("name=\"crm_website\""))
        #expect(html.contains("required"))
        // A new address: the old one stops answering.
        let renewed = try cli.ok("form", "renew", "F").stdout
        #expect(!renewed.contains(token))
    }

    @Test(.enabled(if: WebFormCLITests.browser)) func aVisitorInChromiumFillsTheSnippetOnTheCompanySite() throws {
        // The company site: a page of its own, on another origin, holding the generated snippet.
        let sitePort = EmailCLITests.freePort()
        let site = "http://127.0.0.1:\(sitePort)"
        let (cli, token) = try Self.database(site: site)
        defer { cli.remove() }
        let (serve, base) = try Self.serve(cli)
        defer { kill(serve.processIdentifier, SIGKILL); serve.waitUntilExit() }
        let snippet = try cli.ok("form", "html", "Formular contact", "--base", base).stdout
        let www = cli.dir.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
        try Data("""
            <!doctype html><html lang="ro"><head><meta charset="utf-8"><title>Firma — Contact</title></head>
            <body><h1>Scrieți-ne</h1>
            \(snippet)
            </body></html>
            """.utf8).write(to: www.appendingPathComponent("contact.html"))
        let web = Process()
        web.executableURL = URL(fileURLWithPath: EmailCLITests.python)
        web.arguments = ["-m", "http.server", "\(sitePort)", "--bind", "127.0.0.1", "--directory", www.path]
        web.standardOutput = FileHandle.nullDevice
        web.standardError = FileHandle.nullDevice
        try web.run()
        defer { kill(web.processIdentifier, SIGKILL); web.waitUntilExit() }
        try EmailHistoryCLITests.waitUntil("the site answers") { EmailCLITests.listening(sitePort) }

        func browse(_ fields: [String], script: Bool = true) throws -> [String: Any] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: EmailCLITests.python)
            p.arguments = [Self.browserScript, site + "/contact.html"] + fields.flatMap { ["--field", $0] } + (script ? [] : ["--no-script"])
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            guard p.terminationStatus == 0, let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw CLI.CLIFailure(message: "the browser failed: \(problem.suffix(3000))")
            }
            return answer
        }
        // With the snippet's script: the answer is written into the company's page.
        let sent = try browse(["firma=Brutăria Țăranului Ștefănești", "nume_si_prenume=Ioana Șerban", "e_mail=ioana@brutaria-taranului.ro",
                               "telefon=0744 555 666", "mesaj=Aș dori o ofertă pentru 200 de cozonaci."])
        #expect(sent["message"] as? String == "Vă mulțumim, vă sunăm curând!")
        #expect((sent["url"] as? String ?? "").hasPrefix(site))
        // An address the browser lets through and the core refuses: the answer marks the field, and nothing is made.
        let wrong = try browse(["firma=Altă firmă", "nume_si_prenume=Ion Pop", "e_mail=ion@localhost"])
        #expect((wrong["message"] as? String ?? "").hasPrefix("Nu am putut primi formularul."), "\(wrong)")
        #expect(wrong["invalid"] as? [String] == ["e_mail"], "\(wrong)")
        // Without JavaScript: the browser posts the form and reads the service's page.
        let plain = try browse(["firma=Fierăria Bălțătescu", "nume_si_prenume=Mircea Bălțătescu", "e_mail=mircea@fieraria.ro"], script: false)
        #expect(plain["message"] as? String == "Vă mulțumim, vă sunăm curând!")
        #expect((plain["url"] as? String ?? "").hasPrefix(base + "/f/" + token))

        let all = try Self.accounts(cli)
        let bakery = try #require(all.first { $0["name"] as? String == "Brutăria Țăranului Ștefănești" })
        #expect(bakery["folder"] as? String == "Conturi/Prospecți/Lead-uri web")
        #expect(bakery["zone"] as? String == "Nord")
        #expect(bakery["notes"] as? String == "Aș dori o ofertă pentru 200 de cozonaci.")
        #expect(try cli.ok("contact", "list", "Brutăria Țăranului Ștefănești", "--json").json().first?["name"] as? String == "Ioana Șerban")
        #expect(all.contains { $0["name"] as? String == "Fierăria Bălțătescu" })
        #expect(!all.contains { $0["name"] as? String == "Altă firmă" })
        // The form's own page at the service (Accesează formular) holds the same form.
        let page = try EmailHistoryCLITests.http(base + "/f/" + token)
        #expect(page.status == 200 && page.body.contains("name=\"nume_si_prenume\""))
    }

    @Test(.enabled(if: TerminalTests.tmuxAvailable)) func theUsersTerminalShowsASubmissionAsItArrives() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "100")
        let admin = try #require(try cli.ok("user", "list", "--json").json().first { $0["admin"] as? Bool == true }?["login"] as? String)
        try cli.ok("form", "edit", "Formular contact", "--notify", admin)
        let token = try cli.ok("form", "show", "Formular contact", "--json").json(object: true)["token"] as? String ?? ""
        let (serve, base) = try Self.serve(cli)
        defer { kill(serve.processIdentifier, SIGKILL); serve.waitUntilExit() }
        let session = try TmuxSession.crm(cli, width: 140, height: 40)
        try session.waitFor("the Clienți page") { $0.contains("conturi") }
        let r = try Self.post(base + "/f/" + token, body: Self.encode([("firma", "Cofetăria Dulce Ștefănești"), ("nume_si_prenume", "Ana Roșu"),
                                                                    ("e_mail", "ana@cofetaria-dulce.ro"), ("mesaj", "Tort pentru nuntă")]))
        #expect(r.status == 200)
        try session.waitFor("the new submission's window", timeout: 15) {
            $0.contains("Formulare web: 1 înregistrări noi") && $0.contains("Cofetăria Dulce Ștefănești · cont nou") && $0.contains("Mesaj: Tort pentru nuntă")
        }
        try session.send("Enter")
        try session.waitFor("its account chosen") { $0.contains("Din formularul «Formular contact»: Cofetăria Dulce Ștefănești") }
        try session.quit()
    }
}
