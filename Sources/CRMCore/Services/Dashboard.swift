import CRMStore
import CRMText
import Foundation

/// The panels of the Tablou de bord (DSH-1 … DSH-10; Acțiuni utilizatori is ACT-3).
public enum DashboardPanel: String, Sendable, CaseIterable, Codable {
    case planning, forecast, actions, opportunities, activities, balance, budget, sales, visits

    public var title: Localized {
        switch self {
        case .planning: return Localized(ro: "Planificare", en: "Planning")
        case .forecast: return Localized(ro: "Estimare vânzări", en: "Sales forecast")
        case .actions: return Localized(ro: "Acțiuni utilizatori", en: "User actions")
        case .opportunities: return Localized(ro: "Portofoliu oportunități", en: "Opportunity portfolio")
        case .activities: return Localized(ro: "Portofoliu activități", en: "Activity portfolio")
        case .balance: return Localized(ro: "Balanță", en: "Balance")
        case .budget: return Localized(ro: "Buget", en: "Budget")
        case .sales: return Localized(ro: "Raport vânzări", en: "Sales report")
        case .visits: return Localized(ro: "Hartă vizite", en: "Visit map")
        }
    }

    /// The module whose data it shows: a user without it does not get the panel.
    public var module: Module {
        switch self {
        case .planning, .actions, .visits: return .dashboard
        case .forecast, .opportunities: return .opportunities
        case .activities: return .activities
        case .balance, .budget, .sales: return .invoicing
        }
    }
}

/// The interval a panel covers.
public enum DashboardPeriod: String, Sendable, CaseIterable, Codable {
    case today, week, month, next30, last30, quarter, year, custom

    public var label: Localized {
        switch self {
        case .today: return Localized(ro: "azi", en: "today")
        case .week: return Localized(ro: "săptămâna aceasta", en: "this week")
        case .month: return Localized(ro: "luna aceasta", en: "this month")
        case .next30: return Localized(ro: "următoarele 30 de zile", en: "the next 30 days")
        case .last30: return Localized(ro: "ultimele 30 de zile", en: "the last 30 days")
        case .quarter: return Localized(ro: "trimestrul acesta", en: "this quarter")
        case .year: return Localized(ro: "anul acesta", en: "this year")
        case .custom: return Localized(ro: "interval ales", en: "chosen interval")
        }
    }
}

/// A panel's own settings: whose data, which interval, which stages,
/// categories, entities or kinds (each empty: all of them).
public struct PanelSettings: Sendable, Codable, Equatable {
    public var users: [String] = []
    public var period: DashboardPeriod = .month
    /// The interval when `period` is `custom` (YYYY-MM-DD).
    public var from: String?
    public var to: String?
    public var stages: [String] = []
    public var categories: [String] = []
    public var entities: [String] = []
    public var kinds: [String] = []
    /// The visit map's item types (Vizită, Întâlnire…).
    public var types: [String] = []

    public init() {}

    /// The first and last day it covers, around `today` (YYYY-MM-DD).
    public func days(today: String) -> (from: String, to: String) {
        guard let day = Day(today) else { return (today, today) }
        switch period {
        case .today: return (today, today)
        case .week:
            let monday = day.adding(days: 1 - day.weekday)
            return (monday.text, monday.adding(days: 6).text)
        case .month: return (Day(year: day.year, month: day.month, day: 1).text, Day(year: day.year, month: day.month, day: day.daysInMonth).text)
        case .next30: return (today, day.adding(days: 29).text)
        case .last30: return (day.adding(days: -29).text, today)
        case .quarter:
            let first = (day.month - 1) / 3 * 3 + 1
            let last = Day(year: day.year, month: first + 2, day: 1)
            return (Day(year: day.year, month: first, day: 1).text, Day(year: day.year, month: first + 2, day: last.daysInMonth).text)
        case .year: return ("\(day.year)-01-01", "\(day.year)-12-31")
        case .custom: return (from ?? today, to ?? from ?? today)
        }
    }
}

/// A user's dashboard: which panels, in which order, and each one's settings (DSH-1), saved per user.
public struct DashboardSettings: Sendable, Codable, Equatable {
    public var order: [DashboardPanel] = DashboardPanel.allCases
    public var hidden: Set<DashboardPanel> = []
    public var panels: [String: PanelSettings] = [:]

    public init() {}

    /// The panels shown, in order (any the order misses at the end).
    public var shown: [DashboardPanel] {
        (order + DashboardPanel.allCases.filter { !order.contains($0) }).filter { !hidden.contains($0) }
    }

    public func settings(_ panel: DashboardPanel) -> PanelSettings {
        if let own = panels[panel.rawValue] { return own }
        var s = PanelSettings()
        if panel == .planning || panel == .visits { s.period = panel == .visits ? .today : .month }
        if panel == .balance { s.period = .year }
        return s
    }
}

/// What a panel's cell opens: the rows behind a number.
public enum DrillDown: Sendable, Equatable {
    /// Items of a kind: of some owners (all when none), in a stage or only the open ones, falling due between two days.
    case items(kind: WorkItemKind, owners: [String], stage: String?, openOnly: Bool, from: String?, to: String?)
    /// The rows of an entity a user added between two instants (milliseconds).
    case added(entity: String, user: String, from: Int64, to: Int64)
    /// A ledger account's statement over an interval.
    case statement(code: String, from: String?, to: String?)
    /// The invoice lines of a product or service sold over an interval.
    case sold(name: String, from: String, to: String)
}

/// One number or word of a panel, and what it opens.
public struct PanelCell: Sendable, Equatable {
    public let text: String
    /// The value a chart draws (a count, an amount in RON).
    public let value: Double?
    public let drill: DrillDown?

    public init(_ text: String, value: Double? = nil, drill: DrillDown? = nil) { self.text = text; self.value = value; self.drill = drill }
}

/// A panel's data as a table: what the terminal draws (as a calendar, a
/// funnel, bars…), what a selected cell opens, and what goes to Excel.
public struct PanelData: Sendable {
    public let panel: DashboardPanel
    /// The interval it covers, as shown.
    public let from: String
    public let to: String
    public let headers: [Localized]
    public let rows: [[PanelCell]]
    /// A line under the table (a total, a note).
    public let note: Localized?
    /// The visit map's plan (the visits panel only).
    public let route: VisitPlan?
}

extension CRM {
    static let dashboardSetting = "dashboard"

    /// The actor's dashboard settings (the standard ones until saved).
    public func dashboardSettings(for actor: Actor) throws -> DashboardSettings {
        try read { r in
            guard let row = try r.fetchAll(UserSettingRecord.self, matching: ["user_id": .int(actor.id), "name": .text(Self.dashboardSetting)]).first,
                  let settings = try? JSONDecoder().decode(DashboardSettings.self, from: Data(row.value.utf8)) else { return DashboardSettings() }
            return settings
        }
    }

    /// Saves the actor's dashboard settings, each panel's users, stages and interval checked.
    public func saveDashboardSettings(_ settings: DashboardSettings, by actor: Actor) throws {
        try policy.authorize(actor, .view, .dashboard)
        var issues: [ValidationIssue] = []
        let logins = Set(try read { r in try r.fetchAll(UserRecord.self).map(\.login) })
        for (key, panel) in settings.panels {
            for user in panel.users where !logins.contains(user.lowercased()) {
                issues.append(.init(field: "\(key).users", value: user, reason: .unknownUser))
            }
            if panel.period == .custom {
                for (name, day) in [("from", panel.from), ("to", panel.to)] where day.flatMap(FieldRules.date) == nil {
                    issues.append(.init(field: "\(key).\(name)", value: day ?? "", reason: .invalidDate))
                }
            }
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        var clean = settings
        for (key, panel) in settings.panels where panel.period == .custom {
            clean.panels[key]?.from = panel.from.flatMap(FieldRules.date)
            clean.panels[key]?.to = panel.to.flatMap(FieldRules.date)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(clean), as: UTF8.self)
        try write(actor, "dashboard.settings") { w in
            if let row = try w.fetchAll(UserSettingRecord.self, matching: ["user_id": .int(actor.id), "name": .text(Self.dashboardSetting)]).first {
                try w.update(UserSettingRecord.self, id: row.meta!.id, set: ["value": .text(json)])
            } else {
                try w.insert(UserSettingRecord(userID: actor.id, name: Self.dashboardSetting, value: json))
            }
        }
    }

    /// The panels the actor may see, of those shown: the books' (balance, budget) are the whole company's,
    /// not a zone-limited user's.
    public func dashboardPanels(for actor: Actor) throws -> [DashboardPanel] {
        try policy.authorize(actor, .view, .dashboard)
        return try dashboardSettings(for: actor).shown.filter { panel in
            (try? policy.authorize(actor, .view, panel.module)) != nil && !(actor.zones != nil && (panel == .balance || panel == .budget))
        }
    }

    /// The items' sums one reading of the panels shares: per kind and interval, read once.
    public struct PanelReading: Sendable {
        var sums: [String: [(day: String, ownerID: Int64?, stageID: Int64, count: Int, amount: Int64)]] = [:]
        public init() {}
    }

    /// Every panel of a list, one reading of the items' sums shared between them: each one's data or what stopped it.
    public func panels(_ list: [DashboardPanel], settings: DashboardSettings, today: String? = nil, gazetteer: Gazetteer? = nil,
                       for actor: Actor) -> [DashboardPanel: Result<PanelData, any Error>] {
        var reading = PanelReading()
        var out: [DashboardPanel: Result<PanelData, any Error>] = [:]
        for p in list {
            out[p] = Result { try panel(p, settings: settings.settings(p), today: today, gazetteer: gazetteer, reading: &reading, for: actor) }
        }
        return out
    }

    /// One panel's data with its settings, around `today` (YYYY-MM-DD; the store's clock's day when nil).
    public func panel(_ panel: DashboardPanel, settings: PanelSettings, today: String? = nil, gazetteer: Gazetteer? = nil,
                      for actor: Actor) throws -> PanelData {
        var reading = PanelReading()
        return try self.panel(panel, settings: settings, today: today, gazetteer: gazetteer, reading: &reading, for: actor)
    }

    /// A kind's items falling due in an interval, per day, owner and stage (read once per reading).
    func itemSums(_ kind: WorkItemKind, from: String, to: String, reading: inout PanelReading, for actor: Actor)
        throws -> [(day: String, ownerID: Int64?, stageID: Int64, count: Int, amount: Int64)] {
        let key = "\(kind.rawValue)|\(from)|\(to)"
        if let known = reading.sums[key] { return known }
        let rows = try read(for: actor) { r in try r.itemSums(kind: kind.rawValue, from: from, to: to) }
        reading.sums[key] = rows
        return rows
    }

    func panel(_ panel: DashboardPanel, settings: PanelSettings, today: String?, gazetteer: Gazetteer?, reading: inout PanelReading,
               for actor: Actor) throws -> PanelData {
        try policy.authorize(actor, .view, .dashboard)
        try policy.authorize(actor, .view, panel.module)
        let day = today ?? String(Timestamp.local(store.now).prefix(10))
        let (from, to) = settings.days(today: day)
        func t(_ ro: String, _ en: String) -> Localized { Localized(ro: ro, en: en) }
        switch panel {
        case .planning:
            // The whole month of the interval's first day, a row per day with items due.
            let first = Day(from) ?? Day(year: 2000, month: 1, day: 1)
            let (monthFrom, monthTo) = (Day(year: first.year, month: first.month, day: 1).text,
                                        Day(year: first.year, month: first.month, day: first.daysInMonth).text)
            for kind in WorkItemKind.allCases { try policy.authorize(actor, .view, kind.module) }
            var byDay: [String: (Int, Int)] = [:]
            for d in try planning(from: monthFrom, to: monthTo, users: settings.users, reading: &reading, for: actor) {
                byDay[d.day, default: (0, 0)].0 += d.opportunities
                byDay[d.day, default: (0, 0)].1 += d.activities
            }
            let rows = byDay.keys.sorted().map { d -> [PanelCell] in
                let (o, a) = byDay[d]!
                return [PanelCell(d),
                        PanelCell("\(o)", value: Double(o), drill: .items(kind: .opportunity, owners: settings.users, stage: nil, openOnly: true, from: d, to: d)),
                        PanelCell("\(a)", value: Double(a), drill: .items(kind: .activity, owners: settings.users, stage: nil, openOnly: true, from: d, to: d))]
            }
            return PanelData(panel: panel, from: monthFrom, to: monthTo, headers: [t("Zi", "Day"), t("Oportunități", "Opportunities"), t("Activități", "Activities")], rows: rows, note: nil, route: nil)
        case .forecast, .opportunities, .activities:
            let kind: WorkItemKind = panel == .activities ? .activity : .opportunity
            let stages = try self.stages(kind, includingRetired: true)
            let chosen = settings.stages.isEmpty ? stages.filter { !$0.retired } : stages.filter { s in settings.stages.contains { Fold.key($0) == Fold.key(s.name) } }
            let users = try read { r in Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) }) }
            let owners = try ownerIDs(settings.users)
            let sums = try itemSums(kind, from: from, to: to, reading: &reading, for: actor)
                .filter { row in owners.map { $0.contains(row.ownerID ?? 0) } ?? true }
            let chosenIDs = Set(chosen.map { $0.meta!.id })
            if panel == .forecast {
                let rows = chosen.map { stage -> [PanelCell] in
                    let here = sums.filter { $0.stageID == stage.meta!.id }
                    let count = here.reduce(0) { $0 + $1.count }, amount = here.reduce(0) { $0 + $1.amount }
                    let drill = DrillDown.items(kind: kind, owners: settings.users, stage: stage.name, openOnly: false, from: from, to: to)
                    return [PanelCell(stage.name), PanelCell("\(count)", value: Double(count), drill: drill),
                            PanelCell(Money.text(amount), value: Double(amount) / 100, drill: drill)]
                }
                return PanelData(panel: panel, from: from, to: to, headers: [t("Stadiu", "Stage"), t("Număr", "Count"), t("Valoare (RON)", "Amount (RON)")], rows: rows, note: nil, route: nil)
            }
            // Portfolios: a row per user, a column per stage (count), and the total.
            let rowOwners = Set(sums.filter { chosenIDs.contains($0.stageID) }.map { $0.ownerID ?? 0 }).sorted { (users[$0] ?? "") < (users[$1] ?? "") }
            let rows = rowOwners.map { owner -> [PanelCell] in
                let login = users[owner]
                var cells = [PanelCell(login ?? "—")]
                var total = 0, amount: Int64 = 0
                for stage in chosen {
                    let here = sums.filter { ($0.ownerID ?? 0) == owner && $0.stageID == stage.meta!.id }
                    let count = here.reduce(0) { $0 + $1.count }
                    total += count
                    amount += here.reduce(0) { $0 + $1.amount }
                    cells.append(PanelCell("\(count)", value: Double(count), drill: login.map { .items(kind: kind, owners: [$0], stage: stage.name, openOnly: false, from: from, to: to) }))
                }
                cells.append(PanelCell("\(total)", value: Double(total), drill: login.map { .items(kind: kind, owners: [$0], stage: nil, openOnly: false, from: from, to: to) }))
                if kind == .opportunity { cells.append(PanelCell(Money.text(amount), value: Double(amount) / 100)) }
                return cells
            }
            return PanelData(panel: panel, from: from, to: to,
                             headers: [t("Utilizator", "User")] + chosen.map { Localized(ro: $0.name, en: $0.name) } + [t("Total", "Total")]
                                + (kind == .opportunity ? [t("Valoare (RON)", "Amount (RON)")] : []),
                             rows: rows, note: nil, route: nil)
        case .actions:
            let entities = settings.entities.isEmpty ? Self.addedEntities.map(\.table) : settings.entities
            let (start, end) = (Timestamp.startOfDay(from), Timestamp.startOfDay(Day(to)?.adding(days: 1).text ?? to) - 1)
            let (users, counts) = try read { r -> ([(Int64, String)], [(userID: Int64, entity: String, count: Int)]) in
                var all = try r.fetchAll(UserRecord.self, orderBy: ["login"]).map { ($0.meta!.id, $0.login) }
                if !settings.users.isEmpty { all = all.filter { u in settings.users.contains { $0.lowercased() == u.1 } } }
                return (all, try r.addedCounts(entities: entities, userIDs: all.map(\.0), from: start, to: end))
            }
            let rows = users.map { id, login -> [PanelCell] in
                [PanelCell(login)] + entities.map { entity in
                    let n = counts.first { $0.userID == id && $0.entity == entity }?.count ?? 0
                    return PanelCell("\(n)", value: Double(n), drill: n > 0 ? .added(entity: entity, user: login, from: start, to: end) : nil)
                }
            }
            return PanelData(panel: panel, from: from, to: to,
                             headers: [t("Utilizator", "User")] + entities.map { e in Self.addedEntities.first { $0.table == e }?.label ?? t(e, e) },
                             rows: rows, note: nil, route: nil)
        case .balance:
            // Debtors, creditors and cash: the live balances (kept by every posting; "corelare sold" recomputes them).
            let kinds: [LedgerKind] = [.cash, .client, .supplier]
            let accounts = try ledgerAccounts(for: actor).filter { LedgerKind(rawValue: $0.kind).map(kinds.contains) ?? false }
                .sorted { (kinds.firstIndex(of: LedgerKind(rawValue: $0.kind)!)!, $0.code) < (kinds.firstIndex(of: LedgerKind(rawValue: $1.kind)!)!, $1.code) }
            let rows = accounts.map { a -> [PanelCell] in
                [PanelCell(a.code + " " + a.name), PanelCell(Money.text(a.balance), value: Double(a.balance) / 100,
                                                             drill: .statement(code: a.code, from: nil, to: nil))]
            }
            func sum(_ kind: LedgerKind) -> String { Money.text(accounts.filter { $0.kind == kind.rawValue }.reduce(0) { $0 + $1.balance }) }
            return PanelData(panel: panel, from: from, to: to, headers: [t("Cont", "Account"), t("Sold (RON)", "Balance (RON)")], rows: rows,
                             note: t("Disponibil \(sum(.cash)) · Debitori \(sum(.client)) · Creditori \(sum(.supplier))",
                                     "Cash \(sum(.cash)) · Debtors \(sum(.client)) · Creditors \(sum(.supplier))"), route: nil)
        case .budget:
            try Ledger.checkWholeBooks(actor)
            let accounts = try ledgerAccounts(for: actor).filter { [.revenue, .expense].contains(LedgerKind(rawValue: $0.kind)) }
            let sums = try read { r in try r.ledgerSums(from: from, to: to) }
            var revenue: Int64 = 0, expense: Int64 = 0
            let rows = accounts.compactMap { a -> [PanelCell]? in
                let s = sums[a.meta!.id] ?? (0, 0)
                let isRevenue = a.kind == LedgerKind.revenue.rawValue
                let amount = isRevenue ? s.credit - s.debit : s.debit - s.credit
                if isRevenue { revenue += amount } else { expense += amount }
                return [PanelCell(a.code + " " + a.name), PanelCell(Money.text(amount), value: Double(amount) / 100,
                                                                    drill: .statement(code: a.code, from: from, to: to))]
            }
            return PanelData(panel: panel, from: from, to: to, headers: [t("Cont", "Account"), t("Sold (RON)", "Balance (RON)")], rows: rows,
                             note: t("Venituri \(Money.text(revenue)) · Cheltuieli \(Money.text(expense)) · Rezultat \(Money.text(revenue - expense)) RON",
                                     "Revenue \(Money.text(revenue)) · Expenses \(Money.text(expense)) · Result \(Money.text(revenue - expense)) RON"),
                             route: nil)
        case .sales:
            let sold = try read(for: actor) { r -> [(name: String, category: String?, net: Int64, quantity: Int64, lines: Int)] in
                let ids = settings.users.isEmpty ? nil : try settings.users.map { try Self.user($0, in: r).meta!.id }
                return try r.salesByProduct(from: from, to: to, userIDs: ids, categories: settings.categories.isEmpty ? nil : settings.categories)
            }
            let rows = sold.prefix(5).map { s -> [PanelCell] in
                [PanelCell(s.name), PanelCell(s.category ?? ""), PanelCell(Quantity.text(s.quantity)),
                 PanelCell(Money.text(s.net), value: Double(s.net) / 100, drill: .sold(name: s.name, from: from, to: to))]
            }
            return PanelData(panel: panel, from: from, to: to, headers: [t("Produs sau serviciu", "Product or service"), t("Categorie", "Category"),
                                                                        t("Cantitate", "Quantity"), t("Vânzări (RON, fără TVA)", "Sales (RON, before VAT)")],
                             rows: Array(rows), note: nil, route: nil)
        case .visits:
            guard let gazetteer else {
                throw CoreError.refused(t("lista localităților lipsește (sample-data/localitati.tsv)", "the gazetteer is missing (sample-data/localitati.tsv)"))
            }
            let kinds = settings.kinds.compactMap(WorkItemKind.init(rawValue:))
            let plan = try visitPlan(users: settings.users, kinds: kinds.isEmpty ? WorkItemKind.allCases : kinds, types: settings.types, from: from, to: to,
                                     gazetteer: gazetteer, for: actor)
            let names = plan.unresolved.map(\.item.account.name).joined(separator: ", ")
            var total = 0.0
            let rows = plan.stops.enumerated().map { i, stop -> [PanelCell] in
                total += plan.legs[i]
                return [PanelCell("\(i + 1)"), PanelCell(stop.account.name), PanelCell(stop.address),
                        PanelCell(String(format: "%.1f", plan.legs[i]), value: plan.legs[i]), PanelCell(String(format: "%.1f", total), value: total)]
            }
            return PanelData(panel: panel, from: from, to: to, headers: [t("#", "#"), t("Client", "Client"), t("Adresă", "Address"), t("km", "km"), t("Total km", "Total km")],
                             rows: rows,
                             note: plan.unresolved.isEmpty ? nil : t("Nelocalizați: \(names)", "Not located: \(names)"),
                             route: plan)
        }
    }

    /// The ids of users named by login (nil: everyone).
    func ownerIDs(_ logins: [String]) throws -> Set<Int64>? {
        guard !logins.isEmpty else { return nil }
        return try read { r in Set(try logins.map { try Self.user($0, in: r).meta!.id }) }
    }

    /// The entities the user-actions panel counts.
    public static let addedEntities: [(table: String, label: Localized)] = [
        (AccountRecord.table, Localized(ro: "Conturi", en: "Accounts")), (ContactRecord.table, Localized(ro: "Contacte", en: "Contacts")),
        (WorkItemRecord.table, Localized(ro: "Oportunități și activități", en: "Opportunities and activities")),
        (NoteRecord.table, Localized(ro: "Note", en: "Notes")), (OfferRecord.table, Localized(ro: "Oferte", en: "Offers")),
        (InvoiceRecord.table, Localized(ro: "Facturi", en: "Invoices")), (EmailRecord.table, Localized(ro: "E-mailuri", en: "E-mails")),
    ]
}

extension CRM {
    /// The rows of an entity a user added between two instants (the user-actions panel's drill-down), newest first:
    /// what each is, on which account, when; rows since deleted are named so.
    public func addedRows(entity: String, user: String, from: Int64, to: Int64, limit: Int = 2_000, for actor: Actor) throws
        -> (headers: [Localized], rows: [[String]]) {
        try policy.authorize(actor, .view, .dashboard)
        // The rows are shown only to who may see them in their own module.
        switch entity {
        case OfferRecord.table: try policy.authorize(actor, .view, .offers)
        case InvoiceRecord.table: try policy.authorize(actor, .view, .invoicing)
        case WorkItemRecord.table:
            try policy.authorize(actor, .view, .opportunities)
            try policy.authorize(actor, .view, .activities)
        default: try policy.authorize(actor, .view, .accounts)
        }
        func t(_ ro: String, _ en: String) -> Localized { Localized(ro: ro, en: en) }
        return try read(for: actor) { r in
            let ids = try r.addedRows(entity: entity, userID: try Self.user(user, in: r).meta!.id, from: from, to: to, limit: limit)
            let gone = ["(șters)", "", "", ""]
            /// The accounts of the rows, those the reader sees.
            func accounts(_ ids: [Int64]) throws -> [Int64: AccountRecord] { try r.fetchAll(AccountRecord.self, ids: Array(Set(ids))).filter { r.isVisible($0.value) } }
            /// Each row present as `line` makes it (nil: its account not shown), a deleted one said so.
            func lines<R: Record>(_ type: R.Type, account: (R) -> Int64?, _ line: (R, String) -> [String]) throws -> [[String]] {
                let found = try r.fetchAll(R.self, ids: ids)
                let names = try accounts(found.values.compactMap(account)).mapValues(\.name)
                return ids.compactMap { id in
                    guard let row = found[id] else { return gone }
                    guard let accountID = account(row) else { return line(row, "") }
                    return names[accountID].map { line(row, $0) }
                }
            }
            let rows: [[String]]
            switch entity {
            case AccountRecord.table:
                let stored = try r.fetchAll(AccountRecord.self, ids: ids)
                rows = ids.compactMap { id -> [String]? in
                    guard let a = stored[id] else { return gone }
                    guard r.isVisible(a) else { return nil }
                    return [a.name, a.code ?? "", a.city ?? "", Timestamp.local(a.meta!.createdAt)]
                }
            case ContactRecord.table:
                rows = try lines(ContactRecord.self, account: { $0.accountID }) { c, a in [c.name, a, c.email ?? c.phone ?? "", Timestamp.local(c.meta!.createdAt)] }
            case WorkItemRecord.table:
                rows = try lines(WorkItemRecord.self, account: { $0.accountID }) { w, a in
                    [(WorkItemKind(rawValue: w.kind)?.singular.ro ?? w.kind) + (w.type.map { " · " + $0 } ?? ""), a, w.details ?? "", Timestamp.local(w.meta!.createdAt)]
                }
            case NoteRecord.table:
                rows = try lines(NoteRecord.self, account: { $0.accountID }) { n, a in [n.type ?? "", a, String(n.text.prefix(120)), Timestamp.local(n.meta!.createdAt)] }
            case OfferRecord.table:
                let items = try r.fetchAll(WorkItemRecord.self, ids: Array(Set(try r.fetchAll(OfferRecord.self, ids: ids).values.map(\.itemID))))
                rows = try lines(OfferRecord.self, account: { items[$0.itemID]?.accountID }) { o, a in
                    [o.label, a, Money.text(o.total) + " " + o.currency, Timestamp.local(o.meta!.createdAt)]
                }
            case InvoiceRecord.table:
                rows = try lines(InvoiceRecord.self, account: { $0.accountID }) { i, a in [i.label, a, Money.text(i.total) + " " + i.currency, Timestamp.local(i.meta!.createdAt)] }
            case EmailRecord.table:
                rows = try lines(EmailRecord.self, account: { $0.accountID }) { e, a in [e.subject, a, e.recipients, Timestamp.local(e.meta!.createdAt)] }
            default:
                rows = ids.map { ["#\($0)", "", "", ""] }
            }
            return ([t("Ce", "What"), t("Cont", "Account"), t("Detalii", "Details"), t("Adăugat la", "Added")], rows)
        }
    }

    /// The invoice lines of a product or service sold between two days (the sales panel's drill-down).
    public func soldLines(name: String, from: String, to: String, limit: Int = 2_000, for actor: Actor) throws
        -> (headers: [Localized], rows: [[String]]) {
        try policy.authorize(actor, .view, .invoicing)
        let lines = try read(for: actor) { r in try r.soldLines(name: name, from: from, to: to, limit: limit) }
        return ([Localized(ro: "Zi", en: "Day"), Localized(ro: "Factura", en: "Invoice"), Localized(ro: "Client", en: "Client"),
                 Localized(ro: "Cantitate", en: "Quantity"), Localized(ro: "Valoare (RON, fără TVA)", en: "Amount (RON, before VAT)")],
                lines.map { [$0.day, $0.invoice.label, $0.client, Quantity.text($0.quantity), Money.text($0.net)] })
    }
}
