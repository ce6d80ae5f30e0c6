import ArgumentParser
import CRMCore
import CRMDocuments

/// `crm template accounts -o Conturi.xlsx`: the import template.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Write an import template (.xlsx or .csv).", subcommands: [Accounts.self])

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The accounts template: the fixed columns in order, the custom ones, one example row.")
        @OptionGroup var database: DatabaseOptions
        @Option(name: [.customShort("o"), .long], help: "The file to write (.xlsx or .csv).") var output: String

        func run() throws {
            let s = try Session.open(database)
            try AccountTemplate.write(to: output, crm: s.crm, actor: s.actor)
            s.print(s.t("Șablon scris: \(output)", "Template written: \(output)"))
        }
    }
}
