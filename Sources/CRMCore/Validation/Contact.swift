import CRMText
import Foundation

/// E-mail addresses: a practical subset of RFC 5322 that mail servers accept.
public enum Email {
    /// Trimmed, with the domain lower-cased; nil if the syntax is wrong.
    public static func normalize(_ raw: String) -> String? {
        let s = raw.trimmed()
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return ascii(Array(s.utf8)) }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let local = parts[0], domain = parts[1].lowercased()
        guard !local.isEmpty, local.count <= 64, local.utf8.allSatisfy({ localAllowed[Int($0)] }),
              local.first != ".", local.last != ".", !local.contains("..") else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, domain.count <= 253 else { return nil }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-",
                  label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
        }
        guard let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) else { return nil }
        return "\(local)@\(domain)"
    }

    /// The same rules over the bytes of an ASCII address.
    private static func ascii(_ b: [UInt8]) -> String? {
        guard let at = b.firstIndex(of: 0x40), b.lastIndex(of: 0x40) == at else { return nil }
        let local = b[..<at]
        let domain = b[(at + 1)...].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        guard !local.isEmpty, local.count <= 64, local.allSatisfy({ localAllowed[Int($0)] }), local.first != 0x2E, local.last != 0x2E
        else { return nil }
        for i in local.indices.dropLast() where local[i] == 0x2E && local[i + 1] == 0x2E { return nil }
        guard domain.count <= 253 else { return nil }
        let labels = domain.split(separator: 0x2E, omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        func alnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != 0x2D, label.last != 0x2D,
                  label.allSatisfy({ alnum($0) || $0 == 0x2D }) else { return nil }
        }
        guard let tld = labels.last, tld.count >= 2, tld.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return nil }
        return String(decoding: local, as: UTF8.self) + "@" + String(decoding: domain, as: UTF8.self)
    }

    /// The ASCII characters allowed before the @, by code.
    private static let localAllowed: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-".utf8 { table[Int(b)] = true }
        return table
    }()
}

/// Phone numbers in the international form: Romanian numbers as +40 and nine
/// digits ("0722 123 456", "0040 722…", "+40 (722) 123-456" all give "+40722123456");
/// other countries as + and 8 to 15 digits.
public enum Phone {
    public static func normalize(_ raw: String) -> String? {
        let trimmed = raw.trimmed()
        guard !trimmed.isEmpty else { return nil }
        var plus = false
        var digits = ""
        if trimmed.utf8.allSatisfy({ $0 < 0x80 }) {
            // The usual value: ASCII bytes.
            var bytes: [UInt8] = []
            for (i, c) in trimmed.utf8.enumerated() {
                if c == 0x2B && i == 0 { plus = true; continue }
                if c == 0x20 || c == 0x2E || c == 0x2D || c == 0x2F || c == 0x28 || c == 0x29 { continue }
                guard c >= 0x30 && c <= 0x39 else { return nil }
                bytes.append(c)
            }
            digits = String(decoding: bytes, as: UTF8.self)
        } else {
            for (i, ch) in trimmed.enumerated() {
                if ch == "+" && i == 0 { plus = true; continue }
                if Self.separators.contains(ch) { continue }
                guard ch.isASCII, ch.isNumber else { return nil }
                digits.append(ch)
            }
        }
        if !plus && digits.hasPrefix("00") { plus = true; digits.removeFirst(2) }
        if plus {
            if digits.hasPrefix("40") { return romanian(String(digits.dropFirst(2))) }
            guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
            return "+" + digits
        }
        if digits.hasPrefix("0") { return romanian(String(digits.dropFirst())) }
        return romanian(digits)
    }

    private static let separators = Set(" .-/()\u{00A0}")

    /// The nine national digits: mobile numbers start with 7, fixed lines with 2 or 3.
    private static func romanian(_ national: String) -> String? {
        guard national.count == 9, let first = national.first, "237".contains(first) else { return nil }
        return "+40" + national
    }
}
