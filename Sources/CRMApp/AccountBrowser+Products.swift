import CRMCore
import CRMDocuments
import CRMStore
import CRMText
import Foundation
import TUIKit

/// The Produse page: the catalogue's categories on the left, its products on
/// the shared table engine in the middle, the selected product on the right;
/// a product added, changed or deleted through its dialog, the catalogue
/// imported from a file (all or nothing, or the good rows) and exported — to a
/// table file or as a price list.
extension AccountBrowser {
    // MARK: - Reading

    /// The categories and their counts, for the left pane (the chosen one kept by name).
    mutating func refreshCategories() {
        guard var page = products else { return }
        let (crm, actor, chosen) = (self.crm, self.actor, page.category)
        page.categories = attempt(page.categories) { try crm.productCategories(for: actor) }
        page.categoryIndex = chosen.flatMap { name in page.categories.firstIndex { $0.name == name }.map { $0 + 1 } } ?? 0
        products = page
    }

    /// After a change: the categories and the table again, on the same product when it is still there.
    mutating func reloadProducts(select uuid: String? = nil) {
        guard let page = products else { return }
        refreshCategories()
        reloadTable(select: uuid ?? page.selectedProduct?.uuid)
    }

    // MARK: - Actions

    /// An action of the Produse page's own; nil when the page leaves it to the window.
    mutating func performOnProducts(_ action: String) -> Effect? {
        guard let page = products else { return nil }
        switch action {
        case "record.open" where focus == .folders: focus = .accounts
        case "record.open", "record.edit":
            if let product = page.selectedProduct { openProduct(product) } else { message = t("Alegeți întâi un produs", "Choose a product first") }
        case "record.add": openProduct(nil)
        case "record.delete":
            guard let product = page.selectedProduct else { break }
            let what = Sanitize.line(product.record.code + " · " + product.record.name)
            overlay = .confirm(Confirm(text: Localized(ro: "Ștergeți produsul «\(what)»? Ofertele făcute îl păstrează. d/n",
                                                       en: "Delete the product «\(what)»? Offers made keep it. y/n"),
                                       action: .deleteProduct(product)))
        case "table.import": openProductImport()
        case "import.template": openTemplate()
        default: return nil
        }
        return Effect.none
    }

    /// Adăugare / Modificare produs: the product's fields, the VAT rate from the list in force.
    mutating func openProduct(_ existing: ProductDetails?) {
        let crm = self.crm
        var rates = attempt([]) { try crm.vatRates().map(\.name) }
        // A product keeps a rate retired since it was given.
        if let kept = existing?.vat.name, !rates.contains(kept) { rates.append(kept) }
        var form = ProductForm.form(existing, rates: rates, withDescription: true, language: language)
        if existing == nil, let category = products?.category, !category.isEmpty { form.set(ProductField.category.rawValue, category) }
        let title = existing.map { Localized(ro: "Modificare produs — \($0.record.code)", en: "Change the product — \($0.record.code)") }
            ?? Localized(ro: "Adăugare produs sau serviciu", en: "Add a product or service")
        overlay = .dialog(Dialog(title: title, purpose: .product(uuid: existing?.uuid, version: existing?.record.meta?.version), form: form,
                                 language: language))
    }

    /// Import produse: the file (F3 completes its name), whether known codes are changed, whether bad rows are skipped.
    mutating func openProductImport() {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        let form = Form(fields: [
            FormField(id: "file", label: t("Fișier (.xlsx, .csv)", "File (.xlsx, .csv)"), value: home + "/", mandatory: true),
            FormField(id: "update", label: t("Codurile existente se actualizează", "Known codes are updated"), kind: .checkbox, value: "nu"),
            FormField(id: "skip", label: t("Sari rândurile greșite", "Skip bad rows"), kind: .checkbox, value: "nu"),
        ])
        overlay = .dialog(Dialog(title: Localized(ro: "Import produse (Cod, Denumire, U.M., Preț unitar…; F3 completează numele)",
                                                  en: "Import products (Code, Name, Unit, Unit price…; F3 completes the name)"),
                                 purpose: .productImport, form: form, language: language))
    }

    /// Saves the Produse page's dialogs through the core.
    mutating func saveProductDialog(_ dialog: inout Dialog) throws -> Effect {
        let (crm, actor, language) = (self.crm, self.actor, self.language)
        let form = dialog.form
        switch dialog.purpose {
        case .product(let uuid, let version):
            let saved: ProductRecord
            if let uuid {
                saved = try crm.editProduct(uuid, ProductForm.input(form, new: false), expectedVersion: version, by: actor)
            } else {
                saved = try crm.addProduct(ProductForm.input(form, new: true), by: actor)
            }
            overlay = nil
            message = t("Produs salvat: ", "Product saved: ") + Sanitize.line(saved.code + " · " + saved.name)
            focus = .accounts
            reloadProducts(select: saved.meta?.uuid.description)
        case .productImport:
            let path = (form.value("file").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
            guard FileManager.default.isReadableFile(atPath: path) else {
                dialog.form.show(errors: ["file": t("Fișierul nu există sau nu se poate citi (F3 completează numele)",
                                                    "The file does not exist or cannot be read (F3 completes the name)")],
                                 message: t("Un fișier nou se face din șablon: Salvare șablon de import produse",
                                            "Start a new file from the template: Save the products import template"))
                return .none
            }
            let (update, skip) = (form.value("update") == "da", form.value("skip") == "da")
            let name = URL(fileURLWithPath: path).lastPathComponent
            overlay = .progress(Job(title: Localized(ro: "Import \(name)", en: "Importing \(name)")) { _ in
                let result = try crm.importProducts(try ProductImport.rows(path: path), update: update, skipInvalid: skip, by: actor)
                let lines = ProductImport.summary(result, language: .ro), english = ProductImport.summary(result, language: .en)
                // The first bad row is named on the status line; the file's own rows say the rest.
                return Localized(ro: lines.prefix(2).joined(separator: "; "), en: english.prefix(2).joined(separator: "; "))
            })
        case .productTemplate:
            let path = (form.value("file").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
            try ProductImport.writeTemplate(to: path, rates: try crm.vatRates().map(\.name), language: language)
            overlay = nil
            message = t("Șablon scris: \(path) — completați-l și importați-l cu Import produse",
                        "Template written: \(path) — fill it in and import it with Import products")
        default: break
        }
        return .none
    }

    // MARK: - Drawing

    func renderCategories(into buffer: inout ScreenBuffer, area: Rect, page: ProductPage) {
        let all = (index: 0, name: t("Toate", "All"), count: page.categories.reduce(0) { $0 + $1.count })
        renderLeftPane(into: &buffer, area: area, heading: t("Categorii", "Categories"), entries: [all] + page.categories.enumerated().map {
            (index: $0.offset + 1, name: "  " + ($0.element.name.isEmpty ? t("(fără categorie)", "(no category)") : $0.element.name),
             count: $0.element.count)
        })
    }

    /// The selected product: its code and name, then each field with its label,
    /// the price with VAT, who added and changed it.
    func renderProductDetails(into buffer: inout ScreenBuffer, area: Rect, page: ProductPage) {
        guard let product = page.selectedProduct else { return }
        let x = area.x + 1, width = area.width - 2
        let r = product.record
        buffer.put(Sanitize.line(r.name), x: x, y: area.y, style: Style(foreground: .primary, bold: true), maxWidth: width)
        let money = { (bani: Int64) in Money.text(bani) + " " + r.currency }
        var facts: [(String, String)] = [
            (ProductField.code.label.text(language), r.code),
            (ProductField.unit.label.text(language), r.unit),
            (t("Preț fără TVA", "Price without VAT"), money(r.price)),
            (ProductField.vat.label.text(language), product.vat.name + (product.vat.retired ? t(" (retrasă)", " (retired)") : "")),
            (t("Preț cu TVA", "Price with VAT"), money(product.vat.gross(r.price))),
            (ProductField.category.label.text(language), r.category ?? ""),
        ]
        if let meta = r.meta {
            facts.append((t("Creat", "Created"), Timestamp.local(meta.createdAt) + (product.createdBy.map { " · " + $0 } ?? "")))
            facts.append((t("Modificat", "Changed"), Timestamp.local(meta.updatedAt) + (product.updatedBy.map { " · " + $0 } ?? "")))
        }
        var y = area.y + 1
        let labelWidth = 14
        for (label, value) in facts where !value.isEmpty && y < area.y + area.height {
            buffer.put(label, x: x, y: y, style: Style(foreground: .muted), maxWidth: labelWidth - 1)
            buffer.put(Sanitize.line(value), x: x + labelWidth, y: y, maxWidth: width - labelWidth)
            y += 1
        }
        guard let description = r.description, !description.isEmpty, y + 1 < area.y + area.height else { return }
        buffer.put(ProductField.description.label.text(language), x: x, y: y + 1, style: Style(foreground: .muted))
        var line = y + 2
        for paragraph in description.split(separator: "\n", omittingEmptySubsequences: false) {
            for wrapped in DisplayWidth.wrap(Sanitize.line(String(paragraph)), width: width) where line < area.y + area.height {
                buffer.put(wrapped, x: x, y: line, maxWidth: width)
                line += 1
            }
        }
    }

    /// The status line of Produse: how many, in which category, found, filtered.
    func productStatus(_ page: ProductPage) -> [String] {
        var parts = [page.counted(page.total, t("produse", "products"), language: language)]
        if let category = page.category {
            parts.append(t("categoria «\(category.isEmpty ? "fără categorie" : category)»", "category «\(category.isEmpty ? "none" : category)»"))
        }
        if let s = searchText { parts.append(t("căutare «\(s)»", "search «\(s)»")) }
        if let filter = page.filterSummary(language) { parts.append(filter) }
        return parts
    }
}
