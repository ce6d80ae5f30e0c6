import Foundation
import GRDB
import Testing
@testable import CRMStore

/// What sync will stand on (docs/sync.md): the hybrid logical clock, and the
/// map of every entity's references, held to the schema's foreign keys.
@Suite struct SyncFoundationTests {
    @Test func theClockMovesForwardWhateverTheWallClockDoes() {
        let clock = HybridClock()
        let first = clock.now(wall: 1_000)
        #expect(first == HLC(millis: 1_000, counter: 0))
        // The wall clock stands still, then goes back: the counter moves.
        let second = clock.now(wall: 1_000)
        let third = clock.now(wall: 900)
        #expect(first < second && second < third)
        #expect(third.millis == 1_000 && third.counter == 2)
        // A remote change from a machine whose clock is ahead: later local readings order after it.
        let remote = HLC(millis: 5_000, counter: 7)
        clock.observe(remote)
        let after = clock.now(wall: 1_001)
        #expect(after > remote && after.millis == 5_000 && after.counter == 8)
        // An older remote reading changes nothing.
        clock.observe(HLC(millis: 10, counter: 0))
        #expect(clock.now(wall: 1_002) > after)
        // The wall clock catches up: the counter starts again.
        #expect(clock.now(wall: 6_000) == HLC(millis: 6_000, counter: 0))
        // A spent counter takes the next millisecond.
        let busy = HybridClock(last: HLC(millis: 7_000, counter: Int(UInt16.max) - 1))
        #expect(busy.now(wall: 7_000) == HLC(millis: 7_000, counter: Int(UInt16.max)))
        #expect(busy.now(wall: 7_000) == HLC(millis: 7_001, counter: 0))
        // Readings order as their integers, and unpack to what they were made of.
        let r = HLC(millis: 1_764_460_800_123, counter: 42)
        #expect(HLC(raw: r.raw) == r && r.millis == 1_764_460_800_123 && r.counter == 42)
        #expect(HLC(millis: 2, counter: 0) > HLC(millis: 1, counter: Int(UInt16.max)))
    }

    @Test func readingsFromManyThreadsAreAllDifferentAndIncreasing() async {
        let clock = HybridClock()
        let readings = await withTaskGroup(of: [HLC].self) { group in
            for _ in 0..<4 { group.addTask { (0..<2_000).map { _ in clock.now(wall: 1_000) } } }
            var all: [HLC] = []
            for await part in group {
                #expect(part == part.sorted() && Set(part).count == part.count)
                all += part
            }
            return all
        }
        #expect(Set(readings).count == 8_000)
    }

    @Test func everyEntitysReferencesAreMappedAsTheSchemaDeclaresThem() throws {
        let tmp = try TempDir()
        let store = try Store.open(path: tmp.path("refs.sqlite"), mode: .createIfMissing)
        let declared = try store.read { r -> [String: [String: String]] in
            var out: [String: [String: String]] = [:]
            for type in Entities.all {
                var map: [String: String] = [:]
                for row in try Row.fetchAll(r.db, sql: "SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?)", arguments: [type.table]) {
                    let column: String = row["from"]
                    if column != "created_by" && column != "updated_by" { map[column] = row["table"] }
                }
                if !map.isEmpty { out[type.table] = map }
            }
            return out
        }
        #expect(declared == Entities.references)
        // Every referenced table is an entity too: its rows have UUIDs to travel by.
        let tables = Set(Entities.all.map { $0.table })
        #expect(Entities.references.values.flatMap(\.values).allSatisfy { tables.contains($0) })
    }
}
