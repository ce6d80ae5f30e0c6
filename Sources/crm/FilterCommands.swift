import ArgumentParser
import CRMCore
import CRMDocuments

/// `crm filter`: named filters of the accounts table.
struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Named filters of the accounts table: yours, and those an administrator shared.",
        subcommands: [List.self, Save.self, Remove.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the filters you can apply.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let s = try Session.open(database)
            let columns = try s.crm.accountColumns(for: s.actor)
            let all = try s.crm.savedFilters(AccountTable.name, for: s.actor)
            if output.json {
                s.printJSON(.array(all.map { f in
                    .object([("name", .string(f.name)), ("shared", .bool(f.shared)), ("owner", .string(f.owner)),
                             ("criteria", .string(f.filter.summary(columns: columns, language: .en)))])
                }))
                return
            }
            let rows = all.map { [$0.name, $0.shared ? s.t("comun", "shared") : "", $0.owner, $0.filter.summary(columns: columns, language: s.lang)] }
            s.print(TextTable(headers: [s.t("Nume", "Name"), s.t("Comun", "Shared"), s.t("Autor", "Owner"), s.t("Criterii", "Criteria")],
                              rows: rows).render())
        }
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save a filter under a name (--shared: for everyone; administrators).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The filter's name.") var name: String
        @Option(name: .customLong("where"), help: ArgumentHelp("The criteria (README: Filters).", valueName: "CRITERIA")) var criteria: String
        @Flag(help: "Share it with every user (administrators only).") var shared = false

        func run() throws {
            let s = try Session.open(database)
            try s.crm.saveFilter(name, table: AccountTable.name, try Filter.parse(criteria), shared: shared, by: s.actor)
            s.print(s.t("Filtru salvat: \(name)", "Filter saved: \(name)"))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete one of your filters.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The filter's name.") var name: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.deleteFilter(name, table: AccountTable.name, by: s.actor)
            s.print(s.t("Filtru șters: \(name)", "Filter deleted: \(name)"))
        }
    }
}
