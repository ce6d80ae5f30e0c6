import CRMCore
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// Tablou de bord through the key map: every panel drawn, a number opening the
/// Oportunități page narrowed to its rows, a count of added rows opening them,
/// a panel exported, its settings changed and the panels rearranged — saved
/// for the user; the visit map drawn in Braille; the charts' characters.
@Suite struct DashboardViewTests {
    @Test func braillePointsLinesAndBarsAreTheirCharacters() {
        var canvas = BrailleCanvas(columns: 2, rows: 1)
        canvas.set(0, 0)
        canvas.set(1, 3)
        canvas.set(9, 9)  // outside: nothing
        #expect(canvas.lines == ["\u{2881}\u{2800}"])
        var line = BrailleCanvas(columns: 2, rows: 1)
        line.line(0, 0, 3, 3)
        #expect(line.lines == ["\u{2811}\u{2884}"])
        #expect(Bars.horizontal(1, maximum: 2, width: 4) == "██" && Bars.horizontal(3, maximum: 8, width: 2) == "▊")
        #expect(Bars.horizontal(0, maximum: 5, width: 4) == "" && Bars.horizontal(5, maximum: 5, width: 3) == "███")
    }

    @Test func thePanelsOpenTheirRowsExportAndKeepTheirSettings() throws {
        let db = try DemoDatabase(accounts: 300)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 45)
        db.more(&browser, terminal, [.alt("7")])
        for title in DashboardPanel.allCases.map({ $0.title.en }) { #expect(terminal.text.contains(title), "\(title)") }
        // A letter the dashboard does not use starts no hidden search.
        db.more(&browser, terminal, [.char("z")])
        #expect(!browser.searching && browser.search.text.isEmpty)
        #expect(terminal.text.contains("due this month") && terminal.text.contains("tab panel"), "\(terminal.text)")
        // Tab to the funnel; Enter on its first stage opens Oportunități narrowed to that stage and the interval.
        db.more(&browser, terminal, [.tab, .enter])
        #expect(browser.page == .items(.opportunity), "\(terminal.text)")
        guard let page = browser.items else { Issue.record("no item page"); return }
        let forecast = try #require(browser.dashboardPage?.data[.forecast].flatMap { try? $0.get() })
        #expect(page.stage?.name == forecast.rows[0][0].text && page.narrowing?.from == forecast.from && page.narrowing?.to == forecast.to)
        #expect(try db.crm.count(page.view(search: nil), cap: 100_000, for: db.admin) == Int(forecast.rows[0][1].value ?? -1), "the stage's count")
        #expect(page.viewCount == Int(forecast.rows[0][1].value ?? -1), "the narrowed page counts what it shows")
        #expect(terminal.text.contains("filter «Dashboard»: due"), "\(terminal.text)")
        // Clearing the filter clears the narrowing.
        _ = browser.perform("filter.clear")
        #expect(browser.items?.narrowing == nil)
        // Back on the dashboard: user actions, the administrator's accounts → the rows behind the count.
        db.more(&browser, terminal, [.alt("7"), .tab])
        #expect(browser.dashboardPage?.panel == .actions)
        let actions = try #require(browser.dashboardPage?.focusedData)
        let row = try #require(actions.rows.firstIndex { $0[0].text == "tester" })
        db.more(&browser, terminal, Array(repeating: .down, count: row) + [.enter])
        guard case .grouped? = browser.overlay else { Issue.record("no rows window: \(terminal.text)"); return }
        #expect(terminal.text.contains("Added by tester: Accounts") && terminal.text.contains("300"), "\(terminal.text)")
        // E exports those rows.
        let rowsFile = db.dir.appendingPathComponent("adaugate.csv")
        db.more(&browser, terminal, [.char("e")])
        CampaignViewTests.fill(db, &browser, terminal, ["file": rowsFile.path])
        #expect(try String(contentsOf: rowsFile, encoding: .utf8).split(whereSeparator: \.isNewline).count == 301)
        db.more(&browser, terminal, [.escape])
        // The panel itself to Excel: one row per user.
        let panelFile = db.dir.appendingPathComponent("actiuni.csv")
        db.more(&browser, terminal, [.char("e")])
        CampaignViewTests.fill(db, &browser, terminal, ["file": panelFile.path])
        let exported = try String(contentsOf: panelFile, encoding: .utf8).split(whereSeparator: \.isNewline)
        #expect(exported.count == actions.rows.count + 1 && exported[0].hasPrefix("User,Accounts"), "\(exported)")
        // S: the panel's settings; an unknown user is named under its field, a good one saved.
        db.more(&browser, terminal, [.char("s")])
        CampaignViewTests.fill(db, &browser, terminal, ["users": "nimeni"])
        #expect(terminal.text.contains("nimeni"), "\(terminal.text)")
        CampaignViewTests.fill(db, &browser, terminal, ["users": "tester", "entities": "Accounts, Notes"])
        #expect(try db.crm.dashboardSettings(for: db.admin).settings(.actions).entities == [AccountRecord.table, NoteRecord.table])
        #expect(browser.dashboardPage?.focusedData?.rows.count == 1 && browser.dashboardPage?.focusedData?.headers.count == 3)
        // O: the balance hidden, the sales first.
        db.more(&browser, terminal, [.char("o")])
        #expect(terminal.text.contains("Dashboard settings"), "\(terminal.text)")
        let balance = try #require(DashboardPanel.allCases.firstIndex(of: .balance)), sales = try #require(DashboardPanel.allCases.firstIndex(of: .sales))
        db.more(&browser, terminal, Array(repeating: .down, count: balance) + [.char(" "), .home] + Array(repeating: .down, count: sales)
                + Array(repeating: .shiftUp, count: sales) + [.enter])
        let saved = try db.crm.dashboardSettings(for: db.admin)
        #expect(saved.shown.first == .sales && !saved.shown.contains(.balance), "\(saved.shown)")
        #expect(!terminal.text.contains("Balance ·") && terminal.text.contains("rearranged"), "\(terminal.text)")
    }

    @Test func theVisitMapDrawsTheRouteInBraille() throws {
        let db = try DemoDatabase(accounts: 200)
        let today = String(Timestamp.local(db.crm.store.now).prefix(10))
        for (i, city) in ["Turda", "Dej", "Gherla", "Câmpia Turzii"].enumerated() {
            let account = try db.crm.addAccount(AccountInput(fields: [.name: "Vizita \(i) SRL", .city: city, .county: "Cluj", .zone: "Nord-Vest"]), by: db.admin)
            try db.crm.addWorkItem(.activity, account: account.meta!.uuid.description, [.type: "Vizită", .dueDate: today, .owner: "tester"], by: db.admin)
        }
        var settings = try db.crm.dashboardSettings(for: db.admin)
        var visits = PanelSettings()
        visits.period = .today
        visits.types = ["Vizită"]
        settings.panels[DashboardPanel.visits.rawValue] = visits
        settings.order = [.visits]
        try db.crm.saveDashboardSettings(settings, by: db.admin)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 130, height: 40)
        db.more(&browser, terminal, [.alt("7")])
        let plan = try #require(browser.dashboardPage?.data[.visits].flatMap { try? $0.get() }?.route)
        #expect(plan.stops.count == 4 && plan.exact)
        #expect(terminal.text.contains("1. ") && terminal.text.contains("as the crow flies") && terminal.text.contains("P"), "\(terminal.text)")
        // Braille dots between the stops.
        #expect(terminal.text.unicodeScalars.contains { $0.value > 0x2800 && $0.value <= 0x28FF }, "\(terminal.text)")
        // P prints the route with its map.
        let pdf = db.dir.appendingPathComponent("traseu.pdf")
        db.more(&browser, terminal, [.char("p")])
        CampaignViewTests.fill(db, &browser, terminal, ["file": pdf.path])
        #expect(terminal.text.contains("The route, with its map") && FileManager.default.fileExists(atPath: pdf.path), "\(terminal.text)")
        #expect(try Data(contentsOf: pdf).prefix(5) == Data("%PDF-".utf8))
    }
}
