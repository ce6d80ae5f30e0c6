import CRMCore
import CRMDemo
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// A demo database in a temporary folder.
final class DemoDatabase {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-app-\(UUID().uuidString)")
    let crm: CRM
    let admin: Actor

    init(accounts: Int) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try Store.open(path: dir.appendingPathComponent("crm.sqlite").path, mode: .createIfMissing)
        crm = CRM(store: store)
        admin = try crm.initialize(unixLogin: "tester")
        let lists = try WordLists.load(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sample-data"))
        _ = try DemoBuilder(lists: lists, seed: 4).populate(crm: crm, admin: admin, accounts: accounts)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Runs the Clienți page on an in-memory terminal with these keys, then quits.
    func browse(_ keys: [Key], keymap: Keymap, language: Language, width: Int = 120,
                height: Int = 30) -> (AccountBrowser, MemoryTerminal) {
        let terminal = MemoryTerminal(width: width, height: height)
        terminal.keys = keys + [.ctrl("q")]
        var browser = AccountBrowser(crm: crm, actor: admin, keymap: keymap, language: language)
        AppLoop.run(&browser, on: terminal)
        return (browser, terminal)
    }

    /// Every account name in order, as the core lists them.
    func names(folder: String? = nil) throws -> [String] {
        try crm.accounts(folder: folder, limit: 0, for: admin).accounts.map(\.record.name)
    }
}

@Suite struct AccountBrowserTests {
    static let keymap = try! Keymap(parsing: """
        ctrl+q = app.quit
        tab = focus.next
        up = cursor.up
        down = cursor.down
        pgup = cursor.page_up
        pgdn = cursor.page_down
        home = cursor.first
        end = cursor.last
        enter = record.open
        """)

    func run(_ db: DemoDatabase, keys: [Key]) -> (AccountBrowser, MemoryTerminal) {
        db.browse(keys, keymap: Self.keymap, language: .ro)
    }

    @Test func movingThroughTheTableFollowsTheNameOrder() throws {
        let db = try DemoDatabase(accounts: 200)
        let names = try db.names()
        let (afterDown, _) = run(db, keys: [.down, .down, .down])
        #expect(afterDown.selectedAccount?.record.name == names[3])
        let visible = 30 - 3
        let (afterPage, _) = run(db, keys: [.pageDown])
        #expect(afterPage.rows.map(\.record.name) == Array(names[visible..<(2 * visible)]))
        let (scrolled, _) = run(db, keys: Array(repeating: .down, count: visible + 4))
        #expect(scrolled.selectedAccount?.record.name == names[visible + 4])
        #expect(scrolled.rows.first?.record.name == names[5])
        let (back, _) = run(db, keys: Array(repeating: .down, count: visible + 4) + Array(repeating: .up, count: visible + 2))
        #expect(back.selectedAccount?.record.name == names[2])
        let (end, _) = run(db, keys: [.end])
        #expect(end.selectedAccount?.record.name == names.last)
        let (endUp, _) = run(db, keys: [.end, .pageUp])
        #expect(endUp.rows.first?.record.name == names[names.count - 2 * visible])
        let (home, _) = run(db, keys: [.end, .home])
        #expect(home.selectedAccount?.record.name == names.first)
    }

    @Test func choosingAFolderListsItsAccounts() throws {
        let db = try DemoDatabase(accounts: 150)
        let (browser, terminal) = run(db, keys: [.tab, .down, .down, .enter])
        let folder = try db.crm.folderTree(for: db.admin)[2]
        #expect(browser.focus == .accounts)
        #expect(browser.rows.map(\.record.name) == Array(try db.names(folder: folder.path).prefix(27)))
        let screen = terminal.screen.lines.joined(separator: "\n")
        #expect(screen.contains(" crm · Clienți · \(folder.path)"))
        #expect(screen.contains("\(folder.totalCount) conturi"))
    }

    @Test func theScreenShowsTreeTableAndDetails() throws {
        let db = try DemoDatabase(accounts: 40)
        let names = try db.names()
        let (_, terminal) = run(db, keys: [.down])
        let lines = terminal.screen.lines
        #expect(lines[1].contains("Dosare") && lines[1].contains("Denumire"))
        #expect(lines[2].contains("Conturi") && lines[2].contains("40"))
        #expect(lines.contains { $0.contains("Clienți") })
        #expect(lines[1].contains(names[1]))  // the details pane shows the selected account
        #expect(lines.contains { $0.contains("Istoric") })
    }

    @Test func aTinyTerminalGetsANoticeAndComesBack() throws {
        let db = try DemoDatabase(accounts: 10)
        let terminal = MemoryTerminal(width: 60, height: 20)
        terminal.keys = [.down]
        var browser = AccountBrowser(crm: db.crm, actor: db.admin, keymap: Self.keymap, language: .en)
        AppLoop.run(&browser, on: terminal)
        #expect(terminal.screen.lines.joined().contains("The terminal is too small: at least 80×24"))
        terminal.resize(width: 100, height: 30)
        terminal.keys.append(.ctrl("q"))
        AppLoop.run(&browser, on: terminal)
        #expect(terminal.screen.lines[1].contains("Folders"))
        #expect(browser.selectedAccount?.record.name == (try db.names())[1])
    }
}
