import CRMCore
import CRMText
import Foundation

/// The visit route as a printed document (DSH-10): the map with the route and
/// the numbered stops (towns around for orientation), the stops in order with
/// their distances, each leg's link to OpenStreetMap's directions, and the
/// clients that could not be placed.
public enum VisitRouteDocument {
    public static func document(_ plan: VisitPlan, title: String, gazetteer: Gazetteer?, company: String, language: Language) -> PrintDocument {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        var marks = [PrintMap.Mark(latitude: plan.start.latitude, longitude: plan.start.longitude, label: plan.startLabel, kind: .start)]
        marks += plan.stops.enumerated().map { PrintMap.Mark(latitude: $0.element.point.latitude, longitude: $0.element.point.longitude,
                                                             label: "\($0.offset + 1)", kind: .stop) }
        let path = Array(0..<marks.count) + (plan.returning && !plan.stops.isEmpty ? [0] : [])
        // Towns around, for orientation: the larger ones that fall on the map.
        let landmarks = (gazetteer?.places(minimumPopulation: 15_000) ?? []).map {
            PrintMap.Mark(latitude: $0.point.latitude, longitude: $0.point.longitude, label: $0.name, kind: .place)
        }
        var blocks: [PrintBlock] = [
            .paragraph(RichText(title, bold: true), size: 14),
            .paragraph(RichText(t("Plecare: ", "Start: ") + plan.startLabel + " (" + plan.start.text + ")"), size: 9),
            .map(PrintMap(marks: landmarks + marks, path: path.map { $0 + landmarks.count }), height: 380),
        ]
        var total = 0.0
        let rows = plan.stops.enumerated().map { index, stop -> [String] in
            total += plan.legs[index]
            return ["\(index + 1)", stop.account.name, stop.address, stop.item.kind.singular.text(language) + (stop.item.record.type.map { " · " + $0 } ?? ""),
                    Self.km(plan.legs[index]), Self.km(total)]
        }
        blocks.append(.table(PrintTable(columns: [
            .init("#", weight: 0.5, alignment: .right), .init(t("Client", "Client"), weight: 3), .init(t("Adresă", "Address"), weight: 3.5),
            .init(t("Ce", "What"), weight: 2), .init("km", weight: 1, alignment: .right), .init(t("Total km", "Total km"), weight: 1.2, alignment: .right),
        ], rows: rows)))
        blocks.append(.totals([(t("Distanță în linie dreaptă", "Distance as the crow flies"), Self.km(plan.length) + " km"),
                               (t("Ordine", "Order"), plan.exact ? t("cea mai scurtă (exactă)", "the shortest (exact)")
                                                                 : t("aproape cea mai scurtă (euristică)", "near the shortest (heuristic)"))],
                              emphasiseLast: false))
        blocks.append(.paragraph(RichText(t("Traseul în OpenStreetMap, pe etape:", "The route in OpenStreetMap, leg by leg:"), bold: true), size: 9))
        let names = [plan.startLabel] + plan.stops.map(\.account.name) + (plan.returning && !plan.stops.isEmpty ? [plan.startLabel] : [])
        for (i, link) in plan.legLinks.enumerated() {
            blocks.append(.link("\(i + 1). \(names[i]) → \(names[i + 1])", url: link, size: 8.5))
        }
        if !plan.unresolved.isEmpty {
            blocks.append(.space(8))
            blocks.append(.paragraph(RichText(t("Nelocalizați (nu sunt pe hartă)", "Not located (not on the map)"), bold: true), size: 10))
            blocks.append(.table(PrintTable(columns: [.init(t("Client", "Client"), weight: 3), .init(t("Adresă", "Address"), weight: 3),
                                                      .init(t("Motiv", "Reason"), weight: 4)],
                                            rows: plan.unresolved.map { [$0.item.account.name, $0.address, $0.reason.text(language)] })))
        }
        return PrintDocument(title: title, blocks: blocks, footer: company, language: language)
    }

    static func km(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        return text.replacingOccurrences(of: ".", with: ",")
    }
}
