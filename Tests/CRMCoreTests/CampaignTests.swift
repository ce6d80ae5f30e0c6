import CRMCore
import CRMStore
import Foundation
import Testing

/// Campaigns in the core: lists without repeated addresses, the suppression
/// list skipped, each recipient claimed before its message leaves, refusals
/// for now queued again, refusals for good bounced and suppressed, the
/// campaign finished only when nothing is left.
@Suite struct CampaignTests {
    @Test func recipientsMoveThroughTheirStatesAndNothingIsDroppedOrSentTwice() throws {
        let db = try EmailHistoryTests.ready()
        try db.crm.addContact(toAccount: "A1", [.name: "Ana Pop", .email: "ana@alfa.ro"], primary: true, by: db.admin)
        let added = try db.crm.addAccountsToMailList("Toamnă", accounts: ["A1", "B1"], by: db.admin)
        #expect(added.added == 1 && added.withoutAddress == ["Beta SRL"])
        let typed = try db.crm.addAddressesToMailList("toamnă", [MailboxAddress("ANA@alfa.ro"), MailboxAddress("ion@beta.ro"), MailboxAddress("x@y.ro")],
                                                      by: db.admin)
        #expect(typed.added == 2 && typed.already == 1)
        try db.crm.suppress("x@y.ro", reason: .manual, by: db.admin)
        #expect { try db.crm.addCampaign(name: "C", list: "Toamnă", subject: "{{nu.exista}}", text: "", by: db.admin) } throws: {
            ($0 as? CoreError)?.issues.map(\.field) == ["subject"]
        }
        let campaign = try db.crm.addCampaign(name: "Toamna", list: "Toamnă", subject: "Salut {{client.contact}}", text: "t", intervalMs: 0, by: db.admin)
        let id = campaign.meta!.id
        // A draft sends nothing.
        #expect(try db.crm.claimRecipient(campaign: id, by: db.admin) == nil)
        let started = try db.crm.startCampaign("toamna", by: db.admin)
        #expect(started.count(.queued) == 2 && started.count(.skipped) == 1)
        // Claimed: committed as sending, attempt counted, before anything leaves.
        let first = try #require(try db.crm.claimRecipient(campaign: id, by: db.admin))
        let inHand = try db.crm.campaign("Toamna", for: db.admin).count(.sending)
        #expect(first.state == "sending" && first.attempts == 1 && inHand == 1)
        // Refused for now: queued again, not due before its time; the campaign not finished meanwhile.
        try db.crm.recordRecipient(first.meta!.id, .deferred(reply: "451 slow down", retryAt: Int64.max), by: db.admin)
        let second = try #require(try db.crm.claimRecipient(campaign: id, by: db.admin))
        #expect(second.email != first.email)
        try db.crm.recordRecipient(second.meta!.id, .bounced(reply: "550 no such user"), by: db.admin)
        #expect(try db.crm.claimRecipient(campaign: id, by: db.admin) == nil)
        #expect(try db.crm.finishCampaignIfDone(id, by: db.admin) == false)
        #expect(try db.crm.suppressions(for: db.admin).map(\.email).contains(second.email))
        // Paused: nothing is claimed; resumed, the deferred one (made due) goes, then the campaign is finished.
        try db.crm.setCampaignStatus("Toamna", .paused, by: db.admin)
        _ = try db.store.write(userID: nil, operation: "test") { w in
            try w.update(CampaignRecipientRecord.self, id: first.meta!.id, set: ["next_at": .int(0)])
        }
        #expect(try db.crm.claimRecipient(campaign: id, by: db.admin) == nil)
        try db.crm.startCampaign("Toamna", by: db.admin)
        let again = try #require(try db.crm.claimRecipient(campaign: id, by: db.admin))
        #expect(again.meta!.id == first.meta!.id && again.attempts == 2)
        try db.crm.recordRecipient(again.meta!.id, .sent(messageID: "<1@f.ro>"), by: db.admin)
        #expect(try db.crm.finishCampaignIfDone(id, by: db.admin))
        let done = try db.crm.campaign("Toamna", for: db.admin)
        #expect(done.status == .finished && done.count(.sent) == 1 && done.count(.bounced) == 1 && done.count(.skipped) == 1)
        #expect(throws: CoreError.self) { try db.crm.startCampaign("Toamna", by: db.admin) }
        // An account on a list and in a campaign can still be deleted: its addresses stay, untied.
        try db.crm.deleteAccount("A1", by: db.admin)
        #expect(try db.crm.mailListMembers("Toamnă", for: db.admin).allSatisfy { $0.accountID == nil })
    }
}
