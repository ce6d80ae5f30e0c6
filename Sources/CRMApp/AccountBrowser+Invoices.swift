import CRMCore
import CRMDocuments
import CRMStore
import CRMText
import Foundation
import TUIKit

/// The Facturi page: invoices by where they stand, the selected one with its
/// payments; Adăugare factură venit, Modificare, Tipărire, Înregistrare venit,
/// Înregistrare încasare, Anulare (storno), e-Factura, a proforma turned into
/// an invoice.
extension AccountBrowser {
    // MARK: - Reading

    /// How many invoices stand in each status, for the left pane.
    mutating func refreshInvoiceCounts() {
        guard invoices != nil else { return }
        let (crm, actor) = (self.crm, self.actor)
        invoices!.statusCounts = attempt(invoices!.statusCounts) { try crm.invoiceStatusCounts(for: actor) }
    }

    /// After a change: the counts and the table again, on the invoice named (or the same one).
    mutating func reloadInvoices(select uuid: String? = nil) {
        guard let page = invoices else { return }
        refreshInvoiceCounts()
        reloadTable(select: uuid ?? page.selectedInvoice?.uuid)
    }

    /// The invoice an invoice action is about: the Facturi page's selected one.
    var chosenInvoice: InvoiceDetails? { invoices?.selectedInvoice }

    // MARK: - Actions

    /// An action of the Facturi page's own; nil when the page leaves it to the window.
    mutating func performOnInvoices(_ action: String) -> Effect? {
        guard let page = invoices else { return nil }
        switch action {
        case "record.open" where focus == .folders: focus = .accounts
        case "record.open": if let invoice = page.selectedInvoice { openInvoicePrint(invoice) }
        case "record.add": openInvoiceEditor(.fiscal)
        case "record.edit": if let invoice = page.selectedInvoice { openInvoiceEditor(editing: invoice) }
        case "record.delete" where focus == .details:
            if let payment = page.selectedPayment {
                overlay = .confirm(Confirm(text: Localized(ro: "Ștergeți încasarea de \(Money.text(payment.amount)) din \(payment.day)? d/n",
                                                           en: "Delete the payment of \(Money.text(payment.amount)) of \(payment.day)? y/n"),
                                           action: .deletePayment(payment)))
            }
        case "record.delete":
            guard let invoice = page.selectedInvoice else { break }
            guard invoice.kind == .proforma else {
                message = t("O factură fiscală nu se șterge: se anulează cu o factură storno (\(actionText("invoice.cancel")))",
                            "An invoice is not deleted: a storno cancels it (\(actionText("invoice.cancel")))")
                break
            }
            overlay = .confirm(Confirm(text: Localized(ro: "Ștergeți proforma \(invoice.record.label)? d/n", en: "Delete the proforma \(invoice.record.label)? y/n"),
                                       action: .deleteInvoice(invoice)))
        default: return nil
        }
        return Effect.none
    }

    /// The invoice actions, from any page (the chosen invoice is the Facturi page's).
    mutating func performInvoiceAction(_ action: String) {
        let (crm, actor) = (self.crm, self.actor)
        if action == "invoice.add" || action == "invoice.proforma" {
            openInvoiceEditor(action == "invoice.add" ? .fiscal : .proforma)
            return
        }
        guard let invoice = chosenInvoice else {
            message = t("Alegeți întâi o factură (pagina Facturi, \(keyHint("page.invoices")))",
                        "Choose an invoice first (the Invoices page, \(keyHint("page.invoices")))")
            return
        }
        let label = invoice.record.label
        switch action {
        case "invoice.fiscal":
            guard invoice.kind == .proforma else { message = t("Alegeți o proformă", "Choose a proforma"); return }
            if let made = attempt(nil, { try crm.addInvoice(InvoiceInput(proforma: label), by: actor) }) {
                message = t("Factură emisă din proforma \(label): ", "Invoice issued from the proforma \(label): ") + made.label + " · "
                    + Money.text(made.total) + " " + made.currency
                reloadInvoices(select: made.meta?.uuid.description)
            }
        case "invoice.post":
            let accounts = attempt([]) { try crm.ledgerAccounts(.revenue, for: actor) }
            let form = Form(fields: [FormField(id: "revenue", label: t("Cont de venituri", "Revenue account"),
                                               kind: .choice(accounts.map { FormField.Choice($0.code, $0.code + " " + $0.name) }),
                                               value: accounts.first?.code ?? "")])
            overlay = .dialog(Dialog(title: Localized(ro: "Înregistrare venit — \(label)", en: "Post the revenue — \(label)"),
                                     purpose: .invoicePost(invoice.uuid), form: form, language: language))
        case "invoice.pay":
            let accounts = attempt([]) { try crm.ledgerAccounts(.cash, for: actor) }
            let form = Form(fields: [
                FormField(id: "amount", label: t("Suma (\(invoice.record.currency))", "Amount (\(invoice.record.currency))"), kind: .number,
                          value: Money.text(max(0, invoice.remaining)), mandatory: true),
                FormField(id: "doc", label: t("Document", "Document"), kind: .choice(InvoiceDocumentTypes.all.map { FormField.Choice($0) }),
                          value: "ordin de plată"),
                FormField(id: "number", label: t("Număr document", "Document number")),
                FormField(id: "day", label: t("Data", "Day"), kind: .date, value: CalendarDate.today.iso, mandatory: true),
                FormField(id: "cash", label: t("În contul", "Into the account"),
                          kind: .choice(accounts.map { FormField.Choice($0.code, $0.code + " " + $0.name) }), value: accounts.first?.code ?? ""),
                FormField(id: "details", label: t("Detalii", "Details")),
            ])
            overlay = .dialog(Dialog(title: Localized(ro: "Înregistrare încasare — \(label) (rest \(Money.text(invoice.remaining)))",
                                                      en: "Record a payment — \(label) (left \(Money.text(invoice.remaining)))"),
                                     purpose: .invoicePay(invoice.uuid), form: form, language: language))
        case "invoice.cancel":
            overlay = .confirm(Confirm(text: Localized(ro: "Anulați factura \(label) printr-o factură storno? d/n",
                                                       en: "Cancel the invoice \(label) with a storno invoice? y/n"),
                                       action: .cancelInvoice(invoice)))
        case "invoice.efactura":
            let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
            let form = Form(fields: [FormField(id: "path", label: t("Fișier XML", "XML file"), value: "\(home)/\(label).xml", mandatory: true)])
            overlay = .dialog(Dialog(title: Localized(ro: "e-Factura — \(label)", en: "e-Factura — \(label)"), purpose: .invoiceXML(invoice.uuid),
                                     form: form, language: language))
        default: break
        }
    }

    /// Tipărire factură: the invoice to a PDF, then opened or printed if asked.
    mutating func openInvoicePrint(_ invoice: InvoiceDetails) {
        openPrint(Localized(ro: "Tipărire factură \(invoice.record.label)", en: "Print invoice \(invoice.record.label)"),
                  file: t("Factura", "Invoice") + "-" + invoice.record.label, purpose: .invoicePrint(invoice.uuid))
    }

    /// Saves the Facturi page's dialogs through the core.
    mutating func saveInvoiceDialog(_ dialog: inout Dialog) throws -> Effect {
        let (crm, actor, form) = (self.crm, self.actor, dialog.form)
        switch dialog.purpose {
        case .invoicePrint(let uuid):
            let invoice = try crm.invoice(uuid, for: actor)
            let document = InvoiceDocument.document(invoice, logo: try crm.companyLogo(), language: language)
            return try printDocument(&dialog, document, name: invoice.record.label)
        case .invoicePost(let uuid):
            let posted = try crm.postInvoice(uuid, revenueAccount: form.value("revenue"), by: actor)
            overlay = nil
            message = t("Venit înregistrat: ", "Revenue posted: ") + posted.label + " · " + Money.text(posted.totalRON) + " RON"
            reloadInvoices(select: uuid)
        case .invoicePay(let uuid):
            let payment = try crm.addPayment(invoice: uuid, amount: form.value("amount"), docType: form.value("doc"), docNumber: form.value("number"),
                                             day: form.value("day"), details: form.value("details"), cashAccount: form.value("cash"), by: actor)
            overlay = nil
            let invoice = try crm.invoice(uuid, for: actor)
            message = t("Încasare înregistrată: ", "Payment recorded: ") + Money.text(payment.amount) + " " + invoice.record.currency + " · "
                + invoice.record.label + " " + invoice.status.label.text(language)
            reloadPage()
        case .invoiceXML(let uuid):
            let path = (form.value("path").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
            guard path.lowercased().hasSuffix(".xml") else {
                dialog.form.show(errors: ["path": t("Numele fișierului se termină cu .xml", "The file name ends in .xml")])
                return .none
            }
            let invoice = try crm.invoice(uuid, for: actor)
            do {
                try EFactura.write(invoice, to: path)
            } catch CoreError.refused(let why) {
                dialog.form.show(errors: [:], message: why.text(language))
                return .none
            }
            overlay = nil
            message = t("e-Factura scrisă: \(path)", "e-Factura written: \(path)")
        default: break
        }
        return .none
    }

    /// A confirmed invoice question.
    mutating func confirmedInvoice(_ action: Confirm.Action) {
        let (crm, actor) = (self.crm, self.actor)
        switch action {
        case .cancelInvoice(let invoice):
            if let storno = attempt(nil, { try crm.cancelInvoice(invoice.uuid, by: actor) }) {
                message = t("Storno emis: ", "Storno issued: ") + storno.label + " · " + Money.text(storno.total) + " " + storno.currency
                reloadInvoices(select: storno.meta?.uuid.description)
            }
        case .deleteInvoice(let invoice):
            if attempt(false, { try crm.deleteInvoice(invoice.uuid, by: actor); return true }) {
                message = t("Proformă ștearsă: \(invoice.record.label)", "Proforma deleted: \(invoice.record.label)")
                reloadInvoices()
            }
        case .deletePayment(let payment):
            if attempt(false, { try crm.deletePayment(payment.meta!.uuid.description, by: actor); return true }) {
                message = t("Încasare ștearsă", "Payment deleted")
                reloadPage()
            }
        default: break
        }
    }

    // MARK: - Drawing

    func renderInvoiceStatuses(into buffer: inout ScreenBuffer, area: Rect, page: InvoicePage) {
        let all = (index: 0, name: t("Toate", "All"), count: page.statusCounts.values.reduce(0, +))
        renderLeftPane(into: &buffer, area: area, heading: t("Facturi", "Invoices"), entries: [all] + InvoicePage.statuses.enumerated().map {
            (index: $0.offset + 1, name: "  " + $0.element.label.text(language), count: page.statusCounts[$0.element] ?? 0)
        })
    }

    /// The selected invoice: client, days, totals, what is paid and left, where it is in the books; then its payments.
    func renderInvoiceDetails(into buffer: inout ScreenBuffer, area: Rect, page: InvoicePage) {
        guard let invoice = page.selectedInvoice else { return }
        let x = area.x + 1, width = area.width - 2
        let r = invoice.record
        buffer.put(invoice.kind.label.text(language) + " " + r.label, x: x, y: area.y, style: Style(foreground: .primary, bold: true), maxWidth: width)
        let money = { (bani: Int64) in Money.text(bani) + " " + r.currency }
        var facts: [(String, String)] = [
            (t("Client", "Client"), invoice.client.name), (t("Stare", "Status"), invoice.status.label.text(language)),
            (t("Data", "Day"), r.day), (t("Scadența", "Due"), r.dueDay),
            (t("Total fără TVA", "Without VAT"), money(r.net)), (t("TVA", "VAT"), money(r.vat)), (t("Total", "Total"), money(r.total)),
        ]
        if r.currency != "RON" { facts.append((t("În lei", "In RON"), Money.text(r.totalRON) + " RON · " + InvoiceDocument.rate(r.rate))) }
        if invoice.kind == .fiscal && r.stornoOf == nil {
            facts.append((t("Încasat", "Paid"), money(invoice.paid)))
            facts.append((t("Rest", "Left"), money(invoice.remaining)))
            facts.append((t("Contabilizată", "Posted"), invoice.isPosted ? t("da", "yes") : t("nu — ", "no — ") + keyHint("invoice.post")))
        }
        if let related = invoice.related { facts.append((r.stornoOf == nil ? t("Stornată prin", "Cancelled by") : t("Stornează", "Cancels"), related.label)) }
        if let delegate = r.delegate { facts.append((t("Delegat", "Delegate"), delegate)) }
        let tabsAt = tabRow(area)
        var line = area.y + 1
        for (label, value) in facts where !value.isEmpty && line < tabsAt {
            buffer.put(label, x: x, y: line, style: Style(foreground: .muted), maxWidth: 14)
            buffer.put(Sanitize.line(value), x: x + 15, y: line, maxWidth: width - 15)
            line += 1
        }
        renderPaneTitle(t("Încasări", "Payments") + " (\(invoice.payments.count))", into: &buffer, x: x - 1, y: tabsAt)
        let top = tabsAt + 1, rows = area.y + area.height - top
        guard rows > 0 else { return }
        if invoice.payments.isEmpty {
            buffer.put(invoice.kind == .fiscal && r.stornoOf == nil ? t("Nicio încasare; \(keyHint("invoice.pay")) înregistrează una",
                                                                        "No payments; \(keyHint("invoice.pay")) records one") : "",
                       x: x, y: top, style: Style(foreground: .muted))
        }
        for (offset, index) in (max(0, page.paymentIndex - rows + 1)..<invoice.payments.count).prefix(rows).enumerated() {
            let p = invoice.payments[index]
            let chosen = index == page.paymentIndex && focus == .details
            let style = chosen ? Style(foreground: .selection, background: .selection) : Style()
            if chosen { buffer.fill(x: area.x, y: top + offset, width: area.width, height: 1, style: style) }
            buffer.put(p.day + " " + money(p.amount) + " · " + p.docType + (p.docNumber.map { " " + $0 } ?? ""), x: x, y: top + offset, style: style,
                       maxWidth: width)
        }
    }

    /// The status line of Facturi: how many, in which status, found, filtered.
    func invoiceStatus(_ page: InvoicePage) -> [String] {
        var parts = [page.counted(page.total, t("facturi", "invoices"), language: language)]
        if let status = page.status { parts.append(t("stare «\(status.label.ro)»", "status «\(status.label.en)»")) }
        if let s = searchText { parts.append(t("căutare «\(s)»", "search «\(s)»")) }
        if let filter = page.filterSummary(language) { parts.append(filter) }
        return parts
    }

    /// A click in the right pane of Facturi: a payment.
    mutating func mouseOnInvoices(_ event: MouseEvent, page: InvoicePage) -> Effect {
        if let effect = mouseOnTablePage(event) { return effect }
        let l = layout
        if l.details.contains(x: event.x, y: event.y), let invoice = page.selectedInvoice {
            focus = .details
            let index = event.y - tabRow(l.details) - 1
            if invoice.payments.indices.contains(index) { invoices!.paymentIndex = index }
        }
        return .none
    }
}

/// The kinds of payment documents offered in the payment dialog.
enum InvoiceDocumentTypes {
    static let all = ["ordin de plată", "chitanță", "card", "numerar", "bilet la ordin", "cec", "extras de cont"]
}
