import ArgumentParser
import CRMCore
import CRMDocuments

struct ColumnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "column",
        abstract: "Custom columns (Coloane personalizate); adding one needs an administrator.",
        subcommands: [List.self, Add.self, Rename.self, Retire.self, Restore.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the custom columns of an entity.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "account, contact, opportunity or activity.") var entity = "account"
        @Flag(help: "Also the retired columns.") var all = false

        func run() throws {
            let s = try Session.open(database)
            let columns = all ? try s.crm.allCustomColumns(entity: entity, for: s.actor) : try s.crm.customColumns(entity: entity, for: s.actor)
            if output.json {
                s.printJSON(.array(columns.map { c in
                    .object([("key", .string(c.key)), ("label", .string(c.label)), ("type", .string(c.type)),
                             ("choices", .array(CustomColumns.choices(of: c).map(JSONDocument.string))),
                             ("mandatory", .bool(c.mandatory)), ("unique", .bool(c.isUnique)), ("retired", .bool(c.retired))])
                }))
                return
            }
            s.print(TextTable(
                headers: [s.t("Cheie", "Key"), s.t("Denumire", "Label"), s.t("Tip", "Type"), s.t("Valori", "Choices"),
                          s.t("Obligatoriu", "Mandatory"), s.t("Unic", "Unique"), s.t("Retrasă", "Retired")],
                rows: columns.map { c in
                    [c.key, c.label, (CustomColumnType(rawValue: c.type)?.label.text(s.lang)) ?? c.type,
                     CustomColumns.choices(of: c).joined(separator: ", "), c.mandatory ? "✓" : "", c.isUnique ? "✓" : "",
                     c.retired ? "✓" : ""]
                }).render())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a custom column.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "account, contact, opportunity or activity.") var entity = "account"
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

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a custom column (its values stay).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "account, contact, opportunity or activity.") var entity = "account"
        @Argument(help: "The column's key or name.") var key: String
        @Option(help: "The new name.") var label: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.renameCustomColumn(entity: entity, key: key, to: label, by: s.actor)
            s.print(s.t("Coloană redenumită: \(label)", "Column renamed: \(label)"))
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire a custom column: it leaves forms, tables, filters and exports; its values are kept.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "account, contact, opportunity or activity.") var entity = "account"
        @Argument(help: "The column's key or name.") var key: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.retireCustomColumn(entity: entity, key: key, by: s.actor)
            s.print(s.t("Coloană retrasă: \(key) (crm column restore o aduce înapoi)", "Column retired: \(key) (crm column restore brings it back)"))
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bring a retired custom column back, with its values.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "account, contact, opportunity or activity.") var entity = "account"
        @Argument(help: "The column's key or name.") var key: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.retireCustomColumn(entity: entity, key: key, retired: false, by: s.actor)
            s.print(s.t("Coloană readusă: \(key)", "Column restored: \(key)"))
        }
    }
}

/// `crm field`: the administrator's rules on fields (mandatory, unique).
struct FieldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "field",
        abstract: "Rules on the accounts' fields: mandatory, unique (administrators).",
        subcommands: [List.self, Rule.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the fields that have a rule.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let s = try Session.open(database)
            let rules = try s.crm.fieldRules(entity: "account", for: s.actor)
            s.print(TextTable(headers: [s.t("Câmp", "Field"), s.t("Obligatoriu", "Mandatory"), s.t("Unic", "Unique")],
                              rows: rules.map { [$0.field, $0.mandatory ? "✓" : "", $0.unique ? "✓" : ""] }).render())
        }
    }

    struct Rule: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a field's rule (a standard field such as email, or custom.KEY).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The field: code, name, email, phone… or custom.KEY.") var field: String
        @Option(help: "yes or no.") var mandatory: String = "no"
        @Option(help: "yes or no.") var unique: String = "no"

        func run() throws {
            let s = try Session.open(database)
            func flag(_ v: String, _ name: String) throws -> Bool {
                switch v.lowercased() {
                case "yes", "da", "true", "1": return true
                case "no", "nu", "false", "0": return false
                default: throw CLIError(message: Localized(ro: "--\(name) «\(v)»: scrieți yes sau no", en: "--\(name) «\(v)»: write yes or no"))
                }
            }
            try s.crm.setFieldRule(entity: "account", field: field, mandatory: try flag(mandatory, "mandatory"),
                                   unique: try flag(unique, "unique"), by: s.actor)
            s.print(s.t("Regulă salvată: \(field)", "Rule saved: \(field)"))
        }
    }
}
