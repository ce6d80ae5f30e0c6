import ArgumentParser
import CRMCore
import CRMStore
import CRMApp
import CRMDocuments
import Foundation
import TUIKit

/// Figures for bench/: timings measured inside the process, so that process start
/// and output do not hide what the store costs.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure store operations (used by bench/).", shouldDisplay: false)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("repeat"), help: "Repetitions.") var repetitions = 200
    @Option(help: "Rows per page.") var limit = 50
    @Option(help: "Order: name, code, cui, city, county, phone, mobile, email.") var order = "name"
    @Flag(help: "Descending order.") var desc = false
    @Option(help: "Search the names for these words (the footer search).") var search: String?
    @Flag(help: "Measure the Clienți page instead: the first screen drawn (120×35), a page down, a search keystroke.") var screen = false
    @Option(help: "Measure reading this .xlsx or .csv file alone instead: seconds, rows, cells.") var read: String?
    @Option(name: .customLong("writes"), help: "Add this many accounts instead, each in its own transaction: seconds, failures.")
    var writes: Int?
    @Option(help: "With --writes: a tag in the accounts' names.") var tag = "w"
    @Option(name: .customLong("as"), help: "With --screen: measure the page as this user sees it (zones, rights; administrators).")
    var login: String?
    @Flag(help: "Measure the Oportunități page instead (120×35): its first screen, each stage chosen, a page down, a sort.")
    var opportunities = false
    @Flag(help: "Measure the document engine instead: an offer-like PDF of --limit lines (median), then --repeat of them one after another.")
    var pdf = false

    func run() throws {
        if let writes {
            // One writer among many: every add is its own short transaction, and
            // a busy database is waited for (busy timeout), never given up on.
            let s = try Session.open(database)
            let start = DispatchTime.now().uptimeNanoseconds
            var failures = 0
            for n in 0..<writes {
                do {
                    try s.crm.addAccount(AccountInput(fields: [.name: "Scriere \(tag) \(n)", .code: "\(tag)-\(n)"]), by: s.actor)
                } catch {
                    failures += 1
                    FileHandle.standardError.write(Data("\(error)\n".utf8))
                }
            }
            print(String(format: "%.3f %d", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, failures))
            return
        }
        if let read {
            let start = DispatchTime.now().uptimeNanoseconds
            let reader = try TableFiles.reader(path: read)
            var rows = 0, cells = 0
            while let record = try reader.next() {
                rows += 1
                cells += record.fields.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(format: "%.3f %d %d", seconds, rows, cells))
            return
        }
        var s = try Session.open(database)
        if let login { s = Session(crm: s.crm, actor: try s.crm.actor(forLogin: login, by: s.actor), lang: s.lang) }
        if screen { return try measureScreen(s) }
        if opportunities { return try measureOpportunities(s) }
        if pdf { return try measurePDF(s) }
        guard let column = AccountOrder.Column(rawValue: order) else {
            throw CLIError(message: Localized(ro: "ordine necunoscută: \(order)", en: "unknown order: \(order)"))
        }
        let sort = AccountOrder(column, descending: desc)
        // As the table does when someone sorts: the column's index exists from then on.
        let prepared = DispatchTime.now().uptimeNanoseconds
        try s.crm.prepare(sort, for: s.actor)
        let prepareMs = Double(DispatchTime.now().uptimeNanoseconds - prepared) / 1e6
        let (limit, search) = (self.limit, self.search)
        // The keyset query alone, as the store runs it.
        let query = try measure {
            let rows = try storeCall {
                try s.crm.store.read { try $0.accountsPage(folderIDs: nil, at: .first, limit: limit, nameContaining: search, order: sort) }
            }
            precondition(rows.count <= limit)
        }
        // The page as the CLI and the table show it: folder paths, owners, zones,
        // custom values and primary contacts resolved.
        let page = try measure {
            let shown = try s.crm.accounts(folder: nil, limit: limit, search: search, order: sort, for: s.actor)
            precondition(shown.accounts.count <= limit)
        }
        print("order=\(order)\(desc ? "-desc" : "") search=\(search ?? "-") " + String(format: "prepare_ms=%.0f ", prepareMs)
              + String(format: "keyset_query_ms_median=%.3f first_page_ms_median=%.3f first_page_ms_p95=%.3f rows=%d repeats=%d",
                       query.median, page.median, page.p95, limit, repetitions))
    }

    /// The page as a person meets it, in memory: from the first query to the
    /// first frame drawn; a page down with its frame; a search keystroke with its frame.
    private func measureScreen(_ s: Session) throws {
        func frame(_ b: AccountBrowser) {
            var buffer = ScreenBuffer(width: 120, height: 35)
            b.render(into: &buffer)
        }
        let first = try measure {
            var b = AccountBrowser(crm: s.crm, actor: s.actor, keymap: Keymap(), language: .ro)
            b.resize(width: 120, height: 35)
            frame(b)
        }
        var browser = AccountBrowser(crm: s.crm, actor: s.actor, keymap: Keymap(), language: .ro)
        browser.resize(width: 120, height: 35)
        let down = try measure {
            _ = browser.perform("cursor.page_down")
            frame(browser)
        }
        let word = search ?? "agr"
        let keystroke = try measure {
            var b = browser
            _ = b.perform("search.start")
            for c in word { _ = b.update(.char(c)) }
            b.settle()
            frame(b)
        }
        print("screen=120x35 user=\(s.actor.login) zones=\(s.actor.zones?.count ?? 0) " + String(format: "first_screen_ms_median=%.2f page_down_ms_median=%.2f search_%@_ms_median=%.2f repeats=%d",
                                        first.median, down.median, word, keystroke.median, repetitions))
    }

    /// The Oportunități page as a person meets it, in memory: from Clienți to
    /// the page's first frame (its columns, settings, stages and their counts,
    /// the first rows, the selected item's notes); then each stage chosen in
    /// the left pane, a page down and a sort by the next column, each with its frame.
    private func measureOpportunities(_ s: Session) throws {
        func frame(_ b: AccountBrowser) {
            var buffer = ScreenBuffer(width: 120, height: 35)
            b.render(into: &buffer)
        }
        var clients = AccountBrowser(crm: s.crm, actor: s.actor, keymap: Keymap(), language: .ro)
        clients.resize(width: 120, height: 35)
        let total = try s.crm.count(WorkItemView(.opportunity), for: s.actor)
        let first = try measure {
            var b = clients
            _ = b.perform("page.opportunities")
            frame(b)
        }
        var page = clients
        _ = page.perform("page.opportunities")
        let down = try measure {
            var b = page
            _ = b.perform("cursor.page_down")
            frame(b)
        }
        let sort = try measure {
            var b = page
            _ = b.perform("sort.next")
            frame(b)
        }
        // Each stage: from the one above it in the pane, one step down.
        _ = page.perform("focus.previous")
        var stages: [String] = []
        for stage in try s.crm.stages(.opportunity) {
            let before = page
            _ = page.perform("cursor.down")
            let step = try measure {
                var b = before
                _ = b.perform("cursor.down")
                frame(b)
            }
            stages.append("\(stage.name)=" + String(format: "%.2f", step.median))
        }
        print("screen=120x35 user=\(s.actor.login) opportunities=\(total) "
              + String(format: "first_screen_ms_median=%.2f first_screen_ms_p95=%.2f page_down_ms_median=%.2f sort_ms_median=%.2f ",
                       first.median, first.p95, down.median, sort.median)
              + "stage_ms_median=" + stages.joined(separator: ",") + " repeats=\(repetitions)")
    }

    /// The document engine on an offer's shape: the two parties side by side, a
    /// table of `limit` catalogue lines with quantities, discounts and VAT, the
    /// totals per VAT rate, two paragraphs of text; one document's median time,
    /// then `repetitions` documents written one after another.
    private func measurePDF(_ s: Session) throws {
        let products = try s.crm.products(limit: limit, for: s.actor)
        guard !products.isEmpty else { throw CLIError(message: Localized(ro: "catalogul este gol", en: "the catalogue is empty")) }
        var rows: [[String]] = []
        var net: Int64 = 0, vat: Int64 = 0
        for n in 0..<limit {
            let d = products[n % products.count]
            let quantity = Int64(n % 7 + 1)
            let value = d.record.price * quantity
            net += value
            vat += d.vat.vat(on: value)
            rows.append(["\(n + 1)", d.record.name, d.record.unit, "\(quantity)", Money.text(d.record.price), "0%", d.vat.name, Money.text(value)])
        }
        let document = PrintDocument(title: "Ofertă OF-0001", blocks: [
            .columns([RichText("Furnizor: SC Demo Soft SRL\nCUI RO14399840 · J40/1234/2001\nStr. Mihai Eminescu nr. 10, București"),
                      RichText("Client: Știință și Țară SRL\nCUI RO18547290\nStr. Țebei nr. 3, Cluj-Napoca")]),
            .paragraph(RichText("Ofertă nr. OF-0001 din 29.11.2026", bold: true), size: 14),
            .paragraph(RichText("Vă mulțumim pentru interes. Vă propunem produsele și serviciile de mai jos, la prețurile și condițiile precizate."),
                       size: 9.5),
            .table(PrintTable(columns: [.init("Nr.", weight: 4), .init("Denumire", weight: 36), .init("U.M.", weight: 7),
                                        .init("Cant.", weight: 6, alignment: .right), .init("Preț unitar", weight: 12, alignment: .right),
                                        .init("Disc.", weight: 6, alignment: .right), .init("TVA", weight: 6, alignment: .right),
                                        .init("Valoare", weight: 13, alignment: .right)], rows: rows)),
            .totals([("Total fără TVA", Money.text(net) + " RON"), ("TVA", Money.text(vat) + " RON"), ("Total", Money.text(net + vat) + " RON")]),
            .paragraph(RichText("Oferta este valabilă 30 de zile. Livrarea în 5 zile lucrătoare de la comandă.", italic: true), size: 9),
        ], footer: "SC Demo Soft SRL · Ofertă OF-0001", language: .ro)
        let writer = try PDFWriter()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-bench-pdf-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var pages = 0
        let one = try measure { pages = try writer.write(document, to: dir.appendingPathComponent("oferta.pdf").path) }
        let start = DispatchTime.now().uptimeNanoseconds
        for n in 0..<repetitions { try writer.write(document, to: dir.appendingPathComponent("oferta-\(n).pdf").path) }
        let all = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("lines=\(limit) pages=\(pages) " + String(format: "one_document_ms_median=%.1f one_document_ms_p95=%.1f documents=%d all_s=%.2f",
                                                         one.median, one.p95, repetitions, all))
    }

    private func measure(_ body: () throws -> Void) throws -> (median: Double, p95: Double) {
        var samples: [Double] = []
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        return (samples[samples.count / 2], samples[min(samples.count - 1, Int(Double(samples.count) * 0.95))])
    }
}
