import ArgumentParser
import CRMCore
import Foundation

/// `crm index`: builds the accounts' search index where it is missing (after a
/// bulk demo, or an upgrade); the interface also builds it in the background.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Build the accounts' search index where it is missing (progress on stderr).")
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let s = try Session.open(database)
        let start = DispatchTime.now().uptimeNanoseconds
        try s.crm.buildSearchIndex(chunk: 100_000) { indexed, total in
            FileHandle.standardError.write(Data("\r\(s.t("Indexare", "Indexing")) \(indexed)/\(total)".utf8))
            return true
        }
        let state = try s.crm.searchIndexState()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        FileHandle.standardError.write(Data("\n".utf8))
        s.print(s.t("Index de căutare complet: \(state.total) conturi", "Search index complete: \(state.total) accounts")
                + String(format: " (%.1f s)", seconds))
    }
}
