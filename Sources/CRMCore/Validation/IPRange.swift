import Foundation

/// An address or a CIDR range, IPv4 or IPv6 ("10.0.0.7", "192.168.1.0/24",
/// "2001:db8::/32"); an IPv4 address written as IPv6 (::ffff:10.0.0.7) is
/// the IPv4 one.
public struct IPRange: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]
    public let prefix: Int

    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let address = Self.address(first) else { return nil }
        let bits = address.count * 8
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...bits).contains(n) else { return nil }
            prefix = n
        } else {
            prefix = bits
        }
        bytes = address
    }

    /// The bytes of an address: 4 for IPv4 (mapped IPv6 included), 16 for IPv6.
    public static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let b = withUnsafeBytes(of: &v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return Array(b[12...]) }
        return b
    }

    public func contains(_ text: String) -> Bool {
        guard let other = Self.address(text), other.count == bytes.count else { return false }
        var left = prefix
        for i in 0..<bytes.count where left > 0 {
            let mask: UInt8 = left >= 8 ? 0xFF : UInt8(0xFF) << (8 - left)
            if bytes[i] & mask != other[i] & mask { return false }
            left -= 8
        }
        return true
    }

    public var description: String {
        let text = bytes.count == 4 ? bytes.map(String.init).joined(separator: ".")
            : stride(from: 0, to: 16, by: 2).map { String(format: "%x", Int(bytes[$0]) << 8 | Int(bytes[$0 + 1])) }.joined(separator: ":")
        return prefix == bytes.count * 8 ? text : "\(text)/\(prefix)"
    }
}
