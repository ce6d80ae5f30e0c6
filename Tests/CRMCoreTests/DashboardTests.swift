import CRMCore
import CRMDemo
import CRMStore
import Foundation
import Testing

/// The dashboard's panels in the core, each checked against the rows it sums,
/// counted another way; the settings saved per user and checked; the
/// drill-downs giving the rows behind a number; zones and rights holding.
@Suite struct DashboardTests {
    static func demo() throws -> TestDatabase {
        let db = try TestDatabase()
        _ = try DemoBuilder(lists: DemoTests.lists, seed: 11).populate(crm: db.crm, admin: db.admin, accounts: 400)
        return db
    }

    static var today: String { String(Timestamp.local(Int64(Date().timeIntervalSince1970 * 1000)).prefix(10)) }

    @Test func intervalsAreTheDaysTheirNamesSay() {
        var s = PanelSettings()
        s.period = .month
        #expect(s.days(today: "2028-02-10") == ("2028-02-01", "2028-02-29"))
        s.period = .week
        #expect(s.days(today: "2026-12-03") == ("2026-11-30", "2026-12-06"))  // Thursday: Monday to Sunday
        s.period = .quarter
        #expect(s.days(today: "2026-11-29") == ("2026-10-01", "2026-12-31"))
        s.period = .last30
        #expect(s.days(today: "2026-03-01") == ("2026-01-31", "2026-03-01"))
        s.period = .next30
        #expect(s.days(today: "2026-12-20") == ("2026-12-20", "2027-01-18"))
        s.period = .custom
        s.from = "2026-01-05"
        #expect(s.days(today: "2026-11-29") == ("2026-01-05", "2026-01-05"))
        #expect(Day("2026-11-29")?.weekday == 7 && Day("2026-11-30")?.weekday == 1)
        #expect(Day("2024-02-30") == nil && Day("2024-02-29") != nil && Day("2023-02-29") == nil && Day("1969-12-31")?.weekday == 3)
    }

    @Test func thePanelsAddUpToTheRowsBehindThem() throws {
        let db = try Self.demo()
        var settings = PanelSettings()
        settings.period = .next30
        let today = Self.today
        let (from, to) = settings.days(today: today)
        let all = try db.crm.workItems(WorkItemView(.opportunity, dueFrom: from, dueTo: to), limit: 0, for: db.admin)
        // The funnel: each stage's count and amount (RON) are those of the items due in the interval.
        let forecast = try db.crm.panel(.forecast, settings: settings, today: today, for: db.admin)
        for row in forecast.rows {
            let here = all.filter { $0.stage.name == row[0].text }
            #expect(row[1].text == "\(here.count)", "\(row[0].text)")
            #expect(row[2].text == Money.text(here.filter { ($0.record.currency ?? "RON") == "RON" }.reduce(0) { $0 + ($1.record.amount ?? 0) }))
            #expect(row[1].drill == .items(kind: .opportunity, owners: [], stage: row[0].text, openOnly: false, from: from, to: to))
        }
        #expect(forecast.rows.reduce(0) { $0 + Int($1[1].value ?? 0) } == all.count)
        // The portfolio: per user and stage, the same items.
        let portfolio = try db.crm.panel(.opportunities, settings: settings, today: today, for: db.admin)
        let total = portfolio.rows.reduce(0) { $0 + Int($1[$1.count - 2].value ?? 0) }
        #expect(total == all.count && portfolio.headers.first?.ro == "Utilizator")
        // The planning: the month's open items falling due, per day.
        var month = PanelSettings()
        month.period = .month
        let planning = try db.crm.panel(.planning, settings: month, today: today, for: db.admin)
        let (first, last) = month.days(today: today)
        let open = try [WorkItemKind.opportunity, .activity].flatMap {
            try db.crm.workItems(WorkItemView($0, dueFrom: first, dueTo: last), limit: 0, for: db.admin).filter { !$0.stage.isWon && !$0.stage.isLost }
        }
        #expect(planning.rows.reduce(0) { $0 + Int($1[1].value ?? 0) + Int($1[2].value ?? 0) } == open.count && open.count > 0)
        // A day's number opens that day's open items, no more.
        guard case .items(let kind, let owners, _, let openOnly, let dayFrom, let dayTo)? = planning.rows[0][1].drill else { Issue.record("no drill"); return }
        var narrowed = WorkItemView(kind, dueFrom: dayFrom, dueTo: dayTo)
        narrowed.owners = owners
        narrowed.openOnly = openOnly
        #expect(try openOnly && (db.crm.count(narrowed, for: db.admin)) == Int(planning.rows[0][1].value ?? -1))
        // User actions: the demo's administrator added every account; the drill-down lists them.
        var year = PanelSettings()
        year.period = .year
        year.entities = [AccountRecord.table, ContactRecord.table]
        let actions = try db.crm.panel(.actions, settings: year, today: today, for: db.admin)
        let tester = try #require(actions.rows.first { $0[0].text == "tester" })
        #expect(tester[1].text == "400")
        guard case .added(let entity, let user, let start, let end)? = tester[1].drill else { Issue.record("no drill-down"); return }
        let added = try db.crm.addedRows(entity: entity, user: user, from: start, to: end, for: db.admin)
        #expect(added.rows.count == 400 && Set(added.rows.map { $0[0] }).count > 300)
        // Balance and budget: the ledger's live balances and the interval's movements.
        let balance = try db.crm.panel(.balance, settings: PanelSettings(), today: today, for: db.admin)
        let accounts = try db.crm.ledgerAccounts(for: db.admin).filter { ["cash", "client", "supplier"].contains($0.kind) }
        #expect(balance.rows.count == accounts.count)
        let budget = try db.crm.panel(.budget, settings: year, today: today, for: db.admin)
        #expect(budget.note?.ro.hasPrefix("Venituri") == true && !budget.rows.isEmpty)
        // The top five sales, largest first.
        let sales = try db.crm.panel(.sales, settings: year, today: today, for: db.admin)
        let amounts = sales.rows.map { $0[3].value ?? 0 }
        #expect(!sales.rows.isEmpty && sales.rows.count <= 5 && amounts == amounts.sorted(by: >))
        guard case .sold(let name, let soldFrom, let soldTo)? = sales.rows[0][3].drill else { Issue.record("no sales drill-down"); return }
        let lines = try db.crm.soldLines(name: name, from: soldFrom, to: soldTo, for: db.admin)
        let sum = lines.rows.reduce(Decimal(0)) { $0 + (Decimal(string: $1[4]) ?? 0) }
        #expect(sum == Decimal(string: sales.rows[0][3].text))
    }

    @Test func settingsAreTheUsersOwnAndChecked() throws {
        let db = try TestDatabase()
        let ana = try db.user("ana")
        var settings = try db.crm.dashboardSettings(for: ana)
        #expect(settings.shown == DashboardPanel.allCases)
        settings.order = [.sales, .planning]
        settings.hidden = [.balance]
        var forecast = PanelSettings()
        forecast.users = ["tester"]
        forecast.period = .custom
        forecast.from = "01.12.2026"
        forecast.to = "31.12.2026"
        settings.panels[DashboardPanel.forecast.rawValue] = forecast
        try db.crm.saveDashboardSettings(settings, by: ana)
        let saved = try db.crm.dashboardSettings(for: ana)
        #expect(saved.shown.prefix(2) == [.sales, .planning] && !saved.shown.contains(.balance) && saved.shown.count == DashboardPanel.allCases.count - 1)
        #expect(saved.settings(.forecast).from == "2026-12-01" && saved.settings(.forecast).users == ["tester"])
        // Another user's stay theirs.
        #expect(try db.crm.dashboardSettings(for: db.admin).shown == DashboardPanel.allCases)
        // An unknown user and a date that is not one are refused, nothing saved.
        forecast.users = ["nimeni"]
        forecast.from = "32.13.2026"
        settings.panels[DashboardPanel.forecast.rawValue] = forecast
        #expect { try db.crm.saveDashboardSettings(settings, by: ana) } throws: {
            Set(($0 as? CoreError)?.issues.map(\.field) ?? []) == ["forecast.users", "forecast.from"]
        }
        #expect(try db.crm.dashboardSettings(for: ana).settings(.forecast).users == ["tester"])
        // A user without invoicing does not get its panels.
        try db.crm.setUserAccess("ana", rights: ["dashboard.view", "opportunities.view", "activities.view"], zones: nil, addresses: [], by: db.admin)
        let limited = try db.crm.actor(forLogin: "ana", by: db.admin)
        let panels = try db.crm.dashboardPanels(for: limited)
        #expect(!panels.contains(.balance) && !panels.contains(.sales) && panels.contains(.planning))
        #expect(throws: CoreError.self) { try db.crm.panel(.sales, settings: PanelSettings(), for: limited) }
    }
}
