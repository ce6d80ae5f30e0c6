import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import TUIKit

/// `crm invoice`: proforma and fiscal invoices (FIN-1, FIN-2), their PDF and
/// e-Factura XML, posting, payments and storno.
struct InvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice", abstract: "Invoices (Facturi): proforma and fiscal, from offers, printed, posted, paid, cancelled by storno, e-Factura XML.",
        subcommands: [List.self, Show.self, Add.self, Edit.self, PDF.self, EFacturaXML.self, Post.self, Pay.self, Unpay.self, Cancel.self,
                      Remove.self, Series.self])

    static func json(_ d: InvoiceDetails) -> JSONDocument {
        let r = d.record
        return .object([
            ("uuid", .string(d.uuid)), ("number", .string(r.label)), ("kind", .string(r.kind)), ("status", .string(d.status.rawValue)),
            ("day", .string(r.day)), ("due", .string(r.dueDay)), ("client", .string(d.client.name)), ("clientCUI", .optional(d.client.cui)),
            ("currency", .string(r.currency)), ("rate", .number(InvoiceDocument.rate(r.rate))),
            ("net", .number(Money.text(r.net))), ("vat", .number(Money.text(r.vat))), ("total", .number(Money.text(r.total))),
            ("totalRON", .number(Money.text(r.totalRON))), ("paid", .number(Money.text(d.paid))), ("posted", .bool(d.isPosted)),
            ("stornoOf", .optional(r.stornoOf == nil ? nil : d.related?.label)),
            ("cancelledBy", .optional(r.stornoOf == nil ? d.related?.label : nil)),
            ("vatRates", .array(d.rateTotals.map {
                .object([("rate", .string($0.name)), ("net", .number(Money.text($0.net))), ("vat", .number(Money.text($0.vat)))])
            })),
            ("lines", .array(d.lines.map { l in
                .object([("position", .int(l.position)), ("code", .optional(l.code)), ("name", .string(l.name)), ("unit", .string(l.unit)),
                         ("quantity", .number(Quantity.text(l.quantity))), ("unitPrice", .number(Money.text(l.unitPrice))),
                         ("discount", .number(Money.text(l.discount))), ("vatRate", .string(l.vatName)), ("net", .number(Money.text(l.net))),
                         ("vat", .number(Money.text(l.vat)))])
            })),
            ("payments", .array(d.payments.map { p in
                .object([("uuid", .string(p.meta?.uuid.description ?? "")), ("day", .string(p.day)), ("amount", .number(Money.text(p.amount))),
                         ("document", .string(p.docType)), ("documentNumber", .optional(p.docNumber))])
            })),
            ("createdBy", .optional(d.createdBy)),
        ])
    }

    /// What an invoice is made of on the command line (add and edit).
    struct InputOptions: ParsableArguments {
        @Option(help: "The client: code, CUI, name or UUID.") var client: String?
        @Option(help: "The opportunity (UUID or #id): its client.") var opportunity: String?
        @Option(help: "Încărcare produse din ofertă: the offer's lines, client and opportunity (OF-0042).") var offer: String?
        @Option(name: .customLong("from-proforma"), help: "The fiscal invoice of a proforma: its lines and client (PF-0007).") var proforma: String?
        @Option(name: .customLong("line"), help: "A line, as for crm offer add (product=CODE;qty=2;discount=5 or name=…;price=…); repeat for more.")
        var lines: [String] = []
        @Option(help: "The series (default: the first of its kind; crm invoice series list).") var series: String?
        @Option(help: "The invoice's day (default today), YYYY-MM-DD or DD.MM.YYYY.") var day: String?
        @Option(help: "The due day.") var due: String?
        @Option(help: "Due this many days after the invoice's day (default 15).") var dueDays: Int?
        @Option(help: "The currency (default: the offer's or the products', else RON).") var currency: String?
        @Option(help: "RON for one unit of a foreign currency (4,9771).") var rate: String?
        @Option(help: "Delivery: the delegate's name.") var delegate: String?
        @Option(help: "Delivery: the delegate's ID card (seria și numărul).") var delegateID: String?
        @Option(help: "Delivery: the vehicle.") var vehicle: String?
        @Option(help: "Delivery: the day.") var deliveryDay: String?
        @Option(help: "Notes printed on the invoice.") var notes: String?

        func input(_ kind: InvoiceKind) throws -> InvoiceInput {
            InvoiceInput(kind: kind, client: client, opportunity: opportunity, offer: offer, proforma: proforma,
                         lines: try lines.enumerated().map { n, text in try OfferCommand.line(text, number: n + 1) }, series: series, day: day,
                         dueDay: due, dueDays: dueDays, currency: currency, rate: rate, delegate: delegate, delegateID: delegateID,
                         vehicle: vehicle, deliveryDay: deliveryDay, notes: notes)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a fiscal invoice (or with --proforma a proforma): from an offer, a proforma, or lines; numbered in its series.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var options: InputOptions
        @Flag(help: "A proforma invoice.") var proforma = false
        @Option(help: "Post it at once (Înregistrare venit) to this revenue account (704, 707…).") var post: String?
        @Option(help: "Also print it to this PDF file.") var pdf: String?

        func run() throws {
            let s = try Session.open(database)
            var added = try s.crm.addInvoice(try options.input(proforma ? .proforma : .fiscal), by: s.actor)
            if let post { added = try s.crm.postInvoice(added.label, revenueAccount: post, by: s.actor) }
            let details = try s.crm.invoice(added.meta!.uuid.description, for: s.actor)
            if let pdf { _ = try InvoiceCommand.writePDF(details, to: pdf, s) }
            if output.json { s.printJSON(.array([InvoiceCommand.json(details)])); return }
            s.print(s.t("Factură adăugată: ", "Invoice added: ") + added.label + " · " + Money.text(added.total) + " " + added.currency)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an invoice not yet posted: what is given (with --line, the lines become exactly those); its number stays.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The invoice: FCT-0042, UUID or #id.") var ref: String
        @OptionGroup var options: InputOptions
        @Option(help: "Refuse if the invoice's version is no longer this one (someone changed it).") var expectVersion: Int64?

        func run() throws {
            let s = try Session.open(database)
            let current = try s.crm.invoice(ref, for: s.actor)
            let saved = try s.crm.editInvoice(ref, try options.input(current.kind), expectedVersion: expectVersion, by: s.actor)
            s.print(s.t("Factură modificată: ", "Invoice changed: ") + saved.label + " · " + Money.text(saved.total) + " " + saved.currency)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One invoice with its lines, totals and payments.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The invoice: FCT-0042, UUID or #id.") var ref: String
        func run() throws {
            let s = try Session.open(database)
            let d = try s.crm.invoice(ref, for: s.actor)
            if output.json { s.printJSON(.array([InvoiceCommand.json(d)])); return }
            let r = d.record
            s.print(RecordSheet([(s.t("Factura", "Invoice"), r.label + " · " + d.kind.label.text(s.lang)), (s.t("Stare", "Status"), d.status.label.text(s.lang)),
                                 (s.t("Client", "Client"), d.client.name), (s.t("Data", "Day"), r.day), (s.t("Scadența", "Due"), r.dueDay),
                                 (s.t("Total", "Total"), Money.text(r.total) + " " + r.currency + (r.currency == "RON" ? "" : " (\(Money.text(r.totalRON)) RON)")),
                                 (s.t("Încasat", "Paid"), Money.text(d.paid) + " " + r.currency),
                                 (s.t("Contabilizată", "Posted"), d.isPosted ? s.t("da", "yes") : s.t("nu", "no")), ("UUID", d.uuid)]).render())
            s.print(TextTable(headers: ["#", s.t("Denumire", "Name"), s.t("U.M.", "Unit"), s.t("Cant.", "Qty"), s.t("Preț", "Price"),
                                        s.t("Valoare", "Value"), s.t("Cotă", "Rate"), s.t("TVA", "VAT")],
                              rows: d.lines.map { ["\($0.position)", $0.name, $0.unit, Quantity.text($0.quantity), Money.text($0.unitPrice),
                                                   Money.text($0.net), $0.vatName, Money.text($0.vat)] }).render())
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invoices newest first: of a client, an opportunity, a kind, a status; export them with -o.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Of this client.") var client: String?
        @Option(help: "Of this opportunity.") var opportunity: String?
        @Option(help: "proforma or fiscal.") var kind: String?
        @Option(help: "unpaid, partial, paid, overdue, cancelled, storno, proforma.") var status: String?
        @Option(help: "Only those with all these words in the number or the client's name or CUI.") var search: String?
        @Option(name: .customLong("where"), help: ArgumentHelp("Criteria, e.g. 'total >= 1000 and status = încasată' (README: Filters).",
                                                               valueName: "CRITERIA"))
        var criteria: String?
        @Option(help: "Order: day (default, newest first), due or total.") var sort = "day"
        @Flag(help: "Oldest (or smallest) first.") var asc = false
        @Option(help: "At most this many (0: all).") var limit = 200
        @Option(name: [.customShort("o"), .customLong("output")], help: "Export the list to this .xlsx or .csv file instead.") var file: String?
        func run() throws {
            let s = try Session.open(database)
            let kindValue = try kind.map { k -> InvoiceKind in
                guard let v = InvoiceKind(rawValue: k) else { throw CLIError(message: Localized(ro: "--kind: proforma sau fiscal", en: "--kind: proforma or fiscal")) }
                return v
            }
            let statusValue = try status.map { k -> InvoiceStatus in
                guard let v = InvoiceStatus(rawValue: k) else {
                    throw CLIError(message: Localized(ro: "--status: " + InvoiceStatus.allCases.map(\.rawValue).joined(separator: ", "),
                                                      en: "--status: " + InvoiceStatus.allCases.map(\.rawValue).joined(separator: ", ")))
                }
                return v
            }
            guard let column = InvoiceOrder.Column(rawValue: sort) else {
                throw CLIError(message: Localized(ro: "--sort: day, due sau total", en: "--sort: day, due or total"))
            }
            let view = InvoiceView(kind: kindValue, status: statusValue, account: client, opportunity: opportunity, search: search,
                                   filters: try criteria.map { [try Filter.parse($0)] } ?? [], order: InvoiceOrder(column, descending: !asc))
            if let file {
                guard let format = ExportFormat(path: file) else {
                    throw CLIError(message: Localized(ro: "numiți fișierul .xlsx sau .csv", en: "name the file .xlsx or .csv"))
                }
                let available = try s.crm.invoiceColumns(for: s.actor)
                let settings = try s.crm.tableSettings(InvoiceTable.kind, columns: available, for: s.actor)
                let n = try TableExport.invoices(view, columns: settings.visible(available), format: format, to: file, crm: s.crm, actor: s.actor,
                                                 language: s.lang)
                s.print(s.t("\(n) facturi exportate în \(file)", "\(n) invoices exported to \(file)"))
                return
            }
            let found = try s.crm.invoices(view, limit: limit, for: s.actor)
            if output.json { s.printJSON(.array(found.map(InvoiceCommand.json))); return }
            s.print(TextTable(headers: [s.t("Număr", "Number"), s.t("Data", "Day"), s.t("Client", "Client"), s.t("Total", "Total"),
                                        s.t("Încasat", "Paid"), s.t("Stare", "Status")],
                              rows: found.map { [$0.record.label, $0.record.day, $0.client.name, Money.text($0.record.total) + " " + $0.record.currency,
                                                 Money.text($0.paid), $0.status.label.text(s.lang)] }).render())
        }
    }

    static func writePDF(_ invoice: InvoiceDetails, to path: String, _ s: Session) throws -> Int {
        try PDFWriter().write(InvoiceDocument.document(invoice, logo: try s.crm.companyLogo(), language: s.lang), to: path)
    }

    struct PDF: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pdf", abstract: "Print an invoice to a PDF file (Tipărire).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The invoice.") var ref: String
        @Option(name: [.customShort("o"), .customLong("output")], help: "The PDF file.") var file: String
        func run() throws {
            let s = try Session.open(database)
            let invoice = try s.crm.invoice(ref, for: s.actor)
            let pages = try InvoiceCommand.writePDF(invoice, to: file, s)
            s.print(s.t("Factura \(invoice.record.label) scrisă în \(file) (pagini: \(pages))", "Invoice \(invoice.record.label) written to \(file) (pages: \(pages))"))
        }
    }

    struct EFacturaXML: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "efactura", abstract: "Write a fiscal invoice (or storno) as RO e-Factura XML: UBL 2.1 with CIUS-RO, ready for ANAF's SPV.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The invoice.") var ref: String
        @Option(name: [.customShort("o"), .customLong("output")], help: "The XML file.") var file: String
        func run() throws {
            let s = try Session.open(database)
            let invoice = try s.crm.invoice(ref, for: s.actor)
            try EFactura.write(invoice, to: file)
            s.print(s.t("e-Factura \(invoice.record.label) scrisă în \(file)", "e-Factura \(invoice.record.label) written to \(file)"))
        }
    }

    struct Post: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Înregistrare venit: the invoice into the books (client debit, revenue and VAT credit).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The invoice.") var ref: String
        @Option(help: "The revenue account (default 704; crm ledger accounts).") var revenue: String?
        func run() throws {
            let s = try Session.open(database)
            let posted = try s.crm.postInvoice(ref, revenueAccount: revenue, by: s.actor)
            s.print(s.t("Înregistrată: ", "Posted: ") + posted.label + " · " + Money.text(posted.totalRON) + " RON")
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Înregistrare încasare: a payment against an invoice (all that is left unless --amount), into a cash or bank account.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The invoice.") var ref: String
        @Option(help: "The amount, in the invoice's currency (default: all that is left).") var amount: String?
        @Option(help: "The document: chitanță, ordin de plată, card, numerar… (default ordin de plată).") var doc = "ordin de plată"
        @Option(help: "The document's number.") var number: String?
        @Option(help: "The day (default today).") var day: String?
        @Option(help: "Details.") var details: String?
        @Option(help: "The cash or bank account (default 5121; crm ledger accounts --kind cash).") var cash: String?
        func run() throws {
            let s = try Session.open(database)
            let payment = try s.crm.addPayment(invoice: ref, amount: amount, docType: doc, docNumber: number, day: day, details: details,
                                               cashAccount: cash, by: s.actor)
            let invoice = try s.crm.invoice(ref, for: s.actor)
            if output.json { s.printJSON(.array([InvoiceCommand.json(invoice)])); return }
            s.print(s.t("Încasare înregistrată: ", "Payment recorded: ") + Money.text(payment.amount) + " " + invoice.record.currency + " · "
                    + invoice.record.label + " " + invoice.status.label.text(s.lang))
        }
    }

    struct Unpay: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unpay", abstract: "Delete a payment (its UUID, from invoice show --json) and its entry.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The payment's UUID.") var payment: String
        func run() throws {
            let s = try Session.open(database)
            try s.crm.deletePayment(payment, by: s.actor)
            s.print(s.t("Plată ștearsă", "Payment deleted"))
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Anulare: a storno invoice cancelling a fiscal invoice (its lines negated, posted in reverse if it was posted).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The invoice.") var ref: String
        @Option(help: "The storno's day (default today).") var day: String?
        @Option(help: "The storno's series (default the invoice's).") var series: String?
        func run() throws {
            let s = try Session.open(database)
            let storno = try s.crm.cancelInvoice(ref, day: day, series: series, by: s.actor)
            if output.json { s.printJSON(.array([InvoiceCommand.json(try s.crm.invoice(storno.meta!.uuid.description, for: s.actor))])); return }
            s.print(s.t("Storno emis: ", "Storno issued: ") + storno.label + " · " + Money.text(storno.total) + " " + storno.currency)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a proforma (a fiscal invoice is cancelled instead).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The proforma.") var ref: String
        func run() throws {
            let s = try Session.open(database)
            try s.crm.deleteInvoice(ref, by: s.actor)
            s.print(s.t("Proformă ștearsă: \(ref)", "Proforma deleted: \(ref)"))
        }
    }

    struct Series: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Numbering series (administrators add and retire).",
                                                        subcommands: [ListSeries.self, AddSeries.self, RetireSeries.self])

        struct ListSeries: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "The series in use.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var output: OutputOptions
            func run() throws {
                let s = try Session.open(database)
                let all = try s.crm.invoiceSeries(includingRetired: true)
                if output.json {
                    s.printJSON(.array(all.map { .object([("kind", .string($0.kind)), ("prefix", .string($0.prefix)), ("yearly", .bool($0.yearly)),
                                                           ("retired", .bool($0.retired))]) }))
                    return
                }
                s.print(TextTable(headers: [s.t("Tip", "Kind"), s.t("Serie", "Prefix"), s.t("Anuală", "Yearly"), s.t("Retrasă", "Retired")],
                                  rows: all.map { [$0.kind, $0.prefix, $0.yearly ? s.t("da", "yes") : "", $0.retired ? s.t("da", "yes") : ""] }).render())
            }
        }

        struct AddSeries: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a series: proforma or fiscal, a prefix, --yearly to start at 1 each year.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "proforma or fiscal.") var kind: String
            @Argument(help: "The prefix (letters and digits).") var prefix: String
            @Flag(help: "Numbered from 1 every year (FCT-2026-0001).") var yearly = false
            func run() throws {
                let s = try Session.open(database)
                guard let k = InvoiceKind(rawValue: kind) else { throw CLIError(message: Localized(ro: "tipul: proforma sau fiscal", en: "the kind: proforma or fiscal")) }
                let added = try s.crm.addInvoiceSeries(k, prefix: prefix, yearly: yearly, by: s.actor)
                s.print(s.t("Serie adăugată: ", "Series added: ") + added.prefix)
            }
        }

        struct RetireSeries: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "retire", abstract: "Retire a series (--restore brings it back).")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "proforma or fiscal.") var kind: String
            @Argument(help: "The prefix.") var prefix: String
            @Flag(help: "Bring it back.") var restore = false
            func run() throws {
                let s = try Session.open(database)
                guard let k = InvoiceKind(rawValue: kind) else { throw CLIError(message: Localized(ro: "tipul: proforma sau fiscal", en: "the kind: proforma or fiscal")) }
                try s.crm.retireInvoiceSeries(k, prefix: prefix, retired: !restore, by: s.actor)
                s.print(restore ? s.t("Serie readusă", "Series restored") : s.t("Serie retrasă", "Series retired"))
            }
        }
    }
}
