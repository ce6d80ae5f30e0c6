import CRMCore
import CRMStore
import Foundation
import Testing

/// The visit route (DSH-10): distances, the exact order against every
/// permutation, the heuristic against known optima, the gazetteer, and a day's
/// visits placed by coordinates or locality with the rest listed.
@Suite struct RouteTests {
    static func points(_ n: Int, seed: UInt64) -> [GeoPoint] {
        var rng = Random(seed: seed)
        return (0..<n).map { _ in GeoPoint(latitude: Double.random(in: 44...48, using: &rng), longitude: Double.random(in: 21...28, using: &rng)) }
    }

    /// The shortest length over every order of the stops.
    static func bruteForce(start: GeoPoint, stops: [GeoPoint], returning: Bool) -> Double {
        var best = Double.infinity
        func walk(_ at: GeoPoint, _ left: [GeoPoint], _ sofar: Double) {
            if sofar >= best { return }
            if left.isEmpty { best = min(best, sofar + (returning ? at.distance(to: start) : 0)); return }
            for i in left.indices {
                var rest = left
                let next = rest.remove(at: i)
                walk(next, rest, sofar + at.distance(to: next))
            }
        }
        walk(start, stops, 0)
        return best
    }

    @Test func distancesAndCoordinatesAreReadAsPeopleWriteThem() {
        let cluj = GeoPoint(latitude: 46.76940, longitude: 23.58990), bucuresti = GeoPoint(latitude: 44.43225, longitude: 26.10626)
        // Cluj-Napoca to Bucharest: about 324 km as the crow flies.
        #expect(abs(cluj.distance(to: bucuresti) - 324) < 3 && cluj.distance(to: cluj) == 0)
        #expect(GeoPoint(text: "46.7694, 23.5899") == GeoPoint(latitude: 46.7694, longitude: 23.5899))
        #expect(GeoPoint(text: "46.7694;23.5899") != nil && GeoPoint(text: " 46.7694  23.5899 ") != nil)
        #expect(GeoPoint(text: "46,7694 23,5899") == GeoPoint(text: "46.7694,23.5899") && GeoPoint(text: "46,7694; 23,5899") != nil)
        #expect(GeoPoint(text: "46.7694") == nil && GeoPoint(text: "91, 23") == nil && GeoPoint(text: "Cluj") == nil && GeoPoint(text: "1, 2, 3") == nil)
        #expect(cluj.text == "46.76940, 23.58990")
    }

    @Test func theExactOrderIsTheShortestOfEveryPermutation() {
        for seed in 1...25 {
            let n = 1 + Int(seed % 8)
            let all = Self.points(n + 1, seed: UInt64(seed))
            for returning in [false, true] {
                let plan = RoutePlanner.plan(start: all[0], stops: Array(all.dropFirst()), returning: returning)
                let best = Self.bruteForce(start: all[0], stops: Array(all.dropFirst()), returning: returning)
                #expect(plan.exact && abs(plan.length - best) < 1e-6, "seed \(seed) n \(n) returning \(returning): \(plan.length) vs \(best)")
                #expect(plan.order.sorted() == Array(0..<n))
            }
        }
        // No stops, one stop.
        #expect(RoutePlanner.plan(start: Self.points(1, seed: 1)[0], stops: []).order.isEmpty)
        #expect(RoutePlanner.plan(start: Self.points(1, seed: 1)[0], stops: Self.points(1, seed: 2)).order == [0])
    }

    @Test func theHeuristicIsWithinAFewPercentOfTheOptimum() {
        // Twelve random stops, where Held–Karp knows the optimum: the heuristic on the same points.
        var worst = 0.0, sum = 0.0
        for seed in 1...30 {
            let all = Self.points(13, seed: UInt64(100 + seed))
            let exact = RoutePlanner.plan(start: all[0], stops: Array(all.dropFirst()), returning: true).length
            let heuristic = RoutePlanner.heuristicPlan(start: all[0], stops: Array(all.dropFirst()), returning: true).length
            #expect(heuristic >= exact - 1e-6)
            worst = max(worst, heuristic / exact)
            sum += heuristic / exact
        }
        #expect(worst < 1.08 && sum / 30 < 1.03, "worst \(worst), mean \(sum / 30)")
        // A 6 × 8 grid of stops 0.01° apart near the equator: the best round trip is 48 steps.
        var grid: [GeoPoint] = []
        for row in 0..<6 { for column in 0..<8 { grid.append(GeoPoint(latitude: Double(row) * 0.01, longitude: Double(column) * 0.01)) } }
        var rng = Random(seed: 7)
        let start = grid[0]
        let stops = Array(grid.dropFirst()).shuffled(using: &rng)
        let step = grid[0].distance(to: grid[1])
        let plan = RoutePlanner.plan(start: start, stops: stops, returning: true)
        #expect(!plan.exact && plan.length <= 48 * step * 1.05 && plan.length >= 48 * step * 0.999, "\(plan.length / step) steps")
        // Sixty stops on a circle, shuffled: the best round trip goes round it.
        let circle = (0..<60).map { i -> GeoPoint in
            let a = Double(i) / 60 * 2 * .pi
            return GeoPoint(latitude: 46 + 0.5 * sin(a), longitude: 25 + 0.7 * cos(a))
        }
        let perimeter = zip(circle, circle.dropFirst() + [circle[0]]).reduce(0.0) { $0 + $1.0.distance(to: $1.1) }
        let round = RoutePlanner.plan(start: circle[0], stops: Array(circle.dropFirst()).shuffled(using: &rng), returning: true)
        #expect(abs(round.length - perimeter) / perimeter < 0.01, "\(round.length) vs \(perimeter)")
    }

    @Test func theGazetteerFindsLocalitiesByCountyAndNamesTheDoubtful() throws {
        let gazetteer = Gazetteer(text: """
            # test
            Cluj-Napoca\tCluj\t46.76667\t23.60000\t324576
            Novaci\tGorj\t45.18333\t23.66667\t2697
            Novaci\tGiurgiu\t44.30109\t25.98632\t5431
            Chișineu-Criș\tArad\t46.52509\t21.51844\t8171
            """)
        #expect(gazetteer.count == 4)
        guard case .found(let cluj) = gazetteer.locate(locality: "cluj napoca", county: nil) else { Issue.record("Cluj"); return }
        #expect(cluj.point.latitude == 46.76667)
        guard case .found(let novaci) = gazetteer.locate(locality: "Novaci", county: "Județul Gorj") else { Issue.record("Novaci"); return }
        guard case .found = gazetteer.locate(locality: "Novaci", county: "Jud. Gorj") else { Issue.record("Jud."); return }
        #expect(novaci.county == "Gorj")
        guard case .ambiguous(let both) = gazetteer.locate(locality: "NOVACI", county: "") else { Issue.record("ambiguous"); return }
        #expect(both.map(\.county) == ["Giurgiu", "Gorj"])
        guard case .found = gazetteer.locate(locality: "Chisineu Cris", county: "Arad") else { Issue.record("folded"); return }
        #expect(gazetteer.locate(locality: "Novaci", county: "Cluj") == .unknown && gazetteer.locate(locality: "Atlantida", county: nil) == .unknown)
        // The shipped one knows every locality the demo uses.
        let shipped = try #require(Gazetteer.shipped())
        #expect(shipped.count > 7_000)
        let counties = try String(contentsOf: TestDatabase.sampleData.appendingPathComponent("counties.tsv"), encoding: .utf8)
        for line in counties.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t").map(String.init)
            for locality in f[4].split(separator: ",") {
                guard case .found = shipped.locate(locality: String(locality), county: f[0]) else { Issue.record("\(locality), \(f[0])"); continue }
            }
        }
    }

    @Test func aDaysVisitsArePlacedOrderedAndTheUnplacedListed() throws {
        let db = try TestDatabase()
        let gazetteer = Gazetteer(text: """
            Cluj-Napoca\tCluj\t46.76667\t23.60000\t324576
            Turda\tCluj\t46.56667\t23.78333\t47744
            Dej\tCluj\t47.14167\t23.87500\t33497
            Gherla\tCluj\t47.03333\t23.91667\t20982
            Novaci\tGorj\t45.18333\t23.66667\t2697
            Novaci\tGiurgiu\t44.30109\t25.98632\t5431
            """)
        let clients: [(String, String?, String?, String?)] = [
            ("Turda SRL", "Turda", "Cluj", nil), ("Dej SRL", "Dej", "Cluj", nil), ("Gherla SRL", "Gherla", nil, nil),
            ("Acasă SRL", "Satul Nou", "Cluj", "46.70000, 23.50000"), ("Novaci SRL", "Novaci", nil, nil), ("Nicăieri SRL", "Atlantida", "Cluj", nil),
            ("Fără adresă SRL", nil, nil, nil),
        ]
        for (name, city, county, coordinates) in clients {
            var fields: [AccountField: String] = [.name: name]
            if let city { fields[.city] = city }
            if let county { fields[.county] = county }
            if let coordinates { fields[.coordinates] = coordinates }
            try db.crm.addAccount(AccountInput(fields: fields), by: db.admin)
            try db.crm.addWorkItem(.activity, account: name, [.type: "Vizită", .dueDate: "2026-12-02", .owner: db.admin.login], by: db.admin)
        }
        // Another day's, and a closed one, are not visited.
        try db.crm.addWorkItem(.activity, account: "Turda SRL", [.dueDate: "2026-12-03"], by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.addAccount(AccountInput(fields: [.name: "X", .coordinates: "46.5"]), by: db.admin) }
        let start = (GeoPoint(latitude: 46.76667, longitude: 23.60000), "Sediu")
        let plan = try db.crm.visitPlan(from: "02.12.2026", start: start, gazetteer: gazetteer, for: db.admin)
        #expect(Set(plan.stops.map(\.account.name)) == ["Turda SRL", "Dej SRL", "Gherla SRL", "Acasă SRL"])
        #expect(plan.stops.first { $0.account.name == "Acasă SRL" }?.located.en == "the account's coordinates")
        #expect(Set(plan.unresolved.map(\.item.account.name)) == ["Novaci SRL", "Nicăieri SRL", "Fără adresă SRL"])
        #expect(plan.unresolved.first { $0.item.account.name == "Novaci SRL" }?.reason.en.contains("several counties") == true)
        let best = Self.bruteForce(start: start.0, stops: plan.stops.map(\.point), returning: false)
        #expect(plan.exact && abs(plan.length - best) < 1e-6 && abs(plan.legs.reduce(0, +) - plan.length) < 1e-6)
        #expect(plan.startLabel == "Sediu" && plan.legLinks.count == 4 && plan.legLinks[0].hasPrefix("https://www.openstreetmap.org/directions?"))
        // Without a start, the company's locality; without one, a clear refusal.
        #expect(throws: CoreError.self) { try db.crm.visitPlan(from: "2026-12-02", gazetteer: gazetteer, for: db.admin) }
        try db.crm.setCompanyProfile([.name: "Firma SRL", .city: "Cluj-Napoca", .county: "Cluj"], by: db.admin)
        #expect(try db.crm.visitPlan(from: "2026-12-02", gazetteer: gazetteer, for: db.admin).startLabel == "Firma SRL, Cluj-Napoca")
    }
}
