import ArgumentParser
import CRMCore
import CRMDocuments
import Foundation

/// `crm zone`: the zones accounts belong to; `crm user zones` limits users to them.
struct ZoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone", abstract: "The zones accounts belong to (administrators add them); `crm user zones` limits users to some.",
        subcommands: [List.self, Add.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the zones, with the users limited to each.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let s = try Session.open(database)
            let zones = try s.crm.zones()
            var users: [String: [String]] = [:]
            for user in try s.crm.users() {
                for zone in try s.crm.userZones(user.login) ?? [] { users[zone, default: []].append(user.login) }
            }
            if output.json {
                s.printJSON(.array(zones.map { .object([("name", .string($0.name)),
                                                        ("users", .array((users[$0.name] ?? []).map { .string($0) }))]) }))
                return
            }
            s.print(TextTable(headers: [s.t("Zonă", "Zone"), s.t("Utilizatori limitați la ea", "Users limited to it")],
                              rows: zones.map { [$0.name, (users[$0.name] ?? []).joined(separator: ", ")] }).render())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a zone.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The zone's name (Transilvania, Moldova…).") var name: String

        func run() throws {
            let s = try Session.open(database)
            let zone = try s.crm.addZone(name: name, by: s.actor)
            s.print(s.t("Zonă adăugată: \(zone.name)", "Zone added: \(zone.name)"))
        }
    }
}

extension UserCommand {
    struct Zones: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "zones",
            abstract: "Show or set the zones a user is limited to: they see only those zones' accounts, and what hangs off them.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The login.") var login: String
        @Argument(help: "The zones; none with --all.") var zones: [String] = []
        @Flag(help: "No limit: every account.") var all = false

        func run() throws {
            let s = try Session.open(database)
            var withoutZone = 0
            if all { withoutZone = try s.crm.setUserZones(login, nil, by: s.actor) } else if !zones.isEmpty {
                withoutZone = try s.crm.setUserZones(login, zones, by: s.actor)
            }
            let current = try s.crm.userZones(login)
            s.print(current.map { s.t("Zonele lui \(login): ", "Zones of \(login): ") + $0.joined(separator: ", ") }
                    ?? s.t("\(login): toate conturile, fără limită de zonă", "\(login): every account, no zone limit"))
            if withoutZone > 0 {
                s.print(s.t("Atenție: \(withoutZone) conturi nu au zonă; utilizatorii limitați la zone nu le văd, iar zona le devine obligatorie la următoarea modificare.",
                            "Note: \(withoutZone) accounts have no zone; users limited to zones do not see them, and the zone becomes mandatory at their next change."))
            }
        }
    }
}
