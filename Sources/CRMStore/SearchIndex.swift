import CRMText
import GRDB

/// The accounts' search index (ACC-4): an FTS5 table with one document per
/// account — name, code, CUI (also with RO), city, e-mail, phones (also in the
/// 0… national form), its text and choice custom values, and its contacts' names,
/// e-mails and phones — folded by
/// the `unicode61 remove_diacritics 2` tokenizer, so "stiinta" finds
/// "Știință" and ş/ș, ţ/ț are one letter.
///
/// `store_state.account_search_upto` says how far the index goes: every account
/// with an id up to it is indexed, and the write path keeps exactly those in
/// step. A new database starts complete; a bulk-loaded or migrated one starts at
/// 0 and `indexSearchChunk` fills it in short transactions, while searches use
/// the index below the mark and a plain name match above it.
public enum SearchIndex {
    static let complete = Int64.max
    static let stateName = "account_search_upto"
    /// Below this many matches a search sorts its matches; above, it walks the
    /// name index and keeps the matching rows (both find a page in a few ms).
    static let manyMatches = 3000

    static let schema = """
        CREATE VIRTUAL TABLE account_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', detail = none, prefix = '3',
                                                       columnsize = 0);
        CREATE TABLE store_state (name TEXT PRIMARY KEY, value) WITHOUT ROWID;
        """

    /// One account's document, over the `account` row `a`; CUSTOM stands for
    /// the values of the text and choice custom columns in use.
    static let template = """
        a.name || ' ' || ifnull(a.code, '') || ' ' || ifnull(a.cui, '')
        || CASE WHEN a.vat_payer = 1 AND a.cui IS NOT NULL THEN ' RO' || a.cui ELSE '' END
        || ' ' || ifnull(a.city, '') || ' ' || ifnull(a.email, '')
        || ' ' || ifnull(a.phone, '') || ' ' || ifnull(a.mobile, '')
        || CASE WHEN a.phone LIKE '+40%' THEN ' 0' || substr(a.phone, 4) ELSE '' END
        || CASE WHEN a.mobile LIKE '+40%' THEN ' 0' || substr(a.mobile, 4) ELSE '' END
        CUSTOM
        || ifnull((SELECT ' ' || group_concat(c.name || ' ' || ifnull(c.email, '') || ' ' || ifnull(c.phone, '') || ' '
                   || ifnull(c.mobile, '') || CASE WHEN c.mobile LIKE '+40%' THEN ' 0' || substr(c.mobile, 4) ELSE '' END, ' ')
                   FROM contact c WHERE c.account_id = a.id), '')
        """

    /// The document with the custom columns of the moment (keys are [a-z0-9_]).
    static func document(customKeys: [String]) -> String {
        let custom = customKeys.map { "|| ' ' || ifnull(json_extract(a.custom, '$.\"\($0)\"'), '')" }.joined(separator: " ")
        return template.replacingOccurrences(of: "CUSTOM", with: custom)
    }

    /// Words shorter than this alone search names only.
    static let shortest = 3

    /// Names that start with these letters, diacritics aside: ranges of the
    /// stored sort key, one per form of the first letter (s: s and ș).
    static func namePrefix(_ folded: String) -> SQLCondition {
        let key = SortKey.romanian(folded)
        guard let first = key.first else { return SQLCondition("1") }
        let rest = String(key.dropFirst())
        let marks: [Character: [String]] = ["a": ["", "\u{7F}", "\u{7F}\u{7F}"], "i": ["", "\u{7F}"], "s": ["", "\u{7F}"], "t": ["", "\u{7F}"]]
        var parts: [String] = []
        var args: [Value] = []
        for mark in marks[first] ?? [""] {
            let low = String(first) + mark + rest
            parts.append("(name_key >= ? AND name_key < ?)")
            args += [.text(low), .text(low + "\u{10FFFF}")]
        }
        return SQLCondition(parts.joined(separator: " OR "), args)
    }

    /// What a person typed, as an FTS5 query: every word as a prefix, all
    /// required. Nil when nothing searchable was typed.
    public static func match(for text: String) -> String? {
        let words = Fold.key(text).split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " AND ")
    }
}

extension Reader {
    /// The id up to which accounts are in the search index.
    public func searchIndexedUpTo() throws -> Int64 {
        // A writer knows the mark once read: only it moves the mark in its transaction.
        if let writer = self as? Writer, let mark = writer.searchMarkCache { return mark }
        let mark = try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM store_state WHERE name = ?"),
                                      arguments: [SearchIndex.stateName]) ?? 0
        (self as? Writer)?.searchMarkCache = mark
        return mark
    }

    /// How many accounts have an id up to this one.
    public func countAccounts(upTo id: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM account WHERE id <= ?", arguments: [id]) ?? 0
    }

    /// How many accounts the index finds for an FTS5 query, counting no further
    /// than `cap` (enough to choose a plan, and quick however common the word).
    func searchMatchCount(_ match: String, cap: Int) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM account_search WHERE account_search MATCH ? LIMIT ?)",
                         arguments: [match, cap]) ?? 0
    }

    /// The FTS5 query for a search the full-text index alone answers: words of
    /// three letters or more, and every account indexed. Nil otherwise.
    func fullIndexMatch(_ text: String) throws -> String? {
        let words = Fold.key(text).split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        guard !(words.count == 1 && words[0].count < SearchIndex.shortest), let match = SearchIndex.match(for: text),
              try searchIndexedUpTo() == SearchIndex.complete else { return nil }
        return match
    }

    /// The search as a condition: the index below the mark, the name above it.
    /// One or two letters alone match the start of the name, through the name
    /// index (every field would match most of the base, and slowly).
    /// With `counting`, also how many accounts the index finds (as far as a plan needs).
    func searchCondition(_ text: String, counting: Bool) throws -> (condition: SQLCondition, matches: Int?)? {
        let words = Fold.key(text).split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        if words.count == 1, words[0].count < SearchIndex.shortest {
            return (SearchIndex.namePrefix(String(words[0])), nil)
        }
        guard let match = SearchIndex.match(for: text) else { return nil }
        let upTo = try searchIndexedUpTo()
        let indexed = "id IN (SELECT rowid FROM account_search WHERE account_search MATCH ?)"
        if upTo == SearchIndex.complete {
            return (SQLCondition(indexed, [.text(match)]), counting ? try searchMatchCount(match, cap: SearchIndex.manyMatches + 1) : nil)
        }
        var sql = "(id <= ? AND \(indexed))"
        var args: [Value] = [.int(upTo), .text(match)]
        let likes = words.map { _ in "crm_fold(name) LIKE ?" }.joined(separator: " AND ")
        sql += " OR (id > ? AND \(likes))"
        args.append(.int(upTo))
        args += words.map { .text("%" + $0 + "%") }
        return (SQLCondition(sql, args), nil)
    }
}

extension Writer {
    /// The document over the custom columns whose text is searched.
    func searchDocument() throws -> String {
        let keys = try String.fetchAll(db.cachedStatement(sql: """
            SELECT key FROM custom_column WHERE entity = 'account' AND retired = 0 AND type IN ('text', 'choice') ORDER BY id
            """))
        if let cached = searchDocumentCache, cached.keys == keys { return cached.sql }
        let sql = SearchIndex.document(customKeys: keys)
        searchDocumentCache = (keys, sql)
        return sql
    }

    /// Brings the documents of these accounts up to date (those the index covers).
    func refreshSearch(accountIDs: [Int64]) throws {
        let upTo = try searchIndexedUpTo()
        let ids = accountIDs.filter { $0 <= upTo }
        guard !ids.isEmpty else { return }
        // One account at a time through statements prepared once per transaction.
        let remove = try db.cachedStatement(sql: "DELETE FROM account_search WHERE rowid = ?")
        let add = try db.cachedStatement(sql: "INSERT INTO account_search (rowid, body) SELECT a.id, \(try searchDocument()) FROM account a WHERE a.id = ?")
        for id in ids {
            try remove.execute(arguments: [id])
            try add.execute(arguments: [id])
        }
    }

    /// Runs `body` (a bulk write such as an import) with the search documents
    /// of the accounts it adds made together at its end, in one statement,
    /// instead of one by one as each is inserted.
    public func deferringSearchIndex<T>(_ body: () throws -> T) throws -> T {
        let upTo = try searchIndexedUpTo()
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM account")) ?? 0
        // Below a partial mark, new accounts wait for the background indexer anyway.
        guard upTo >= last else { return try body() }
        try setSearchMark(last)
        let result = try body()
        // Prepared once: a web form's submission runs it for every account it makes.
        try db.cachedStatement(sql: "INSERT INTO account_search (rowid, body) SELECT a.id, \(try searchDocument()) FROM account a WHERE a.id > ?")
            .execute(arguments: [last])
        try setSearchMark(upTo)
        return result
    }

    /// Indexes the next accounts past the mark; returns how many it indexed (0:
    /// the index is complete).
    public func indexSearchChunk(limit: Int) throws -> Int {
        let upTo = try searchIndexedUpTo()
        guard upTo != SearchIndex.complete else { return 0 }
        guard let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM (SELECT id FROM account WHERE id > ? ORDER BY id LIMIT ?)",
                                            arguments: [upTo, limit]) else {
            try setSearchMark(SearchIndex.complete)
            return 0
        }
        try db.execute(sql: "INSERT INTO account_search (rowid, body) SELECT a.id, \(try searchDocument()) FROM account a WHERE a.id > ? AND a.id <= ?",
                       arguments: [upTo, last])
        let done = db.changesCount
        try setSearchMark(last)
        return max(1, done)
    }

    func setSearchMark(_ value: Int64) throws {
        searchMarkCache = value
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO store_state (name, value) VALUES (?, ?)")
            .execute(arguments: [SearchIndex.stateName, value])
    }
}
