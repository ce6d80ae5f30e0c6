import Foundation
import Testing

/// .xlsx imports of files written by independent writers (openpyxl, LibreOffice,
/// hand-written parts), and of damaged ones: those refused with a clear message
/// and the database left exactly as it was.
@Suite(.enabled(if: ExportTests.openpyxl)) struct ImportXLSXTests {
    static let maker = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Readers/make_xlsx.py")
    static let libreOfficeFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Readers/libreoffice-conturi.xlsx")

    /// A demo database and a file made by `make_xlsx.py MODE` from its template.
    func prepare(_ modes: [String]) throws -> (CLI, [String: String]) {
        let cli = try CLI()
        try cli.ok("demo", "--accounts", "20")
        let template = cli.dir.appendingPathComponent("T.csv").path
        try cli.ok("template", "accounts", "-o", template)
        var files: [String: String] = [:]
        for mode in modes {
            let out = cli.dir.appendingPathComponent("\(mode).xlsx").path
            let args = mode == "bomb" ? [mode, out] : [mode, template, out]
            try python(args)
            files[mode] = out
        }
        return (cli, files)
    }

    func python(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ExportTests.python)
        p.arguments = [Self.maker.path] + args
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLI.CLIFailure(message: "make_xlsx.py \(args) failed") }
    }

    /// Every row of every table, as text: the database's content.
    func content(_ cli: CLI) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [cli.db, ".dump"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func account(_ cli: CLI, _ code: String) throws -> [String: Any] {
        try #require(try cli.ok("account", "show", code, "--json").json().first)
    }

    @Test func openpyxlFilesImportWithTheirTypes() throws {
        let (cli, files) = try prepare(["typed"])
        defer { cli.remove() }
        let r = try cli.ok("import", "accounts", files["typed"]!)
        #expect(r.stdout.contains("2 added, 0 updated, 0 skipped, 0 refused"))
        let a = try account(cli, "XL1")
        #expect(a["name"] as? String == "Țesătoria Șercaia SRL")
        #expect(a["cui"] as? String == "14399840")  // a number cell
        #expect(a["vatPayer"] as? Bool == true)     // a boolean cell
        #expect(a["primaryContact"] as? String == "Ana Pop")
        let custom = try #require(a["custom"] as? [String: Any])
        #expect((custom["nr_angajati"] as? NSNumber)?.intValue == 42)
        #expect(custom["client_din"] as? String == "2021-03-15")  // a date cell
        #expect(custom["newsletter"] as? Bool == false)
        let b = try account(cli, "XL2")
        #expect(b["cui"] is NSNull && b["iban"] is NSNull && b["primaryContact"] is NSNull)  // empty and missing cells
    }

    @Test func handWrittenPartsInlineStringsFormulasErrorsAnd1904Dates() throws {
        let (cli, files) = try prepare(["raw"])
        defer { cli.remove() }
        let before = try content(cli)
        // A cell holding #N/A refuses its row, and so the file.
        let refused = try cli.run(["import", "accounts", files["raw"]!])
        #expect(refused.status == 1 && refused.stderr.contains("row 5: Oraș: the cell holds the spreadsheet error «#N/A»"))
        #expect(try content(cli) == before)
        let r = try cli.ok("import", "accounts", files["raw"]!, "--skip-invalid")
        #expect(r.stdout.contains("1 added, 0 updated, 0 skipped, 1 refused"))
        let a = try account(cli, "RAW1")
        #expect(a["name"] as? String == "Știința & Arta SRL")        // rich text, phonetic run left out
        #expect(a["cui"] as? String == "14399840")                   // 1.4399840E7
        #expect(a["tradeRegister"] as? String == "J12/345/2010")     // a formula's cached value
        #expect(a["city"] as? String == "Cluj-Napoca")
        #expect(a["email"] as? String == "office@arta.ro")           // an inline string, trimmed
        let custom = try #require(a["custom"] as? [String: Any])
        #expect(custom["client_din"] as? String == "2024-03-15")     // 1904 system
        #expect((custom["nr_angajati"] as? NSNumber)?.intValue == 12)
        // The refused row in the rejects file, with the error where the value was.
        let rejects = cli.dir.appendingPathComponent("raw-respinse.xlsx").path
        let sheet = try #require(try ExportTests().read(rejects)["rows"] as? [[Any?]])
        #expect(sheet.count == 2 && sheet[1][0] as? String == "RAW2" && sheet[1][7] as? String == "#N/A")
    }

    @Test func aFileWrittenByLibreOfficeImports() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "20")
        try cli.ok("import", "accounts", Self.libreOfficeFile.path)
        let a = try account(cli, "XL1")
        #expect(a["name"] as? String == "Țesătoria Șercaia SRL" && a["vatPayer"] as? Bool == true)
        let custom = try #require(a["custom"] as? [String: Any])
        #expect(custom["client_din"] as? String == "2021-03-15" && (custom["nr_angajati"] as? NSNumber)?.intValue == 42)
    }

    /// LibreOffice itself, when the machine has it: it rewrites the openpyxl file.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice")))
    func aFileLibreOfficeWritesNowImports() throws {
        let (cli, files) = try prepare(["typed"])
        defer { cli.remove() }
        let out = cli.dir.appendingPathComponent("lo")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/soffice")
        p.arguments = ["-env:UserInstallation=file://\(cli.dir.path)/lo-profile", "--headless", "--convert-to",
                       "xlsx:Calc MS Excel 2007 XML", "--outdir", out.path, files["typed"]!]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try cli.ok("import", "accounts", out.appendingPathComponent("typed.xlsx").path)
        #expect((try account(cli, "XL1")["custom"] as? [String: Any])?["client_din"] as? String == "2021-03-15")
    }

    @Test func damagedFilesAreRefusedAndChangeNothing() throws {
        let (cli, files) = try prepare(["typed", "badxml", "bomb"])
        defer { cli.remove() }
        let truncated = cli.dir.appendingPathComponent("truncated.xlsx").path
        try python(["truncate", files["typed"]!, truncated])
        let wrongHeader = cli.dir.appendingPathComponent("header.xlsx").path
        let export = try cli.ok("export", "accounts", "-o", wrongHeader)
        #expect(export.status == 0)
        let before = try content(cli)
        let cases: [(String, String)] = [
            (files["badxml"]!, "part xl/worksheets/data.xml, byte"),
            (files["badxml"]!, "</c> closes <is>"),
            (files["bomb"]!, "(a zip bomb?); refused"),
            (truncated, "not a whole zip archive"),
            (wrongHeader, "the header is not the template's"),
            (cli.dir.appendingPathComponent("T.csv").path.replacingOccurrences(of: ".csv", with: ".ods"), ".xlsx or .csv files are imported"),
        ]
        for (path, message) in cases {
            let r = try cli.run(["import", "accounts", path])
            #expect(r.status == 1, "\(path)")
            #expect(r.stderr.contains(message), "\(path): \(r.stderr)")
        }
        #expect(try content(cli) == before)
    }
}
