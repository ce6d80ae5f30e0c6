import CRMText
import Foundation

/// What a change does to its row (docs/sync.md).
public enum SyncOp: String, Sendable {
    /// The whole row, every field stamped with the change's clock.
    case insert
    /// One field.
    case update
    /// The row is gone (its liveness register set to false).
    case delete
    /// A row (no field) or one field's latest write (a field), sent again
    /// because the row moved into another zone: a replica that gains the zone
    /// makes the row from it; one that has the row takes a field only if it is
    /// later, and never counts it as a conflict.
    case copy
}

/// One change as it travels between replicas through the hub: the row by its
/// UUID, references as the referenced rows' UUIDs, values as JSON.
public struct SyncChange: Sendable, Equatable {
    /// The change-log id on the replica that made it (with `origin` and `part`, the hub's unique key).
    public var localID: Int64
    /// 0 for the change itself; 1, 2… for what a move into another zone sends with it.
    public var part: Int = 0
    public var hlc: HLC
    public var origin: RowUUID
    public var entity: String
    public var row: RowUUID
    public var op: SyncOp
    /// The field of an update (`custom.KEY` for a custom column).
    public var field: String?
    /// JSON: an insert's object of columns, an update's value; nil for a delete.
    public var value: String?
    /// The zone of the account the row belongs to (who may pull it).
    public var zone: RowUUID?

    public init(localID: Int64, part: Int = 0, hlc: HLC, origin: RowUUID, entity: String, row: RowUUID, op: SyncOp, field: String? = nil,
                value: String? = nil, zone: RowUUID? = nil) {
        self.localID = localID; self.part = part; self.hlc = hlc; self.origin = origin; self.entity = entity; self.row = row
        self.op = op; self.field = field; self.value = value; self.zone = zone
    }

    /// Orders two writes of one register: by clock, then by replica.
    static func later(_ a: (HLC, RowUUID), than b: (HLC, RowUUID)) -> Bool {
        a.0 != b.0 ? a.0 > b.0 : (a.1.high, a.1.low) > (b.1.high, b.1.low)
    }
}

/// A value on its way between replicas: a stored value, or a reference to
/// another row by its UUID (turned back into the local id on arrival).
public enum SyncValue: Sendable, Equatable {
    case plain(Value)
    case reference(RowUUID)

    /// JSON: null, integers and text as themselves; `{"f":"…"}` a real (its
    /// exact decimal text), `{"b":"…"}` a blob (base64), `{"u":"…"}` a reference.
    var json: String {
        switch self {
        case .reference(let uuid): return "{\"u\":\"\(uuid)\"}"
        case .plain(.null): return "null"
        case .plain(.int(let i)): return String(i)
        case .plain(.real(let d)): return "{\"f\":\"\(d)\"}"
        case .plain(.text(let s)): return JSONString.quote(s)
        case .plain(.blob(let b)): return "{\"b\":\"\(Data(b).base64EncodedString())\"}"
        }
    }

    static func object(_ pairs: [(String, SyncValue)]) -> String {
        "{" + pairs.map { JSONString.quote($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
    }

    /// The value of a parsed JSON element; nil for anything this format never writes.
    init?(json any: Any) {
        switch any {
        case is NSNull: self = .plain(.null)
        case let s as String: self = .plain(.text(s))
        case let n as NSNumber:
            guard let i = Int64(n.stringValue) else { return nil }
            self = .plain(.int(i))
        case let tagged as [String: Any]:
            if let u = tagged["u"] as? String, let uuid = RowUUID(u) {
                self = .reference(uuid)
            } else if let f = tagged["f"] as? String, let d = Double(f) {
                self = .plain(.real(d))
            } else if let b = tagged["b"] as? String, let data = Data(base64Encoded: b) {
                self = .plain(.blob([UInt8](data)))
            } else {
                return nil
            }
        default: return nil
        }
    }

    static func parse(value text: String) throws -> SyncValue {
        let any = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        guard let value = SyncValue(json: any) else { throw StoreError.sqlite(detail: "a synced value is not in the sync format: \(text.prefix(80))") }
        return value
    }

    static func parse(object text: String) throws -> [String: SyncValue] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw StoreError.sqlite(detail: "a synced row is not a JSON object: \(text.prefix(80))")
        }
        var out: [String: SyncValue] = [:]
        for (key, any) in object {
            guard let value = SyncValue(json: any) else { throw StoreError.sqlite(detail: "a synced row's \(key) is not in the sync format") }
            out[key] = value
        }
        return out
    }
}

/// The names this replica keeps its sync state under (`store_state`).
public enum SyncKey {
    /// This replica's UUID (text).
    public static let replica = "sync.replica"
    /// The last change-log id the hub has from this replica.
    public static let pushed = "sync.pushed"
    /// The hub position pulled up to: "txid:seq".
    public static let pulled = "sync.pulled"
    /// The change-log id at the end of the last pull: local writes after it are concurrent with what the next pull brings.
    public static let pullMark = "sync.pull_mark"
    /// The hub's identity, so that a file is never synced with another hub by mistake.
    public static let hub = "sync.hub"
    /// The hub's address (without a password), for `crm sync --watch` and the terminal.
    public static let url = "sync.url"
    /// When the last complete round ended (milliseconds).
    public static let last = "sync.last"
    /// The last round's error, if it failed.
    public static let error = "sync.error"
}

/// How far sync has got, for `crm sync status` and the terminal's status line.
public struct SyncStatus: Sendable, Equatable {
    public var replica: RowUUID?
    public var url: String?
    public var hub: String?
    public var lastSync: Int64?
    public var error: String?
    /// Local changes the hub does not have yet.
    public var unpushed: Int
    /// Conflicts no one has looked at.
    public var openConflicts: Int
    /// Pulled changes waiting for a row they refer to.
    public var pending: Int
}

/// A value that lost to a later write, kept so that a person can put it back.
public struct SyncConflict: Sendable, Equatable {
    public var id: Int64
    public var at: Int64
    public var entity: String
    public var row: RowUUID
    /// The field, or `:row` for a whole row that could not stay (its parent deleted).
    public var field: String
    /// The lost value (JSON in the sync format).
    public var value: String?
    public var hlc: HLC
    /// The replica that wrote it (nil: this one).
    public var origin: RowUUID?
    /// Why it lost: `later` (an edit of the same field won), `deleted` (the row is deleted), `unique` (a unique rule), `parent` (a row it needs is deleted).
    public var reason: String
    public var resolvedAt: Int64?
    /// What the row is called now (an account's name…), when it still exists.
    public var rowLabel: String?
}
