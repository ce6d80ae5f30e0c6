/// How alike two short texts are (company and person names), 0 … 1.
public enum Similarity {
    /// Jaro–Winkler similarity: matching characters within a window, fewer
    /// transpositions, a bonus for a common beginning of up to four characters.
    public static func jaroWinkler(_ a: [Character], _ b: [Character]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in 0..<a.count {
            let lo = max(0, i - window), hi = min(b.count - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where !bMatched[j] && a[i] == b[j] {
                aMatched[i] = true
                bMatched[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var k = 0
        for i in 0..<a.count where aMatched[i] {
            while !bMatched[k] { k += 1 }
            if a[i] != b[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// A company or person name reduced to what tells it apart: no legal form
    /// (S.C., SRL, S.R.L., SA, PFA, II, IF, SRL-D, SNC, SCS, COOP…), no
    /// diacritics, case, punctuation or repeated spaces.
    public static func normalizedName(_ name: String) -> String {
        var words: [String] = []
        var current = ""
        for ch in Fold.key(name) {
            if ch.isLetter || ch.isNumber { current.append(ch) } else if ch == "." || ch == "-" { continue } else {
                if !current.isEmpty { words.append(current) }
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        let kept = words.filter { !legalForms.contains($0) }
        return (kept.isEmpty ? words : kept).joined(separator: " ")
    }

    static let legalForms: Set<String> = ["sc", "srl", "srld", "sa", "pfa", "ii", "if", "snc", "scs", "sca", "coop", "ong", "ra", "sci"]
}
