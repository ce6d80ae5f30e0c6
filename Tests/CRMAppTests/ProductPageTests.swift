import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// The Produse page (the catalogue) and Cote TVA through the shipped key map on
/// the in-memory screen: the same table engine as the other pages.
@Suite struct ProductPageTests {
    func codes(_ browser: AccountBrowser) -> [String] { browser.products?.window.rows.map(\.record.code) ?? [] }

    /// The keys that move a dialog's focus to a field, either way.
    func focus(_ id: String, in browser: AccountBrowser) -> [Key] {
        guard case .dialog(let dialog)? = browser.overlay, let i = dialog.form.fields.firstIndex(where: { $0.id == id }) else { return [] }
        let delta = i - dialog.form.focus
        return Array(repeating: delta >= 0 ? .tab : .backTab, count: abs(delta))
    }

    func waitForJob(_ db: DemoDatabase, _ browser: inout AccountBrowser, _ terminal: MemoryTerminal) {
        for _ in 0..<1000 where browser.isBusy { usleep(10_000); db.more(&browser, terminal, []) }
    }

    @Test func theProductsPageListsNarrowsSortsAndSearchesTheCatalogue() throws {
        let db = try DemoDatabase(accounts: 10)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 160, height: 30)
        db.more(&browser, terminal, [.alt("4")])
        #expect(browser.page == .products)
        let all = try db.crm.products(ProductView(), limit: 0, for: db.admin)
        #expect(all.count > 2 * browser.visibleRows, "enough products to page through")
        // The first screen: by name, the categories with their counts, the total in the status line.
        #expect(codes(browser) == all.prefix(browser.visibleRows).map(\.record.code))
        let categories = try db.crm.productCategories(for: db.admin)
        #expect(terminal.text.contains("Categorii") && terminal.text.contains("Toate") && terminal.text.contains(categories[0].name))
        #expect(terminal.screen.lines.last?.contains("\(all.count) produse") == true)
        #expect(terminal.screen.lines[0].hasPrefix(" Produse   Pagini   Setări   Ajutor"))
        // The right pane: the selected product with its price with VAT, exact.
        let first = all[0]
        #expect(terminal.text.contains("Preț cu TVA") && terminal.text.contains(Money.text(first.vat.gross(first.record.price)) + " RON"))
        // Down past the screen and End walk the same list.
        db.more(&browser, terminal, Array(repeating: .down, count: browser.visibleRows + 2))
        #expect(browser.products?.selectedProduct?.uuid == all[browser.visibleRows + 2].uuid)
        db.more(&browser, terminal, [.end])
        #expect(browser.products?.selectedProduct?.uuid == all.last?.uuid)
        // Alt+S: the next sortable column after Denumire is Preț unitar; Alt+R the other way; saved for the user.
        db.more(&browser, terminal, [.alt("s"), .home])
        let byPrice = try db.crm.products(ProductView(order: ProductOrder(.price)), limit: 0, for: db.admin)
        #expect(codes(browser) == byPrice.prefix(browser.visibleRows).map(\.record.code))
        db.more(&browser, terminal, [.alt("r"), .home])
        let dearest = try db.crm.products(ProductView(order: ProductOrder(.price, descending: true)), limit: 0, for: db.admin)
        #expect(codes(browser) == dearest.prefix(browser.visibleRows).map(\.record.code))
        let settings = try db.crm.tableSettings(ProductTable.kind, columns: try db.crm.productColumns(for: db.admin), for: db.admin)
        #expect(settings.sort == "price" && settings.descending)
        // The categories pane: the first category narrows the table and the status line.
        db.more(&browser, terminal, [.backTab, .down])
        let category = categories[0].name
        #expect(browser.products?.category == category)
        let inCategory = try db.crm.products(ProductView(category: category, order: ProductOrder(.price, descending: true)), limit: 0,
                                             for: db.admin)
        #expect(codes(browser) == inCategory.prefix(browser.visibleRows).map(\.record.code))
        #expect(terminal.screen.lines.last?.contains("\(inCategory.count) produse · categoria «\(category)»") == true)
        // A search within the category.
        let word = try #require(inCategory.first?.record.name.split(separator: " ").first.map(String.init))
        db.more(&browser, terminal, [.tab, .char("/")] + type(word) + [.enter])
        let found = try db.crm.products(ProductView(category: category, search: word, order: ProductOrder(.price, descending: true)),
                                        limit: 0, for: db.admin)
        #expect(!found.isEmpty && codes(browser) == found.prefix(browser.visibleRows).map(\.record.code))
        #expect(terminal.screen.lines.last?.contains("\(found.count) din \(inCategory.count) produse") == true)
        // A click on the Cod header sorts by code.
        db.more(&browser, terminal, [.escape])
        let header = browser.layout.table
        db.more(&browser, terminal, [.mouse(MouseEvent(.click, x: header.x + 3, y: header.y))])
        #expect(browser.products?.table.sort == "code")
        // Alt+1: back on Clienți; Alt+4 again finds the page as it was left.
        db.more(&browser, terminal, [.alt("1")])
        #expect(browser.page == .accounts && terminal.text.contains("Dosare"))
        db.more(&browser, terminal, [.alt("4")])
        #expect(browser.products?.category == category && browser.products?.table.sort == "code")
    }

    @Test func productsAreAddedChangedDeletedImportedAndExportedFromTheirPage() throws {
        let db = try DemoDatabase(accounts: 5)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 30)
        db.more(&browser, terminal, [.alt("4")])
        let before = try db.crm.count(ProductView(), for: db.admin)
        // Ins: a new service; a code already in the catalogue is refused under its field, then a new one saved.
        let taken = try #require(try db.crm.products(ProductView(), limit: 1, for: db.admin).first?.record.code)
        db.more(&browser, terminal, [.insert])
        #expect(terminal.text.contains("Add a product or service"))
        db.more(&browser, terminal, type(taken.lowercased()) + [.tab] + type("Mentenanță lunară"))
        db.more(&browser, terminal, focus("price", in: browser) + [.ctrl("u")] + type("1.250,50") + [.function(2)])
        guard case .dialog(let refused)? = browser.overlay else { Issue.record("the dialog closed: \(terminal.text)"); return }
        #expect(refused.form.fields.first { $0.id == "code" }?.error?.contains("already") == true, "\(terminal.text)")
        db.more(&browser, terminal, focus("code", in: browser) + [.ctrl("u")] + type("MNT-01") + [.function(2)])
        #expect(browser.overlay == nil, "\(terminal.text)")
        let added = try db.crm.product("MNT-01", for: db.admin)
        #expect(added.record.name == "Mentenanță lunară" && added.record.price == 125_050 && added.vat.name == "21%")
        #expect(browser.products?.selectedProduct?.uuid == added.uuid && terminal.text.contains("Product saved: MNT-01"))
        // F4: the price changed; only what changed is written.
        db.more(&browser, terminal, [.function(4)])
        db.more(&browser, terminal, focus("price", in: browser) + [.ctrl("u")] + type("99") + [.function(2)])
        #expect(try db.crm.product("MNT-01", for: db.admin).record.price == 9_900)
        #expect(browser.products?.selectedProduct?.record.price == 9_900 && terminal.text.contains("99.00 RON"))
        // Ctrl+E: the table to CSV (a file Import reads back), and a price list to PDF.
        let sheet = db.dir.appendingPathComponent("produse.csv").path
        db.more(&browser, terminal, [.ctrl("e"), .ctrl("u")] + type(sheet) + [.function(2)])
        waitForJob(db, &browser, terminal)
        let lines = try String(contentsOfFile: sheet, encoding: .utf8).split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.first == "Code,Name,Unit,Unit price,Currency,VAT rate,Category" && lines.count == before + 2)
        #expect(try ProductImport.rows(path: sheet).count == before + 1)
        let pdf = db.dir.appendingPathComponent("preturi.pdf").path
        db.more(&browser, terminal, [.ctrl("e"), .ctrl("u")] + type(pdf) + [.function(2)])
        waitForJob(db, &browser, terminal)
        #expect(terminal.text.contains("Price list: \(before + 1) products"), "\(terminal.text)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: pdf)).prefix(5) == Data("%PDF-".utf8))
        db.more(&browser, terminal, [.ctrl("e"), .ctrl("u")] + type(db.dir.appendingPathComponent("x.txt").path) + [.function(2)])
        #expect(terminal.text.contains("ends in .xlsx, .csv or .pdf"))
        db.more(&browser, terminal, [.escape])
        // Import: a bad row refuses the whole file and names it; skipping bad rows brings in the good one.
        let file = db.dir.appendingPathComponent("noi.csv")
        try "Cod,Denumire,Preț unitar,Cotă TVA,Categorie\nIMP-1,Cablu UTP,2,50,21%,Rețelistică\nIMP-2,Greșit,zece,21%,Rețelistică\n"
            .replacingOccurrences(of: "2,50", with: "\"2,50\"").write(to: file, atomically: true, encoding: .utf8)
        _ = browser.perform("table.import")
        db.more(&browser, terminal, [.ctrl("u")] + type(file.path) + [.function(2)])
        waitForJob(db, &browser, terminal)
        #expect(terminal.text.contains("row 3") && terminal.text.contains("price"), "\(terminal.text)")
        #expect(throws: CoreError.self) { try db.crm.product("IMP-1", for: db.admin) }
        _ = browser.perform("table.import")
        db.more(&browser, terminal, [.ctrl("u")] + type(file.path) + focus("skip", in: browser) + [.char(" "), .function(2)])
        waitForJob(db, &browser, terminal)
        #expect(try db.crm.product("IMP-1", for: db.admin).record.price == 250)
        #expect(terminal.text.contains("1 products added, 0 changed, 1 bad rows skipped; row 3"), "\(terminal.text)")
        #expect(terminal.text.contains("Rețelistică"), "the new category is listed")
        // The import template: the columns Import reads, with an example that imports.
        let template = db.dir.appendingPathComponent("sablon.xlsx").path
        _ = browser.perform("import.template")
        db.more(&browser, terminal, [.ctrl("u")] + type(template) + [.function(2)])
        let example = try ProductImport.rows(path: template)
        #expect(example.count == 1 && example[0].values[.code] == "SRV-001" && example[0].values[.vat] == "21%")
        // Delete asks, then deletes.
        db.more(&browser, terminal, [.home])
        let doomed = try #require(browser.products?.selectedProduct)
        db.more(&browser, terminal, [.delete])
        #expect(terminal.text.contains("Delete the product"))
        db.more(&browser, terminal, [.char("y")])
        #expect(throws: CoreError.self) { try db.crm.product(doomed.uuid, for: db.admin) }
        #expect(browser.products?.window.rows.contains { $0.uuid == doomed.uuid } == false)
        // Notes and items are not commands of this page.
        db.more(&browser, terminal, [.alt("n")])
        #expect(browser.overlay == nil && terminal.text.contains("not one of the Products page"))
    }

    @Test func anAdministratorAddsAndRetiresVATRates() throws {
        let db = try DemoDatabase(accounts: 3)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 120, height: 35)
        db.more(&browser, terminal, [.ctrl("p")] + type("vat rates") + [.enter])
        guard case .adminList(let view)? = browser.overlay else { Issue.record("no VAT rates: \(terminal.text)"); return }
        #expect(view.subject == .vatRates && terminal.text.contains("VAT rates") && terminal.text.contains("Scutit  (VAT exempt)"))
        #expect(terminal.text.contains("21%  · 21.00 %"))
        db.more(&browser, terminal, [.insert] + type("9%") + [.tab] + type("9") + [.function(2)])
        #expect(try db.crm.vatRates().map(\.name) == ["21%", "11%", "0%", "Scutit", "9%"])
        #expect(terminal.text.contains("Rate added: 9%"), "\(terminal.text)")
        // A rate named twice is refused in the dialog.
        db.more(&browser, terminal, [.insert] + type("9%") + [.tab] + type("9") + [.function(2)])
        guard case .dialog(let twice)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(twice.form.fields.first { $0.id == "name" }?.error != nil, "\(terminal.text)")
        db.more(&browser, terminal, [.escape])
        _ = browser.perform("vat.admin")
        db.more(&browser, terminal, [.end, .delete])
        #expect(try db.crm.vatRates().map(\.name).contains("9%") == false)
        #expect(try db.crm.vatRates(includingRetired: true).contains { $0.name == "9%" && $0.retired })
        db.more(&browser, terminal, [.escape])
        #expect(browser.overlay == nil)
    }

    @Test func aUserWithoutTheOffersModuleCannotOpenTheCatalogue() throws {
        let db = try DemoDatabase(accounts: 3)
        var browser = try db.browser(asUserWith: [Rights.name(.accounts, .view)])
        let terminal = MemoryTerminal(width: 120, height: 30)
        db.more(&browser, terminal, [.alt("4")])
        #expect(browser.page == .accounts && terminal.text.contains("You have no access to the Products page"))
        // One who may see the catalogue but not change it: the page opens, adding is refused.
        var theirs = try db.browser(asUserWith: [Rights.name(.accounts, .view), Rights.name(.offers, .view)])
        db.more(&theirs, terminal, [.alt("4"), .insert])
        #expect(theirs.page == .products && theirs.overlay == nil && terminal.text.contains("You lack the right: Add a product or service"))
        _ = theirs.perform("vat.admin")
        #expect(theirs.overlay == nil)
    }
}
