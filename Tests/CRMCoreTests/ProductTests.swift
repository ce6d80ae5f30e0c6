import CRMCore
import CRMStore
import Foundation
import Testing

/// The catalogue (nomenclator) in the core: VAT rates, products with exact
/// prices and unique codes, the table engine's paging, filters and export, the import.
@Suite struct ProductTests {
    @Test func productsHaveUniqueCodesExactPricesAndARateFromTheList() throws {
        let db = try TestDatabase()
        #expect(try db.crm.vatRates().map(\.name) == ["21%", "11%", "0%", "Scutit"])
        let p = try db.crm.addProduct([.code: "SRV-1", .name: "Consultanță fiscală", .unit: "oră", .price: "1.234,56", .vat: "21 %",
                                       .category: "Servicii"], by: db.admin)
        #expect(p.price == 123_456 && p.currency == "RON" && p.unit == "oră")
        #expect(try db.crm.product("srv-1", for: db.admin).vat.percent == 2100)
        // Defaults: buc., RON, the first rate.
        let plain = try db.crm.addProduct([.code: "X1", .name: "Șurub"], by: db.admin)
        let rate = try db.crm.product("X1", for: db.admin).vat.name
        #expect(plain.unit == "buc." && plain.price == 0 && rate == "21%")
        // Every problem of the input at once, naming the field.
        #expect {
            try db.crm.addProduct([.code: "srv-1", .name: "", .price: "1,234", .vat: "5%", .currency: "LEU1"], by: db.admin)
        } throws: { error in
            guard case CoreError.invalid(let issues) = error else { return false }
            return Set(issues.map(\.field)) == ["code", "name", "price", "vat", "currency"]
        }
        // Changes keep the code unique; the name's order follows a rename.
        #expect(throws: CoreError.self) { try db.crm.editProduct("X1", [.code: "SRV-1"], by: db.admin) }
        try db.crm.editProduct("X1", [.name: "Ancoră", .price: "0,35"], by: db.admin)
        #expect(try db.crm.products(for: db.admin).map(\.record.name) == ["Ancoră", "Consultanță fiscală"])
        // A new rate (administrators); a retired one is refused for new products, kept by those that have it.
        try db.crm.addVATRate(name: "9%", percent: "9", by: db.admin)
        try db.crm.editProduct("X1", [.vat: "9"], by: db.admin)
        try db.crm.retireVATRate("9%", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.addProduct([.code: "X2", .name: "Piuliță", .vat: "9%"], by: db.admin) }
        #expect(try db.crm.product("X1", for: db.admin).vat.name == "9%")
        try db.crm.deleteProduct("X1", by: db.admin)
        #expect(throws: CoreError.self) { _ = try db.crm.product("X1", for: db.admin) }
    }

    @Test func theCatalogueTablePagesFiltersAndExportsThroughTheEngine() throws {
        let db = try TestDatabase()
        var rows: [(line: Int, values: [ProductField: String])] = []
        for n in 0..<45 {
            rows.append((n + 2, [.code: "P\(n)", .name: "Produs \(n % 7) nr. \(n)", .price: "\(n % 9 * 10),50",
                                 .category: n % 3 == 0 ? "Birotică" : "IT", .vat: n % 5 == 0 ? "11%" : "21%"]))
        }
        #expect(try db.crm.importProducts(rows, by: db.admin).added == 45)
        for column in ProductOrder.Column.allCases {
            for descending in [false, true] {
                let view = ProductView(order: ProductOrder(column, descending: descending))
                let all = try db.crm.products(view, limit: 0, for: db.admin)
                var paged = try db.crm.products(view, limit: 7, for: db.admin)
                while let last = paged.last {
                    let more = try db.crm.products(view, at: .after(view.order.cursor(last.record)), limit: 7, for: db.admin)
                    if more.isEmpty { break }
                    paged += more
                }
                #expect(all.count == 45 && paged.map(\.uuid) == all.map(\.uuid), "\(column) \(descending)")
            }
        }
        let filter = try Filter.parse("price >= 50 and vat = 11%")
        let cheap = try db.crm.products(ProductView(category: "Birotică", filters: [filter]), limit: 0, for: db.admin)
        #expect(!cheap.isEmpty && cheap.allSatisfy { $0.record.price >= 5_000 && $0.vat.name == "11%" && $0.record.category == "Birotică" })
        #expect(try db.crm.count(ProductView(search: "produs 3"), for: db.admin) == 17)
        #expect(try db.crm.productCategories(for: db.admin).map(\.name) == ["Birotică", "IT"])
        let columns = try db.crm.productColumns(for: db.admin).filter { ["code", "price", "vat"].contains($0.id) }
        var cells: [[CellValue]] = []
        try db.crm.forEachRow(in: ProductView(category: "Birotică", filters: [filter]), columns: columns, for: db.admin) { cells.append($0); return true }
        #expect(cells == cheap.map { [.text($0.record.code), .money($0.record.price), .text("11%")] })
    }

    @Test func anImportIsAllOrNothingAndUpdatesByCode() throws {
        let db = try TestDatabase()
        try db.crm.addProduct([.code: "A1", .name: "Vechi", .price: "10"], by: db.admin)
        let file: [(line: Int, values: [ProductField: String])] = [
            (2, [.code: "A1", .name: "Nou", .price: "12"]), (3, [.code: "B1", .name: "Altul", .price: "x"]),
            (4, [.code: "C1", .name: "Bun"]), (5, [.code: "c1", .name: "Dublură"]),
        ]
        #expect {
            try db.crm.importProducts(file, update: true, by: db.admin)
        } throws: { error in
            guard case CoreError.importRefused(let rejected) = error else { return false }
            return rejected.map(\.line) == [3, 5]
        }
        #expect(try db.crm.count(ProductView(), for: db.admin) == 1)
        #expect(try db.crm.product("A1", for: db.admin).record.name == "Vechi")
        let done = try db.crm.importProducts(file, update: true, skipInvalid: true, by: db.admin)
        #expect(done.added == 1 && done.updated == 1 && done.rejected.count == 2)
        #expect(try db.crm.product("A1", for: db.admin).record.price == 1_200)
        // Without --update a known code is a duplicate.
        #expect(throws: CoreError.self) { try db.crm.importProducts([(2, [.code: "A1", .name: "Iar"])], by: db.admin) }
        // A user without the right to import is refused.
        let ana = Actor(user: try db.crm.addUser(UserRecord(login: "ana", name: "Ana"), by: db.admin))
        try db.crm.setUserRights("ana", Rights.roles["citire"], by: db.admin)
        let reader = try db.crm.actor(forLogin: "ana", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.importProducts([(2, [.code: "Z1", .name: "Z"])], by: reader) }
        #expect(try db.crm.products(for: reader).count == 2)
        _ = ana
    }
}

@Suite struct VATArithmeticTests {
    @Test func vatIsExactToTheBanWithHalvesRoundedUp() {
        let standard = VATRateRecord(name: "21%", percent: 2100, position: 1)
        #expect(standard.vat(on: 8_900) == 1_869 && standard.gross(8_900) == 10_769)
        #expect(standard.vat(on: 120) == 25)  // 25.2 bani
        #expect(standard.vat(on: 50) == 11)   // 10.5 bani, up
        #expect(standard.gross(1_005) == 1_216)  // 10.05 lei → 12.1605
        #expect(VATRateRecord(name: "Scutit", percent: 0, exempt: true, position: 4).gross(12_345) == 12_345)
        #expect(VATRateRecord(name: "11%", percent: 1100, position: 2).vat(on: 36_000) == 3_960)
    }
}

/// Offer templates (OFF-1): their light formatting, placeholders and rules.
@Suite struct OfferTemplateTests {
    @Test func formattingBecomesParagraphsRunsListsAndAlignment() {
        let text = "[centrat] **OFERTĂ** nr. {{offer.number}}\n\nStimate *domnule* {{client.name}},\n- unu;\n* doi\n\n[dreapta] Cu stimă\n\n2 * 3 = 6"
        let filled = TemplateText.fill(text, ["offer.number": "OF-7", "client.name": "Știință SRL"])
        let paragraphs = TemplateText.paragraphs(filled)
        #expect(paragraphs.count == 4)
        #expect(paragraphs[0].alignment == .centre && paragraphs[0].runs.map(\.text) == ["OFERTĂ", " nr. OF-7"] && paragraphs[0].runs[0].bold)
        #expect(paragraphs[1].runs.map(\.text).joined() == "Stimate domnule Știință SRL,\n• unu;\n• doi")
        #expect(paragraphs[1].runs.contains { $0.text == "domnule" && $0.italic && !$0.bold })
        #expect(paragraphs[2].alignment == .right && paragraphs[2].runs.map(\.text) == ["Cu stimă"])
        // A lone star is a star.
        #expect(paragraphs[3].runs.map(\.text) == ["2 * 3 = 6"] && !paragraphs[3].runs[0].italic)
        #expect(TemplateText.unknownPlaceholders(in: "{{client.name}} {{ client.nume }} {{date}}") == ["client.nume"])
    }

    @Test func templatesAreCheckedNamedUniquelyAndRetired() throws {
        let db = try TestDatabase()
        #expect(try db.crm.offerTemplates(for: db.admin).map(\.name) == ["Standard"])
        #expect {
            try db.crm.addOfferTemplate("Scurt", [.text1: "Bună ziua, {{client.nume}}", .footer: "{{firma}}"], logo: [1, 2, 3], by: db.admin)
        } throws: { error in
            guard case CoreError.invalid(let issues) = error else { return false }
            return Set(issues.map(\.field)) == ["text1", "footer", "logo"]
        }
        try db.crm.addOfferTemplate("Scurt", [.text1: "Bună ziua, **{{client.name}}**"], by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.addOfferTemplate("scurt", [:], by: db.admin) }
        try db.crm.editOfferTemplate("SCURT", [.text2: "Mulțumim!"], rename: "Scurtă", retired: true, by: db.admin)
        #expect(try db.crm.offerTemplates(for: db.admin).map(\.name) == ["Standard"])
        let kept = try db.crm.offerTemplate("scurtă", for: db.admin)
        #expect(kept.retired && kept.text1 == "Bună ziua, **{{client.name}}**" && kept.text2 == "Mulțumim!")
        let ana = Actor(user: try db.crm.addUser(UserRecord(login: "ana", name: "Ana"), by: db.admin))
        #expect(throws: CoreError.self) { try db.crm.addOfferTemplate("Al meu", [:], by: ana) }
    }
}
