/// Romanian fiscal code (CUI / CIF): 2 to 10 digits, the last one a check digit
/// over the others with the key 753217532; an "RO" prefix marks a VAT payer.
public enum CUI {
    public struct Parsed: Sendable, Equatable {
        /// Digits only, without the RO prefix.
        public let digits: String
        public let hasROPrefix: Bool
    }

    public static func parse(_ raw: String) -> Parsed? {
        // The usual value is ASCII: read its bytes.
        if raw.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = raw.utf8.filter { $0 != 0x20 && !(0x09...0x0D).contains($0) }.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 }
            var prefix = false
            if bytes.starts(with: [0x52, 0x4F]) { bytes.removeFirst(2); prefix = true }
            guard (2...10).contains(bytes.count), bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), bytes.first != 0x30 else { return nil }
            let digits = bytes.map { Int($0 - 0x30) }
            guard checkDigit(Array(digits.dropLast())) == digits.last else { return nil }
            return Parsed(digits: String(decoding: bytes, as: UTF8.self), hasROPrefix: prefix)
        }
        var s = raw.uppercased().filter { !$0.isWhitespace }
        var prefix = false
        if s.hasPrefix("RO") { s.removeFirst(2); prefix = true }
        guard (2...10).contains(s.count), s.allSatisfy({ $0.isASCII && $0.isNumber }), s.first != "0" else { return nil }
        let digits = s.compactMap { $0.wholeNumberValue }
        guard checkDigit(Array(digits.dropLast())) == digits.last else { return nil }
        return Parsed(digits: s, hasROPrefix: prefix)
    }

    public static func isValid(_ raw: String) -> Bool { parse(raw) != nil }

    /// The check digit for the digits before it (at most 9).
    public static func checkDigit(_ body: [Int]) -> Int {
        let key = [7, 5, 3, 2, 1, 7, 5, 3, 2]
        let padded = Array(repeating: 0, count: max(0, 9 - body.count)) + body
        let sum = zip(padded, key).reduce(0) { $0 + $1.0 * $1.1 }
        let r = sum * 10 % 11
        return r == 10 ? 0 : r
    }
}

/// International bank account numbers: country length and the ISO 7064 mod-97 check.
public enum IBAN {
    static let lengths: [String: Int] = [
        "RO": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
        "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IT": 27, "LT": 20,
        "LU": 20, "LV": 21, "MD": 24, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RS": 22, "SE": 24,
        "SI": 19, "SK": 24, "TR": 26, "UA": 29,
    ]

    /// The IBAN in its electronic form (upper case, no spaces), or nil if invalid.
    public static func normalize(_ raw: String) -> String? {
        // The usual value is ASCII: read its bytes.
        if raw.utf8.allSatisfy({ $0 < 0x80 }) {
            let b = raw.utf8.filter { $0 != 0x20 && $0 != 0x2D && !(0x09...0x0D).contains($0) }
                .map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 }
            func letter(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
            func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
            guard b.count >= 15, b.count <= 34, b.allSatisfy({ letter($0) || digit($0) }),
                  letter(b[0]), letter(b[1]), digit(b[2]), digit(b[3]) else { return nil }
            let s = String(decoding: b, as: UTF8.self)
            let country = String(decoding: b[0..<2], as: UTF8.self)
            if let expected = lengths[country], expected != b.count { return nil }
            if country == "RO" { guard b[4..<8].allSatisfy(letter) else { return nil } }
            return mod97(String(s.dropFirst(4) + s.prefix(4))) == 1 ? s : nil
        }
        let s = raw.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard s.count >= 15, s.count <= 34, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        let country = String(s.prefix(2))
        guard country.allSatisfy(\.isLetter), s.dropFirst(2).prefix(2).allSatisfy(\.isNumber) else { return nil }
        if let expected = lengths[country], expected != s.count { return nil }
        if country == "RO" {
            // RO: 4 letters of the bank code, then 16 letters or digits.
            guard s.dropFirst(4).prefix(4).allSatisfy(\.isLetter) else { return nil }
        }
        return mod97(String(s.dropFirst(4) + s.prefix(4))) == 1 ? s : nil
    }

    public static func isValid(_ raw: String) -> Bool { normalize(raw) != nil }

    static func mod97(_ rearranged: String) -> Int {
        var remainder = 0
        for byte in rearranged.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                remainder = (remainder * 10 + Int(byte - 48)) % 97
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                remainder = (remainder * 100 + Int(byte) - 55) % 97  // A = 10 … Z = 35
            default:
                continue
            }
        }
        return remainder
    }

    /// Check digits for a country and basic account number (used to build demo IBANs).
    public static func checkDigits(country: String, bban: String) -> String {
        let r = mod97(bban + country + "00")
        let cd = 98 - r
        return cd < 10 ? "0\(cd)" : String(cd)
    }

    /// Groups of four for display: "RO49 AAAA 1B31 0075 9384 0000".
    public static func grouped(_ iban: String) -> String {
        stride(from: 0, to: iban.count, by: 4).map { i in
            String(iban.dropFirst(i).prefix(4))
        }.joined(separator: " ")
    }
}
