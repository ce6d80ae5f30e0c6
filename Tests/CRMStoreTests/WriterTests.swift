import Foundation
import Testing
@testable import CRMStore

@Suite struct WriterTests {
    @Test func bookkeepingColumnsAreFilled() throws {
        let tmp = try TempDir()
        let store = try Store.open(path: tmp.path("w.sqlite"), mode: .createIfMissing, clock: { 1_764_000_000_000 })
        let user = try store.write(userID: nil, operation: "u") { try $0.insert(UserRecord(login: "ana", name: "Ana")) }
        let root = try store.write(userID: user.meta!.id, operation: "f") {
            try $0.insert(FolderRecord(parentID: nil, name: "Conturi", depth: 0))
        }
        let meta = root.meta!
        #expect(meta.createdAt == 1_764_000_000_000 && meta.updatedAt == meta.createdAt)
        #expect(meta.createdBy == user.meta!.id && meta.version == 1)
        #expect(meta.uuid.bytes[6] >> 4 == 7)  // UUID version 7
        let fetched = try store.read { try $0.fetch(FolderRecord.self, uuid: meta.uuid) }
        #expect(fetched == root)
    }

    @Test func updateWritesOnlyRealChangesAndKeepsSortKeysInStep() throws {
        let tmp = try TempDir()
        let store = try Store.open(path: tmp.path("w.sqlite"), mode: .createIfMissing)
        let root = try store.write(userID: nil, operation: "f") { try $0.insert(FolderRecord(parentID: nil, name: "Conturi", depth: 0)) }
        let a = try store.write(userID: nil, operation: "a") { try $0.insert(AccountRecord(name: "Zeta", folderID: root.meta!.id)) }
        let none = try store.write(userID: nil, operation: "e") { try $0.update(AccountRecord.self, id: a.meta!.id, set: ["name": .text("Zeta")]) }
        #expect(none.isEmpty)
        let changes = try store.write(userID: nil, operation: "e") {
            try $0.update(AccountRecord.self, id: a.meta!.id, set: ["name": .text("Ștefan")])
        }
        #expect(changes == [FieldChange(field: "name", old: .text("Zeta"), new: .text("Ștefan"))])
        let key = try store.read { r in try String.fetchOne(r.db, sql: "SELECT name_key FROM account WHERE id = ?", arguments: [a.meta!.id]) }
        #expect(key == "s\u{7F}tefan")
        let version = try store.read { try $0.fetch(AccountRecord.self, id: a.meta!.id)?.meta?.version }
        #expect(version == 2)
    }

    @Test func unknownColumnsAreRefused() throws {
        let tmp = try TempDir()
        let store = try Store.open(path: tmp.path("w.sqlite"), mode: .createIfMissing)
        #expect(throws: StoreError.self) {
            try store.write(userID: nil, operation: "x") { try $0.update(ZoneRecord.self, id: 1, set: ["name; DROP TABLE zone": .text("x")]) }
        }
    }
}

@Suite struct RowUUIDTests {
    @Test func successorsIncreaseAndStayVersion7() {
        var rng = SplitMix64(seed: 42)
        var uuid = RowUUID.make(at: 1_764_000_000_000, using: &rng)
        for _ in 0..<1000 {
            let next = uuid.successor(at: 1_764_000_000_000)!
            #expect(next.bytes.lexicographicallyPrecedes(uuid.bytes) == false && next != uuid)
            #expect(next.bytes[6] >> 4 == 7 && next.bytes[8] >> 6 == 2)
            uuid = next
        }
        #expect(uuid.successor(at: 1_764_000_000_001) == nil)
        #expect(RowUUID(uuid.description) == uuid)
    }

    @Test func carriesAcrossBytes() {
        var b = [UInt8](repeating: 0, count: 16)
        b[5] = 1; b[6] = 0x70; b[8] = 0x80
        for i in 9...15 { b[i] = 0xFF }
        b[8] = 0xBF
        let next = RowUUID(bytes: b).successor(at: 1)!
        #expect(Array(next.bytes[6...]) == [0x70, 0x01, 0x80, 0, 0, 0, 0, 0, 0, 0])
        #expect(RowUUID(bytes: next.bytes) == next)
    }
}
