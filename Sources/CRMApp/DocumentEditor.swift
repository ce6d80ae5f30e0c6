import CRMCore
import CRMDocuments
import CRMStore
import CRMText
import TUIKit

/// An offer or an invoice put together on screen — Adăugare Ofertă and
/// Adăugare factură venit. The header (Tab goes there and back) holds the
/// offer's template and days, or the invoice's client, series, days, currency
/// and rate, the offer its products are loaded from (Încărcare produse din
/// ofertă) and the delivery details; above it, the supplier's details. Ins
/// searches the catalogue and adds the product chosen, n writes a line on the
/// spot, p adds a new product to the catalogue and a line of it, Enter changes
/// the selected line (quantity, price, discount, VAT), Del removes it; the
/// totals per VAT rate follow every change; F2 saves, Esc leaves.
struct DocumentEditor: Sendable {
    enum Mode: Sendable, Equatable {
        case lines
        case header
        case search
        case line(editing: Int?)
        case product
    }

    /// What is being put together.
    enum Document: Sendable, Equatable {
        case offer
        case invoice(InvoiceKind)
    }

    let document: Document
    /// The opportunity (an offer's; an invoice's when made from one).
    let itemUUID: String?
    /// The offer or invoice changed, at the version the editor opened (nil: a new one).
    var editing: (uuid: String, version: Int64?)?
    let title: String
    /// The VAT rates a line may take.
    let rates: [String]
    var header: Form
    /// The supplier's details, shown above the header of an invoice.
    var supplier: [String] = []
    /// The offer whose products the lines were loaded from.
    var loadedOffer: String?
    var lines: [OfferLineInput] = []
    /// The lines as the core reckons them, and their totals (after each change).
    var shown: [OfferLineRecord] = []
    var totals: [OfferDetails.RateTotal] = []
    var cursor = 0
    var mode: Mode = .lines
    var search = TextField()
    var found: [ProductDetails] = []
    var foundCursor = 0
    var lineForm = Form(fields: [])
    var message: String?

    enum Event: Equatable { case none, close, save, search(String), recalculate, addProduct([ProductField: String]), loadOffer(String) }

    init(document: Document, itemUUID: String?, title: String, header fields: [FormField], rates: [String], language: Language) {
        self.document = document
        self.itemUUID = itemUUID
        self.title = title
        self.rates = rates
        header = Form(fields: fields)
        header.strings = language == .ro ? .romanian : .english
    }

    /// Adăugare Ofertă on an opportunity.
    init(itemUUID: String, title: String, templates: [String], rates: [String], language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        self.init(document: .offer, itemUUID: itemUUID, title: title, header: [
            FormField(id: "template", label: t("Șablon", "Template"), kind: .choice(templates.map { FormField.Choice($0) }),
                      value: templates.first ?? ""),
            FormField(id: "valid", label: t("Valabilă (zile)", "Valid (days)"), kind: .number, value: "30"),
        ], rates: rates, language: language)
    }

    /// Modificare ofertă: a saved offer's lines, template and validity, to change.
    init(editing offer: OfferDetails, title: String, templates: [String], rates: [String], language: Language) {
        // A retired rate or template the offer has stays choosable for it.
        let rates = rates + Set(offer.lines.map(\.vatName)).subtracting(rates).sorted()
        let kept = offer.template.map(\.name)
        self.init(itemUUID: offer.item.meta?.uuid.description ?? "", title: title,
                  templates: templates + (kept.map { templates.contains($0) ? [] : [$0] } ?? []), rates: rates, language: language)
        editing = (offer.uuid, offer.record.meta?.version)
        lines = offer.lines.map(OfferLineInput.init)
        if let kept { header.set("template", kept) }
        header.set("valid", String(offer.validDays))
    }

    /// Adăugare factură venit (or a proforma), or Modificare factură: the
    /// client unless an opportunity or the invoice gives it; the series of its
    /// kind; the opportunity's offers to load products from.
    init(invoice kind: InvoiceKind, editing existing: InvoiceDetails?, itemUUID: String?, title: String, series: [String], offers: [String],
         rates: [String], supplier: [String], today: String, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let r = existing?.record
        var fields: [FormField] = []
        if itemUUID == nil && existing == nil {
            fields.append(FormField(id: "client", label: t("Client (cod, CUI)", "Client (code, tax ID)"), mandatory: true))
        }
        if existing == nil {
            fields.append(FormField(id: "series", label: t("Serie", "Series"), kind: .choice(series.map { FormField.Choice($0) }),
                                    value: series.first ?? ""))
        }
        if !offers.isEmpty {
            fields.append(FormField(id: "offer", label: t("Produse din oferta", "Products of the offer"),
                                    kind: .choice([FormField.Choice("", "—")] + offers.map { FormField.Choice($0) }), value: ""))
        }
        fields += [
            FormField(id: "day", label: t("Data", "Day"), kind: .date, value: r?.day ?? today, mandatory: true),
            FormField(id: "due", label: t("Scadența", "Due day"), kind: .date, value: r?.dueDay ?? ""),
            FormField(id: "currency", label: t("Moneda", "Currency"), value: r?.currency ?? "RON"),
            FormField(id: "rate", label: t("Curs (lei pentru 1)", "Rate (RON for 1)"), kind: .number,
                      value: r.map { $0.currency == "RON" ? "" : InvoiceDocument.rate($0.rate) } ?? ""),
            FormField(id: "delegate", label: t("Delegat", "Delegate"), value: r?.delegate ?? ""),
            FormField(id: "delegate_id", label: t("Act identitate", "ID card"), value: r?.delegateID ?? ""),
            FormField(id: "vehicle", label: t("Mijloc de transport", "Vehicle"), value: r?.vehicle ?? ""),
            FormField(id: "delivery_day", label: t("Data livrării", "Delivery day"), kind: .date, value: r?.deliveryDay ?? ""),
            FormField(id: "notes", label: t("Mențiuni", "Notes"), value: r?.notes ?? ""),
        ]
        let kept = existing.map { Set($0.lines.map(\.vatName)).subtracting(rates).sorted() } ?? []
        self.init(document: .invoice(kind), itemUUID: itemUUID, title: title, header: fields, rates: rates + kept, language: language)
        self.supplier = supplier
        // A client to type first: the header has the focus.
        if fields.first?.id == "client" { mode = .header }
        if let existing {
            editing = (existing.uuid, r?.meta?.version)
            lines = existing.lines.map(OfferLineInput.init)
        }
    }

    /// How many rows the header shows in a box this tall (it scrolls when it holds more).
    func headerRows(boxHeight: Int) -> Int {
        switch document {
        case .offer: return 2
        case .invoice: return min(header.fields.count, max(5, (boxHeight - 14) / 2))
        }
    }

    /// Where the header is drawn in a terminal this large (for drawing and for its scroll).
    func headerRect(width: Int, height: Int) -> Rect {
        let box = rect(width: width, height: height)
        let top = box.y + 1 + (supplier.isEmpty ? 0 : 1)
        return Rect(x: box.x + 2, y: top, width: box.width - 4, height: headerRows(boxHeight: box.height))
    }

    /// The invoice the editor describes, for the core.
    var invoiceInput: InvoiceInput? {
        guard case .invoice(let kind) = document else { return nil }
        func value(_ id: String) -> String? {
            guard header.fields.contains(where: { $0.id == id }) else { return nil }
            return header.value(id).trimmingCharacters(in: .whitespaces)
        }
        func nonEmpty(_ id: String) -> String? { value(id).flatMap { $0.isEmpty ? nil : $0 } }
        return InvoiceInput(kind: kind, client: nonEmpty("client"), opportunity: editing == nil ? itemUUID : nil, offer: loadedOffer, lines: lines,
                            series: nonEmpty("series"), day: nonEmpty("day"), dueDay: nonEmpty("due"), currency: nonEmpty("currency"),
                            rate: nonEmpty("rate"), delegate: value("delegate"), delegateID: value("delegate_id"), vehicle: value("vehicle"),
                            deliveryDay: value("delivery_day"), notes: value("notes"))
    }

    var template: String { header.value("template") }
    var validDays: Int { Int(header.value("valid").trimmingCharacters(in: .whitespaces)) ?? -1 }

    static func lineFields(_ line: OfferLineInput?, rates: [String], language: Language) -> [FormField] {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        return [
            FormField(id: "name", label: t("Denumire", "Name"), value: line?.name ?? "", mandatory: line?.product == nil),
            FormField(id: "unit", label: t("U.M.", "Unit"), value: line?.unit ?? ""),
            FormField(id: "quantity", label: t("Cantitate", "Quantity"), kind: .number, value: line?.quantity ?? "1", mandatory: true),
            FormField(id: "price", label: t("Preț unitar", "Unit price"), kind: .number, value: line?.price ?? ""),
            FormField(id: "discount", label: t("Discount %", "Discount %"), kind: .number, value: line?.discount ?? ""),
            FormField(id: "vat", label: t("Cotă TVA", "VAT rate"), kind: .choice([FormField.Choice("", "—")] + rates.map { FormField.Choice($0) }),
                      value: line?.vat ?? ""),
        ]
    }

    /// The line a line form describes, over the line it edits (a catalogue
    /// line keeps its product; empty fields take the product's values).
    static func line(from form: Form, base: OfferLineInput?) -> OfferLineInput {
        func value(_ id: String) -> String? {
            let v = form.value(id).trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : v
        }
        var line = base ?? OfferLineInput()
        line.name = value("name")
        line.unit = value("unit")
        line.quantity = value("quantity") ?? ""
        line.price = value("price")
        line.discount = value("discount")
        line.vat = value("vat")
        return line
    }

    mutating func handle(_ key: Key, action: String?, language: Language) -> Event {
        message = nil
        switch mode {
        case .header:
            if key == .tab || key == .backTab {
                mode = .lines
                // Încărcare produse din ofertă: a newly chosen offer's lines replace the lines.
                if let offer = header.fields.first(where: { $0.id == "offer" })?.value, !offer.isEmpty, offer != loadedOffer {
                    return .loadOffer(offer)
                }
                return .none
            }
            switch header.handle(key, action: action) {
            case .save: return .save
            case .cancel: return .close
            case .none, .unhandled: return .none
            }
        case .search:
            switch key {
            case .escape: mode = .lines
            case .up: foundCursor = max(0, foundCursor - 1)
            case .down: foundCursor = max(0, min(found.count - 1, foundCursor + 1))
            case .enter:
                guard found.indices.contains(foundCursor) else { return .none }
                lines.append(OfferLineInput(product: found[foundCursor].record.code, quantity: "1"))
                cursor = lines.count - 1
                mode = .lines
                return .recalculate
            default:
                let before = search.text
                _ = search.handle(key)
                if search.text != before { return .search(search.text) }
            }
            return .none
        case .product:
            switch lineForm.handle(key, action: action) {
            case .save: return .addProduct(ProductForm.input(lineForm, new: true))
            case .cancel: mode = .lines
            case .none, .unhandled: break
            }
            return .none
        case .line(let editing):
            switch lineForm.handle(key, action: action) {
            case .save:
                let line = Self.line(from: lineForm, base: editing.map { lines[$0] })
                if let editing { lines[editing] = line } else { lines.append(line); cursor = lines.count - 1 }
                mode = .lines
                return .recalculate
            case .cancel: mode = .lines
            case .none, .unhandled: break
            }
            return .none
        case .lines:
            if action == "dialog.save" { return .save }
            if action == "dialog.cancel" { return .close }
            switch key {
            case .tab, .backTab: mode = .header
            case .up: cursor = max(0, cursor - 1)
            case .down: cursor = max(0, min(lines.count - 1, cursor + 1))
            case .insert, .char("+"):
                mode = .search
                search = TextField()
                foundCursor = 0
                return .search("")
            case .char("p"), .char("P"):
                let form = ProductForm.form(nil, rates: rates, withDescription: false, language: language)
                lineForm = form
                mode = .product
            case .char("n"), .char("N"):
                var form = Form(fields: Self.lineFields(nil, rates: rates, language: language))
                form.strings = language == .ro ? .romanian : .english
                lineForm = form
                mode = .line(editing: nil)
            case .enter:
                guard lines.indices.contains(cursor) else { return .none }
                var line = lines[cursor]
                // A catalogue line shows what it takes from the product, to change.
                if let shown = shown.indices.contains(cursor) ? shown[cursor] : nil {
                    line.name = line.name ?? shown.name
                    line.unit = line.unit ?? shown.unit
                    line.price = line.price ?? Money.text(shown.unitPrice)
                    line.vat = line.vat ?? shown.vatName
                }
                var form = Form(fields: Self.lineFields(line, rates: rates, language: language))
                form.strings = language == .ro ? .romanian : .english
                lineForm = form
                mode = .line(editing: cursor)
            case .delete:
                guard lines.indices.contains(cursor) else { return .none }
                lines.remove(at: cursor)
                cursor = max(0, min(cursor, lines.count - 1))
                return .recalculate
            default: break
            }
            return .none
        }
    }

    func rect(width: Int, height: Int) -> Rect {
        Rect.centred(width: min(110, width - 2), height: height - 2, in: Rect(x: 0, y: 1, width: width, height: height - 1))
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let box = rect(width: buffer.width, height: buffer.height)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel), title: title,
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        if !supplier.isEmpty {
            buffer.put(t("Furnizor: ", "Supplier: ") + supplier.joined(separator: " · "), x: box.x + 2, y: box.y + 1,
                       style: Style(foreground: .muted, background: .panel), maxWidth: box.width - 4)
        }
        let headerArea = headerRect(width: buffer.width, height: buffer.height)
        header.render(into: &buffer, area: headerArea, focused: mode == .header)
        // The lines.
        let columns: [(String, Int, Bool)] = [("#", 3, true), (t("Denumire", "Name"), 0, false), (t("U.M.", "Unit"), 8, false),
                                               (t("Cant.", "Qty"), 8, true), (t("Preț", "Price"), 11, true), (t("Disc.", "Disc."), 6, true),
                                               (t("TVA", "VAT"), 7, true), (t("Valoare", "Value"), 12, true)]
        let fixed = columns.reduce(0) { $0 + $1.1 } + columns.count
        let nameWidth = max(10, box.width - 4 - fixed)
        let widths = columns.map { $0.1 == 0 ? nameWidth : $0.1 }
        var y = headerArea.y + headerArea.height + 1
        var x = box.x + 2
        for (i, column) in columns.enumerated() {
            let shift = column.2 ? max(0, widths[i] - DisplayWidth.of(column.0)) : 0
            buffer.put(column.0, x: x + shift, y: y, style: Style(foreground: .muted, background: .panel, bold: true), maxWidth: widths[i])
            x += widths[i] + 1
        }
        y += 1
        let totalsHeight = totals.count + 2
        let room = box.y + box.height - 3 - totalsHeight - y
        if lines.isEmpty {
            buffer.put(t("Nicio linie: ins caută în catalog, n scrie una nouă", "No lines: ins searches the catalogue, n writes a new one"),
                       x: box.x + 2, y: y, style: Style(foreground: .muted, background: .panel))
        }
        for (index, row) in ListWindow.rows(count: lines.count, cursor: cursor, visible: max(1, room), top: y) {
            let style = buffer.listRow(x: box.x + 1, y: row, width: box.width - 2, chosen: index == cursor && mode == .lines, base: panel)
            let input = lines[index]
            var cells: [String] = ["\(index + 1)", input.name ?? input.product ?? "", input.unit ?? "", input.quantity, input.price ?? "",
                                   input.discount ?? "", input.vat ?? "", "?"]
            if shown.indices.contains(index) {
                let line = shown[index]
                let discount: String = line.discount == 0 ? "" : Money.text(line.discount)
                cells = ["\(index + 1)", line.name, line.unit, Quantity.text(line.quantity), Money.text(line.unitPrice),
                         discount, line.vatName, Money.text(line.net)]
            }
            var cx = box.x + 2
            for (i, cell) in cells.enumerated() {
                let shift = columns[i].2 ? max(0, widths[i] - DisplayWidth.of(cell)) : 0
                buffer.put(cell, x: cx + shift, y: row, style: style, maxWidth: widths[i] - shift)
                cx += widths[i] + 1
            }
        }
        // The totals per VAT rate, then the total.
        var ty = box.y + box.height - 2 - totalsHeight
        let net = totals.reduce(0) { $0 + $1.net }, vat = totals.reduce(0) { $0 + $1.vat }
        var rows: [(String, String, Bool)] = [(t("Total fără TVA", "Total without VAT"), Money.text(net), false)]
        rows += totals.map { (t("TVA ", "VAT ") + $0.name, Money.text($0.vat), false) }
        rows.append((t("Total de plată", "Total"), Money.text(net + vat), true))
        for (label, value, bold) in rows {
            let style = Style(foreground: .text, background: .panel, bold: bold)
            buffer.put(label, x: box.x + box.width - 40, y: ty, style: style)
            buffer.put(value, x: box.x + box.width - 3 - DisplayWidth.of(value), y: ty, style: style)
            ty += 1
        }
        let hints = message ?? t("ins din catalog · p produs nou · n linie liberă · enter modifică · del șterge · tab antet · f2 salvare · esc renunță",
                                 "ins from the catalogue · p new product · n free line · enter change · del remove · tab header · f2 save · esc leave")
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2, style: Style(foreground: message == nil ? .muted : .error, background: .panel),
                   maxWidth: box.width - 4)
        // Over it: the catalogue search or the line form.
        switch mode {
        case .search:
            let sub = Rect.centred(width: min(80, box.width - 6), height: 16, in: box)
            buffer.box(sub, style: panel, borderStyle: Style(foreground: .accent, background: .panel),
                       title: t("Caută în catalog", "Search the catalogue"), titleStyle: Style(foreground: .primary, background: .panel, bold: true))
            search.render(into: &buffer, x: sub.x + 2, y: sub.y + 1, width: sub.width - 4,
                          style: Style(foreground: .text, background: .surface, underline: true), focused: true)
            for (index, row) in ListWindow.rows(count: found.count, cursor: foundCursor, visible: sub.height - 4, top: sub.y + 3) {
                let style = buffer.listRow(x: sub.x + 1, y: row, width: sub.width - 2, chosen: index == foundCursor, base: panel)
                let p = found[index]
                let price = Money.text(p.record.price) + " " + p.record.currency
                buffer.put(p.record.code + "  " + p.record.name, x: sub.x + 2, y: row, style: style, maxWidth: sub.width - 6 - DisplayWidth.of(price))
                buffer.put(price, x: sub.x + sub.width - 2 - DisplayWidth.of(price), y: row, style: style)
            }
            if found.isEmpty {
                buffer.put(t("Niciun produs nu se potrivește", "No product matches"), x: sub.x + 2, y: sub.y + 3,
                           style: Style(foreground: .muted, background: .panel))
            }
        case .product:
            let sub = Rect.centred(width: min(70, box.width - 6), height: 11, in: box)
            buffer.box(sub, style: panel, borderStyle: Style(foreground: .accent, background: .panel),
                       title: t("Produs nou în catalog", "New product in the catalogue"),
                       titleStyle: Style(foreground: .primary, background: .panel, bold: true))
            lineForm.render(into: &buffer, area: Rect(x: sub.x + 2, y: sub.y + 1, width: sub.width - 4, height: sub.height - 2))
        case .line(let editing):
            let sub = Rect.centred(width: min(70, box.width - 6), height: 10, in: box)
            buffer.box(sub, style: panel, borderStyle: Style(foreground: .accent, background: .panel),
                       title: editing == nil ? t("Linie nouă", "New line") : t("Linia \((editing ?? 0) + 1)", "Line \((editing ?? 0) + 1)"),
                       titleStyle: Style(foreground: .primary, background: .panel, bold: true))
            lineForm.render(into: &buffer, area: Rect(x: sub.x + 2, y: sub.y + 1, width: sub.width - 4, height: sub.height - 2))
        case .lines, .header: break
        }
    }
}
