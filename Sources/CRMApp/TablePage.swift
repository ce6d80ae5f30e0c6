import CRMCore
import CRMDocuments
import CRMStore
import TUIKit

/// A module page whose middle pane is a table on the shared engine — the
/// Oportunități, Activități and Produse pages. What the window does with any of
/// them (keyset paging, the footer search, filters and saved filters, columns,
/// sort, export, the right each action needs) it does through this, whatever
/// the page's rows; each page adds its own left and right panes.
protocol TablePage: Sendable {
    associatedtype Row: Sendable
    associatedtype Order: TableOrder

    var columns: [TableColumn<Row, Order>] { get set }
    var table: TableSettings { get set }
    var window: KeysetWindow<Row> { get set }
    /// How many columns (after the pinned one) the table is scrolled sideways.
    var hscroll: Int { get set }
    var filter: Filter? { get set }
    var filterName: String? { get set }
    /// How many rows a search or filter leaves (up to AccountBrowser.countCap).
    var viewCount: Int? { get set }
    /// Whether something beyond the search narrows the rows (a filter, the dashboard's narrowing): they are counted.
    var narrowed: Bool { get }
    var tableKind: TableKind { get }
    /// The module whose rights the table's own actions (add, change, delete, export, import) need.
    var module: Module { get }
    /// The entity whose custom columns Setări tabel shows (nil: the table has none).
    var fieldsEntity: String? { get }

    /// A page of the rows the table shows with a search, at a position.
    func rows(_ crm: CRM, _ actor: Actor, search: String?, at position: PagePosition, limit: Int) throws -> [Row]
    /// How many rows the table shows with a search (up to `cap`).
    func count(_ crm: CRM, _ actor: Actor, search: String?, cap: Int) throws -> Int
    /// Where a row is in the table's order.
    func cursor(_ row: Row, _ order: Order) -> PageCursor
    func uuid(of row: Row) -> String
    /// Where the row a UUID names is in the table's order, read afresh (nil: it is gone).
    func position(of uuid: String, crm: CRM, actor: Actor) -> PagePosition?
    /// The export of what the table shows with a search, as long work; nil when
    /// the file's name is not one the page writes.
    func exportJob(to path: String, search: String?, excelBOM: Bool, crm: CRM, actor: Actor, language: Language) -> Job?
    /// What the export's file may be called.
    var exportFormats: Localized { get }
}

extension TablePage {
    var narrowed: Bool { filter != nil }
}

extension TablePage {
    var order: Order { table.order(columns) }
    var grid: TableGrid<Row, Order> { TableGrid(columns: columns, settings: table, hscroll: hscroll) }
    var selectedRow: Row? { window.current }
    var rowCount: Int { window.rows.count }
    var selectedIndex: Int {
        get { window.selected }
        set { window.selected = newValue }
    }
    var columnChoices: [(id: String, label: Localized)] { columns.map { ($0.id, $0.label) } }
    var exportFormats: Localized { Localized(ro: "Numele fișierului se termină cu .xlsx sau .csv", en: "The file name ends in .xlsx or .csv") }

    /// Where the first row on screen is (for reading the same page again), nil on an empty table.
    var top: PagePosition { window.rows.first.map { .from(cursor($0, order)) } ?? .first }

    /// Selects the row a UUID names when it is on screen.
    mutating func select(_ uuid: String) -> Bool {
        guard let index = window.rows.firstIndex(where: { self.uuid(of: $0) == uuid }) else { return false }
        window.selected = index
        return true
    }

    /// Checks a filter against the table's columns (the core's message when it does not fit).
    func check(_ filter: Filter) throws { _ = try filter.sql(columns: columns) }

    func columnsDialog(_ language: Language) -> ColumnsDialog { ColumnsDialog(settings: table, columns: columns, language: language) }

    /// The id of the column drawn at `x` (relative to a table `width` wide), for a click on the header.
    func columnID(atX x: Int, width: Int) -> String? {
        grid.layout(width: width).first { x >= $0.x && x < $0.x + $0.width }?.column.id
    }

    /// Reads the rows at a position; the first page counts a narrowed view again.
    mutating func load(_ position: PagePosition, crm: CRM, actor: Actor, search: String?, height: Int) throws {
        if position == .first {
            viewCount = search != nil || narrowed ? try count(crm, actor, search: search, cap: AccountBrowser.countCap) : nil
        }
        let page = self
        try window.load(position, height: height, fetch: { try page.rows(crm, actor, search: search, at: $0, limit: $1) },
                        cursor: { page.cursor($0, page.order) })
    }

    /// Moves the selection (Int.min, Int.max: the first, the last row), reading rows as needed.
    mutating func move(_ delta: Int, crm: CRM, actor: Actor, search: String?, height: Int) throws {
        let page = self
        try window.move(delta, height: height, fetch: { try page.rows(crm, actor, search: search, at: $0, limit: $1) },
                        cursor: { page.cursor($0, page.order) })
    }

    /// Orders the table by a sortable column, keeping the selected row in view;
    /// the column's label, nil when the column does not sort.
    mutating func sort(by id: String, descending: Bool, crm: CRM, actor: Actor, search: String?, height: Int) throws -> Localized? {
        guard let column = columns.first(where: { $0.id == id }), column.order != nil else { return nil }
        table.sort = id
        table.descending = descending
        let keep = selectedRow
        window.selected = 0
        try load(.first, crm: crm, actor: actor, search: search, height: height)
        if let keep { try load(.from(cursor(keep, order)), crm: crm, actor: actor, search: search, height: height) }
        try saveSettings(crm, actor)
        return column.label
    }

    /// Keeps the user's settings for the table (columns, widths, pinned, sort).
    func saveSettings(_ crm: CRM, _ actor: Actor) throws {
        try crm.saveTableSettings(tableKind, table, columns: columns, by: actor)
    }

    /// The next sortable shown column after the one the table is sorted by.
    var nextSortColumn: String? {
        let sortable = table.visible(columns).filter { $0.order != nil }.map(\.id)
        guard !sortable.isEmpty else { return nil }
        return sortable[((sortable.firstIndex(of: table.sort) ?? -1) + 1) % sortable.count]
    }

    /// Scrolls the table sideways by one column.
    mutating func scroll(_ delta: Int) {
        hscroll = max(0, min(max(0, table.columns.count - 2), hscroll + delta))
    }

    /// The columns again (custom columns changed), the user's settings fitted to them.
    mutating func refit(_ fresh: [TableColumn<Row, Order>]) {
        columns = fresh
        table = table.fitted(to: fresh, defaults: tableKind.defaults)
    }

    /// The status line's first part: how many the view shows of how many.
    func counted(_ total: Int, _ noun: String, language: Language) -> String {
        (viewCount.map { ($0 >= AccountBrowser.countCap ? "\(AccountBrowser.countCap - 1)+" : "\($0)") + " " + (language == .ro ? "din" : "of") + " " }
            ?? "") + "\(total) " + noun
    }

    /// The status line's filter part.
    func filterSummary(_ language: Language) -> String? {
        filter.map { (language == .ro ? "filtru " : "filter ") + (filterName.map { "«\($0)»: " } ?? "") + $0.summary(columns: columns, language: language) }
    }
}
