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

    /// Invoices newest first (by day, then as added), of the accounts the user sees.
    public func invoices(conditions: [String], _ args: [Value], limit: Int) throws -> [InvoiceRecord] {
        var all = conditions.map { "i." + $0 }
        if let zone = zoneCondition("a", viaIndex: false) { all.append(zone) }
        let clause = all.isEmpty ? "" : " WHERE " + all.joined(separator: " AND ")
        return try fetchRecords(InvoiceRecord.self, sql: "SELECT i.* FROM invoice i JOIN account a ON a.id = i.account_id\(clause) "
                                + "ORDER BY i.day DESC, i.id DESC" + (limit > 0 ? " LIMIT \(limit)" : ""), args)
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
