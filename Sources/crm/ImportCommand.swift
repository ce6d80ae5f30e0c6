import ArgumentParser
import CRMCore
import CRMDocuments
import Foundation

/// `crm import accounts FILE`: accounts from a file with the template's columns.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import from a file with the template's columns (crm template).", subcommands: [Accounts.self])

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import accounts from an .xlsx or .csv file: all or nothing, unless --skip-invalid.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The file (.xlsx or .csv).") var file: String
        @Option(help: "The folder for rows that name none (default: Conturi).") var folder: String?
        @Flag(name: .customLong("dry-run"), help: "Check everything, write nothing.") var dryRun = false
        @Flag(name: .customLong("skip-invalid"), help: "Import the good rows; list the others.") var skipInvalid = false
        @Option(name: .customLong("on-duplicate"), help: "skip, update or create (a row whose code or CUI exists).")
        var onDuplicate = "skip"
        @Option(help: "utf-8, windows-1250 or iso-8859-2 (default: found from the bytes).") var encoding: String?
        @Option(help: "With --skip-invalid: where the refused rows go, with a Reason column (default: FILE-respinse.xlsx).")
        var rejects: String?

        func run() throws {
            let s = try Session.open(database)
            guard let policy = DuplicatePolicy(rawValue: onDuplicate) else {
                throw CLIError(message: Localized(ro: "--on-duplicate «\(onDuplicate)»: alegeți skip, update sau create",
                                                  en: "--on-duplicate «\(onDuplicate)»: choose skip, update or create"))
            }
            let chosen = try encoding.map { name -> TableImport.Encoding in
                guard let e = TableImport.Encoding(rawValue: name.lowercased()) else {
                    throw CLIError(message: Localized(ro: "--encoding «\(name)»: alegeți utf-8, windows-1250 sau iso-8859-2",
                                                      en: "--encoding «\(name)»: choose utf-8, windows-1250 or iso-8859-2"))
                }
                return e
            }
            let records = try TableFiles.reader(path: file, encoding: chosen)
            defer { records.close() }
            let rows = try AccountRowReader(records, custom: try s.crm.customColumns(entity: "account", for: s.actor))
            let report = try s.crm.importAccounts(from: rows.next, folder: folder, onDuplicate: policy, skipInvalid: skipInvalid,
                                                  dryRun: dryRun, by: s.actor)
            for rejected in report.rejected {
                for problem in rejected.problems {
                    FileHandle.standardError.write(Data((s.t("rândul \(rejected.line): ", "row \(rejected.line): ") + problem.message(s.lang) + "\n").utf8))
                }
            }
            if skipInvalid && !report.rejected.isEmpty {
                let url = URL(fileURLWithPath: file)
                let path = rejects ?? url.deletingPathExtension().path + "-respinse.xlsx"
                try TableImport.writeRejects(report.rejected, header: rows.header, to: path, language: s.lang)
                s.print(s.t("Rândurile refuzate, cu motivul: \(path)", "The refused rows, with the reason: \(path)"))
            }
            let summary = s.t("\(report.added) adăugate, \(report.updated) actualizate, \(report.skipped) sărite, \(report.rejected.count) refuzate",
                              "\(report.added) added, \(report.updated) updated, \(report.skipped) skipped, \(report.rejected.count) refused")
            s.print((dryRun ? s.t("Probă (nimic scris): ", "Dry run (nothing written): ") : "") + summary)
        }
    }
}
