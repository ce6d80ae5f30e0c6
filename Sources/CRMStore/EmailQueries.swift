import GRDB

extension Reader {
    /// E-mails, newest first: of an account (its items' too), of one item, in
    /// one status, with every word (folded) in the subject, the recipients or
    /// the account's name; only of the accounts the reader sees.
    public func emails(accountID: Int64? = nil, itemID: Int64? = nil, status: String? = nil, words: [String] = [],
                       limit: Int) throws -> [EmailRecord] {
        var conditions: [String] = []
        var args: [Value] = []
        for word in words {
            conditions.append("(crm_fold(e.subject) LIKE ? ESCAPE '\\' OR crm_fold(e.recipients) LIKE ? ESCAPE '\\' OR crm_fold(a.name) LIKE ? ESCAPE '\\')")
            let pattern = Self.contains(word)
            args += [pattern, pattern, pattern]
        }
        if let accountID { conditions.append("e.account_id = ?"); args.append(.int(accountID)) }
        if let itemID { conditions.append("e.item_id = ?"); args.append(.int(itemID)) }
        if let status { conditions.append("e.status = ?"); args.append(.text(status)) }
        if let zone = zoneCondition("a") { conditions.append(zone) }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try fetchRecords(EmailRecord.self, sql: "SELECT e.* FROM email e JOIN account a ON a.id = e.account_id\(clause) ORDER BY e.id DESC"
                                + (limit > 0 ? " LIMIT \(limit)" : ""), args)
    }

    /// The files sent with these e-mails (names and sizes, not their contents), by e-mail.
    public func emailFiles(emailIDs: [Int64]) throws -> [Int64: [(file: EmailFileRecord, size: Int64)]] {
        guard !emailIDs.isEmpty else { return [:] }
        let list = emailIDs.map(String.init).joined(separator: ",")
        let files = try fetchRecords(EmailFileRecord.self, sql: "SELECT * FROM email_file WHERE email_id IN (\(list)) ORDER BY id", [])
        var sizes: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT f.id, b.size FROM email_file f JOIN file_blob b ON b.id = f.blob_id WHERE f.email_id IN (\(list))
            """) { sizes[row[0]] = row[1] }
        var out: [Int64: [(file: EmailFileRecord, size: Int64)]] = [:]
        for file in files { out[file.emailID, default: []].append((file, sizes[file.meta!.id] ?? 0)) }
        return out
    }
}
