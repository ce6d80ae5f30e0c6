import Foundation
import Testing

/// The real binary in a real terminal: tmux runs it, send-keys types, and
/// capture-pane reads the screen. Every wait is for a condition, with a deadline.
final class TmuxSession {
    let socket = "crm-test-\(UUID().uuidString.prefix(8))"
    let name = "t"

    /// The program on a test's database, in Romanian, with no user configuration.
    static func crm(_ cli: CLI, width: Int, height: Int) throws -> TmuxSession {
        try TmuxSession(command: CLI.binary.path, width: width, height: height,
                        environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro", "XDG_CONFIG_HOME": "/nonexistent"])
    }

    init(command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        // The tmux server daemonises from the first client and would inherit every
        // descriptor of it, among them the one Foundation watches to see a child
        // end: start that client with only the standard descriptors open.
        let env = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import os, sys; os.closerange(3, 65536); os.execvp(sys.argv[1], sys.argv[1:])",
                       "tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                       // The test runner sets NO_COLOR; a program under test sees it only when a test says so.
                       "env -u NO_COLOR \(env) \(command)"]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLI.CLIFailure(message: "tmux did not start") }
    }

    deinit { _ = try? status(["kill-server"]) }

    private func status(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux", "-L", socket] + args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux", "-L", socket] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func send(_ keys: String...) throws { try send(contentsOf: keys) }

    func send(contentsOf keys: [String]) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Types text literally.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// A tmux format for the pane, such as #{alternate_on}.
    func display(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The process the pane's shell runs (the program under test).
    func programPID() throws -> Int32? {
        guard let shell = Int32(try display("#{pane_pid}")) else { return nil }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == shell { return pid }
        }
        return nil
    }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    private func hasSession() -> Bool { (try? status(["has-session", "-t", name])) == 0 }

    /// Waits until the screen satisfies `condition`; fails with the last screen.
    func waitFor(_ what: String, timeout: TimeInterval = 10, _ condition: (String) -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return }
            usleep(20_000)
        }
        throw CLI.CLIFailure(message: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// Quits the program with ctrl+q and waits until it has gone.
    func quit() throws {
        try send("C-q")
        try waitForExit()
    }

    func waitForExit(timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !hasSession() { return }
            usleep(20_000)
        }
        throw CLI.CLIFailure(message: "the program did not exit")
    }
}

@Suite(.serialized) struct TerminalTests {
    static let tmuxAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

    @Test(.enabled(if: tmuxAvailable)) func keysAreNamedAndBoundThroughTheKeymap() throws {
        let session = try TmuxSession(command: CLI.binary.path + " keys",
                                      environment: ["LANG": "C.UTF-8", "CRM_LANG": "en", "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the title") { $0.contains("crm keys — press keys; ctrl+q quits") }
        try session.send("C-f")
        try session.send("F1")
        try session.send("x")
        try session.waitFor("three keys") { $0.contains("ctrl+f → search.start") && $0.contains("f1 → help.show") && $0.contains("x → (unbound)") }
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func withoutAUTF8LocaleTheScreenIsTransliterated() throws {
        let session = try TmuxSession(command: CLI.binary.path + " keys",
                                      environment: ["LANG": "C", "LC_ALL": "C", "CRM_LANG": "ro", "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the title") { $0.contains("crm keys - apasati taste; ctrl+q iese") }
        try session.send("Up")
        try session.waitFor("the key") { $0.contains("up -> cursor.up") }
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func aUsersKeymapOverridesTheDefault() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let config = cli.dir.appendingPathComponent("config/crm")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "[browser]\n\"x\" = \"search.start\"\n".write(to: config.appendingPathComponent("keymap.toml"), atomically: true, encoding: .utf8)
        let session = try TmuxSession(command: CLI.binary.path + " keys",
                                      environment: ["LANG": "C.UTF-8", "CRM_LANG": "en",
                                                    "XDG_CONFIG_HOME": cli.dir.appendingPathComponent("config").path])
        try session.waitFor("the title") { $0.contains("press keys") }
        try session.send("x")
        try session.waitFor("the rebound key") { $0.contains("x → search.start") }
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func theClientsPageOpensFollowsTheCursorAndQuits() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "120")
        let first = try cli.ok("account", "list", "--limit", "2", "--json").json().compactMap { $0["name"] as? String }
        let session = try TmuxSession(command: CLI.binary.path, width: 120, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the Clienți page") {
            $0.contains("Dosare") && $0.contains("Conturi") && $0.contains(first[0]) && $0.contains("120 conturi")
        }
        try session.send("Down")
        // The details pane (first line under the title) follows the selection.
        try session.waitFor("the second account's details") { $0.split(separator: "\n").dropFirst().first?.contains(first[1]) == true }
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func aReminderDueWhileNobodyRanPopsUpAtTheStartAndANoteTakesAFile() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "10")
        try cli.ok("account", "add", "--name", "AAA Memento SRL", "--code", "M1", "--zone", "Centru")
        let added = try cli.ok("opportunity", "add", "M1", "--details", "Sunat pentru comandă", "--reminder", "2020-01-02 09:00", "--json").json()
        let uuid = try #require(added.first?["uuid"] as? String)
        let file = cli.dir.appendingPathComponent("oferta.txt")
        try "Ofertă semnată".write(to: file, atomically: true, encoding: .utf8)
        let session = try TmuxSession.crm(cli, width: 120, height: 35)
        // Due since 2020: it pops up as the program starts, the oldest first.
        try session.waitFor("the reminder") { $0.contains("Memento") && $0.contains("Sunat pentru comandă") }
        try session.type("1")
        try session.waitFor("the snooze") { !$0.contains("Sunat pentru comandă") }
        #expect(try !cli.ok("reminders", "--due", "--json").json().contains { $0["uuid"] as? String == uuid })
        #expect(try cli.ok("reminders", "--json").json().contains { $0["uuid"] as? String == uuid })
        try session.send("Escape")
        try session.waitFor("the page") { !$0.contains("⏰") && $0.contains("AAA Memento SRL") }
        // Alt+N on the selected account (the first by name): a note with a file.
        try session.send("Home")
        try session.send("M-n")
        try session.waitFor("the note dialog") { $0.contains("Adăugare notă") }
        try session.type("t")
        try session.send("Tab")
        try session.type("Clientul a semnat")
        try session.send("Tab")
        try session.type(file.path)
        try session.send("C-s")
        try session.waitFor("the saved note") { $0.contains("Notă adăugată") }
        try session.waitFor("the note in the Istoric tab") { $0.contains("Clientul a semnat") }
        // Note și fișiere: searched as one types, then exported.
        try session.send("C-p")
        try session.type("note si fisiere")
        try session.send("Enter")
        try session.waitFor("the notes list") { $0.contains("Note și fișiere") }
        try session.type("semnat")
        try session.waitFor("the search") { $0.contains("Note și fișiere (1)") && $0.contains("oferta.txt") }
        let exported = cli.dir.appendingPathComponent("note.xlsx").path
        try session.send("C-e")
        try session.waitFor("the export dialog") { $0.contains("Export note") }
        try session.send("C-u")
        try session.type(exported)
        try session.send("C-s")
        try session.waitFor("the export") { $0.contains("1 note exportate") }
        #expect(FileManager.default.fileExists(atPath: exported))
        try session.quit()
        let notes = try cli.ok("note", "list", "--account", "M1", "--json").json()
        let files = notes.first?["files"] as? [[String: Any]]
        #expect(notes.first?["type"] as? String == "Telefon" && files?.first?["name"] as? String == "oferta.txt")
    }

    @Test(.enabled(if: tmuxAvailable)) func anAccountAddedThroughTheDialogReachesTheDatabase() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "30")
        let session = try TmuxSession(command: CLI.binary.path, width: 120, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the Clienți page") { $0.contains("30 conturi") }
        try session.send("IC")
        try session.waitFor("the dialog") { $0.contains("Adăugare cont") }
        try session.waitFor("the name field") { $0.contains("Denumire *") }
        try session.send("-l", "Ţara Nouă SRL")
        // The demo uses zones, so the account needs one: Centru, picked by its letter.
        try session.send(contentsOf: Array(repeating: "Tab", count: 10))
        try session.type("c")
        try session.waitFor("the zone") { $0.contains("Centru") }
        try session.send("C-s")
        try session.waitFor("the saved account") { $0.contains("Cont salvat: Țara Nouă SRL") }
        try session.quit()
        let saved = try cli.ok("account", "show", "Țara Nouă SRL", "--json").json()
        #expect(saved.first?["folder"] as? String == "Conturi")
    }

    @Test(.enabled(if: tmuxAvailable)) func aProductAddedOnTheProductsPageReachesTheCatalogueAndItsPriceList() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "5")
        let count = try cli.ok("product", "list", "--limit", "0", "--json").json().count
        let session = try TmuxSession(command: CLI.binary.path, width: 140, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the Clienți page") { $0.contains("5 conturi") }
        try session.send("M-4")
        try session.waitFor("the Produse page") { $0.contains("Categorii") && $0.contains("\(count) produse") }
        try session.send("IC")
        try session.waitFor("the dialog") { $0.contains("Adăugare produs sau serviciu") }
        try session.type("ȘTA-1")
        try session.send("Tab")
        try session.type("Ştampilă cu dată")
        try session.send("Tab", "Tab")
        try session.type("45,50")
        try session.send("F2")
        try session.waitFor("the saved product") { screen in
            screen.contains("Produs salvat: ȘTA-1 · Ștampilă cu dată")
                && screen.split(separator: "\n").contains { $0.hasPrefix("Toate") && $0.contains(" \(count + 1) │") }
        }
        // The right pane: the price with VAT (21 %), exact.
        try session.waitFor("the details") { $0.contains("55.06 RON") }
        let pdf = cli.dir.appendingPathComponent("preturi.pdf").path
        try session.send("C-e")
        try session.waitFor("the export dialog") { $0.contains("listă de prețuri (.pdf)") }
        try session.send("C-u")
        try session.type(pdf)
        try session.send("F2")
        try session.waitFor("the price list") { $0.contains("Listă de prețuri: \(count + 1) produse") }
        try session.quit()
        let saved = try cli.ok("product", "show", "ȘTA-1", "--json").json().first
        #expect(saved?["name"] as? String == "Ștampilă cu dată" && saved?["price"] as? NSNumber == 45.5)
        if PriceListPDFTests.tools {
            #expect(try PriceListPDFTests.run("/usr/bin/pdftotext", [pdf, "-"]).out.contains("Ștampilă cu dată"))
        }
    }

    @Test(.enabled(if: tmuxAvailable)) func anOpportunitysOfferBecomesAPaidInvoiceWhoseStatementShowsTheMovements() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "5")
        try cli.ok("account", "add", "--code", "TS1", "--name", "Țesătoria Șiret SRL", "--cui", "RO18547290", "--address", "Str. Lungă nr. 3",
                   "--city", "Rădăuți", "--county", "Suceava", "--zone", "Nord-Est")
        let item = try #require(try cli.ok("opportunity", "add", "TS1", "--details", "Dotare ateliere", "--json").json().first?["uuid"] as? String)
        let offer = try #require(try cli.ok("offer", "add", item, "--line", "product=SRV-001;qty=4", "--json").json().first)
        let total = try #require(offer["total"] as? NSNumber)
        let session = try TmuxSession.crm(cli, width: 150, height: 40)
        try session.waitFor("the Clienți page") { $0.contains("6 conturi") }
        // From the opportunity: Adăugare factură venit with the offer's products, saved.
        try session.send("M-2")
        try session.waitFor("the opportunity") { $0.contains("Dotare ateliere") }
        try session.send("M-v")
        try session.waitFor("the invoice dialog") { $0.contains("Adăugare factură venit") && $0.contains("Produse încărcate din oferta") }
        try session.send("F2")
        try session.waitFor("the saved invoice") { $0.contains("Factură adăugată: FCT-") }
        let invoice = try #require(try cli.ok("invoice", "list", "--client", "TS1", "--json").json().first?["number"] as? String)
        // Facturi: posted, then paid in full.
        try session.send("M-5")
        try session.waitFor("the Facturi page") { $0.contains("scadență depășită") && $0.contains(invoice) }
        try session.send("M-u")
        try session.waitFor("the posting dialog") { $0.contains("Înregistrare venit — \(invoice)") }
        try session.send("F2")
        try session.waitFor("the posted revenue") { $0.contains("Venit înregistrat: \(invoice)") }
        try session.send("M-i")
        try session.waitFor("the payment dialog") { $0.contains("Înregistrare încasare — \(invoice)") }
        try session.send("F2")
        try session.waitFor("the payment") { $0.contains("Încasare înregistrată:") && $0.contains("încasată") }
        // The client's statement: the invoice, the payment, nothing left to collect.
        try session.send("M-1")
        try session.waitFor("Clienți") { $0.contains("Dosare") }
        try session.send("/")
        try session.type("Țesătoria")
        try session.send("Enter", "]", "]", "]")
        try session.waitFor("the statement") { $0.contains("Sold: 0.00 RON") && $0.contains(invoice) && $0.contains("ordin de plată") }
        try session.quit()
        let paid = try #require(try cli.ok("invoice", "show", invoice, "--json").json().first)
        #expect(paid["status"] as? String == "paid" && paid["paid"] as? NSNumber == total && paid["posted"] as? Bool == true)
    }

    @Test(.enabled(if: tmuxAvailable)) func aFileIsImportedThroughTheInterfaceWithCompletionAndPreview() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "30")
        // A file from the template: its example row, under another code and name.
        let template = cli.dir.appendingPathComponent("sablon-import.csv").path
        try cli.ok("template", "accounts", "-o", template)
        let lines = try String(contentsOfFile: template, encoding: .utf8).split(separator: "\r\n").map(String.init)
        var example = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        example[0] = "TM1"
        example[1] = "Terminal Import SRL"
        try (lines[0] + "\r\n" + example.joined(separator: ",") + "\r\n")
            .write(toFile: cli.dir.appendingPathComponent("de-importat.csv").path, atomically: true, encoding: .utf8)
        let session = try TmuxSession(command: CLI.binary.path, width: 140, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the Clienți page") { $0.contains("30 conturi") }
        try session.send("C-p")
        try session.type("import date")
        try session.send("Enter")
        try session.waitFor("the import dialog") { $0.contains("Fișier (.xlsx, .csv)") }
        // F3 completes the name as far as it is the only one.
        try session.send("C-u")
        try session.type(cli.dir.path + "/de-")
        try session.send("F3")
        try session.waitFor("the completed name") { $0.contains("de-importat.csv") }
        try session.send("F2")
        try session.waitFor("the preview") { $0.contains("Import date: de-importat.csv") && $0.contains("Terminal Import SRL") }
        try session.send("Enter")
        try session.waitFor("the summary") { $0.contains("1 adăugate, 0 actualizate, 0 sărite, 0 refuzate") }
        try session.quit()
        #expect(try cli.ok("account", "show", "TM1", "--json").json().first?["name"] as? String == "Terminal Import SRL")
    }

    @Test(.enabled(if: tmuxAvailable)) func someoneWhoseUnixLoginIsNotMappedSignsIn() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "12")
        #expect(try cli.run(["user", "add", "ana.pop", "--name", "Ana Pop", "--password-stdin"], input: "parola-lunga-1\n").status == 0)
        // The administrator this Unix login is keeps the rights but gives up the mapping.
        let admin = try #require(try cli.ok("user", "list", "--json").json().first { $0["unixLogin"] is String }?["login"] as? String)
        try cli.ok("user", "edit", admin, "--unix-login", "")
        let session = try TmuxSession(command: CLI.binary.path, width: 120, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the sign-in screen") { $0.contains("crm — Autentificare") }
        try session.type("ana.pop")
        try session.send("Enter")
        try session.type("parola-gresita")
        try session.send("Enter")
        try session.waitFor("the refusal") { $0.contains("utilizator sau parolă greșite") }
        #expect(!(try session.screen()).contains("parola-gresita"))
        try session.type("parola-lunga-1")
        try session.send("Enter")
        try session.waitFor("the Clienți page") { $0.contains("12 conturi") }
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func anotherUsersChangeAppearsWithinASecond() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "12")
        let session = try TmuxSession(command: CLI.binary.path, width: 120, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the Clienți page") { $0.contains("12 conturi") }
        try cli.ok("account", "add", "--name", "AAA Altă SRL", "--zone", "Vest")
        try session.waitFor("the other session's account", timeout: 2) {
            $0.contains("AAA Altă SRL") && $0.contains("13 conturi")
        }
        try session.quit()
    }

    /// Runs the program under a shell that reports, after it ends, its exit
    /// status and whether the terminal is back in canonical mode with echo.
    static func wrapped(_ command: String) -> String {
        let script = command + "; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; sleep 120"
        return "sh -c '" + script.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The walk the guide describes, typed into the real program in a real terminal.
    func walkThrough(term: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "300")
        let session = try TmuxSession(command: Self.wrapped(CLI.binary.path), width: 120, height: 35,
                                      environment: ["TERM": term, "CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the Clienți page") { $0.contains("300 conturi") && $0.contains("Căutare:") }
        // xterm has an alternate screen (the shell's text comes back after); a VT100 has none.
        #expect(try session.display("#{alternate_on}") == (term == "vt100" ? "0" : "1"))

        // The folder tree: tab twice reaches it; down walks; the title follows.
        try session.send("Tab")
        try session.send("Tab")
        try session.send("Down")
        try session.waitFor("a sub-folder") { $0.split(separator: "\n").first?.contains("· Conturi/") == true }
        try session.send("Up")
        try session.send("Enter")
        try session.waitFor("the root again") { $0.split(separator: "\n").first?.hasSuffix("· Conturi") == true }

        // A new account with a contact, through the palette and the dialog.
        try session.send("C-p")
        try session.waitFor("the palette") { $0.contains("Paleta de comenzi") }
        try session.type("adaugare cont")
        try session.send("Enter")
        try session.waitFor("the dialog") { $0.contains("Adăugare cont") && $0.contains("Denumire *") }
        try session.type("Știință și Țară SRL")
        try session.send("Tab")
        try session.send("Tab")
        try session.send("Tab")
        try session.type("RO14399840")
        try session.send(contentsOf: Array(repeating: "Tab", count: 7))
        try session.type("c")
        try session.waitFor("the zone") { $0.contains("Centru") }
        try session.send("C-t")
        try session.waitFor("the contacts page") { $0.contains("Nicio persoană de contact") }
        try session.type("+")
        try session.waitFor("the contact form") { $0.contains("Adăugare persoană de contact") }
        try session.type("Ana Țurcanu")
        try session.send("Tab")
        try session.type("Director")
        try session.send("C-s")
        try session.waitFor("the contact in the list") { $0.contains("★ Ana Țurcanu · Director") }
        try session.send("C-s")
        try session.waitFor("the saved account") { $0.contains("Cont salvat: Știință și Țară SRL") }

        // The search box finds it without diacritics.
        try session.type("/")
        try session.type("stiinta tara")
        try session.send("Enter")
        try session.waitFor("the search result") {
            $0.contains("căutare «stiinta tara»") && $0.contains("Știință și Țară SRL") && !$0.contains("CL0000001")
        }

        // Edit it: F4, down to Oraș, type, save.
        try session.send("F4")
        try session.waitFor("the edit dialog") { $0.contains("Editare cont: Știință și Țară SRL") }
        for _ in 0..<7 { try session.send("Tab") }
        try session.type("Cluj-Napoca")
        try session.send("C-s")
        try session.waitFor("the saved edit") { $0.contains("Cont salvat: Știință și Țară SRL") }

        // Resize: narrower puts the history below; too small shows a notice; back again.
        try session.resize(width: 90, height: 30)
        try session.waitFor("the narrow layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count <= 31 && lines.contains { $0.contains("Contacte (1)") } && lines.contains { $0.contains("───") }
        }
        try session.resize(width: 70, height: 20)
        try session.waitFor("the notice") { $0.contains("Terminalul este prea mic") }
        try session.resize(width: 120, height: 35)
        try session.waitFor("the page again") { $0.contains("Știință și Țară SRL") && $0.contains("Cluj-Napoca") }

        // The palette runs any action: the help screen.
        try session.send("C-p")
        try session.type("ajutor")
        try session.send("Enter")
        try session.waitFor("the help") { $0.contains("Ajutor — taste") && $0.contains("ctrl+q") }
        try session.send("Escape")
        try session.waitFor("the help closed") { !$0.contains("Ajutor — taste") }

        try session.send("C-q")
        try session.waitFor("the shell") { $0.contains("EXIT=0") && $0.contains("icanon echo") }
        #expect(try session.display("#{alternate_on}") == "0")

        let saved = try cli.ok("account", "show", "RO14399840", "--json").json()
        #expect(saved.first?["name"] as? String == "Știință și Țară SRL")
        #expect(saved.first?["city"] as? String == "Cluj-Napoca")
        let contacts = try cli.ok("contact", "list", "RO14399840", "--json").json()
        #expect(contacts.first?["name"] as? String == "Ana Țurcanu")
        #expect(contacts.first?["primary"] as? Bool == true)
    }

    @Test(.enabled(if: tmuxAvailable)) func theGuidesWalkInXterm() throws { try walkThrough(term: "xterm-256color") }

    @Test(.enabled(if: tmuxAvailable)) func theGuidesWalkOnAVT100() throws { try walkThrough(term: "vt100") }

    @Test(.enabled(if: tmuxAvailable), arguments: [("TERM", SIGTERM), ("INT", SIGINT)])
    func aSignalRestoresTheTerminal(name: String, signal: Int32) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "20")
        let session = try TmuxSession(command: Self.wrapped(CLI.binary.path), width: 100, height: 30,
                                      environment: ["TERM": "xterm-256color", "CRM_DB": cli.db, "LANG": "C.UTF-8",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the page") { $0.contains("20 conturi") }
        let pid = try #require(try session.programPID())
        kill(pid, signal)
        try session.waitFor("the shell after SIG\(name)") { $0.contains("EXIT=\(128 + signal)") && $0.contains("icanon echo") }
        #expect(try session.display("#{alternate_on}") == "0")
    }

    @Test(.enabled(if: tmuxAvailable)) func aBadUserKeymapIsReportedAndTheDefaultsWork() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "20")
        let config = cli.dir.appendingPathComponent("config/crm")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "[browser]\n\"f5\" = \"no.such.action\"\n".write(to: config.appendingPathComponent("keymap.toml"), atomically: true,
                                                                   encoding: .utf8)
        let session = try TmuxSession(command: CLI.binary.path, width: 120, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "en",
                                                    "XDG_CONFIG_HOME": cli.dir.appendingPathComponent("config").path])
        try session.waitFor("the problem in the status line") {
            $0.contains("keymap.toml:2: unknown action «no.such.action»")
        }
        try session.send("F1")
        try session.waitFor("the default help") { $0.contains("Help — keys") }
        try session.send("Escape")
        try session.quit()
    }

    /// SGR colour parameters (30–37, 40–47, 90–97, 38;5;N…) in a capture with escapes.
    static func hasColours(_ capture: String) -> Bool {
        for sequence in capture.components(separatedBy: "\u{1B}[").dropFirst() {
            guard let end = sequence.firstIndex(of: "m") else { continue }
            let codes = sequence[..<end].split(separator: ";").compactMap { Int($0) }
            if codes.contains(where: { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }) {
                return true
            }
        }
        return false
    }

    @Test(.enabled(if: tmuxAvailable)) func noColorAndMonochromeTerminalsGetAttributesOnly() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "20")
        for (env, coloured) in [(["TERM": "xterm-256color"], true), (["TERM": "xterm-256color", "NO_COLOR": "1"], false),
                                (["TERM": "vt100"], false), (["TERM": "xterm"], true)] {
            let session = try TmuxSession(command: CLI.binary.path, width: 100, height: 30,
                                          environment: env.merging(["CRM_DB": cli.db, "LANG": "C.UTF-8",
                                                                    "XDG_CONFIG_HOME": "/nonexistent"]) { a, _ in a })
            try session.waitFor("the page") { $0.contains("20 conturi") }
            let capture = try session.tmux(["capture-pane", "-p", "-e", "-t", session.name])
            #expect(Self.hasColours(capture) == coloured, "\(env)")
            // The selected row stands out all the same: reverse video or a background.
            #expect(capture.contains("\u{1B}[7m") || capture.contains(";7m") || capture.contains("\u{1B}[44m")
                    || capture.contains(";44m") || capture.contains("\u{1B}[4m"), "\(env)")
            try session.quit()
        }
    }

    @Test(.enabled(if: tmuxAvailable)) func escapeSequencesInTheDatabaseNeverReachTheTerminal() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "20")
        let second = try #require(try cli.ok("account", "list", "--limit", "2", "--json").json().last?["uuid"] as? String)
        try cli.ok("contact", "add", second, "--name", "\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}[2JIon", "--primary")
        let session = try TmuxSession(command: CLI.binary.path, width: 120, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the page") { $0.contains("20 conturi") }
        // Let programs set the clipboard, so an OSC 52 that got through would show as a buffer.
        try session.tmux(["set-option", "-g", "set-clipboard", "on"])
        try session.send("Down")
        try session.waitFor("the contact, shown harmless") { $0.contains("★ ␛]52;c;ZXZpbA==␇␛[2JIon") }
        let screen = try session.screen()
        #expect(screen.contains("Dosare") && screen.contains("Căutare:"))  // nothing cleared the screen
        #expect(try session.tmux(["list-buffers"]).isEmpty)  // nothing reached the clipboard
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func theClientsPageWithoutAUTF8LocaleIsTransliterated() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "20")
        let session = try TmuxSession(command: CLI.binary.path, width: 120, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C", "LC_ALL": "C", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the page in ASCII") {
            $0.contains(" Clienti   Dosare   Pagini   Setari   Ajutor") && $0.contains("Cautare:") && $0.contains("20 conturi")
        }
        #expect(try session.screen().unicodeScalars.allSatisfy { $0.isASCII })
        try session.send("F10")
        try session.waitFor("the menu") { $0.contains("Adaugare cont") }
        try session.send("Escape")
        try session.quit()
    }
}

/// A reminder set in the interface a minute or two ahead pops up on time, in
/// real time (its own suite, so the others run while it waits); the same
/// session then works the Oportunități page.
@Suite struct ReminderTerminalTests {
    @Test(.enabled(if: TerminalTests.tmuxAvailable)) func aReminderSetAheadPopsUpOnTimeAndTheOpportunitiesPageNarrowsSortsAndExports() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "200")
        let code = try #require(try cli.ok("account", "list", "--limit", "1", "--json").json().first?["code"] as? String)
        let session = try TmuxSession.crm(cli, width: 140, height: 35)
        try session.waitFor("the page") { $0.contains("200 conturi") }
        // Pending reminders of the demo may greet the user first.
        if try session.screen().contains("⏰ Memento (") { try session.send("Escape") }
        try session.send("M-2")
        try session.waitFor("the opportunities page") { $0.contains("Stadii") && $0.contains("oportunități ·") }
        // Ins: an opportunity on the account typed by its code, its reminder the minute after the next.
        let due = (Date().timeIntervalSince1970 / 60 + 2).rounded(.down) * 60
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd HH:mm"
        format.timeZone = .current
        try session.send("IC")
        try session.waitFor("the dialog") { $0.contains("Adăugare oportunitate") }
        try session.send("C-u")  // the selected row's account is offered first
        try session.type(code)
        try session.send(contentsOf: Array(repeating: "Tab", count: 7))
        try session.type(format.string(from: Date(timeIntervalSince1970: due)))
        try session.send("Tab")
        try session.type("Demonstrație produs")
        try session.send("C-s")
        try session.waitFor("the saved opportunity") { $0.contains("Oportunitate adăugată") && $0.contains("Demonstrație produs") }
        let added = try #require(try cli.ok("opportunity", "list", "--search", "demonstratie", "--json").json().first)
        let uuid = try #require(added["uuid"] as? String)
        // Nothing before its time; within 30 seconds after it, the pop-up.
        #expect(try !session.screen().contains("⏰ Memento ("))
        try session.waitFor("the reminder", timeout: due - Date().timeIntervalSince1970 + 40) {
            $0.contains("⏰ Memento (") && $0.contains("Demonstrație produs")
        }
        #expect(Date().timeIntervalSince1970 - due <= 31)
        try session.type("1")  // snoozed for ten minutes
        try session.waitFor("the snooze") { !$0.contains("⏰ Memento (") }
        #expect(try !cli.ok("reminders", "--due", "--json").json().contains { $0["uuid"] as? String == uuid })
        #expect(try cli.ok("reminders", "--json").json().contains { $0["uuid"] as? String == uuid })
        // The stages pane: Ofertare narrows the table; Alt+S sorts by the amount.
        let offers = try cli.ok("opportunity", "list", "--stage", "Ofertare", "--limit", "0", "--json").json().count
        try session.send("BTab")
        try session.send(contentsOf: ["Down", "Down", "Down", "Tab"])
        try session.waitFor("the stage") { $0.contains("\(offers) oportunități · stadiu «Ofertare»") }
        try session.send("M-s")
        try session.waitFor("the sort") { $0.contains("Ordonat după Sumă ↑") }
        let cheapest = try #require(try cli.ok("opportunity", "list", "--stage", "Ofertare", "--sort", "amount", "--limit", "1", "--json")
            .json().first?["account"] as? String)
        // Ctrl+E: the narrowed table to a spreadsheet, read back.
        let sheet = cli.dir.appendingPathComponent("ofertare.csv").path
        try session.send("C-e")
        try session.waitFor("the export dialog") { $0.contains("Export tabel") }
        try session.send("C-u")
        try session.type(sheet)
        try session.send("C-s")
        try session.waitFor("the export") { $0.contains("\(offers) rânduri exportate") }
        let rows = try String(contentsOfFile: sheet, encoding: .utf8).split(separator: "\r\n")
        #expect(rows.count == offers + 1 && rows.dropFirst().allSatisfy { $0.contains(",Ofertare,") })
        #expect(rows.dropFirst().first.map { $0.hasPrefix(cheapest + ",") || $0.hasPrefix("\"" + cheapest) } == true)
        try session.quit()
    }
}
