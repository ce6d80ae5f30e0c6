import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import TUIKit

/// The fields of a product on the command line.
struct ProductFieldOptions: ParsableArguments {
    @Option(help: "Code (Cod), unique.") var code: String?
    @Option(help: "Name (Denumire).") var name: String?
    @Option(help: "Description (Descriere).") var description: String?
    @Option(help: "Unit (U.M.; default buc.).") var unit: String?
    @Option(help: "Unit price without VAT (1234,56 or 1 234.56).") var price: String?
    @Option(help: "Currency (RON, EUR…; default RON).") var currency: String?
    @Option(help: "VAT rate by name (crm vat list; default the first).") var vat: String?
    @Option(help: "Category (Categorie).") var category: String?

    var input: [ProductField: String] {
        let all: [(ProductField, String?)] = [(.code, code), (.name, name), (.description, description), (.unit, unit), (.price, price),
                                              (.currency, currency), (.vat, vat), (.category, category)]
        return Dictionary(uniqueKeysWithValues: all.compactMap { f, v in v.map { (f, $0) } })
    }
}

struct ProductCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "product", abstract: "The catalogue (Nomenclator): products and services offers are made of.",
        subcommands: [List.self, Show.self, Add.self, Edit.self, Remove.self, Import.self, Export.self])

    /// Which products a list or an export shows, and in what order.
    struct ViewOptions: ParsableArguments {
        @Option(help: "Only this category (\"\" for those without one).") var category: String?
        @Option(help: "Only those with all these words in the code, name or description (diacritics and case ignored).") var search: String?
        @Option(name: .customLong("where"), help: ArgumentHelp("Criteria, e.g. 'price >= 100 and vat = 21%' (README: Filters).",
                                                               valueName: "CRITERIA"))
        var criteria: String?
        @Option(help: "Order: name (default), code or price.") var sort = "name"
        @Flag(help: "The other way round.") var desc = false

        func view() throws -> ProductView {
            guard let column = ProductOrder.Column(rawValue: sort) else {
                throw CLIError(message: Localized(ro: "--sort: name, code sau price", en: "--sort: name, code or price"))
            }
            return ProductView(category: category, search: search, filters: try criteria.map { [try Filter.parse($0)] } ?? [],
                               order: ProductOrder(column, descending: desc))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List products (name order unless --sort); export them with -o.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var shown: ViewOptions
        @Option(help: "At most this many (0: all).") var limit = 200
        @Option(name: [.customShort("o"), .customLong("output")],
                help: "Export the list to this .xlsx or .csv file instead, or print it as a price list to a .pdf file.") var file: String?
        @Option(help: "With -o: these columns, comma-separated (default: your table's).") var columns: String?
        @Option(help: "With -o FILE.pdf: set the text in this font file (TrueType or OpenType; default DejaVu Sans).") var fontFile: String?

        func run() throws {
            let s = try Session.open(database)
            let view = try shown.view()
            if let file {
                try Export.write(view, to: file, columns: columns, fontFile: fontFile, in: s)
                return
            }
            let products = try s.crm.products(view, limit: limit, for: s.actor)
            if output.json { s.printJSON(.array(products.map(ProductPresentation.json))); return }
            s.print(TextTable(headers: ProductPresentation.headers(s.lang) + ["UUID"],
                              rows: products.map { ProductPresentation.row($0) + [$0.uuid] }).render())
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the catalogue (or the part --category, --search, --where choose) to .xlsx or .csv — a file crm product import reads back — or print it as a price list to .pdf.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var shown: ViewOptions
        @Argument(help: "The file: .xlsx, .csv or .pdf.") var file: String
        @Option(help: "These columns, comma-separated (default: your table's).") var columns: String?
        @Option(help: "With FILE.pdf: set the text in this font file (TrueType or OpenType; default DejaVu Sans).") var fontFile: String?

        func run() throws {
            let s = try Session.open(database)
            try Self.write(try shown.view(), to: file, columns: columns, fontFile: fontFile, in: s)
        }

        /// The products a view shows to a table file with the user's (or the given) columns, or as a price list to a PDF.
        static func write(_ view: ProductView, to file: String, columns: String?, fontFile: String?, in s: Session) throws {
            if file.lowercased().hasSuffix(".pdf") {
                // Listă de prețuri: every product of the view, printed.
                let n = try PriceList.write(view, to: file, fontFile: fontFile, day: CalendarDate.today.iso, crm: s.crm, actor: s.actor, language: s.lang)
                s.print(s.t("Listă de prețuri: \(n.products) produse, pagini: \(n.pages), în \(file)",
                            "Price list: \(n.products) products, pages: \(n.pages), in \(file)"))
                return
            }
            guard let format = ExportFormat(path: file) else {
                throw CLIError(message: Localized(ro: "numiți fișierul .xlsx, .csv sau .pdf (listă de prețuri)",
                                                  en: "name the file .xlsx, .csv or .pdf (a price list)"))
            }
            let available = try s.crm.productColumns(for: s.actor)
            var settings = try s.crm.tableSettings(ProductTable.kind, columns: available, for: s.actor)
            if let columns {
                let ids = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let unknown = ids.filter { id in !available.contains { $0.id == id } }
                guard unknown.isEmpty else {
                    throw CLIError(message: Localized(ro: "coloane necunoscute: \(unknown.joined(separator: ", ")); există: "
                                                      + available.map(\.id).joined(separator: ", "),
                                                      en: "unknown columns: \(unknown.joined(separator: ", ")); there are: "
                                                      + available.map(\.id).joined(separator: ", ")))
                }
                settings.columns = ids
            }
            let n = try TableExport.products(view, columns: settings.visible(available), format: format, to: file, crm: s.crm,
                                             actor: s.actor, language: s.lang)
            s.print(s.t("\(n) produse exportate în \(file)", "\(n) products exported to \(file)"))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One product, by code, UUID or #id.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The product.") var ref: String
        func run() throws {
            let s = try Session.open(database)
            let d = try s.crm.product(ref, for: s.actor)
            if output.json { s.printJSON(.array([ProductPresentation.json(d)])); return }
            let r = d.record
            s.print(RecordSheet([(ProductField.code.label.text(s.lang), r.code), (ProductField.name.label.text(s.lang), r.name),
                                 (ProductField.unit.label.text(s.lang), r.unit),
                                 (ProductField.price.label.text(s.lang), Money.text(r.price) + " " + r.currency),
                                 (ProductField.vat.label.text(s.lang), d.vat.name), (ProductField.category.label.text(s.lang), r.category ?? ""),
                                 (ProductField.description.label.text(s.lang), r.description ?? ""), ("UUID", d.uuid)]).render())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a product or service (--code and --name at least).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var fields: ProductFieldOptions
        func run() throws {
            let s = try Session.open(database)
            let added = try s.crm.addProduct(fields.input, by: s.actor)
            if output.json { s.printJSON(.array([ProductPresentation.json(try s.crm.product(added.code, for: s.actor))])); return }
            s.print(s.t("Produs adăugat: ", "Product added: ") + added.code + " · " + added.name)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a product's fields (those given).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The product: code, UUID or #id.") var ref: String
        @OptionGroup var fields: ProductFieldOptions
        @Option(help: "Refuse if the product's version is no longer this one (someone changed it).") var expectVersion: Int64?
        func run() throws {
            let s = try Session.open(database)
            guard !fields.input.isEmpty else {
                throw CLIError(message: Localized(ro: "nimic de schimbat: dați cel puțin un câmp (--price, --name…)",
                                                  en: "nothing to change: give at least one field (--price, --name…)"))
            }
            let saved = try s.crm.editProduct(ref, fields.input, expectedVersion: expectVersion, by: s.actor)
            s.print(s.t("Modificat: ", "Updated: ") + saved.code + " · " + saved.name)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a product.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The product: code, UUID or #id.") var ref: String
        func run() throws {
            let s = try Session.open(database)
            try s.crm.deleteProduct(ref, by: s.actor)
            s.print(s.t("Șters: \(ref)", "Deleted: \(ref)"))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import products from .xlsx or .csv: a header row (Cod, Denumire, U.M., Preț unitar, Monedă, Cotă TVA, Categorie, Descriere — or the English names), then a product per row. All or nothing.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The file.") var file: String
        @Flag(help: "Change the products whose code is already in the catalogue (else they are refused as duplicates).") var update = false
        @Flag(help: "Import the good rows and list the bad ones, instead of refusing the file.") var skipInvalid = false

        func run() throws {
            let s = try Session.open(database)
            let result = try s.crm.importProducts(try ProductImport.rows(path: file), update: update, skipInvalid: skipInvalid, by: s.actor)
            for line in ProductImport.summary(result, language: s.lang) { s.print(line) }
        }
    }
}

struct VATCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vat", abstract: "VAT rates (Cote TVA) of the catalogue: 21%, 11%, 0%, Scutit at first; administrators add and retire.",
        subcommands: [List.self, Add.self, Retire.self])

    struct List: ParsableCommand {
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Retired ones too.") var all = false
        func run() throws {
            let s = try Session.open(database)
            let rates = try s.crm.vatRates(includingRetired: all)
            if output.json {
                s.printJSON(.array(rates.map {
                    .object([("name", .string($0.name)), ("percent", .number(Money.text($0.percent))), ("exempt", .bool($0.exempt)),
                             ("retired", .bool($0.retired))])
                }))
                return
            }
            s.print(TextTable(headers: [s.t("Cotă", "Rate"), "%", s.t("Scutit", "Exempt"), s.t("Retrasă", "Retired")],
                              rows: rates.map { [$0.name, Money.text($0.percent), $0.exempt ? s.t("da", "yes") : "", $0.retired ? s.t("da", "yes") : ""] })
                .render())
        }
    }

    struct Add: ParsableCommand {
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Its name, e.g. 9%.") var name: String
        @Option(help: "The percent (0–100, two decimals).") var percent: String
        @Flag(help: "Exempt from VAT (scutit).") var exempt = false
        func run() throws {
            let s = try Session.open(database)
            let rate = try s.crm.addVATRate(name: name, percent: percent, exempt: exempt, by: s.actor)
            s.print(s.t("Cotă adăugată: ", "Rate added: ") + rate.name)
        }
    }

    struct Retire: ParsableCommand {
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The rate's name.") var name: String
        @Flag(help: "Bring it back instead.") var restore = false
        func run() throws {
            let s = try Session.open(database)
            try s.crm.retireVATRate(name, retired: !restore, by: s.actor)
            s.print(restore ? s.t("Cotă readusă: \(name)", "Rate restored: \(name)") : s.t("Cotă retrasă: \(name)", "Rate retired: \(name)"))
        }
    }
}
