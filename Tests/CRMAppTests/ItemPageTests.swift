import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// The Oportunități and Activități pages through the shipped key map on the
/// in-memory screen: the same table engine as Clienți.
@Suite struct ItemPageTests {
    func uuids(_ browser: AccountBrowser) -> [String] { browser.items?.window.rows.map(\.uuid) ?? [] }

    @Test func theOpportunitiesPageMovesSortsAndNarrowsByStageAsTheCoreLists() throws {
        let db = try DemoDatabase(accounts: 300)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 160, height: 30)
        db.more(&browser, terminal, [.alt("2")])
        #expect(browser.page == .items(.opportunity))
        let all = try db.crm.workItems(WorkItemView(.opportunity), limit: 0, for: db.admin)
        #expect(all.count > 2 * browser.visibleRows, "enough opportunities to page through")
        // The first screen: the newest first, the stages with their counts, the total in the status line.
        #expect(uuids(browser) == all.prefix(browser.visibleRows).map(\.uuid))
        #expect(terminal.text.contains("Stadii") && terminal.text.contains("Toate") && terminal.text.contains("Prospectare"))
        #expect(terminal.screen.lines.last?.contains("\(all.count) oportunități") == true)
        #expect(terminal.screen.lines[0].hasPrefix(" Oportunități   Pagini   Setări   Ajutor"))
        // Down past the screen, page down, end and home walk the same list.
        db.more(&browser, terminal, Array(repeating: .down, count: browser.visibleRows + 2))
        #expect(browser.items?.selectedItem?.uuid == all[browser.visibleRows + 2].uuid)
        db.more(&browser, terminal, [.end])
        #expect(browser.items?.selectedItem?.uuid == all.last?.uuid)
        db.more(&browser, terminal, [.pageUp])
        #expect(uuids(browser) == all.suffix(2 * browser.visibleRows).prefix(browser.visibleRows).map(\.uuid))
        db.more(&browser, terminal, [.home])
        #expect(browser.items?.selectedItem?.uuid == all.first?.uuid)
        // Sorted by the first sortable column (Sumă), then the other way; saved for the user.
        db.more(&browser, terminal, [.alt("s"), .home])
        let byAmount = try db.crm.workItems(WorkItemView(.opportunity, order: WorkItemOrder(.amount)), limit: 0, for: db.admin)
        #expect(uuids(browser) == byAmount.prefix(browser.visibleRows).map(\.uuid))
        db.more(&browser, terminal, [.alt("r"), .end])
        let descending = try db.crm.workItems(WorkItemView(.opportunity, order: WorkItemOrder(.amount, descending: true)), limit: 0, for: db.admin)
        #expect(browser.items?.selectedItem?.uuid == descending.last?.uuid)
        let settings = try db.crm.tableSettings(WorkItemTable.kind(.opportunity), columns: try db.crm.workItemColumns(.opportunity, for: db.admin),
                                                for: db.admin)
        #expect(settings.sort == "amount" && settings.descending, "\(settings) \(terminal.text)")
        // The stages pane: Ofertare narrows the table and the counts.
        db.more(&browser, terminal, [.home, .backTab, .down, .down, .down])
        #expect(browser.items?.stage?.name == "Ofertare")
        let offers = try db.crm.workItems(WorkItemView(.opportunity, stages: ["Ofertare"], order: WorkItemOrder(.amount, descending: true)),
                                          limit: 0, for: db.admin)
        #expect(!offers.isEmpty && uuids(browser) == offers.prefix(browser.visibleRows).map(\.uuid))
        #expect(terminal.screen.lines.last?.contains("\(offers.count) oportunități · stadiu «Ofertare»") == true)
        // A search within the stage: words in the details or the account's name.
        let word = try #require(offers.first?.account.name.split(separator: " ").first.map(String.init))
        db.more(&browser, terminal, [.tab, .char("/")] + type(word) + [.enter])
        let found = try db.crm.workItems(WorkItemView(.opportunity, stages: ["Ofertare"], search: word,
                                                      order: WorkItemOrder(.amount, descending: true)), limit: 0, for: db.admin)
        #expect(!found.isEmpty && uuids(browser) == found.prefix(browser.visibleRows).map(\.uuid))
        #expect(terminal.screen.lines.last?.contains("\(found.count) din \(offers.count) oportunități") == true)
        // Alt+1: back on Clienți, as it was.
        db.more(&browser, terminal, [.alt("1")])
        #expect(browser.page == .accounts && terminal.text.contains("Dosare"))
    }

    @Test func itemsAreAddedEditedDeletedFilteredAndExportedFromTheirPage() throws {
        let db = try DemoDatabase(accounts: 60)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 30)
        db.more(&browser, terminal, [.alt("3")])
        #expect(browser.page == .items(.activity) && terminal.text.contains("Activities"))
        let account = try #require(try db.crm.accounts(AccountView(), limit: 1, for: db.admin).accounts.first)
        let code = try #require(account.record.code)
        // Ins: a new activity on the account typed in (its code); the page lands on it.
        db.more(&browser, terminal, [.insert])
        #expect(terminal.text.contains("Add activity"))
        db.more(&browser, terminal, [.ctrl("u")] + type("NU-EXISTA") + [.function(2)])
        #expect(terminal.text.contains("No account with this code, CUI or name: «NU-EXISTA»"))
        db.more(&browser, terminal, [.ctrl("u")] + type(code) + WorkViewTests.tabs(to: "details", in: browser) + type("Instalare imprimantă")
                + [.function(2)])
        #expect(browser.overlay == nil, "\(terminal.text)")
        let added = try #require(browser.items?.selectedItem)
        #expect(added.record.details == "Instalare imprimantă" && added.account.code == code)
        // Enter opens it; a new stage saved from there shows in the table.
        db.more(&browser, terminal, [.enter, .char("r"), .function(2)])
        #expect(try db.crm.workItem(added.uuid, for: db.admin).stage.name == "Rezolvată")
        #expect(browser.items?.selectedItem?.stage.name == "Rezolvată")
        // Alt+N: a note on it, listed in the right pane.
        db.more(&browser, terminal, [.alt("n"), .tab] + type("Client mulțumit") + [.function(2)])
        #expect(browser.items?.history.count == 1 && terminal.text.contains("Client mulțumit"))
        // A saved filter of this table (checked against its columns) applies from Alt+L.
        try db.crm.saveFilter("Rezolvate", table: WorkItemTable.kind(.activity).name,
                              Filter(criteria: [Criterion("stage", .equals, ["Rezolvată"])]), by: db.admin)
        #expect(throws: CoreError.self) {
            try db.crm.saveFilter("Greșit", table: WorkItemTable.kind(.activity).name, Filter(criteria: [Criterion("city", .equals, ["x"])]),
                                  by: db.admin)
        }
        db.more(&browser, terminal, [.tab, .tab, .alt("l"), .enter, .down])
        #expect(browser.focus == .accounts && browser.items?.stage == nil)
        let solved = try db.crm.workItems(WorkItemView(.activity, filters: [Filter(criteria: [Criterion("stage", .equals, ["Rezolvată"])])]),
                                          limit: 0, for: db.admin)
        #expect(browser.items?.filterName == "Rezolvate" && !solved.isEmpty)
        #expect(browser.items?.window.rows.map(\.uuid) == solved.prefix(browser.visibleRows).map(\.uuid))
        #expect(terminal.screen.lines.last?.contains("filter «Rezolvate»: Stage equals «Rezolvată»") == true)
        // Ctrl+E: the filtered table, exactly as shown, to CSV.
        let sheet = db.dir.appendingPathComponent("activitati.csv").path
        db.more(&browser, terminal, [.ctrl("e"), .ctrl("u")] + type(sheet) + [.function(2)])
        for _ in 0..<500 where browser.isBusy { usleep(10_000); db.more(&browser, terminal, []) }
        let lines = try String(contentsOfFile: sheet, encoding: .utf8).split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.first == "Account,Stage,Owner,Type,Close date,Reminder,Details")
        #expect(lines.count == solved.count + 1 && lines.dropFirst().allSatisfy { $0.contains(",Rezolvată,") }, "\(lines) \(solved.map(\.record.details))")
        // Delete asks, then deletes; the filter cleared shows everything again.
        db.more(&browser, terminal, [.alt("x")])
        let before = try db.crm.count(WorkItemView(.activity), for: db.admin)
        let doomed = try #require(browser.items?.selectedItem)
        db.more(&browser, terminal, [.delete])
        #expect(terminal.text.contains("Delete the activity"))
        db.more(&browser, terminal, [.char("y")])
        #expect(try db.crm.count(WorkItemView(.activity), for: db.admin) == before - 1)
        #expect(browser.items?.window.rows.contains { $0.uuid == doomed.uuid } == false)
        // The columns dialog: settings saved for this table only.
        db.more(&browser, terminal, [.ctrl("o"), .char(" "), .function(2)])
        let columns = try db.crm.workItemColumns(.activity, for: db.admin)
        #expect(try db.crm.tableSettings(WorkItemTable.kind(.activity), columns: columns, for: db.admin).columns
                == ["stage", "owner", "type", "close", "reminder", "details"], "\(terminal.text)")
        #expect(try db.crm.tableSettings(WorkItemTable.kind(.opportunity), columns: try db.crm.workItemColumns(.opportunity, for: db.admin),
                                         for: db.admin).columns.first == "account")
    }

    @Test func theTablesCustomColumnsAreAdministeredFromItsPage() throws {
        let db = try DemoDatabase(accounts: 30)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 30)
        db.more(&browser, terminal, [.alt("2")])
        _ = browser.perform("fields.admin")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("Opportunities table: custom columns"))
        // Ins: a new column of opportunities, then unique (u) while no two share a value.
        db.more(&browser, terminal, [.insert] + type("Cod proiect") + [.function(2)])
        let column = try #require(try db.crm.customColumns(entity: "opportunity", for: db.admin).first { $0.label == "Cod proiect" })
        #expect(try db.crm.customColumns(entity: "account", for: db.admin).contains { $0.label == "Cod proiect" } == false)
        db.more(&browser, terminal, [.end, .char("u")])
        #expect(try db.crm.fieldRules(entity: "opportunity", for: db.admin).contains { $0.field == "custom." + column.key && $0.unique })
        db.more(&browser, terminal, [.escape])
        // The new column is one of the table's, for the columns dialog, filters and exports.
        #expect(browser.items?.columns.contains { $0.id == "custom." + column.key } == true)
        let items = try db.crm.workItems(WorkItemView(.opportunity), limit: 2, for: db.admin)
        try db.crm.editWorkItem(items[0].uuid, [:], custom: [column.key: "P-1"], by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.editWorkItem(items[1].uuid, [:], custom: [column.key: "P-1"], by: db.admin) }
        // Unique cannot be set again while two items share a value.
        try db.crm.setFieldRule(entity: "opportunity", field: "custom." + column.key, mandatory: false, unique: false, by: db.admin)
        try db.crm.editWorkItem(items[1].uuid, [:], custom: [column.key: "P-1"], by: db.admin)
        #expect(throws: CoreError.self) {
            try db.crm.setFieldRule(entity: "opportunity", field: "custom." + column.key, mandatory: false, unique: true, by: db.admin)
        }
        #expect(throws: CoreError.self) { try db.crm.setFieldRule(entity: "opportunity", field: "amount", mandatory: true, unique: false, by: db.admin) }
    }

    @Test func aUserWithoutTheModuleCannotOpenItsPage() throws {
        let db = try DemoDatabase(accounts: 10)
        try db.crm.addUser(login: "vanzari", name: "Vânzări", by: db.admin)
        try db.crm.setUserAccess("vanzari", rights: [Rights.name(.accounts, .view)], zones: nil, addresses: [], by: db.admin)
        let seller = try db.crm.actor(forLogin: "vanzari", by: db.admin)
        var browser = AccountBrowser(crm: db.crm, actor: seller, keymap: DemoDatabase.keymap, appearance: Appearance(language: .en),
                                     resources: DemoDatabase.resources)
        let terminal = MemoryTerminal(width: 120, height: 30)
        db.more(&browser, terminal, [.alt("2")])
        #expect(browser.page == .accounts && terminal.text.contains("You have no access to the Opportunities page"))
        // One who may see opportunities but not add them: not offered in the menu, refused by key, on either page.
        try db.crm.setUserAccess("vanzari", rights: [Rights.name(.accounts, .view), Rights.name(.opportunities, .view),
                                                     Rights.name(.accounts, .edit)], zones: nil, addresses: [], by: db.admin)
        let reader = try db.crm.actor(forLogin: "vanzari", by: db.admin)
        var theirs = AccountBrowser(crm: db.crm, actor: reader, keymap: DemoDatabase.keymap, appearance: Appearance(language: .en),
                                    resources: DemoDatabase.resources)
        db.more(&theirs, terminal, [.alt("o")])
        #expect(theirs.overlay == nil && terminal.text.contains("You lack the right: Add opportunity"))
        db.more(&theirs, terminal, [.alt("2"), .insert])
        #expect(theirs.page == .items(.opportunity) && theirs.overlay == nil)
        #expect(terminal.text.contains("You lack the right: Add opportunity"))
        db.more(&theirs, terminal, [.function(10)])
        guard case .menu(let menu, _)? = theirs.overlay else { Issue.record("no menu"); return }
        #expect(menu.items.contains { $0.action == "search.start" } && !menu.items.contains { $0.action == "record.add" || $0.action == "record.delete" })
        #expect(!menu.items.contains { $0.label == "Add account" })
        #expect(try db.crm.count(WorkItemView(.opportunity), for: reader) == (try db.crm.count(WorkItemView(.opportunity), for: db.admin)))
    }
}
