import CRMCore
import CRMDocuments
import CRMStore
import CRMText
import Foundation
import TUIKit

/// The Contabilitate page (statements of the cash, revenue, expense, VAT and
/// supplier accounts), the suppliers' invoices and payments to them, and the
/// client's statement in the Clienți history pane.
extension AccountBrowser {
    /// What the Contabilitate page offers (the rest of the window's actions are other pages').
    static let ledgerActions: Set<String> = [
        "help.show", "menu.open", "palette.open", "context.menu", "settings.open", "theme.next", "language.toggle", "app.quit",
        "focus.next", "focus.previous", "cursor.up", "cursor.down", "cursor.page_up", "cursor.page_down", "cursor.first", "cursor.last",
        "page.accounts", "page.opportunities", "page.activities", "page.products", "page.invoices", "page.ledger", "page.dashboard",
        "invoice.add", "invoice.proforma", "expense.add", "expense.pay", "ledger.add", "ledger.period", "ledger.reconcile", "table.export",
        "users.admin", "stages.admin", "templates.admin", "vat.admin", "company.admin", "series.admin", "email.settings", "emailtemplates.admin", "forms.admin", "notes.list", "sync.now", "sync.conflicts",
    ]

    /// The Contabilitate page's state (nil elsewhere).
    var ledger: LedgerPage? {
        get { page == .ledger ? ledgerPage : nil }
        set { if page == .ledger, let newValue { ledgerPage = newValue } }
    }

    // MARK: - Reading

    /// The accounts and the chosen one's statement again (the same account kept by code).
    mutating func reloadLedger() {
        guard var page = ledger else { return }
        let (crm, actor) = (self.crm, self.actor)
        let code = page.account?.code
        page.accounts = attempt(page.accounts) { try LedgerPage.listed(crm, actor) }
        page.accountIndex = code.flatMap { c in page.accounts.firstIndex { $0.code == c } } ?? min(page.accountIndex, max(0, page.accounts.count - 1))
        ledger = page
        loadStatement()
    }

    /// The chosen account's statement for the page's period.
    mutating func loadStatement() {
        guard var page = ledger else { return }
        let (crm, actor) = (self.crm, self.actor)
        if let account = page.account {
            page.statement = attempt(nil) { try crm.statement(account.code, from: page.from, to: page.to, for: actor) }
        } else {
            page.statement = nil
        }
        page.lineIndex = max(0, (page.statement?.lines.count ?? 0) - 1)
        ledger = page
    }

    // MARK: - Actions

    /// An action on the Contabilitate page; nil when the window does it.
    mutating func performOnLedger(_ action: String) -> Effect? {
        guard let page = ledger else { return nil }
        if !Self.ledgerActions.contains(action) {
            message = t("Comanda nu ține de pagina Contabilitate", "The command is not one of the Ledger page")
            return Effect.none
        }
        switch action {
        case "cursor.down": moveOnLedger(1)
        case "cursor.up": moveOnLedger(-1)
        case "cursor.page_down": moveOnLedger(visibleRows)
        case "cursor.page_up": moveOnLedger(-visibleRows)
        case "cursor.first": moveOnLedger(Int.min)
        case "cursor.last": moveOnLedger(Int.max)
        case "ledger.period":
            let form = Form(fields: [
                FormField(id: "from", label: t("De la", "From"), kind: .date, value: page.from ?? ""),
                FormField(id: "to", label: t("Până la", "To"), kind: .date, value: page.to ?? ""),
            ])
            overlay = .dialog(Dialog(title: Localized(ro: "Perioada fișei (gol: fără limită)", en: "The statement's period (empty: open)"),
                                     purpose: .ledgerPeriod, form: form, language: language))
        case "table.export":
            guard let account = page.account else { break }
            let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
            let form = Form(fields: [FormField(id: "file", label: t("Fișier", "File"),
                                               value: "\(home)/\(t("Fisa", "Statement"))-\(account.code)-\(CalendarDate.today.iso).xlsx", mandatory: true)])
            overlay = .dialog(Dialog(title: Localized(ro: "Export fișa contului \(account.code) (.xlsx sau .csv)",
                                                      en: "Export the statement of \(account.code) (.xlsx or .csv)"),
                                     purpose: .ledgerExport, form: form, language: language))
        default: return nil
        }
        return Effect.none
    }

    /// The ledger and expense actions from any page.
    mutating func performLedgerAction(_ action: String) {
        let (crm, actor) = (self.crm, self.actor)
        switch action {
        case "ledger.add":
            let kinds: [LedgerKind] = [.revenue, .expense, .cash]
            let form = Form(fields: [
                FormField(id: "kind", label: t("Tip", "Kind"), kind: .choice(kinds.map { FormField.Choice($0.rawValue, $0.label.text(language)) }),
                          value: "revenue"),
                FormField(id: "code", label: t("Simbol cont", "Code"), mandatory: true),
                FormField(id: "name", label: t("Denumire", "Name"), mandatory: true),
            ])
            overlay = .dialog(Dialog(title: Localized(ro: "Adăugare cont", en: "Add an account"), purpose: .ledgerAdd, form: form, language: language))
        case "ledger.reconcile":
            guard let found = attempt(nil, { try crm.reconcileBalances(by: actor) }) else { return }
            message = found.isEmpty ? t("Corelare sold: soldurile corespund jurnalului", "Reconciled: the balances agree with the journal")
                : t("Corelare sold: \(found.count) solduri refăcute: ", "Reconciled: \(found.count) balances set right: ")
                + found.map { "\($0.account.code) \(Money.text($0.cached)) → \(Money.text($0.actual))" }.joined(separator: ", ")
            reloadPage()
        case "expense.add":
            let accounts = attempt([]) { try crm.ledgerAccounts(.expense, for: actor) }
            let supplier = selectedAccount.map { $0.record.code ?? $0.record.name } ?? ""
            let form = Form(fields: [
                FormField(id: "supplier", label: t("Furnizor (cod, CUI, denumire)", "Supplier (code, tax ID, name)"), value: supplier, mandatory: true),
                FormField(id: "number", label: t("Numărul facturii", "Invoice number"), mandatory: true),
                FormField(id: "day", label: t("Data", "Day"), kind: .date, value: CalendarDate.today.iso, mandatory: true),
                FormField(id: "due", label: t("Scadența", "Due day"), kind: .date),
                FormField(id: "net", label: t("Valoare fără TVA (lei)", "Net (RON)"), kind: .number, mandatory: true),
                FormField(id: "vat", label: t("TVA (lei)", "VAT (RON)"), kind: .number, value: "0"),
                FormField(id: "account", label: t("Cont de cheltuieli", "Expense account"),
                          kind: .choice(accounts.map { FormField.Choice($0.code, $0.code + " " + $0.name) }), value: accounts.first?.code ?? ""),
                FormField(id: "description", label: t("Ce s-a cumpărat", "What was bought")),
            ])
            overlay = .dialog(Dialog(title: Localized(ro: "Factură cheltuială", en: "Supplier's invoice"), purpose: .expenseAdd, form: form,
                                     language: language))
        case "expense.pay":
            let unpaid = attempt([]) { try crm.expenses(limit: 0, for: actor) }.filter { $0.paid < $0.record.total }
            guard !unpaid.isEmpty else { message = t("Nicio factură de cheltuieli neplătită", "No unpaid supplier invoice"); return }
            let cash = attempt([]) { try crm.ledgerAccounts(.cash, for: actor) }
            let form = Form(fields: [
                FormField(id: "expense", label: t("Factura furnizorului", "Supplier's invoice"),
                          kind: .choice(unpaid.map { FormField.Choice($0.uuid, "\($0.supplier) nr. \($0.record.number) · rest \(Money.text($0.record.total - $0.paid))") }),
                          value: unpaid.first?.uuid ?? ""),
                FormField(id: "amount", label: t("Suma (lei; gol: tot restul)", "Amount (RON; empty: all that is left)"), kind: .number),
                FormField(id: "doc", label: t("Document", "Document"), kind: .choice(InvoiceDocumentTypes.all.map { FormField.Choice($0) }),
                          value: "ordin de plată"),
                FormField(id: "number", label: t("Număr document", "Document number")),
                FormField(id: "day", label: t("Data", "Day"), kind: .date, value: CalendarDate.today.iso, mandatory: true),
                FormField(id: "cash", label: t("Din contul", "From the account"),
                          kind: .choice(cash.map { FormField.Choice($0.code, $0.code + " " + $0.name) }), value: cash.first?.code ?? ""),
            ])
            overlay = .dialog(Dialog(title: Localized(ro: "Înregistrare plată către furnizor", en: "Record a payment to a supplier"),
                                     purpose: .expensePay, form: form, language: language))
        default: break
        }
    }

    /// Saves the ledger's and the expenses' dialogs through the core.
    mutating func saveLedgerDialog(_ dialog: inout Dialog) throws -> Effect {
        let (crm, actor, form) = (self.crm, self.actor, dialog.form)
        switch dialog.purpose {
        case .ledgerPeriod:
            let from = form.value("from").trimmed(), to = form.value("to").trimmed()
            var errors: [String: String] = [:]
            if !from.isEmpty && Days.parse(from) == nil { errors["from"] = t("O zi: AAAA-LL-ZZ sau ZZ.LL.AAAA", "A day: YYYY-MM-DD or DD.MM.YYYY") }
            if !to.isEmpty && Days.parse(to) == nil { errors["to"] = t("O zi: AAAA-LL-ZZ sau ZZ.LL.AAAA", "A day: YYYY-MM-DD or DD.MM.YYYY") }
            guard errors.isEmpty else { dialog.form.show(errors: errors); return .none }
            overlay = nil
            ledger?.from = from.isEmpty ? nil : Days.parse(from)
            ledger?.to = to.isEmpty ? nil : Days.parse(to)
            loadStatement()
        case .ledgerExport:
            guard let (path, format) = exportTarget(&dialog) else { return .none }
            guard let statement = ledger?.statement else { return .none }
            try StatementExport.write(statement, format: format, to: path, language: language)
            overlay = nil
            message = t("Fișa contului \(statement.account.code) exportată: \(path)", "Statement of \(statement.account.code) exported: \(path)")
        case .ledgerAdd:
            let kind = LedgerKind(rawValue: form.value("kind")) ?? .revenue
            let added = try crm.addLedgerAccount(kind, code: form.value("code"), name: form.value("name"), by: actor)
            overlay = nil
            message = t("Cont adăugat: ", "Account added: ") + added.code + " " + added.name
            reloadPage()
            if var page = ledger, let index = page.accounts.firstIndex(where: { $0.code == added.code }) {
                page.accountIndex = index
                ledger = page
                loadStatement()
            }
        case .expenseAdd:
            let added = try crm.addExpense(supplier: form.value("supplier"), number: form.value("number"), day: form.value("day"),
                                           dueDay: form.value("due").trimmed().isEmpty ? nil : form.value("due"), net: form.value("net"),
                                           vat: form.value("vat"), expenseAccount: form.value("account"), description: form.value("description"),
                                           by: actor)
            overlay = nil
            message = t("Factură de cheltuieli înregistrată: ", "Supplier's invoice posted: ") + added.number + " · " + Money.text(added.total) + " RON"
            reloadPage()
        case .expensePay:
            let amount = form.value("amount").trimmed()
            let payment = try crm.payExpense(form.value("expense"), amount: amount.isEmpty ? nil : amount, docType: form.value("doc"),
                                             docNumber: form.value("number"), day: form.value("day"), cashAccount: form.value("cash"), by: actor)
            overlay = nil
            message = t("Plată înregistrată: ", "Payment recorded: ") + Money.text(payment.amount) + " RON"
            reloadPage()
        default: break
        }
        return .none
    }

    mutating func moveOnLedger(_ delta: Int) {
        guard var page = ledger else { return }
        func step(_ index: Int, _ count: Int) -> Int {
            guard count > 0 else { return 0 }
            let target = delta == Int.min ? 0 : delta == Int.max ? count - 1 : index + delta
            return max(0, min(count - 1, target))
        }
        switch focus {
        case .folders:
            let index = step(page.accountIndex, page.accounts.count)
            guard index != page.accountIndex else { return }
            page.accountIndex = index
            ledger = page
            loadStatement()
        case .accounts, .details:
            page.lineIndex = step(page.lineIndex, page.statement?.lines.count ?? 0)
            ledger = page
        }
    }

    // MARK: - Drawing

    func renderLedgerAccounts(into buffer: inout ScreenBuffer, area: Rect, page: LedgerPage) {
        let heading = Style(foreground: focus == .folders ? .primary : .muted, bold: true)
        buffer.put(t("Conturi", "Accounts"), x: area.x + 1, y: area.y, style: heading)
        let rows = area.height - 1
        let start = max(0, min(page.accountIndex - rows + 1, page.accounts.count - rows))
        for (row, index) in (start..<page.accounts.count).prefix(rows).enumerated() {
            let account = page.accounts[index]
            let chosen = index == page.accountIndex
            let style = chosen ? Style(foreground: focus == .folders ? .selection : .text, background: focus == .folders ? .selection : .inactive)
                : Style()
            let y = area.y + 1 + row
            if chosen { buffer.fill(x: area.x, y: y, width: area.width, height: 1, style: style) }
            let balance = Money.text(account.balance)
            buffer.put(account.code + " " + Sanitize.line(account.name), x: area.x, y: y, style: style, maxWidth: area.width - balance.count - 2)
            buffer.put(balance, x: area.x + area.width - balance.count - 1, y: y, style: chosen ? style : Style(foreground: .muted))
        }
    }

    /// The statement: the opening balance, then each movement with the balance after it.
    func renderStatement(into buffer: inout ScreenBuffer, area: Rect, page: LedgerPage) {
        let columns: [(String, Int, Bool)] = [(t("Data", "Day"), 10, false), (t("Document", "Document"), 0, false),
                                               (t("Debit", "Debit"), 12, true), (t("Credit", "Credit"), 12, true), (t("Sold", "Balance"), 13, true)]
        let fixed = columns.reduce(0) { $0 + $1.1 } + columns.count + 2
        let widths = columns.map { $0.1 == 0 ? max(10, area.width - fixed) : $0.1 }
        func row(_ cells: [String], y: Int, style: Style) {
            var x = area.x + 2
            for (i, cell) in cells.enumerated() {
                let shift = columns[i].2 ? max(0, widths[i] - DisplayWidth.of(cell)) : 0
                buffer.put(cell, x: x + shift, y: y, style: style, maxWidth: widths[i] - shift)
                x += widths[i] + 1
            }
        }
        row(columns.map(\.0), y: area.y, style: Style(foreground: .muted, bold: true))
        guard let statement = page.statement else {
            buffer.put(t("Niciun cont ales", "No account chosen"), x: area.x + 2, y: area.y + 1, style: Style(foreground: .muted))
            return
        }
        var y = area.y + 1
        row(["", t("Sold inițial", "Opening balance"), "", "", Money.text(statement.opening)], y: y, style: Style(foreground: .muted))
        y += 1
        let rows = area.y + area.height - y
        guard rows > 0 else { return }
        if statement.lines.isEmpty {
            buffer.put(t("Nicio mișcare în perioadă", "No movements in the period"), x: area.x + 2, y: y, style: Style(foreground: .muted))
        }
        let start = max(0, page.lineIndex - rows + 1)
        for (offset, index) in (start..<statement.lines.count).prefix(rows).enumerated() {
            let line = statement.lines[index]
            let chosen = index == page.lineIndex && focus == .accounts
            let style = chosen ? Style(foreground: .selection, background: .selection) : Style()
            if chosen { buffer.fill(x: area.x, y: y + offset, width: area.width, height: 1, style: style) }
            row([line.day, Sanitize.line(line.document + (line.description.map { " · " + $0 } ?? "")), line.debit == 0 ? "" : Money.text(line.debit),
                 line.credit == 0 ? "" : Money.text(line.credit), Money.text(line.balance)], y: y + offset, style: style)
        }
    }

    /// The chosen account's totals for the period.
    func renderLedgerSummary(into buffer: inout ScreenBuffer, area: Rect, page: LedgerPage) {
        guard let account = page.account else { return }
        let x = area.x + 1, width = area.width - 2
        buffer.put(account.code + " " + Sanitize.line(account.name), x: x, y: area.y, style: Style(foreground: .primary, bold: true), maxWidth: width)
        var facts: [(String, String)] = [
            (t("Tip", "Kind"), LedgerKind(rawValue: account.kind)?.label.text(language) ?? account.kind),
            (t("Perioada", "Period"), (page.from ?? "…") + " – " + (page.to ?? "…")),
        ]
        if let s = page.statement {
            facts += [(t("Sold inițial", "Opening"), Money.text(s.opening)), (t("Rulaj debit", "Debits"), Money.text(s.debits)),
                      (t("Rulaj credit", "Credits"), Money.text(s.credits)), (t("Sold final", "Closing"), Money.text(s.closing)),
                      (t("Mișcări", "Movements"), String(s.lines.count))]
        }
        facts.append((t("Sold (total)", "Balance (all)"), Money.text(account.balance) + " RON"))
        for (n, (label, value)) in facts.enumerated() where area.y + 1 + n < area.y + area.height {
            buffer.put(label, x: x, y: area.y + 1 + n, style: Style(foreground: .muted), maxWidth: 14)
            buffer.put(value, x: x + 15, y: area.y + 1 + n, maxWidth: width - 15)
        }
        let menu = keyHint("menu.open")
        buffer.put(t("\(menu): perioada fișei, factură cheltuială, plată furnizor, cont nou, corelare sold",
                     "\(menu): the period, a supplier's invoice, paying a supplier, a new account, reconciling"),
                   x: x, y: min(area.y + area.height - 1, area.y + facts.count + 2), style: Style(foreground: .muted), maxWidth: width)
    }

    /// The selected account's statement as a client: nothing for an account not
    /// yet in the books, or for a user without invoicing.
    mutating func loadClientStatement() {
        let (crm, actor) = (self.crm, self.actor)
        guard let uuid = selectedAccount?.record.meta?.uuid, (try? crm.policy.authorize(actor, .view, .invoicing)) != nil else {
            clientStatement = nil
            return
        }
        clientStatement = try? crm.statement(uuid.description, for: actor)
        statementIndex = max(0, (clientStatement?.lines.count ?? 0) - 1)
    }

    /// Fișă client: the balance, then each movement (invoice, storno, payment) with the balance after it.
    func renderClientStatement(into buffer: inout ScreenBuffer, x: Int, top: Int, width: Int, rows: Int, area: Rect) {
        guard let statement = clientStatement else {
            buffer.put(t("Nicio factură înregistrată în contabilitate", "No invoice posted in the books"), x: x, y: top, style: Style(foreground: .muted))
            return
        }
        let closing = Money.text(statement.closing) + " RON"
        buffer.put(t("Sold: ", "Balance: ") + closing + (statement.closing > 0 ? t(" de încasat", " to collect") : ""), x: x, y: top,
                   style: Style(foreground: statement.closing > 0 ? .warning : .text, bold: true), maxWidth: width)
        let room = rows - 1
        guard room > 0 else { return }
        let start = max(0, statementIndex - room + 1)
        for (offset, index) in (start..<statement.lines.count).prefix(room).enumerated() {
            let line = statement.lines[index]
            let chosen = index == statementIndex && focus == .details
            let style = chosen ? Style(foreground: .selection, background: .selection) : Style()
            if chosen { buffer.fill(x: area.x, y: top + 1 + offset, width: area.width, height: 1, style: style) }
            let amount = line.debit > 0 ? "+" + Money.text(line.debit) : "−" + Money.text(line.credit)
            let right = amount + "  " + Money.text(line.balance)
            let short = String(line.day.dropFirst(8)) + "." + String(line.day.dropFirst(5).prefix(2))
            buffer.put(short + " " + Sanitize.line(line.document), x: x, y: top + 1 + offset, style: style, maxWidth: width - DisplayWidth.of(right) - 1)
            buffer.put(right, x: x + width - DisplayWidth.of(right), y: top + 1 + offset, style: style)
        }
    }

    func ledgerStatus(_ page: LedgerPage) -> [String] {
        var parts = ["\(page.accounts.count) " + t("conturi", "accounts")]
        if let s = page.statement { parts.append("\(s.account.code): \(s.lines.count) " + t("mișcări", "movements")) }
        return parts
    }

    mutating func mouseOnLedger(_ event: MouseEvent, page: LedgerPage) -> Effect {
        let l = layout
        if l.tree.contains(x: event.x, y: event.y) {
            focus = .folders
            switch event.kind {
            case .wheelUp: moveOnLedger(-1)
            case .wheelDown: moveOnLedger(1)
            default:
                let rows = l.tree.height - 1
                let start = max(0, min(page.accountIndex - rows + 1, page.accounts.count - rows))
                let index = event.y - l.tree.y - 1 + start
                if page.accounts.indices.contains(index), index != page.accountIndex {
                    ledger!.accountIndex = index
                    loadStatement()
                }
            }
        } else if l.table.contains(x: event.x, y: event.y) {
            focus = .accounts
            switch event.kind {
            case .wheelUp: moveOnLedger(-3)
            case .wheelDown: moveOnLedger(3)
            default: break
            }
        }
        return .none
    }
}

/// A statement written to a table file: the opening balance, the movements, the closing balance.
enum StatementExport {
    static func write(_ s: Statement, format: ExportFormat, to path: String, language: Language) throws {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        var rows: [[CellValue]] = [[.empty, .text(t("Sold inițial", "Opening balance")), .empty, .empty, .money(s.opening)]]
        rows += s.lines.map { [.date($0.day), .text($0.document + ($0.description.map { " · " + $0 } ?? "")), .money($0.debit), .money($0.credit),
                               .money($0.balance)] }
        rows.append([.empty, .text(t("Sold final", "Closing balance")), .money(s.debits), .money(s.credits), .money(s.closing)])
        try TableExport.rows(rows, labels: [t("Data", "Day"), t("Document", "Document"), t("Debit", "Debit"), t("Credit", "Credit"), t("Sold", "Balance")],
                             widths: [11, 50, 14, 14, 14], sheet: s.account.code, format: format, to: path, language: language)
    }
}
