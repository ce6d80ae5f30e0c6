import GRDB

extension Reader {
    /// The last number given in a series of a kind (in a year for a yearly one; 0 before the first).
    public func lastInvoiceNumber(kind: String, series: String, year: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(number) FROM invoice WHERE kind = ? AND series = ? AND year = ?",
                           arguments: [kind, series, year]) ?? 0
    }

    /// The days of the invoices numbered just before and just after a number in a series (nil where there is none).
    public func neighbourDays(kind: String, series: String, year: Int64, number: Int64) throws -> (before: String?, after: String?) {
        let before = try String.fetchOne(db, sql: """
            SELECT day FROM invoice WHERE kind = ? AND series = ? AND year = ? AND number < ? ORDER BY number DESC LIMIT 1
            """, arguments: [kind, series, year, number])
        let after = try String.fetchOne(db, sql: """
            SELECT day FROM invoice WHERE kind = ? AND series = ? AND year = ? AND number > ? ORDER BY number LIMIT 1
            """, arguments: [kind, series, year, number])
        return (before, after)
    }

    /// A ledger account's debits less credits before a day.
    public func ledgerSum(account: Int64, before day: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: """
            SELECT ifnull(sum(l.debit - l.credit), 0) FROM ledger_line l JOIN ledger_entry e ON e.id = l.entry_id
            WHERE l.ledger_account_id = ? AND e.day < ?
            """, arguments: [account, day]) ?? 0
    }

    /// A ledger account's movements between two days (either open), in the order of the days and entries.
    public func ledgerMovements(account: Int64, from: String?, to: String?) throws
        -> [(day: String, kind: String, document: String, description: String?, debit: Int64, credit: Int64)] {
        var sql = """
            SELECT e.day, e.kind, e.document, e.description, l.debit, l.credit FROM ledger_line l JOIN ledger_entry e ON e.id = l.entry_id
            WHERE l.ledger_account_id = ?
            """
        var args: [DatabaseValueConvertible] = [account]
        if let from { sql += " AND e.day >= ?"; args.append(from) }
        if let to { sql += " AND e.day <= ?"; args.append(to) }
        sql += " ORDER BY e.day, e.id, l.id"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
            (row[0], row[1], row[2], row[3], row[4], row[5])
        }
    }

    /// Every ledger account's debits and credits, from the journal.
    public func ledgerSums() throws -> [Int64: (debit: Int64, credit: Int64)] {
        var out: [Int64: (Int64, Int64)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT ledger_account_id, sum(debit), sum(credit) FROM ledger_line GROUP BY ledger_account_id") {
            out[row[0]] = (row[1], row[2])
        }
        return out
    }

    /// The whole journal's debits and credits.
    public func ledgerTotals() throws -> (debit: Int64, credit: Int64) {
        let row = try Row.fetchOne(db, sql: "SELECT ifnull(sum(debit), 0), ifnull(sum(credit), 0) FROM ledger_line")
        return (row?[0] ?? 0, row?[1] ?? 0)
    }
}

/// The order of an invoice list: a column and a direction, ties broken by id.
public struct InvoiceOrder: Sendable, Hashable {
    public enum Column: String, Sendable, CaseIterable { case day, due, total }

    public var column: Column
    public var descending: Bool

    public init(_ column: Column = .day, descending: Bool = true) {
        self.column = column
        self.descending = descending
    }

    /// The newest first.
    public static let newest = InvoiceOrder()

    var expression: String {
        switch column {
        case .day: return "i.day"
        case .due: return "i.due_day"
        case .total: return "i.total_ron"
        }
    }

    public func value(of i: InvoiceRecord) -> Value {
        switch column {
        case .day: return .text(i.day)
        case .due: return .text(i.dueDay)
        case .total: return .int(i.totalRON)
        }
    }

    public func cursor(_ i: InvoiceRecord) -> PageCursor { PageCursor(value: value(of: i), id: i.meta?.id ?? 0) }
}

/// Which invoices a list shows: a kind, a status, words, further conditions.
public struct InvoiceQuery: Sendable, Equatable {
    public var kind: String?
    /// proforma, unpaid, partial, paid, overdue, cancelled, storno (as `InvoiceQuery.status` reckons it on `today`).
    public var status: String?
    /// Folded words that must all be in the number or the client's name or CUI.
    public var words: [String]
    public var accountID: Int64?
    public var itemID: Int64?
    public var conditions: [SQLCondition]
    /// YYYY-MM-DD: what "overdue" is reckoned against.
    public var today: String

    public init(kind: String? = nil, status: String? = nil, words: [String] = [], accountID: Int64? = nil, itemID: Int64? = nil,
                conditions: [SQLCondition] = [], today: String) {
        self.itemID = itemID
        self.kind = kind
        self.status = status
        self.words = words
        self.accountID = accountID
        self.conditions = conditions
        self.today = today
    }

    /// What an invoice has been paid (over the `i` row).
    public static let paidSQL = "(SELECT ifnull(sum(pm.amount), 0) FROM payment pm WHERE pm.invoice_id = i.id)"

    /// Where an invoice stands, over the `i` row, on a day (the same rules as the core's status).
    public static func statusSQL(today: String) -> String {
        let day = today.filter { $0.isNumber || $0 == "-" }
        return """
            (CASE WHEN i.kind = 'proforma' THEN 'proforma' WHEN i.storno_of IS NOT NULL THEN 'storno' \
            WHEN EXISTS (SELECT 1 FROM invoice s WHERE s.storno_of = i.id) THEN 'cancelled' \
            WHEN \(paidSQL) >= i.total THEN 'paid' WHEN i.due_day < '\(day)' THEN 'overdue' \
            WHEN \(paidSQL) > 0 THEN 'partial' ELSE 'unpaid' END)
            """
    }

    /// The label "FCT-0042" / "FCT-2026-0042", over the `i` row.
    public static let labelSQL = "(i.series || '-' || CASE WHEN i.year > 0 THEN i.year || '-' ELSE '' END || printf('%04d', i.number))"
}

extension Reader {
    private func invoiceConditions(_ query: InvoiceQuery) -> ([String], [Value]) {
        var conditions: [String] = []
        var args: [Value] = []
        if let zone = zoneCondition("a", viaIndex: false) { conditions.append(zone) }
        if let kind = query.kind { conditions.append("i.kind = ?"); args.append(.text(kind)) }
        if let account = query.accountID { conditions.append("i.account_id = ?"); args.append(.int(account)) }
        if let item = query.itemID { conditions.append("i.item_id = ?"); args.append(.int(item)) }
        if let status = query.status { conditions.append(InvoiceQuery.statusSQL(today: query.today) + " = ?"); args.append(.text(status)) }
        for word in query.words {
            conditions.append("(crm_fold(\(InvoiceQuery.labelSQL)) LIKE ? ESCAPE '\\' OR crm_fold(json_extract(i.client, '$.name')) LIKE ? ESCAPE '\\' "
                              + "OR crm_fold(ifnull(json_extract(i.client, '$.cui'), '')) LIKE ? ESCAPE '\\')")
            let pattern = Self.contains(word)
            args += [pattern, pattern, pattern]
        }
        for c in query.conditions {
            conditions.append("(" + c.sql + ")")
            args += c.args
        }
        return (conditions, args)
    }

    /// A keyset page of the invoices a query selects, in an order; the rows come
    /// in the list's order whichever way the page was read.
    public func invoicesPage(_ query: InvoiceQuery, at position: PagePosition = .first, limit: Int,
                             order: InvoiceOrder = .newest) throws -> [InvoiceRecord] {
        var (conditions, args) = invoiceConditions(query)
        let start = KeysetStart(position, key: order.expression, id: "i.id", descending: order.descending)
        if let condition = start.condition { conditions.append(condition); args += start.args }
        let direction = start.direction(descending: order.descending)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT i.* FROM invoice i JOIN account a ON a.id = i.account_id\(clause) ORDER BY \(order.expression) \(direction), i.id \(direction)"
            + (limit > 0 ? " LIMIT \(limit)" : "")
        let rows = try fetchRecords(InvoiceRecord.self, sql: sql, args)
        return start.backwards ? rows.reversed() : rows
    }

    /// Streams the invoices a query selects as the values of SQL expressions over the `i` row: the export path.
    public func forEachInvoiceRow(_ query: InvoiceQuery, order: InvoiceOrder, select expressions: [String],
                                  _ body: ([Value]) throws -> Bool) throws {
        let (conditions, args) = invoiceConditions(query)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let direction = order.descending ? "DESC" : "ASC"
        let sql = "SELECT \(expressions.joined(separator: ", ")) FROM invoice i JOIN account a ON a.id = i.account_id\(clause) "
            + "ORDER BY \(order.expression) \(direction), i.id \(direction)"
        try streamRows(sql, args, columns: expressions.count, body)
    }

    /// How many invoices a query selects (with `cap`: no further).
    public func countInvoices(_ query: InvoiceQuery, cap: Int? = nil) throws -> Int {
        let (conditions, args) = invoiceConditions(query)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM invoice i JOIN account a ON a.id = i.account_id\(clause)"
                                + "\(cap.map { " LIMIT \($0)" } ?? ""))", arguments: arguments(args)) ?? 0
    }

    /// How many invoices stand in each status on a day.
    public func invoiceStatusCounts(today: String) throws -> [String: Int] {
        var conditions: [String] = []
        if let zone = zoneCondition("a", viaIndex: false) { conditions.append(zone) }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        var out: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT \(InvoiceQuery.statusSQL(today: today)) s, count(*) FROM invoice i "
                                    + "JOIN account a ON a.id = i.account_id\(clause) GROUP BY s") {
            out[row[0]] = row[1]
        }
        return out
    }
}
