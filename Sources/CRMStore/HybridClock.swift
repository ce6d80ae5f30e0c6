import Foundation

/// A reading of a hybrid logical clock (docs/sync.md): milliseconds since the
/// epoch in the high 48 bits, a counter in the low 16, one `Int64` — so
/// readings order as integers, by time and then by counter.
public struct HLC: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let raw: Int64

    public init(raw: Int64) { self.raw = raw }

    public init(millis: Int64, counter: Int) {
        precondition(millis >= 0 && millis < 1 << 47 && (0...Int(UInt16.max)).contains(counter))
        raw = millis << 16 | Int64(counter)
    }

    public var millis: Int64 { raw >> 16 }
    public var counter: Int { Int(raw & 0xFFFF) }

    public static func < (a: HLC, b: HLC) -> Bool { a.raw < b.raw }

    public var description: String { "\(millis).\(counter)" }
}

/// The clock a replica stamps its changes with: every reading is later than
/// every reading before it and than every remote reading observed, whatever
/// the wall clock does (it may stand still or go back); while the wall clock
/// does not move, the counter does, and when the counter is spent the reading
/// takes the next millisecond. Safe to share between threads.
public final class HybridClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last: HLC

    public init(last: HLC = HLC(raw: 0)) { self.last = last }

    /// A reading for a change made now (`wall`: the wall clock, milliseconds since the epoch).
    public func now(wall: Int64) -> HLC {
        lock.withLock {
            let next: HLC
            if wall > last.millis {
                next = HLC(millis: wall, counter: 0)
            } else if last.counter < Int(UInt16.max) {
                next = HLC(millis: last.millis, counter: last.counter + 1)
            } else {
                next = HLC(millis: last.millis + 1, counter: 0)
            }
            last = next
            return next
        }
    }

    /// A remote change's reading seen: every later local reading orders after it.
    public func observe(_ remote: HLC) {
        lock.withLock { if remote > last { last = remote } }
    }

    /// The latest reading given or observed.
    public var latest: HLC { lock.withLock { last } }
}
