/// Search and comparison keys: case- and diacritics-insensitive.
public enum Fold {
    /// "Știință  SRL" → "stiinta srl": lowercase, diacritics removed, runs of
    /// white space collapsed to one space, trimmed.
    public static func key(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: scalar).lowercasedASCII))
                continue
            }
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            let cat = scalar.properties.generalCategory
            if cat == .nonspacingMark || cat == .enclosingMark { continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            if let base = Diacritics.baseLetter(scalar) {
                out.append(base)
            } else if scalar.isASCII {
                out.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: scalar).lowercasedASCII))
            } else {
                out.append(contentsOf: String(scalar).lowercased())
            }
        }
        return out
    }

    /// Transliteration to ASCII for terminals without a UTF-8 locale: keeps case,
    /// removes diacritics, and replaces what has no ASCII form with "?".
    public static func ascii(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII { out.unicodeScalars.append(scalar); continue }
            let cat = scalar.properties.generalCategory
            if cat == .nonspacingMark || cat == .enclosingMark { continue }
            if let base = Diacritics.baseLetter(scalar) {
                let upper = scalar.properties.isUppercase
                out.append(upper ? Character(base.uppercased()) : base)
            } else {
                switch scalar.value {
                case 0x201C, 0x201D, 0x201E: out.append("\"")
                case 0x2018, 0x2019, 0x201A: out.append("'")
                case 0x2013, 0x2014: out.append("-")
                case 0x2026: out.append("...")
                case 0x00A0: out.append(" ")
                case 0x20AC: out.append("EUR")
                case 0x00B7: out.append("-")
                case 0x00D7: out.append("x")
                case 0x2192: out.append("->")
                case 0x2190: out.append("<-")
                case 0x2605, 0x2022: out.append("*")
                case 0x2500, 0x2501: out.append("-")
                case 0x2502, 0x2503: out.append("|")
                case 0x2400...0x241F: out.append("^" + String(UnicodeScalar(UInt8(0x40 + scalar.value - 0x2400))))
                default: out.append("?")
                }
            }
        }
        return out
    }
}

extension UInt8 {
    init(ascii scalar: Unicode.Scalar) { self = UInt8(truncatingIfNeeded: scalar.value) }
    var lowercasedASCII: UInt8 { (65...90).contains(self) ? self + 32 : self }
}
