import CRMCore
import CRMDocuments
import CRMStore
import CRMText
import Foundation
import TUIKit

/// The offer and invoice dialog (`DocumentEditor`) opened, kept and saved:
/// Adăugare Ofertă and Modificare ofertă, Adăugare factură venit (or a
/// proforma) and Modificare factură.
extension AccountBrowser {
    /// The offer chosen in a history: the right pane of Oportunități, or an account's Istoric.
    var chosenOffer: OfferDetails? {
        if let page = items {
            if case .offer(let offer)? = page.selectedEntry { return offer } else { return nil }
        }
        if tablePage == nil, tab == .work, case .offer(let offer)? = selectedWork { return offer }
        return nil
    }

    /// The opportunity an offer or an invoice would go on: the selected row of
    /// Oportunități, or the opportunity selected in an account's Istoric.
    var chosenOpportunity: WorkItemDetails? {
        if let page = items { return page.kind == .opportunity ? page.selectedItem : nil }
        if case .item(let d)? = selectedWork, d.kind == .opportunity { return d }
        return nil
    }

    /// Adăugare Ofertă on an opportunity (the chosen one unless given).
    mutating func openOfferEditor(on given: WorkItemDetails? = nil) {
        guard let item = given ?? chosenOpportunity else {
            message = t("Alegeți întâi o oportunitate (pagina Oportunități sau Istoric-ul unui cont)",
                        "Choose an opportunity first (the Opportunities page or an account's History)")
            return
        }
        let (crm, actor) = (self.crm, self.actor)
        guard let templates = attempt(nil, { try crm.offerTemplates(for: actor).map(\.name) }) else { return }
        let what = item.record.details.map { Sanitize.line($0) } ?? item.account.name
        let rates = attempt([]) { try crm.vatRates().map(\.name) }
        overlay = .document(DocumentEditor(itemUUID: item.uuid, title: t("Adăugare ofertă — ", "Add an offer — ") + what + " · " + item.account.name,
                                     templates: templates, rates: rates, language: language))
    }

    /// Modificare ofertă: a saved offer in the offer dialog, its lines and totals as saved.
    mutating func openOfferEditor(editing offer: OfferDetails) {
        guard permits("offer.edit") else {
            message = t("Nu aveți dreptul să modificați oferte", "You lack the right to change offers")
            return
        }
        let (crm, actor) = (self.crm, self.actor)
        guard let templates = attempt(nil, { try crm.offerTemplates(for: actor).map(\.name) }) else { return }
        let rates = attempt([]) { try crm.vatRates().map(\.name) }
        var editor = DocumentEditor(editing: offer, title: t("Modificare ofertă ", "Change the offer ") + offer.record.label + " · "
                                 + Sanitize.line(offer.account.name), templates: templates, rates: rates, language: language)
        recalculate(&editor)
        overlay = .document(editor)
    }

    /// Adăugare factură venit (or a proforma): on the chosen opportunity (its
    /// offers' products a choice away) or, on Facturi, for a client typed in.
    mutating func openInvoiceEditor(_ kind: InvoiceKind, on given: WorkItemDetails? = nil) {
        guard permits("invoice.add") else {
            message = t("Nu aveți dreptul să adăugați facturi", "You lack the right to add invoices")
            return
        }
        let (crm, actor, language) = (self.crm, self.actor, self.language)
        let item = given ?? (invoices == nil ? chosenOpportunity : nil)
        guard let series = attempt(nil, { try crm.invoiceSeries(kind).map(\.prefix) }) else { return }
        let offers = item.map { i in attempt([]) { try crm.offers(item: i.uuid, for: actor).map(\.record.label) } } ?? []
        let rates = attempt([]) { try crm.vatRates().map(\.name) }
        let supplier = attempt(CompanyProfile()) { try crm.companyProfile() }
        let what = item.map { " — " + ($0.record.details.map { Sanitize.line($0) } ?? "") + " · " + $0.account.name } ?? ""
        let title = (kind == .proforma ? t("Adăugare factură proformă", "Add a proforma invoice") : t("Adăugare factură venit", "Add an invoice")) + what
        var editor = DocumentEditor(invoice: kind, editing: nil, itemUUID: item?.uuid, title: title, series: series, offers: offers, rates: rates,
                                    supplier: supplier.lines(language).prefix(2).map { $0 }, today: CalendarDate.today.iso, language: language)
        // On Clienți without an opportunity chosen: the selected account is the client.
        if item == nil, tablePage == nil, page == .accounts, let account = selectedAccount {
            editor.header.set("client", account.record.code ?? account.record.meta?.uuid.description ?? "")
            editor.mode = .lines
        }
        // The opportunity's only offer: its products at once.
        if offers.count == 1 {
            editor.header.set("offer", offers[0])
            loadOffer(offers[0], into: &editor)
        }
        overlay = .document(editor)
    }

    /// Modificare factură: an invoice not yet in the books, in the same dialog.
    mutating func openInvoiceEditor(editing invoice: InvoiceDetails) {
        guard permits("invoice.edit") else {
            message = t("Nu aveți dreptul să modificați facturi", "You lack the right to change invoices")
            return
        }
        guard !invoice.isPosted, invoice.record.stornoOf == nil else {
            message = t("Factura \(invoice.record.label) este înregistrată: nu se mai modifică; se stornează (Anulare) și se emite alta",
                        "The invoice \(invoice.record.label) is posted: it is not changed any more; cancel it and issue another")
            return
        }
        let (crm, language) = (self.crm, self.language)
        let rates = attempt([]) { try crm.vatRates().map(\.name) }
        var editor = DocumentEditor(invoice: invoice.kind, editing: invoice, itemUUID: nil,
                                    title: t("Modificare factură ", "Change the invoice ") + invoice.record.label + " · " + Sanitize.line(invoice.client.name),
                                    series: [], offers: [], rates: rates, supplier: Array(invoice.supplier.name.isEmpty ? [] : [invoice.supplier.name]),
                                    today: CalendarDate.today.iso, language: language)
        recalculate(&editor)
        overlay = .document(editor)
    }

    mutating func updateDocumentEditor(_ editor: DocumentEditor, _ key: Key) {
        var editor = editor
        let (crm, actor) = (self.crm, self.actor)
        defer { if case .document(var open)? = overlay { open.header.settle(in: open.headerRect(width: width, height: height)); overlay = .document(open) } }
        switch editor.handle(key, action: keymap.action(for: key, in: .dialog), language: language) {
        case .none: break
        case .close:
            overlay = nil
            if let uuid = returnToItem { returnToItem = nil; openItemView(uuid) }
            return
        case .search(let text):
            editor.found = (try? crm.products(ProductView(search: text), limit: 50, for: actor)) ?? []
            editor.foundCursor = min(editor.foundCursor, max(0, editor.found.count - 1))
        case .recalculate:
            recalculate(&editor)
        case .addProduct(let fields):
            do {
                let product = try crm.addProduct(fields, by: actor)
                editor.lines.append(OfferLineInput(product: product.code, quantity: "1"))
                editor.cursor = editor.lines.count - 1
                editor.mode = .lines
                recalculate(&editor)
                editor.message = t("Produs adăugat în catalog: \(product.code)", "Product added to the catalogue: \(product.code)")
            } catch CoreError.invalid(let issues) {
                var errors: [String: String] = [:]
                for issue in issues { errors[issue.field] = issue.message(language) }
                editor.lineForm.show(errors: errors)
            } catch {
                editor.lineForm.show(errors: [:], message: describe(error))
            }
        case .loadOffer(let label):
            loadOffer(label, into: &editor)
        case .save:
            if saveDocument(&editor) { return }
        }
        overlay = .document(editor)
    }

    /// Saves the editor's offer or invoice through the core; true when it closed.
    mutating func saveDocument(_ editor: inout DocumentEditor) -> Bool {
        let (crm, actor) = (self.crm, self.actor)
        do {
            let saved: String
            var chosen: String?
            switch editor.document {
            case .offer:
                guard editor.validDays >= 0, let item = editor.itemUUID else {
                    editor.header.show(errors: ["valid": t("Un număr de zile (0–366)", "A number of days (0–366)")])
                    editor.mode = .header
                    return false
                }
                let offer: OfferRecord
                if let editing = editor.editing {
                    offer = try crm.editOffer(editing.uuid, lines: editor.lines, template: editor.template, validDays: editor.validDays,
                                              expectedVersion: editing.version, by: actor)
                } else {
                    offer = try crm.addOffer(to: item, lines: editor.lines, template: editor.template, validDays: editor.validDays, by: actor)
                }
                saved = (editor.editing == nil ? t("Ofertă adăugată: ", "Offer added: ") : t("Ofertă modificată: ", "Offer changed: "))
                    + offer.label + " · " + Money.text(offer.total) + " " + offer.currency
            case .invoice:
                guard let input = editor.invoiceInput else { return false }
                let invoice: InvoiceRecord
                if let editing = editor.editing {
                    invoice = try crm.editInvoice(editing.uuid, input, expectedVersion: editing.version, by: actor)
                } else {
                    invoice = try crm.addInvoice(input, by: actor)
                }
                saved = (editor.editing == nil ? t("Factură adăugată: ", "Invoice added: ") : t("Factură modificată: ", "Invoice changed: "))
                    + invoice.label + " · " + Money.text(invoice.total) + " " + invoice.currency
                chosen = invoice.meta?.uuid.description
            }
            overlay = nil
            message = saved
            if let uuid = returnToItem {
                returnToItem = nil
                openItemView(uuid)
            } else if invoices != nil {
                reloadInvoices(select: chosen)
            } else {
                reloadPage()
            }
            return true
        } catch CoreError.invalid(let issues) {
            // A field of the header under its field; a line's problem on the message line.
            var errors: [String: String] = [:]
            var other: [String] = []
            let ids = Set(editor.header.fields.map(\.id))
            for issue in issues {
                let id = issue.field == "due" ? "due" : issue.field == "delivery_day" ? "delivery_day" : issue.field
                if ids.contains(id) { errors[id] = issue.message(language) } else { other.append(issue.message(language)) }
            }
            if !errors.isEmpty { editor.header.show(errors: errors); editor.mode = .header }
            editor.message = other.isEmpty ? nil : other.joined(separator: "; ")
        } catch {
            editor.message = describe(error).replacingOccurrences(of: "\n", with: "; ")
        }
        return false
    }

    /// Încărcare produse din ofertă: the offer's lines replace the editor's, with its currency.
    func loadOffer(_ label: String, into editor: inout DocumentEditor) {
        let (crm, actor) = (self.crm, self.actor)
        guard let offer = try? crm.offer(label, for: actor) else { return }
        editor.lines = offer.lines.map(OfferLineInput.init)
        editor.loadedOffer = label
        editor.cursor = 0
        if editor.header.fields.contains(where: { $0.id == "currency" }) { editor.header.set("currency", offer.record.currency) }
        recalculate(&editor)
        editor.message = t("Produse încărcate din oferta \(label)", "Products loaded from the offer \(label)")
    }

    /// The lines and totals as the core reckons them; a bad line says why.
    func recalculate(_ editor: inout DocumentEditor) {
        guard !editor.lines.isEmpty else { editor.shown = []; editor.totals = []; return }
        do {
            let preview = try crm.offerPreview(editor.lines, for: actor)
            editor.shown = preview.lines
            editor.totals = preview.totals
        } catch {
            editor.shown = []
            editor.totals = []
            editor.message = describe(error).replacingOccurrences(of: "\n", with: "; ")
        }
    }
}

