import CRMCore
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// Menus, the palette, the mouse, selections, long work, settings and hostile text.
@Suite struct InteractionTests {
    @Test func theMenuBarOpensMovesAndRuns() throws {
        let db = try DemoDatabase(accounts: 10)
        let (menu, terminal) = db.browse([.function(10)], language: .en, quit: false)
        guard case .menu(let list, let bar)? = menu.overlay else { Issue.record("no menu"); return }
        #expect(bar == 0 && list.items.first?.label == "Add account")
        #expect(terminal.text.contains("Add account") && terminal.text.contains("ins"))
        // Right opens the Folders menu; Enter runs its first item: the folder dialog.
        let (folder, _) = db.browse([.function(10), .right, .enter], language: .en, quit: false)
        #expect(folder.openDialogTitle == "Add folder")
        // Esc closes a menu.
        let (closed, _) = db.browse([.function(10), .escape])
        #expect(closed.overlay == nil)
    }

    @Test func thePaletteFindsActionsByRomanianOrEnglishNames() throws {
        let db = try DemoDatabase(accounts: 10)
        let (ro, _) = db.browse([.ctrl("p")] + type("adcont") + [.enter], quit: false)
        #expect(ro.openDialogTitle == "Adăugare cont")
        let (en, _) = db.browse([.ctrl("p")] + type("add folder") + [.enter], quit: false)
        #expect(en.openDialogTitle == "Adăugare dosar")
        let (diacritics, _) = db.browse([.ctrl("p")] + type("setari util") + [.enter], quit: false)
        #expect(diacritics.openDialogTitle == "Setări utilizator")
        let (nothing, terminal) = db.browse([.ctrl("p")] + type("qqqq"), quit: false)
        #expect(terminal.text.contains("Nicio comandă nu se potrivește"))
        guard case .palette(let palette)? = nothing.overlay else { Issue.record("palette closed"); return }
        #expect(palette.matches(.ro).isEmpty)
    }

    @Test func theMouseSelectsOpensScrollsAndOpensContextMenus() throws {
        let db = try DemoDatabase(accounts: 80)
        let names = try db.names()
        let l = Layout(width: 120, height: 30)
        let row = l.table.y + 1 + 4
        let (clicked, _) = db.browse([.mouse(MouseEvent(.click, x: l.table.x + 5, y: row))])
        #expect(clicked.selectedAccount?.record.name == names[4] && clicked.focus == .accounts)
        let (opened, _) = db.browse([.mouse(MouseEvent(.doubleClick, x: l.table.x + 5, y: row))], quit: false)
        #expect(opened.openDialogTitle == "Editare cont: \(names[4])")
        let (context, _) = db.browse([.mouse(MouseEvent(.rightClick, x: l.table.x + 5, y: row))], quit: false)
        guard case .menu(let list, nil)? = context.overlay else { Issue.record("no context menu"); return }
        #expect(list.items.map(\.action).contains("record.delete"))
        let (wheel, _) = db.browse(Array(repeating: .mouse(MouseEvent(.wheelDown, x: l.table.x + 5, y: row)), count: 3))
        #expect(wheel.selectedAccount?.record.name == names[9])
        let (folder, _) = db.browse([.mouse(MouseEvent(.click, x: 3, y: l.tree.y + 2))])
        #expect(folder.focus == .folders && folder.activeFolder?.depth == 1)
        let (bar, _) = db.browse([.mouse(MouseEvent(.click, x: 12, y: 0))], quit: false)
        guard case .menu(_, let index)? = bar.overlay else { Issue.record("no menu"); return }
        #expect(index == 1)
        let (tab, _) = db.browse([.mouse(MouseEvent(.click, x: l.details.x + 18, y: 1 + min(9, l.details.height / 2)))])
        #expect(tab.tab == .changes)
    }

    @Test func spaceAndShiftArrowsSelectAndABulkDeleteRunsAsAJob() throws {
        let db = try DemoDatabase(accounts: 40, invoicing: false)
        let names = try db.names()
        let (marked, terminal) = db.browse([.char(" "), .char(" "), .shiftDown, .shiftDown])
        // Space marks and moves on; shift+down marks where it starts and where it lands.
        #expect(Set(marked.marked.values.map(\.record.name)) == Set(names[0..<5]))
        #expect(terminal.text.contains("5 selectate"))
        let (shrunk, _) = db.browse([.shiftDown, .shiftDown, .shiftUp])
        #expect(Set(shrunk.marked.values.map(\.record.name)) == Set(names[0..<2]))
        let (done, t2) = db.browse([.char(" "), .char(" "), .char(" "), .delete, .char("d")])
        #expect(done.overlay == nil)
        #expect(t2.text.contains("3 conturi șterse"))
        #expect(try db.names() == Array(names[3...]))
        #expect(done.marked.isEmpty)
    }

    @Test func aCancelledBulkChangeKeepsEverything() throws {
        let db = try DemoDatabase(accounts: 30, invoicing: false)
        let uuids = try db.crm.accounts(folder: nil, limit: 0, for: db.admin).accounts.map { $0.record.meta!.uuid.description }
        let job = Job(title: Localized(ro: "t", en: "t")) { [crm = db.crm, admin = db.admin] progress in
            let n = try crm.deleteAccounts(uuids, by: admin) { done, total in progress(done, total) && done < 10 }
            return Localized(ro: "\(n)", en: "\(n)")
        }
        guard case .failure(let error) = job.wait() else { Issue.record("not cancelled"); return }
        #expect((error as? CoreError).map { if case .cancelled = $0 { true } else { false } } == true)
        #expect(try db.crm.accountCount(for: db.admin) == 30)
        // Esc on the progress box cancels the job.
        let waiting = Job(title: Localized(ro: "t", en: "t")) { progress in
            while progress(1, 2) { usleep(1_000) }
            throw CoreError.cancelled
        }
        var browser = db.browser()
        browser.overlay = .progress(waiting)
        let terminal = MemoryTerminal(width: 120, height: 30)
        db.more(&browser, terminal, [.escape])
        #expect(waiting.isCancelled)
        #expect(browser.overlay == nil)
        #expect(terminal.text.contains("anulat"))
    }

    @Test func selectedAccountsMoveToAnotherFolder() throws {
        let db = try DemoDatabase(accounts: 30)
        let names = try db.names()
        let target = try #require(try db.crm.folderTree(for: db.admin).last)
        // Two selected, F6, pick the last folder, save.
        let (browser, _) = db.browse([.char(" "), .char(" "), .function(6), .function(3), .end, .enter, .function(2)])
        #expect(browser.overlay == nil)
        let moved = try db.names(folder: target.path)
        #expect(moved.contains(names[0]) && moved.contains(names[1]))
    }

    @Test func typingInTheTableSearchesIgnoringDiacritics() throws {
        let db = try DemoDatabase(accounts: 30)
        try db.crm.addAccount(AccountInput(fields: [.name: "Știință și Țară SRL", .zone: "Centru"]), by: db.admin)
        let (browser, terminal) = db.browse(type("stiinta tara"))
        #expect(browser.rows.map(\.record.name) == ["Știință și Țară SRL"])
        #expect(terminal.screen.lines[28].contains("Căutare: stiinta tara"))
        let (cleared, _) = db.browse([.char("/")] + type("ŞTIINŢĂ") + [.escape])
        #expect(cleared.rows.count == 26 && cleared.searchText == nil)
        let (kept, _) = db.browse(type("ştiinţă") + [.enter])
        #expect(kept.rows.map(\.record.name) == ["Știință și Țară SRL"] && !kept.searching)
    }

    @Test func settingsAreSavedPerUserAndApplied() throws {
        let db = try DemoDatabase(accounts: 5)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 30)
        // Setări: theme → dark (a letter jumps), key map → vim, language → English.
        db.more(&browser, terminal, [.function(2), .char("d"), .tab, .char("v"), .tab, .char("e"), .function(2)])
        #expect(browser.appearance == Appearance(theme: "dark", keymap: "vim", language: .en))
        #expect(try db.crm.settings(for: db.admin) == ["theme": "dark", "keymap": "vim", "language": "en"])
        #expect(terminal.theme == (try DemoDatabase.resources.theme(named: "dark")))
        #expect(terminal.screen.lines[0].hasPrefix(" Clients   Folders   Pages   Settings   Help"))
        // The vim map is live: j moves down.
        db.more(&browser, terminal, [.char("j")])
        #expect(browser.selected == 1)
        // The next start reads them back.
        let again = Appearance(settings: try db.crm.settings(for: db.admin), environment: .ro)
        #expect(again == Appearance(theme: "dark", keymap: "vim", language: .en))
    }

    @Test func hostileTextNeverReachesTheTerminal() throws {
        let db = try DemoDatabase(accounts: 3)
        let first = try db.crm.accounts(folder: nil, limit: 1, for: db.admin).accounts[0]
        let evil = "\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}[2J\u{202E}Ion"
        try db.crm.addContact(toAccount: first.record.meta!.uuid.description, [.name: evil], primary: true, by: db.admin)
        try db.crm.editAccount(first.record.meta!.uuid.description, AccountInput(fields: [.city: "Cluj\u{1B}[31m"]), by: db.admin)
        final class Recorder: Terminal {
            let inner = MemoryTerminal(width: 120, height: 30)
            var written = ""
            var keys: [Key] = [.ctrl("q")]
            var width: Int { 120 }
            var height: Int { 30 }
            func draw(_ runs: [Run]) { written += runs.map(\.text).joined(); inner.draw(runs) }
            func flush() {}
            func readKey(timeoutMilliseconds: Int) -> Key? { keys.isEmpty ? nil : keys.removeFirst() }
            var isClosed: Bool { keys.isEmpty }
        }
        let terminal = Recorder()
        var browser = db.browser()
        AppLoop.run(&browser, on: terminal)
        #expect(!terminal.written.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) })
        #expect(!terminal.written.contains("\u{202E}"))
        let screen = terminal.inner.screen.lines.joined(separator: "\n")
        #expect(screen.contains("★ ␛]52;c;ZXZpbA==␇␛[2J�Ion"))
        #expect(screen.contains("Cluj␛[31m"))
    }
}

@Suite struct KeymapAndLayoutTests {
    @Test func theShippedKeymapsLoadWithoutProblemsAndBindTheEssentials() {
        for name in Resources.keymapNames {
            let (map, problems) = DemoDatabase.resources.keymap(named: name)
            #expect(problems.isEmpty, "\(name): \(problems)")
            for action in ["app.quit", "help.show", "record.add", "record.delete", "dialog.save", "dialog.cancel", "context.menu"] {
                #expect(!map.keys(for: action, in: action.hasPrefix("dialog") ? .dialog : .browser).isEmpty, "\(name): \(action)")
            }
        }
        let (_, unknown) = DemoDatabase.resources.keymap(named: "wordstar")
        #expect(unknown == ["keymap «wordstar»: unknown; using default"])
    }

    @Test func theVimKeymapMovesWithJAndOpensThePaletteWithAColon() throws {
        let db = try DemoDatabase(accounts: 20)
        let names = try db.names()
        let (vim, _) = DemoDatabase.resources.keymap(named: "vim")
        var browser = AccountBrowser(crm: db.crm, actor: db.admin, keymap: vim, appearance: Appearance(keymap: "vim"),
                                     resources: DemoDatabase.resources)
        let terminal = MemoryTerminal(width: 120, height: 30)
        db.more(&browser, terminal, [.char("j"), .char("j"), .char("k")])
        #expect(browser.selectedAccount?.record.name == names[1])
        db.more(&browser, terminal, [.char("G")])
        #expect(browser.selectedAccount?.record.name == names.last)
        db.more(&browser, terminal, [.char(":")])
        guard case .palette? = browser.overlay else { Issue.record("no palette"); return }
        #expect(terminal.text.contains("j") && terminal.text.contains("q Ieșire") || terminal.text.contains("Paleta"))
    }

    @Test func aResizeInsideADialogKeepsWhatWasTyped() throws {
        let db = try DemoDatabase(accounts: 5)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 35)
        db.more(&browser, terminal, [.insert] + type("Redimensionare SRL") + [.tab] + type("RD1") + DialogTests.zone(from: .code))
        terminal.resize(width: 80, height: 24)
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("Adăugare cont"))
        #expect(terminal.text.contains("Redimensionare SRL"))
        terminal.resize(width: 60, height: 20)
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("Terminalul este prea mic"))
        terminal.resize(width: 120, height: 35)
        db.more(&browser, terminal, [.function(2)])
        #expect(try db.crm.account("RD1", for: db.admin).record.name == "Redimensionare SRL")
    }
}

@Suite struct SortTests {
    @Test func aHeaderClickOrAKeySortsAndAgainReverses() throws {
        let db = try DemoDatabase(accounts: 60)
        let all = try db.crm.accounts(folder: nil, limit: 0, for: db.admin).accounts
        let byCode = all.map { $0.record.code ?? "" }.sorted()
        let l = Layout(width: 120, height: 30)
        let header = l.table.y
        let (coded, terminal) = db.browse([.mouse(MouseEvent(.click, x: l.table.x + 3, y: header))])
        #expect(coded.order == AccountOrder(.code))
        // The same account stays selected, on a full page of consecutive codes.
        #expect(coded.selectedAccount?.record.name == (try db.names()).first)
        let codes = coded.rows.map { $0.record.code ?? "" }
        let start = try #require(byCode.firstIndex(of: codes[0]))
        #expect(codes == Array(byCode[start..<(start + codes.count)]) && codes.count == coded.visibleRows)
        #expect(terminal.screen.lines[header].contains("Cod ▲"))
        // The order is saved with the user's table: the next start sorts by code,
        // and a click on the sorted header reverses it.
        #expect(try db.crm.tableSettings(AccountTable.kind, columns: try db.crm.accountColumns(for: db.admin), for: db.admin).sort == "code")
        let (reversed, t2) = db.browse([.mouse(MouseEvent(.click, x: l.table.x + 3, y: header)), .end])
        #expect(reversed.order == AccountOrder(.code, descending: true))
        #expect(reversed.selectedAccount?.record.code == byCode.first)
        #expect(t2.screen.lines[header].contains("Cod ▼"))
        // alt+s: the next column (Denumire after Cod); alt+r reverses it.
        let (named, _) = db.browse([.mouse(MouseEvent(.click, x: l.table.x + 3, y: header)), .alt("s"), .alt("r"), .home])
        #expect(named.order == AccountOrder(.name, descending: true))
        #expect(named.rows.first?.record.name == (try db.names()).last)
    }
}

@Suite struct TableSettingsTests {
    @Test func visibleFieldsAreChosenOrderedSizedAndSavedPerUser() throws {
        let db = try DemoDatabase(accounts: 30)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 30)
        // ctrl+o; hide "Oraș" (third), move "Denumire" up above "Cod", show "Județ" (a hidden one), widen it.
        let columns = try db.crm.accountColumns(for: db.admin)
        let countyIndex = 5 + columns.filter { !AccountTable.defaultVisible.contains($0.id) }.firstIndex { $0.id == "county" }!
        var keys: [Key] = [.ctrl("o"), .down, .down, .char(" "), .up, .shiftUp]
        keys += Array(repeating: .down, count: countyIndex) + [.char(" "), .right, .right, .function(2)]
        db.more(&browser, terminal, keys)
        #expect(browser.overlay == nil)
        #expect(browser.table.columns == ["name", "code", "phone", "email", "county"])
        #expect(browser.table.widths["county"] == 16)
        #expect(try db.crm.tableSettings(AccountTable.kind, columns: try db.crm.accountColumns(for: db.admin), for: db.admin).columns == ["name", "code", "phone", "email", "county"])
        // The header follows, and the next start reads the settings back.
        let (again, t2) = db.browse([], width: 220)
        #expect(again.table.columns == browser.table.columns)
        let header = t2.screen.lines[1]
        let name = try #require(header.range(of: "Denumire ▲")), code = try #require(header.range(of: "Cod"))
        #expect(name.lowerBound < code.lowerBound && header.contains("Județ") && !header.contains("Oraș"), "\(header)")
    }

    @Test func aNarrowTableScrollsSidewaysKeepingThePinnedColumn() throws {
        let db = try DemoDatabase(accounts: 10)
        var settings = try db.crm.tableSettings(AccountTable.kind, columns: try db.crm.accountColumns(for: db.admin), for: db.admin)
        settings.columns = ["name", "code", "city", "phone", "email", "iban", "bank", "website"]
        try db.crm.saveTableSettings(AccountTable.kind, settings, columns: try db.crm.accountColumns(for: db.admin), by: db.admin)
        let (browser, terminal) = db.browse([.right, .right], width: 100)
        #expect(browser.hscroll == 2)
        let header = terminal.screen.lines[1]
        #expect(header.contains("Denumire") && !header.contains("Cod ") && !header.contains("Oraș") && header.contains("Telefon"))
        #expect(header.contains("◂▸"))
    }

    @Test func theTableExportsAsShownFromTheKeyboard() throws {
        let db = try DemoDatabase(accounts: 40)
        let path = db.dir.appendingPathComponent("din-tabel.csv").path
        // Search first, then ctrl+e, replace the file name, save: a job writes the file.
        let keys: [Key] = type("srl") + [.enter, .ctrl("e"), .ctrl("u")] + type(path) + [.function(2)]
        let (browser, terminal) = db.browse(keys)
        #expect(browser.overlay == nil)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\r\n")
        #expect(lines.first == "Cod,Denumire,Oraș,Telefon,E-mail")
        let shown = try db.crm.accounts(AccountView(search: "srl"), limit: 0, for: db.admin).accounts
        #expect(lines.count == shown.count + 1)
        #expect(lines.dropFirst().allSatisfy { $0.lowercased().contains("srl") })
        #expect(terminal.screen.lines.last?.contains("\(shown.count) conturi exportate în \(path)") == true)
        // A name without .xlsx or .csv is refused in the dialog.
        let (refused, t2) = db.browse([.ctrl("e"), .ctrl("u")] + type("/tmp/x.txt") + [.function(2)], quit: false)
        guard case .dialog? = refused.overlay else { Issue.record("the dialog closed"); return }
        #expect(t2.text.contains("Numele fișierului se termină cu .xlsx sau .csv"))
    }
}

@Suite struct FilterTests {
    @Test func theFilterDialogNarrowsTheTableAndSavesANamedFilter() throws {
        let db = try DemoDatabase(accounts: 80)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 30)
        // ctrl+l; Field 1: Oraș (a letter jumps); condition: contains (the default); value: bucur; save as «București»; F2.
        db.more(&browser, terminal, [.ctrl("l"), .tab, .char("o"), .tab, .tab] + type("bucur") + [.tab] + type("București") + [.function(2)])
        #expect(browser.overlay == nil, "\(String(describing: browser.overlay))")
        #expect(browser.filter == Filter(criteria: [Criterion("city", .contains, ["bucur"])]))
        let expected = try db.crm.accounts(AccountView(filters: [Filter(criteria: [Criterion("city", .contains, ["bucur"])])]), limit: 0,
                                           for: db.admin).accounts
        #expect(!expected.isEmpty && browser.rows.allSatisfy { $0.record.city == "București" })
        #expect(browser.viewCount == expected.count)
        #expect(terminal.screen.lines.last?.contains("Filtru aplicat și salvat: București") == true)
        db.more(&browser, terminal, [.down])
        #expect(terminal.screen.lines.last?.contains("filtru «București»: Oraș conține «bucur»") == true)
        #expect(terminal.screen.lines.last?.contains("\(expected.count) din 80 conturi") == true)
        // Cleared with alt+x; applied again from the saved filters (alt+l).
        db.more(&browser, terminal, [.alt("x")])
        #expect(browser.filter == nil && browser.rows.count == browser.visibleRows)
        db.more(&browser, terminal, [.alt("l"), .enter])
        #expect(browser.filterName == "București" && browser.rows.count == min(expected.count, browser.visibleRows))
    }

    @Test func badCriteriaAreShownUnderTheirValueAndNothingIsApplied() throws {
        let db = try DemoDatabase(accounts: 10)
        // Field 1: Nr. angajați (the fourth from the end of the list); at least; «mulți».
        let keys: [Key] = [.ctrl("l"), .tab, .function(3), .end, .up, .up, .up, .enter, .tab, .char("c"), .tab] + type("mulți") + [.function(2)]
        let (browser, terminal) = db.browse(keys, quit: false)
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(dialog.form.focusedField?.id == "value.0")
        #expect(terminal.text.contains("«mulți» nu este un număr"))
        #expect(browser.filter == nil)
    }

    @Test func criteriaAreAddedAndRemovedInTheDialog() throws {
        let db = try DemoDatabase(accounts: 10)
        let (browser, _) = db.browse([.ctrl("l"), .insert, .insert, .ctrl("k")], quit: false)
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(dialog.form.fields.filter { $0.id.hasPrefix("column.") }.count == 2)
    }
}

@Suite struct TypingTests {
    /// Counts the store's reads of account pages while keys are typed ahead.
    @Test func keysTypedAheadRunOneSearchNotOnePerKeystroke() throws {
        let db = try DemoDatabase(accounts: 50)
        try db.crm.addAccount(AccountInput(fields: [.name: "Știință și Țară SRL", .zone: "Centru"]), by: db.admin)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 30)
        db.more(&browser, terminal, [])
        terminal.typeAhead = true
        terminal.keys = [.char("/")] + type("stiinta")
        AppLoop.run(&browser, on: terminal)
        // Every key was handled before the next frame: the query ran once, for the whole word.
        #expect(browser.rows.map(\.record.name) == ["Știință și Țară SRL"])
        #expect(terminal.text.contains("Căutare: stiinta"))
        #expect(browser.searchLoads == 1)
    }
}

@Suite struct FieldsAdminTests {
    @Test func anAdministratorSetsRulesAndManagesCustomColumnsFromTheTable() throws {
        let db = try DemoDatabase(accounts: 10)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 40)
        let cityRow = AccountField.allCases.filter { $0 != .folder }.firstIndex(of: .city)!
        db.more(&browser, terminal, [.ctrl("p")] + type("coloane personalizate") + [.enter])
        guard case .fields? = browser.overlay else { Issue.record("no fields dialog"); return }
        #expect(terminal.text.contains("Setări câmpuri și coloane personalizate"))
        // City: mandatory.
        db.more(&browser, terminal, Array(repeating: .down, count: cityRow) + [.char("m")])
        #expect(try db.crm.fieldRules(entity: "account", for: db.admin).contains { $0.field == "city" && $0.mandatory })
        // A new money column, then retired.
        db.more(&browser, terminal, [.insert] + type("Cifră de afaceri") + [.tab, .char("s"), .function(2)])
        let added = try #require(try db.crm.customColumns(entity: "account", for: db.admin).first { $0.label == "Cifră de afaceri" })
        #expect(added.type == "money")
        #expect(terminal.text.contains("Coloană adăugată: Cifră de afaceri"))
        db.more(&browser, terminal, [.end, .delete])
        #expect(try db.crm.customColumns(entity: "account", for: db.admin).allSatisfy { $0.key != added.key })
        db.more(&browser, terminal, [.escape])
        #expect(browser.overlay == nil)
        #expect(browser.allColumns.allSatisfy { $0.id != "custom." + added.key })
        // The rule holds in the account dialog: a new account without a city is refused.
        db.more(&browser, terminal, [.insert] + type("Fără Oraș SRL") + [.function(2)])
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(dialog.form.focusedField?.id == "city")
    }
}

@Suite struct SearchScopeTests {
    @Test func tabInTheSearchBoxSearchesEveryAccountInsteadOfTheFolder() throws {
        let db = try DemoDatabase(accounts: 60)
        let tree = try db.crm.folderTree(for: db.admin)
        let leaf = try #require(tree.last)
        try db.crm.addAccount(AccountInput(fields: [.name: "Zăpadă Unică SRL", .folder: tree[1].path, .zone: "Centru"]), by: db.admin)
        // In the last folder the account is not found; Tab widens the search to every account.
        let (inFolder, _) = db.browse([.backTab, .end, .tab, .char("/")] + type("zapada"))
        #expect(inFolder.activeFolder?.path == leaf.path && inFolder.rows.isEmpty)
        let (everywhere, terminal) = db.browse([.backTab, .end, .tab, .char("/")] + type("zapada") + [.tab])
        #expect(everywhere.rows.map(\.record.name) == ["Zăpadă Unică SRL"])
        #expect(terminal.text.contains("Căutare (toate): zapada"))
        #expect(terminal.screen.lines.last?.contains("1 din 61 conturi · căutare «zapada» în toate conturile") == true)
    }
}

@Suite struct BackgroundIndexTests {
    @Test func theSearchIndexOfABulkLoadedBaseFillsInTheBackground() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bulk.sqlite").path
        let bulk = try Store.createForBulkLoad(path: path)
        let admin = try CRM(store: bulk).initialize(unixLogin: "tester")
        for n in 0..<40 { try CRM(store: bulk).addAccount(AccountInput(fields: [.name: "Firma \(n) SRL", .city: "Oraș\(n)"]), by: admin) }
        try bulk.finishBulkLoad()
        let crm = CRM(store: try Store.open(path: path))
        #expect(try !crm.searchIndexState().complete)
        var browser = AccountBrowser(crm: crm, actor: admin, keymap: DemoDatabase.keymap, appearance: Appearance(),
                                     resources: DemoDatabase.resources)
        browser.startIndexingIfNeeded()
        #expect(browser.isBusy && browser.indexProgress != nil)
        let terminal = MemoryTerminal(width: 120, height: 30)
        // The loop wakes while the job runs and ends once it is done and no key is left.
        runUntilIdle(&browser, terminal)
        #expect(try crm.searchIndexState().complete)
        #expect(!browser.isBusy && browser.indexProgress == nil)
        // The city is searchable now (it is not in the name).
        terminal.keys = [.char("/")] + type("oras12") + [.enter]
        AppLoop.run(&browser, on: terminal)
        #expect(browser.rows.map(\.record.name) == ["Firma 12 SRL"])
    }

    private func runUntilIdle(_ browser: inout AccountBrowser, _ terminal: MemoryTerminal) {
        AppLoop.run(&browser, on: terminal)
    }
}

@Suite struct DuplicatesViewTests {
    @Test func anAccountsDuplicatesAreShownOpenedAndDismissed() throws {
        let db = try DemoDatabase(accounts: 20)
        let folders = try db.crm.folderTree(for: db.admin)
        let first = try db.crm.addAccount(AccountInput(fields: [.name: "AAA Dublură Test SRL", .folder: folders[2].path, .zone: "Centru"]), by: db.admin)
        let second = try db.crm.addAccount(AccountInput(fields: [.name: "S.C. AAA DUBLURA TEST S.R.L.", .folder: folders.last!.path, .zone: "Centru"]),
                                           by: db.admin)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 35)
        // The first account heads the root folder's table; its context menu finds the duplicate.
        db.more(&browser, terminal, [.home, .function(22)])
        guard case .menu(let menu, nil)? = browser.overlay else { Issue.record("no context menu"); return }
        #expect(menu.items.contains { $0.action == "duplicates.account" && $0.label == "Identificare duplicate" })
        db.more(&browser, terminal, [.escape, .ctrl("p")] + type("identificare duplicate") + [.enter])
        guard case .duplicates(let view)? = browser.overlay else { Issue.record("no duplicates view"); return }
        #expect(view.pairs.count == 1 && view.pairs[0].score == 1)
        #expect(terminal.text.contains("S.C. AAA DUBLURA TEST S.R.L.") && terminal.text.contains("nume asemănător"))
        // Enter shows the other one, in its folder.
        db.more(&browser, terminal, [.enter])
        #expect(browser.selectedAccount?.record.meta?.uuid == second.meta?.uuid)
        #expect(browser.activeFolder?.path == folders.last!.path)
        // n: not duplicates, and they are not proposed again.
        db.more(&browser, terminal, [.ctrl("p")] + type("identificare duplicate") + [.enter, .char("n")])
        #expect(terminal.text.contains("nu sunt duplicate"))
        #expect(try db.crm.duplicates(of: first.meta!.uuid.description, for: db.admin).isEmpty)
    }
}
