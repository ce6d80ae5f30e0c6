import CRMText
import GRDB

/// Where a keyset page starts: after the row with this sort key and id.
public struct PageCursor: Sendable, Hashable {
    public let nameKey: String
    public let id: Int64
    public init(nameKey: String, id: Int64) { self.nameKey = nameKey; self.id = id }
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

extension Reader {
    /// A page of accounts ordered by name (Romanian order), then id: keyset paging,
    /// so every page costs the same however deep it is, forwards or backwards.
    /// The rows come in ascending order whichever way the page was read.
    /// With `nameContaining`, only accounts whose name contains those words
    /// (diacritics and case ignored).
    public func accountsPage(folderIDs: [Int64]?, at position: PagePosition, limit: Int,
                             nameContaining search: String? = nil) throws -> [AccountRecord] {
        var conditions: [String] = []
        var args: [Value] = []
        if let search {
            for word in Fold.key(search).split(separator: " ") {
                let escaped = word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                conditions.append("crm_fold(name) LIKE ? ESCAPE '\\'")
                args.append(.text("%" + escaped + "%"))
            }
        }
        if let folderIDs {
            if folderIDs.count == 1 {
                conditions.append("folder_id = ?")
                args.append(.int(folderIDs[0]))
            } else {
                conditions.append("folder_id IN (\(folderIDs.map(String.init).joined(separator: ",")))")
            }
        }
        var descending = false
        switch position {
        case .first: break
        case .last: descending = true
        case .after(let cursor):
            conditions.append("(name_key, id) > (?, ?)")
            args += [.text(cursor.nameKey), .int(cursor.id)]
        case .from(let cursor):
            conditions.append("(name_key, id) >= (?, ?)")
            args += [.text(cursor.nameKey), .int(cursor.id)]
        case .before(let cursor):
            conditions.append("(name_key, id) < (?, ?)")
            args += [.text(cursor.nameKey), .int(cursor.id)]
            descending = true
        }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        var sql = "SELECT * FROM account\(clause) ORDER BY " + (descending ? "name_key DESC, id DESC" : "name_key, id")
        if limit > 0 { sql += " LIMIT \(limit)" }
        let rows = try fetchRecords(AccountRecord.self, sql: sql, args)
        return descending ? rows.reversed() : rows
    }

    /// The cursor that continues after this account.
    public func cursor(after account: AccountRecord) -> PageCursor? {
        guard let id = account.meta?.id else { return nil }
        return PageCursor(nameKey: SortKey.romanian(account.name), id: id)
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
        for row in try Row.fetchAll(db, sql: "SELECT folder_id, count(*) FROM account GROUP BY folder_id") {
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

    private func changeEntries(where clause: String, _ args: [Value]) throws -> [ChangeLogEntry] {
        let sql = """
            SELECT c.*, o.name AS operation_name FROM change_log c JOIN operation o ON o.id = c.operation_id
            WHERE \(clause) ORDER BY c.id
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

    /// Accounts whose column equals a value, in name order: resolving a reference
    /// a person typed (a code, a CUI, a name) and checking a unique code.
    public func accounts(whereColumn column: String, equals value: String, limit: Int = 20) throws -> [AccountRecord] {
        let c = try checked(AccountRecord.self, column)
        return try fetchRecords(AccountRecord.self, sql: "SELECT * FROM account WHERE \(c) = ? ORDER BY name_key, id LIMIT \(limit)",
                                [.text(value)])
    }
}

extension Reader {
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
        let list = accountIDs.map(String.init).joined(separator: ",")
        let contacts = try fetchRecords(ContactRecord.self,
                                        sql: "SELECT * FROM contact WHERE is_primary = 1 AND account_id IN (\(list))", [])
        return Dictionary(contacts.map { ($0.accountID, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
