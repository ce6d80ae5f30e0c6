import CRMStore
import CRMText
import Foundation

extension WorkItemOrder: TableOrder {
    public static var natural: WorkItemOrder { .newest }
}

/// A column of the Oportunități or Activități table.
public typealias WorkItemColumn = TableColumn<WorkItemDetails, WorkItemOrder>

/// The Oportunități and Activități tables: the account, the item's own fields,
/// the bookkeeping dates, then the kind's custom columns. The SQL of each
/// column reads the `w` (item) and `a` (account) rows.
public enum WorkItemTable {
    public static func kind(_ kind: WorkItemKind) -> TableKind {
        switch kind {
        case .opportunity:
            return TableKind(name: "opportunities", defaults: TableSettings(
                columns: ["account", "stage", "owner", "amount", "currency", "due", "close", "reminder", "details"],
                sort: "created", descending: true))
        case .activity:
            return TableKind(name: "activities", defaults: TableSettings(
                columns: ["account", "stage", "owner", "type", "close", "reminder", "details"], sort: "created", descending: true))
        }
    }

    public static func columns(_ kind: WorkItemKind, custom: [CustomColumnRecord]) -> [WorkItemColumn] {
        @Sendable func day(_ text: String?) -> CellValue { text.map(CellValue.date) ?? .empty }
        func label(_ field: WorkItemField) -> Localized { field.label }
        var out: [WorkItemColumn] = [
            WorkItemColumn(id: "account", label: Localized(ro: "Cont", en: "Account"), width: 28, sql: "a.name") { .text($0.account.name) },
            WorkItemColumn(id: "account_code", label: Localized(ro: "Cod cont", en: "Account code"), width: 10, sql: "a.code") {
                CellValue(text: $0.account.code)
            },
            WorkItemColumn(id: "stage", label: label(.stage), width: 14, sql: "w.stage_id",
                           filterSQL: "(SELECT s.name FROM stage s WHERE s.id = w.stage_id)",
                           decode: { v, l in TableLookups.name(v, in: l.stages) }) { .text($0.stage.name) },
            WorkItemColumn(id: "owner", label: label(.owner), width: 12, sql: "w.owner_id",
                           filterSQL: "(SELECT u.login FROM user u WHERE u.id = w.owner_id)",
                           decode: { v, l in TableLookups.name(v, in: l.users) }) { CellValue(text: $0.owner) },
        ]
        if kind == .activity {
            out.append(WorkItemColumn(id: "type", label: label(.type), width: 10, sql: "w.type") { CellValue(text: $0.record.type) })
        } else {
            out.append(WorkItemColumn(id: "amount", label: label(.amount), type: .money, width: 14, order: WorkItemOrder(.amount), sql: "w.amount",
                                      decode: { v, _ in v.int.map(CellValue.money) ?? .empty }) { $0.record.amount.map(CellValue.money) ?? .empty })
            out.append(WorkItemColumn(id: "currency", label: label(.currency), width: 6, sql: "w.currency") { CellValue(text: $0.record.currency) })
            out.append(WorkItemColumn(id: "due", label: label(.dueDate), type: .date, width: 10, order: WorkItemOrder(.due), sql: "w.due_date",
                                      decode: { v, _ in day(v.text) }) { day($0.record.dueDate) })
        }
        out += [
            WorkItemColumn(id: "close", label: label(.closeDate), type: .date, width: 10, order: WorkItemOrder(.close), sql: "w.close_date",
                           decode: { v, _ in day(v.text) }) { day($0.record.closeDate) },
            WorkItemColumn(id: "reminder", label: label(.reminder), type: .date, width: 20, order: WorkItemOrder(.reminder), sql: "w.reminder_at",
                           filterSQL: "date(w.reminder_at / 1000, 'unixepoch')",
                           decode: { v, _ in CellValue(text: v.int.map { Timestamp.local($0) }) }) { CellValue(text: $0.record.reminderAt.map { Timestamp.local($0) }) },
            WorkItemColumn(id: "details", label: label(.details), width: 36, sql: "w.details") { CellValue(text: $0.record.details) },
            WorkItemColumn(id: "created", label: Localized(ro: "Creat la", en: "Created"), type: .date, width: 10, order: WorkItemOrder(.created),
                           sql: "w.created_at", filterSQL: "date(w.created_at / 1000, 'unixepoch')", decode: { v, _ in TableLookups.day(v) }) { d in
                d.record.meta.map { .date(String(Timestamp.iso($0.createdAt).prefix(10))) } ?? .empty
            },
            WorkItemColumn(id: "updated", label: Localized(ro: "Modificat la", en: "Changed"), type: .date, width: 10,
                           sql: "w.updated_at", filterSQL: "date(w.updated_at / 1000, 'unixepoch')", decode: { v, _ in TableLookups.day(v) }) { d in
                d.record.meta.map { .date(String(Timestamp.iso($0.updatedAt).prefix(10))) } ?? .empty
            },
        ]
        for column in custom where column.entity == kind.rawValue {
            out.append(.custom(column, in: "w.custom", order: nil) { $0.custom })
        }
        return out
    }
}

/// What an opportunity or activity list shows: of an account, in a stage, of
/// an owner (each optional), with words in the details or the account's name,
/// filters, an order. The same view drives the table, its counts and exports.
public struct WorkItemView: Sendable, Equatable {
    public var kind: WorkItemKind
    public var account: String?
    public var stages: [String]
    public var owner: String?
    public var search: String?
    public var filters: [Filter]
    public var order: WorkItemOrder
    /// Only those falling due between these days (YYYY-MM-DD, both included).
    public var dueFrom: String?
    public var dueTo: String?
    /// Only these owners' items (logins; all when empty), only those in open stages.
    public var owners: [String] = []
    public var openOnly = false

    public init(_ kind: WorkItemKind, account: String? = nil, stages: [String] = [], owner: String? = nil, search: String? = nil,
                filters: [Filter] = [], order: WorkItemOrder = .newest, dueFrom: String? = nil, dueTo: String? = nil) {
        self.dueFrom = dueFrom
        self.dueTo = dueTo
        self.kind = kind
        self.account = account
        self.stages = stages
        self.owner = owner
        self.search = search
        self.filters = filters.filter { !$0.criteria.isEmpty }
        self.order = order
    }

    func query(in r: Reader, stages all: [StageRecord]) throws -> WorkItemQuery {
        let stageIDs = try stages.isEmpty ? nil : stages.map { try CRM.stage($0, among: all, kind: kind).meta!.id }
        let accountID = try account.map { try AccountRules.resolve($0, in: r).meta!.id }
        let ownerID = try owner.map { try CRM.user($0, in: r).meta!.id }
        let words = (search ?? "").split(whereSeparator: \.isWhitespace).map { Fold.key(String($0)) }.filter { !$0.isEmpty }
        var conditions: [SQLCondition] = []
        if !filters.isEmpty {
            let columns = WorkItemTable.columns(kind, custom: try r.fetchAll(CustomColumnRecord.self, matching: ["entity": .text(kind.rawValue),
                                                                                                                "retired": .int(0)],
                                                                            orderBy: ["position", "id"]))
            for filter in filters { if let condition = try filter.sql(columns: columns) { conditions.append(condition) } }
        }
        // Through the (kind, ifnull(due_date, ''), id) index; an empty due date is never in a range of days.
        if !owners.isEmpty {
            let ids = try owners.map { try CRM.user($0, in: r).meta!.id }
            conditions.append(SQLCondition("w.owner_id IN (\(ids.map(String.init).joined(separator: ",")))"))
        }
        if openOnly {
            let open = all.filter { $0.kind == kind.rawValue && !$0.isWon && !$0.isLost }.map { String($0.meta!.id) }
            conditions.append(SQLCondition("w.stage_id IN (\(open.joined(separator: ",")))"))
        }
        if let dueFrom { conditions.append(SQLCondition("ifnull(w.due_date, '') >= ?", [.text(dueFrom)])) }
        if let dueTo { conditions.append(SQLCondition("ifnull(w.due_date, '') <= ?", [.text(dueTo)])) }
        return WorkItemQuery(kind: kind.rawValue, accountID: accountID, stageIDs: stageIDs, ownerID: ownerID, words: words,
                             conditions: conditions)
    }
}

extension CRM {
    /// The columns of the Oportunități or Activități table, the kind's custom ones included.
    public func workItemColumns(_ kind: WorkItemKind, for actor: Actor) throws -> [WorkItemColumn] {
        WorkItemTable.columns(kind, custom: try customColumns(entity: kind.rawValue, for: actor))
    }

    /// A keyset page of the items a view shows, in its order.
    public func workItems(_ view: WorkItemView, at position: PagePosition = .first, limit: Int = 50,
                          for actor: Actor) throws -> [WorkItemDetails] {
        try policy.authorize(actor, .view, view.kind.module)
        let stages = try self.stages(view.kind, includingRetired: true)
        return try read(for: actor) { r in
            let records = try r.workItemsPage(try view.query(in: r, stages: stages), at: position, limit: limit, order: view.order)
            return try WorkItemRules.details(records, in: r)
        }
    }

    /// How many items a view shows (with `cap`: no further than that).
    public func count(_ view: WorkItemView, cap: Int? = nil, for actor: Actor) throws -> Int {
        try policy.authorize(actor, .view, view.kind.module)
        let stages = try self.stages(view.kind, includingRetired: true)
        return try read(for: actor) { r in try r.countWorkItems(try view.query(in: r, stages: stages), cap: cap) }
    }

    /// How many items of a kind each stage holds (by stage id), among the accounts the actor sees.
    public func stageCounts(_ kind: WorkItemKind, for actor: Actor) throws -> [Int64: Int] {
        try policy.authorize(actor, .view, kind.module)
        return try read(for: actor) { try $0.workItemStageCounts(kind: kind.rawValue) }
    }

    /// The cells of every item a view shows, for the given columns, in the
    /// view's order, straight from SQL: the export path. `body` returns false to stop.
    public func forEachRow(in view: WorkItemView, columns: [WorkItemColumn], for actor: Actor,
                           _ body: ([CellValue]) throws -> Bool) throws {
        try policy.authorize(actor, .export, view.kind.module)
        let stages = try self.stages(view.kind, includingRetired: true)
        try read(for: actor) { r in
            var decoder = try CellDecoder(columns, in: r)
            try r.forEachWorkItemRow(try view.query(in: r, stages: stages), order: view.order, select: columns.map(\.sql)) { try body(decoder.cells($0)) }
        }
    }
}
