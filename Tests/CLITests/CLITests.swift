import Foundation
import Testing

@Suite(.serialized) struct CLITests {
    @Test func initAddListShowRoundTripThroughJSON() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.ok("init").stdout.contains("schema v18"))
        try cli.ok("folder", "add", "Clienți")
        try cli.ok("folder", "add", "Clienți/Cluj")
        try cli.ok("column", "add", "--label", "Nr. angajați", "--type", "number")
        let added = try cli.ok("account", "add", "--name", "Ştiinţa Nouă SRL", "--cui", "RO14399840", "--email", "office@stiinta.ro",
                               "--phone", "0264 111 222", "--city", "Cluj-Napoca", "--county", "Cluj", "--folder", "Clienți/Cluj",
                               "--iban", "RO49 AAAA 1B31 0075 9384 0000", "--tags", "VIP, Export", "--field", "nr_angajati=25",
                               "--json").json()
        #expect(added.count == 1)
        let a = added[0]
        #expect(a["name"] as? String == "Știința Nouă SRL")
        #expect(a["cui"] as? String == "14399840")
        #expect(a["vatPayer"] as? Bool == true)
        #expect(a["phone"] as? String == "+40264111222")
        #expect(a["folder"] as? String == "Conturi/Clienți/Cluj")
        #expect(a["tags"] as? String == "VIP, Export")
        #expect((a["custom"] as? [String: Any])?["nr_angajati"] as? Int == 25)
        #expect(a["version"] as? Int == 1)
        #expect((a["createdAt"] as? String)?.hasSuffix("Z") == true)
        let uuid = try #require(a["uuid"] as? String)

        try cli.ok("account", "add", "--name", "Alfa SRL", "--city", "Arad")
        let list = try cli.ok("account", "list", "--json").json()
        #expect(list.map { $0["name"] as? String } == ["Alfa SRL", "Știința Nouă SRL"])
        let inFolder = try cli.ok("account", "list", "--folder", "Clienti", "--json").json()
        #expect(inFolder.map { $0["uuid"] as? String } == [uuid])

        let shown = try cli.ok("account", "show", "RO14399840", "--json").json()
        #expect(shown.first?["uuid"] as? String == uuid)
        let readable = try cli.ok("account", "show", uuid).stdout
        #expect(readable.contains("RO49 AAAA 1B31 0075 9384 0000"))
        #expect(readable.contains("Nr. angajați"))

        try cli.ok("account", "edit", uuid, "--city", "Turda", "--expect-version", "1")
        let stale = try cli.run(["account", "edit", uuid, "--city", "Dej", "--expect-version", "1"])
        #expect(stale.status != 0)
        #expect(stale.stderr.contains("changed by someone else"))
        let history = try cli.ok("account", "history", uuid, "--json").json()
        #expect(history.map { $0["op"] as? String } == ["insert", "update"])
        #expect(history.last?["old"] as? String == "Cluj-Napoca")
        #expect(history.last?["new"] as? String == "Turda")
        #expect(history.last?["user"] as? String != nil)
    }

    @Test func contactsWithOnePrimary() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        try cli.ok("account", "add", "--name", "Beta SA", "--code", "B1")
        let ion = try cli.ok("contact", "add", "B1", "--name", "Ion Popescu", "--mobile", "0722 123 456", "--primary", "--json").json()
        #expect(ion.first?["mobile"] as? String == "+40722123456")
        let ana = try cli.ok("contact", "add", "B1", "--name", "Ana Ionescu", "--role", "Contabil-șef", "--json").json()
        let anaID = try #require(ana.first?["uuid"] as? String)
        try cli.ok("contact", "primary", anaID)
        let list = try cli.ok("contact", "list", "B1", "--json").json()
        #expect(list.map { $0["name"] as? String } == ["Ana Ionescu", "Ion Popescu"])
        #expect(list.map { $0["primary"] as? Bool } == [true, false])
        #expect(try cli.ok("contact", "list", "B1").stdout.contains("★"))
        try cli.ok("contact", "rm", anaID)
        #expect(try cli.ok("contact", "list", "B1", "--json").json().count == 1)
    }

    @Test func foldersFromTheCommandLine() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        for path in ["A", "A/B", "A/B/C", "A/B/C/D"] { try cli.ok("folder", "add", path) }
        let deep = try cli.run(["folder", "add", "A/B/C/D/E"])
        #expect(deep.status == 1)
        #expect(deep.stderr.contains("exceed 4 folder levels"))
        #expect(deep.stderr.split(separator: "\n").count == 1)
        try cli.ok("account", "add", "--name", "X", "--folder", "A/B")
        let refused = try cli.run(["folder", "rm", "A"])
        #expect(refused.status == 1 && refused.stderr.contains("--move-to"))
        try cli.ok("folder", "add", "Nou")
        try cli.ok("folder", "rm", "A", "--move-to", "Nou")
        let tree = try cli.ok("folder", "list", "--json").json()
        #expect(tree.map { $0["path"] as? String } == ["Conturi", "Conturi/Nou"])
        #expect(tree.last?["accounts"] as? Int == 1)
    }

    @Test func badInputGetsOneClearLineAndNoWrite() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        let r = try cli.run(["account", "add", "--name", "Rău SRL", "--cui", "RO123", "--email", "x@"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cui: «RO123» is not a valid CUI/CIF"))
        #expect(r.stderr.contains("email: «x@» is not a valid e-mail address"))
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack"))
        #expect(try cli.ok("account", "list", "--json").json().isEmpty)
        let badField = try cli.run(["account", "add", "--name", "Y", "--field", "fara_egal"])
        #expect(badField.status == 1 && badField.stderr.contains("NAME=VALUE"))
        var ro = cli
        ro.language = "ro"
        let roError = try ro.run(["account", "add", "--name", "Rău SRL", "--cui", "RO123"])
        #expect(roError.stderr.contains("nu este un CUI/CIF valid"))
    }

    @Test func missingFileIsAClearError() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let r = try cli.run(["account", "list"])
        #expect(r.status == 1)
        #expect(r.stderr == "crm: error: database \(cli.db) does not exist; create it with `crm init` (or `crm demo`) or pass another with --db\n")
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func notADatabaseIsLeftUntouched() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let content = Data("Lista de cumpărături: pâine, lapte\n".utf8)
        _ = FileManager.default.createFile(atPath: cli.db, contents: content)
        for args in [["account", "list"], ["init"], ["demo", "--accounts", "5"]] {
            let r = try cli.run(args)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.contains("is not an SQLite database"), "\(args): \(r.stderr)")
        }
        #expect(FileManager.default.contents(atPath: cli.db) == content)
    }

    @Test func newerSchemaIsRefusedAndLeftUntouched() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        // Write user_version = 77 into the header (bytes 60–63), as a newer crm would.
        var data = try #require(FileManager.default.contents(atPath: cli.db))
        data.replaceSubrange(60..<64, with: [0, 0, 0, 77])
        try data.write(to: URL(fileURLWithPath: cli.db))
        let r = try cli.run(["account", "list"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("has schema v77, newer than the v18 this program knows"))
        #expect(FileManager.default.contents(atPath: cli.db) == data)
    }

    @Test func terminalEscapesInDataNeverReachTheTerminal() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        try cli.ok("account", "add", "--name", "Rău\u{1B}[2J\u{1B}]0;titlu\u{07}SRL", "--notes", "linia 1\nlinia 2\u{1B}[31m")
        let table = try cli.ok("account", "list").stdout
        #expect(!table.contains("\u{1B}") && !table.contains("\u{07}"))
        #expect(table.contains("␛[2J"))
        let sheet = try cli.ok("account", "show", "#1").stdout
        #expect(!sheet.contains("\u{1B}"))
        let json = try cli.ok("account", "list", "--json").stdout
        #expect(!json.contains("\u{1B}") && json.contains("\\u001b"))
    }

    @Test func demoIsDeterministicAndUsable() throws {
        let one = try CLI(), two = try CLI()
        defer { one.remove(); two.remove() }
        let out = try one.ok("demo", "--accounts", "300", "--seed", "11").stdout
        #expect(out.contains("300 accounts"))
        try two.ok("demo", "--accounts", "300", "--seed", "11")
        let a = try one.ok("account", "list", "--limit", "0", "--json").json().map { "\($0["code"]!)|\($0["name"]!)|\($0["cui"]!)" }
        let b = try two.ok("account", "list", "--limit", "0", "--json").json().map { "\($0["code"]!)|\($0["name"]!)|\($0["cui"]!)" }
        #expect(a.count == 300 && a == b)
        let again = try one.run(["demo", "--accounts", "10"])
        #expect(again.status == 1 && again.stderr.contains("already has 300 accounts"))
        let info = try one.ok("info", "--json").json()
        #expect(info.first?["accounts"] as? Int == 300)
        #expect(info.first?["schemaVersion"] as? Int == 18)
        #expect(!FileManager.default.fileExists(atPath: one.db + ".loading-" ))
    }

    @Test func severalSessionsWritingAtOnceLoseNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        // Four processes, ten accounts each, all at once on one file.
        let failures = ConcurrentCounter()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for n in 0..<10 {
                let r = try? cli.run(["account", "add", "--name", "Sesiunea \(worker) cont \(n)"])
                if r?.status != 0 { failures.add() }
            }
        }
        #expect(failures.value == 0)
        #expect(try cli.ok("account", "list", "--limit", "0", "--json").json().count == 40)
    }

    /// Twenty processes, each adding 200 accounts one transaction at a time, all
    /// at once on one file: no error, no write lost.
    @Test func twentyWritersAtOnceLoseNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        let failures = ConcurrentCounter()
        DispatchQueue.concurrentPerform(iterations: 20) { worker in
            guard let r = try? cli.run(["bench", "--writes", "200", "--tag", "p\(worker)"]), r.status == 0,
                  r.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) == "0" else {
                failures.add()
                return
            }
        }
        #expect(failures.value == 0)
        let info = try cli.ok("info", "--json").json()
        #expect(info.first?["accounts"] as? Int == 4000)
    }

    /// A journal left beside a database that was deleted (its program killed)
    /// is not replayed into a new demo made under the same name.
    @Test func aNewDemoIgnoresAJournalLeftByAnEarlierFile() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let earlier = cli.dir.appendingPathComponent("earlier.sqlite").path
        try cli.ok("demo", "--db", earlier, "--accounts", "5")
        // A writer that stops before a checkpoint leaves its changes in the journal.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ExportTests.python)
        p.arguments = ["-c", """
            import shutil, sqlite3, sys
            c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_autocheckpoint = 0")
            c.execute("UPDATE account SET name = 'Din jurnalul vechi'"); c.commit()
            shutil.copy(sys.argv[1] + "-wal", sys.argv[2] + "-wal")
            """, earlier, cli.db]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0 && FileManager.default.fileExists(atPath: cli.db + "-wal"))
        try cli.ok("demo", "--accounts", "5")
        let names = try cli.ok("account", "list", "--json").json().compactMap { $0["name"] as? String }
        #expect(names.count == 5 && !names.contains("Din jurnalul vechi"))
    }

    @Test func readingLeavesTheFileAsItWas() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "50")
        let before = try #require(FileManager.default.contents(atPath: cli.db))
        try cli.ok("account", "list")
        try cli.ok("folder", "list", "--json")
        try cli.ok("info")
        #expect(FileManager.default.contents(atPath: cli.db) == before)
    }
}

final class ConcurrentCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
