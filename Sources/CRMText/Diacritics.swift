/// Romanian letters and their legacy forms.
///
/// Romanian writes ș and ț with a comma below (U+0219, U+021B); older keyboards and
/// fonts produce the cedilla forms ş and ţ (U+015F, U+0163). Both are accepted on input
/// and stored in the comma form, so that search, sort and uniqueness see one letter.
public enum Diacritics {
    /// Replaces the cedilla forms with the comma forms and composes the text (NFC),
    /// so that a decomposed "s + comma below" and a precomposed "ș" are the same string.
    public static func canonical(_ text: String) -> String {
        // ASCII text is already canonical (most values are).
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        // Precomposed text without the cedilla letters (the usual Romanian value) is too.
        if !text.unicodeScalars.contains(where: { s in
            switch s.value {
            case 0x0300...0x036F, 0x015E, 0x015F, 0x0162, 0x0163: return true
            default: return false
            }
        }) {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.precomposedStringWithCanonicalMappingCompat.unicodeScalars {
            switch scalar.value {
            case 0x015F: out.append("\u{0219}")  // ş → ș
            case 0x015E: out.append("\u{0218}")  // Ş → Ș
            case 0x0163: out.append("\u{021B}")  // ţ → ț
            case 0x0162: out.append("\u{021A}")  // Ţ → Ț
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The base letter of a Latin letter with diacritics, lowercased; nil when the
    /// scalar is not a letter we fold.
    static func baseLetter(_ scalar: Unicode.Scalar) -> Character? {
        switch scalar.value {
        case 0x0103, 0x0102, 0x00E2, 0x00C2, 0x00E0, 0x00C0, 0x00E1, 0x00C1, 0x00E4, 0x00C4,
             0x00E3, 0x00C3, 0x00E5, 0x00C5, 0x0101, 0x0100, 0x0105, 0x0104:
            return "a"
        case 0x00EE, 0x00CE, 0x00EC, 0x00CC, 0x00ED, 0x00CD, 0x00EF, 0x00CF, 0x012B, 0x012A:
            return "i"
        case 0x0219, 0x0218, 0x015F, 0x015E, 0x0161, 0x0160, 0x015B, 0x015A:
            return "s"
        case 0x021B, 0x021A, 0x0163, 0x0162, 0x0165, 0x0164:
            return "t"
        case 0x00E9, 0x00C9, 0x00E8, 0x00C8, 0x00EA, 0x00CA, 0x00EB, 0x00CB, 0x0119, 0x0118, 0x011B, 0x011A:
            return "e"
        case 0x00F3, 0x00D3, 0x00F2, 0x00D2, 0x00F4, 0x00D4, 0x00F6, 0x00D6, 0x00F5, 0x00D5, 0x0151, 0x0150, 0x00F8, 0x00D8:
            return "o"
        case 0x00FA, 0x00DA, 0x00F9, 0x00D9, 0x00FB, 0x00DB, 0x00FC, 0x00DC, 0x0171, 0x0170, 0x016F, 0x016E:
            return "u"
        case 0x00E7, 0x00C7, 0x0107, 0x0106, 0x010D, 0x010C:
            return "c"
        case 0x00F1, 0x00D1, 0x0144, 0x0143, 0x0148, 0x0147:
            return "n"
        case 0x017A, 0x0179, 0x017C, 0x017B, 0x017E, 0x017D:
            return "z"
        case 0x00FD, 0x00DD, 0x00FF: return "y"
        case 0x0142, 0x0141: return "l"
        case 0x0111, 0x0110, 0x010F, 0x010E: return "d"
        case 0x0159, 0x0158: return "r"
        case 0x011F, 0x011E: return "g"
        case 0x00DF: return "s"
        default: return nil
        }
    }
}

extension String {
    /// NFC composition without Foundation: combining comma/cedilla/breve/circumflex
    /// sequences that Romanian text uses are composed by hand; anything else is kept.
    var precomposedStringWithCanonicalMappingCompat: String {
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in unicodeScalars {
            if let base = previous, let composed = Self.compose(base, scalar) {
                out.removeLast()
                out.append(composed)
                previous = composed
                continue
            }
            out.append(scalar)
            previous = scalar
        }
        return String(out)
    }

    private static func compose(_ base: Unicode.Scalar, _ mark: Unicode.Scalar) -> Unicode.Scalar? {
        let table: [UInt32: [UInt32: UInt32]] = [
            0x0326: [0x73: 0x0219, 0x53: 0x0218, 0x74: 0x021B, 0x54: 0x021A],  // comma below
            0x0327: [0x73: 0x015F, 0x53: 0x015E, 0x74: 0x0163, 0x54: 0x0162],  // cedilla
            0x0306: [0x61: 0x0103, 0x41: 0x0102],  // breve
            0x0302: [0x61: 0x00E2, 0x41: 0x00C2, 0x69: 0x00EE, 0x49: 0x00CE],  // circumflex
        ]
        guard let row = table[mark.value], let value = row[base.value] else { return nil }
        return Unicode.Scalar(value)
    }
}

extension String {
    /// The text without leading and trailing white space and line breaks; quick
    /// for the usual value that has none.
    public func trimmed() -> String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return "" }
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return self }
        var start = startIndex, end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[start..<end])
    }
}

extension Substring {
    public func trimmed() -> String { String(self).trimmed() }
}
