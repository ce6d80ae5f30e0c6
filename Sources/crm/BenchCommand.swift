import ArgumentParser
import CRMCore
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
        var samples: [Double] = []
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            let page = try s.crm.accounts(folder: nil, limit: limit, for: s.actor)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            precondition(page.accounts.count <= limit)
        }
        samples.sort()
        let median = samples[samples.count / 2]
        let p95 = samples[min(samples.count - 1, Int(Double(samples.count) * 0.95))]
        print(String(format: "first_page_ms_median=%.3f first_page_ms_p95=%.3f rows=%d repeats=%d", median, p95, limit, samples.count))
    }
}
