import Foundation

/// A place on the Earth, in WGS 84 degrees.
public struct GeoPoint: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// "46.77, 23.59" as people write it: latitude then longitude, separated by
    /// a comma, a semicolon or spaces — with decimal commas when spaces or a
    /// semicolon separate them ("46,77 23,59", "46,77; 23,59"); nil when it is
    /// not two numbers on the Earth.
    public init?(text: String) {
        var parts = text.split(whereSeparator: { $0 == ";" || $0.isWhitespace }).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
            .filter { !$0.isEmpty }
        if parts.count == 1 { parts = parts[0].split(separator: ",").map(String.init) }
        guard parts.count == 2, let lat = Double(parts[0].replacingOccurrences(of: ",", with: ".")),
              let lon = Double(parts[1].replacingOccurrences(of: ",", with: ".")),
              lat.isFinite, lon.isFinite, (-90...90).contains(lat), (-180...180).contains(lon) else { return nil }
        self.init(latitude: lat, longitude: lon)
    }

    /// As it is stored and shown: five decimals (about a metre).
    public var text: String { String(format: "%.5f, %.5f", latitude, longitude) }

    /// The great-circle distance in kilometres (haversine, the Earth's mean radius).
    public func distance(to other: GeoPoint) -> Double {
        let r = 6371.0088
        let (φ1, φ2) = (latitude * .pi / 180, other.latitude * .pi / 180)
        let dφ = φ2 - φ1, dλ = (other.longitude - longitude) * .pi / 180
        let a = sin(dφ / 2) * sin(dφ / 2) + cos(φ1) * cos(φ2) * sin(dλ / 2) * sin(dλ / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }
}

/// The shortest visiting route: from a start through every stop (and back to
/// the start when asked). Exact up to `exactLimit` stops (Held–Karp dynamic
/// programming over the subsets), beyond that nearest neighbour improved by
/// 2-opt and or-opt moves until none shortens it.
public enum RoutePlanner {
    public static let exactLimit = 12

    public struct Plan: Sendable, Equatable {
        /// The stops' indexes in visiting order.
        public let order: [Int]
        /// Kilometres, start to last stop (and back when returning).
        public let length: Double
        /// Whether the order is proven shortest (Held–Karp) or a heuristic's.
        public let exact: Bool
    }

    public static func plan(start: GeoPoint, stops: [GeoPoint], returning: Bool = false) -> Plan {
        let points = [start] + stops
        let d = points.map { a in points.map { a.distance(to: $0) } }
        let path = stops.count <= exactLimit ? exact(d, returning: returning) : heuristic(d, returning: returning)
        return Plan(order: path.dropFirst().map { $0 - 1 }, length: length(path, d, returning: returning), exact: stops.count <= exactLimit)
    }

    /// The heuristic's order whatever the number of stops (to measure it against the exact one).
    public static func heuristicPlan(start: GeoPoint, stops: [GeoPoint], returning: Bool = false) -> Plan {
        let points = [start] + stops
        let d = points.map { a in points.map { a.distance(to: $0) } }
        let path = heuristic(d, returning: returning)
        return Plan(order: path.dropFirst().map { $0 - 1 }, length: length(path, d, returning: returning), exact: false)
    }

    /// The length of a path of nodes (node 0 the start, first) over distances `d`.
    static func length(_ path: [Int], _ d: [[Double]], returning: Bool) -> Double {
        var total = zip(path, path.dropFirst()).reduce(0.0) { $0 + d[$1.0][$1.1] }
        if returning, let last = path.last { total += d[last][path[0]] }
        return total
    }

    /// Held–Karp: the shortest path from node 0 through nodes 1…n; `best[set][j]`
    /// is the shortest from 0 through the stops in `set` ending at stop j.
    static func exact(_ d: [[Double]], returning: Bool) -> [Int] {
        let n = d.count - 1
        guard n > 1 else { return Array(0...n) }
        let full = (1 << n) - 1
        var best = [Double](repeating: .infinity, count: (full + 1) * n)
        var previous = [Int8](repeating: -1, count: (full + 1) * n)
        for j in 0..<n { best[(1 << j) * n + j] = d[0][j + 1] }
        for set in 1...full {
            for j in 0..<n where set & (1 << j) != 0 {
                let here = best[set * n + j]
                guard here < .infinity else { continue }
                for k in 0..<n where set & (1 << k) == 0 {
                    let next = set | (1 << k)
                    let candidate = here + d[j + 1][k + 1]
                    if candidate < best[next * n + k] {
                        best[next * n + k] = candidate
                        previous[next * n + k] = Int8(j)
                    }
                }
            }
        }
        var end = 0
        var shortest = Double.infinity
        for j in 0..<n {
            let total = best[full * n + j] + (returning ? d[j + 1][0] : 0)
            if total < shortest { shortest = total; end = j }
        }
        var path: [Int] = []
        var (set, j) = (full, end)
        while j >= 0 {
            path.append(j + 1)
            let p = Int(previous[set * n + j])
            set &= ~(1 << j)
            j = p
        }
        return [0] + path.reversed()
    }

    /// Nearest neighbour, improved by 2-opt and or-opt moves; then kicked out of
    /// its local optimum (a "double bridge": the stops cut in four runs, the
    /// middle two swapped) and improved again, keeping the shortest — a number
    /// of times that falls as the stops grow (120 up to 50 stops, none beyond
    /// 400), from a fixed seed, so the same stops give the same route.
    static func heuristic(_ d: [[Double]], returning: Bool) -> [Int] {
        var path = [0]
        var left = Set(1..<d.count)
        while let next = left.min(by: { d[path.last!][$0] < d[path.last!][$1] || (d[path.last!][$0] == d[path.last!][$1] && $0 < $1) }) {
            path.append(next)
            left.remove(next)
        }
        var best = improve(path, d, returning: returning)
        var bestLength = length(best, d, returning: returning)
        let n = d.count - 1
        guard n >= 8 else { return best }
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        // Each kick costs a local search (about n² moves): many for a day's visits, few for hundreds of stops.
        let kicks = n <= 50 ? 120 : n <= 150 ? 20 : n <= 400 ? 3 : 0
        for _ in 0..<kicks {
            var cuts = Set<Int>()
            // Cut points among the stops (1…n): any of them may move, the first too.
            while cuts.count < 3 { cuts.insert(1 + random(n)) }
            let c = cuts.sorted()
            let kicked = Array(best[..<c[0]]) + best[c[1]..<c[2]] + best[c[0]..<c[1]] + best[c[2]...]
            let candidate = improve(kicked, d, returning: returning)
            let candidateLength = length(candidate, d, returning: returning)
            if candidateLength < bestLength - 1e-9 { best = candidate; bestLength = candidateLength }
        }
        return best
    }

    /// 2-opt and or-opt moves while one shortens the path (its start fixed).
    static func improve(_ start: [Int], _ d: [[Double]], returning: Bool) -> [Int] {
        var path = start
        // The cost of the edge from a to b; b nil past the path's end (back to the start when returning).
        func edge(_ a: Int, _ b: Int?) -> Double { b.map { d[a][$0] } ?? (returning ? d[a][0] : 0) }
        var improved = true
        while improved {
            improved = false
            // 2-opt: reverse path[i...k].
            for i in 1..<path.count {
                for k in i + 1..<max(i + 1, path.count) {
                    let after = k + 1 < path.count ? path[k + 1] : nil
                    let delta = d[path[i - 1]][path[k]] + edge(path[i], after) - d[path[i - 1]][path[i]] - edge(path[k], after)
                    if delta < -1e-9 {
                        path[i...k].reverse()
                        improved = true
                    }
                }
            }
            // Or-opt: move a run of one to three stops elsewhere, either way round.
            for run in 1...3 {
                var i = 1
                while i + run <= path.count {
                    let segment = Array(path[i..<i + run])
                    let before = path[i - 1], after = i + run < path.count ? path[i + run] : nil
                    let saved = d[before][segment[0]] + edge(segment[run - 1], after) - edge(before, after)
                    var rest = path
                    rest.removeSubrange(i..<i + run)
                    var best: (gain: Double, at: Int, reversed: Bool)?
                    for j in 0..<rest.count where j != i - 1 {
                        let next = j + 1 < rest.count ? rest[j + 1] : nil
                        for reversed in [false, true] {
                            let (first, last) = reversed ? (segment[run - 1], segment[0]) : (segment[0], segment[run - 1])
                            let added = d[rest[j]][first] + edge(last, next) - edge(rest[j], next)
                            let gain = saved - added
                            if gain > 1e-9 && gain > (best?.gain ?? 0) { best = (gain, j, reversed) }
                        }
                    }
                    if let best {
                        rest.insert(contentsOf: best.reversed ? segment.reversed() : segment, at: best.at + 1)
                        path = rest
                        improved = true
                    }
                    i += 1
                }
            }
        }
        return path
    }
}
