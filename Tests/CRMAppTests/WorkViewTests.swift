import CRMCore
import CRMStore
import CRMText
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// Opportunities, activities and notes from the Clienți page, through the
/// shipped key map on the in-memory screen.
@Suite struct WorkViewTests {
    static func tabs(to id: String, in browser: AccountBrowser) -> [Key] {
        guard case .dialog(let dialog)? = browser.overlay, let i = dialog.form.fields.firstIndex(where: { $0.id == id }) else { return [] }
        return Array(repeating: .tab, count: i - dialog.form.focus)
    }

    @Test func anOpportunityIsAddedMovedToAStageAndGetsANoteWithAFile() throws {
        let db = try DemoDatabase(accounts: 5)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 40)
        db.more(&browser, terminal, [])
        let account = try #require(browser.selectedAccount)
        let uuid = account.record.meta!.uuid.description
        let before = try db.crm.workItems(.opportunity, account: uuid, for: db.admin).count

        // Alt+O: Adăugare Oportunitate on the selected account.
        db.more(&browser, terminal, [.alt("o")])
        #expect(terminal.text.contains("Add opportunity"))
        db.more(&browser, terminal, Self.tabs(to: "amount", in: browser) + type("12 500,50"))
        db.more(&browser, terminal, Self.tabs(to: "reminder", in: browser) + type("2030-01-02 09:30"))
        db.more(&browser, terminal, Self.tabs(to: "details", in: browser) + type("Licențe software") + [.function(2)])
        #expect(browser.overlay == nil && terminal.text.contains("Opportunity added"))
        let items = try db.crm.workItems(.opportunity, account: uuid, for: db.admin)
        #expect(items.count == before + 1)
        let added = try #require(items.first { $0.record.details == "Licențe software" })
        #expect(added.record.amount == 1_250_050 && added.record.currency == "RON" && added.stage.name == "Prospectare")
        #expect(added.record.reminderAt == (try #require(try? FieldRulesProbe.dateTime("2030-01-02 09:30"))))
        // The Istoric tab shows it, newest first; Enter opens it with its own history, F4 its dialog, and a new stage is saved.
        #expect(browser.tab == .work && terminal.text.contains("Opp. Prospectare · 12500.50 RON"), "\(terminal.text)")
        db.more(&browser, terminal, [.home, .enter])
        guard case .item(let view)? = browser.overlay else { Issue.record("the opportunity did not open"); return }
        #expect(view.item.uuid == added.uuid && terminal.text.contains("Opportunity — ") && terminal.text.contains("History: offers, notes and files (0)"))
        db.more(&browser, terminal, [.function(4)])
        guard case .dialog(let dialog)? = browser.overlay, case .workItem(_, let opened?, _, _) = dialog.purpose else {
            Issue.record("its dialog did not open"); return
        }
        #expect(opened == added.uuid)
        db.more(&browser, terminal, [.char("o"), .function(2)])  // Ofertare, picked by its letter
        #expect(try db.crm.workItem(added.uuid, for: db.admin).stage.name == "Ofertare")
        // Saved, the dialog closes back onto the item, which shows the new stage; Alt+N there adds a note to it.
        guard case .item(let back)? = browser.overlay else { Issue.record("the item's view did not come back"); return }
        #expect(back.item.stage.name == "Ofertare")
        db.more(&browser, terminal, [.alt("n"), .tab] + type("Trimis catalogul") + [.function(2)])
        guard case .item(let noted)? = browser.overlay else { Issue.record("the item's view did not come back"); return }
        #expect(noted.history.count == 1 && terminal.text.contains("Trimis catalogul") && terminal.text.contains("History: offers, notes and files (1)"))
        db.more(&browser, terminal, [.escape])
        #expect(browser.overlay == nil)
        // A double click on its line opens it too.
        let l = browser.layout
        let line = try #require(browser.work.firstIndex { if case .item(let d) = $0 { return d.uuid == added.uuid } else { return false } })
        db.more(&browser, terminal, [.mouse(MouseEvent(.doubleClick, x: l.details.x + 3, y: browser.tabRow(l.details) + 1 + line))])
        guard case .item(let clicked)? = browser.overlay, clicked.item.uuid == added.uuid else {
            Issue.record("the double click did not open it"); return
        }
        db.more(&browser, terminal, [.escape])
        // Alt+N on the opportunity: a note with a file.
        let file = db.dir.appendingPathComponent("oferta.txt")
        try "Ofertă".write(to: file, atomically: true, encoding: .utf8)
        db.more(&browser, terminal, [.alt("n"), .char("t"), .tab] + type("Sunat, trimis oferta") + [.tab] + type(file.path) + [.function(2)])
        #expect(browser.overlay == nil)
        let notes = try db.crm.notes(item: added.uuid, for: db.admin)
        #expect(notes.count == 2 && notes.first?.record.type == "Telefon" && notes.first?.files.map(\.name) == ["oferta.txt"])
        // Enter on the note: its file saved where the user says, then opened by the desktop's opener.
        let bin = db.dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let marker = db.dir.appendingPathComponent("opened")
        try "#!/bin/sh\necho \"$1\" > \(marker.path)\n".write(to: bin.appendingPathComponent("xdg-open"), atomically: true, encoding: .utf8)
        chmod(bin.appendingPathComponent("xdg-open").path, 0o755)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        setenv("PATH", bin.path + ":" + path, 1)
        defer { setenv("PATH", path, 1) }
        let noteLine = try #require(browser.work.firstIndex { if case .note(let n) = $0 { return !n.files.isEmpty } else { return false } })
        let saved = db.dir.appendingPathComponent("salvat.txt").path
        db.more(&browser, terminal, [.home] + Array(repeating: .down, count: noteLine) + [.enter])
        #expect(terminal.text.contains("The note's files") && terminal.text.contains("oferta.txt"))
        db.more(&browser, terminal, [.tab, .ctrl("u")] + type(saved) + [.tab, .char(" "), .function(2)])
        #expect(browser.overlay == nil)
        #expect(try String(contentsOfFile: saved, encoding: .utf8) == "Ofertă")
        #expect(try String(contentsOfFile: marker.path, encoding: .utf8) == saved + "\n")
        // A file that cannot be read leaves the dialog open with the reason.
        db.more(&browser, terminal, [.alt("n"), .tab] + type("Alta") + [.tab] + type("/nonexistent/x.pdf") + [.function(2)])
        guard case .dialog(let refused)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(refused.form.fields.first { $0.id == "file" }?.error?.contains("cannot be read") == true)
    }
}

@Suite struct NotesListTests {
    @Test func notesAndFilesAreSearchedFilteredAndExported() throws {
        let db = try DemoDatabase(accounts: 40)
        let account = try db.crm.accounts(folder: nil, limit: 1, for: db.admin).accounts[0]
        try db.crm.addNote(account: account.record.meta!.uuid.description, type: "Întâlnire", text: "Zmeul a semnat contractul",
                           files: [NoteAttachment(name: "contract.pdf", data: Array("%PDF".utf8))], by: db.admin)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 150, height: 40)
        db.more(&browser, terminal, [.ctrl("p")] + type("note si fisiere") + [.enter])
        guard case .notes(let all)? = browser.overlay else { Issue.record("no notes list"); return }
        let total = try db.crm.notes(limit: 0, for: db.admin).count
        #expect(all.rows.count == min(total, NotesView.limit) && terminal.text.contains("Notes and files"))
        // Typing searches (diacritics aside): the text, the account's name, the files' names.
        db.more(&browser, terminal, type("zmeul contract"))
        guard case .notes(let found)? = browser.overlay else { Issue.record("the list closed"); return }
        #expect(found.rows.map(\.record.text) == ["Zmeul a semnat contractul"] && terminal.text.contains("contract.pdf"))
        // Tab: the next type; none of them but Întâlnire keeps it.
        db.more(&browser, terminal, [.tab])
        guard case .notes(let typed)? = browser.overlay else { Issue.record("the list closed"); return }
        #expect(typed.type == "Telefon" && typed.rows.isEmpty)
        db.more(&browser, terminal, [.tab, .tab])
        guard case .notes(let meeting)? = browser.overlay else { Issue.record("the list closed"); return }
        #expect(meeting.type == "Întâlnire" && meeting.rows.count == 1)
        // Ctrl+E: the list as shown, to a file.
        let path = db.dir.appendingPathComponent("note.csv").path
        db.more(&browser, terminal, [.ctrl("e"), .ctrl("u")] + type(path) + [.function(2)])
        #expect(browser.overlay == nil && terminal.text.contains("1 notes exported"))
        let csv = try String(contentsOfFile: path, encoding: .utf8)
        #expect(csv.contains("Întâlnire,Zmeul a semnat contractul,contract.pdf"))
    }
}

/// The core's reading of a typed date and time, for comparing with what was saved.
enum FieldRulesProbe {
    static func dateTime(_ text: String) throws -> Int64 {
        let parts = text.split(separator: " ")
        let d = parts[0].split(separator: "-").map { Int($0)! }, t = parts[1].split(separator: ":").map { Int($0)! }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let date = calendar.date(from: DateComponents(year: d[0], month: d[1], day: d[2], hour: t[0], minute: t[1]))!
        return Int64(date.timeIntervalSince1970 * 1000)
    }
}

/// Memento pop-ups, with the store's clock moved by the test.
@Suite struct ReminderPopupTests {
    @Test func aDueReminderPopsUpIsSnoozedAndOnceDismissedNeverComesBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-remind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let time = LockedBox<Int64>(1_795_000_000_000)
        let store = try Store.open(path: dir.appendingPathComponent("crm.sqlite").path, mode: .createIfMissing, clock: { time.value })
        let crm = CRM(store: store)
        let admin = try crm.initialize(unixLogin: "tester")
        try crm.addAccount(AccountInput(fields: [.code: "R1", .name: "Memento SRL"]), by: admin)
        let inTwoMinutes = String(Timestamp.local(time.value + 2 * 60_000).prefix(16))
        let item = try crm.addWorkItem(.opportunity, account: "R1", [.details: "Sunat pentru comandă", .reminder: inTwoMinutes], by: admin)
        let other = try crm.addWorkItem(.activity, account: "R1", [.details: "Vizită", .reminder: inTwoMinutes], by: admin)
        func minutes(_ n: Int64) { time.set(time.value + n * 60_000) }

        var browser = AccountBrowser(crm: crm, actor: admin, keymap: DemoDatabase.keymap, appearance: Appearance(language: .en),
                                     resources: DemoDatabase.resources)
        let terminal = MemoryTerminal(width: 120, height: 35)
        db(&browser, terminal, [])
        _ = browser.idle()
        #expect(browser.overlay == nil)  // not yet due
        minutes(3)
        _ = browser.idle()
        guard case .reminders(let view)? = browser.overlay else { Issue.record("no pop-up"); return }
        #expect(view.due.count == 2)
        db(&browser, terminal, [])
        #expect(terminal.text.contains("Reminders (2)") && terminal.text.contains("Sunat pentru comandă"))
        // 1: ten minutes later; the other one stays on screen.
        db(&browser, terminal, [.char("1")])
        guard case .reminders(let rest)? = browser.overlay else { Issue.record("the other reminder went"); return }
        #expect(rest.due.map(\.uuid) == [other.meta!.uuid.description])
        // Esc: the other one comes back ten minutes later, not before.
        db(&browser, terminal, [.escape])
        #expect(browser.overlay == nil)
        minutes(5)
        _ = browser.idle()
        #expect(browser.overlay == nil)
        minutes(6)
        _ = browser.idle()
        guard case .reminders(let back)? = browser.overlay else { Issue.record("no pop-up after the snooze"); return }
        #expect(Set(back.due.map(\.uuid)) == [item.meta!.uuid.description, other.meta!.uuid.description])
        // d: dismissed for good, both.
        db(&browser, terminal, [.char("d"), .char("d")])
        #expect(browser.overlay == nil)
        minutes(60 * 24 * 7)
        _ = browser.idle()
        let pending = try crm.reminders(for: admin)
        #expect(browser.overlay == nil && pending.isEmpty)
    }

    private func db(_ browser: inout AccountBrowser, _ terminal: MemoryTerminal, _ keys: [Key]) {
        terminal.keys = keys
        AppLoop.run(&browser, on: terminal)
    }
}

@Suite struct StagesViewTests {
    @Test func anAdministratorAddsMovesAndRetiresStages() throws {
        let db = try DemoDatabase(accounts: 3)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 120, height: 35)
        db.more(&browser, terminal, [.ctrl("p")] + type("stadii oportunitati") + [.enter])
        guard case .adminList(let view)? = browser.overlay else { Issue.record("no stages view"); return }
        #expect(view.kind == .opportunity && terminal.text.contains("Opportunity stages") && terminal.text.contains("Câștigată  (won)"))
        db.more(&browser, terminal, [.insert] + type("Negociere") + [.function(2)])
        #expect(try db.crm.stages(.opportunity).map(\.name).last == "Negociere")
        db.more(&browser, terminal, [.char("-"), .char("-"), .char("-")])  // above Comandă, Pierdută, Câștigată
        #expect(try db.crm.stages(.opportunity).map(\.name) == ["Prospectare", "Abordare", "Ofertare", "Negociere", "Comandă", "Câștigată", "Pierdută"])
        db.more(&browser, terminal, [.up, .up, .delete])  // Abordare retired
        #expect(try db.crm.stages(.opportunity).map(\.name).contains("Abordare") == false)
        db.more(&browser, terminal, [.tab])
        guard case .adminList(let activities)? = browser.overlay else { Issue.record("the view closed"); return }
        #expect(activities.kind == .activity && terminal.text.contains("Activity stages"))
        db.more(&browser, terminal, [.escape])
        #expect(browser.overlay == nil)
    }
}

/// An offer in the account's Istoric and in its opportunity's own history,
/// printed from there (Tipărire) to a PDF file.
@Suite struct OfferHistoryTests {
    @Test func anOfferShowsInBothHistoriesAndPrintsToAPDF() throws {
        let db = try DemoDatabase(accounts: 5)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 40)
        db.more(&browser, terminal, [])
        let account = try #require(browser.selectedAccount).record.meta!.uuid.description
        let item = try db.crm.addWorkItem(.opportunity, account: account, [.details: "Dotare"], by: db.admin)
        let offer = try db.crm.addOffer(to: item.meta!.uuid.description, lines: [OfferLineInput(product: "SRV-001", quantity: "2")], by: db.admin)
        db.more(&browser, terminal, [.alt("2"), .alt("1")])  // back on Clienți: the page reads the account's work again
        db.more(&browser, terminal, [.char("]"), .char("]")])
        #expect(browser.tab == .work && terminal.text.contains("↳ Offer \(offer.label) · 847.00 RON · 1 lines"), "\(terminal.text)")
        // Enter on the opportunity: the offer in its history; Enter on the offer: Tipărire.
        let line = try #require(browser.work.firstIndex { if case .item(let d) = $0 { return d.uuid == item.meta!.uuid.description } else { return false } })
        db.more(&browser, terminal, [.tab, .home] + Array(repeating: .down, count: line) + [.enter])
        guard case .item(let view)? = browser.overlay else { Issue.record("the opportunity did not open: \(terminal.text)"); return }
        #expect(view.history.count == 1 && terminal.text.contains("History: offers, notes and files (1)"))
        let pdf = db.dir.appendingPathComponent("oferta.pdf").path
        db.more(&browser, terminal, [.enter])
        #expect(terminal.text.contains("Print offer \(offer.label)"))
        db.more(&browser, terminal, [.ctrl("u")] + type(pdf) + [.function(2)])
        // Saved, the dialog closes back onto the opportunity.
        guard case .item? = browser.overlay else { Issue.record("the item's view did not come back"); return }
        let bytes = try #require(FileManager.default.contents(atPath: pdf))
        #expect(bytes.starts(with: Array("%PDF-".utf8)) && bytes.count > 5_000)
        // A name not ending in .pdf is refused under the field.
        db.more(&browser, terminal, [.enter, .ctrl("u")] + type(db.dir.appendingPathComponent("oferta.txt").path) + [.function(2)])
        #expect(terminal.text.contains("The file name ends in .pdf"))
        // Del on the offer asks, then deletes it; the opportunity's history comes back without it.
        db.more(&browser, terminal, [.escape, .char("y")])  // the typed name discarded
        guard case .item? = browser.overlay else { Issue.record("the item's view did not come back"); return }
        db.more(&browser, terminal, [.home, .delete])
        #expect(terminal.text.contains("Delete the offer \(offer.label)? y/n"))
        db.more(&browser, terminal, [.char("y")])
        guard case .item(let after)? = browser.overlay else { Issue.record("the item's view did not come back"); return }
        let left = try db.crm.offers(item: item.meta!.uuid.description, for: db.admin)
        #expect(after.history.isEmpty && left.isEmpty)
    }
}

/// Adăugare Ofertă through the shipped key map: from the Oportunități page,
/// lines from the catalogue and one written on the spot, live totals, saved.
@Suite struct OfferEditorTests {
    @Test func anOfferIsPutTogetherFromTheCatalogueAndSaved() throws {
        let db = try DemoDatabase(accounts: 40)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 40)
        db.more(&browser, terminal, [.alt("2")])
        let item = try #require(browser.items?.selectedItem)
        let before = try db.crm.offers(item: item.uuid, for: db.admin).count
        db.more(&browser, terminal, [.alt("f")])
        #expect(terminal.text.contains("Add an offer — "))
        // Ins: the catalogue searched as one types; Enter adds the product.
        db.more(&browser, terminal, [.insert] + type("consultanta fisc"))
        guard case .document(let searching)? = browser.overlay else { Issue.record("no editor"); return }
        #expect(searching.found.map(\.record.code) == ["SRV-001"])
        db.more(&browser, terminal, [.enter])
        #expect(terminal.text.contains("Consultanță fiscală") && terminal.text.contains("423.50"))  // 350 + 21 %
        // Enter on the line: 10 of them, 5 % off.
        db.more(&browser, terminal, [.enter])
        db.more(&browser, terminal, WorkViewTests.tabsInOfferLine(to: "quantity", in: browser) + [.ctrl("u")] + type("10")
                + [.tab, .tab] + type("5") + [.function(2)])
        // n: a line written on the spot.
        db.more(&browser, terminal, [.char("n")] + type("Montaj la sediu") + [.tab] + type("oră") + [.tab, .ctrl("u")] + type("2,5")
                + [.tab] + type("150") + [.function(2)])
        guard case .document(let editor)? = browser.overlay else { Issue.record("no editor"); return }
        #expect(editor.shown.map(\.net) == [332_500, 37_500] && editor.totals.map(\.vat) == [77_700], "\(editor.lines) \(editor.message ?? "") \(terminal.text)")
        #expect(terminal.text.contains("4477.00"))  // 3700 + 777
        // F2 saves it on the opportunity, numbered.
        db.more(&browser, terminal, [.function(2)])
        #expect(browser.overlay == nil && terminal.text.contains("Offer added: OF-"))
        let offers = try db.crm.offers(item: item.uuid, for: db.admin)
        #expect(offers.count == before + 1 && offers.first?.record.total == 447_700 && offers.first?.lines.count == 2)
        #expect(browser.items?.history.contains { if case .offer = $0 { return true } else { return false } } == true)
        // F4 on the offer in the right pane: the same dialog with its lines; the written line removed, saved under the same number.
        let saved = try #require(offers.first)
        db.more(&browser, terminal, [.tab, .home])
        #expect(browser.focus == .details && browser.chosenOffer?.uuid == saved.uuid)
        db.more(&browser, terminal, [.function(4)])
        guard case .document(let changing)? = browser.overlay else { Issue.record("no editor: \(terminal.text)"); return }
        #expect(changing.lines.count == 2 && changing.shown.map(\.net) == [332_500, 37_500] && terminal.text.contains("Change the offer \(saved.record.label)"))
        db.more(&browser, terminal, [.down, .delete, .function(2)])
        #expect(browser.overlay == nil && terminal.text.contains("Offer changed: \(saved.record.label) · 4023.25 RON"), "\(terminal.text)")
        let after = try db.crm.offer(saved.uuid, for: db.admin)
        #expect(after.lines.count == 1 && after.record.number == saved.record.number && after.record.total == 402_325)
        #expect(try db.crm.offers(item: item.uuid, for: db.admin).count == before + 1)
    }
}

extension WorkViewTests {
    static func tabsInOfferLine(to id: String, in browser: AccountBrowser) -> [Key] {
        guard case .document(let editor)? = browser.overlay, let i = editor.lineForm.fields.firstIndex(where: { $0.id == id }) else { return [] }
        return Array(repeating: .tab, count: i - editor.lineForm.focus)
    }
}

/// Șabloane ofertă in the terminal (administrators): a new template, an unknown
/// placeholder refused under its section, then saved and retired.
@Suite struct OfferTemplatesViewTests {
    @Test func aTemplateIsWrittenCheckedSavedAndRetired() throws {
        let db = try DemoDatabase(accounts: 5)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 140, height: 40)
        db.more(&browser, terminal, [])
        _ = browser.perform("templates.admin")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("New template…") && terminal.text.contains("Standard"))
        db.more(&browser, terminal, [.enter] + type("Scurt") + [.tab] + type("Către {{client.nume}}") + [.function(2)])
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("the dialog closed: \(terminal.text)"); return }
        #expect(dialog.form.fields.first { $0.id == "header" }?.error?.contains("{{client.nume}}") == true)
        db.more(&browser, terminal, [.ctrl("u")] + type("Către **{{client.name}}**") + [.function(2)])
        #expect(browser.overlay == nil && terminal.text.contains("Template saved: Scurt"))
        #expect(try db.crm.offerTemplate("scurt", for: db.admin).header == "Către **{{client.name}}**")
        // Opened again from the list: retired.
        _ = browser.perform("templates.admin")
        db.more(&browser, terminal, [.down, .enter])  // the list: a new one, then Scurt, Standard
        guard case .dialog(let again)? = browser.overlay else { Issue.record("not opened: \(terminal.text)"); return }
        let tabs = Array(repeating: Key.tab, count: (again.form.fields.firstIndex { $0.id == "retired" } ?? 0) - again.form.focus)
        db.more(&browser, terminal, tabs + [.char(" "), .function(2)])
        #expect(try db.crm.offerTemplate("scurt", for: db.admin).retired)
        #expect(try db.crm.offerTemplates(for: db.admin).map(\.name) == ["Standard"])
    }
}

extension OfferEditorTests {
    @Test func aProductMadeOnTheSpotJoinsTheCatalogueAndTheOffer() throws {
        let db = try DemoDatabase(accounts: 40)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 40)
        db.more(&browser, terminal, [.alt("2"), .alt("f"), .char("p")])
        #expect(terminal.text.contains("New product in the catalogue"))
        // A code already taken is refused under it; a free one goes in.
        db.more(&browser, terminal, type("SRV-001") + [.tab] + type("Cablare rețea") + [.tab, .tab] + type("95") + [.function(2)])
        guard case .document(let refused)? = browser.overlay else { Issue.record("no editor"); return }
        #expect(refused.lineForm.fields.first { $0.id == "code" }?.error != nil && refused.lines.isEmpty)
        db.more(&browser, terminal, [.ctrl("u")] + type("NET-01") + [.function(2)])  // the refused field has the focus
        guard case .document(let editor)? = browser.overlay else { Issue.record("no editor"); return }
        #expect(editor.lines.map(\.product) == ["NET-01"] && editor.shown.first?.net == 9_500)
        #expect(try db.crm.product("NET-01", for: db.admin).record.name == "Cablare rețea")
    }
}
