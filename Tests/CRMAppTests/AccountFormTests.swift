import CRMCore
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

@Suite struct AccountFormTests {
    static let keymap = try! Keymap(parsing: """
        ctrl+q = app.quit
        ins = record.add
        f4 = record.edit
        esc = dialog.cancel
        ctrl+s = dialog.save
        down = cursor.down
        """)

    static func type(_ text: String) -> [Key] { text.map { Key.char($0) } }

    func run(_ db: DemoDatabase, _ keys: [Key]) -> (AccountBrowser, MemoryTerminal) {
        db.browse(keys, keymap: Self.keymap, language: .en, height: 35)
    }

    @Test func anAccountAddedInTheDialogIsSavedThroughTheCore() throws {
        let db = try DemoDatabase(accounts: 20)
        let keys: [Key] = [.insert] + Self.type("Știința Nouă SRL") + [.tab, .tab, .tab] + Self.type("RO14399840")
            + Array(repeating: .tab, count: 9) + Self.type("0722 123 456") + [.ctrl("s")]
        let (browser, terminal) = run(db, keys)
        #expect(browser.dialog == nil)
        let saved = try db.crm.account("RO14399840", for: db.admin)
        #expect(saved.record.name == "Știința Nouă SRL")
        #expect(saved.record.mobile == "+40722123456")
        #expect(browser.selectedAccount?.record.name == "Știința Nouă SRL")
        #expect(terminal.screen.lines.last?.contains("Account saved: Știința Nouă SRL") == true)
    }

    @Test func refusedValuesStayInTheDialogWithTheCoresMessage() throws {
        let db = try DemoDatabase(accounts: 5)
        let keys: [Key] = [.insert] + Self.type("Rău SRL") + [.tab, .tab, .tab] + Self.type("RO123") + [.ctrl("s")]
        let terminal = MemoryTerminal(width: 120, height: 35)
        terminal.keys = keys
        var browser = AccountBrowser(crm: db.crm, actor: db.admin, keymap: Self.keymap, language: .en)
        AppLoop.run(&browser, on: terminal)
        #expect(browser.dialog?.errors["cui"]?.contains("is not a valid CUI/CIF") == true)
        #expect(browser.dialog?.focusedField == .cui)
        #expect(terminal.screen.lines.joined().contains("cui: «RO123» is not a valid CUI/CIF"))
        #expect(try db.crm.accountCount(for: db.admin) == 5)
        terminal.keys = [.escape, .ctrl("q")]
        AppLoop.run(&browser, on: terminal)
        #expect(browser.dialog == nil)
        #expect(try db.crm.accountCount(for: db.admin) == 5)
    }

    @Test func editingChangesOnlyWhatWasTypedAndRefusesAStaleVersion() throws {
        let db = try DemoDatabase(accounts: 5)
        let first = try db.crm.accounts(folder: nil, limit: 1, for: db.admin).accounts[0]
        let toCity = Array(repeating: Key.tab, count: 7)
        let keys: [Key] = [.function(4)] + toCity + [.ctrl("u")] + Self.type("Turda") + [.ctrl("s")]
        _ = run(db, keys)
        let edited = try db.crm.account(first.record.meta!.uuid.description, for: db.admin)
        #expect(edited.record.city == "Turda")
        #expect(edited.record.name == first.record.name && edited.record.cui == first.record.cui)
        #expect(try db.crm.history(of: first.record.meta!.uuid).filter { $0.op == "update" }.map(\.field) == ["city"])

        // Another session changes the account while the dialog is open: saving is refused.
        let terminal = MemoryTerminal(width: 120, height: 35)
        terminal.keys = [.function(4)]
        var browser = AccountBrowser(crm: db.crm, actor: db.admin, keymap: Self.keymap, language: .en)
        AppLoop.run(&browser, on: terminal)
        try db.crm.editAccount(first.record.meta!.uuid.description, AccountInput(fields: [.notes: "altă sesiune"]), by: db.admin)
        terminal.keys = Array(repeating: Key.tab, count: 7) + [.ctrl("u")] + Self.type("Dej") + [.ctrl("s")]
        AppLoop.run(&browser, on: terminal)
        #expect(browser.dialog?.generalError?.contains("changed by someone else") == true)
        #expect(try db.crm.account(first.record.meta!.uuid.description, for: db.admin).record.city == "Turda")
    }
}

@Suite struct TextFieldTests {
    @Test func editingKeys() {
        var f = TextField("Cluj")
        let handled = f.handle(.char("-"))
        #expect(handled && f.text == "Cluj-")
        _ = f.handle(.home); _ = f.handle(.char("X")); #expect(f.text == "XCluj-" && f.cursor == 1)
        _ = f.handle(.backspace); #expect(f.text == "Cluj-" && f.cursor == 0)
        _ = f.handle(.delete); #expect(f.text == "luj-")
        _ = f.handle(.end); _ = f.handle(.left); _ = f.handle(.char("ș")); #expect(f.text == "lujș-")
        _ = f.handle(.ctrl("u")); #expect(f.text.isEmpty)
        let tab = f.handle(.tab)
        #expect(!tab)
    }

    @Test func aLongTextScrollsToKeepTheCursorVisible() {
        let f = TextField(String(repeating: "a", count: 30) + "Z")
        var b = ScreenBuffer(width: 10, height: 1)
        f.render(into: &b, x: 0, y: 0, width: 10, style: .normal, focused: true)
        #expect(b.lines[0].contains("Z"))
    }
}

@Suite struct HelpAndDeleteTests {
    static let keymap = try! Keymap(parsing: """
        ctrl+q = app.quit
        f1 = help.show
        del = record.delete
        down = cursor.down
        ins = record.add
        """)

    @Test func helpListsTheBoundActionsAndAnyKeyClosesIt() throws {
        let db = try DemoDatabase(accounts: 3)
        let terminal = MemoryTerminal(width: 100, height: 30)
        terminal.keys = [.function(1)]
        var browser = AccountBrowser(crm: db.crm, actor: db.admin, keymap: Self.keymap, language: .ro)
        AppLoop.run(&browser, on: terminal)
        let screen = terminal.screen.lines.joined(separator: "\n")
        #expect(screen.contains("Ajutor — taste"))
        #expect(screen.contains("del") && screen.contains("Ștergere cont"))
        #expect(!screen.contains("Panoul următor"))  // tab is not bound in this key map
        terminal.keys = [.char("x"), .ctrl("q")]
        AppLoop.run(&browser, on: terminal)
        #expect(!browser.showingHelp)
        #expect(!terminal.screen.lines.joined().contains("Ajutor — taste"))
    }

    @Test func deletingAsksFirstAndKeepsTheNeighbourSelected() throws {
        let db = try DemoDatabase(accounts: 6)
        let names = try db.names()
        let terminal = MemoryTerminal(width: 100, height: 30)
        terminal.keys = [.down, .delete, .char("n"), .delete]
        var browser = AccountBrowser(crm: db.crm, actor: db.admin, keymap: Self.keymap, language: .ro)
        AppLoop.run(&browser, on: terminal)
        #expect(try db.names() == names)  // "n" kept it
        #expect(terminal.screen.lines.last?.contains("Ștergeți contul «\(names[1])»") == true)
        terminal.keys = [.char("d"), .ctrl("q")]
        AppLoop.run(&browser, on: terminal)
        var expected = names
        expected.remove(at: 1)
        #expect(try db.names() == expected)
        #expect(browser.selectedAccount?.record.name == names[2])
        #expect(terminal.screen.lines.last?.contains("Cont șters: \(names[1])") == true)
    }
}
