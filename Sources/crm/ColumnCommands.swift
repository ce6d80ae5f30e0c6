import ArgumentParser
import CRMCore
import CRMDocuments

struct ColumnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "column",
        abstract: "Custom columns (Coloane personalizate); adding one needs an administrator.",
        subcommands: [List.self, Add.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the custom columns of an entity.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "account or contact.") var entity = "account"

        func run() throws {
            let s = try Session.open(database)
            let columns = try s.crm.customColumns(entity: entity, for: s.actor)
            if output.json {
                s.printJSON(.array(columns.map { c in
                    .object([("key", .string(c.key)), ("label", .string(c.label)), ("type", .string(c.type)),
                             ("choices", .array(CustomColumns.choices(of: c).map(JSONDocument.string))),
                             ("mandatory", .bool(c.mandatory)), ("unique", .bool(c.isUnique))])
                }))
                return
            }
            s.print(TextTable(
                headers: [s.t("Cheie", "Key"), s.t("Denumire", "Label"), s.t("Tip", "Type"), s.t("Valori", "Choices"),
                          s.t("Obligatoriu", "Mandatory"), s.t("Unic", "Unique")],
                rows: columns.map { c in
                    [c.key, c.label, (CustomColumnType(rawValue: c.type)?.label.text(s.lang)) ?? c.type,
                     CustomColumns.choices(of: c).joined(separator: ", "), c.mandatory ? "✓" : "", c.isUnique ? "✓" : ""]
                }).render())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a custom column.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "account or contact.") var entity = "account"
        @Option(help: "The column's name as people see it.") var label: String
        @Option(help: "text, number, money, date, bool or choice.") var type: String
        @Option(name: .customLong("choice"), help: "A value of a choice column (repeat for each).") var choices: [String] = []
        @Flag(help: "A value is required.") var mandatory = false
        @Flag(help: "No two rows may share a value.") var unique = false

        func run() throws {
            let s = try Session.open(database)
            guard let t = CustomColumnType(rawValue: type) else {
                throw CoreError.invalid([.init(field: "type", value: type,
                                               reason: .invalidChoice(allowed: CustomColumnType.allCases.map(\.rawValue)))])
            }
            let c = try s.crm.addCustomColumn(entity: entity, label: label, type: t, choices: choices,
                                              mandatory: mandatory, unique: unique, by: s.actor)
            s.print(s.t("Coloană adăugată: ", "Column added: ") + "\(c.label) (--field \(c.key)=…)")
        }
    }
}
