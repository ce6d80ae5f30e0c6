import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore
import Foundation

/// `crm export accounts`: a table as .xlsx or .csv, exactly as the table view
/// shows it: folder, search, columns and order (the user's own settings unless
/// the options say otherwise).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a table to .xlsx or .csv, as the table shows it.",
        subcommands: [Accounts.self])

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the accounts (folder, search, columns and order as in your table settings).")
        @OptionGroup var database: DatabaseOptions
        @Option(name: [.customShort("o"), .long], help: "The file to write (.xlsx or .csv).") var output: String
        @Option(help: "xlsx or csv (default: from the file name).") var format: String?
        @OptionGroup var viewOptions: AccountViewOptions
        @Option(help: "Columns, comma-separated (default: your table's visible columns); `crm export accounts --list-columns` lists them.")
        var columns: String?
        @Flag(help: "Start the CSV with a byte-order mark, for Excel.") var bom = false
        @Flag(name: .customLong("list-columns"), help: "List the columns and exit.") var listColumns = false

        func run() throws {
            let s = try Session.open(database)
            let available = try s.crm.accountColumns(for: s.actor)
            if listColumns {
                for c in available { s.print("\(c.id.padding(toLength: 24, withPad: " ", startingAt: 0)) \(c.label.text(s.lang))") }
                return
            }
            let chosenFormat = try format.map { name -> ExportFormat in
                guard let f = ExportFormat(rawValue: name.lowercased()) else {
                    throw CLIError(message: Localized(ro: "--format «\(name)»: alegeți xlsx sau csv", en: "--format «\(name)»: choose xlsx or csv"))
                }
                return f
            } ?? ExportFormat(path: output)
            guard let chosenFormat else {
                throw CLIError(message: Localized(ro: "nu știu formatul pentru «\(output)»: numiți fișierul .xlsx sau .csv, sau dați --format",
                                                  en: "no format for «\(output)»: name the file .xlsx or .csv, or give --format"))
            }
            var settings = try s.crm.tableSettings(AccountTable.kind, columns: available, for: s.actor)
            if let columns {
                let ids = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let unknown = ids.filter { id in !available.contains { $0.id == id } }
                guard unknown.isEmpty else {
                    throw CLIError(message: Localized(ro: "coloane necunoscute: \(unknown.joined(separator: ", ")) (--list-columns le arată)",
                                                      en: "unknown columns: \(unknown.joined(separator: ", ")) (--list-columns shows them)"))
                }
                settings.columns = ids
            }
            let view = try viewOptions.view(s, settings: settings)
            let n = try TableExport.accounts(view, columns: settings.visible(available), format: chosenFormat, to: output,
                                             excelBOM: bom, crm: s.crm, actor: s.actor, language: s.lang)
            s.print(s.t("\(n) conturi exportate în \(output)", "\(n) accounts exported to \(output)"))
        }
    }
}
