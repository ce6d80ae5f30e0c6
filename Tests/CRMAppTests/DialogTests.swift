import CRMCore
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// Scenarios through the shipped key map: the account dialog with its contacts
/// page, the contact and folder dialogs, and the core's rules behind them.
@Suite struct DialogTests {
    /// Tabs from the name to a field of the account dialog.
    static func to(_ field: AccountField) -> [Key] {
        from(.name, to: field)
    }

    /// Tabs from one field of the account dialog to a later one.
    static func from(_ start: AccountField, to field: AccountField) -> [Key] {
        Array(repeating: .tab, count: AccountField.formOrder.firstIndex(of: field)! - AccountField.formOrder.firstIndex(of: start)!)
    }

    /// The demo uses zones, so an account needs one: Centru, picked by its letter.
    static func zone(from start: AccountField) -> [Key] { from(start, to: .zone) + [.char("c")] }

    @Test func anAccountWithAContactIsAddedInOneSave() throws {
        let db = try DemoDatabase(accounts: 20)
        let keys: [Key] = [.insert] + type("Știință și Țară SRL") + Self.to(.cui) + type("RO14399840")
            + [.tab, .tab, .char(" ")]  // VAT payer: ticked
            + Self.zone(from: .vatPayer)
            + [.function(6), .char("+")] + type("Ana Țurcanu") + [.tab] + type("Director") + [.tab] + type("0722 123 456")
            + [.ctrl("s")] + [.char("+")] + type("Ion Pop") + [.function(2)]
            + [.down, .char("*")]  // the star moves to Ion Pop
            + [.function(2)]
        let (browser, terminal) = db.browse(keys, language: .en, height: 35)
        #expect(browser.overlay == nil)
        let saved = try db.crm.account("RO14399840", for: db.admin)
        #expect(saved.record.name == "Știință și Țară SRL")
        #expect(saved.record.vatPayer)
        let contacts = try db.crm.contacts(ofAccount: "RO14399840", for: db.admin)
        #expect(contacts.map(\.name) == ["Ion Pop", "Ana Țurcanu"])  // the primary one first
        #expect(contacts[0].isPrimary && !contacts[1].isPrimary)
        #expect(contacts[1].phone == "+40722123456" && contacts[1].role == "Director")
        #expect(browser.selectedAccount?.record.name == "Știință și Țară SRL")
        #expect(terminal.screen.lines.last?.contains("Account saved: Știință și Țară SRL") == true)
        // One operation wrote the account and both contacts.
        let history = try db.crm.history(of: saved.record.meta!.uuid, for: db.admin)
        let operation = try #require(history.first?.operationID)
        let all = try db.crm.store.read { try $0.changes(operationID: operation) }
        #expect(Set(all.map(\.entity)) == ["account", "contact"])
    }

    @Test func refusedValuesStayInTheDialogWithTheCoresMessage() throws {
        let db = try DemoDatabase(accounts: 5)
        let keys: [Key] = [.insert] + type("Rău SRL") + Self.to(.cui) + type("RO123") + [.ctrl("s")]
        let (browser, terminal) = db.browse(keys, language: .en, height: 35, quit: false)
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(dialog.form.focusedField?.id == "cui")
        #expect(dialog.form.focusedField?.error?.contains("is not a valid CUI/CIF") == true)
        #expect(terminal.text.contains("«RO123» is not a valid CUI/CIF"))
        #expect(try db.crm.accountCount(for: db.admin) == 5)
        var b = browser
        db.more(&b, terminal, [.escape])
        #expect(terminal.text.contains("Discard the changes? y/n"))
        db.more(&b, terminal, [.char("y"), .ctrl("q")])
        #expect(b.overlay == nil)
        #expect(try db.crm.accountCount(for: db.admin) == 5)
    }

    @Test func contactsChangedMeanwhileAreShownBeforeTheyAreSavedOver() throws {
        let db = try DemoDatabase(accounts: 5)
        let first = try db.crm.accounts(folder: nil, limit: 1, for: db.admin).accounts[0]
        let uuid = first.record.meta!.uuid.description
        try db.crm.addContact(toAccount: uuid, [.name: "Ana Conflict", .role: "Contabil"], by: db.admin)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 120, height: 35)
        // The dialog changes Ana's role; meanwhile another session changes it too.
        db.more(&browser, terminal, [.function(4), .function(6)])
        guard case .dialog(let opened)? = browser.overlay, let ana = opened.contacts.firstIndex(where: { $0.fields[.name] == "Ana Conflict" })
        else { Issue.record("no contact"); return }
        db.more(&browser, terminal, Array(repeating: .down, count: ana) + [.enter, .tab, .ctrl("u")] + type("Director") + [.function(2)])
        let contact = try #require(try db.crm.contacts(ofAccount: uuid, for: db.admin).first { $0.name == "Ana Conflict" })
        try db.crm.editContact(contact.meta!.uuid.description, [.role: "Achiziții"], by: db.admin)
        db.more(&browser, terminal, [.function(2)])
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(dialog.form.message?.contains("Ana Conflict") == true)
        #expect(terminal.text.contains("Changed meanwhile by someone else too: Ana Conflict"))
        #expect(try db.crm.contacts(ofAccount: uuid, for: db.admin).first { $0.name == "Ana Conflict" }?.role == "Achiziții")
        // Told, the user saves theirs over it.
        db.more(&browser, terminal, [.function(2)])
        #expect(browser.overlay == nil)
        #expect(try db.crm.contacts(ofAccount: uuid, for: db.admin).first { $0.name == "Ana Conflict" }?.role == "Director")
    }

    @Test func aMultiLineFieldIsEditedInTheUsersEditor() throws {
        let db = try DemoDatabase(accounts: 5)
        // An "editor" that adds a line to the file it is given, as a person would.
        let script = db.dir.appendingPathComponent("editor.sh")
        try "#!/bin/sh\nprintf '\\nrândul scris în editor\\n' >> \"$1\"\n".write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        setenv("VISUAL", script.path, 1)
        defer { unsetenv("VISUAL") }
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 120, height: 35)
        db.more(&browser, terminal, [.insert] + type("Editor Extern SRL") + Self.zone(from: .name)
                + Self.from(.zone, to: .notes) + type("primul rând"))
        #expect(terminal.text.contains("F4 Editor") || terminal.text.contains("f4 Editor"))
        db.more(&browser, terminal, [.function(4)])
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(dialog.form.value("notes") == "primul rând\nrândul scris în editor")
        db.more(&browser, terminal, [.function(2)])
        #expect(try db.crm.account("Editor Extern SRL", for: db.admin).record.notes == "primul rând\nrândul scris în editor")

        // An editor that fails leaves the text as it was, and says so.
        setenv("VISUAL", "/nonexistent/editor", 1)
        db.more(&browser, terminal, [.insert] + Self.to(.notes) + type("rămâne"))
        db.more(&browser, terminal, [.function(4)])
        guard case .dialog(let failed)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(failed.form.value("notes") == "rămâne" && failed.form.message?.contains("/nonexistent/editor") == true)
    }

    @Test func editingChangesOnlyWhatWasTypedAndResolvesAConcurrentSaveFieldByField() throws {
        let db = try DemoDatabase(accounts: 5)
        let first = try db.crm.accounts(folder: nil, limit: 1, for: db.admin).accounts[0]
        let uuid = first.record.meta!.uuid.description
        let keys: [Key] = [.function(4)] + Self.to(.city) + [.ctrl("u")] + type("Turda") + [.ctrl("s")]
        _ = db.browse(keys)
        let edited = try db.crm.account(uuid, for: db.admin)
        #expect(edited.record.city == "Turda")
        #expect(edited.record.meta!.version == first.record.meta!.version + 1)
        let changed = try db.crm.history(of: edited.record.meta!.uuid, for: db.admin).filter { $0.op == "update" }.map(\.field)
        #expect(changed == ["city"])

        // Another session saves the account while the dialog is open: the city,
        // which the dialog changes too, and the phone, which it does not.
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 120, height: 35)
        db.more(&browser, terminal, [.function(4)] + Self.to(.city) + [.ctrl("u")] + type("Dej")
                + Self.from(.city, to: .email) + [.ctrl("u")] + type("nou@firma.ro"))
        try db.crm.editAccount(uuid, AccountInput(fields: [.city: "Cluj-Napoca", .phone: "0264 123 456"]), by: db.admin)
        db.more(&browser, terminal, [.function(2)])
        guard case .conflict(let view)? = browser.overlay else { Issue.record("no conflict view: \(String(describing: browser.overlay))"); return }
        #expect(view.rows.map(\.id) == ["city"])
        #expect(terminal.text.contains("Save conflict") && terminal.text.contains("Cluj-Napoca") && terminal.text.contains("▶ Dej"))
        #expect(try db.crm.account(uuid, for: db.admin).record.city == "Cluj-Napoca")  // nothing overwritten yet
        // Esc goes back to the form; F2 asks again, and their city is chosen.
        db.more(&browser, terminal, [.escape])
        guard case .dialog? = browser.overlay else { Issue.record("not back in the dialog"); return }
        db.more(&browser, terminal, [.function(2)])
        #expect(terminal.text.contains("Save conflict") == false)
        let merged = try db.crm.account(uuid, for: db.admin).record
        // Back in the form after Esc, the version is theirs: F2 saved the dialog's values over it.
        #expect(merged.city == "Dej" && merged.email == "nou@firma.ro" && merged.phone == "+40264123456")

        // Once more, choosing theirs.
        db.more(&browser, terminal, [.function(4)] + Self.to(.city) + [.ctrl("u")] + type("Bistrița"))
        try db.crm.editAccount(uuid, AccountInput(fields: [.city: "Zalău"]), by: db.admin)
        db.more(&browser, terminal, [.function(2)])
        guard case .conflict? = browser.overlay else { Issue.record("no conflict view"); return }
        db.more(&browser, terminal, [.left, .enter])
        #expect(browser.overlay == nil)
        #expect(try db.crm.account(uuid, for: db.admin).record.city == "Zalău")
    }

    @Test func choiceListsCheckboxesAndTheCalendarWriteWhatTheCoreAccepts() throws {
        let db = try DemoDatabase(accounts: 5)
        let zones = try db.crm.zones().map(\.name)
        let keys: [Key] = [.insert] + type("Calendar SRL")
            + Self.to(.zone) + [.function(3), .down, .enter]  // the first zone after "—"
            + Array(repeating: .tab, count: AccountField.formOrder.count - AccountField.formOrder.firstIndex(of: .zone)! + 2)
            + [.char(" "), .home, .right, .enter]  // Client din: the calendar, the first of the month, then the 2nd
            + [.tab, .char(" ")]  // Newsletter: ticked
            + [.function(2)]
        let (browser, _) = db.browse(keys, height: 40)
        #expect(browser.overlay == nil, "\(String(describing: browser.overlay))")
        let saved = try db.crm.account("Calendar SRL", for: db.admin)
        #expect(saved.zone == zones.sorted().first || saved.zone == zones.first)
        let custom = Dictionary(uniqueKeysWithValues: saved.custom.map { ($0.column.key, CustomColumns.display($0.value, column: $0.column)) })
        let today = CalendarDate.today
        #expect(custom["client_din"] == CalendarDate(year: today.year, month: today.month, day: 2).iso)
        #expect(custom["newsletter"] == "da")
    }

    @Test func contactsAreEditedStarredAndDeletedFromTheHistoryPane() throws {
        let db = try DemoDatabase(accounts: 5)
        let first = try db.crm.accounts(folder: nil, limit: 1, for: db.admin).accounts[0]
        let uuid = first.record.meta!.uuid.description
        for c in try db.crm.contacts(ofAccount: uuid, for: db.admin) { try db.crm.deleteContact(c.meta!.uuid.description, by: db.admin) }
        try db.crm.addContact(toAccount: uuid, [.name: "Alina Dobre"], primary: true, by: db.admin)
        try db.crm.addContact(toAccount: uuid, [.name: "Bogdan Ene"], by: db.admin)
        // Tab to the history pane, down to Bogdan, star him.
        _ = db.browse([.tab, .down, .char("*")])
        var contacts = try db.crm.contacts(ofAccount: uuid, for: db.admin)
        #expect(contacts.first?.name == "Bogdan Ene" && contacts.first?.isPrimary == true)
        // Edit Alina (now second) through the account dialog's contact form.
        _ = db.browse([.tab, .down, .enter] + [.end] + type("-Pop") + [.ctrl("s"), .ctrl("s")])
        contacts = try db.crm.contacts(ofAccount: uuid, for: db.admin)
        #expect(contacts.map(\.name) == ["Bogdan Ene", "Alina Dobre-Pop"])
        // Delete her after a yes.
        _ = db.browse([.tab, .down, .delete, .char("d")])
        #expect(try db.crm.contacts(ofAccount: uuid, for: db.admin).map(\.name) == ["Bogdan Ene"])
    }

    @Test func foldersAreAddedRenamedMovedAndDeletedFromTheTree() throws {
        let db = try DemoDatabase(accounts: 20)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 30)
        // F7 adds a folder inside the selected one (the root); the new folder is selected.
        db.more(&browser, terminal, [.backTab, .function(7)] + type("Curs CRM") + [.function(2)])
        #expect(try db.crm.folder(path: "Conturi/Curs CRM").name == "Curs CRM")
        #expect(browser.activeFolder?.path == "Conturi/Curs CRM" && browser.focus == .folders)
        #expect(browser.message == "Dosar adăugat: Conturi/Curs CRM")
        // Two more inside it, as the guide does.
        db.more(&browser, terminal, [.function(7)] + type("Prospecți") + [.function(2)])
        db.more(&browser, terminal, [.up, .function(7)] + type("Clienți") + [.function(2)])
        #expect(try db.crm.folder(path: "Conturi/Curs CRM/Clienți").name == "Clienți")
        // Its context menu (shift+f10): rename.
        db.more(&browser, terminal, [.function(22), .down, .enter, .ctrl("u")] + type("Clienți noi") + [.function(2)])
        #expect(browser.activeFolder?.path == "Conturi/Curs CRM/Clienți noi")
        // Move it up to the root.
        db.more(&browser, terminal, [.function(22), .down, .down, .enter, .function(3), .home, .enter, .function(2)])
        #expect(browser.activeFolder?.path == "Conturi/Clienți noi")
        // Delete after a yes.
        db.more(&browser, terminal, [.delete])
        #expect(terminal.screen.lines.last?.contains("Ștergeți dosarul «Clienți noi»? d/n") == true)
        db.more(&browser, terminal, [.char("d")])
        #expect(try db.crm.folderTree(for: db.admin).allSatisfy { $0.record.name != "Clienți noi" })
        #expect(browser.message == "Dosar șters: Clienți noi")
        // The root cannot go.
        db.more(&browser, terminal, [.home, .delete])
        #expect(browser.message == "Dosarul rădăcină nu se poate șterge")
    }

    @Test func helpListsEveryBoundActionFromTheKeymap() throws {
        let db = try DemoDatabase(accounts: 3)
        let (_, terminal) = db.browse([.function(1)], language: .en, height: 50, quit: false)
        let text = terminal.text
        #expect(text.contains("Help — keys"))
        #expect(text.contains("ctrl+q") && text.contains("Quit"))
        #expect(text.contains("shift+f10, menu") && text.contains("Context menu"))
        // Generated from the key map: dialog keys included (further down the list).
        #expect(HelpOverlay.lines(keymap: DemoDatabase.keymap, language: .en).contains { $0.keys == "f2, ctrl+s" && $0.text == "Save (in a dialog)" })
        let lines = HelpOverlay.lines(keymap: DemoDatabase.keymap, language: .en)
        #expect(lines.count == Actions.all.filter { !DemoDatabase.keymap.keys(for: $0.id, in: .browser).isEmpty
            || !DemoDatabase.keymap.keys(for: $0.id, in: .dialog).isEmpty }.count)
    }
}
