import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

/// Invoicing through the shipped key map on the in-memory screen: an invoice
/// from an opportunity's offer, posted and paid on Facturi, its movements in
/// the client's Fișă and on Contabilitate; a storno, e-Factura and the PDF;
/// suppliers' invoices, accounts, periods and Corelare sold.
@Suite struct InvoicePageTests {
    func waitForJob(_ db: DemoDatabase, _ browser: inout AccountBrowser, _ terminal: MemoryTerminal) {
        for _ in 0..<1000 where browser.isBusy { usleep(10_000); db.more(&browser, terminal, []) }
    }

    /// A client of its own with an opportunity and an offer on it (the newest of both).
    func prepared(_ db: DemoDatabase) throws -> (account: String, item: String, offer: OfferRecord) {
        let account = try db.crm.addAccount(AccountInput(fields: [.code: "TS1", .name: "Țesătoria Șiret SRL", .cui: "RO18547290",
                                                                  .address: "Str. Lungă nr. 3", .city: "Rădăuți", .county: "Suceava",
                                                                  .zone: "Nord-Est"]), by: db.admin)
        let item = try db.crm.addWorkItem(.opportunity, account: "TS1", [.details: "Dotare ateliere"], by: db.admin)
        let offer = try db.crm.addOffer(to: item.meta!.uuid.description, lines: [OfferLineInput(product: "SRV-001", quantity: "4"),
                                                                                  OfferLineInput(product: "IT-012", quantity: "2")], by: db.admin)
        return (account.meta!.uuid.description, item.meta!.uuid.description, offer)
    }

    @Test func anInvoiceFromAnOpportunitysOfferIsPostedPaidAndShowsInTheStatements() throws {
        let db = try DemoDatabase(accounts: 40)
        let (_, item, offer) = try prepared(db)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 40)
        db.more(&browser, terminal, [.alt("2")])
        #expect(browser.items?.selectedItem?.uuid == item)
        // Alt+V: Adăugare factură venit on the opportunity, the offer's products loaded at once.
        db.more(&browser, terminal, [.alt("v")])
        guard case .document(let editor)? = browser.overlay else { Issue.record("no invoice dialog: \(terminal.text)"); return }
        #expect(editor.document == .invoice(.fiscal) && editor.loadedOffer == offer.label && editor.lines.count == 2)
        #expect(terminal.text.contains("Add an invoice — Dotare ateliere · Țesătoria Șiret SRL") && terminal.text.contains("Supplier: Carpatic Soft SRL"))
        #expect(editor.totals.reduce(0) { $0 + $1.net + $1.vat } == offer.total)
        db.more(&browser, terminal, [.function(2)])
        #expect(browser.overlay == nil && terminal.text.contains("Invoice added: FCT-"), "\(terminal.text)")
        let invoice = try #require(try db.crm.invoices(opportunity: item, for: db.admin).first)
        #expect(invoice.record.total == offer.total && invoice.record.offerID == offer.meta?.id && invoice.lines.count == 2)
        // Facturi: the newest first; Înregistrare venit (Alt+U) to 707; Înregistrare încasare (Alt+I) of all that is left.
        db.more(&browser, terminal, [.alt("5")])
        #expect(browser.page == .invoices && browser.invoices?.selectedInvoice?.uuid == invoice.uuid)
        #expect(terminal.text.contains("Invoices") && terminal.text.contains("unpaid"))
        db.more(&browser, terminal, [.alt("u")])
        #expect(terminal.text.contains("Post the revenue — \(invoice.record.label)"))
        db.more(&browser, terminal, [.char("7"), .function(2)])
        #expect(terminal.text.contains("Revenue posted: \(invoice.record.label)"), "\(terminal.text)")
        #expect(try db.crm.invoice(invoice.uuid, for: db.admin).isPosted)
        db.more(&browser, terminal, [.alt("i")])
        #expect(terminal.text.contains("Record a payment — \(invoice.record.label)"))
        db.more(&browser, terminal, [.function(2)])
        #expect(terminal.text.contains("Payment recorded: \(Money.text(invoice.record.total)) RON · \(invoice.record.label) paid"), "\(terminal.text)")
        #expect(browser.invoices?.selectedInvoice?.status == .paid && terminal.text.contains("Payments (1)"))
        // The client's Fișă: the invoice and the payment, the balance back to nothing.
        db.more(&browser, terminal, [.alt("1"), .char("/")] + type("Țesătoria") + [.enter, .char("]"), .char("]"), .char("]")])
        #expect(browser.tab == .ledger && browser.clientStatement?.lines.count == 2 && browser.clientStatement?.closing == 0)
        #expect(terminal.text.contains("Balance: 0.00 RON") && terminal.text.contains(invoice.record.label), "\(terminal.text)")
        // Alt+V on Clienți: an invoice for the selected account.
        db.more(&browser, terminal, [.tab, .alt("v")])
        guard case .document(let forClient)? = browser.overlay else { Issue.record("no invoice dialog"); return }
        #expect(forClient.header.value("client") == "TS1" && forClient.itemUUID == nil)
        db.more(&browser, terminal, [.escape])
        // Contabilitate: the bank account's statement ends with the payment.
        db.more(&browser, terminal, [.alt("6")])
        #expect(browser.page == .ledger && browser.ledger?.account?.code == "5121")
        #expect(browser.ledger?.statement?.lines.last?.debit == invoice.record.total)
        #expect(terminal.text.contains("Accounts") && terminal.text.contains("Opening balance"))
        // The period narrows the statement: a day before any movement leaves none, the opening balance is what came before.
        db.more(&browser, terminal, [.alt("1"), .alt("6")])
        _ = browser.perform("ledger.period")
        db.more(&browser, terminal, type("2100-01-01") + [.function(2)])
        #expect(browser.ledger?.statement?.lines.isEmpty == true && browser.ledger?.statement?.opening == browser.ledger?.account?.balance)
    }

    @Test func aStornoAnEFacturaAndThePDFAreMadeFromFacturi() throws {
        let db = try DemoDatabase(accounts: 20)
        let (_, item, offer) = try prepared(db)
        let invoice = try db.crm.addInvoice(InvoiceInput(offer: offer.label), by: db.admin)
        _ = item
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 40)
        db.more(&browser, terminal, [.alt("5")])
        #expect(browser.invoices?.selectedInvoice?.record.label == invoice.label)
        // Enter: Tipărire to a PDF.
        let pdf = db.dir.appendingPathComponent("factura.pdf").path
        db.more(&browser, terminal, [.enter, .ctrl("u")] + type(pdf) + [.function(2)])
        #expect(try Data(contentsOf: URL(fileURLWithPath: pdf)).prefix(5) == Data("%PDF-".utf8))
        // e-Factura: the XML file.
        let xml = db.dir.appendingPathComponent("factura.xml").path
        _ = browser.perform("invoice.efactura")
        db.more(&browser, terminal, [.ctrl("u")] + type(xml) + [.function(2)])
        #expect(terminal.text.contains("e-Factura written"), "\(terminal.text)")
        #expect(try String(contentsOfFile: xml, encoding: .utf8).contains("<cbc:ID>\(invoice.label)</cbc:ID>"))
        // Changed before it is posted (F4), then cancelled by a storno after a yes.
        db.more(&browser, terminal, [.function(4)])
        guard case .document(let editing)? = browser.overlay else { Issue.record("no editor"); return }
        #expect(editing.editing?.uuid == invoice.meta?.uuid.description && editing.lines.count == 2)
        db.more(&browser, terminal, [.down, .delete, .function(2)])
        #expect(try db.crm.invoice(invoice.label, for: db.admin).lines.count == 1)
        _ = browser.perform("invoice.cancel")
        #expect(terminal.text.contains("Cancel the invoice \(invoice.label) with a storno invoice? y/n") || browser.overlay != nil)
        db.more(&browser, terminal, [.char("y")])
        #expect(terminal.text.contains("Storno issued: FCT-"), "\(terminal.text)")
        #expect(try db.crm.invoice(invoice.label, for: db.admin).status == .cancelled)
        #expect(browser.invoices?.selectedInvoice?.status == .storno)
        // Del on a fiscal invoice says how it is cancelled instead.
        db.more(&browser, terminal, [.delete])
        #expect(terminal.text.contains("An invoice is not deleted: a storno cancels it"))
        // The left pane narrows to a status.
        db.more(&browser, terminal, [.backTab, .down])
        #expect(browser.invoices?.status == .proforma && browser.invoices?.window.rows.allSatisfy { $0.kind == .proforma } == true)
    }

    @Test func suppliersInvoicesAccountsAndReconcilingOnContabilitate() throws {
        let db = try DemoDatabase(accounts: 20)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 160, height: 40)
        let supplier = try #require(try db.crm.accounts(AccountView(), limit: 1, for: db.admin).accounts.first?.record.code)
        db.more(&browser, terminal, [.alt("6")])
        // A new expense account, then a supplier's invoice posted to it.
        _ = browser.perform("ledger.add")
        if case .dialog(var open)? = browser.overlay {
            open.form.set("kind", "expense")
            browser.overlay = .dialog(open)
        }
        db.more(&browser, terminal, [.tab] + type("6022") + [.tab] + type("Cheltuieli cu combustibilul") + [.function(2)])
        #expect(browser.ledger?.account?.code == "6022" && browser.ledger?.account?.kind == "expense")
        #expect(terminal.text.contains("Account added: 6022"), "\(terminal.text)")
        _ = browser.perform("expense.add")
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("no expense dialog"); return }
        let toNumber = dialog.form.fields.firstIndex { $0.id == "number" }! - dialog.form.focus
        db.more(&browser, terminal, [.ctrl("u")] + type(supplier) + Array(repeating: .tab, count: toNumber) + type("BF 77"))
        guard case .dialog(let filled)? = browser.overlay else { Issue.record("no expense dialog"); return }
        let toNet = filled.form.fields.firstIndex { $0.id == "net" }! - filled.form.focus
        db.more(&browser, terminal, Array(repeating: .tab, count: toNet) + type("300") + [.tab, .ctrl("u")] + type("63"))
        if case .dialog(var open)? = browser.overlay {
            open.form.set("account", "6022")
            browser.overlay = .dialog(open)
        }
        db.more(&browser, terminal, [.function(2)])
        #expect(terminal.text.contains("Supplier's invoice posted: BF 77 · 363.00 RON"), "\(terminal.text)")
        #expect(try db.crm.statement("6022", for: db.admin).closing == 30_000)
        // Paid from the bank: the supplier's balance moves by it.
        let before = try db.crm.statement("401.\(supplier)", for: db.admin).closing
        _ = browser.perform("expense.pay")
        guard case .dialog(let pay)? = browser.overlay, let choice = pay.form.fields.first(where: { $0.id == "expense" }),
              case .choice(let options) = choice.kind else { Issue.record("no payment dialog"); return }
        #expect(options.contains { $0.label.contains("BF 77") })
        let bf77 = try #require(try db.crm.expenses(for: db.admin).first { $0.record.number == "BF 77" })
        if var open = Optional(pay) {
            open.form.set("expense", bf77.uuid)
            browser.overlay = .dialog(open)
        }
        db.more(&browser, terminal, [.function(2)])
        #expect(terminal.text.contains("Payment recorded: 363.00 RON"), "\(terminal.text)")
        #expect(try db.crm.statement("401.\(supplier)", for: db.admin).closing == before + 36_300)
        // Corelare sold: nothing to set right.
        _ = browser.perform("ledger.reconcile")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("Reconciled: the balances agree with the journal"))
        // Commands of other pages are not this page's.
        db.more(&browser, terminal, [.insert])
        #expect(terminal.text.contains("The command is not one of the Ledger page"))
    }

    @Test func aUserWithoutInvoicingSeesNeitherPageNorTheClientsStatement() throws {
        let db = try DemoDatabase(accounts: 10)
        var browser = try db.browser(asUserWith: [Rights.name(.accounts, .view)])
        let terminal = MemoryTerminal(width: 120, height: 30)
        db.more(&browser, terminal, [.alt("5")])
        #expect(browser.page == .accounts && terminal.text.contains("You lack the right: The Invoices page"))
        db.more(&browser, terminal, [.alt("6")])
        #expect(browser.page == .accounts && terminal.text.contains("You lack the right: The Ledger page"))
        #expect(browser.clientStatement == nil)
    }
}

/// Setări firmă and Serii de numerotare in the terminal (administrators).
@Suite struct CompanyAndSeriesViewTests {
    @Test func theCompanysDetailsAndANewYearlySeriesAreSavedFromSetari() throws {
        let db = try DemoDatabase(accounts: 3)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 120, height: 40)
        _ = browser.perform("company.admin")
        db.more(&browser, terminal, [])
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("no company dialog"); return }
        #expect(terminal.text.contains("Company settings") && dialog.form.value("name") == "Carpatic Soft SRL" && dialog.form.value("vatPayer") == "da")
        let toCity = dialog.form.fields.firstIndex { $0.id == "city" }! - dialog.form.focus
        db.more(&browser, terminal, Array(repeating: .tab, count: toCity) + [.ctrl("u")] + type("Cluj-Napoca") + [.function(2)])
        #expect(browser.overlay == nil && terminal.text.contains("The company's details were saved"), "\(terminal.text)")
        #expect(try db.crm.companyProfile()[.city] == "Cluj-Napoca" && (try db.crm.companyProfile()[.name]) == "Carpatic Soft SRL")
        // A bad CUI is refused under its field.
        _ = browser.perform("company.admin")
        guard case .dialog(let again)? = browser.overlay else { Issue.record("no company dialog"); return }
        let toCUI = again.form.fields.firstIndex { $0.id == "cui" }! - again.form.focus
        db.more(&browser, terminal, Array(repeating: .tab, count: toCUI) + [.ctrl("u")] + type("123") + [.function(2)])
        guard case .dialog(let refused)? = browser.overlay else { Issue.record("the dialog closed"); return }
        #expect(refused.form.fields.first { $0.id == "cui" }?.error != nil)
        db.more(&browser, terminal, [.escape, .char("y")])
        // Serii de numerotare: a yearly fiscal series added, then retired.
        _ = browser.perform("series.admin")
        db.more(&browser, terminal, [])
        #expect(terminal.text.contains("Numbering series") && terminal.text.contains("FCT-0001"))
        db.more(&browser, terminal, [.insert, .tab] + type("exp") + [.tab, .char(" "), .function(2)])
        #expect(try db.crm.invoiceSeries(.fiscal).contains { $0.prefix == "EXP" && $0.yearly }, "\(terminal.text)")
        #expect(terminal.text.contains("Series added: EXP") && terminal.text.contains("EXP-YYYY-0001 (yearly)"))
        guard case .adminList(let list)? = browser.overlay, let at = list.entries.firstIndex(where: { $0.name == "fiscal EXP" }) else {
            Issue.record("no series list"); return
        }
        db.more(&browser, terminal, [.home] + Array(repeating: .down, count: at) + [.delete])
        #expect(try db.crm.invoiceSeries(.fiscal).contains { $0.prefix == "EXP" } == false)
        #expect(try db.crm.invoiceSeries(.fiscal, includingRetired: true).contains { $0.prefix == "EXP" && $0.retired })
    }
}

/// Setări e-mail in the terminal: the company's settings (an administrator), the password sealed and masked.
@Suite struct EmailSettingsViewTests {
    @Test func theCompanysMailServerAndPasswordAreSavedFromSetari() throws {
        let db = try DemoDatabase(accounts: 3)
        // The demo's sender cleared: the fields are typed into empty.
        try db.crm.setEmailSettings([.from: "", .fromName: "", .replyTo: "", .port: ""], mine: false, by: db.admin)
        var browser = db.browser(language: .en)
        let terminal = MemoryTerminal(width: 120, height: 40)
        _ = browser.perform("email.settings")
        db.more(&browser, terminal, [])
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("no e-mail dialog"); return }
        #expect(terminal.text.contains("E-mail settings") && dialog.form.value("scope") == "company")
        let toHost = dialog.form.fields.firstIndex { $0.id == "host" }! - dialog.form.focus
        db.more(&browser, terminal, Array(repeating: .tab, count: toHost) + type("smtp.carpaticsoft.ro"))
        guard case .dialog(let typing)? = browser.overlay else { Issue.record("the dialog closed"); return }
        let toPassword = typing.form.fields.firstIndex { $0.id == "password" }! - typing.form.focus
        db.more(&browser, terminal, Array(repeating: .tab, count: toPassword) + type("parolă-42") + [.tab] + type("office@carpaticsoft.ro")
                + [.function(2)])
        #expect(browser.overlay == nil && terminal.text.contains("The e-mail settings were saved"), "\(terminal.text)")
        let (settings, scope) = try db.crm.emailSettings(for: db.admin)
        #expect(scope == "company" && settings.host == "smtp.carpaticsoft.ro" && settings.from == "office@carpaticsoft.ro")
        #expect(try db.crm.emailPassword(settings) == "parolă-42" && !terminal.text.contains("parolă-42"))
    }
}
