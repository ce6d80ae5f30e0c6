import CRMStore
import Foundation

/// The demo's random choices: the same seed always gives the same company.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var base: SplitMix64

    public init(seed: UInt64) { base = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { base.next() }

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ list: [T]) -> T { list[int(0..<list.count)] }
    mutating func digits(_ n: Int) -> String {
        var s = ""
        for _ in 0..<n { s.append(Character(Unicode.Scalar(UInt8(48 + int(0..<10))))) }
        return s
    }
}

/// Picks items by weight.
struct Weighted<T: Sendable>: Sendable {
    let items: [T]
    let cumulative: [Int]

    init(_ pairs: [(T, Int)]) {
        items = pairs.map(\.0)
        var sum = 0
        cumulative = pairs.map { sum += $0.1; return sum }
    }

    func pick(_ rng: inout SeededRandom) -> T {
        let r = rng.int(0..<cumulative.last!)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return items[lo]
    }
}

