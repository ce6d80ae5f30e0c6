/// Fuzzy matching for the command palette: the query's letters must appear in
/// order in the candidate, diacritics and case ignored ("adcont" finds "Adăugare
/// cont"). Matches at word starts and runs of adjacent letters score higher.
public enum Fuzzy {
    /// A score (higher is better), or nil when the query does not match.
    public static func score(_ query: String, _ candidate: String) -> Int? {
        let q = Array(Fold.key(query).filter { $0 != " " })
        if q.isEmpty { return 0 }
        let c = Array(Fold.key(candidate))
        var score = 0
        var qi = 0
        var previous = -2
        for (ci, ch) in c.enumerated() where qi < q.count && ch == q[qi] {
            let wordStart = ci == 0 || !(c[ci - 1].isLetter || c[ci - 1].isNumber)
            score += 1 + (wordStart ? 8 : 0) + (previous == ci - 1 ? 5 : 0)
            previous = ci
            qi += 1
        }
        guard qi == q.count else { return nil }
        return score * 100 - c.count
    }
}
