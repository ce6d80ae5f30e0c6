import GRDB

extension Reader {
    /// The first recipient of a campaign due now (queued, its retry time passed), in order.
    public func nextRecipient(campaignID: Int64, now: Int64) throws -> CampaignRecipientRecord? {
        try fetchRecords(CampaignRecipientRecord.self, sql: """
            SELECT * FROM campaign_recipient WHERE campaign_id = ? AND state = 'queued' AND next_at <= ? ORDER BY next_at, id LIMIT 1
            """, [.int(campaignID), .int(now)]).first
    }

    /// When the next deferred recipient of a campaign falls due (nil: none queued).
    public func nextRetry(campaignID: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MIN(next_at) FROM campaign_recipient WHERE campaign_id = ? AND state = 'queued'", arguments: [campaignID])
    }

    /// How many recipients of a campaign opened it, and clicked a link in it.
    public func recipientEngagement(campaignID: Int64) throws -> (opened: Int, clicked: Int) {
        let row = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(opens > 0 OR clicks > 0), 0), COALESCE(SUM(clicks > 0), 0) FROM campaign_recipient WHERE campaign_id = ?
            """, arguments: [campaignID])
        return (row?[0] ?? 0, row?[1] ?? 0)
    }

    /// How many recipients of a campaign are in each state.
    public func recipientCounts(campaignID: Int64) throws -> [(String, Int)] {
        try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM campaign_recipient WHERE campaign_id = ? GROUP BY state", arguments: [campaignID])
            .map { ($0[0], $0[1]) }
    }
}
