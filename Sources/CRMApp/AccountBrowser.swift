import CRMCore
import CRMStore
import CRMText
import TUIKit

/// The Clienți page: the menu bar, the folder tree (Dosare) on the left, the
/// accounts of the selected folder in the middle, the selected account's
/// history pane (Contacte, Modificări) on the right — or below the table on a
/// narrow terminal —, the footer with the search box and key hints, and the
/// status line. Rows come a page at a time by keyset (never more than the screen
/// holds), so moving through a million accounts costs the same as through ten.
///
/// Every key, menu item, palette entry and mouse click ends in `perform`, so
/// the same action behaves the same whichever way it was asked for.
public struct AccountBrowser: Screen {
    public enum Pane: Sendable, CaseIterable { case folders, accounts, details }
    public enum HistoryTab: Int, Sendable, CaseIterable { case contacts, changes, work, ledger }

    enum Overlay: Sendable {
        case help(scroll: Int)
        case menu(MenuList, bar: Int?)
        case palette(Palette)
        case confirm(Confirm)
        case dialog(Dialog)
        case columns(ColumnsDialog)
        case fields(FieldsDialog)
        case duplicates(DuplicatesView)
        case merge(MergeView)
        case conflict(ConflictView)
        case users(UsersView)
        case reminders(ReminderView)
        case notes(NotesView)
        case adminList(ListAdminView)
        case item(ItemView)
        case document(DocumentEditor)
        case importPreview(ImportPreview)
        case progress(Job)
        case text(TextViewer)
        case campaigns(CampaignsView)
        case grouped(GroupedView)
        case blocks(BlockBuilder)
        case webForms(WebFormsView)
        case webFormDesigner(WebFormDesigner)
        case leads(LeadsView)
        case syncConflicts(SyncConflictsView)
    }

    struct Confirm: Sendable {
        enum Action: Sendable {
            case deleteAccounts([AccountDetails]), deleteContact(ContactRecord), deleteFolder(FolderNode), deleteItem(WorkItemDetails)
            case deleteOffer(OfferDetails), deleteProduct(ProductDetails)
            case cancelInvoice(InvoiceDetails), deleteInvoice(InvoiceDetails), deletePayment(PaymentRecord)
        }
        let text: Localized
        let action: Action
    }

    let crm: CRM
    let actor: Actor
    let resources: Resources?
    public internal(set) var keymap: Keymap
    public internal(set) var appearance: Appearance
    var language: Language { appearance.language }

    public internal(set) var folders: [FolderNode] = []
    public internal(set) var collapsed: Set<Int64> = []
    public internal(set) var folderIndex = 0
    /// The accounts on screen and the selected one.
    var window = KeysetWindow<AccountDetails>()
    public internal(set) var rows: [AccountDetails] {
        get { window.rows }
        set { window.rows = newValue }
    }
    public internal(set) var selected: Int {
        get { window.selected }
        set { window.selected = newValue }
    }
    /// Accounts marked for a bulk action (Space, Shift+arrows), by UUID.
    public internal(set) var marked: [String: AccountDetails] = [:]
    var anchor: Int?
    public internal(set) var focus: Pane = .accounts
    /// The module page shown (Clienți, Oportunități, Activități, Produse), and each page's state.
    public internal(set) var page: Page = .accounts
    var itemPages: [WorkItemKind: ItemPage] = [:]
    var productPage: ProductPage?
    var invoicePage: InvoicePage?
    var ledgerPage: LedgerPage?
    var dashboardPage: DashboardPage?
    public internal(set) var tab: HistoryTab = .contacts {
        // The statement is read when its tab is shown, not on every move through the accounts.
        didSet { if tab == .ledger && oldValue != .ledger { loadClientStatement() } }
    }
    public internal(set) var contacts: [ContactRecord] = []
    public internal(set) var contactIndex = 0
    /// The account's opportunities, activities and notes (the Istoric tab), and the chosen one.
    var work: [WorkEntry] = []
    var workIndex = 0
    /// The account's statement as a client (Fișă client), read while its tab is shown, when it has one and the user sees invoicing.
    var clientStatement: Statement?
    var statementIndex = 0
    public internal(set) var history: [ChangeLogEntry] = []
    /// Every column the accounts table can show, and how this user shows them
    /// (visible columns, widths, pinned first column, sort), saved per user.
    public internal(set) var allColumns: [AccountColumn] = []
    public internal(set) var table = TableSettings.accounts
    /// How many columns (after the pinned one) the table is scrolled sideways.
    public internal(set) var hscroll = 0
    /// The table's order (a column and a direction).
    public var order: AccountOrder { table.order(allColumns) }
    /// The filter in force, and its name when it is a saved one.
    public internal(set) var filter: Filter?
    public internal(set) var filterName: String?
    /// How many accounts the view shows when a search or filter narrows it.
    public internal(set) var viewCount: Int?
    /// The footer's search: the text, and whether keys go to it.
    public internal(set) var search = TextField()
    public internal(set) var searching = false
    /// The search looks through every account, not only the selected folder.
    public internal(set) var searchEverywhere = false
    /// The search text changed and its rows are not loaded yet.
    var searchPending = false
    /// How many times a changed search loaded its rows (one per pause in typing).
    public internal(set) var searchLoads = 0
    /// The search index being filled in the background (a bulk-loaded base).
    var indexJob: Job?
    /// A sync round running in the background (Sincronizare acum).
    var syncJob: Job?
    /// How far this file's sync has got, for the status line (nil until read).
    var syncState: SyncStatus?
    public internal(set) var indexProgress: (done: Int, total: Int)?
    public internal(set) var message: String?
    /// The file's data version when last looked at (others' changes), and how
    /// many times a change of theirs reloaded the page.
    var dataVersion: Int?
    /// When the due reminders were last looked for (the store's clock), and
    /// those closed with Esc: not shown again before this time.
    var remindersCheckedAt: Int64?
    var remindersLater: [String: Int64] = [:]
    public internal(set) var externalReloads = 0
    var overlay: Overlay?
    /// The item whose view (ItemView) comes back when the dialog opened from it closes.
    var returnToItem: String?
    /// The campaign window a dialog came from, back when it closes.
    var dialogReturn: DialogReturn?
    /// The dialog field whose text is out in the user's editor.
    var editingField: String?
    /// The failed e-mail shown in the text viewer, which R sends again.
    var retryingEmail: String?
    var width = 80
    var height = 24

    /// The status line counts a narrowed view up to this ("1000+" beyond), so
    /// that a common word costs no more than a rare one.
    public static let countCap = 1001

    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public init(crm: CRM, actor: Actor, keymap: Keymap, appearance: Appearance, resources: Resources? = nil,
                problems: [String] = []) {
        self.crm = crm
        self.actor = actor
        self.keymap = keymap
        self.appearance = appearance
        self.resources = resources
        // What others change from here on reloads the page (`idle`).
        dataVersion = attempt(nil) { try crm.dataVersion() }
        folders = attempt([]) { try crm.folderTree(for: actor) }
        allColumns = attempt([]) { try crm.accountColumns(for: actor) }
        table = attempt(TableSettings.accounts) { [allColumns] in try crm.tableSettings(AccountTable.kind, columns: allColumns, for: actor) }
        if let first = problems.first {
            message = first + (problems.count > 1 ? " (+\(problems.count - 1))" : "")
        }
    }

    public init(crm: CRM, actor: Actor, keymap: Keymap, language: Language) {
        self.init(crm: crm, actor: actor, keymap: keymap, appearance: Appearance(language: language))
    }

    public var selectedAccount: AccountDetails? { rows.indices.contains(selected) ? rows[selected] : nil }
    public var selectedContact: ContactRecord? { contacts.indices.contains(contactIndex) ? contacts[contactIndex] : nil }
    var activeFolder: FolderNode? { folders.indices.contains(folderIndex) ? folders[folderIndex] : nil }
    var tooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }
    var layout: Layout { Layout(width: width, height: height) }
    var visibleRows: Int { max(1, layout.table.height - 1) }
    public var isBusy: Bool {
        if indexJob != nil { return true }
        if case .progress = overlay { return true } else { return false }
    }
    public var openDialogTitle: String? { if case .dialog(let d) = overlay { return d.title.text(language) } else { return nil } }
    var searchText: String? {
        let t = search.text.trimmingCharacters(in: .whitespaces)
        return t.isEmpty ? nil : t
    }

    /// The folders shown in the tree: those whose ancestors are all expanded.
    var visibleFolders: [Int] {
        var out: [Int] = []
        var hiddenBelow: Int?
        for (i, node) in folders.enumerated() {
            if let depth = hiddenBelow, node.depth > depth { continue }
            hiddenBelow = nil
            out.append(i)
            if collapsed.contains(node.id) { hiddenBelow = node.depth }
        }
        return out
    }

    func hasChildren(_ index: Int) -> Bool {
        folders.indices.contains(index + 1) && folders[index + 1].depth > folders[index].depth
    }

    // MARK: - Keys

    public mutating func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        if let table = tablePage {
            loadTable(table.top)
            return
        }
        if page == .ledger { return }
        let first = rows.first
        load(first.map { .from($0.cursor(order)) } ?? .first)
    }

    public mutating func settle() {
        guard searchPending else { return }
        searchPending = false
        searchLoads += 1
        reloadFromTop()
    }

    /// The page's table again from its first row (a new search, a filter).
    mutating func reloadFromTop() {
        if page == .ledger {
            loadStatement()
        } else if tablePage != nil {
            tablePage!.selectedIndex = 0
            loadTable(.first)
        } else {
            selected = 0
            load(.first)
        }
    }

    public mutating func update(_ key: Key) -> Effect {
        if key == .resize { return .none }
        if searchPending && !(searching && isSearchEdit(key)) { settle() }
        if case .mouse(let event) = key {
            // A let-go button only ends a drag, in the template builder; elsewhere a click is its press.
            if event.kind == .release { guard case .blocks? = overlay else { return .none } }
            return mouse(event)
        }
        if overlay != nil { return updateOverlay(key) }
        message = nil
        if searching { return updateSearch(key) }
        if page == .dashboard, let effect = updateDashboard(key) { return effect }
        guard let action = keymap.action(for: key, in: .browser) else {
            // Typing a letter in the table starts a search with it.
            if focus == .accounts, page != .ledger, page != .dashboard, case .char(let c) = key, c.isLetter || c.isNumber {
                searching = true
                return updateSearch(key)
            }
            return .none
        }
        return perform(action)
    }

    /// Others' changes are looked for twice a second.
    public var pollInterval: Int? { 500 }

    /// Another session wrote to the file: the page, the counts and the history
    /// are read again, the cursor staying on the same account. Not under an
    /// open dialog or menu (what it shows stays as it was opened).
    public mutating func idle() -> Effect {
        let crm = self.crm
        guard overlay == nil, !searchPending, let version = attempt(nil, { try crm.dataVersion() }) else { return .none }
        defer { dataVersion = version }
        if syncState == nil { refreshSyncStatus() }
        if remindersCheckedAt.map({ crm.store.now - $0 >= Self.reminderInterval }) ?? true { checkReminders() }
        guard let seen = dataVersion, seen != version else { return .none }
        externalReloads += 1
        reloadPage()
        checkLeads()
        refreshSyncStatus()
        return .none
    }

    /// How often (milliseconds) the page looks for reminders that fell due.
    static let reminderInterval: Int64 = 15_000

    /// Pops up the user's reminders that are due (not over an open dialog).
    mutating func checkReminders() {
        let (crm, actor) = (self.crm, self.actor)
        let now = crm.store.now
        remindersCheckedAt = now
        guard overlay == nil else { return }
        let due = attempt([]) { try crm.reminders(due: true, for: actor) }
            .filter { item in remindersLater[item.uuid].map { now >= $0 } ?? true }
        guard !due.isEmpty else { return }
        overlay = .reminders(ReminderView(due: due))
    }

    public mutating func tick() -> Effect {
        tickSync()
        if let job = indexJob {
            indexProgress = job.progress
            if let outcome = job.outcome {
                indexJob = nil
                indexProgress = nil
                if case .failure(let error) = outcome { message = describe(error) }
                if searchText != nil && tablePage == nil { selected = 0; load(.first) }
            }
        }
        guard case .progress(let job) = overlay, let outcome = job.outcome else { return .none }
        overlay = nil
        switch outcome {
        case .success(let text): message = text.text(language)
        case .failure(let error): message = describe(error)
        }
        marked = [:]
        reloadPage()
        return .none
    }

    /// After a change (ours or another session's): the shown page again, on the same row.
    mutating func reloadPage() {
        switch page {
        case .accounts: reloadAfterChange(keeping: selectedAccount)
        case .items: reloadItems()
        case .products: reloadProducts()
        case .invoices: reloadInvoices()
        case .ledger: reloadLedger()
        case .dashboard: reloadDashboard()
        }
    }

    private mutating func updateSearch(_ key: Key) -> Effect {
        switch key {
        case .enter, .down:
            searching = false
            focus = .accounts
        case .tab:
            // Tab in the search box: the selected folder, or every account.
            guard tablePage == nil else { break }
            searchEverywhere.toggle()
            if searchText != nil { searchPending = true }
        case .escape:
            searching = false
            search = TextField()
            reloadFromTop()
        default:
            let before = search.text
            if key == .backspace && before.isEmpty { searching = false; return .none }
            _ = search.handle(key)
            // The rows load when no other key is waiting (settle): a quicker
            // next keystroke makes this query unnecessary.
            if search.text != before { searchPending = true }
        }
        return .none
    }

    private func isSearchEdit(_ key: Key) -> Bool {
        switch key {
        case .enter, .down, .escape, .tab: return false
        default: return true
        }
    }

    /// Starts filling the search index in the background when it is not complete
    /// (a bulk-loaded demo, an upgraded file); the status line shows how far it is.
    public mutating func startIndexingIfNeeded() {
        let (crm, limited) = (self.crm, actor.zones != nil)
        guard let state = attempt(nil, { try crm.searchIndexState() }), !state.complete else { return }
        indexProgress = (state.indexed, state.total)
        indexJob = Job(title: Localized(ro: "Indexare căutare", en: "Search indexing")) { progress in
            let n = try crm.buildSearchIndex(chunk: 5_000, progress: progress)
            // A user limited to zones is not told the size of the whole base.
            return limited ? Localized(ro: "Căutarea este indexată", en: "The search is indexed")
                : Localized(ro: "\(n) conturi indexate", en: "\(n) accounts indexed")
        }
    }

    /// Runs an action by name, wherever it came from.
    public mutating func perform(_ action: String) -> Effect {
        guard permits(action) else {
            let what = actionText(action)
            message = t("Nu aveți dreptul: \(what); cereți-l unui administrator", "You lack the right: \(what); ask an administrator")
            return .none
        }
        if let effect = performOnLedger(action) { return effect }
        if let effect = performOnDashboard(action) { return effect }
        if let effect = performOnTablePage(action) { return effect }
        switch action {
        case "app.quit": return .quit
        case "page.accounts": openPage(.accounts)
        case "page.opportunities": openPage(.items(.opportunity))
        case "page.activities": openPage(.items(.activity))
        case "page.products": openPage(.products)
        case "page.invoices": openPage(.invoices)
        case "page.ledger": openPage(.ledger)
        case "page.dashboard": openPage(.dashboard)
        case _ where action.hasPrefix("invoice."): performInvoiceAction(action)
        case _ where action.hasPrefix("ledger.") || action.hasPrefix("expense."): performLedgerAction(action)
        case "vat.admin": openVATRates()
        case "company.admin": openCompany()
        case "email.settings": openEmailSettings()
        case "email.send": openSendEmail()
        case "maillist.add": openMailListAdd()
        case "campaigns.open": openCampaigns()
        case "maillists.open": openMailLists()
        case "campaign.templates": openBlockTemplates()
        case "emailtemplates.admin": openEmailTemplates()
        case "series.admin": openSeries()
        case "help.show": overlay = .help(scroll: 0)
        case "menu.open": openMenu(0)
        case "palette.open": overlay = .palette(Palette(hidden: Set(Actions.all.map(\.id).filter { !permits($0) || !offered($0) })))
        case "context.menu": openContextMenu(x: nil, y: nil)
        case "settings.open": openSettings()
        case "theme.next":
            let names = Resources.themeNames
            let next = names[((names.firstIndex(of: appearance.theme) ?? 0) + 1) % names.count]
            return apply(Appearance(theme: next, keymap: appearance.keymap, language: language))
        case "language.toggle":
            return apply(Appearance(theme: appearance.theme, keymap: appearance.keymap, language: language == .ro ? .en : .ro))
        case "focus.next": cycleFocus(1)
        case "focus.previous": cycleFocus(-1)
        case "search.start": searching = true; focus = .accounts
        case "cursor.down": moveCursor(1)
        case "cursor.up": moveCursor(-1)
        case "cursor.page_down": moveCursor(visibleRows)
        case "cursor.page_up": moveCursor(-visibleRows)
        case "cursor.first": moveCursor(Int.min)
        case "cursor.last": moveCursor(Int.max)
        case "tree.collapse":
            if focus == .folders { collapseOrParent() }
            if focus == .accounts { hscroll = max(0, hscroll - 1) }
        case "tree.expand":
            if focus == .folders, let folder = activeFolder { collapsed.remove(folder.id) }
            if focus == .accounts, hscroll < table.columns.count - 2 { hscroll += 1 }
        case "record.open":
            switch focus {
            case .folders: focus = .accounts
            case .accounts: if let account = selectedAccount { openAccount(account, page: 0) }
            case .details:
                if tab == .work { openSelectedWork() } else { _ = perform(tab == .contacts ? "contact.edit" : "record.edit") }
            }
        case "record.add":
            switch focus {
            case .folders: openFolderAdd()
            case .accounts: openNewAccount()
            case .details: _ = perform("contact.add")
            }
        case "record.edit":
            switch focus {
            case .folders: openFolderRename()
            case .accounts: if let account = selectedAccount { openAccount(account, page: 0) }
            case .details where tab == .work && chosenOffer != nil: return perform("offer.edit")
            case .details: perform(tab == .contacts ? "contact.edit" : "record.edit", from: .accounts)
            }
        case "record.delete":
            switch focus {
            case .folders: askDeleteFolder()
            case .accounts: askDeleteAccounts()
            case .details:
                if tab == .contacts { _ = perform("contact.delete") }
                if tab == .work, case .offer(let offer)? = selectedWork { askDeleteOffer(offer) }
            }
        case "record.move": openMoveAccounts()
        case "opportunity.add": openWorkItem(.opportunity)
        case "activity.add": openWorkItem(.activity)
        case "note.add":
            if focus == .details, tab == .work, case .item(let d)? = selectedWork { openNote(item: d) } else { openNote() }
        case "tab.work": tab = .work
        case "notes.list": openNotesList()
        case "offer.add": openOfferEditor()
        case "offer.edit":
            if let offer = chosenOffer { openOfferEditor(editing: offer) } else {
                message = t("Alegeți întâi o ofertă în istoric", "Choose an offer in the history first")
            }
        case "templates.admin": openOfferTemplates()
        case "stages.admin": openStages(.opportunity)
        case "contact.add":
            if let account = selectedAccount { openAccount(account, page: 1, contact: .new) }
        case "contact.edit":
            if let account = selectedAccount, let contact = selectedContact {
                openAccount(account, page: 1, contact: .existing(contact.meta?.uuid.description ?? ""))
            }
        case "contact.delete":
            if let contact = selectedContact {
                overlay = .confirm(Confirm(text: Localized(ro: "Ștergeți persoana de contact «\(contact.name)»? d/n",
                                                           en: "Delete the contact «\(contact.name)»? y/n"),
                                           action: .deleteContact(contact)))
            }
        case "contact.primary":
            if focus == .details || tab == .contacts, let contact = selectedContact {
                let (crm, actor) = (self.crm, self.actor)
                if attempt(false, { try crm.setPrimaryContact(contact.meta!.uuid.description, by: actor); return true }) {
                    message = Localized(ro: "Persoană de contact principală: \(contact.name)",
                                        en: "Primary contact: \(contact.name)").text(language)
                    reloadAfterChange(keeping: selectedAccount)
                }
            }
        case "folder.add": openFolderAdd()
        case "folder.rename": openFolderRename()
        case "folder.move": openFolderMove()
        case "folder.delete": askDeleteFolder()
        case "selection.toggle":
            if focus == .details { return perform("contact.primary") }
            toggleMark(selected)
            if focus == .accounts { moveCursor(1) }
        case "selection.extend_down": extendSelection(1)
        case "selection.extend_up": extendSelection(-1)
        case "selection.clear": marked = [:]; anchor = nil
        case "tab.next": tab = HistoryTab(rawValue: (tab.rawValue + 1) % HistoryTab.allCases.count)!
        case "tab.previous": tab = HistoryTab(rawValue: (tab.rawValue + HistoryTab.allCases.count - 1) % HistoryTab.allCases.count)!
        case "sort.next":
            let sortable = table.visible(allColumns).filter { $0.order != nil }.map(\.id)
            guard !sortable.isEmpty else { break }
            sort(by: sortable[((sortable.firstIndex(of: table.sort) ?? -1) + 1) % sortable.count], descending: false)
        case "sort.reverse": sort(by: table.sort, descending: !table.descending)
        case "table.columns": openColumns()
        case "fields.admin": openFields()
        case "users.admin": openUsers()
        case "forms.admin": openWebForms()
        case "sync.now": startSync()
        case "sync.conflicts": openSyncConflicts()
        case "duplicates.account":
            if let account = selectedAccount {
                let (crm, actor) = (self.crm, self.actor)
                let uuid = account.record.meta!.uuid.description
                if let pairs = attempt(nil, { try crm.duplicates(of: uuid, for: actor) }) {
                    overlay = .duplicates(DuplicatesView(title: Localized(ro: "Identificare duplicate: \(account.record.name)",
                                                                          en: "Possible duplicates: \(account.record.name)"),
                                                         pairs: pairs, total: pairs.count))
                }
            }
        case "duplicates.all":
            let (crm, actor) = (self.crm, self.actor)
            var scan = DuplicateScan()
            scan.limit = 1000
            if let report = attempt(nil, { try crm.duplicateReport(scan, for: actor) }) {
                overlay = .duplicates(DuplicatesView(title: Localized(ro: "Duplicate în toată baza", en: "Duplicates in the whole base"),
                                                     pairs: report.pairs, total: report.total))
            }
        case "duplicates.merge": openMerge()
        case "duplicates.undo": undoMerge()
        case "table.import": openImport()
        case "import.template": openTemplate()
        case "filter.open": openFilter()
        case "filter.saved": openSavedFilters()
        case "filter.clear":
            filter = nil
            filterName = nil
            selected = 0
            load(.first)
        case "table.export": openExport()
        case "tab.contacts": tab = .contacts
        case "tab.changes": tab = .changes
        default: break
        }
        return .none
    }

    /// An action as if the given pane had the focus.
    private mutating func perform(_ action: String, from pane: Pane) {
        let saved = focus
        focus = pane
        _ = perform(action)
        if overlay == nil { focus = saved }
    }

    private mutating func cycleFocus(_ delta: Int) {
        let panes = Pane.allCases
        focus = panes[(panes.firstIndex(of: focus)! + delta + panes.count) % panes.count]
    }

    // MARK: - Moving

    mutating func moveCursor(_ delta: Int) {
        switch focus {
        case .folders: moveFolder(by: delta)
        case .details:
            func moved(_ index: Int, _ count: Int) -> Int {
                max(0, min(count - 1, delta == Int.min ? 0 : delta == Int.max ? count - 1 : index + delta))
            }
            if tab == .contacts, !contacts.isEmpty { contactIndex = moved(contactIndex, contacts.count) }
            if tab == .work, !work.isEmpty { workIndex = moved(workIndex, work.count) }
            if tab == .ledger, let lines = clientStatement?.lines, !lines.isEmpty { statementIndex = moved(statementIndex, lines.count) }
        case .accounts:
            anchor = nil
            if delta == Int.min { refreshCount() }
            moveWindow { w, height, fetch, cursor in try w.move(delta, height: height, fetch: fetch, cursor: cursor) }
            refreshHistory()
        }
    }

    private mutating func moveFolder(by delta: Int) {
        let visible = visibleFolders
        guard let at = visible.firstIndex(of: folderIndex) ?? visible.first.map({ _ in 0 }) else { return }
        let step = delta == Int.min ? -visible.count : delta == Int.max ? visible.count : delta
        let target = visible[min(max(0, at + step), visible.count - 1)]
        selectFolder(target)
    }

    mutating func selectFolder(_ index: Int) {
        guard index != folderIndex, folders.indices.contains(index) else { return }
        folderIndex = index
        selected = 0
        load(.first)
    }

    private mutating func collapseOrParent() {
        guard let folder = activeFolder else { return }
        if hasChildren(folderIndex) && !collapsed.contains(folder.id) { collapsed.insert(folder.id); return }
        if let parent = folders[..<folderIndex].lastIndex(where: { $0.depth < folder.depth }) { selectFolder(parent) }
    }

    private mutating func moveDown() {
        moveWindow { w, height, fetch, cursor in try w.down(height: height, fetch: fetch, cursor: cursor) }
    }

    private mutating func moveUp() {
        moveWindow { w, height, fetch, cursor in try w.up(height: height, fetch: fetch, cursor: cursor) }
    }

    /// Moves the table's window of rows, reading pages of the view as needed;
    /// a failed read leaves its message in the status line.
    private mutating func moveWindow(_ body: (inout KeysetWindow<AccountDetails>, Int, KeysetWindow<AccountDetails>.Fetch,
                                              (AccountDetails) -> PageCursor) throws -> Void) {
        let (crm, actor, view, order, active) = (self.crm, self.actor, self.view, self.order, activeFolder != nil)
        var w = window
        do {
            try body(&w, visibleRows, { position, limit in
                active ? try crm.accounts(view, at: position, limit: limit, for: actor).accounts : []
            }, { $0.cursor(order) })
        } catch {
            message = describe(error)
        }
        window = w
    }

    /// Loads the page at a position (the first one counts the view again).
    mutating func load(_ position: PagePosition) {
        if position == .first { refreshCount() }
        moveWindow { w, height, fetch, cursor in try w.load(position, height: height, fetch: fetch, cursor: cursor) }
        refreshHistory()
    }

    /// What the table shows: the folder, the search, the order — the view the
    /// counts and exports use too.
    public var view: AccountView {
        AccountView(folder: searchEverywhere && searchText != nil ? nil : activeFolder?.path, search: searchText, order: order,
                    filters: filter.map { [$0] } ?? [])
    }

    mutating func refreshHistory() {
        guard let account = selectedAccount, let uuid = account.record.meta?.uuid else {
            history = []
            contacts = []
            work = []
            clientStatement = nil
            return
        }
        let (crm, actor) = (self.crm, self.actor)
        history = attempt([]) { try crm.history(of: uuid, for: actor) }
        contacts = attempt([]) { try crm.contacts(ofAccount: uuid.description, for: actor) }
        contactIndex = min(contactIndex, max(0, contacts.count - 1))
        work = attempt([]) { try Self.workEntries(crm, actor, account: uuid.description) }
        workIndex = min(workIndex, max(0, work.count - 1))
        clientStatement = nil
        if tab == .ledger { loadClientStatement() }
    }

    /// After a change: fresh counts, and the page that starts at the given account.
    mutating func reloadAfterChange(keeping account: AccountDetails?, uuid: String? = nil) {
        let (crm, actor) = (self.crm, self.actor)
        let folderID = activeFolder?.id
        folders = attempt(folders) { try crm.folderTree(for: actor) }
        folderIndex = folders.firstIndex { $0.id == folderID } ?? 0
        let target = uuid ?? account?.record.meta?.uuid.description
        let fresh = target.flatMap { ref in attempt(nil) { try crm.account(ref, for: actor) } }
        if let fresh {
            // The page stays where it was if the account is on it; else it starts there.
            load(.from((rows.first ?? fresh).cursor(order)))
            if let index = rows.firstIndex(where: { $0.record.meta?.uuid == fresh.record.meta?.uuid }) {
                selected = index
            } else {
                load(.from(fresh.cursor(order)))
                selected = 0
            }
        } else {
            load(rows.first.map { .from($0.cursor) } ?? .first)
        }
        refreshHistory()
    }

    /// Orders the table by a column (saved with the user's table settings); the
    /// selected account stays selected.
    mutating func sort(by column: String, descending: Bool) {
        guard let sortable = allColumns.first(where: { $0.id == column }), sortable.order != nil else { return }
        table.sort = column
        table.descending = descending
        let (crm, actor, order) = (self.crm, self.actor, self.order)
        attempt(()) { try crm.prepare(order, for: actor) }
        saveTable()
        let keep = selectedAccount
        selected = 0
        load(keep.map { .from($0.cursor(order)) } ?? .first)
        message = t("Ordonat după \(sortable.label.text(language))", "Sorted by \(sortable.label.text(language))") + (descending ? " ↓" : " ↑")
    }

    /// The count of a narrowed view (a search or a filter), for the status line.
    mutating func refreshCount() {
        guard searchText != nil || filter != nil else { viewCount = nil; return }
        let (crm, actor, view) = (self.crm, self.actor, self.view)
        viewCount = attempt(nil) { try crm.count(view, cap: Self.countCap, for: actor) }
    }

    mutating func saveTable() {
        let (crm, actor, table) = (self.crm, self.actor, self.table)
        let columns = allColumns
        attempt(()) { try crm.saveTableSettings(AccountTable.kind, table, columns: columns, by: actor) }
    }

    // MARK: - Selection

    private mutating func toggleMark(_ index: Int) {
        guard rows.indices.contains(index), let uuid = rows[index].record.meta?.uuid.description else { return }
        if marked.removeValue(forKey: uuid) == nil { marked[uuid] = rows[index] }
    }

    private mutating func extendSelection(_ delta: Int) {
        guard focus == .accounts, let current = selectedAccount?.record.meta?.uuid.description else { return }
        if anchor == nil { anchor = 0; marked[current] = selectedAccount }
        let before = selectedAccount?.record.meta?.uuid
        if delta > 0 { moveDown() } else { moveUp() }
        anchor = 0
        guard let now = selectedAccount, now.record.meta?.uuid != before, let uuid = now.record.meta?.uuid.description else { return }
        if marked[uuid] != nil, let previous = before?.description, marked[previous] != nil {
            // Moving back over the selection shrinks it.
            marked[previous] = nil
        } else {
            marked[uuid] = now
        }
        refreshHistory()
    }

    // MARK: - Helpers

    /// A core call's result, or `fallback` with the error shown in the status line.
    mutating func attempt<T>(_ fallback: T, _ body: () throws -> T) -> T {
        do { return try body() } catch { message = describe(error) }
        return fallback
    }

    func describe(_ error: Error) -> String {
        if let e = error as? CoreError { return e.message(language) }
        if let e = error as? StoreError { return CoreError.store(e).message(language) }
        return "\(error)"
    }

    func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }

    /// Whether the user may run an action (rights, subscriptions, administration).
    func permits(_ action: String) -> Bool {
        guard var (needed, module) = Actions.requirement(action) else { return true }
        // On a module page the table's own actions need the rights of its module.
        if let table = tablePage, ["record.add", "record.edit", "record.delete", "table.export", "table.import", "import.template"].contains(action) {
            module = table.module
            if action == "record.edit" { needed = .edit }
        }
        return (try? crm.policy.authorize(actor, needed, module)) != nil
    }

    /// Whether the shown page offers an action at all (Clienți's own ones are not offered elsewhere).
    func offered(_ action: String) -> Bool { !notOffered.contains(action) }

    /// Saves and applies new settings: the key map and language at once, the
    /// theme through the loop.
    mutating func apply(_ new: Appearance) -> Effect {
        let (crm, actor) = (self.crm, self.actor)
        let old = appearance
        appearance = new
        attempt(()) {
            if new.theme != old.theme { try crm.setSetting("theme", to: new.theme, by: actor) }
            if new.keymap != old.keymap { try crm.setSetting("keymap", to: new.keymap, by: actor) }
            if new.language != old.language { try crm.setSetting("language", to: new.language.rawValue, by: actor) }
        }
        if new.keymap != old.keymap, let resources {
            let (map, problems) = resources.keymap(named: new.keymap)
            keymap = map
            if let first = problems.first { message = first }
        }
        guard new.theme != old.theme, let resources else { return .none }
        let name = new.theme
        if let theme = attempt(nil, { try resources.theme(named: name) }) {
            message = message ?? t("Tema: \(name)", "Theme: \(name)")
            return .theme(theme)
        }
        return .none
    }
}

/// Where each part of the page is, for drawing and for the mouse.
struct Layout {
    let width: Int
    let height: Int
    let tree: Rect
    let table: Rect
    let details: Rect
    /// True when the history pane sits to the right of the table.
    let side: Bool
    var footerRow: Int { height - 2 }
    var statusRow: Int { height - 1 }

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        let top = 1, paneHeight = max(1, height - 3)
        let left = min(32, width / 4)
        tree = Rect(x: 0, y: top, width: left, height: paneHeight)
        side = width >= 120
        if side {
            let right = width / 3
            table = Rect(x: left + 1, y: top, width: width - left - right - 2, height: paneHeight)
            details = Rect(x: width - right, y: top, width: right, height: paneHeight)
        } else {
            let tableHeight = max(4, paneHeight * 3 / 5)
            table = Rect(x: left + 1, y: top, width: width - left - 1, height: tableHeight)
            details = Rect(x: left + 1, y: top + tableHeight + 1, width: width - left - 1, height: paneHeight - tableHeight - 1)
        }
    }
}
