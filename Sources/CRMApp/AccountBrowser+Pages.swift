import CRMCore
import CRMStore
import CRMText
import Foundation
import TUIKit

/// The module pages beside Clienți — Oportunități, Activități, Produse — inside
/// the main window: the same menu bar, footer, status line, palette, dialogs
/// and reminders, a left pane that narrows the table, the table on the shared
/// engine in the middle and the selected row's details on the right. What
/// their tables have in common is done here once, through `TablePage`.
extension AccountBrowser {
    /// Which module page the window shows.
    public enum Page: Sendable, Equatable {
        case accounts
        case items(WorkItemKind)
        case products
        case invoices
        case ledger
        case dashboard

        var title: Localized {
            switch self {
            case .dashboard: return Localized(ro: "Tablou de bord", en: "Dashboard")
            case .accounts: return Localized(ro: "Clienți", en: "Clients")
            case .items(let kind): return kind.plural
            case .products: return Localized(ro: "Produse", en: "Products")
            case .invoices: return Localized(ro: "Facturi", en: "Invoices")
            case .ledger: return Localized(ro: "Contabilitate", en: "Ledger")
            }
        }

        /// The action that opens the page.
        var action: String {
            switch self {
            case .accounts: return "page.accounts"
            case .items(.opportunity): return "page.opportunities"
            case .items: return "page.activities"
            case .products: return "page.products"
            case .invoices: return "page.invoices"
            case .ledger: return "page.ledger"
            case .dashboard: return "page.dashboard"
            }
        }

        static let all: [Page] = [.accounts, .items(.opportunity), .items(.activity), .products, .invoices, .ledger, .dashboard]
    }

    /// The open item page's state (nil elsewhere).
    var items: ItemPage? {
        get { if case .items(let kind) = page { return itemPages[kind] } else { return nil } }
        set { if case .items(let kind) = page, let newValue { itemPages[kind] = newValue } }
    }

    /// The Produse page's state (nil elsewhere).
    var products: ProductPage? {
        get { page == .products ? productPage : nil }
        set { if page == .products, let newValue { productPage = newValue } }
    }

    /// The Facturi page's state (nil elsewhere).
    var invoices: InvoicePage? {
        get { page == .invoices ? invoicePage : nil }
        set { if page == .invoices, let newValue { invoicePage = newValue } }
    }

    /// The shown page's table when it is a module page with one (nil on Clienți and Contabilitate).
    var tablePage: (any TablePage)? {
        get {
            switch page {
            case .accounts: return nil
            case .items(let kind): return itemPages[kind]
            case .products: return productPage
            case .invoices: return invoicePage
            case .ledger, .dashboard: return nil
            }
        }
        set {
            switch page {
            case .accounts: break
            case .items(let kind): if let fresh = newValue as? ItemPage { itemPages[kind] = fresh }
            case .products: if let fresh = newValue as? ProductPage { productPage = fresh }
            case .invoices: if let fresh = newValue as? InvoicePage { invoicePage = fresh }
            case .ledger, .dashboard: break
            }
        }
    }

    /// The actions that only make sense on Clienți (accounts, contacts,
    /// folders, duplicates, import): left out of the menus and the palette elsewhere.
    static let accountsOnly: Set<String> = [
        "record.move", "contact.add", "contact.edit", "contact.delete", "contact.primary", "folder.add", "folder.rename",
        "folder.move", "folder.delete", "selection.toggle", "selection.extend_up", "selection.extend_down", "selection.clear",
        "duplicates.account", "duplicates.all", "duplicates.merge", "duplicates.undo", "table.import", "import.template",
        "tab.next", "tab.previous", "tab.contacts", "tab.changes", "tab.work", "maillist.add",
    ]

    /// What the shown page does not offer: Clienți's own actions elsewhere; on
    /// Produse neither notes, items, offers nor custom columns, but its own import.
    var notOffered: Set<String> {
        let dashboardOnly: Set<String> = ["dashboard.open", "dashboard.export", "dashboard.settings", "dashboard.arrange", "dashboard.reconcile",
                                          "dashboard.reload"]
        return page == .dashboard ? pageNotOffered : pageNotOffered.union(dashboardOnly)
    }

    private var pageNotOffered: Set<String> {
        switch page {
        case .accounts: return []
        case .items: return Self.accountsOnly
        case .products:
            return Self.accountsOnly.subtracting(["table.import", "import.template"])
                .union(["note.add", "email.send", "opportunity.add", "activity.add", "offer.add", "offer.edit", "fields.admin"])
        case .invoices:
            return Self.accountsOnly.union(["note.add", "email.send", "opportunity.add", "activity.add", "offer.add", "offer.edit", "fields.admin"])
        case .ledger:
            return Set(Actions.all.map(\.id)).subtracting(Self.ledgerActions)
        case .dashboard:
            return Set(Actions.all.map(\.id)).subtracting(Self.dashboardActions)
        }
    }

    /// Switches to a module page; a page keeps its left-pane choice, sort and
    /// filter while another page is shown.
    mutating func openPage(_ target: Page) {
        guard target != page else { return }
        let (crm, actor) = (self.crm, self.actor)
        switch target {
        case .accounts: break
        case .dashboard:
            guard (try? crm.policy.authorize(actor, .view, .dashboard)) != nil else {
                message = t("Nu aveți acces la Tablou de bord", "You have no access to the Dashboard")
                return
            }
        case .items(let kind):
            guard (try? crm.policy.authorize(actor, .view, kind.module)) != nil else {
                message = t("Nu aveți acces la pagina \(kind.plural.ro)", "You have no access to the \(kind.plural.en) page")
                return
            }
            if itemPages[kind] == nil {
                guard let fresh = attempt(nil, { try ItemPage(kind: kind, crm: crm, actor: actor) }) else { return }
                itemPages[kind] = fresh
            }
        case .products:
            guard (try? crm.policy.authorize(actor, .view, .offers)) != nil else {
                message = t("Nu aveți acces la pagina Produse (modulul Oferte)", "You have no access to the Products page (the Offers module)")
                return
            }
            if productPage == nil {
                guard let fresh = attempt(nil, { try ProductPage(crm: crm, actor: actor) }) else { return }
                productPage = fresh
            }
        case .invoices, .ledger:
            guard (try? crm.policy.authorize(actor, .view, .invoicing)) != nil else {
                message = t("Nu aveți acces la pagina \(target.title.ro) (modulul Facturare)",
                            "You have no access to the \(target.title.en) page (the Invoicing module)")
                return
            }
            if target == .invoices, invoicePage == nil {
                guard let fresh = attempt(nil, { try InvoicePage(crm: crm, actor: actor) }) else { return }
                invoicePage = fresh
            }
            if target == .ledger, actor.zones != nil {
                message = t("Contabilitatea este a întregii firme; fișele clienților din zonele dvs. sunt în Clienți (Fișă)",
                            "The books are the whole company's; your zones' clients' statements are on Clienți (Statement)")
                return
            }
            if target == .ledger, ledgerPage == nil {
                guard let fresh = attempt(nil, { try LedgerPage(crm: crm, actor: actor) }) else { return }
                ledgerPage = fresh
            }
        }
        page = target
        search = TextField()
        searching = false
        searchPending = false
        focus = .accounts
        if page == .ledger {
            reloadLedger()
        } else if page == .dashboard {
            reloadDashboard()
        } else if tablePage != nil {
            tablePage!.hscroll = 0
            refreshLeftPane()
            loadTable(.first)
        } else {
            hscroll = 0
            selected = 0
            load(.first)
        }
    }

    // MARK: - Reading

    /// Loads the shown page's table at a position (the first page counts a
    /// narrowed view again), then what the selected row shows on the right.
    mutating func loadTable(_ position: PagePosition) {
        guard var table = tablePage else { return }
        let (crm, actor, search, height) = (self.crm, self.actor, searchText, visibleRows)
        do { try table.load(position, crm: crm, actor: actor, search: search, height: height) } catch { message = describe(error) }
        tablePage = table
        refreshSelection()
    }

    /// Moves the table's selection, reading rows as needed.
    mutating func moveTable(_ delta: Int) {
        guard var table = tablePage else { return }
        let (crm, actor, search, height) = (self.crm, self.actor, searchText, visibleRows)
        do { try table.move(delta, crm: crm, actor: actor, search: search, height: height) } catch { message = describe(error) }
        tablePage = table
        refreshSelection()
    }

    /// Orders the table by a column (saved with the user's settings for the table).
    mutating func sortTable(by column: String, descending: Bool) {
        guard var table = tablePage else { return }
        let (crm, actor, search, height) = (self.crm, self.actor, searchText, visibleRows)
        do {
            if let label = try table.sort(by: column, descending: descending, crm: crm, actor: actor, search: search, height: height) {
                message = t("Ordonat după \(label.ro)", "Sorted by \(label.en)") + (descending ? " ↓" : " ↑")
            }
        } catch {
            message = describe(error)
        }
        tablePage = table
        refreshSelection()
    }

    /// After a change: the table again from the same first row, on the row
    /// `uuid` names when it is still there (brought into view when it moved).
    mutating func reloadTable(select uuid: String?) {
        guard let table = tablePage else { return }
        let (crm, actor, start) = (self.crm, self.actor, table.top)
        loadTable(.first)
        guard let uuid, let position = table.position(of: uuid, crm: crm, actor: actor) else { return }
        loadTable(start)
        if !tablePage!.select(uuid) {
            // The page that starts with it (filled from above near the end).
            tablePage!.selectedIndex = 0
            loadTable(position)
            _ = tablePage!.select(uuid)
        }
        refreshSelection()
    }

    /// What the right pane shows for the selected row: an item's offers and notes.
    mutating func refreshSelection() {
        if items != nil { refreshItemNotes() }
        if invoices != nil { invoices!.paymentIndex = 0 }
    }

    /// The left pane's counts (stages, categories): read when the page opens
    /// and after changes, not when the table is only narrowed or sorted.
    mutating func refreshLeftPane() {
        if items != nil { refreshStageCounts() }
        if products != nil { refreshCategories() }
        if invoices != nil { refreshInvoiceCounts() }
    }

    // MARK: - Actions

    /// An action on a module page; nil when the page leaves it to the window
    /// (menus, settings, help, quitting…).
    mutating func performOnTablePage(_ action: String) -> Effect? {
        guard let table = tablePage else { return nil }
        if notOffered.contains(action) {
            message = Self.accountsOnly.contains(action)
                ? t("Comandă a paginii Clienți (\(keyHint("page.accounts")))", "A command of the Clients page (\(keyHint("page.accounts")))")
                : t("Comanda nu ține de pagina \(page.title.ro)", "The command is not one of the \(page.title.en) page")
            return Effect.none
        }
        switch action {
        case "cursor.down": moveCursorOnPage(1)
        case "cursor.up": moveCursorOnPage(-1)
        case "cursor.page_down": moveCursorOnPage(visibleRows)
        case "cursor.page_up": moveCursorOnPage(-visibleRows)
        case "cursor.first": moveCursorOnPage(Int.min)
        case "cursor.last": moveCursorOnPage(Int.max)
        case "tree.collapse": if focus == .accounts { tablePage!.scroll(-1) }
        case "tree.expand": if focus == .accounts { tablePage!.scroll(1) }
        case "sort.next": if let next = table.nextSortColumn { sortTable(by: next, descending: false) }
        case "sort.reverse": sortTable(by: table.table.sort, descending: !table.table.descending)
        case "filter.clear":
            tablePage!.filter = nil
            tablePage!.filterName = nil
            items?.narrowing = nil
            reloadFromTop()
        default:
            if items != nil { return performOnItems(action) }
            if products != nil { return performOnProducts(action) }
            if invoices != nil { return performOnInvoices(action) }
            return nil
        }
        return Effect.none
    }

    /// The cursor keys on a module page: the left pane's list, the table, or the right pane's.
    mutating func moveCursorOnPage(_ delta: Int) {
        switch focus {
        case .accounts:
            if delta == Int.min { tablePage!.selectedIndex = 0; loadTable(.first); return }
            moveTable(delta)
        case .folders:
            let rows = leftPaneRows
            let at = rows.firstIndex(of: leftPaneChoice) ?? 0
            let target = delta == Int.min ? 0 : delta == Int.max ? rows.count - 1 : max(0, min(rows.count - 1, at + delta))
            chooseInLeftPane(rows[target])
        case .details:
            if items != nil { moveInItemHistory(delta) }
            if let page = invoices, let count = page.selectedInvoice?.payments.count, count > 0 {
                let index = delta == Int.min ? 0 : delta == Int.max ? count - 1 : page.paymentIndex + delta
                invoices!.paymentIndex = max(0, min(count - 1, index))
            }
        }
    }

    /// The left pane's rows (stages or categories: 0 is «all»), and the chosen one.
    var leftPaneRows: [Int] {
        if let page = items { return [0] + page.listedStages.map(\.index) }
        if let page = products { return Array(0...page.categories.count) }
        if invoices != nil { return Array(0...InvoicePage.statuses.count) }
        return [0]
    }

    var leftPaneChoice: Int { items?.stageIndex ?? products?.categoryIndex ?? invoices?.statusIndex ?? 0 }

    /// Narrows the table to a row of the left pane (0: everything).
    mutating func chooseInLeftPane(_ index: Int) {
        guard index != leftPaneChoice else { return }
        if items != nil { items!.stageIndex = index }
        if products != nil { products!.categoryIndex = index }
        if invoices != nil { invoices!.statusIndex = index }
        reloadFromTop()
    }

    /// What an action does, in the words of the page shown: on an item page the
    /// table's own actions name its items, on Produse its products.
    func actionText(_ action: String) -> String {
        if let kind = items?.kind {
            let opportunity = kind == .opportunity
            switch action {
            case "record.add": return opportunity ? t("Adăugare oportunitate", "Add opportunity") : t("Adăugare activitate", "Add activity")
            case "record.edit":
                return opportunity ? t("Modificare oportunitate (stadiu, date, memento)", "Change the opportunity (stage, dates, reminder)")
                    : t("Modificare activitate (stadiu, date, memento)", "Change the activity (stage, dates, reminder)")
            case "record.delete": return opportunity ? t("Ștergere oportunitate", "Delete the opportunity") : t("Ștergere activitate", "Delete the activity")
            case "note.add": return t("Adăugare notă (cu fișier) la rândul ales", "Add a note (with a file) to the chosen row")
            case "fields.admin": return t("Setări tabel: coloane personalizate (admin)", "Table settings: custom columns (admin)")
            default: break
            }
        }
        if products != nil {
            switch action {
            case "record.add": return t("Adăugare produs sau serviciu", "Add a product or service")
            case "record.edit": return t("Modificare produs", "Change the product")
            case "record.delete": return t("Ștergere produs", "Delete the product")
            case "table.export": return t("Export tabel (.xlsx, .csv) sau listă de prețuri (.pdf)", "Export the table (.xlsx, .csv) or a price list (.pdf)")
            case "table.import": return t("Import produse (.xlsx, .csv)", "Import products (.xlsx, .csv)")
            case "import.template": return t("Salvare șablon de import produse", "Save the products import template")
            default: break
            }
        }
        if invoices != nil {
            switch action {
            case "record.add": return t("Adăugare factură venit (pentru un client)", "Add an invoice (for a client)")
            case "record.edit": return t("Modificare factură (încă neînregistrată)", "Change the invoice (not yet posted)")
            case "record.delete": return t("Ștergere proformă (o factură fiscală se stornează)", "Delete the proforma (an invoice is cancelled)")
            case "record.open": return t("Tipărire factură (PDF)", "Print the invoice (PDF)")
            default: break
            }
        }
        return Actions.description(action, language) ?? action
    }

    func keyHint(_ action: String) -> String { keymap.keys(for: action, in: .browser).first?.description ?? "" }

    /// After a change of custom columns: the item tables' columns again.
    mutating func reloadItemColumns() {
        let (crm, actor) = (self.crm, self.actor)
        for (kind, var page) in itemPages {
            page.refit(attempt(page.columns) { try crm.workItemColumns(kind, for: actor) })
            itemPages[kind] = page
        }
    }

    // MARK: - Drawing

    /// The table of a module page, as the shared engine draws it.
    func renderTablePage(into buffer: inout ScreenBuffer, area: Rect, empty: String) {
        guard let table = tablePage else { return }
        table.render(into: &buffer, area: area, focused: focus == .accounts, language: language,
                     empty: searchText != nil || table.filter != nil ? t("Niciun rând nu se potrivește", "No row matches") : empty)
    }

    /// The left pane's list: a heading, «all» first, then each entry with its count.
    func renderLeftPane(into buffer: inout ScreenBuffer, area: Rect, heading: String,
                        entries: [(index: Int, name: String, count: Int)]) {
        let headingStyle = Style(foreground: focus == .folders ? .primary : .muted, bold: true)
        buffer.put(heading, x: area.x + 1, y: area.y, style: headingStyle)
        let chosenIndex = leftPaneChoice
        let rows = area.height - 1
        let at = entries.firstIndex { $0.index == chosenIndex } ?? 0
        let start = max(0, min(at - rows + 1, entries.count - rows))
        for (row, entry) in entries.dropFirst(start).prefix(rows).enumerated() {
            let chosen = entry.index == chosenIndex
            let style = chosen ? Style(foreground: focus == .folders ? .selection : .text,
                                       background: focus == .folders ? .selection : .inactive) : Style()
            let y = area.y + 1 + row
            if chosen { buffer.fill(x: area.x, y: y, width: area.width, height: 1, style: style) }
            let count = String(entry.count)
            buffer.put(Sanitize.line(entry.name), x: area.x, y: y, style: style, maxWidth: area.width - count.count - 2)
            buffer.put(count, x: area.x + area.width - count.count - 1, y: y, style: chosen ? style : Style(foreground: .muted))
        }
    }

    // MARK: - Mouse

    /// A click, double click or wheel on a module page's left pane or table;
    /// nil when it fell elsewhere (the right pane is the page's own).
    mutating func mouseOnTablePage(_ event: MouseEvent) -> Effect? {
        guard let table = tablePage else { return nil }
        let l = layout
        let (x, y) = (event.x, event.y)
        if l.tree.contains(x: x, y: y) {
            focus = .folders
            switch event.kind {
            case .wheelUp: moveCursorOnPage(-1)
            case .wheelDown: moveCursorOnPage(1)
            case .release: break
            case .click, .doubleClick, .rightClick:
                let rows = leftPaneRows
                let at = leftPaneRows.firstIndex(of: leftPaneChoice) ?? 0
                let row = y - l.tree.y - 1 + max(0, min(at - (l.tree.height - 1) + 1, rows.count - (l.tree.height - 1)))
                if rows.indices.contains(row) { chooseInLeftPane(rows[row]) }
            }
            return Effect.none
        }
        guard l.table.contains(x: x, y: y) else { return nil }
        focus = .accounts
        switch event.kind {
        case .wheelUp: moveCursorOnPage(-3)
        case .wheelDown: moveCursorOnPage(3)
        case .release: break
        case .click, .doubleClick, .rightClick:
            let row = y - l.table.y - 1
            if row == -1, event.kind == .click {
                if let id = table.columnID(atX: x - l.table.x, width: l.table.width) {
                    sortTable(by: id, descending: id == table.table.sort ? !table.table.descending : false)
                }
                return Effect.none
            }
            guard row >= 0, row < table.rowCount else { return Effect.none }
            tablePage!.selectedIndex = row
            refreshSelection()
            if event.kind == .doubleClick { return perform("record.edit") }
            if event.kind == .rightClick { openContextMenu(x: x, y: y) }
        }
        return Effect.none
    }
}

extension TablePage {
    func render(into buffer: inout ScreenBuffer, area: Rect, focused: Bool, language: Language, empty: String) {
        grid.render(into: &buffer, area: area, rows: window.rows, selected: window.selected, focused: focused, language: language, empty: empty)
    }
}
