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
    @Test func clicksAreCountedPerLinkAndAddressesLeaveALine() throws {
        let db = try EmailHistoryTests.ready()
        try db.crm.addAddressesToMailList("L", [MailboxAddress("ana@alfa.ro"), MailboxAddress("ion@beta.ro"), MailboxAddress("eva@gama.ro")], by: db.admin)
        // Taken off the list: not a recipient; an address not there is named.
        try db.crm.removeFromMailList("l", email: "EVA@gama.ro", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.removeFromMailList("L", email: "eva@gama.ro", by: db.admin) }
        // Its own sender, checked; else the e-mail settings'.
        #expect { try db.crm.addCampaign(name: "C", list: "L", subject: "S", text: "t", from: "Vânzări <nu e>", by: db.admin) } throws: {
            ($0 as? CoreError)?.issues.map(\.field) == ["from"]
        }
        let campaign = try db.crm.addCampaign(name: "C", list: "L", subject: "S", text: "t", from: "Echipa Vânzări <vanzari@alfa.ro>", intervalMs: 0,
                                              by: db.admin)
        #expect(campaign.sender == "Echipa Vânzări <vanzari@alfa.ro>")
        let own = try db.crm.emailSettings(for: db.admin).settings
        #expect(try db.crm.addCampaign(name: "D", list: "L", subject: "S", text: "t", by: db.admin).sender
                == MailboxAddress(own.from ?? "", name: own.fromName).text)
        try db.crm.startCampaign("C", by: db.admin)
        var uuids: [String: String] = [:]
        while let r = try db.crm.claimRecipient(campaign: campaign.meta!.id, by: db.admin) {
            try db.crm.recordRecipient(r.meta!.id, .sent(messageID: "<\(r.meta!.id)@f.ro>"), by: db.admin)
            uuids[r.email] = r.meta!.uuid.description
        }
        #expect(uuids.count == 2)
        let (a, b) = ("https://firma.ro/a", "https://firma.ro/b")
        // Ana: a twice (in two batches) and b once; Ion: a once and an open.
        try db.crm.recordTracking([TrackingHit(email: uuids["ana@alfa.ro"]!, isClick: true, at: 10, url: a),
                                   TrackingHit(email: uuids["ana@alfa.ro"]!, isClick: true, at: 11, url: b),
                                   TrackingHit(email: uuids["ion@beta.ro"]!, isClick: false, at: 12)])
        try db.crm.recordTracking([TrackingHit(email: uuids["ana@alfa.ro"]!, isClick: true, at: 20, url: a),
                                   TrackingHit(email: uuids["ion@beta.ro"]!, isClick: true, at: 21, url: a)])
        let report = try db.crm.campaignReport("C", for: db.admin)
        #expect(report.links == [CampaignReport.Link(url: a, recipients: 2, clicks: 3), CampaignReport.Link(url: b, recipients: 1, clicks: 1)])
        #expect(report.clickers(of: a).map { "\($0.recipient.email) \($0.clicks)" } == ["ana@alfa.ro 2", "ion@beta.ro 1"])
        #expect(report.clickers(of: b).map(\.recipient.email) == ["ana@alfa.ro"] && report.clickers(of: "https://alt.ro").isEmpty)
        #expect(report.members(.clicked).count == 2 && report.members(.opened).count == 2 && report.members(.contacts).count == 2)
        // A campaign's message leaves from the bounce address with its recipient in it (VERP), when one is set.
        var settings = EmailSettings()
        #expect(settings.envelopeSender(recipient: "u-1") == nil)
        settings.bounces = "bounces@firma.ro"
        #expect(settings.envelopeSender(recipient: "0193-ab") == "bounces+0193-ab@firma.ro")
        #expect { try db.crm.setEmailSettings([.bounces: "nu e adresa"], mine: false, by: db.admin) } throws: {
            ($0 as? CoreError)?.issues.map(\.field) == ["bounces"]
        }
    }
}
