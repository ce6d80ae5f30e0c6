import GRDB

/// The order of an opportunity or activity list: a column and a direction,
/// ties broken by id (in the same direction). Every column is read through an
/// index on (kind, value, id), an empty value first, as the accounts table's
/// columns are; `created` walks the ids themselves.
public struct WorkItemOrder: Sendable, Hashable {
    public enum Column: String, Sendable, CaseIterable { case created, amount, due, close, reminder }

    public var column: Column
    public var descending: Bool

    public init(_ column: Column = .created, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }

    /// The newest first: what a list shows until someone sorts it.
    public static let newest = WorkItemOrder(.created, descending: true)

    /// The value ordered by, over the `w` row (the expressions of schema v6's indexes).
    var expression: String {
        switch column {
        case .created: return "w.id"
        case .amount: return "ifnull(w.amount, -1)"
        case .due: return "ifnull(w.due_date, '')"
        case .close: return "ifnull(w.close_date, '')"
        case .reminder: return "ifnull(w.reminder_at, 0)"
        }
    }

    /// The value an item is ordered by.
    public func value(of item: WorkItemRecord) -> Value {
        switch column {
        case .created: return .int(item.meta?.id ?? 0)
        case .amount: return .int(item.amount ?? -1)
        case .due: return .text(item.dueDate ?? "")
        case .close: return .text(item.closeDate ?? "")
        case .reminder: return .int(item.reminderAt ?? 0)
        }
    }

    /// Where a page that starts at this item begins.
    public func cursor(_ item: WorkItemRecord) -> PageCursor { PageCursor(value: value(of: item), id: item.meta?.id ?? 0) }
}

/// Which opportunities or activities a list shows.
public struct WorkItemQuery: Sendable, Equatable {
    public var kind: String
    public var accountID: Int64?
    public var stageIDs: [Int64]?
    public var ownerID: Int64?
    /// Folded words that must all be in the details or the account's name.
    public var words: [String]
    /// Further conditions over the `w` (item) and `a` (account) rows: a filter as the core compiles it.
    public var conditions: [SQLCondition]

    public init(kind: String, accountID: Int64? = nil, stageIDs: [Int64]? = nil, ownerID: Int64? = nil, words: [String] = [],
                conditions: [SQLCondition] = []) {
        self.kind = kind
        self.accountID = accountID
        self.stageIDs = stageIDs
        self.ownerID = ownerID
        self.words = words
        self.conditions = conditions
    }
}

extension Reader {
    /// A query's WHERE conditions, the zones this transaction's user sees included.
    private func workItemConditions(_ query: WorkItemQuery, order: WorkItemOrder?) -> ([String], [Value]) {
        // Newest first without stages: walking the table backwards by id beats
        // the kind's index, which would sort every item of the kind first.
        let walkIDs = order?.column == .created && query.stageIDs == nil && query.accountID == nil
        var conditions = [walkIDs ? "+w.kind = ?" : "w.kind = ?"]
        var args: [Value] = [.text(query.kind)]
        if let id = query.accountID { conditions.append("w.account_id = ?"); args.append(.int(id)) }
        if let ids = query.stageIDs {
            conditions.append(ids.count == 1 ? "w.stage_id = \(ids[0])" : "w.stage_id IN (\(ids.map(String.init).joined(separator: ",")))")
        }
        if let id = query.ownerID { conditions.append("w.owner_id = ?"); args.append(.int(id)) }
        for word in query.words {
            conditions.append("(crm_fold(coalesce(w.details, '')) LIKE ? ESCAPE '\\' OR crm_fold(a.name) LIKE ? ESCAPE '\\')")
            args += [Self.contains(word), Self.contains(word)]
        }
        for c in query.conditions {
            conditions.append("(" + c.sql + ")")
            args += c.args
        }
        // The item's copy of its account's zone (schema v6) spares reading the account.
        if let zone = zoneCondition("w", viaIndex: false) { conditions.append(zone) }
        return (conditions, args)
    }

    /// A keyset page of the opportunities or activities a query selects, in an
    /// order, of the accounts this transaction's user sees: every page costs the
    /// same however deep it is. The rows come in the list's order whichever way
    /// the page was read.
    public func workItemsPage(_ query: WorkItemQuery, at position: PagePosition = .first, limit: Int,
                              order: WorkItemOrder = .newest) throws -> [WorkItemRecord] {
        var (conditions, args) = workItemConditions(query, order: order)
        let key = order.expression
        let start = KeysetStart(position, key: key, id: "w.id", descending: order.descending)
        if let condition = start.condition { conditions.append(condition); args += start.args }
        let direction = start.direction(descending: order.descending)
        let orderBy = order.column == .created ? "w.id \(direction)" : "\(key) \(direction), w.id \(direction)"
        let sql = "SELECT w.* FROM work_item w JOIN account a ON a.id = w.account_id WHERE "
            + conditions.joined(separator: " AND ") + " ORDER BY \(orderBy)" + (limit > 0 ? " LIMIT \(limit)" : "")
        let rows = try fetchRecords(WorkItemRecord.self, sql: sql, args)
        return start.backwards ? rows.reversed() : rows
    }

    /// Streams the items a query selects, in an order, as the values of SQL
    /// expressions over the `w` and `a` rows, without building records: the
    /// path exports take. `body` returns false to stop.
    public func forEachWorkItemRow(_ query: WorkItemQuery, order: WorkItemOrder, select expressions: [String],
                                   _ body: ([Value]) throws -> Bool) throws {
        let (conditions, args) = workItemConditions(query, order: order)
        let direction = order.descending ? "DESC" : "ASC"
        let sql = "SELECT \(expressions.joined(separator: ", ")) FROM work_item w JOIN account a ON a.id = w.account_id WHERE "
            + conditions.joined(separator: " AND ") + " ORDER BY \(order.expression) \(direction), w.id \(direction)"
        try streamRows(sql, args, columns: expressions.count, body)
    }

    /// How many items a query selects; with `cap`, counting stops there.
    public func countWorkItems(_ query: WorkItemQuery, cap: Int? = nil) throws -> Int {
        let (conditions, args) = workItemConditions(query, order: nil)
        let inner = "SELECT 1 FROM work_item w JOIN account a ON a.id = w.account_id WHERE " + conditions.joined(separator: " AND ")
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(inner)\(cap.map { " LIMIT \($0)" } ?? ""))", arguments: arguments(args)) ?? 0
    }

    /// How many items of a kind each stage holds, of the accounts this
    /// transaction's user sees, read from an index alone: (kind, stage), or
    /// (kind, zone, stage) for a user limited to zones.
    public func workItemStageCounts(kind: String) throws -> [Int64: Int] {
        // The (kind, stage) index holds the answer in its order; the planner, left
        // to itself, may pick another index of the kind and sort.
        let sql = zoneCondition("work_item").map {
            "SELECT stage_id, count(*) FROM work_item INDEXED BY work_item_zone_stage WHERE kind = ? AND \($0) GROUP BY stage_id"
        } ?? "SELECT stage_id, count(*) FROM work_item INDEXED BY work_item_kind_stage WHERE kind = ? GROUP BY stage_id"
        var out: [Int64: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: [kind]) { out[row[0]] = row[1] }
        return out
    }

    /// A LIKE pattern that finds `word` anywhere, its % _ and \ taken as
    /// themselves (with ESCAPE '\').
    static func contains(_ word: String) -> Value {
        let literal = word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return .text("%" + literal + "%")
    }

    /// Reminders not yet dismissed, of one user (or everyone's), due by `until`
    /// (nil: all of them), in time order, of the accounts this user sees.
    public func pendingReminders(ownerID: Int64?, until: Int64?) throws -> [WorkItemRecord] {
        var conditions = ["w.reminder_done = 0", "w.reminder_at IS NOT NULL"]
        var args: [Value] = []
        if let ownerID { conditions.append("w.owner_id = ?"); args.append(.int(ownerID)) }
        if let until { conditions.append("w.reminder_at <= ?"); args.append(.int(until)) }
        if let zone = zoneCondition("a") { conditions.append(zone) }
        let sql = "SELECT w.* FROM work_item w JOIN account a ON a.id = w.account_id WHERE "
            + conditions.joined(separator: " AND ") + " ORDER BY w.reminder_at, w.id"
        return try fetchRecords(WorkItemRecord.self, sql: sql, args)
    }

    /// The notes of an account (all of them, its items' too) or of one item,
    /// newest first.
    public func notes(accountID: Int64?, itemID: Int64?, words: [String] = [], type: String? = nil, limit: Int) throws -> [NoteRecord] {
        var conditions: [String] = []
        var args: [Value] = []
        // Every word in the text, the account's name or a file's name, diacritics and case aside.
        for word in words {
            conditions.append("""
                (crm_fold(n.text) LIKE ? ESCAPE '\\' OR crm_fold(a.name) LIKE ? ESCAPE '\\'
                 OR EXISTS (SELECT 1 FROM note_file f WHERE f.note_id = n.id AND crm_fold(f.name) LIKE ? ESCAPE '\\'))
                """)
            // % and _ typed are letters like any other.
            let pattern = Self.contains(word)
            args += [pattern, pattern, pattern]
        }
        if let type { conditions.append("n.type = ?"); args.append(.text(type)) }
        if let accountID { conditions.append("n.account_id = ?"); args.append(.int(accountID)) }
        if let itemID { conditions.append("n.item_id = ?"); args.append(.int(itemID)) }
        if let zone = zoneCondition("a") { conditions.append(zone) }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try fetchRecords(NoteRecord.self, sql: "SELECT n.* FROM note n JOIN account a ON a.id = n.account_id\(clause) ORDER BY n.id DESC"
                                + (limit > 0 ? " LIMIT \(limit)" : ""), args)
    }

    /// The files attached to these notes (without their contents), by note.
    public func noteFiles(noteIDs: [Int64]) throws -> [Int64: [(file: NoteFileRecord, size: Int64, hash: String)]] {
        guard !noteIDs.isEmpty else { return [:] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT f.id, b.size, b.hash FROM note_file f JOIN file_blob b ON b.id = f.blob_id
            WHERE f.note_id IN (\(noteIDs.map(String.init).joined(separator: ","))) ORDER BY f.id
            """)
        let files = try fetchRecords(NoteFileRecord.self, sql: """
            SELECT * FROM note_file WHERE note_id IN (\(noteIDs.map(String.init).joined(separator: ","))) ORDER BY id
            """, [])
        var sizes: [Int64: (Int64, String)] = [:]
        for row in rows { sizes[row[0]] = (row[1], row[2]) }
        var out: [Int64: [(file: NoteFileRecord, size: Int64, hash: String)]] = [:]
        for file in files {
            let (size, hash) = sizes[file.meta!.id] ?? (0, "")
            out[file.noteID, default: []].append((file, size, hash))
        }
        return out
    }

    /// The ids of the items of a kind whose custom value for `key` equals `value` (unique custom columns).
    public func workItemIDs(kind: String, customKey key: String, equals value: Value, limit: Int = 2) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM work_item WHERE kind = ? AND json_extract(custom, '$.' || ?) = ? LIMIT \(limit)",
                           arguments: arguments([.text(kind), .text("\"\(key)\""), value]))
    }

    /// How many opportunities or activities the accounts this user sees have.
    public func countWorkItems(kind: String) throws -> Int {
        let zone = zoneCondition("a").map { " AND " + $0 } ?? ""
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM work_item w JOIN account a ON a.id = w.account_id WHERE w.kind = ?\(zone)",
                                arguments: [kind]) ?? 0
    }

    /// The id of the stored content with this hash, if any.
    public func blobID(hash: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM file_blob WHERE hash = ?"), arguments: [hash])
    }
}

extension Reader {
    /// Offers newest first, of the accounts this transaction's user sees, with
    /// further conditions over `o` (offer) and `w` (its opportunity).
    public func offers(conditions: [String], _ args: [Value], limit: Int) throws -> [OfferRecord] {
        var all = conditions
        if let zone = zoneCondition("w") { all.append(zone) }
        let clause = all.isEmpty ? "" : " WHERE " + all.joined(separator: " AND ")
        return try fetchRecords(OfferRecord.self, sql: "SELECT o.* FROM offer o JOIN work_item w ON w.id = o.item_id\(clause) ORDER BY o.id DESC"
                                + (limit > 0 ? " LIMIT \(limit)" : ""), args)
    }
}

extension Reader {
    /// The last number given in an offer series (0 before the first).
    public func lastOfferNumber(series: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(number) FROM offer WHERE series = ?", arguments: [series]) ?? 0
    }
}
