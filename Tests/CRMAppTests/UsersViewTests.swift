import CRMCore
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// Utilizatori in the terminal interface (ADM-1, ADM-2), through the keymap on
/// the in-memory screen; and what a user without rights is offered.
@Suite struct UsersViewTests {
    static func palette(_ text: String) -> [Key] { [.ctrl("p")] + type(text) + [.enter] }

    /// Tabs from a form's first field to the field with this id.
    static func tabs(to id: String, in browser: AccountBrowser) -> [Key] {
        guard case .dialog(let dialog)? = browser.overlay, let i = dialog.form.fields.firstIndex(where: { $0.id == id }) else { return [] }
        return Array(repeating: .tab, count: i - dialog.form.focus)
    }

    @Test func anAdministratorAddsAUserAndSetsTheirRightsZonesAndSubscriptions() throws {
        let db = try DemoDatabase(accounts: 10)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 150, height: 40)
        db.more(&browser, terminal, Self.palette("utilizatori"))
        guard case .users(let view)? = browser.overlay else { Issue.record("no users view"); return }
        #expect(terminal.text.contains("Users") && terminal.text.contains("andrei.popescu"))
        #expect(view.rows.count == 6)

        // Insert: the details, a password typed twice (shown as dots).
        db.more(&browser, terminal, [.insert] + type("dan.pop") + [.tab] + type("Dan Pop") + [.tab] + type("dan@firma.ro")
                + [.tab, .tab, .tab, .tab] + type("parola-lunga-7") + [.tab] + type("parola-lunga-8") + [.function(2)])
        guard case .dialog(let mismatch)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(mismatch.form.fields.first { $0.id == "password2" }?.error?.contains("differ") == true)
        #expect(terminal.text.contains("••••••••") && !terminal.text.contains("parola-lunga"))
        db.more(&browser, terminal, [.ctrl("u")] + type("parola-lunga-7") + [.function(2)])
        guard case .users(let added)? = browser.overlay else { Issue.record("not back in the users view"); return }
        #expect(added.selected?.user.login == "dan.pop" && terminal.text.contains("User added: dan.pop"))
        #expect(try db.crm.authenticate(login: "dan.pop", password: "parola-lunga-7", source: nil).login == "dan.pop")

        // The permission page: the read-only role and the Centru zone.
        db.more(&browser, terminal, [.char("p")])
        #expect(terminal.text.contains("User rights: dan.pop") && terminal.text.contains("Accounts: "))
        db.more(&browser, terminal, [.char("c")] + Self.tabs(to: "zone.Centru", in: browser) + [.char(" "), .function(2)])
        guard case .users? = browser.overlay else { Issue.record("not back in the users view"); return }
        #expect(try db.crm.userRights("dan.pop") == Rights.roles["citire"])
        #expect(try db.crm.userZones("dan.pop") == ["Centru"])
        #expect(terminal.text.contains("citire") && terminal.text.contains("Centru"))

        // Subscriptions: the campaigns unticked.
        db.more(&browser, terminal, [.char("a")])
        db.more(&browser, terminal, Self.tabs(to: "module.campaigns", in: browser) + [.char(" "), .function(2)])
        #expect(try db.crm.userModules("dan.pop") == Set(Module.allCases.map(\.rawValue)).subtracting(["campaigns", "administration"]))

        // Edit: a new name; disabled, enabled again.
        db.more(&browser, terminal, [.enter, .ctrl("u")] + type("Dan Popa") + [.function(2)])
        #expect(try db.crm.users().first { $0.login == "dan.pop" }?.name == "Dan Popa")
        db.more(&browser, terminal, [.char("d")])
        #expect(try db.crm.users().first { $0.login == "dan.pop" }?.disabled == true)
        db.more(&browser, terminal, [.char("d"), .escape])
        #expect(try db.crm.users().first { $0.login == "dan.pop" }?.disabled == false)
        #expect(browser.overlay == nil)

        // The user as they see the Clienți page: Centru's accounts only, no action they lack offered.
        let dan = try db.crm.authenticate(login: "dan.pop", password: "parola-lunga-7", source: nil)
        var theirs = AccountBrowser(crm: db.crm, actor: dan, keymap: DemoDatabase.keymap, appearance: Appearance(language: .en),
                                    resources: DemoDatabase.resources)
        let screen = MemoryTerminal(width: 150, height: 40)
        db.more(&theirs, screen, [])
        #expect(theirs.rows.allSatisfy { $0.zone == "Centru" })
        db.more(&theirs, screen, [.function(10)])
        guard case .menu(let menu, _)? = theirs.overlay else { Issue.record("no menu"); return }
        let offered = Set(menu.items.map(\.action))
        #expect(offered.contains("search.start") && offered.isDisjoint(with: ["record.add", "record.edit", "record.delete", "table.export", "table.import"]))
        // The palette does not offer it; asked for by name anyway, it is refused with a message.
        db.more(&theirs, screen, [.escape, .ctrl("p")] + type("adaugare cont"))
        guard case .palette(let palette)? = theirs.overlay else { Issue.record("no palette"); return }
        #expect(!palette.matches(.en).contains { $0.id == "record.add" })
        db.more(&theirs, screen, [.escape])
        _ = theirs.perform("record.add")
        #expect(theirs.overlay == nil)
        db.more(&theirs, screen, [])
        #expect(screen.text.contains("You lack the right: Add account"))
        _ = theirs.perform("users.admin")
        #expect(theirs.overlay == nil)
    }
}
