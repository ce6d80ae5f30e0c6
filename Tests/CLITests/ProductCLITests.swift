import Foundation
import Testing

/// `crm product` and `crm vat`: the catalogue from the command line, exported
/// and read back by openpyxl, and imported again from its own export.
@Suite struct ProductCLITests {
    @Test func theCatalogueIsListedAddedExportedAndImportedBack() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "10")
        let count = try #require(try cli.ok("info", "--json").json().first?["products"] as? Int)
        let listed = try cli.ok("product", "list", "--limit", "0", "--json").json().count
        #expect(count >= 50 && count == listed)
        #expect(try cli.ok("vat", "list", "--json").json().compactMap { $0["name"] as? String } == ["21%", "11%", "0%", "Scutit"])
        // Added with an exact price; a repeated code and a bad rate are refused with the field named.
        let added = try #require(try cli.ok("product", "add", "--code", "ZZ-1", "--name", "Ștampilă personalizată", "--unit", "buc.",
                                            "--price", "1 234,50", "--vat", "21", "--category", "Birotică", "--json").json().first)
        #expect(added["price"] as? NSNumber == 1234.5 && added["vat"] as? String == "21%" && added["createdBy"] is String)
        let twice = try cli.run(["product", "add", "--code", "zz-1", "--name", "Alta", "--vat", "7"])
        #expect(twice.status == 1 && twice.stderr.contains("code:") && twice.stderr.contains("vat:"))
        try cli.ok("product", "edit", "ZZ-1", "--price", "99")
        #expect(try cli.ok("product", "show", "zz-1", "--json").json().first?["price"] as? NSNumber == 99)
        // Filtered and sorted by the table's columns; exported with typed cells, read back independently.
        let expensive = try cli.ok("product", "list", "--where", "price >= 1000 and vat = 21%", "--sort", "price", "--desc", "--json").json()
        let prices = expensive.compactMap { ($0["price"] as? NSNumber)?.doubleValue }
        #expect(!prices.isEmpty && prices == prices.sorted(by: >) && prices.allSatisfy { $0 >= 1000 })
        let sheet = cli.dir.appendingPathComponent("catalog.xlsx").path
        try cli.ok("product", "export", sheet, "--category", "Birotică")
        let birotica = try cli.ok("product", "list", "--category", "Birotică", "--limit", "0", "--json").json()
        if ExportTests.openpyxl {
            let rows = try #require(try ExportTests().read(sheet)["rows"] as? [[Any]])
            #expect(rows.first?.compactMap { $0 as? String } == ["Code", "Name", "Unit", "Unit price", "Currency", "VAT rate", "Category"])
            #expect(rows.count == birotica.count + 1)
            let stamp = try #require(rows.first { $0.first as? String == "ZZ-1" })
            #expect(stamp[1] as? String == "Ștampilă personalizată" && (stamp[3] as? NSNumber)?.doubleValue == 99)
        }
        // The export comes back in through the import: with --update, the same catalogue; a bad file changes nothing.
        try cli.ok("product", "import", sheet, "--update")
        #expect(try cli.ok("product", "list", "--limit", "0", "--json").json().count == count + 1)
        let bad = cli.dir.appendingPathComponent("rau.csv")
        try "Cod,Denumire,Preț unitar,Cotă TVA\nN-1,Nou,10,21%\nN-2,Greșit,zece,21%\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try cli.run(["product", "import", bad.path])
        #expect(refused.status == 1 && refused.stderr.contains("3") && refused.stderr.contains("price"))
        #expect(try cli.run(["product", "show", "N-1"]).status == 1)
        let unknown = cli.dir.appendingPathComponent("coloane.csv")
        try "Cod,Denumire,Culoare\nN-1,Nou,roșu\n".write(to: unknown, atomically: true, encoding: .utf8)
        let columns = try cli.run(["product", "import", unknown.path])
        #expect(columns.status == 1 && columns.stderr.contains("«Culoare»"))
        // --skip-invalid: the good rows go in, each bad one is named with its line and field.
        let skipped = try cli.ok("product", "import", bad.path, "--skip-invalid")
        #expect(skipped.stdout.contains("1 products added") && skipped.stdout.contains("row 3: price"))
        #expect(try cli.ok("product", "show", "N-1", "--json").json().first?["name"] as? String == "Nou")
    }
}

/// The catalogue printed (`crm product list -o FILE.pdf`): read back with
/// poppler's pdftotext and pdfinfo, checked by qpdf.
@Suite struct PriceListPDFTests {
    static let tools = ["/usr/bin/pdftotext", "/usr/bin/pdfinfo", "/usr/bin/qpdf"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    static func run(_ tool: String, _ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: tools)) func aLongPriceListRepeatsItsHeaderOnEveryPageWithExactDiacriticsAndPrices() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "5")
        // 70 more lines than the demo's catalogue: three pages at least.
        var csv = "Cod,Denumire,U.M.,Preț unitar,Cotă TVA\n"
        for n in 1...70 { csv += "Z-\(n),Șurub țeavă nr. \(n),buc.,\"\(n),05\",21%\n" }
        let file = cli.dir.appendingPathComponent("suruburi.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        try cli.ok("product", "import", file.path)
        let rows = try cli.ok("product", "list", "--limit", "0", "--json").json().count
        let pdf = cli.dir.appendingPathComponent("lista.pdf").path
        let printed = try cli.ok("product", "list", "-o", pdf).stdout
        #expect(printed.contains("\(rows) products"))
        #expect(try Self.run("/usr/bin/qpdf", ["--check", pdf]).status == 0)
        let info = try Self.run("/usr/bin/pdfinfo", [pdf]).out
        let pages = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int($0.split(separator: " ").last ?? "") })
        #expect(pages >= 3)
        let text = try Self.run("/usr/bin/pdftotext", ["-layout", pdf, "-"]).out
        let pageTexts = text.split(separator: "\u{0C}", omittingEmptySubsequences: true).filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(pageTexts.count == pages)
        for (i, page) in pageTexts.enumerated() {
            #expect(page.contains("Code") && page.contains("Name") && page.contains("Page \(i + 1) of \(pages)"), "page \(i + 1)")
        }
        // Every product once, its Romanian letters exact; the price with VAT exact to the ban (10,05 × 1,21 = 12,1605 → 12.16).
        #expect(text.contains("Șurub țeavă nr. 10") && text.contains("10.05 RON") && text.contains("12.16 RON"))
        #expect((1...70).allSatisfy { n in text.contains("Z-\(n) ") })
        // The supplier heads it: the demo company's profile, with RO for a VAT payer.
        #expect(text.contains("Carpatic Soft SRL") && text.contains("RO14399840"))
        let profile = try #require(try cli.ok("company", "--json").json().first)
        #expect(profile["name"] as? String == "Carpatic Soft SRL" && profile["vatPayer"] as? String == "da")
        let wrong = try cli.run(["company", "set", "--cui", "RO14399841", "--iban", "RO00BANK", "--logo", file.path])
        #expect(wrong.status == 1 && wrong.stderr.contains("cui:") && wrong.stderr.contains("iban:") && wrong.stderr.contains("logo:"))
        #expect(try cli.ok("company", "--json").json().first?["cui"] as? String == "14399840")
        // A font file that is not one is refused before anything is written.
        let fake = cli.dir.appendingPathComponent("font.ttf")
        try "nu".write(to: fake, atomically: true, encoding: .utf8)
        let bad = try cli.run(["product", "list", "-o", cli.dir.appendingPathComponent("alta.pdf").path, "--font-file", fake.path])
        #expect(bad.status == 1 && bad.stderr.contains("not a TrueType or OpenType font"))
        #expect(!FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("alta.pdf").path))
    }
}

extension PriceListPDFTests {
    @Test(.enabled(if: tools)) func aTemplatePreviewFillsItsPlaceholdersWithTheClientAndTheCompany() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "5")
        try cli.ok("account", "add", "--name", "Țesătoria Șiret SRL", "--code", "TS1", "--cui", "RO14399840", "--city", "Rădăuți", "--zone", "Nord-Est")
        let body = cli.dir.appendingPathComponent("text1.txt")
        try "[centrat] **Ofertă pentru {{client.name}}**\n\n- livrare în {{client.address}}\n- valabilă până la {{offer.valid}}\n".write(
            to: body, atomically: true, encoding: .utf8)
        try cli.ok("offer-template", "add", "Țesături", "--text1-file", body.path, "--footer", "{{company.name}} · ofertă")
        let pdf = cli.dir.appendingPathComponent("exemplu.pdf").path
        try cli.ok("offer-template", "preview", "țesături", "--client", "TS1", "-o", pdf)
        #expect(try Self.run("/usr/bin/qpdf", ["--check", pdf]).status == 0)
        let text = try Self.run("/usr/bin/pdftotext", [pdf, "-"]).out
        #expect(text.contains("Ofertă pentru Țesătoria Șiret SRL") && text.contains("• livrare în Rădăuți"))
        #expect(text.contains("Carpatic Soft SRL · ofertă") && !text.contains("{{"))
        let unknown = try cli.run(["offer-template", "add", "Rău", "--header", "{{client.nume}}"])
        #expect(unknown.status == 1 && unknown.stderr.contains("header") && unknown.stderr.contains("{{client.nume}}"))
    }
}

extension PriceListPDFTests {
    @Test(.enabled(if: tools)) func anOfferOf120LinesPrintsItsClientLinesAndTotalsWithTheHeaderOnEveryPage() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "5")
        try cli.ok("account", "add", "--name", "Țesătoria Șiret SRL", "--code", "TS1", "--cui", "RO14399840", "--city", "Rădăuți", "--zone", "Nord-Est")
        let opportunity = try #require(try cli.ok("opportunity", "add", "TS1", "--details", "Dotare birouri", "--json").json().first?["uuid"] as? String)
        var args = ["offer", "add", opportunity, "--json", "--line", "product=SRV-001;qty=10;discount=5", "--line", "product=CRT-001;qty=2"]
        for n in 3...120 { args += ["--line", "name=Scaun ergonomic model \(n);unit=buc.;qty=1;price=100"] }
        let offer = try #require(try cli.ok(args).json().first)
        // 10 × 350 − 5 % = 3325 and 118 × 100 = 11800 at 21 % (3176.25); 2 × 189 = 378 at 11 % (41.58).
        #expect(offer["net"] as? NSNumber == 15503 && offer["vat"] as? NSNumber == 3217.83 && offer["total"] as? NSNumber == 18720.83)
        let number = try #require(offer["number"] as? String)
        let pdf = cli.dir.appendingPathComponent("oferta.pdf").path
        try cli.ok("offer", "pdf", number, "-o", pdf)
        #expect(try Self.run("/usr/bin/qpdf", ["--check", pdf]).status == 0)
        let pages = try #require(try Self.run("/usr/bin/pdfinfo", [pdf]).out.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int($0.split(separator: " ").last ?? "") })
        #expect(pages >= 3)
        let text = try Self.run("/usr/bin/pdftotext", ["-layout", pdf, "-"]).out
        #expect(text.contains("Țesătoria Șiret SRL") && text.contains("Rădăuți") && text.contains("OFERTĂ nr. \(number)"))
        #expect(text.contains("Consultanță fiscală (SRV-001)") && text.contains("Scaun ergonomic model 120") && text.contains("18720.83 RON"))
        let pageTexts = text.split(separator: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(pageTexts.count == pages && pageTexts.filter { $0.contains("Scaun ergonomic") }.count >= 2)
        for (i, page) in pageTexts.enumerated() {
            // Every page that carries lines starts them under the header row.
            #expect(page.contains("Page \(i + 1) of \(pages)") && (!page.contains("Scaun ergonomic") || page.contains("Name") && page.contains("Value")),
                    "page \(i + 1)")
        }
        #expect(try cli.ok("offer", "list", "--account", "TS1", "--json").json().map { $0["number"] as? String } == [number])
        // crm offer edit: the lines given replace them all, the number stays; nothing to change is refused.
        let edited = try #require(try cli.ok("offer", "edit", number, "--line", "product=SRV-001;qty=1", "--valid", "10", "--json").json().first)
        #expect(edited["number"] as? String == number && edited["total"] as? NSNumber == 423.5)
        let nothing = try cli.run(["offer", "edit", number])
        #expect(nothing.status != 0 && nothing.stderr.contains("nothing to change"))
    }
}

extension PriceListPDFTests {
    static let pil: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import PIL"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    @Test(.enabled(if: tools && pil)) func aJPEGLogoIsPrintedOnTheDocuments() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "3")
        let jpeg = cli.dir.appendingPathComponent("sigla.jpg").path
        _ = try Self.run("/usr/bin/python3", ["-c", "from PIL import Image; Image.new('RGB', (240, 80), (20, 90, 160)).save('\(jpeg)', 'JPEG')"])
        try cli.ok("company", "set", "--logo", jpeg)
        let pdf = cli.dir.appendingPathComponent("lista.pdf").path
        try cli.ok("product", "list", "-o", pdf)
        let images = try Self.run("/usr/bin/pdfimages", ["-list", pdf]).out.split(separator: "\n").dropFirst(2)
        // The logo, once, at the top of the first page, at its own size in pixels.
        #expect(images.count == 1 && images.first.map { $0.contains(" 240 ") && $0.contains(" 80 ") && $0.hasPrefix("   1") } == true)
    }
}
