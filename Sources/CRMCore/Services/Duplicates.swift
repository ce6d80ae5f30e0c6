import CRMStore
import CRMText
import Foundation

/// Two accounts that may be the same company or person (ACC-6), with why.
public struct DuplicatePair: Sendable, Equatable {
    public enum Reason: String, Sendable, CaseIterable {
        case cui, email, phone, name

        public var label: Localized {
            switch self {
            case .cui: return .init(ro: "același CUI", en: "same CUI")
            case .email: return .init(ro: "același e-mail", en: "same e-mail")
            case .phone: return .init(ro: "același telefon", en: "same phone")
            case .name: return .init(ro: "nume asemănător", en: "similar name")
            }
        }
    }

    public let first: String
    public let second: String
    public let firstName: String
    public let secondName: String
    /// 1 for a shared CUI, e-mail or phone; else the names' similarity.
    public let score: Double
    public let reasons: [Reason]
}

/// How a scan finds its pairs: exact values through hashing, names by sorted
/// neighbourhood (each normalised name against the next `window` ones in
/// order), so a million accounts cost a sort and a few million comparisons.
public struct DuplicateScan: Sendable {
    public var threshold = 0.95
    public var window = 8
    /// A value shared by more accounts than this (a common switchboard, a
    /// generic e-mail) says nothing about any two of them.
    public var largestGroup = 20

    public init() {}

    /// At most this many pairs come back, the most certain first (0: all).
    public var limit = 10_000

    func pairs(_ all: [DuplicateCandidate], only focus: Set<Int64>? = nil) -> (pairs: [DuplicatePair], total: Int) {
        // Found pairs as flat records (indexes, score, reason bits): a million
        // accounts can yield millions of them.
        var found: [(key: UInt64, score: Float, reasons: UInt8)] = []
        func add(_ i: Int, _ j: Int, _ reason: UInt8, _ score: Float) {
            if let focus, !focus.contains(all[i].id) && !focus.contains(all[j].id) { return }
            let (a, b) = (UInt64(min(i, j)), UInt64(max(i, j)))
            found.append(((a << 32) | b, score, reason))
        }
        func groups(_ key: (DuplicateCandidate) -> [String], _ reason: UInt8) {
            var byValue: [String: [Int]] = [:]
            for (i, c) in all.enumerated() { for k in key(c) where !k.isEmpty { byValue[k, default: []].append(i) } }
            for members in byValue.values where members.count > 1 && members.count <= largestGroup {
                for x in 0..<members.count { for y in (x + 1)..<members.count { add(members[x], members[y], reason, 1) } }
            }
        }
        groups({ [$0.cui ?? ""] }, 1)
        groups({ [$0.email?.lowercased() ?? ""] }, 2)
        groups({ $0.phones }, 4)
        let names = all.map { Array(Similarity.normalizedName($0.name)) }
        let order = names.indices.sorted { names[$0].lexicographicallyPrecedes(names[$1]) }
        for (position, i) in order.enumerated() {
            for j in order[(position + 1)..<min(order.count, position + 1 + window)] {
                let score = Similarity.jaroWinkler(names[i], names[j])
                if score >= threshold { add(i, j, 8, Float(score)) }
            }
        }
        found.sort { $0.key < $1.key }
        var merged: [(key: UInt64, score: Float, reasons: UInt8)] = []
        for f in found {
            if let last = merged.last, last.key == f.key {
                merged[merged.count - 1] = (f.key, max(last.score, f.score), last.reasons | f.reasons)
            } else {
                merged.append(f)
            }
        }
        merged.sort { $0.score > $1.score }
        let kept = limit > 0 ? merged.prefix(limit) : merged[...]
        let reasons: [(UInt8, DuplicatePair.Reason)] = [(1, .cui), (2, .email), (4, .phone), (8, .name)]
        let pairs = kept.map { f -> DuplicatePair in
            let (x, y) = (all[Int(f.key >> 32)], all[Int(f.key & 0xFFFF_FFFF)])
            return DuplicatePair(first: x.uuid, second: y.uuid, firstName: x.name, secondName: y.name, score: Double(f.score),
                                 reasons: reasons.filter { f.reasons & $0.0 != 0 }.map(\.1))
        }
        return (pairs, merged.count)
    }
}

extension CRM {
    /// Pairs of accounts that may be duplicates across the whole base, the ones
    /// a user dismissed left out, most certain first.
    public func duplicates(_ scan: DuplicateScan = DuplicateScan(), for actor: Actor) throws -> [DuplicatePair] {
        try duplicateReport(scan, for: actor).pairs
    }

    /// The same, with how many pairs were found in all (`scan.limit` keeps the first).
    public func duplicateReport(_ scan: DuplicateScan = DuplicateScan(), for actor: Actor) throws -> (pairs: [DuplicatePair], total: Int) {
        try policy.authorize(actor, .view, .accounts)
        let (all, dismissed) = try read(for: actor) { r in (try r.duplicateCandidates(), try Self.dismissals(r)) }
        var wider = scan
        if scan.limit > 0 { wider.limit = scan.limit + dismissed.count }
        let (pairs, total) = wider.pairs(all)
        let kept = pairs.filter { !dismissed.contains(DuplicateDismissalRecord($0.first, $0.second).key) }
        return (scan.limit > 0 ? Array(kept.prefix(scan.limit)) : kept, total - (pairs.count - kept.count))
    }

    /// The accounts that may be duplicates of one account: those sharing its CUI,
    /// e-mail or a phone, and those whose names the search index finds alike.
    public func duplicates(of ref: String, _ scan: DuplicateScan = DuplicateScan(), for actor: Actor) throws -> [DuplicatePair] {
        try policy.authorize(actor, .view, .accounts)
        let account = try self.account(ref, for: actor)
        let id = account.record.meta!.id
        let words = Similarity.normalizedName(account.record.name).split(separator: " ").filter { $0.count >= 3 }.prefix(2)
        var ids: Set<Int64> = [id]
        let values: [String] = [account.record.cui, account.record.email, account.record.phone, account.record.mobile].compactMap { $0 }
        for text in values + words.map({ String($0) }) {
            let page = try accounts(AccountView(search: text), limit: 2000, for: actor)
            ids.formUnion(page.accounts.compactMap { $0.record.meta?.id })
        }
        var wide = scan
        wide.window = ids.count
        wide.limit = 0
        let (all, dismissed) = try read(for: actor) { r in (try r.duplicateCandidates(ids: Array(ids)), try Self.dismissals(r)) }
        return wide.pairs(all, only: [id]).pairs.filter { !dismissed.contains(DuplicateDismissalRecord($0.first, $0.second).key) }
    }

    /// Records that two accounts are not duplicates: no scan proposes them again.
    public func dismissDuplicate(_ a: String, _ b: String, by actor: Actor) throws {
        try policy.authorize(actor, .edit, .accounts)
        try write(actor, "duplicate.dismiss") { w in
            let (x, y) = (try AccountRules.resolve(a, in: w), try AccountRules.resolve(b, in: w))
            let record = DuplicateDismissalRecord(x.meta!.uuid.description, y.meta!.uuid.description)
            let existing = try w.fetchAll(DuplicateDismissalRecord.self,
                                          matching: ["account_a": .text(record.accountA), "account_b": .text(record.accountB)])
            if existing.isEmpty { try w.insert(record) }
        }
    }

    static func dismissals(_ r: Reader) throws -> Set<String> {
        Set(try r.fetchAll(DuplicateDismissalRecord.self).map(\.key))
    }
}

extension DuplicateDismissalRecord {
    var key: String { accountA + "|" + accountB }
}
