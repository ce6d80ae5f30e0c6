import ArgumentParser
import CRMCore
import CRMDocuments
import Foundation

/// `crm route`: the visiting route of a day (DSH-10).
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "The shortest visiting route through the clients whose open opportunities and activities fall due that day (or up to --to).",
        discussion: """
            Each client is placed by its own coordinates (crm account edit --coordinates), else by its locality and county in the \
            gazetteer of Romanian localities (sample-data/localitati.tsv, GeoNames); those that cannot be are listed, never dropped. \
            Up to 12 stops the order is the shortest there is (Held–Karp); beyond, nearest neighbour improved by 2-opt and or-opt. \
            Distances are as the crow flies.
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Whose clients (login; repeatable; default: you).") var user: [String] = []
    @Option(help: "The day (YYYY-MM-DD or DD.MM.YYYY; default today).") var date: String?
    @Option(help: "The last day, for several days' visits.") var to: String?
    @Option(help: "Only opportunities or only activities.") var kind: WorkItemKind?
    @Option(help: "Only items of this type (Vizită, Întâlnire…; repeatable).") var type: [String] = []
    @Option(help: "Where the route starts: \"latitude, longitude\" or a locality (\"Cluj-Napoca, Cluj\"); default: the company's locality.")
    var start: String?
    @Flag(name: .customLong("return"), help: "Back to the start at the end.") var returning = false
    @Option(help: "Also print it, with its map, to this PDF file.") var pdf: String?

    func run() throws {
        let s = try Session.open(database)
        guard let gazetteer = Gazetteer.shipped() else {
            throw CLIError(message: Localized(ro: "nu găsesc lista localităților (sample-data/localitati.tsv); dați calea în $CRM_SAMPLE_DATA",
                                              en: "cannot find the gazetteer (sample-data/localitati.tsv); give its folder in $CRM_SAMPLE_DATA"))
        }
        let origin = try start.map { try Self.place($0, gazetteer: gazetteer) }
        let plan = try s.crm.visitPlan(users: user, kinds: kind.map { [$0] } ?? WorkItemKind.allCases, types: type, from: date ?? String(Timestamp.local(s.crm.store.now).prefix(10)),
                                       to: to, start: origin, returning: returning, gazetteer: gazetteer, for: s.actor)
        let startLabel = plan.startLabel
        if let pdf {
            let title = s.t("Traseu vizite", "Visit route") + " · " + (user.isEmpty ? s.actor.login : user.joined(separator: ", ")) + " · "
                + (date ?? String(Timestamp.local(s.crm.store.now).prefix(10))) + (to.map { " – " + $0 } ?? "")
            let company = (try? s.crm.companyProfile()[.name]) ?? nil
            try PDFWriter().write(VisitRouteDocument.document(plan, title: title, gazetteer: gazetteer, company: company ?? "", language: s.lang), to: pdf)
        }
        if output.json {
            var total = 0.0
            s.printJSON(.object([
                ("start", .object([("label", .string(startLabel)), ("latitude", .number(Self.degrees(plan.start.latitude))),
                                   ("longitude", .number(Self.degrees(plan.start.longitude)))])),
                ("stops", .array(plan.stops.enumerated().map { i, stop in
                    total += plan.legs[i]
                    return .object([("order", .int(Int64(i + 1))), ("account", .string(stop.account.name)), ("code", .optional(stop.account.code)),
                                    ("item", .string(stop.item.uuid)), ("kind", .string(stop.item.kind.rawValue)), ("due", .optional(stop.item.record.dueDate)),
                                    ("address", .string(stop.address)), ("latitude", .number(Self.degrees(stop.point.latitude))),
                                    ("longitude", .number(Self.degrees(stop.point.longitude))), ("located", .string(stop.located.text(s.lang))),
                                    ("legKm", .number(Self.km(plan.legs[i]))), ("totalKm", .number(Self.km(total)))])
                })),
                ("returning", .bool(plan.returning)),
                ("lengthKm", .number(Self.km(plan.length))),
                ("exact", .bool(plan.exact)),
                ("unresolved", .array(plan.unresolved.map { .object([("account", .string($0.item.account.name)), ("item", .string($0.item.uuid)),
                                                                     ("address", .string($0.address)), ("reason", .string($0.reason.text(s.lang)))]) })),
                ("links", .array(plan.legLinks.map(JSONDocument.string))),
            ]))
            return
        }
        var total = 0.0
        var rows: [[String]] = [["", s.t("Plecare", "Start") + ": " + startLabel, plan.start.text, "", ""]]
        for (i, stop) in plan.stops.enumerated() {
            total += plan.legs[i]
            rows.append(["\(i + 1)", stop.account.name, stop.address, Self.km(plan.legs[i]), Self.km(total)])
        }
        if plan.returning, let last = plan.stops.last {
            let back = last.point.distance(to: plan.start)
            rows.append(["↩", s.t("Înapoi la plecare", "Back to the start"), "", Self.km(back), Self.km(total + back)])
        }
        s.print(TextTable(headers: ["#", s.t("Client", "Client"), s.t("Adresă", "Address"), "km", s.t("total km", "total km")],
                          rows: rows, rightAligned: [0, 3, 4]).render())
        s.print(s.t("\(plan.stops.count) vizite, \(Self.km(plan.length)) km în linie dreaptă; ", "\(plan.stops.count) visits, \(Self.km(plan.length)) km as the crow flies; ")
                + (plan.exact ? s.t("ordinea cea mai scurtă (exactă)", "the shortest order (exact)") : s.t("ordine euristică", "a heuristic order")))
        if !plan.stops.isEmpty { s.print(s.t("Harta: ", "Map: ") + plan.mapLink) }
        if !plan.unresolved.isEmpty {
            s.print(s.t("Nelocalizați (\(plan.unresolved.count)):", "Not located (\(plan.unresolved.count)):"))
            for u in plan.unresolved { s.print("  " + u.item.account.name + " — " + u.reason.text(s.lang)) }
        }
        if let pdf { s.print(s.t("Traseul, cu harta: ", "The route, with its map: ") + pdf) }
    }

    /// A start typed as coordinates or as a locality ("Cluj-Napoca, Cluj").
    static func place(_ text: String, gazetteer: Gazetteer) throws -> (point: GeoPoint, label: String) {
        if let point = GeoPoint(text: text) { return (point, point.text) }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        switch gazetteer.locate(locality: parts.first ?? "", county: parts.count > 1 ? parts[1] : nil) {
        case .found(let place): return (place.point, place.name + ", " + place.county)
        case .ambiguous(let places):
            throw CLIError(message: Localized(ro: "«\(text)» este în mai multe județe (\(places.prefix(5).map(\.county).joined(separator: ", "))): adăugați județul după virgulă",
                                              en: "«\(text)» is in several counties (\(places.prefix(5).map(\.county).joined(separator: ", "))): add the county after a comma"))
        case .unknown:
            throw CLIError(message: Localized(ro: "nu găsesc «\(text)»: dați «latitudine, longitudine» sau «Localitate, Județ»",
                                              en: "cannot find «\(text)»: give «latitude, longitude» or «Locality, County»"))
        }
    }

    static func km(_ value: Double) -> String { String(format: "%.1f", value) }
    static func degrees(_ value: Double) -> String { String(format: "%.5f", value) }
}

extension WorkItemKind: ExpressibleByArgument {}
