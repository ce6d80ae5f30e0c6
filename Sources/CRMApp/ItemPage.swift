import CRMCore
import CRMDocuments
import CRMStore
import TUIKit

/// The Oportunități or Activități page's own state: the stages on the left (all
/// of them first), the table of items in the middle on the shared engine
/// (columns, pinned first column, sort, filter, search, export), and the
/// selected item's offers, notes and files on the right.
struct ItemPage: TablePage {
    let kind: WorkItemKind
    var columns: [WorkItemColumn]
    var table: TableSettings
    var stages: [StageRecord]
    var stageCounts: [Int64: Int] = [:]
    /// 0: every stage; n: `stages[n - 1]`.
    var stageIndex = 0
    var window = KeysetWindow<WorkItemDetails>()
    var hscroll = 0
    var filter: Filter?
    var filterName: String?
    /// The dashboard's narrowing (a number's rows): an owner and the days items fall due; cleared with the filter.
    var narrowing: Narrowing?

    struct Narrowing: Sendable, Equatable {
        var owners: [String] = []
        var openOnly = false
        var from: String?
        var to: String?
    }
    /// How many items a search or filter leaves (up to AccountBrowser.countCap).
    var viewCount: Int?
    /// The selected item's own history (offers, notes), and the chosen line.
    var history: [WorkEntry] = []
    var historyIndex = 0

    init(kind: WorkItemKind, crm: CRM, actor: Actor) throws {
        self.kind = kind
        columns = try crm.workItemColumns(kind, for: actor)
        table = try crm.tableSettings(WorkItemTable.kind(kind), columns: columns, for: actor)
        stages = try crm.stages(kind, includingRetired: true)
    }

    var tableKind: TableKind { WorkItemTable.kind(kind) }
    var module: Module { kind.module }
    var fieldsEntity: String? { kind.rawValue }
    var narrowed: Bool { filter != nil || narrowing != nil }
    var stage: StageRecord? { stages.indices.contains(stageIndex - 1) ? stages[stageIndex - 1] : nil }
    var selectedItem: WorkItemDetails? { window.current }
    var selectedEntry: WorkEntry? { history.indices.contains(historyIndex) ? history[historyIndex] : nil }

    /// The stages the left pane lists: those in use, and retired ones that still hold items.
    var listedStages: [(index: Int, stage: StageRecord)] {
        stages.enumerated().filter { !$1.retired || (stageCounts[$1.meta!.id] ?? 0) > 0 }.map { ($0 + 1, $1) }
    }

    /// How many items the chosen stage (or every stage) holds.
    var total: Int { stage.map { stageCounts[$0.meta!.id] ?? 0 } ?? stageCounts.values.reduce(0, +) }

    /// What the table shows: the stage, the search, the filter, the order — the
    /// view its counts and exports use too.
    func view(search: String?) -> WorkItemView {
        var view = WorkItemView(kind, stages: stage.map { [$0.name] } ?? [], search: search, filters: filter.map { [$0] } ?? [],
                                order: order, dueFrom: narrowing?.from, dueTo: narrowing?.to)
        view.owners = narrowing?.owners ?? []
        view.openOnly = narrowing?.openOnly ?? false
        return view
    }

    func rows(_ crm: CRM, _ actor: Actor, search: String?, at position: PagePosition, limit: Int) throws -> [WorkItemDetails] {
        try crm.workItems(view(search: search), at: position, limit: limit, for: actor)
    }

    func count(_ crm: CRM, _ actor: Actor, search: String?, cap: Int) throws -> Int {
        try crm.count(view(search: search), cap: cap, for: actor)
    }

    func cursor(_ row: WorkItemDetails, _ order: WorkItemOrder) -> PageCursor { order.cursor(row.record) }
    func uuid(of row: WorkItemDetails) -> String { row.uuid }
    func position(of uuid: String, crm: CRM, actor: Actor) -> PagePosition? {
        (try? crm.workItem(uuid, for: actor)).map { .from(order.cursor($0.record)) }
    }

    func exportJob(to path: String, search: String?, excelBOM: Bool, crm: CRM, actor: Actor, language: Language) -> Job? {
        guard let format = ExportFormat(path: path) else { return nil }
        let (view, columns) = (view(search: search), table.visible(columns))
        return Job(title: Localized(ro: "Export în \(path)", en: "Exporting to \(path)")) { progress in
            let n = try TableExport.workItems(view, columns: columns, format: format, to: path, excelBOM: excelBOM, crm: crm,
                                              actor: actor, language: language, progress: progress)
            return Localized(ro: "\(n) rânduri exportate în \(path)", en: "\(n) rows exported to \(path)")
        }
    }
}
