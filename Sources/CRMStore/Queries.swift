import CRMText
import Foundation
import GRDB

/// Where a keyset page starts: after the row with this sort value and id.
public struct PageCursor: Sendable, Hashable {
    /// The row's value in the list's order (the name's sort key, a code, a city,
    /// a custom column's number…).
    public let value: Value
    public let id: Int64
    public init(value: Value, id: Int64) { self.value = value; self.id = id }
    public init(key: String, id: Int64) { self.init(value: .text(key), id: id) }
    public var key: String { value.text ?? "" }
}

/// The order of an account list: a column and a direction, ties broken by id
/// (in the same direction). Names sort the Romanian way through their stored
/// key and the (folder, name) indexes; the other columns sort by their text, an
/// empty value first, at the cost of reading the folder's rows.
public struct AccountOrder: Sendable, Hashable {
    public enum Column: String, Sendable, CaseIterable {
        case name, code, cui, city, county, phone, mobile, email
    }

    /// A custom column sorted by instead of `column`: its key, and whether its
    /// values are numbers (numbers, money, yes/no) rather than text (text, choices, dates).
    public struct Custom: Sendable, Hashable {
        public let key: String
        public let numeric: Bool
        public init(key: String, numeric: Bool) { self.key = key; self.numeric = numeric }
    }

    public var column: Column
    public var descending: Bool
    public var custom: Custom?

    public init(_ column: Column = .name, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }

    public init(custom: Custom, descending: Bool = false) {
        self.init(.name, descending: descending)
        self.custom = custom
    }

    public static let byName = AccountOrder()

    /// Custom keys are [a-z0-9_] (CRM.columnKey), safe inside the JSON path.
    var expression: String {
        if let custom {
            let value = "json_extract(custom, '$.\"\(custom.key)\"')"
            return custom.numeric ? "ifnull(CAST(\(value) AS REAL), -1e300)" : "ifnull(\(value), '')"
        }
        return column == .name ? "name_key" : "ifnull(\(column.rawValue), '')"
    }

    /// The name of the index that serves this order, and what it indexes.
    var index: (name: String, expression: String)? {
        if let custom { return ("account_order_custom_\(custom.key)", expression) }
        return column == .name ? nil : ("account_order_\(column.rawValue)", expression)
    }

    /// The value an account is ordered by.
    public func value(of a: AccountRecord) -> Value {
        guard let custom else { return .text(key(of: a)) }
        let stored = (try? CustomValues.decode(a.custom))?[custom.key] ?? .null
        if custom.numeric {
            switch stored {
            case .int(let i): return .real(Double(i))
            case .real(let d): return .real(d)
            case .text(let t): return .real(Double(t) ?? -1e300)
            default: return .real(-1e300)
            }
        }
        return .text(stored.text ?? "")
    }

    /// The text a standard column orders by.
    public func key(of a: AccountRecord) -> String {
        switch column {
        case .name: return SortKey.romanian(a.name)
        case .code: return a.code ?? ""
        case .cui: return a.cui ?? ""
        case .city: return a.city ?? ""
        case .county: return a.county ?? ""
        case .phone: return a.phone ?? ""
        case .mobile: return a.mobile ?? ""
        case .email: return a.email ?? ""
        }
    }

    /// Where a page that starts at this account begins.
    public func cursor(_ a: AccountRecord) -> PageCursor { PageCursor(value: value(of: a), id: a.meta?.id ?? 0) }
}

/// Where a page of a name-ordered list starts.
public enum PagePosition: Sendable, Hashable {
    case first
    case after(PageCursor)
    /// The cursor's row and those after it.
    case from(PageCursor)
    /// The rows just before the cursor (paging backwards).
    case before(PageCursor)
    case last
}

/// Where a keyset page starts, as SQL over a list ordered by (key, id): the
/// condition (none for the first or last page), its arguments, and whether the
/// page is read against the list's direction (backwards, then reversed).
struct KeysetStart {
    let condition: String?
    let args: [Value]
    let backwards: Bool

    init(_ position: PagePosition, key: String, id: String, descending: Bool) {
        let (later, earlier) = descending ? ("<", ">") : (">", "<")
        func from(_ op: String, _ cursor: PageCursor) -> (String, [Value]) { ("(\(key), \(id)) \(op) (?, ?)", [cursor.value, .int(cursor.id)]) }
        switch position {
        case .first: (condition, args, backwards) = (nil, [], false)
        case .last: (condition, args, backwards) = (nil, [], true)
        case .after(let c): (condition, args) = from(later, c); backwards = false
        case .from(let c): (condition, args) = from(later + "=", c); backwards = false
        case .before(let c): (condition, args) = from(earlier, c); backwards = true
        }
    }

    /// ASC or DESC, for a list in this direction read as this start says.
    func direction(descending: Bool) -> String { descending != backwards ? "DESC" : "ASC" }
}

/// One change-log entry, as read back.
public struct ChangeLogEntry: Sendable, Equatable {
    public let id: Int64
    public let operationID: Int64
    public let operation: String
    public let at: Int64
    public let userID: Int64?
    public let entity: String
    public let rowUUID: RowUUID
    public let rowID: Int64
    public let op: String
    public let field: String?
    public let oldValue: Value
    public let newValue: Value
}

/// A condition in SQL over the account table, with its arguments: a filter as
/// the core compiles it.
public struct SQLCondition: Sendable, Equatable {
    public let sql: String
    public let args: [Value]
    public init(_ sql: String, _ args: [Value] = []) { self.sql = sql; self.args = args }
}

/// Which accounts a list shows: folders, words in the name, further conditions.
public struct AccountQuery: Sendable, Equatable {
    public var folderIDs: [Int64]?
    /// What the footer search typed: every word must start a word of the
    /// account's document (name, code, CUI, city, e-mail, phones, contacts),
    /// diacritics and case ignored.
    public var nameContaining: String?
    public var conditions: [SQLCondition]

    public init(folderIDs: [Int64]? = nil, nameContaining: String? = nil, conditions: [SQLCondition] = []) {
        self.folderIDs = folderIDs
        self.nameContaining = nameContaining
        self.conditions = conditions
    }

    /// The conditions other than the search.
    func baseParts() -> ([String], [Value]) {
        var conditions: [String] = []
        var args: [Value] = []
        if let folderIDs {
            if folderIDs.count == 1 {
                conditions.append("folder_id = ?")
                args.append(.int(folderIDs[0]))
            } else {
                conditions.append("folder_id IN (\(folderIDs.map(String.init).joined(separator: ",")))")
            }
        }
        for c in self.conditions {
            conditions.append("(" + c.sql + ")")
            args += c.args
        }
        return (conditions, args)
    }
}

extension Reader {
    /// A query's conditions other than the search, with the zones this
    /// transaction's user sees.
    func baseParts(_ query: AccountQuery, ordered: Bool = false) -> ([String], [Value]) {
        var (conditions, args) = query.baseParts()
        if let zone = zoneCondition(viaIndex: !ordered) { conditions.insert(zone, at: 0) }
        return (conditions, args)
    }

    /// A query's WHERE clause, the search included (through the search index),
    /// and whether to walk the name index: a search with many matches over the
    /// whole base in name order finds its page fastest that way.
    /// A count (`order` nil) needs no plan, so it does not count the matches first.
    func whereClause(_ query: AccountQuery, order: AccountOrder?) throws -> (conditions: [String], args: [Value], byNameIndex: Bool) {
        var (conditions, args) = baseParts(query, ordered: order != nil)
        var byNameIndex = false
        let wholeBaseByName = order.map { $0.column == .name && $0.custom == nil } == true && query.folderIDs == nil
        if let text = query.nameContaining, let (condition, matches) = try searchCondition(text, counting: wholeBaseByName) {
            byNameIndex = wholeBaseByName && (matches ?? 0) > SearchIndex.manyMatches
            conditions.append("(" + (byNameIndex ? "+" : "") + condition.sql + ")")
            args += condition.args
        }
        return (conditions, args, byNameIndex)
    }
}

extension Reader {
    /// A page of accounts ordered by name (Romanian order), then id: keyset paging,
    /// so every page costs the same however deep it is, forwards or backwards.
    /// The rows come in ascending order whichever way the page was read.
    /// With `nameContaining`, only accounts whose name contains those words
    /// (diacritics and case ignored).
    public func accountsPage(folderIDs: [Int64]?, at position: PagePosition, limit: Int,
                             nameContaining search: String? = nil, order: AccountOrder = .byName) throws -> [AccountRecord] {
        try accountsPage(AccountQuery(folderIDs: folderIDs, nameContaining: search), at: position, limit: limit, order: order)
    }

    /// Streams the accounts a query selects, in an order, as the values of the
    /// given SQL expressions (over the `account` row), without building records:
    /// the path exports take. `body` returns false to stop.
    public func forEachAccountRow(_ query: AccountQuery, order: AccountOrder, select expressions: [String],
                                  _ body: ([Value]) throws -> Bool) throws {
        let (conditions, args, byName) = try whereClause(query, order: order)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let direction = order.descending ? "DESC" : "ASC"
        let sql = "SELECT \(expressions.joined(separator: ", ")) FROM account\(byName ? " INDEXED BY account_name" : "")\(clause) "
            + "ORDER BY \(order.expression) \(direction), id \(direction)"
        try streamRows(sql, args, columns: expressions.count, body)
    }

    /// Steps through a statement's rows as values, without building records
    /// (`body` gets each row's `columns` values and returns false to stop).
    func streamRows(_ sql: String, _ args: [Value], columns: Int, _ body: ([Value]) throws -> Bool) throws {
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments(args))
        var values = [Value](repeating: .null, count: columns)
        while let row = try rows.next() {
            for i in 0..<columns { values[i] = Reader.value(row[i] as DatabaseValue) }
            guard try body(values) else { return }
        }
    }

    /// How many accounts a query selects; with `cap`, counting stops there (the
    /// answer is then "at least cap").
    public func countAccounts(_ query: AccountQuery, cap: Int? = nil) throws -> Int {
        // A capped count of a search walks the index's matches and stops at the
        // cap, instead of first gathering every match (tens of thousands for a
        // common word) to test accounts against.
        if let cap, let text = query.nameContaining, let match = try fullIndexMatch(text) {
            var (conditions, args) = baseParts(query)
            conditions.insert("account_search MATCH ?", at: 0)
            args.insert(.text(match), at: 0)
            let sql = "SELECT count(*) FROM (SELECT 1 FROM account_search JOIN account ON account.id = account_search.rowid WHERE "
                + conditions.joined(separator: " AND ") + " LIMIT \(cap))"
            return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: arguments(args)) ?? 0
        }
        let (conditions, args, _) = try whereClause(query, order: nil)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = cap.map { "SELECT count(*) FROM (SELECT 1 FROM account\(clause) LIMIT \($0))" } ?? "SELECT count(*) FROM account\(clause)"
        return try Int.fetchOne(db, sql: sql, arguments: arguments(args)) ?? 0
    }

    /// A keyset page of the accounts a query selects, in an order.
    public func accountsPage(_ query: AccountQuery, at position: PagePosition, limit: Int,
                             order: AccountOrder = .byName) throws -> [AccountRecord] {
        let parts = try whereClause(query, order: order)
        var (conditions, args) = (parts.conditions, parts.args)
        let byName = parts.byNameIndex
        // Forwards reads in the list's direction, backwards against it.
        let key = order.expression
        let start = KeysetStart(position, key: key, id: "id", descending: order.descending)
        if let condition = start.condition { conditions.append(condition); args += start.args }
        let backwards = start.backwards
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let direction = start.direction(descending: order.descending)
        var sql = "SELECT * FROM account\(byName ? " INDEXED BY account_name" : "")\(clause) ORDER BY \(key) \(direction), id \(direction)"
        if limit > 0 { sql += " LIMIT \(limit)" }
        let rows = try fetchRecords(AccountRecord.self, sql: sql, args)
        return backwards ? rows.reversed() : rows
    }


    /// The folder and all folders below it.
    public func folderSubtree(_ id: Int64) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT f.id FROM folder f JOIN t ON f.parent_id = t.id)
            SELECT id FROM t
            """, arguments: [id])
    }

    /// Number of accounts directly in each folder.
    public func accountCountsByFolder() throws -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        let clause = zoneCondition().map { " WHERE " + $0 } ?? ""
        for row in try Row.fetchAll(db, sql: "SELECT folder_id, count(*) FROM account\(clause) GROUP BY folder_id") {
            out[row[0]] = row[1]
        }
        return out
    }

    /// The change log of one row, oldest first.
    public func changes(rowUUID: RowUUID) throws -> [ChangeLogEntry] {
        try changeEntries(where: "c.row_uuid = ?", [.blob(rowUUID.bytes)])
    }

    /// The change log of one operation, in order.
    public func changes(operationID: Int64) throws -> [ChangeLogEntry] {
        try changeEntries(where: "c.operation_id = ?", [.int(operationID)])
    }

    /// The change log across the base, newest first: by a user, since a moment,
    /// of one kind of entity (each optional), at most `limit` entries.
    public func changes(userID: Int64?, since: Int64?, entity: String?, limit: Int) throws -> [ChangeLogEntry] {
        var conditions = ["1"]
        var args: [Value] = []
        if let userID { conditions.append("c.user_id = ?"); args.append(.int(userID)) }
        if let since { conditions.append("c.at >= ?"); args.append(.int(since)) }
        if let entity { conditions.append("c.entity = ?"); args.append(.text(entity)) }
        return try changeEntries(where: conditions.joined(separator: " AND "), args, newestFirst: true, limit: limit)
    }

    private func changeEntries(where clause: String, _ args: [Value], newestFirst: Bool = false,
                               limit: Int? = nil) throws -> [ChangeLogEntry] {
        let sql = """
            SELECT c.*, o.name AS operation_name FROM change_log c JOIN operation o ON o.id = c.operation_id
            WHERE \(clause) ORDER BY c.id\(newestFirst ? " DESC" : "")\(limit.map { " LIMIT \($0)" } ?? "")
            """
        return try Row.fetchAll(db, sql: sql, arguments: arguments(args)).map { row in
            let f = Reader.fields(row)
            guard case .blob(let uuid) = f["row_uuid"] else { throw StoreError.sqlite(detail: "change without row uuid") }
            return ChangeLogEntry(id: f.int("id") ?? 0, operationID: f.int("operation_id") ?? 0,
                                  operation: f.string("operation_name"), at: f.int("at") ?? 0,
                                  userID: f.int("user_id"), entity: f.string("entity"),
                                  rowUUID: RowUUID(bytes: uuid), rowID: f.int("row_id") ?? 0, op: f.string("op"),
                                  field: f.text("field"), oldValue: f["old_value"], newValue: f["new_value"])
        }
    }

    /// The visible accounts whose column equals a value, in name order:
    /// resolving a reference a person typed (a code, a CUI, a name).
    public func accounts(whereColumn column: String, equals value: String, limit: Int = 20) throws -> [AccountRecord] {
        let c = try checked(AccountRecord.self, column)
        let zone = zoneCondition(viaIndex: false).map { " AND " + $0 } ?? ""
        return try fetchRecords(AccountRecord.self, sql: "SELECT * FROM account WHERE \(c) = ?\(zone) ORDER BY name_key, id LIMIT \(limit)",
                                [.text(value)])
    }

    /// The number of accounts this transaction's user sees.
    public func visibleAccountCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM account" + (zoneCondition().map { " WHERE " + $0 } ?? "")) ?? 0
    }
}

extension Reader {
    /// How many accounts share the most repeated non-empty value of a column,
    /// letter case aside (nil: no value repeats) — whether it may become unique.
    public func repeatedValueCount(column: String) throws -> Int? {
        let c = try checked(AccountRecord.self, column)
        return try Int.fetchOne(db, sql: """
            SELECT count(*) AS n FROM account WHERE \(c) IS NOT NULL AND \(c) <> '' GROUP BY lower(\(c)) HAVING n > 1
            ORDER BY n DESC LIMIT 1
            """)
    }

    /// The id of an account whose column equals a value, if any: the quick
    /// question an import asks of every row before it needs the account itself.
    public func accountID(whereColumn column: String, equals value: String) throws -> Int64? {
        let c = try checked(AccountRecord.self, column)
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM account WHERE \(c) = ? LIMIT 1"), arguments: [value])
    }

    /// Accounts whose column equals a value, letter case aside (through the
    /// unique rule's index on `lower(column)`).
    public func accounts(whereColumn column: String, equalsIgnoringCase value: String, limit: Int = 2) throws -> [AccountRecord] {
        let c = try checked(AccountRecord.self, column)
        return try fetchRecords(AccountRecord.self, sql: "SELECT * FROM account WHERE lower(\(c)) = lower(?) LIMIT \(limit)", [.text(value)])
    }

    /// The same for a custom column's values.
    /// How many accounts (or items of a kind) share the most repeated value of a custom column, if any repeats.
    public func repeatedCustomValueCount(key: String, workItemKind kind: String? = nil) throws -> Int? {
        let (table, condition) = kind.map { _ in ("work_item", " AND kind = ?") } ?? ("account", "")
        return try Int.fetchOne(db, sql: """
            SELECT count(*) AS n FROM \(table) WHERE json_extract(custom, '$.' || ?) IS NOT NULL\(condition)
            GROUP BY json_extract(custom, '$.' || ?) HAVING n > 1 ORDER BY n DESC LIMIT 1
            """, arguments: StatementArguments(["\"\(key)\""] + (kind.map { [$0] } ?? []) + ["\"\(key)\""]))
    }

    /// Accounts whose custom value for `key` equals `value` (unique custom columns).
    public func accountsWithCustomValue(key: String, value: Value, limit: Int = 2) throws -> [AccountRecord] {
        try fetchRecords(AccountRecord.self,
                         sql: "SELECT * FROM account WHERE json_extract(custom, '$.' || ?) = ? LIMIT \(limit)",
                         [.text("\"\(key)\""), value])
    }
}

extension Reader {
    /// The primary contact of each of the given accounts, in one query.
    public func primaryContacts(accountIDs: [Int64]) throws -> [Int64: ContactRecord] {
        guard !accountIDs.isEmpty else { return [:] }
        // One statement for any list (a JSON array), prepared once.
        let list = "[" + accountIDs.map(String.init).joined(separator: ",") + "]"
        let contacts = try fetchRecords(ContactRecord.self, sql: """
            SELECT * FROM contact WHERE is_primary = 1 AND account_id IN (SELECT value FROM json_each(?))
            """, [.text(list)])
        return Dictionary(contacts.map { ($0.accountID, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

/// What the duplicate scan needs of an account.
public struct DuplicateCandidate: Sendable {
    public let id: Int64
    public let uuid: String
    public let name: String
    public let cui: String?
    public let email: String?
    public let phones: [String]
}

extension Reader {
    /// Every visible account's identifying values, streamed in one statement.
    public func duplicateCandidates(ids: [Int64]? = nil) throws -> [DuplicateCandidate] {
        var out: [DuplicateCandidate] = []
        let conditions = [ids.map { "id IN (\($0.map(String.init).joined(separator: ",")))" }, zoneCondition()].compactMap { $0 }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchCursor(db, sql: "SELECT id, uuid, name, cui, email, phone, mobile FROM account\(clause)")
        while let row = try rows.next() {
            let uuid: Data = row[1]
            out.append(DuplicateCandidate(id: row[0], uuid: RowUUID(bytes: [UInt8](uuid)).description, name: row[2], cui: row[3],
                                          email: row[4], phones: [row[5] as String?, row[6] as String?].compactMap { $0 }))
        }
        return out
    }
}
