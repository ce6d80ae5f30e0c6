import CRMCore
import CRMDocuments
import CRMStore
import TUIKit

/// The Produse page (the catalogue, nomenclator): the categories with their
/// counts on the left (all of them first), the products' table in the middle on
/// the shared engine, the selected product's details on the right.
struct ProductPage: TablePage {
    var columns: [ProductColumn]
    var table: TableSettings
    var window = KeysetWindow<ProductDetails>()
    var hscroll = 0
    var filter: Filter?
    var filterName: String?
    var viewCount: Int?
    /// The categories in use with how many products each holds ("" for none), by name.
    var categories: [(name: String, count: Int)] = []
    /// 0: every category; n: `categories[n - 1]`.
    var categoryIndex = 0

    init(crm: CRM, actor: Actor) throws {
        columns = try crm.productColumns(for: actor)
        table = try crm.tableSettings(ProductTable.kind, columns: columns, for: actor)
    }

    var tableKind: TableKind { ProductTable.kind }
    var module: Module { .offers }
    var fieldsEntity: String? { nil }
    var category: String? { categories.indices.contains(categoryIndex - 1) ? categories[categoryIndex - 1].name : nil }
    var selectedProduct: ProductDetails? { window.current }
    /// How many products the chosen category (or the whole catalogue) holds.
    var total: Int { category.map { name in categories.first { $0.name == name }?.count ?? 0 } ?? categories.reduce(0) { $0 + $1.count } }

    /// What the table shows: the category, the search, the filter, the order —
    /// the view its counts, exports and price lists use too.
    func view(search: String?) -> ProductView {
        ProductView(category: category, search: search, filters: filter.map { [$0] } ?? [], order: order)
    }

    func rows(_ crm: CRM, _ actor: Actor, search: String?, at position: PagePosition, limit: Int) throws -> [ProductDetails] {
        try crm.products(view(search: search), at: position, limit: limit, for: actor)
    }

    func count(_ crm: CRM, _ actor: Actor, search: String?, cap: Int) throws -> Int {
        try crm.count(view(search: search), cap: cap, for: actor)
    }

    func cursor(_ row: ProductDetails, _ order: ProductOrder) -> PageCursor { order.cursor(row.record) }
    func uuid(of row: ProductDetails) -> String { row.uuid }
    func position(of uuid: String, crm: CRM, actor: Actor) -> PagePosition? {
        (try? crm.product(uuid, for: actor)).map { .from(order.cursor($0.record)) }
    }

    var exportFormats: Localized {
        Localized(ro: "Numele fișierului se termină cu .xlsx, .csv sau .pdf (listă de prețuri)",
                  en: "The file name ends in .xlsx, .csv or .pdf (a price list)")
    }

    /// .xlsx and .csv: the table's columns (a file Import reads back); .pdf: the price list.
    func exportJob(to path: String, search: String?, excelBOM: Bool, crm: CRM, actor: Actor, language: Language) -> Job? {
        let (view, columns) = (view(search: search), table.visible(columns))
        if path.lowercased().hasSuffix(".pdf") {
            let day = CalendarDate.today.iso
            return Job(title: Localized(ro: "Listă de prețuri în \(path)", en: "Price list to \(path)")) { _ in
                let n = try PriceList.write(view, to: path, day: day, crm: crm, actor: actor, language: language)
                return Localized(ro: "Listă de prețuri: \(n.products) produse, \(n.pages) pagini, în \(path)",
                                 en: "Price list: \(n.products) products, \(n.pages) pages, in \(path)")
            }
        }
        guard let format = ExportFormat(path: path) else { return nil }
        return Job(title: Localized(ro: "Export în \(path)", en: "Exporting to \(path)")) { progress in
            let n = try TableExport.products(view, columns: columns, format: format, to: path, excelBOM: excelBOM, crm: crm,
                                             actor: actor, language: language, progress: progress)
            return Localized(ro: "\(n) produse exportate în \(path)", en: "\(n) products exported to \(path)")
        }
    }
}
