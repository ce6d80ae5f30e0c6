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

    func run() throws {
        let s = try Session.open(database)
        // The keyset query alone, as the store runs it.
        let query = try measure {
            let rows = try storeCall { try s.crm.store.read { try $0.accountsPage(folderIDs: nil, at: .first, limit: limit) } }
            precondition(rows.count <= limit)
        }
        // The page as the CLI and the table show it: folder paths, owners, zones,
        // custom values and primary contacts resolved.
        let page = try measure {
            let shown = try s.crm.accounts(folder: nil, limit: limit, for: s.actor)
            precondition(shown.accounts.count <= limit)
        }
        print(String(format: "keyset_query_ms_median=%.3f first_page_ms_median=%.3f first_page_ms_p95=%.3f rows=%d repeats=%d",
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
