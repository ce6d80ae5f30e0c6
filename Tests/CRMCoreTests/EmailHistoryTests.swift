import CRMCore
import CRMStore
import Foundation
import Testing

/// E-mails in an account's history (OFF-4) and their tracking: stored before
/// they are sent, their outcome after, opens and clicks counted; the tokens of
/// the tracking addresses signed; rights, zones, merge and deletion.
@Suite struct EmailHistoryTests {
    static func ready() throws -> TestDatabase {
        let db = try TestDatabase()
        try db.crm.setEmailSettings([.host: "127.0.0.1", .port: "2525", .security: "none", .from: "office@firma.ro", .fromName: "Firmă, Vânzări"],
                                    mine: false, by: db.admin)
        for (code, name, zone) in [("A1", "Alfa SRL", "Nord"), ("B1", "Beta SRL", "Sud")] {
            if (try? db.crm.addZone(name: zone, by: db.admin)) == nil {}
            try db.crm.addAccount(AccountInput(fields: [.code: code, .name: name, .zone: zone]), by: db.admin)
        }
        return db
    }

    @Test func anEmailIsStoredBeforeItIsSentWithItsFilesAndThenItsOutcome() throws {
        let db = try Self.ready()
        let stored = try db.crm.recordEmail(EmailDraft(account: "A1", to: ["Ana Pop <ana@alfa.ro>", "ion@alfa.ro"], cc: ["\"Pop, Maria\" <maria@alfa.ro>"],
                                                       subject: "Ofertă\nnouă", text: "Bună ziua", files: [NoteAttachment(name: "../Ofertă.pdf", data: [1, 2, 3])]),
                                            by: db.admin)
        let r = stored.record
        #expect(r.state == .sending && r.attempts == 0 && r.sender == "\"Firmă, Vânzări\" <office@firma.ro>")
        #expect(r.recipients == "Ana Pop <ana@alfa.ro>, ion@alfa.ro" && r.cc == "\"Pop, Maria\" <maria@alfa.ro>" && r.subject == "Ofertă nouă")
        #expect(stored.files.map(\.name) == ["Ofertă.pdf"] && stored.createdBy == "tester" && stored.account == "Alfa SRL")
        #expect(try db.crm.emailFiles(stored.uuid, for: db.admin).first?.data == [1, 2, 3])
        // Failed: the reason in both languages, each reader's own; then sent again, once.
        try db.crm.recordEmailOutcome(stored.uuid, messageID: "<1@firma.ro>", failure: Localized(ro: "refuzat\nde server", en: "refused\nby the server"),
                                      by: db.admin)
        var now = try db.crm.email(stored.uuid, for: db.admin).record
        #expect(now.state == .failed && now.failure(.ro) == "refuzat de server" && now.failure(.en) == "refused by the server" && now.attempts == 1)
        try db.crm.beginSending(stored.uuid, by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.beginSending(stored.uuid, by: db.admin) }
        try db.crm.recordEmailOutcome(stored.uuid, messageID: "<2@firma.ro>", failure: nil, by: db.admin)
        now = try db.crm.email(stored.uuid, for: db.admin).record
        #expect(now.state == .sent && now.error == nil && now.sentAt != nil && now.attempts == 2 && now.messageID == "<2@firma.ro>")
        #expect(throws: CoreError.self) { try db.crm.beginSending(stored.uuid, by: db.admin) }
        // Bad addresses, no recipient, no subject: refused, naming the fields, nothing stored.
        #expect { try db.crm.recordEmail(EmailDraft(account: "A1", to: ["nu-e-adresă"], cc: ["x@"], subject: "s", text: ""), by: db.admin) } throws: {
            Set(($0 as? CoreError)?.issues.map(\.field) ?? []) == ["to", "cc"]
        }
        #expect { try db.crm.recordEmail(EmailDraft(account: "A1", to: [], subject: " ", text: ""), by: db.admin) } throws: {
            Set(($0 as? CoreError)?.issues.map(\.field) ?? []) == ["to", "subject"]
        }
        #expect(try db.crm.emails(for: db.admin).count == 1)
        // Every write is in the change log, under who did it.
        let log = try db.store.read { r in try r.changes(userID: nil, since: nil, entity: EmailRecord.table, limit: 1000) }
        #expect(log.contains { $0.op == "insert" } && log.allSatisfy { $0.userID == db.admin.id })
    }

    @Test func withoutSettingsNothingIsStoredAndZonesAndRightsHold() throws {
        let db = try TestDatabase()
        try db.crm.addAccount(AccountInput(fields: [.code: "A1", .name: "Alfa SRL"]), by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.recordEmail(EmailDraft(account: "A1", to: ["a@b.ro"], subject: "s", text: "t"), by: db.admin) }
        let zoned = try Self.ready()
        let south = try zoned.crm.recordEmail(EmailDraft(account: "B1", to: ["b@beta.ro"], subject: "Sud", text: "t"), by: zoned.admin)
        try zoned.crm.addUser(UserRecord(login: "ion", name: "Ion", unixLogin: "ion"), zones: ["Nord"], by: zoned.admin)
        let ion = try zoned.crm.actor(unixLogin: "ion", from: nil)
        #expect(try zoned.crm.emails(for: ion).isEmpty)
        #expect(throws: CoreError.self) { _ = try zoned.crm.email(south.uuid, for: ion) }
        #expect(throws: CoreError.self) { try zoned.crm.recordEmail(EmailDraft(account: "B1", to: ["b@beta.ro"], subject: "s", text: "t"), by: ion) }
        // The company's settings serve the user too.
        #expect(try zoned.crm.recordEmail(EmailDraft(account: "A1", to: ["a@alfa.ro"], subject: "s", text: "t"), by: ion).record.sender.contains("office@firma.ro"))
    }

    @Test func emailsFollowMergesAndOpportunitiesAndGoWithTheirAccount() throws {
        let db = try Self.ready()
        let item = try db.crm.addWorkItem(.opportunity, account: "B1", [:], by: db.admin)
        let onItem = try db.crm.recordEmail(EmailDraft(item: item.meta!.uuid.description, to: ["b@beta.ro"], subject: "Oportunitate", text: "t"),
                                            by: db.admin)
        #expect(onItem.record.itemID == item.meta!.id)
        #expect(try db.crm.emails(item: item.meta!.uuid.description, for: db.admin).count == 1)
        // Merged into A1: the e-mail follows; the undo takes it back.
        let result = try db.crm.merge(try db.crm.mergePlan(survivor: "A1", others: ["B1"], for: db.admin), by: db.admin)
        #expect(try db.crm.emails(account: "A1", for: db.admin).count == 1)
        try db.crm.undoMerge(result.operation, by: db.admin)
        #expect(try db.crm.emails(account: "B1", for: db.admin).count == 1 && db.crm.emails(account: "A1", for: db.admin).isEmpty)
        // The opportunity deleted: the e-mail stays on the account.
        try db.crm.deleteWorkItem(item.meta!.uuid.description, by: db.admin)
        let kept = try db.crm.email(onItem.uuid, for: db.admin).record
        #expect(kept.itemID == nil && kept.accountID == onItem.record.accountID)
        // The account deleted: its e-mails (and their files' rows) go with it.
        try db.crm.recordEmail(EmailDraft(account: "B1", to: ["b@beta.ro"], subject: "f", text: "t", files: [NoteAttachment(name: "a.txt", data: [9])]),
                               by: db.admin)
        try db.crm.deleteAccount("B1", by: db.admin)
        #expect(try db.crm.emails(for: db.admin).isEmpty)
        #expect(try db.store.read { r in try r.count(EmailFileRecord.self) } == 0)
    }

    @Test func opensAndClicksAreCountedTheFirstTimed() throws {
        let db = try Self.ready()
        let e = try db.crm.recordEmail(EmailDraft(account: "A1", to: ["a@alfa.ro"], subject: "s", text: "t"), by: db.admin)
        #expect(e.record.tracking == .notOpened)
        let counted = try db.crm.recordTracking([TrackingHit(email: e.uuid, isClick: false, at: 5_000), TrackingHit(email: e.uuid, isClick: false, at: 4_000),
                                                 TrackingHit(email: UUID().uuidString.lowercased(), isClick: false, at: 1)])
        #expect(counted == 2)
        var r = try db.crm.email(e.uuid, for: db.admin).record
        #expect(r.opens == 2 && r.openedAt == 4_000 && r.tracking == .opened)
        try db.crm.recordTracking([TrackingHit(email: e.uuid, isClick: true, at: 9_000)])
        try db.crm.recordTracking([TrackingHit(email: e.uuid, isClick: true, at: 10_000)])
        r = try db.crm.email(e.uuid, for: db.admin).record
        #expect(r.clicks == 2 && r.clickedAt == 9_000 && r.tracking == .clicked)
        // Written by the service, by no user.
        let log = try db.store.read { r in try r.changes(userID: nil, since: nil, entity: EmailRecord.table, limit: 1000) }.filter { $0.field == "opens" }
        #expect(!log.isEmpty && log.allSatisfy { $0.userID == nil })
    }

    @Test func trackingTokensAreSignedAndAnyChangeIsRefused() throws {
        let signer = TrackingSigner(key: Array(repeating: 1, count: 32))
        let email = UUID().uuidString.lowercased()
        let click = TrackingTarget.click(email: email, link: 2, url: "https://firma.ro/a?b=1&c=ș")
        let token = signer.token(click)
        #expect(signer.verify(token) == click && signer.verify(signer.token(.open(email: email))) == .open(email: email))
        // Every one-character change is refused; so is another key's token, and garbage.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var characters = Array(token)
        for i in characters.indices where characters[i] != "." {
            let original = characters[i]
            characters[i] = alphabet.first { $0 != original }!
            #expect(signer.verify(String(characters)) == nil)
            characters[i] = alphabet.last { $0 != original }!
            #expect(signer.verify(String(characters)) == nil)
            characters[i] = original
        }
        #expect(TrackingSigner(key: Array(repeating: 2, count: 32)).verify(token) == nil)
        for junk in ["", ".", "abc", "abc.def", token + ".x", String(repeating: "A", count: 5000)] { #expect(signer.verify(junk) == nil) }
        // A signed target whose link is not a web address is refused too.
        #expect(signer.verify(signer.token(.click(email: email, link: 1, url: "javascript:alert(1)"))) == nil)
    }

    @Test func theHTMLOfATrackedEmailLeadsItsWebLinksThroughTheServiceAndEndsWithThePixel() throws {
        let signer = TrackingSigner(key: Array(repeating: 3, count: 32))
        let email = UUID().uuidString.lowercased()
        let html = "<html><BODY><a HREF='https://a.ro/x?y=1&amp;z=2'>a</a> <a href=\"mailto:o@f.ro\">m</a> <a href=\"#sus\">s</a>"
            + " <a href=\"http://b.ro\">b</a></body></html>"
        let tracked = TrackedHTML.instrument(html, email: email, baseURL: "https://crm.firma.ro/", signer: signer)
        #expect(tracked.contains("href=\"mailto:o@f.ro\"") && tracked.contains("href=\"#sus\"") && !tracked.contains("a.ro/x"))
        let tokens = tracked.components(separatedBy: "https://crm.firma.ro/t/c/").dropFirst().map { String($0.prefix { $0 != "\"" && $0 != "'" }) }
        #expect(tokens.map { signer.verify($0) } == [.click(email: email, link: 1, url: "https://a.ro/x?y=1&z=2"), .click(email: email, link: 2, url: "http://b.ro")])
        let pixel = try #require(tracked.range(of: "https://crm.firma.ro/t/o/"))
        #expect(pixel.lowerBound < tracked.range(of: "</body>")!.lowerBound)
        // A text message becomes HTML with its addresses as links, escaped.
        let fromText = TrackedHTML.html(ofText: "Vedeți https://firma.ro <acum> & azi\n\nMulțumim")
        #expect(fromText.contains("<a href=\"https://firma.ro\">https://firma.ro</a>") && fromText.contains("&lt;acum&gt; &amp; azi")
                && fromText.contains("<p>Mulțumim</p>"))
        // An address at a line's end, or closing a sentence, is a link to itself only.
        let lines = TrackedHTML.html(ofText: "Prima: https://firma.ro/a\nA doua (https://firma.ro/b).")
        #expect(lines.contains("<a href=\"https://firma.ro/a\">https://firma.ro/a</a><br>\nA doua")
                && lines.contains("(https://firma.ro/b") == false && lines.contains("<a href=\"https://firma.ro/b\">https://firma.ro/b</a>).</p>"), "\(lines)")
    }

    @Test func addressListsAreParsedAsPeopleWriteThem() throws {
        let list = try MailboxAddress.list("Ana Pop <ANA@Alfa.ro>; \"Pop, Ion\" <ion@alfa.ro>,maria@alfa.ro\n", field: "to")
        #expect(list.map(\.email) == ["ANA@alfa.ro", "ion@alfa.ro", "maria@alfa.ro"] && list[1].name == "Pop, Ion")
        #expect(list.map(\.text) == ["Ana Pop <ANA@alfa.ro>", "\"Pop, Ion\" <ion@alfa.ro>", "maria@alfa.ro"])
        #expect { try MailboxAddress.list("a@b.ro, nu", field: "cc") } throws: { ($0 as? CoreError)?.issues.map(\.value) == ["nu"] }
    }
}
