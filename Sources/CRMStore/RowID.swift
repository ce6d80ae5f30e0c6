import Foundation

/// Stable row identity: a UUID version 7 (time-ordered, so new rows land at the end
/// of the index), stored as 16 bytes. Replicas exchange rows by it. Held as two
/// integers (the bytes in big-endian order), so making one allocates nothing.
public struct RowUUID: Sendable, Hashable, CustomStringConvertible, Codable {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 16)
        var h: UInt64 = 0, l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        self.init(high: h, low: l)
    }

    public init?(_ string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        let u = uuid.uuid
        self.init(bytes: [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15])
    }

    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    /// The 16 bytes, for binding as a blob without an array.
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
        var big = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: &big, body)
    }

    /// A new version-7 UUID for the given time in milliseconds since the epoch:
    /// 48 bits of time, the version, 12 + 62 random bits, the variant.
    public static func make<G: RandomNumberGenerator>(at millis: Int64, using rng: inout G) -> RowUUID {
        let ms = UInt64(max(0, millis)) & 0xFFFF_FFFF_FFFF
        let randA = (rng.next() as UInt64) & 0xFFF
        let randB = (rng.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF
        return RowUUID(high: ms << 16 | 0x7000 | randA, low: 0x8000_0000_0000_0000 | randB)
    }

    /// The next UUID after this one for the same millisecond: the 74 bits after
    /// the timestamp and version are a counter, so the rows of one transaction get
    /// increasing UUIDs and their index entries are appended, not scattered
    /// (RFC 9562, method 3: monotonic random).
    public func successor(at millis: Int64) -> RowUUID? {
        guard high >> 16 == UInt64(max(0, millis)) & 0xFFFF_FFFF_FFFF else { return nil }
        let counterB = low & 0x3FFF_FFFF_FFFF_FFFF
        if counterB != 0x3FFF_FFFF_FFFF_FFFF {
            return RowUUID(high: high, low: 0x8000_0000_0000_0000 | (counterB + 1))
        }
        guard high & 0xFFF != 0xFFF else { return nil }
        return RowUUID(high: high + 1, low: 0x8000_0000_0000_0000)
    }

    /// The canonical text form (8-4-4-4-12 lower-case hexadecimal), written
    /// straight into its 36 bytes: sync writes one for every reference it sends.
    public var description: String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { out in
            digits.withUTF8Buffer { hex in
                var i = 0
                for n in 0..<16 {
                    if n == 4 || n == 6 || n == 8 || n == 10 { out[i] = UInt8(ascii: "-"); i += 1 }
                    let byte = UInt8(truncatingIfNeeded: (n < 8 ? high : low) >> (56 - 8 * UInt64(n % 8)))
                    out[i] = hex[Int(byte >> 4)]; out[i + 1] = hex[Int(byte & 0xF)]
                    i += 2
                }
            }
            return 36
        }
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
