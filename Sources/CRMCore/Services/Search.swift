import CRMStore

/// How far the accounts' search index goes.
public struct SearchIndexState: Sendable, Equatable {
    public let indexed: Int
    public let total: Int
    public var complete: Bool { indexed >= total }
}

extension CRM {
    public func searchIndexState() throws -> SearchIndexState {
        try read { r in
            let upTo = try r.searchIndexedUpTo()
            let total = try r.count(AccountRecord.self)
            let indexed = upTo == Int64.max ? total : try r.countAccounts(upTo: upTo)
            return SearchIndexState(indexed: indexed, total: total)
        }
    }

    /// Fills the search index past its mark in short transactions (other
    /// sessions go on writing between them); `progress` hears (indexed, total)
    /// and returns false to stop — what was indexed stays, the rest waits for
    /// the next run. Returns the accounts indexed.
    @discardableResult
    public func buildSearchIndex(chunk: Int = 20_000, progress: (Int, Int) -> Bool = { _, _ in true }) throws -> Int {
        var done = 0
        while true {
            let n = try storeCall { try store.write(userID: nil, operation: "search.index") { try $0.indexSearchChunk(limit: chunk) } }
            if n == 0 { break }
            done += n
            let state = try searchIndexState()
            guard progress(state.indexed, state.total) else { break }
        }
        return done
    }
}
