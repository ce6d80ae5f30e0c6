import CRMText
import Foundation

/// E-mail addresses: a practical subset of RFC 5322 that mail servers accept.
public enum Email {
    /// Trimmed, with the domain lower-cased; nil if the syntax is wrong.
    public static func normalize(_ raw: String) -> String? {
        let s = raw.trimmed()
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
        for (i, ch) in trimmed.enumerated() {
            if ch == "+" && i == 0 { plus = true; continue }
            if Self.separators.contains(ch) { continue }
            guard ch.isASCII, ch.isNumber else { return nil }
            digits.append(ch)
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
