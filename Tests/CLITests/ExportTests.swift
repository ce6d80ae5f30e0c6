import Foundation
import Testing

/// Exports read back by an independent reader (openpyxl, Python's csv) and
/// compared cell by cell with what the CLI lists.
@Suite struct ExportTests {
    static let reader = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Readers/read_table.py")
    static let python = "/usr/bin/python3"
    static let openpyxl: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import openpyxl"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    func read(_ path: String) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python)
        p.arguments = [Self.reader.path, path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CLI.CLIFailure(message: "the reader failed on \(path)")
        }
        return json
    }

    static let columns = "code,name,cui,vatPayer,city,custom.nr_angajati,custom.client_din,custom.newsletter,notes"

    /// The expected rows from `account list --json`, in the same order, as the table shows them.
    func expected(_ cli: CLI, search: String? = nil) throws -> [[Any?]] {
        var args = ["account", "list", "--limit", "0", "--json"]
        if let search { args += ["--search", search] }
        return try cli.ok(args).json().map { a in
            let custom = a["custom"] as? [String: Any] ?? [:]
            let vat = a["vatPayer"] as? Bool ?? false
            let cui = (a["cui"] as? String).map { vat ? "RO" + $0 : $0 }
            func opt(_ v: Any?) -> Any? { v is NSNull ? nil : v }
            return [opt(a["code"]), a["name"], cui, vat, opt(a["city"]), opt(custom["nr_angajati"]), opt(custom["client_din"]),
                    opt(custom["newsletter"]), opt(a["notes"])]
        }
    }

    func prepare() throws -> CLI {
        let cli = try CLI()
        try cli.ok("demo", "--accounts", "120")
        try cli.ok("account", "add", "--name", "Știință, \"Țară\" și Ăâîșț SRL", "--cui", "RO14399840", "--city", "Săcele",
                   "--notes", "rândul unu\nrândul doi", "--field", "nr_angajati=12", "--field", "client_din=29.02.2024",
                   "--field", "newsletter=da", "--code", "ZZ001", "--zone", "Centru")
        return cli
    }

    @Test(.enabled(if: openpyxl)) func xlsxHoldsTheTableCellByCellWithTypes() throws {
        let cli = try prepare()
        defer { cli.remove() }
        let path = cli.dir.appendingPathComponent("Conturi.xlsx").path
        let out = try cli.ok("export", "accounts", "-o", path, "--columns", Self.columns, "--sort", "name")
        #expect(out.stdout.contains("121 accounts exported"))
        let sheet = try read(path)
        let rows = try #require(sheet["rows"] as? [[Any?]])
        #expect(rows.first?.compactMap { $0 as? String } == ["Code", "Name", "Tax ID (CUI)", "VAT payer", "City", "Nr. angajați",
                                                             "Client din", "Newsletter", "Notes"])
        let want = try expected(cli)
        #expect(rows.count == want.count + 1)
        for (got, exp) in zip(rows.dropFirst(), want) {
            #expect(got[0] as? String == exp[0] as? String)
            #expect(got[1] as? String == exp[1] as? String)
            #expect(got[2] as? String == exp[2] as? String)
            #expect(got[3] as? Bool == exp[3] as? Bool)
            #expect(got[4] as? String == exp[4] as? String)
            #expect((got[5] as? NSNumber)?.intValue == (exp[5] as? NSNumber)?.intValue)   // a number, not text
            #expect(got[6] as? String == exp[6] as? String)   // an Excel date read back as a date
            #expect((got[7] as? Bool) == (exp[7] as? Bool))
            #expect(got[8] as? String == exp[8] as? String)
        }
        let mine = try #require(rows.first { $0[0] as? String == "ZZ001" })
        #expect(mine[1] as? String == "Știință, \"Țară\" și Ăâîșț SRL")
        #expect(mine[6] as? String == "2024-02-29" && mine[7] as? Bool == true && mine[8] as? String == "rândul unu\nrândul doi")
        #expect(sheet["frozen"] as? String == "A2")
        #expect(sheet["autofilter"] as? String == "A1:I122")
        #expect(sheet["bold_header"] as? Bool == true)
    }

    @Test(.enabled(if: openpyxl)) func csvFollowsRFC4180AndTheSearch() throws {
        let cli = try prepare()
        defer { cli.remove() }
        let path = cli.dir.appendingPathComponent("Conturi.csv").path
        try cli.ok("export", "accounts", "-o", path, "--columns", Self.columns, "--search", "stiinta", "--bom")
        let table = try read(path)
        #expect(table["bom"] as? Bool == true && table["crlf"] as? Bool == true)
        let rows = try #require(table["rows"] as? [[String]])
        let want = try expected(cli, search: "stiinta")
        #expect(rows.count == want.count + 1)
        let mine = try #require(rows.first { $0[0] == "ZZ001" })
        #expect(mine == ["ZZ001", "Știință, \"Țară\" și Ăâîșț SRL", "RO14399840", "yes", "Săcele", "12", "2024-02-29", "yes",
                         "rândul unu\nrândul doi"])
    }

    @Test func badExportsSayWhyAndLeaveNoFile() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "10")
        let noFormat = try cli.run(["export", "accounts", "-o", cli.dir.appendingPathComponent("x.txt").path])
        #expect(noFormat.status == 1 && noFormat.stderr.contains("name the file .xlsx or .csv"))
        let badColumn = try cli.run(["export", "accounts", "-o", cli.dir.appendingPathComponent("x.csv").path, "--columns", "name,shoe_size"])
        #expect(badColumn.status == 1 && badColumn.stderr.contains("unknown columns: shoe_size"))
        let nowhere = try cli.run(["export", "accounts", "-o", "/nonexistent/dir/x.xlsx"])
        #expect(nowhere.status == 1 && nowhere.stderr.contains("cannot write /nonexistent/dir/x.xlsx"))
        let files = try FileManager.default.contentsOfDirectory(atPath: cli.dir.path)
        #expect(!files.contains { $0.contains("x.") || $0.contains("partial") })
    }
}

@Suite struct FilterCLITests {
    @Test func whereAndNamedFiltersDriveListsAndExports() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "200")
        let all = try cli.ok("account", "list", "--limit", "0", "--json").json()
        let big = all.filter { (($0["custom"] as? [String: Any])?["nr_angajati"] as? Int ?? 0) >= 100 && ($0["zone"] as? String) == "Centru" }
        let listed = try cli.ok("account", "list", "--limit", "0", "--json", "--where", "custom.nr_angajati >= 100 and zone = centru").json()
        #expect(listed.map { $0["uuid"] as? String } == big.map { $0["uuid"] as? String })
        try cli.ok("filter", "save", "mari-centru", "--where", "custom.nr_angajati >= 100 and zone = Centru")
        #expect(try cli.ok("filter", "list").stdout.contains("mari-centru"))
        let path = cli.dir.appendingPathComponent("f.csv").path
        try cli.ok("export", "accounts", "-o", path, "--filter", "mari-centru", "--columns", "name")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\r\n")
        #expect(lines.count == big.count + 1)
        // A named filter and --where together: both hold.
        let both = try cli.ok("account", "list", "--limit", "0", "--json", "--filter", "mari-centru", "--where", "vatPayer = da").json()
        #expect(both.count == big.filter { $0["vatPayer"] as? Bool == true }.count)
        let bad = try cli.run(["account", "list", "--where", "city = Arad and zone = Vest or name ~ x"])
        #expect(bad.status == 1 && bad.stderr.contains("use either and or or in one filter"))
        let unknown = try cli.run(["account", "list", "--filter", "nu-exista"])
        #expect(unknown.status == 1 && unknown.stderr.contains("nu-exista"))
        try cli.ok("filter", "rm", "mari-centru")
        #expect(!(try cli.ok("filter", "list").stdout.contains("mari-centru")))
    }
}

@Suite struct IndexCLITests {
    @Test func aBulkDemoSearchesNamesUntilIndexedThenEveryField() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "300")
        let first = try #require(try cli.ok("account", "list", "--limit", "1", "--json").json().first)
        let email = try #require(first["email"] as? String)
        let local = String(email.split(separator: "@").last!.split(separator: ".").first!)
        // Before the index: names only (the e-mail's domain is not a name word for every account).
        let before = try cli.ok("account", "list", "--limit", "0", "--json", "--search", "zzzz").json()
        #expect(before.isEmpty)
        let out = try cli.ok("index")
        #expect(out.stdout.contains("Search index complete: 300 accounts"))
        let after = try cli.ok("account", "list", "--limit", "0", "--json", "--search", local).json()
        #expect(after.contains { $0["uuid"] as? String == first["uuid"] as? String })
        // Running it again has nothing to do.
        #expect(try cli.ok("index").stdout.contains("300 accounts"))
    }
}

@Suite struct DuplicatesCLITests {
    @Test func theScanListsPairsAndForgetsDismissedOnes() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        try cli.ok("account", "add", "--name", "S.C. Știința Nouă S.R.L.", "--code", "A1")
        try cli.ok("account", "add", "--name", "STIINTA NOUA SRL", "--code", "A2")
        try cli.ok("account", "add", "--name", "Alt Nume SA", "--code", "A3", "--email", "x@y.ro")
        try cli.ok("account", "add", "--name", "Cu Totul Altceva SRL", "--code", "A4", "--email", "X@y.ro")
        let pairs = try cli.ok("duplicates", "--json").json()
        #expect(pairs.count == 2)
        #expect(pairs.contains { ($0["reasons"] as? [String]) == ["name"] && ($0["score"] as? Double) == 1 })
        #expect(pairs.contains { ($0["reasons"] as? [String]) == ["email"] })
        #expect(try cli.ok("duplicates", "--account", "A1", "--json").json().count == 1)
        try cli.ok("duplicates", "dismiss", "A3", "A4")
        #expect(try cli.ok("duplicates", "--json").json().count == 1)
        #expect(try cli.ok("duplicates").stdout.contains("1 pairs in 1 clusters"))
    }
}

@Suite struct TemplateTests {
    @Test(.enabled(if: ExportTests.openpyxl)) func theTemplateHasTheFixedColumnsAndAnExampleThatPassesEveryCheck() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "10")
        let path = cli.dir.appendingPathComponent("Conturi.xlsx").path
        try cli.ok("template", "accounts", "-o", path)
        let rows = try #require(try ExportTests().read(path)["rows"] as? [[Any?]])
        #expect(rows.count == 2)
        let headers = rows[0].compactMap { $0 as? String }
        #expect(Array(headers.prefix(5)) == ["Cod", "Denumire", "Tip", "CUI/CIF", "Nr. Reg. Com."])
        #expect(Array(headers[21...26]) == ["Coordonate GPS", "Persoană de contact", "Funcție contact", "Telefon contact", "Mobil contact", "E-mail contact"])
        #expect(Array(headers.suffix(4)) == ["Nr. angajați", "Sursă", "Client din", "Newsletter"])
        let example = rows[1]
        func cell(_ header: String) -> String { example[headers.firstIndex(of: header)!].map { "\($0)" } ?? "" }
        // The example row is a valid account.
        try cli.ok("account", "add", "--code", cell("Cod"), "--name", cell("Denumire"), "--cui", cell("CUI/CIF"),
                   "--trade-register", cell("Nr. Reg. Com."), "--phone", cell("Telefon"), "--mobile", cell("Mobil"),
                   "--email", cell("E-mail"), "--iban", cell("IBAN"), "--zone", cell("Zonă"), "--owner", cell("Responsabil"),
                   "--field", "client_din=\(cell("Client din"))", "--field", "sursa=\(cell("Sursă"))")
        try cli.ok("contact", "add", cell("Cod"), "--name", cell("Persoană de contact"), "--email", cell("E-mail contact"),
                   "--mobile", cell("Mobil contact"), "--primary")
        let csv = cli.dir.appendingPathComponent("Conturi.csv").path
        try cli.ok("template", "accounts", "-o", csv)
        #expect(try String(contentsOfFile: csv, encoding: .utf8).hasPrefix("Cod,Denumire,Tip,CUI/CIF"))
    }
}

@Suite struct ImportCLITests {
    /// A CSV with the template's header and rows changed from its example.
    func file(_ cli: CLI, _ name: String, delimiter: String = ",", encoding: String.Encoding = .utf8,
              rows: [(code: String, name: String, cui: String, email: String?)]) throws -> String {
        let template = cli.dir.appendingPathComponent("T.csv").path
        try cli.ok("template", "accounts", "-o", template)
        let lines = try String(contentsOfFile: template, encoding: .utf8).split(separator: "\r\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let example = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var text = header.joined(separator: delimiter) + "\r\n"
        for row in rows {
            var fields = example
            fields[0] = row.code
            fields[1] = row.name
            fields[3] = row.cui
            if let email = row.email { fields[13] = email }
            fields[21] = ""  // no contact
            text += fields.map { $0.contains(delimiter) ? "\"\($0)\"" : $0 }.joined(separator: delimiter) + "\r\n"
        }
        if encoding == .windowsCP1250 {
            // What such files hold: the cedilla forms, the only ones the encoding has.
            for (comma, cedilla) in [("ș", "ş"), ("ț", "ţ"), ("Ș", "Ş"), ("Ț", "Ţ")] {
                text = text.replacingOccurrences(of: comma, with: cedilla)
            }
        }
        let path = cli.dir.appendingPathComponent(name).path
        try #require(text.data(using: encoding)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aFileWithABadRowImportsNothingUnlessToldToSkipIt() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "5")
        let before = try cli.ok("account", "list", "--limit", "0", "--json").stdout
        let path = try file(cli, "a.csv", delimiter: ";", rows: [("IM1", "Import Unu SRL", "", nil), ("IM2", "Import Doi SRL", "RO123", "nu-e-email"),
                                                             ("IM3", "Import; Trei SRL", "", nil)])
        let refused = try cli.run(["import", "accounts", path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("1 bad rows; nothing was imported") && refused.stderr.contains("row 3: cui: «RO123»")
                && refused.stderr.contains("row 3: email: «nu-e-email»"))
        #expect(try cli.ok("account", "list", "--limit", "0", "--json").stdout == before)
        let dry = try cli.ok("import", "accounts", path, "--skip-invalid", "--dry-run")
        #expect(dry.stdout.contains("Dry run (nothing written): 2 added, 0 updated, 0 skipped, 1 refused"))
        #expect(try cli.ok("account", "list", "--limit", "0", "--json").stdout == before)
        let done = try cli.ok("import", "accounts", path, "--skip-invalid")
        #expect(done.stdout.contains("2 added") && done.stderr.contains("row 3"))
        // The refused row, as it was, with the reason, in a rejects file.
        let rejects = cli.dir.appendingPathComponent("a-respinse.xlsx").path
        #expect(done.stdout.contains(rejects))
        if ExportTests.openpyxl {
            let sheet = try #require(try ExportTests().read(rejects)["rows"] as? [[Any?]])
            #expect(sheet.count == 2)
            #expect(sheet[1][0] as? String == "IM2" && sheet[1][1] as? String == "Import Doi SRL")
            #expect((sheet[1].last as? String)?.contains("«RO123» is not a valid CUI/CIF") == true)
            #expect((sheet[1][sheet[1].count - 2] as? NSNumber)?.intValue == 3)
        }
        #expect(try cli.ok("account", "show", "IM3", "--json").json().first?["name"] as? String == "Import; Trei SRL")
        // Again: the codes exist now — skipped, or updated on request.
        #expect(try cli.ok("import", "accounts", path, "--skip-invalid").stdout.contains("0 added, 0 updated, 2 skipped"))
        #expect(try cli.ok("import", "accounts", path, "--skip-invalid", "--on-duplicate", "update").stdout.contains("2 updated"))
    }

    @Test func legacyRomanianEncodingsAndCedillasAreRead() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        // Windows-1250 has ş and ţ (cedilla) only: they become ș and ț.
        let path = try file(cli, "w.csv", encoding: .windowsCP1250, rows: [("W1", "Ştiinţă şi Ţară SRL", "", "office@stiinta.ro")])
        let text = try String(contentsOfFile: path, encoding: .windowsCP1250)
        #expect(text.contains("Ştiinţă"))
        try cli.ok("import", "accounts", path)
        #expect(try cli.ok("account", "show", "W1", "--json").json().first?["name"] as? String == "Știință și Țară SRL")
    }

    @Test func aForeignHeaderIsRefusedNamingTheColumns() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        let path = cli.dir.appendingPathComponent("x.csv").path
        try "Name,City\r\nAlfa,Arad\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try cli.run(["import", "accounts", path])
        #expect(r.status == 1 && r.stderr.contains("the header is not the template's") && r.stderr.contains("extra [Name, City]"))
    }
}
