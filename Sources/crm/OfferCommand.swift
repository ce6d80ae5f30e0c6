import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import TUIKit

/// `crm offer`: offers on opportunities (OFF-2), and their PDF.
struct OfferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offer", abstract: "Offers (Oferte) on opportunities: catalogue lines, totals per VAT rate, numbered, printed to PDF.",
        subcommands: [List.self, Show.self, Add.self, Edit.self, PDF.self, Remove.self])

    static func json(_ d: OfferDetails) -> JSONDocument {
        let r = d.record
        return .object([
            ("uuid", .string(d.uuid)), ("number", .string(r.label)), ("day", .string(r.day)), ("validUntil", .optional(r.validUntil)),
            ("opportunity", .string(d.item.meta?.uuid.description ?? "")), ("account", .string(d.account.name)),
            ("template", .optional(d.template?.name)), ("currency", .string(r.currency)),
            ("net", .number(Money.text(r.net))), ("vat", .number(Money.text(r.vat))), ("total", .number(Money.text(r.total))),
            ("vatRates", .array(d.rateTotals.map {
                .object([("rate", .string($0.name)), ("net", .number(Money.text($0.net))), ("vat", .number(Money.text($0.vat)))])
            })),
            ("lines", .array(d.lines.map { l in
                .object([("position", .int(l.position)), ("code", .optional(l.code)), ("name", .string(l.name)), ("unit", .string(l.unit)),
                         ("quantity", .number(Quantity.text(l.quantity))), ("unitPrice", .number(Money.text(l.unitPrice))),
                         ("discount", .number(Money.text(l.discount))), ("vat", .string(l.vatName)), ("net", .number(Money.text(l.net)))])
            })),
            ("createdBy", .optional(d.createdBy)),
        ])
    }

    /// Writes an offer's PDF with its template (the first one if it has none), the company's profile and logo.
    static func writePDF(_ offer: OfferDetails, to path: String, fontFile: String?, _ s: Session) throws -> Int {
        let document = try TemplateBlocks.offer(offer, crm: s.crm, actor: s.actor, day: CalendarDate.today.iso, language: s.lang)
        return try PDFWriter(fontFile: fontFile).write(document, to: path)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Offers newest first: of an opportunity, of an account, or all you see.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this opportunity's (UUID or #id).") var opportunity: String?
        @Option(help: "Only this account's.") var account: String?
        @Option(help: "At most this many (0: all).") var limit = 200
        func run() throws {
            let s = try Session.open(database)
            let offers = try s.crm.offers(item: opportunity, account: account, limit: limit, for: s.actor)
            if output.json { s.printJSON(.array(offers.map(OfferCommand.json))); return }
            s.print(TextTable(headers: [s.t("Număr", "Number"), s.t("Data", "Date"), s.t("Cont", "Account"), s.t("Linii", "Lines"),
                                        s.t("Total", "Total"), "UUID"],
                              rows: offers.map { [$0.record.label, $0.record.day, $0.account.name, "\($0.lines.count)",
                                                  Money.text($0.record.total) + " " + $0.record.currency, $0.uuid] }).render())
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One offer (its number, e.g. OF-0042, or UUID) with its lines and totals.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The offer.") var ref: String
        func run() throws {
            let s = try Session.open(database)
            let d = try s.crm.offer(ref, for: s.actor)
            if output.json { s.printJSON(.array([OfferCommand.json(d)])); return }
            let r = d.record
            s.print(RecordSheet([(s.t("Număr", "Number"), r.label), (s.t("Data", "Date"), r.day), (s.t("Valabilă până la", "Valid until"), r.validUntil ?? ""),
                                 (s.t("Cont", "Account"), d.account.name), (s.t("Șablon", "Template"), d.template?.name ?? "")]).render())
            s.print("")
            s.print(TextTable(headers: ["#", s.t("Denumire", "Name"), s.t("U.M.", "Unit"), s.t("Cant.", "Qty"), s.t("Preț", "Price"),
                                        s.t("Disc. %", "Disc. %"), s.t("TVA", "VAT"), s.t("Valoare", "Value")],
                              rows: d.lines.map { ["\($0.position)", $0.name, $0.unit, Quantity.text($0.quantity), Money.text($0.unitPrice),
                                                   Money.text($0.discount), $0.vatName, Money.text($0.net)] }).render())
            s.print("")
            var totals: [(String, String)] = [(s.t("Total fără TVA", "Total without VAT"), Money.text(r.net))]
            totals += d.rateTotals.map { (s.t("TVA ", "VAT ") + $0.name, Money.text($0.vat)) }
            totals.append((s.t("Total", "Total"), Money.text(r.total) + " " + r.currency))
            s.print(RecordSheet(totals).render())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an offer to an opportunity.",
            discussion: """
                Each --line is "key=value" pairs separated by ";": product=CODE (its name, unit, price and VAT rate unless given), \
                name=, unit=, qty= (three decimals; default 1), price= (without VAT), discount= (percent), vat= (a rate, crm vat list). \
                Example: --line "product=SRV-001;qty=10;discount=5" --line "name=Montaj la sediu;unit=oră;qty=3;price=150".
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The opportunity (UUID or #id).") var opportunity: String
        @Option(name: .customLong("line"), help: "A line (see above); repeat for more.") var lines: [String] = []
        @Option(help: "The template (default: the first).") var template: String?
        @Option(help: "The offer's date (default today), YYYY-MM-DD or DD.MM.YYYY.") var day: String?
        @Option(help: "Valid this many days.") var valid = 30
        @Option(help: "The currency (default: the products', else RON).") var currency: String?
        @Option(help: "Also print it to this PDF file.") var pdf: String?

        func run() throws {
            let s = try Session.open(database)
            let inputs = try lines.enumerated().map { n, text in try OfferCommand.line(text, number: n + 1) }
            let added = try s.crm.addOffer(to: opportunity, lines: inputs, template: template, day: day, validDays: valid, currency: currency,
                                           by: s.actor)
            let details = try s.crm.offer(added.meta!.uuid.description, for: s.actor)
            if let pdf { _ = try OfferCommand.writePDF(details, to: pdf, fontFile: nil, s) }
            if output.json { s.printJSON(.array([OfferCommand.json(details)])); return }
            s.print(s.t("Ofertă adăugată: ", "Offer added: ") + added.label + " · " + Money.text(added.total) + " " + added.currency)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an offer: its lines (all of them again, as for add), template, validity or currency; its number and date stay.",
            discussion: "Without --line the lines stay as they are. With --line, the offer's lines become exactly the ones given.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The offer: its number (OF-0042), UUID or #id.") var offer: String
        @Option(name: .customLong("line"), help: "A line (as for crm offer add); repeat for more.") var lines: [String] = []
        @Option(help: "The template.") var template: String?
        @Option(help: "Valid this many days from the offer's date.") var valid: Int?
        @Option(help: "The currency.") var currency: String?
        @Option(help: "Refuse if the offer's version is no longer this one (someone changed it).") var expectVersion: Int64?

        func run() throws {
            let s = try Session.open(database)
            guard !lines.isEmpty || template != nil || valid != nil || currency != nil else {
                throw CLIError(message: Localized(ro: "nimic de schimbat: dați --line, --template, --valid sau --currency",
                                                  en: "nothing to change: give --line, --template, --valid or --currency"))
            }
            let inputs = try lines.enumerated().map { n, text in try OfferCommand.line(text, number: n + 1) }
            let saved = try s.crm.editOffer(offer, lines: inputs.isEmpty ? nil : inputs, template: template, validDays: valid,
                                            currency: currency, expectedVersion: expectVersion, by: s.actor)
            if output.json { s.printJSON(.array([OfferCommand.json(try s.crm.offer(saved.meta!.uuid.description, for: s.actor))])); return }
            s.print(s.t("Ofertă modificată: ", "Offer changed: ") + saved.label + " · " + Money.text(saved.total) + " " + saved.currency)
        }
    }

    /// A --line's text as input: "product=CODE;qty=2;discount=5".
    static func line(_ text: String, number: Int) throws -> OfferLineInput {
        var line = OfferLineInput()
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw CLIError(message: Localized(ro: "--line \(number): «\(pair)» nu este cheie=valoare", en: "--line \(number): «\(pair)» is not key=value"))
            }
            switch parts[0].lowercased() {
            case "product", "produs": line.product = parts[1]
            case "name", "denumire": line.name = parts[1]
            case "unit", "um": line.unit = parts[1]
            case "qty", "quantity", "cant": line.quantity = parts[1]
            case "price", "pret", "preț": line.price = parts[1]
            case "discount", "disc": line.discount = parts[1]
            case "vat", "tva": line.vat = parts[1]
            default:
                throw CLIError(message: Localized(ro: "--line \(number): cheie necunoscută «\(parts[0])» (product, name, unit, qty, price, discount, vat)",
                                                  en: "--line \(number): unknown key «\(parts[0])» (product, name, unit, qty, price, discount, vat)"))
            }
        }
        return line
    }

    struct PDF: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pdf", abstract: "Print an offer to a PDF file (Tipărire).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The offer.") var ref: String
        @Option(name: [.customShort("o"), .customLong("output")], help: "The PDF file.") var file: String
        @Option(help: "Set the text in this font file (default DejaVu Sans).") var fontFile: String?
        func run() throws {
            let s = try Session.open(database)
            let offer = try s.crm.offer(ref, for: s.actor)
            let pages = try OfferCommand.writePDF(offer, to: file, fontFile: fontFile, s)
            s.print(s.t("Oferta \(offer.record.label) scrisă în \(file) (pagini: \(pages))", "Offer \(offer.record.label) written to \(file) (pages: \(pages))"))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete an offer.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The offer.") var ref: String
        func run() throws {
            let s = try Session.open(database)
            try s.crm.deleteOffer(ref, by: s.actor)
            s.print(s.t("Ofertă ștearsă: \(ref)", "Offer deleted: \(ref)"))
        }
    }
}
