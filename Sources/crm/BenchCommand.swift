import ArgumentParser
import CRMCore
import CRMStore
import Foundation

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

    func run() throws {
        let s = try Session.open(database)
        guard let column = AccountOrder.Column(rawValue: order) else {
            throw CLIError(message: Localized(ro: "ordine necunoscută: \(order)", en: "unknown order: \(order)"))
        }
        let sort = AccountOrder(column, descending: desc)
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
        print("order=\(order)\(desc ? "-desc" : "") search=\(search ?? "-") "
              + String(format: "keyset_query_ms_median=%.3f first_page_ms_median=%.3f first_page_ms_p95=%.3f rows=%d repeats=%d",
                       query.median, page.median, page.p95, limit, repetitions))
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
