import Foundation
import Testing

/// `crm route`: a day's visits placed by coordinates or by the shipped
/// gazetteer, in the shortest order, as text, JSON and a PDF map whose legs
/// link to OpenStreetMap; the unplaced listed; bad input refused clearly.
@Suite struct RouteCLITests {
    @Test func aDaysVisitsAreRoutedListedAndPrinted() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        try cli.ok("company", "set", "--name", "Firma SRL", "--city", "Cluj-Napoca", "--county", "Cluj")
        let clients: [[String]] = [
            ["--name", "Turda SRL", "--city", "Turda", "--county", "Cluj"],
            ["--name", "Dej SRL", "--city", "Dej", "--county", "Cluj"],
            ["--name", "Bistrița SRL", "--city", "Bistrița", "--county", "Bistrița-Năsăud"],
            ["--name", "Pe câmp SRL", "--city", "Florești", "--county", "Cluj", "--coordinates", "46,7481 23,4914"],
            ["--name", "Novaci SRL", "--city", "Novaci"],
            ["--name", "Atlantida SRL", "--city", "Atlantida", "--county", "Cluj"],
        ]
        for fields in clients {
            try cli.ok(["account", "add"] + fields)
            try cli.ok("activity", "add", fields[1], "--type", "Vizită", "--due", "02.12.2026")
        }
        // A telephone call is not a visit; another day's visit is not that day's.
        try cli.ok("activity", "add", "Turda SRL", "--type", "Telefon", "--due", "2026-12-02")
        try cli.ok("activity", "add", "Dej SRL", "--type", "Vizită", "--due", "2026-12-03")
        let json = try cli.ok("route", "--date", "2026-12-02", "--type", "Vizită", "--type", "Întâlnire", "--json").json(object: true)
        let stops = try #require(json["stops"] as? [[String: Any]])
        #expect(Set(stops.compactMap { $0["account"] as? String }) == ["Turda SRL", "Dej SRL", "Bistrița SRL", "Pe câmp SRL"])
        #expect(stops.first { $0["account"] as? String == "Pe câmp SRL" }?["latitude"] as? Double == 46.7481)
        let unresolved = try #require(json["unresolved"] as? [[String: Any]])
        #expect(Set(unresolved.compactMap { $0["account"] as? String }) == ["Novaci SRL", "Atlantida SRL"])
        #expect(json["exact"] as? Bool == true && (json["links"] as? [String])?.count == 4)
        let start = try #require(json["start"] as? [String: Any])
        #expect(start["label"] as? String == "Firma SRL, Cluj-Napoca")
        // The order is the shortest: from Cluj-Napoca west to Florești first, Bistrița last (north-east, past Dej).
        #expect(stops.first?["account"] as? String == "Pe câmp SRL" && stops.last?["account"] as? String == "Bistrița SRL", "\(stops.map { $0["account"] ?? "" })")
        let total = try #require(json["lengthKm"] as? Double)
        #expect(abs((stops.last?["totalKm"] as? Double ?? 0) - total) < 0.11)
        // As text, with the start given as a locality, and printed with its map.
        let pdf = cli.dir.appendingPathComponent("ruta.pdf").path
        let text = try cli.ok("route", "--date", "2026-12-02", "--type", "Vizită", "--start", "Turda, Cluj", "--return", "--pdf", pdf).stdout
        #expect(text.contains("Start: Turda, Cluj") && text.contains("Back to the start") && text.contains("Not located (2):")
                && text.contains("4 visits"), "\(text)")
        let printed = try PriceListPDFTests.run("/usr/bin/pdftotext", ["-layout", pdf, "-"]).out
        #expect(printed.contains("Visit route") && printed.contains("Bistrița SRL") && printed.contains("Not located") && printed.contains("Atlantida SRL"))
        let expanded = cli.dir.appendingPathComponent("ruta-qdf.pdf").path
        #expect(try PriceListPDFTests.run("/usr/bin/qpdf", ["--qdf", "--object-streams=disable", pdf, expanded]).status == 0)
        let raw = String(decoding: try Data(contentsOf: URL(fileURLWithPath: expanded)), as: UTF8.self)
        #expect(raw.components(separatedBy: "/URI (https://www.openstreetmap.org/directions?").count - 1 == 5, "the legs' links")
        // Bad input: a date, a start, a kind.
        let badDay = try cli.run(["route", "--date", "32.13.2026"])
        #expect(badDay.status == 1 && badDay.stderr.contains("date"))
        let nowhere = try cli.run(["route", "--date", "2026-12-02", "--start", "Atlantida"])
        #expect(nowhere.status == 1 && nowhere.stderr.contains("cannot find «Atlantida»"))
        let twice = try cli.run(["route", "--date", "2026-12-02", "--start", "Novaci"])
        #expect(twice.status == 1 && twice.stderr.contains("several counties"))
    }
}

/// The real program in tmux: Alt+7 opens the Tablou de bord with its panels;
/// Enter on the funnel's first stage opens Oportunități narrowed to it.
@Suite struct DashboardTmuxTests {
    @Test(.enabled(if: TerminalTests.tmuxAvailable)) func theDashboardOpensAndANumberOpensItsRows() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "300")
        let session = try TmuxSession.crm(cli, width: 160, height: 45)
        try session.waitFor("the Clienți page") { $0.contains("300 conturi") }
        try session.send("M-7")
        try session.waitFor("every panel") { screen in
            ["Planificare", "Estimare vânzări", "Acțiuni utilizatori", "Portofoliu oportunități", "Portofoliu activități", "Balanță", "Buget",
             "Raport vânzări", "Hartă vizite"].allSatisfy { screen.contains($0 + " ·") }
        }
        try session.send("Tab", "Enter")
        try session.waitFor("Oportunități narrowed by the dashboard") { $0.contains("filtru «Tablou de bord»") && $0.contains("Oportunități") }
        try session.quit()
    }
}
