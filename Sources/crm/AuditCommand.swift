import ArgumentParser
import CRMCore
import CRMDocuments
import Foundation

/// `crm audit`: who changed what, when, across the base (administrators).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The change log across the base, newest first (administrators).")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Only this user's changes (login).") var user: String?
    @Option(help: "Only since this day (YYYY-MM-DD, UTC) or moment (YYYY-MM-DDTHH:MM:SSZ).") var since: String?
    @Option(help: "Only changes of this entity (account, contact, folder, user…).") var entity: String?
    @Option(help: "At most this many entries.") var limit = 200

    func run() throws {
        let s = try Session.open(database)
        let moment = try since.map { text -> Int64 in
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            guard let date = ISO8601DateFormatter().date(from: text) ?? day.date(from: text) else {
                throw CLIError(message: Localized(ro: "--since «\(text)»: scrieți AAAA-LL-ZZ sau AAAA-LL-ZZTHH:MM:SSZ",
                                                  en: "--since «\(text)»: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"))
            }
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        try ChangeLogOutput.print(try s.crm.audit(user: user, since: moment, entity: entity, limit: limit, for: s.actor),
                                  session: s, json: output.json, rows: true)
    }
}
