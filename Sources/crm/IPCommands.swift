import ArgumentParser
import CRMCore
import CRMDocuments
import Foundation

/// `crm ip`: the addresses sessions may come from (administrators).
struct IPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ip", abstract: "The allowed IP addresses and ranges (administrators); `crm user ip` gives them to users.",
        subcommands: [List.self, Add.self, Remove.self, Local.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the allowed addresses and ranges.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let s = try Session.open(database)
            let rules = try s.crm.ipRules()
            if output.json {
                s.printJSON(.array(rules.map { .object([("name", .string($0.name)), ("address", .string($0.address))]) }))
                return
            }
            s.print(TextTable(headers: [s.t("Nume", "Name"), s.t("Adresă", "Address")], rows: rules.map { [$0.name, $0.address] }).render())
            s.print(try s.crm.localSessionsAllowed()
                    ? s.t("Sesiunile locale sunt permise tuturor.", "Local sessions are allowed to everyone.")
                    : s.t("Sesiunile locale sunt refuzate utilizatorilor cu adrese permise.",
                          "Local sessions are refused to users with allowed addresses."))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an address or CIDR range (IPv4 or IPv6) under a name.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A name (Sediu, VPN…).") var name: String
        @Argument(help: "10.0.0.7, 192.168.1.0/24, 2001:db8::/32…") var address: String

        func run() throws {
            let s = try Session.open(database)
            let rule = try s.crm.addIPRule(name: name, address: address, by: s.actor)
            s.print(s.t("Adresă permisă: \(rule.name) \(rule.address)", "Allowed address: \(rule.name) \(rule.address)"))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an entry (from every user too).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The name.") var name: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.removeIPRule(name, by: s.actor)
            s.print(s.t("Adresă ștearsă: \(name)", "Address removed: \(name)"))
        }
    }

    struct Local: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "allow or restrict: whether users with allowed addresses may work from a local session.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "allow or restrict.") var choice: String

        func run() throws {
            let s = try Session.open(database)
            guard ["allow", "restrict"].contains(choice) else {
                throw CLIError(message: Localized(ro: "«\(choice)»: alegeți allow sau restrict", en: "«\(choice)»: choose allow or restrict"))
            }
            try s.crm.setLocalSessionsAllowed(choice == "allow", by: s.actor)
            s.print(choice == "allow" ? s.t("Sesiunile locale sunt permise.", "Local sessions are allowed.")
                    : s.t("Sesiunile locale sunt refuzate utilizatorilor cu adrese permise.",
                          "Local sessions are refused to users with allowed addresses."))
        }
    }
}

extension UserCommand {
    /// `crm user ip LOGIN [NAME...]`: the entries a user may connect from.
    struct IP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ip", abstract: "Set the addresses (names from `crm ip list`) a user may connect from; none: anywhere.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The login.") var login: String
        @Argument(help: "The names of the allowed entries.") var names: [String] = []

        func run() throws {
            let s = try Session.open(database)
            try s.crm.setUserIPRules(login, names, by: s.actor)
            s.print(names.isEmpty ? s.t("\(login) poate lucra de oriunde.", "\(login) may work from anywhere.")
                    : s.t("\(login) poate lucra doar de la: \(names.joined(separator: ", "))",
                          "\(login) may only work from: \(names.joined(separator: ", "))"))
        }
    }
}
