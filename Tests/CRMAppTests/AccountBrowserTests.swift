import CRMCore
import CRMDemo
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// A demo database in a temporary folder, and the page run on it in memory
/// with the shipped key maps and themes.
final class DemoDatabase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let resources = Resources(keymaps: root.appendingPathComponent("keymaps"),
                                     themes: root.appendingPathComponent("themes"), userKeymap: nil)
    static let keymap: Keymap = {
        let (map, problems) = resources.keymap(named: "default")
        precondition(problems.isEmpty, "\(problems)")
        return map
    }()

    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-app-\(UUID().uuidString)")
    let crm: CRM
    let admin: Actor

    /// `invoicing: false`: no invoices (whose accounts cannot be deleted).
    init(accounts: Int, invoicing: Bool = true) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try Store.open(path: dir.appendingPathComponent("crm.sqlite").path, mode: .createIfMissing)
        crm = CRM(store: store)
        admin = try crm.initialize(unixLogin: "tester")
        let lists = try WordLists.load(from: Self.root.appendingPathComponent("sample-data"))
        _ = try DemoBuilder(lists: lists, seed: 4).populate(crm: crm, admin: admin, accounts: accounts, invoicing: invoicing)
    }

    /// The page as a new user with only these rights sees it.
    func browser(asUserWith rights: Set<String>, language: Language = .en) throws -> AccountBrowser {
        let login = "u\(UUID().uuidString.prefix(6).lowercased())"
        try crm.addUser(login: login, name: "Utilizator", by: admin)
        try crm.setUserAccess(login, rights: rights, zones: nil, addresses: [], by: admin)
        return AccountBrowser(crm: crm, actor: try crm.actor(forLogin: login, by: admin), keymap: Self.keymap,
                              appearance: Appearance(language: language), resources: Self.resources)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func browser(language: Language = .ro, keymap: Keymap = DemoDatabase.keymap) -> AccountBrowser {
        AccountBrowser(crm: crm, actor: admin, keymap: keymap, appearance: Appearance(language: language),
                       resources: Self.resources)
    }

    /// Runs the Clienți page on an in-memory terminal with these keys; quits with
    /// ctrl+q unless `quit` is false.
    func browse(_ keys: [Key], language: Language = .ro, width: Int = 120, height: Int = 30,
                quit: Bool = true) -> (AccountBrowser, MemoryTerminal) {
        let terminal = MemoryTerminal(width: width, height: height)
        terminal.keys = keys + (quit ? [.ctrl("q")] : [])
        var browser = browser(language: language)
        AppLoop.run(&browser, on: terminal)
        return (browser, terminal)
    }

    /// Continues a page with more keys.
    func more(_ browser: inout AccountBrowser, _ terminal: MemoryTerminal, _ keys: [Key]) {
        terminal.keys = keys
        AppLoop.run(&browser, on: terminal)
    }

    /// Every account name in order, as the core lists them.
    func names(folder: String? = nil) throws -> [String] {
        try crm.accounts(folder: folder, limit: 0, for: admin).accounts.map(\.record.name)
    }
}

func type(_ text: String) -> [Key] { text.map { Key.char($0) } }

extension MemoryTerminal {
    var text: String { screen.lines.joined(separator: "\n") }
}

@Suite struct AccountBrowserTests {
    /// Table rows on a 30-line screen: all but the menu bar, header, footer and status line.
    static let visible = 30 - 4

    @Test func movingThroughTheTableFollowsTheNameOrder() throws {
        let db = try DemoDatabase(accounts: 200)
        let names = try db.names()
        let visible = Self.visible
        let (afterDown, _) = db.browse([.down, .down, .down])
        #expect(afterDown.selectedAccount?.record.name == names[3])
        let (afterPage, _) = db.browse([.pageDown])
        #expect(afterPage.rows.map(\.record.name) == Array(names[visible..<(2 * visible)]))
        let (scrolled, _) = db.browse(Array(repeating: .down, count: visible + 4))
        #expect(scrolled.selectedAccount?.record.name == names[visible + 4])
        #expect(scrolled.rows.first?.record.name == names[5])
        let (back, _) = db.browse(Array(repeating: .down, count: visible + 4) + Array(repeating: .up, count: visible + 2))
        #expect(back.selectedAccount?.record.name == names[2])
        let (end, _) = db.browse([.end])
        #expect(end.selectedAccount?.record.name == names.last)
        let (endUp, _) = db.browse([.end, .pageUp])
        #expect(endUp.rows.first?.record.name == names[names.count - 2 * visible])
        let (home, _) = db.browse([.end, .home])
        #expect(home.selectedAccount?.record.name == names.first)
    }

    @Test func choosingAFolderListsItsAccounts() throws {
        let db = try DemoDatabase(accounts: 150)
        let (browser, terminal) = db.browse([.backTab, .down, .down, .enter])
        let folder = try db.crm.folderTree(for: db.admin)[2]
        #expect(browser.focus == .accounts)
        #expect(browser.rows.map(\.record.name) == Array(try db.names(folder: folder.path).prefix(Self.visible)))
        #expect(terminal.screen.lines[0].contains("tester · \(folder.path)"))
        #expect(terminal.screen.lines.last!.contains("\(folder.totalCount) conturi"))
    }

    @Test func collapsingAFolderHidesItsChildrenAndLeftGoesToTheParent() throws {
        let db = try DemoDatabase(accounts: 60)
        let tree = try db.crm.folderTree(for: db.admin)
        let (browser, terminal) = db.browse([.backTab, .down, .left])
        let clients = tree[1]
        #expect(browser.collapsed.contains(clients.id))
        #expect(terminal.text.contains("▸ \(clients.record.name)"))
        #expect(!terminal.screen.lines.contains { $0.contains("    ▾ " + tree[2].record.name) })
        let (parent, _) = db.browse([.backTab, .down, .down, .left, .left])
        #expect(parent.activeFolder?.path == clients.path)
        let (open, _) = db.browse([.backTab, .down, .left, .right])
        #expect(open.collapsed.isEmpty)
    }

    @Test func theScreenHasMenuBarTreeTableHistoryFooterAndStatus() throws {
        let db = try DemoDatabase(accounts: 40)
        let names = try db.names()
        let (_, terminal) = db.browse([.down])
        let lines = terminal.screen.lines
        #expect(lines[0].hasPrefix(" Clienți   Dosare   Pagini   Setări   Ajutor"))
        #expect(lines[1].contains("Dosare") && lines[1].contains("Denumire"))
        #expect(lines[2].contains("Conturi") && lines[2].contains("40"))
        #expect(lines[1].contains(names[1]))  // the history pane shows the selected account
        #expect(lines.contains { $0.contains("Contacte (") && $0.contains("Modificări") })
        #expect(lines[28].hasPrefix(" Căutare:") && lines[28].contains("f1 Ajutor"))
        #expect(lines[29].contains("40 conturi"))
    }

    @Test func aNarrowTerminalPutsTheHistoryBelowTheTable() throws {
        let db = try DemoDatabase(accounts: 40)
        let (browser, terminal) = db.browse([], width: 90, height: 30)
        let lines = terminal.screen.lines
        let tabs = try #require(lines.firstIndex { $0.contains("Contacte (") })
        #expect(tabs > 12)
        #expect(lines[Layout(width: 90, height: 30).details.y - 1].contains("───"))
        #expect(tabs == Layout(width: 90, height: 30).details.y + 2)
        #expect(browser.rows.count == browser.visibleRows)
    }

    @Test func aTinyTerminalGetsANoticeAndComesBack() throws {
        let db = try DemoDatabase(accounts: 10)
        let terminal = MemoryTerminal(width: 60, height: 20)
        terminal.keys = [.down]
        var browser = db.browser(language: .en)
        AppLoop.run(&browser, on: terminal)
        #expect(terminal.text.contains("The terminal is too small: at least 80×24"))
        terminal.resize(width: 100, height: 30)
        db.more(&browser, terminal, [.ctrl("q")])
        #expect(terminal.screen.lines[1].contains("Folders"))
        #expect(browser.selectedAccount?.record.name == (try db.names())[1])
    }

    @Test func theHistoryTabsShowContactsAndChanges() throws {
        let db = try DemoDatabase(accounts: 30)
        let first = try db.crm.accounts(folder: nil, limit: 1, for: db.admin).accounts[0]
        let uuid = first.record.meta!.uuid.description
        try db.crm.addContact(toAccount: uuid, [.name: "Ioana Șerban", .role: "Achiziții"], primary: true, by: db.admin)
        try db.crm.editAccount(uuid, AccountInput(fields: [.city: "Turda"]), by: db.admin)
        let (contacts, terminal) = db.browse([])
        #expect(contacts.contacts.first?.name == "Ioana Șerban")
        #expect(terminal.text.contains("★ Ioana Șerban · Achiziții"))
        let (changes, t2) = db.browse([.char("]")])
        #expect(changes.tab == .changes)
        #expect(t2.text.contains("city: Turda"))
    }
}
