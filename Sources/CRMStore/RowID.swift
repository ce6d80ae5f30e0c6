import Foundation

/// Stable row identity: a UUID version 7 (time-ordered, so new rows land at the end
/// of the index), stored as 16 bytes. Replicas exchange rows by it.
public struct RowUUID: Sendable, Hashable, CustomStringConvertible, Codable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16)
        self.bytes = bytes
    }

    public init?(_ string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        let u = uuid.uuid
        self.bytes = [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15]
    }

    /// A new version-7 UUID for the given time in milliseconds since the epoch.
    public static func make<G: RandomNumberGenerator>(at millis: Int64, using rng: inout G) -> RowUUID {
        var b = [UInt8](repeating: 0, count: 16)
        let ms = UInt64(max(0, millis))
        for i in 0..<6 { b[i] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - UInt64(i)))) }
        let r1 = rng.next() as UInt64
        let r2 = rng.next() as UInt64
        for i in 0..<8 { b[8 + i] = UInt8(truncatingIfNeeded: r2 >> (8 * UInt64(i))) }
        b[6] = 0x70 | UInt8(truncatingIfNeeded: r1 & 0x0F)
        b[7] = UInt8(truncatingIfNeeded: r1 >> 8)
        b[8] = 0x80 | (b[8] & 0x3F)
        return RowUUID(bytes: b)
    }

    /// The next UUID after this one for the same millisecond: the 74 bits after
    /// the timestamp and version are a counter, so the rows of one transaction get
    /// increasing UUIDs and their index entries are appended, not scattered
    /// (RFC 9562, method 3: monotonic random).
    public func successor(at millis: Int64) -> RowUUID? {
        var b = bytes
        var ms: UInt64 = 0
        for i in 0..<6 { ms = ms << 8 | UInt64(b[i]) }
        guard ms == UInt64(max(0, millis)) else { return nil }
        // Increment bytes 15 down to 9, then the low 6 bits of byte 8, byte 7, and the low 4 bits of byte 6.
        for i in stride(from: 15, through: 9, by: -1) {
            b[i] &+= 1
            if b[i] != 0 { return RowUUID(bytes: b) }
        }
        if b[8] & 0x3F != 0x3F { b[8] += 1; return RowUUID(bytes: b) }
        b[8] &= 0xC0
        b[7] &+= 1
        if b[7] != 0 { return RowUUID(bytes: b) }
        if b[6] & 0x0F != 0x0F { b[6] += 1; return RowUUID(bytes: b) }
        return nil
    }

    public var description: String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4),
                     hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let v = RowUUID(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a UUID"))
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Bookkeeping every stored row carries: identity, who and when, and a version
/// counter that an edit must match (optimistic concurrency between sessions).
public struct RowMeta: Sendable, Hashable {
    public var id: Int64
    public var uuid: RowUUID
    public var createdAt: Int64
    public var createdBy: Int64?
    public var updatedAt: Int64
    public var updatedBy: Int64?
    public var version: Int64

    public init(id: Int64, uuid: RowUUID, createdAt: Int64, createdBy: Int64?, updatedAt: Int64,
                updatedBy: Int64?, version: Int64) {
        self.id = id
        self.uuid = uuid
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.version = version
    }
}

/// SplitMix64: a small, fast generator. Seeded from the system for row UUIDs,
/// and from a fixed seed where the same sequence is wanted (the demo).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
