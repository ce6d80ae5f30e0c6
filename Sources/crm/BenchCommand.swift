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
    @Flag(help: "Measure the Tablou de bord instead (160×45): the page with every panel, then each panel's first drill-down.")
    var dashboard = false
    @Flag(help: "Measure printing offers instead: one of --limit lines (median), then --repeat of the demo's one after another.")
    var pdf = false
    @Flag(help: "Measure invoicing instead: --repeat invoices issued from the demo's offers, posted and paid; then the Facturi page, a statement, e-Factura and a PDF.")
    var invoices = false

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
        if dashboard { return try measureDashboard(s) }
        if pdf { return try measurePDF(s) }
        if invoices { return try measureInvoices(s) }
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

    /// The dashboard as a user opens it: every panel read and the page drawn
    /// (from Clienți), then — for each panel — its first number's drill-down
    /// (the Oportunități page narrowed, or the rows window) drawn.
    private func measureDashboard(_ s: Session) throws {
        func frame(_ b: AccountBrowser) {
            var buffer = ScreenBuffer(width: 160, height: 45)
            b.render(into: &buffer)
        }
        var clients = AccountBrowser(crm: s.crm, actor: s.actor, keymap: Keymap(), language: .ro)
        clients.resize(width: 160, height: 45)
        let open = try measure {
            var b = clients
            _ = b.perform("page.dashboard")
            frame(b)
        }
        var page = clients
        _ = page.perform("page.dashboard")
        guard let dashboard = page.dashboardState else { throw CLIError(message: Localized(ro: "tabloul de bord nu s-a deschis", en: "the dashboard did not open")) }
        var panels: [String] = [], drills: [String] = []
        for (index, panel) in dashboard.panels.enumerated() {
            // Each panel alone, as its settings change or its data is read again.
            let gazetteer = panel == .visits ? Gazetteer.shipped() : nil
            guard (try? s.crm.panel(panel, settings: dashboard.settings.settings(panel), gazetteer: gazetteer, for: s.actor)) != nil else {
                panels.append("\(panel.rawValue)=refused")
                continue
            }
            let one = try measure { _ = try s.crm.panel(panel, settings: dashboard.settings.settings(panel), gazetteer: gazetteer, for: s.actor) }
            panels.append("\(panel.rawValue)=" + String(format: "%.2f", one.median))
            var focused = page
            guard focused.chooseFirstDrill(inPanel: index) else { continue }
            let drill = try measure {
                var b = focused
                _ = b.perform("dashboard.open")
                frame(b)
            }
            drills.append("\(panel.rawValue)=" + String(format: "%.2f", drill.median))
        }
        print("screen=160x45 user=\(s.actor.login) panels=\(dashboard.panels.count) "
              + String(format: "open_ms_median=%.2f open_ms_p95=%.2f ", open.median, open.p95)
              + "panel_ms_median=" + panels.joined(separator: ",") + " drill_ms_median=" + drills.joined(separator: ",") + " repeats=\(repetitions)")
    }

    /// Offers printed as `crm offer pdf` prints them — read from the database
    /// with their lines, template, client, company and logo, laid out and
    /// written: one offer of `limit` lines (added to an opportunity of the
    /// demo the first time; median of `repetitions`), then `repetitions`
    /// offers of the demo one after another (round again if there are fewer).
    private func measurePDF(_ s: Session) throws {
        let marker = "Ofertă de măsurat (\(limit) linii)"
        var big = try s.crm.offers(limit: 0, for: s.actor).first { $0.lines.first?.name == marker }
        if big == nil {
            let products = try s.crm.products(limit: 0, for: s.actor)
            guard let item = try s.crm.workItems(.opportunity, limit: 1, for: s.actor).first, !products.isEmpty else {
                throw CLIError(message: Localized(ro: "demo-ul nu are oportunități sau produse", en: "the demo has no opportunities or products"))
            }
            var lines = [OfferLineInput(name: marker, quantity: "1", price: "1")]
            lines += (1..<limit).map { n in
                OfferLineInput(product: products[n % products.count].record.code, quantity: "\(n % 7 + 1)", discount: n % 5 == 0 ? "5" : nil)
            }
            let added = try s.crm.addOffer(to: item.uuid, lines: lines, by: s.actor)
            big = try s.crm.offer(added.meta!.uuid.description, for: s.actor)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-bench-pdf-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var pages = 0
        let uuid = big!.uuid
        let one = try measure {
            pages = try OfferCommand.writePDF(try s.crm.offer(uuid, for: s.actor), to: dir.appendingPathComponent("oferta.pdf").path,
                                              fontFile: nil, s)
        }
        let all = try s.crm.offers(limit: 0, for: s.actor).map(\.uuid)
        let start = DispatchTime.now().uptimeNanoseconds
        for n in 0..<repetitions {
            let offer = try s.crm.offer(all[n % all.count], for: s.actor)
            _ = try OfferCommand.writePDF(offer, to: dir.appendingPathComponent("oferta-\(n).pdf").path, fontFile: nil, s)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("lines=\(limit) pages=\(pages) demo_offers=\(all.count) "
              + String(format: "one_offer_ms_median=%.1f one_offer_ms_p95=%.1f offers=%d all_s=%.2f", one.median, one.p95, repetitions, seconds))
    }

    /// Invoicing as people do it: an invoice from an offer, Înregistrare venit,
    /// Înregistrare încasare (each its own transaction), `repetitions` times;
    /// then reading the Facturi page's first screen, the bank's statement, one
    /// invoice's e-Factura XML and its PDF (medians of 50).
    private func measureInvoices(_ s: Session) throws {
        let offers = try s.crm.offers(limit: 0, for: s.actor).map(\.record.label)
        guard !offers.isEmpty else { throw CLIError(message: Localized(ro: "demo-ul nu are oferte", en: "the demo has no offers")) }
        var cycles: [Double] = []
        for n in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            let invoice = try s.crm.addInvoice(InvoiceInput(offer: offers[n % offers.count]), by: s.actor)
            try s.crm.postInvoice(invoice.label, by: s.actor)
            try s.crm.addPayment(invoice: invoice.label, by: s.actor)
            cycles.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        cycles.sort()
        let total = try s.crm.count(InvoiceView(), for: s.actor)
        var samples: [String: [Double]] = [:]
        func time(_ name: String, _ body: () throws -> Void) rethrows {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples[name, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-bench-invoices-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = 0
        for _ in 0..<50 {
            try time("page") { _ = try s.crm.invoices(InvoiceView(), limit: 33, for: s.actor) }
            try time("statement") { lines = try s.crm.statement("5121", for: s.actor).lines.count }
            let last = try s.crm.invoices(InvoiceView(kind: .fiscal), limit: 1, for: s.actor)[0]
            try time("xml") { try EFactura.write(try s.crm.invoice(last.uuid, for: s.actor), to: dir.appendingPathComponent("f.xml").path) }
            try time("pdf") { _ = try InvoiceCommand.writePDF(try s.crm.invoice(last.uuid, for: s.actor), to: dir.appendingPathComponent("f.pdf").path, s) }
        }
        func median(_ name: String) -> Double { let v = samples[name]!.sorted(); return v[v.count / 2] }
        print("invoices=\(total) issued=\(repetitions) statement_lines=\(lines) "
              + String(format: "issue_post_pay_ms_median=%.2f issue_post_pay_ms_p95=%.2f facturi_page_ms=%.2f statement_ms=%.2f efactura_ms=%.2f pdf_ms=%.2f",
                       cycles[cycles.count / 2], cycles[min(cycles.count - 1, cycles.count * 95 / 100)], median("page"), median("statement"),
                       median("xml"), median("pdf")))
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
