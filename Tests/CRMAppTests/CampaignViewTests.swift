import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// The campaign windows through the key map: a campaign made from a template
/// of blocks, the e-mail lists (new, addresses, import, removal, the
/// suppression list), a campaign's report with its lists and links exported,
/// and the template builder (add, edit, refuse a bad setting, move by key and
/// by mouse drag, save by name).
@Suite struct CampaignViewTests {
    /// A dialog's fields set as a person would type them, then F2.
    static func fill(_ db: DemoDatabase, _ browser: inout AccountBrowser, _ terminal: MemoryTerminal, _ values: [String: String]) {
        guard case .dialog(var dialog)? = browser.overlay else { Issue.record("no dialog: \(terminal.text)"); return }
        for (id, value) in values { dialog.form.set(id, value) }
        browser.overlay = .dialog(dialog)
        db.more(&browser, terminal, [.function(2)])
    }

    @Test func aCampaignIsMadeInItsWindowFromATemplateOfBlocks() throws {
        let db = try DemoDatabase(accounts: 20, invoicing: false)
        try db.crm.setEmailSettings([.host: "127.0.0.1"], mine: false, by: db.admin)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 130, height: 40)
        _ = browser.perform("campaigns.open")
        db.more(&browser, terminal, [.char("n")])
        #expect(terminal.text.contains("New campaign") && terminal.text.contains("Template of blocks"), "\(terminal.text)")
        // A pause that is not a number is named under its field; nothing is made.
        Self.fill(db, &browser, terminal, ["name": "Decembrie", "subject": "Oferte pentru {{client.name}}", "template": "Newsletter", "interval": "cinci"])
        #expect(try terminal.text.contains("a number of seconds") && (try db.crm.campaigns(for: db.admin)).count == 1)
        Self.fill(db, &browser, terminal, ["interval": "0,5"])
        let made = try db.crm.campaign("Decembrie", for: db.admin)
        #expect(made.status == .draft && made.record.intervalMs == 500 && made.list == "Newsletter clienți")
        let settings = try db.crm.emailSettings(for: db.admin).settings
        #expect(made.record.sender == MailboxAddress(settings.from ?? "", name: settings.fromName).text && made.record.sender.contains("@"))
        #expect(made.record.html?.contains("Vezi oferta de iarnă") == true && made.record.text.contains("VEZI") == false
                && made.record.text.contains("Vezi oferta de iarnă: https://www.carpaticsoft.ro/oferta-iarna"))
        #expect(terminal.text.contains("Campaign added: «Decembrie»") && terminal.text.contains("Decembrie · Newsletter clienți · draft"), "\(terminal.text)")
        // Given up, the dialog goes back to the campaigns.
        db.more(&browser, terminal, [.char("n"), .escape])
        guard case .campaigns? = browser.overlay else { Issue.record("not back on the campaigns: \(terminal.text)"); return }
        // A sender stopped with a recipient in hand: U asks what became of it; R queues it again.
        try db.crm.startCampaign("Decembrie", by: db.admin)
        let inHand = try #require(try db.crm.claimRecipient(campaign: made.record.meta!.id, by: db.admin))
        try db.crm.setCampaignStatus("Decembrie", .paused, by: db.admin)
        _ = browser.perform("campaigns.open")
        db.more(&browser, terminal, [.home, .char("u")])
        #expect(terminal.text.contains("No uncertain sending"), "\(terminal.text)")
        db.more(&browser, terminal, [.end])
        #expect(terminal.text.contains("1 uncertain (u decides)"), "\(terminal.text)")
        db.more(&browser, terminal, [.char("u")])
        #expect(terminal.text.contains("t = they got it"), "\(terminal.text)")
        db.more(&browser, terminal, [.char("r")])
        #expect(terminal.text.contains("1 recipients queued again"), "\(terminal.text)")
        #expect(try db.crm.campaignRecipients("Decembrie", for: db.admin).first { $0.meta!.id == inHand.meta!.id }?.state == "queued")
    }

    @Test func theListsWindowMakesListsTakesAddressesImportsAndRemoves() throws {
        let db = try DemoDatabase(accounts: 10, invoicing: false)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 130, height: 40)
        _ = browser.perform("maillists.open")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("E-mail lists") && terminal.text.contains("Newsletter clienți") && terminal.text.contains("Suppression list"),
                "\(terminal.text)")
        // A new list with two addresses typed (one twice, case aside).
        db.more(&browser, terminal, [.char("n")])
        Self.fill(db, &browser, terminal, ["name": "Parteneri", "addresses": "Ana Pop <ana@parteneri.ro>\nion@parteneri.ro, ANA@parteneri.ro"])
        #expect(try db.crm.mailListMembers("Parteneri", for: db.admin).map(\.email) == ["ana@parteneri.ro", "ion@parteneri.ro"])
        #expect(terminal.text.contains("The list «Parteneri» made, with 2 addresses") && terminal.text.contains("ana@parteneri.ro"), "\(terminal.text)")
        // A bad address typed is refused, nothing added.
        db.more(&browser, terminal, [.char("a")])
        Self.fill(db, &browser, terminal, ["addresses": "maria@parteneri.ro, nu-e-adresa"])
        #expect(try terminal.text.contains("nu-e-adresa") && (try db.crm.mailListMembers("Parteneri", for: db.admin)).count == 2, "\(terminal.text)")
        Self.fill(db, &browser, terminal, ["addresses": "maria@parteneri.ro"])
        #expect(try db.crm.mailListMembers("Parteneri", for: db.admin).count == 3)
        // An import with a bad row stops it all; with the box ticked the good rows come and the bad one is named.
        let csv = db.dir.appendingPathComponent("adrese.csv")
        try "E-mail,Nume\r\nvlad@parteneri.ro,Vlad\r\nnimic,Rău\r\nana@parteneri.ro,Ana\r\n".write(to: csv, atomically: true, encoding: .utf8)
        db.more(&browser, terminal, [.char("i")])
        Self.fill(db, &browser, terminal, ["file": csv.path])
        #expect(try terminal.text.contains("1 bad addresses") && terminal.text.contains("row 3") && (try db.crm.mailListMembers("Parteneri", for: db.admin)).count == 3,
                "\(terminal.text)")
        Self.fill(db, &browser, terminal, ["skip": "da"])
        #expect(terminal.text.contains("1 addresses imported, 1 already on the list"), "\(terminal.text)")
        #expect(try db.crm.mailListMembers("Parteneri", for: db.admin).map(\.email).contains("vlad@parteneri.ro"))
        // Del on an address asks once more, then takes it off the list.
        db.more(&browser, terminal, [.tab, .home, .delete])
        #expect(terminal.text.contains("Del once more takes «ana@parteneri.ro» off the list"), "\(terminal.text)")
        #expect(try db.crm.mailListMembers("Parteneri", for: db.admin).count == 4)
        db.more(&browser, terminal, [.delete])
        #expect(try db.crm.mailListMembers("Parteneri", for: db.admin).map(\.email) == ["ion@parteneri.ro", "maria@parteneri.ro", "vlad@parteneri.ro"])
        // The suppression list: an address added by hand, then let go.
        db.more(&browser, terminal, [.end, .char("a")])
        Self.fill(db, &browser, terminal, ["addresses": "ion@parteneri.ro"])
        #expect(try db.crm.suppressions(for: db.admin).contains { $0.email == "ion@parteneri.ro" && $0.reason == "manual" })
        #expect(terminal.text.contains("suppressed by hand"), "\(terminal.text)")
        let suppressed = try db.crm.suppressions(for: db.admin).count
        db.more(&browser, terminal, [.tab, .end, .delete, .delete])
        #expect(try db.crm.suppressions(for: db.admin).count == suppressed - 1)
        // Esc goes back to the campaigns.
        db.more(&browser, terminal, [.escape])
        guard case .campaigns? = browser.overlay else { Issue.record("not on the campaigns: \(terminal.text)"); return }
    }

    @Test func theReportShowsItsListsAndLinksAndExportsThem() throws {
        let db = try DemoDatabase(accounts: 40, invoicing: false)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 130, height: 40)
        let report = try db.crm.campaignReport("Newsletter noiembrie", for: db.admin)
        #expect(!report.links.isEmpty && report.links.allSatisfy { $0.url.hasPrefix("https://www.carpaticsoft.ro/") })
        _ = browser.perform("campaigns.open")
        db.more(&browser, terminal, [.home, .enter])
        #expect(terminal.text.contains("Report: Newsletter noiembrie · finished") && terminal.text.contains("Contacts")
                && terminal.text.contains("Unsubscribed") && terminal.text.contains("🔗 carpaticsoft.ro/"), "\(terminal.text)")
        // Bounced: the one refused, with the server's reply.
        db.more(&browser, terminal, [.down, .down, .down, .down])
        #expect(terminal.text.contains("bounced") && terminal.text.contains("550 5.1.1"), "\(terminal.text)")
        // Enter on the row shows it whole.
        db.more(&browser, terminal, [.tab, .enter])
        #expect(terminal.text.contains("Server's reply: 550 5.1.1 mailbox unavailable"), "\(terminal.text)")
        db.more(&browser, terminal, [.tab])
        // The first link: those who clicked it, exported to a file.
        db.more(&browser, terminal, [.down, .down, .char("e")])
        let file = db.dir.appendingPathComponent("link.csv")
        Self.fill(db, &browser, terminal, ["file": file.path])
        let lines = try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline)
        #expect(lines.first == "E-mail,Name,State,Opens,Clicks on the link,Server's reply" && lines.count == report.links[0].recipients + 1, "\(lines)")
        #expect(terminal.text.contains("\(report.links[0].recipients) rows exported"), "\(terminal.text)")
        // A file that is neither .xlsx nor .csv is refused in the dialog.
        db.more(&browser, terminal, [.char("e")])
        Self.fill(db, &browser, terminal, ["file": db.dir.appendingPathComponent("x.pdf").path])
        #expect(terminal.text.contains("x.pdf»: an .xlsx"), "\(terminal.text)")
        db.more(&browser, terminal, [.escape, .char("d"), .escape])
        guard case .campaigns? = browser.overlay else { Issue.record("not back on the campaigns: \(terminal.text)"); return }
    }

    @Test func theBuilderAddsEditsMovesAndSavesBlocks() throws {
        let db = try DemoDatabase(accounts: 3, invoicing: false)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 130, height: 40)
        _ = browser.perform("campaign.templates")
        db.more(&browser, terminal, [.home, .enter])
        #expect(terminal.text.contains("Campaign template: new") && terminal.text.contains("1. Title · Title"), "\(terminal.text)")
        // Ins, 4: a button after the chosen block; its dialog asks for its label and link.
        db.more(&browser, terminal, [.home, .insert, .char("4")])
        #expect(terminal.text.contains("Block 2: Button"), "\(terminal.text)")
        Self.fill(db, &browser, terminal, ["text": "Comandă acum", "link": "ftp://magazin.ro"])
        #expect(terminal.text.contains("an http(s):// address"), "\(terminal.text)")
        Self.fill(db, &browser, terminal, ["link": "https://magazin.ro/iarna", "align": "center", "color": "#zz0000"])
        #expect(terminal.text.contains("a colour #rrggbb"), "\(terminal.text)")
        Self.fill(db, &browser, terminal, ["color": "#AA0000"])
        guard case .blocks(let builder)? = browser.overlay else { Issue.record("not back in the builder: \(terminal.text)"); return }
        #expect(builder.blocks.map(\.kind) == [.title, .button, .text] && builder.blocks[1].color == "#aa0000" && builder.dirty)
        // The preview is the text part, the button centred.
        #expect(terminal.text.contains("Comandă acum: https://magazin.ro/iarna") && terminal.text.contains("2. Button · Comandă acum"), "\(terminal.text)")
        // A block added and given up goes again.
        db.more(&browser, terminal, [.insert, .char("3"), .escape])
        guard case .blocks(let after)? = browser.overlay else { Issue.record("not in the builder: \(terminal.text)"); return }
        #expect(after.blocks.count == 3)
        // Shift+Down moves the button below the text; a drag with the mouse moves the text back to the top.
        db.more(&browser, terminal, [.shiftDown])
        guard case .blocks(let moved)? = browser.overlay else { return }
        #expect(moved.blocks.map(\.kind) == [.title, .text, .button] && moved.cursor == 2)
        let box = BlockBuilder.box(width: 130, height: 40)
        db.more(&browser, terminal, [.mouse(MouseEvent(.click, x: box.x + 4, y: box.y + 2)), .mouse(MouseEvent(.release, x: box.x + 4, y: box.y + 1))])
        guard case .blocks(let dragged)? = browser.overlay else { return }
        #expect(dragged.blocks.map(\.kind) == [.text, .title, .button] && dragged.cursor == 0, "\(dragged.blocks.map(\.kind))")
        // A divider needs no settings; Del deletes the chosen block.
        db.more(&browser, terminal, [.end, .insert, .char("5")])
        guard case .blocks(let divided)? = browser.overlay else { return }
        #expect(divided.blocks.map(\.kind) == [.text, .title, .button, .divider])
        db.more(&browser, terminal, [.delete])
        // F2 asks for a name the first time, then saves.
        db.more(&browser, terminal, [.function(2)])
        Self.fill(db, &browser, terminal, ["name": "Iarna"])
        #expect(terminal.text.contains("The template «Iarna» was saved") && terminal.text.contains("Campaign template: Iarna"), "\(terminal.text)")
        let saved = try db.crm.blockTemplate("Iarna", for: db.admin)
        #expect(saved.map(\.kind) == [.text, .title, .button] && saved[2].link == "https://magazin.ro/iarna" && saved[2].align == .center)
        // Esc with unsaved changes asks first.
        db.more(&browser, terminal, [.shiftUp, .escape])
        #expect(terminal.text.contains("Unsaved changes"), "\(terminal.text)")
        db.more(&browser, terminal, [.char("d")])
        guard case .none = browser.overlay else { Issue.record("the builder stayed: \(terminal.text)"); return }
    }
}
