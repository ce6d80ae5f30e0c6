import GRDB

/// The dashboard's sums (DSH-2 … DSH-9), each one grouped query over indexed
/// columns, limited to the zones the reader's user sees.
extension Reader {
    /// An amount of an invoice's currency in RON bani, rounded half away from zero (a storno's negative lines too).
    static func ron(_ amount: String) -> String {
        "(CASE WHEN \(amount) * i.rate < 0 THEN (\(amount) * i.rate - 5000) / 10000 ELSE (\(amount) * i.rate + 5000) / 10000 END)"
    }

    /// Items of a kind falling due between two days, per day, owner and stage: how many and their amounts
    /// (RON or no currency) — read from one covering index, the table untouched.
    public func itemSums(kind: String, from: String, to: String) throws -> [(day: String, ownerID: Int64?, stageID: Int64, count: Int, amount: Int64)] {
        var conditions = ["w.kind = ?", "ifnull(w.due_date, '') BETWEEN ? AND ?"]
        if let zone = zoneCondition("w") { conditions.append(zone) }
        let sql = """
            SELECT ifnull(w.due_date, ''), w.owner_id, w.stage_id, count(*),
                   ifnull(sum(CASE WHEN ifnull(w.currency, 'RON') = 'RON' THEN w.amount END), 0)
            FROM work_item w INDEXED BY work_item_due_sums WHERE \(conditions.joined(separator: " AND ")) GROUP BY 1, 2, 3
            """
        return try Row.fetchAll(db, sql: sql, arguments: arguments([.text(kind), .text(from), .text(to)])).map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
    }

    /// Rows of each entity each user added between two instants, to the hour (the counts the write path keeps beside the change log).
    public func addedCounts(entities: [String], userIDs: [Int64], from: Int64, to: Int64) throws -> [(userID: Int64, entity: String, count: Int)] {
        let statement = try db.cachedStatement(sql: "SELECT ifnull(sum(n), 0) FROM added_count WHERE entity = ? AND user_id = ? AND hour BETWEEN ? AND ?")
        var out: [(Int64, String, Int)] = []
        for entity in entities {
            for user in userIDs {
                let n = try Int.fetchOne(statement, arguments: [entity, user, from / 3_600_000, to / 3_600_000]) ?? 0
                if n > 0 { out.append((user, entity, n)) }
            }
        }
        return out
    }

    /// The ids of the rows of an entity one user added between two instants, newest first.
    public func addedRows(entity: String, userID: Int64, from: Int64, to: Int64, limit: Int) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT row_id FROM change_log INDEXED BY change_log_added
            WHERE op = 'insert' AND entity = ? AND user_id = ? AND at BETWEEN ? AND ? ORDER BY at DESC LIMIT ?
            """, arguments: [entity, userID, from, to, limit])
    }

    /// Each ledger account's debits and credits between two days.
    public func ledgerSums(from: String, to: String) throws -> [Int64: (debit: Int64, credit: Int64)] {
        var out: [Int64: (Int64, Int64)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT l.ledger_account_id, sum(l.debit), sum(l.credit) FROM ledger_entry e JOIN ledger_line l ON l.entry_id = e.id
            WHERE e.day BETWEEN ? AND ? GROUP BY l.ledger_account_id
            """, arguments: [from, to]) {
            out[row[0]] = (row[1], row[2])
        }
        return out
    }

    /// Products and services sold (posted invoices issued between two days): each line's name, its net in RON and
    /// quantity summed, of invoices these users made (all when nil), of these categories (all when nil; "" for none).
    public func salesByProduct(from: String, to: String, userIDs: [Int64]?, categories: [String]?) throws
        -> [(name: String, category: String?, net: Int64, quantity: Int64, lines: Int)] {
        var conditions = ["i.kind = 'fiscal'", "i.posted_entry_id IS NOT NULL", "i.day BETWEEN ? AND ?"]
        var args: [Value] = [.text(from), .text(to)]
        if let userIDs { conditions.append("i.created_by IN (\(userIDs.map(String.init).joined(separator: ",")))") }
        if let categories {
            conditions.append("ifnull(p.category, '') IN (\(categories.map { _ in "?" }.joined(separator: ",")))")
            args += categories.map { .text($0) }
        }
        if let zone = zoneCondition("a") { conditions.append(zone) }
        let sql = """
            SELECT l.name, p.category, sum(\(Self.ron("l.net"))), sum(l.quantity), count(*)
            FROM invoice i INDEXED BY invoice_day JOIN account a ON a.id = i.account_id JOIN invoice_line l ON l.invoice_id = i.id
            LEFT JOIN product p ON p.id = l.product_id WHERE \(conditions.joined(separator: " AND "))
            GROUP BY ifnull(l.product_id, -1), l.name ORDER BY 3 DESC
            """
        return try Row.fetchAll(db, sql: sql, arguments: arguments(args)).map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
    }
}

extension Reader {
    /// The lines of a product or service sold between two days (posted fiscal invoices), newest first:
    /// day, invoice, client, quantity, net in RON.
    public func soldLines(name: String, from: String, to: String, limit: Int) throws
        -> [(day: String, invoice: InvoiceRecord, client: String, quantity: Int64, net: Int64)] {
        var conditions = ["i.kind = 'fiscal'", "i.posted_entry_id IS NOT NULL", "i.day BETWEEN ? AND ?", "l.name = ?"]
        if let zone = zoneCondition("a") { conditions.append(zone) }
        let rows = try Row.fetchAll(db, sql: """
            SELECT i.id, a.name, l.quantity, \(Self.ron("l.net")) FROM invoice i INDEXED BY invoice_day
            JOIN account a ON a.id = i.account_id JOIN invoice_line l ON l.invoice_id = i.id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY i.day DESC, i.id DESC LIMIT ?
            """, arguments: [from, to, name, limit])
        return try rows.compactMap { row in
            guard let invoice = try fetch(InvoiceRecord.self, id: row[0]) else { return nil }
            return (invoice.day, invoice, row[1], row[2], row[3])
        }
    }
}

extension Reader {
    /// Rows of a table by their ids, a few hundred to a statement, keyed by id (those gone are missing).
    public func fetchAll<R: Record>(_ type: R.Type, ids: [Int64]) throws -> [Int64: R] {
        var out: [Int64: R] = [:]
        var start = 0
        while start < ids.count {
            let part = ids[start..<min(ids.count, start + 500)]
            // The ids are the store's own integers.
            for row in try fetchRecords(R.self, sql: "SELECT * FROM \(R.table) WHERE id IN (\(part.map(String.init).joined(separator: ",")))", []) {
                out[row.meta!.id] = row
            }
            start += 500
        }
        return out
    }
}
