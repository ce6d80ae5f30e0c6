import CRMStore
import CRMText
import Foundation

/// Romanian localities and where they are (`sample-data/localitati.tsv`, from
/// GeoNames): a locality and its county give coordinates, offline.
public struct Gazetteer: Sendable {
    public struct Place: Sendable, Equatable {
        public let name: String
        public let county: String
        public let point: GeoPoint
        public let population: Int
    }

    /// What an address came to.
    public enum Match: Sendable, Equatable {
        case found(Place)
        /// Several localities of that name and no county to choose between them.
        case ambiguous([Place])
        case unknown
    }

    /// The places by their folded name, the most populous first.
    let byName: [String: [Place]]
    public let count: Int

    /// Reads the gazetteer's lines: locality, county, latitude, longitude, population (tab-separated, `#` comments).
    public init(text: String) {
        var byName: [String: [Place]] = [:]
        var count = 0
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4, let lat = Double(f[2]), let lon = Double(f[3]) else { continue }
            byName[Self.key(f[0]), default: []].append(Place(name: f[0], county: f[1], point: GeoPoint(latitude: lat, longitude: lon),
                                                              population: f.count > 4 ? Int(f[4]) ?? 0 : 0))
            count += 1
        }
        self.byName = byName.mapValues { $0.sorted { $0.population > $1.population } }
        self.count = count
    }

    public init(contentsOf url: URL) throws {
        self.init(text: try String(contentsOf: url, encoding: .utf8))
    }

    /// The gazetteer shipped in `sample-data/` (`$CRM_SAMPLE_DATA`, beside the source tree, or installed), read once.
    public static func shipped() -> Gazetteer? { shippedOnce }
    private static let shippedOnce: Gazetteer? = {
        guard let dir = ResourceDirectory.locate("sample-data", containing: "localitati.tsv", variable: "CRM_SAMPLE_DATA") else { return nil }
        return try? Gazetteer(contentsOf: dir.appendingPathComponent("localitati.tsv"))
    }()

    /// A name as compared: folded, hyphens as spaces, "Municipiul"/"Orașul"/"Comuna"/"Județul" left off.
    static func key(_ text: String) -> String {
        var k = Fold.key(text.replacingOccurrences(of: "-", with: " "))
        for prefix in ["municipiul ", "mun. ", "orasul ", "oras ", "comuna ", "com. ", "satul ", "sat ", "judetul ", "jud. ", "jud "] where k.hasPrefix(prefix) {
            k = String(k.dropFirst(prefix.count))
        }
        return k
    }

    /// The places of at least this many people (a map's landmarks), the most populous first.
    public func places(minimumPopulation: Int) -> [Place] {
        byName.values.flatMap { $0 }.filter { $0.population >= minimumPopulation }.sorted { $0.population > $1.population }
    }

    /// Where a locality is: of its county when one is given, else the only one of
    /// that name (several of them: ambiguous).
    public func locate(locality: String, county: String?) -> Match {
        let candidates = byName[Self.key(locality)] ?? []
        if let county, !county.trimmingCharacters(in: .whitespaces).isEmpty {
            let countyKey = Self.key(county)
            return candidates.first { Self.key($0.county) == countyKey }.map { .found($0) } ?? .unknown
        }
        switch candidates.count {
        case 0: return .unknown
        case 1: return .found(candidates[0])
        default: return .ambiguous(candidates)
        }
    }
}

/// One client to visit: the work item, its account and where it is.
public struct VisitStop: Sendable {
    public let item: WorkItemDetails
    public let point: GeoPoint
    /// How it was found: the account's own coordinates, or its locality in the gazetteer.
    public let located: Localized
    public var account: AccountRecord { item.account }
    public var address: String { [item.account.address, item.account.city, item.account.county].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ") }
}

/// An account that could not be placed on the map, and why.
public struct UnresolvedVisit: Sendable {
    public let item: WorkItemDetails
    public let reason: Localized
    public var address: String { [item.account.address, item.account.city, item.account.county].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ") }
}

/// A day's (or an interval's) visits in the shortest order found, from a start.
public struct VisitPlan: Sendable {
    public let start: GeoPoint
    public let startLabel: String
    /// The stops in visiting order; `legs[i]` is the distance to stop i from the one before (or the start).
    public let stops: [VisitStop]
    public let legs: [Double]
    public let returning: Bool
    /// Kilometres in all, as the crow flies (back to the start when returning).
    public let length: Double
    /// Whether the order is proven shortest.
    public let exact: Bool
    public let unresolved: [UnresolvedVisit]

    /// The route in OpenStreetMap: each leg's directions (start to first stop, and so on).
    public var legLinks: [String] {
        let points = [start] + stops.map(\.point) + (returning && !stops.isEmpty ? [start] : [])
        return zip(points, points.dropFirst()).map { Self.directions(from: $0.0, to: $0.1) }
    }

    static func directions(from a: GeoPoint, to b: GeoPoint) -> String {
        func c(_ p: GeoPoint) -> String { String(format: "%.5f%%2C%.5f", p.latitude, p.longitude) }
        return "https://www.openstreetmap.org/directions?engine=fossgis_osrm_car&route=\(c(a))%3B\(c(b))"
    }

    /// The whole route on OpenStreetMap's map: its bounding box.
    public var mapLink: String {
        let all = [start] + stops.map(\.point)
        let lats = all.map(\.latitude), lons = all.map(\.longitude)
        let pad = 0.02
        return String(format: "https://www.openstreetmap.org/?minlon=%.4f&minlat=%.4f&maxlon=%.4f&maxlat=%.4f",
                      lons.min()! - pad, lats.min()! - pad, lons.max()! + pad, lats.max()! + pad)
    }
}

extension CRM {
    /// Harta vizitelor (DSH-10): the open opportunities and activities of these
    /// users (the actor when none) falling due between two days — of some types
    /// only (Vizită, Întâlnire…) when given —, each account
    /// placed by its own coordinates or its locality in the gazetteer — those
    /// that cannot be are listed, never dropped — and visited in the shortest
    /// order found from `start` (the company's locality when nil).
    public func visitPlan(users: [String] = [], kinds: [WorkItemKind] = WorkItemKind.allCases, types: [String] = [], from: String, to: String? = nil,
                          start: (point: GeoPoint, label: String)? = nil, returning: Bool = false, gazetteer: Gazetteer,
                          for actor: Actor) throws -> VisitPlan {
        guard let first = FieldRules.date(from) else { throw CoreError.invalid([.init(field: "date", value: from, reason: .invalidDate)]) }
        guard let last = FieldRules.date(to ?? from), last >= first else {
            throw CoreError.invalid([.init(field: "to", value: to ?? "", reason: .invalidDate)])
        }
        let logins = users.isEmpty ? [actor.login] : users
        var items: [WorkItemDetails] = []
        for kind in kinds {
            try policy.authorize(actor, .view, kind.module)
            for login in logins {
                items += try workItems(WorkItemView(kind, owner: login, order: WorkItemOrder(.due), dueFrom: first, dueTo: last), limit: 0, for: actor)
                    .filter { item in !item.stage.isWon && !item.stage.isLost
                        && (types.isEmpty || types.contains { Fold.key($0) == Fold.key(item.record.type ?? "") }) }
            }
        }
        // One stop per account: several items on one client are one visit.
        var seen = Set<Int64>()
        items = items.filter { seen.insert($0.account.meta!.id).inserted }
        var stops: [VisitStop] = [], unresolved: [UnresolvedVisit] = []
        for item in items {
            if let text = item.account.coordinates, let point = GeoPoint(text: text) {
                stops.append(VisitStop(item: item, point: point, located: Localized(ro: "coordonatele contului", en: "the account's coordinates")))
                continue
            }
            guard let city = item.account.city, !city.trimmingCharacters(in: .whitespaces).isEmpty else {
                unresolved.append(UnresolvedVisit(item: item, reason: Localized(ro: "fără localitate și fără coordonate", en: "no locality and no coordinates")))
                continue
            }
            switch gazetteer.locate(locality: city, county: item.account.county) {
            case .found(let place):
                stops.append(VisitStop(item: item, point: place.point,
                                       located: Localized(ro: "localitatea \(place.name), \(place.county)", en: "the locality \(place.name), \(place.county)")))
            case .ambiguous(let places):
                unresolved.append(UnresolvedVisit(item: item, reason: Localized(
                    ro: "«\(city)» este în mai multe județe (\(places.prefix(4).map(\.county).joined(separator: ", "))): completați județul",
                    en: "«\(city)» is in several counties (\(places.prefix(4).map(\.county).joined(separator: ", "))): fill in the county")))
            case .unknown:
                unresolved.append(UnresolvedVisit(item: item, reason: Localized(
                    ro: "localitatea «\(city)»\(item.account.county.map { ", \($0)," } ?? "") nu e în lista localităților: completați coordonatele contului",
                    en: "the locality «\(city)»\(item.account.county.map { ", \($0)," } ?? "") is not in the gazetteer: fill in the account's coordinates")))
            }
        }
        let (origin, label) = try start ?? companyLocation(gazetteer)
        let plan = RoutePlanner.plan(start: origin, stops: stops.map(\.point), returning: returning)
        let ordered = plan.order.map { stops[$0] }
        let points = [origin] + ordered.map(\.point)
        let legs = zip(points, points.dropFirst()).map { $0.0.distance(to: $0.1) }
        return VisitPlan(start: origin, startLabel: label, stops: ordered, legs: legs, returning: returning, length: plan.length,
                         exact: plan.exact, unresolved: unresolved)
    }

    /// The company's own place (Setări firmă: its coordinates, else its locality), the route's default start.
    func companyLocation(_ gazetteer: Gazetteer) throws -> (point: GeoPoint, label: String) {
        let profile = try companyProfile()
        if let city = profile[.city], case .found(let place) = gazetteer.locate(locality: city, county: profile[.county]) {
            return (place.point, [profile[.name], place.name].compactMap { $0 }.joined(separator: ", "))
        }
        throw CoreError.refused(Localized(ro: "nu știu de unde pleacă traseul: dați un punct de plecare sau completați localitatea firmei (Setări firmă)",
                                          en: "the route has no start: give one, or fill in the company's locality (company settings)"))
    }
}
