import CRMCore
import CRMDocuments
import CRMStore
import CRMText
import Foundation
import TUIKit

/// Tablou de bord (DSH-1 … DSH-10): the page's panels read through the core,
/// a chosen number opening the rows behind it — the Oportunități or Activități
/// page narrowed to them, or the rows themselves —, each panel exported to
/// Excel, its settings and the panels' order and visibility saved per user.
extension AccountBrowser {
    /// What the window offers on the dashboard besides its own keys.
    static let dashboardActions: Set<String> = [
        "help.show", "menu.open", "palette.open", "settings.open", "theme.next", "language.toggle", "app.quit",
        "page.accounts", "page.opportunities", "page.activities", "page.products", "page.invoices", "page.ledger", "page.dashboard",
        "users.admin", "stages.admin", "company.admin", "email.settings", "campaigns.open", "maillists.open", "forms.admin", "notes.list",
        "sync.now", "sync.conflicts", "dashboard.open", "dashboard.export", "dashboard.settings", "dashboard.arrange", "dashboard.reconcile", "dashboard.reload",
    ]

    /// The dashboard's panels shown and their settings (nil until the page is opened).
    public var dashboardState: (panels: [DashboardPanel], settings: DashboardSettings)? {
        dashboardPage.map { ($0.panels, $0.settings) }
    }

    /// Chooses a panel and the first of its numbers that opens rows; false when it has none.
    public mutating func chooseFirstDrill(inPanel index: Int) -> Bool {
        guard var page = dashboardPage, page.panels.indices.contains(index) else { return false }
        page.focus = index
        guard let d = page.focusedData,
              let (row, column) = d.rows.enumerated().lazy.compactMap({ r, cells in cells.firstIndex { $0.drill != nil }.map { (r, $0) } }).first
        else { return false }
        page.row = row
        page.column = column
        dashboardPage = page
        return true
    }

    /// A dashboard action from a menu or the palette: the same as its key.
    mutating func performOnDashboard(_ action: String) -> Effect? {
        guard page == .dashboard, action.hasPrefix("dashboard.") else { return nil }
        switch action {
        case "dashboard.open": return updateDashboard(.enter) ?? .none
        case "dashboard.export": return updateDashboard(.char("e")) ?? .none
        case "dashboard.settings": return updateDashboard(.char("s")) ?? .none
        case "dashboard.arrange": return updateDashboard(.char("o")) ?? .none
        case "dashboard.reconcile": return updateDashboard(.char("r")) ?? .none
        default:
            reloadDashboard()
            return Effect.none
        }
    }

    /// Every shown panel read again (after a change of settings, or someone's write).
    mutating func reloadDashboard() {
        let (crm, actor) = (self.crm, self.actor)
        guard let settings = attempt(nil, { try crm.dashboardSettings(for: actor) }),
              let panels = attempt(nil, { try crm.dashboardPanels(for: actor) }) else { return }
        var page = dashboardPage ?? DashboardPage(settings: settings, panels: panels)
        page.settings = settings
        let focused = page.panel
        page.panels = panels
        page.focus = focused.flatMap { panels.firstIndex(of: $0) } ?? min(page.focus, max(0, panels.count - 1))
        page.data = Self.dashboardData(crm, actor, settings: settings, panels: panels, language: language)
        if let d = page.focusedData {
            page.row = min(page.row, max(0, d.rows.count - 1))
            if !DashboardPage.selectable(d).contains(page.column) { page.column = DashboardPage.selectable(d).first ?? 0 }
        }
        dashboardPage = page
    }

    /// Each panel's data, or the reason it could not be read (no right, no gazetteer…).
    static func dashboardData(_ crm: CRM, _ actor: Actor, settings: DashboardSettings, panels: [DashboardPanel], language: Language)
        -> [DashboardPanel: Result<PanelData, DashboardPage.PanelFailure>] {
        let read = crm.panels(panels, settings: settings, gazetteer: panels.contains(.visits) ? Gazetteer.shipped() : nil, for: actor)
        return read.mapValues { result in
            result.mapError { error in .init(message: (error as? CoreError)?.message(language) ?? "\(error)") }
        }
    }

    /// The dashboard's own keys; nil when the key is the window's.
    mutating func updateDashboard(_ key: Key) -> Effect? {
        guard var page = dashboardPage else { return nil }
        let event = page.handle(key)
        dashboardPage = page
        switch event {
        case .pass: return nil
        case .none: break
        case .drill(let drill): openDrill(drill)
        case .export(let panel): openPanelExport(panel)
        case .settings(let panel): openPanelSettings(panel)
        case .saveLayout(let order, let hidden):
            var settings = page.settings
            settings.order = order
            settings.hidden = hidden
            saveDashboard(settings, message: t("Panourile au fost rearanjate", "The panels were rearranged"))
        case .printRoute:
            let form = Form(fields: [FormField(id: "file", label: t("Fișier PDF", "PDF file"), value: "~/" + t("traseu", "route") + ".pdf", mandatory: true)])
            overlay = .dialog(Dialog(title: Localized(ro: "Tipărire traseu", en: "Print the route"), purpose: .routePDF, form: form, language: language))
        case .reconcile:
            let (crm, actor) = (self.crm, self.actor)
            if let changed = attempt(nil, { try crm.reconcileBalances(by: actor) }) {
                reloadDashboard()
                message = changed.isEmpty ? t("Corelare sold: toate soldurile erau corecte", "Balances reckoned again: all were right")
                    : t("Corelare sold: \(changed.count) solduri îndreptate", "Balances reckoned again: \(changed.count) set right")
            }
        }
        return Effect.none
    }

    mutating func saveDashboard(_ settings: DashboardSettings, message text: String) {
        let (crm, actor) = (self.crm, self.actor)
        do {
            try crm.saveDashboardSettings(settings, by: actor)
            reloadDashboard()
            message = text
        } catch {
            message = describe(error)
        }
    }

    // MARK: - Drill-down

    /// The rows behind a number: items on their own page narrowed by a filter; the rest in a window of rows.
    mutating func openDrill(_ drill: DrillDown) {
        let (crm, actor) = (self.crm, self.actor)
        switch drill {
        case .items(let kind, let owners, let stage, let openOnly, let from, let to):
            // The page narrowed as its own stage pane and indexes narrow it: the stage chosen, the owner and the due days.
            openPage(.items(kind))
            guard case .items(kind) = page, var items = self.items else { return }
            items.stageIndex = stage.flatMap { name in items.stages.firstIndex { $0.name == name }.map { $0 + 1 } } ?? 0
            items.filter = nil
            items.filterName = nil
            items.narrowing = ItemPage.Narrowing(owners: owners, openOnly: openOnly, from: from, to: to)
            self.items = items
            reloadFromTop()
        case .added(let entity, let user, let from, let to):
            guard let rows = attempt(nil, { try crm.addedRows(entity: entity, user: user, from: from, to: to, for: actor) }) else { return }
            let label = CRM.addedEntities.first { $0.table == entity }?.label.text(language) ?? entity
            showRows(title: t("Adăugate de \(user): \(label)", "Added by \(user): \(label)"), headers: rows.headers.map { $0.text(language) },
                     rows: rows.rows)
        case .statement(let code, let from, let to):
            guard let statement = attempt(nil, { try crm.statement(code, from: from, to: to, for: actor) }) else { return }
            showRows(title: t("Fișă de cont ", "Statement of ") + code + " " + statement.account.name,
                     headers: [t("Zi", "Day"), t("Document", "Document"), t("Explicație", "Description"), t("Debit", "Debit"), t("Credit", "Credit"),
                               t("Sold", "Balance")],
                     rows: statement.lines.map { [$0.day, $0.document, $0.description ?? "", Money.text($0.debit), Money.text($0.credit), Money.text($0.balance)] })
        case .sold(let name, let from, let to):
            guard let lines = attempt(nil, { try crm.soldLines(name: name, from: from, to: to, for: actor) }) else { return }
            showRows(title: t("Vândut: ", "Sold: ") + name, headers: lines.headers.map { $0.text(language) }, rows: lines.rows)
        }
    }

    /// A window of rows (one group), exportable with E.
    mutating func showRows(title: String, headers: [String], rows: [[String]]) {
        var table = GroupedTable(title: title, groups: [GroupedTable.Group(title: title, count: rows.count)],
                                 hint: t("tab rânduri · e exportă în Excel · esc înapoi", "tab rows · e exports to Excel · esc back"))
        table.headers = headers
        table.rows = rows
        table.rowsFocused = !rows.isEmpty
        overlay = .grouped(GroupedView(kind: .rows(title: title, headers: headers, rows: rows), table: table))
    }

    // MARK: - Export and settings

    mutating func openPanelExport(_ panel: DashboardPanel) {
        let form = Form(fields: [FormField(id: "file", label: t("Fișier (.xlsx sau .csv)", "File (.xlsx or .csv)"),
                                           value: "~/" + Self.fileName(panel.title.text(language)) + ".xlsx", mandatory: true)])
        overlay = .dialog(Dialog(title: Localized(ro: "Export: \(panel.title.ro)", en: "Export: \(panel.title.en)"), purpose: .panelExport(panel),
                                 form: form, language: language))
    }

    mutating func savePanelExport(_ dialog: inout Dialog, _ panel: DashboardPanel) throws {
        guard let (path, format) = exportTarget(&dialog) else { return }
        try crm.policy.authorize(actor, .export, panel.module)
        guard case .success(let d)? = dashboardPage?.data[panel] else { overlay = nil; return }
        let table = PanelTable(d, language: language)
        try TableExport.rows(table.cells, labels: table.headers, widths: table.widths, sheet: String(panel.title.text(language).prefix(31)),
                             format: format, to: path, language: language)
        overlay = nil
        message = t("\(d.rows.count) rânduri exportate în \(path)", "\(d.rows.count) rows exported to \(path)")
    }

    /// The visit map's route, with its map, to a PDF file.
    mutating func saveRoutePDF(_ dialog: inout Dialog) throws {
        let path = (dialog.form.value("file").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        guard path.lowercased().hasSuffix(".pdf") else {
            dialog.form.show(errors: ["file": t("Numele fișierului se termină cu .pdf", "The file name ends in .pdf")])
            return
        }
        guard case .success(let d)? = dashboardPage?.data[.visits], let plan = d.route else { overlay = nil; return }
        let company = (try? crm.companyProfile()[.name]) ?? nil
        let who = dashboardPage?.settings.settings(.visits).users ?? []
        let title = t("Traseu vizite", "Visit route") + " · " + (who.isEmpty ? actor.login : who.joined(separator: ", ")) + " · "
            + DashboardPage.interval(d, language: language)
        try PDFWriter().write(VisitRouteDocument.document(plan, title: title, gazetteer: Gazetteer.shipped(), company: company ?? "", language: language), to: path)
        overlay = nil
        message = t("Traseul, cu harta: \(path)", "The route, with its map: \(path)")
    }

    /// A panel's settings: whose data, which interval, and its own choices.
    mutating func openPanelSettings(_ panel: DashboardPanel) {
        guard let page = dashboardPage else { return }
        let s = page.settings.settings(panel)
        var fields = [
            FormField(id: "users", label: t("Utilizatori (login-uri cu virgulă; gol: toți)", "Users (logins, comma-separated; empty: all)"),
                      value: s.users.joined(separator: ", ")),
            FormField(id: "period", label: t("Interval", "Interval"),
                      kind: .choice(DashboardPeriod.allCases.map { FormField.Choice($0.rawValue, $0.label.text(language)) }), value: s.period.rawValue),
            FormField(id: "from", label: t("De la (interval ales)", "From (chosen interval)"), kind: .date, value: s.from ?? ""),
            FormField(id: "to", label: t("Până la (interval ales)", "To (chosen interval)"), kind: .date, value: s.to ?? ""),
        ]
        switch panel {
        case .forecast, .opportunities, .activities:
            fields.append(FormField(id: "stages", label: t("Stadii (cu virgulă; gol: toate)", "Stages (comma-separated; empty: all)"),
                                    value: s.stages.joined(separator: ", ")))
        case .sales:
            fields.append(FormField(id: "categories", label: t("Categorii (cu virgulă; gol: toate)", "Categories (comma-separated; empty: all)"),
                                    value: s.categories.joined(separator: ", ")))
        case .actions:
            let names = CRM.addedEntities.map { $0.label.text(language) }.joined(separator: ", ")
            fields.append(FormField(id: "entities", label: t("Entități (gol: toate): ", "Entities (empty: all): ") + names,
                                    value: s.entities.compactMap { e in CRM.addedEntities.first { $0.table == e }?.label.text(language) }.joined(separator: ", ")))
        case .visits:
            fields.append(FormField(id: "kinds", label: t("Ce (oportunitate, activitate; gol: ambele)", "What (opportunity, activity; empty: both)"),
                                    value: s.kinds.joined(separator: ", ")))
            fields.append(FormField(id: "types", label: t("Tipuri (Vizită, Întâlnire…; gol: toate)", "Types (Vizită, Întâlnire…; empty: all)"),
                                    value: s.types.joined(separator: ", ")))
        default: break
        }
        overlay = .dialog(Dialog(title: Localized(ro: "Setări: \(panel.title.ro)", en: "Settings: \(panel.title.en)"), purpose: .panelSettings(panel),
                                 form: Form(fields: fields), language: language))
    }

    mutating func savePanelSettings(_ dialog: inout Dialog, _ panel: DashboardPanel) throws {
        guard var settings = dashboardPage?.settings else { overlay = nil; return }
        let form = dialog.form
        func list(_ id: String) -> [String] {
            form.value(id).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var s = settings.settings(panel)
        s.users = list("users")
        s.period = DashboardPeriod(rawValue: form.value("period")) ?? .month
        s.from = form.value("from").isEmpty ? nil : form.value("from")
        s.to = form.value("to").isEmpty ? nil : form.value("to")
        if form.fields.contains(where: { $0.id == "stages" }) { s.stages = list("stages") }
        if form.fields.contains(where: { $0.id == "categories" }) { s.categories = list("categories") }
        if form.fields.contains(where: { $0.id == "entities" }) {
            var tables: [String] = []
            for name in list("entities") {
                guard let e = CRM.addedEntities.first(where: { Fold.key($0.label.ro) == Fold.key(name) || Fold.key($0.label.en) == Fold.key(name) || $0.table == name }) else {
                    dialog.form.show(errors: ["entities": t("«\(name)» nu este una dintre entități", "«\(name)» is not one of the entities")])
                    return
                }
                tables.append(e.table)
            }
            s.entities = tables
        }
        if form.fields.contains(where: { $0.id == "kinds" }) {
            var kinds: [String] = []
            for name in list("kinds") {
                guard let kind = WorkItemKind.allCases.first(where: { Fold.key($0.singular.ro) == Fold.key(name) || $0.rawValue == Fold.key(name) }) else {
                    dialog.form.show(errors: ["kinds": t("oportunitate sau activitate", "opportunity or activity")])
                    return
                }
                kinds.append(kind.rawValue)
            }
            s.kinds = kinds
        }
        if form.fields.contains(where: { $0.id == "types" }) { s.types = list("types") }
        settings.panels[panel.rawValue] = s
        do {
            try crm.saveDashboardSettings(settings, by: actor)
        } catch CoreError.invalid(let issues) {
            // The core names the panel's field (forecast.users); the dialog shows it under its own.
            throw CoreError.invalid(issues.map { ValidationIssue(field: String($0.field.split(separator: ".").last ?? ""), value: $0.value, reason: $0.reason) })
        }
        overlay = nil
        reloadDashboard()
        message = t("Setările panoului «\(panel.title.ro)» au fost salvate", "The «\(panel.title.en)» panel's settings were saved")
    }

    // MARK: - Drawing and the mouse

    func dashboardArea() -> Rect { Rect(x: 0, y: 1, width: width, height: layout.footerRow - 1) }

    func dashboardStatus() -> [String] {
        guard let page = dashboardPage else { return [] }
        return ["\(page.panels.count) " + t("panouri", "panels"),
                t("tab panou · săgeți · enter detalii · e export · s setări · o aranjare · r corelare sold · p traseul în PDF",
                  "tab panel · arrows · enter details · e export · s settings · o arrange · r reckon balances · p the route to PDF")]
    }

    /// A click chooses a panel; a double click opens what its chosen number shows.
    mutating func mouseOnDashboard(_ event: MouseEvent) -> Effect {
        guard var page = dashboardPage else { return .none }
        guard let hit = page.boxes(in: dashboardArea()).first(where: { $0.rect.contains(x: event.x, y: event.y) }) else { return .none }
        switch event.kind {
        case .click, .doubleClick:
            if hit.panel != page.focus { page.focus = hit.panel; page.row = 0; page.column = page.focusedData.map { DashboardPage.selectable($0).first ?? 0 } ?? 0 }
            dashboardPage = page
            if event.kind == .doubleClick { return updateDashboard(.enter) ?? .none }
        case .wheelUp: _ = updateDashboard(.up)
        case .wheelDown: _ = updateDashboard(.down)
        default: break
        }
        return .none
    }
}

/// A panel's data as a table for a file: its headers, its cells (numbers as numbers), column widths.
struct PanelTable {
    let headers: [String]
    let cells: [[CellValue]]
    let widths: [Int]

    init(_ d: PanelData, language: Language) {
        headers = d.headers.map { $0.text(language) }
        cells = d.rows.map { row in row.map { c in c.value.map { v in .number(Decimal(string: String(format: "%.2f", v)) ?? 0) } ?? .text(c.text) } }
        widths = headers.enumerated().map { i, h in max(10, min(40, max(DisplayWidth.of(h), d.rows.map { $0.indices.contains(i) ? DisplayWidth.of($0[i].text) : 0 }.max() ?? 0) + 2)) }
    }
}
