import ArgumentParser
import CRMCore
import CRMDocuments
import Foundation

/// `crm duplicates`: accounts that may be the same company or person.
struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "Find accounts that may be duplicates (same CUI, e-mail, phone, or a similar name).",
        subcommands: [Scan.self, Dismiss.self], defaultSubcommand: Scan.self)

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the pairs, grouped in clusters, most certain first (--account: for one account).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only the duplicates of this account (code, CUI, UUID, #id or name).") var account: String?
        @Option(help: "How alike two names must be, 0–1 (default 0.95).") var threshold: Double = 0.95
        @Option(help: "Pairs to list, the most certain first (0: all).") var limit = 200

        func run() throws {
            let s = try Session.open(database)
            var scan = DuplicateScan()
            scan.threshold = threshold
            scan.limit = limit
            let start = DispatchTime.now().uptimeNanoseconds
            let (pairs, total) = try account.map { (try s.crm.duplicates(of: $0, scan, for: s.actor), 0) } ?? s.crm.duplicateReport(scan, for: s.actor)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if output.json {
                let clusters = cluster(pairs)
                s.printJSON(.array(pairs.map { p in
                    .object([("first", .string(p.first)), ("firstName", .string(p.firstName)), ("second", .string(p.second)),
                             ("secondName", .string(p.secondName)), ("score", .number(String(format: "%.3f", p.score))),
                             ("reasons", .array(p.reasons.map { .string($0.rawValue) })), ("cluster", .int(Int64(clusters[p.first] ?? 0)))])
                }))
                return
            }
            let clusters = cluster(pairs)
            let shown = pairs
            let rows = shown.sorted { (clusters[$0.first] ?? 0, -$0.score) < (clusters[$1.first] ?? 0, -$1.score) }.map { p in
                ["\(clusters[p.first] ?? 0)", p.firstName, p.secondName, String(format: "%.2f", p.score),
                 p.reasons.map { $0.label.text(s.lang) }.joined(separator: ", "), p.first, p.second]
            }
            s.print(TextTable(headers: [s.t("Grup", "Cluster"), s.t("Cont", "Account"), s.t("Posibil duplicat", "Possible duplicate"),
                                        s.t("Scor", "Score"), s.t("Motive", "Reasons"), "UUID", "UUID"], rows: rows).render())
            let all = max(total, pairs.count)
            s.print(s.t("\(all) perechi", "\(all) pairs")
                    + (shown.count < all ? s.t(", primele \(shown.count) arătate (--limit), în \(Set(clusters.values).count) grupuri",
                                                ", the first \(shown.count) shown (--limit), in \(Set(clusters.values).count) clusters")
                       : s.t(" în \(Set(clusters.values).count) grupuri", " in \(Set(clusters.values).count) clusters"))
                    + String(format: " (%.1f s)", seconds))
        }

        /// Cluster numbers (1, 2, …) by account, joining pairs that share an account.
        func cluster(_ pairs: [DuplicatePair]) -> [String: Int] {
            var parent: [String: String] = [:]
            func root(_ x: String) -> String {
                var r = x
                while let p = parent[r], p != r { r = p }
                var y = x
                while let p = parent[y], p != r { parent[y] = r; y = p }
                return r
            }
            for p in pairs {
                parent[p.first] = parent[p.first] ?? p.first
                parent[p.second] = parent[p.second] ?? p.second
                let (a, b) = (root(p.first), root(p.second))
                if a != b { parent[a] = b }
            }
            var numbers: [String: Int] = [:]
            var out: [String: Int] = [:]
            for p in pairs {
                for id in [p.first, p.second] {
                    let r = root(id)
                    if numbers[r] == nil { numbers[r] = numbers.count + 1 }
                    out[id] = numbers[r]
                }
            }
            return out
        }
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark two accounts as not duplicates; they are not proposed again.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The first account.") var first: String
        @Argument(help: "The second account.") var second: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.dismissDuplicate(first, second, by: s.actor)
            s.print(s.t("Notat: nu sunt duplicate.", "Noted: not duplicates."))
        }
    }
}
