/// A binary-comparable key that orders text the Romanian way:
/// a < ă < â < b … i < î < j … s < ș < t < ț < u, case-insensitively.
///
/// SQLite's default collation puts Ă Î Ș Ț after Z, and a locale collation makes
/// an index slow to build, so the key is stored in its own column and indexed with
/// the plain binary collation. Each Romanian letter is its base letter followed by
/// one or two 0x7F bytes, which sort after every other byte the key contains.
public enum SortKey {
    public static func romanian(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 4)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F {
                if pendingSpace { bytes.append(0x20); pendingSpace = false }
                bytes.append(UInt8(ascii: scalar).lowercasedASCII)
                continue
            }
            if scalar.properties.isWhitespace {
                pendingSpace = !bytes.isEmpty
                continue
            }
            let cat = scalar.properties.generalCategory
            if cat == .nonspacingMark || cat == .enclosingMark { continue }
            if pendingSpace { bytes.append(0x20); pendingSpace = false }
            switch scalar.value {
            case 0x0103, 0x0102: bytes += [0x61, 0x7F]           // ă
            case 0x00E2, 0x00C2: bytes += [0x61, 0x7F, 0x7F]     // â
            case 0x00EE, 0x00CE: bytes += [0x69, 0x7F]           // î
            case 0x0219, 0x0218, 0x015F, 0x015E: bytes += [0x73, 0x7F]  // ș ş
            case 0x021B, 0x021A, 0x0163, 0x0162: bytes += [0x74, 0x7F]  // ț ţ
            default:
                if scalar.isASCII {
                    let b = UInt8(ascii: scalar)
                    if b >= 0x20 && b < 0x7F { bytes.append(b.lowercasedASCII) }
                } else if let base = Diacritics.baseLetter(scalar) {
                    bytes.append(base.asciiValue!)
                } else {
                    // Other scripts keep their lowercase UTF-8 bytes (all ≥ 0x80, after Latin).
                    bytes += Array(String(scalar).lowercased().utf8)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
