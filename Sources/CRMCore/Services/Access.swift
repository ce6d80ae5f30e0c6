import CRMStore
import CRMText
import Foundation

extension CRM {
    /// The name of the setting that says whether IP-restricted users may work
    /// from a local session (no SSH client address): "allow" (the default) or "restrict".
    public static let localSessionsSetting = "access.local_sessions"

    /// The company's list of addresses and ranges a session may come from.
    public func ipRules() throws -> [IPRuleRecord] {
        try read { try $0.fetchAll(IPRuleRecord.self, orderBy: ["name"]) }
    }

    @discardableResult
    public func addIPRule(name: String, address: String, by actor: Actor) throws -> IPRuleRecord {
        try policy.authorize(actor, .admin, .administration)
        let clean = name.trimmed()
        var issues: [ValidationIssue] = []
        if clean.isEmpty { issues.append(.init(field: "name", value: "", reason: .required)) }
        guard let range = IPRange(address) else {
            throw CoreError.invalid(issues + [.init(field: "address", value: address, reason: .invalidAddress)])
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return try write(actor, "ip_rule.add") { w in
            if try w.count(IPRuleRecord.self, matching: ["name": .text(clean)]) > 0 {
                throw CoreError.invalid([.init(field: "name", value: clean, reason: .duplicate(of: clean))])
            }
            return try w.insert(IPRuleRecord(name: clean, address: range.description))
        }
    }

    /// Removes an entry from the list, and from every user it was allowed to.
    public func removeIPRule(_ name: String, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, "ip_rule.remove") { w in
            guard let rule = try w.fetchAll(IPRuleRecord.self, matching: ["name": .text(name.trimmed())]).first else {
                throw CoreError.notFound(what: Localized(ro: "adresa IP", en: "IP entry"), ref: name)
            }
            for link in try w.fetchAll(UserIPRuleRecord.self, matching: ["ip_rule_id": .int(rule.meta!.id)]) {
                try w.delete(UserIPRuleRecord.self, id: link.meta!.id)
            }
            try w.delete(IPRuleRecord.self, id: rule.meta!.id)
        }
    }

    /// The entries a user may connect from (none: no restriction).
    public func userIPRules(_ login: String) throws -> [IPRuleRecord] {
        try read { r in try Self.allowed(for: try Self.user(login, in: r).meta!.id, in: r) }
    }

    /// Sets the entries a user may connect from; none lifts the restriction.
    public func setUserIPRules(_ login: String, _ names: [String], by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, "user.ip_rules") { w in try Self.setIPRules(of: try Self.user(login, in: w), names, in: w) }
    }

    static func setIPRules(of user: UserRecord, _ names: [String], in w: Writer) throws {
        let rules = try names.map { name -> IPRuleRecord in
            guard let rule = try w.fetchAll(IPRuleRecord.self, matching: ["name": .text(name.trimmed())]).first else {
                throw CoreError.notFound(what: Localized(ro: "adresa IP", en: "IP entry"), ref: name)
            }
            return rule
        }
        let wanted = Set(rules.map { $0.meta!.id })
        let links = try w.fetchAll(UserIPRuleRecord.self, matching: ["user_id": .int(user.meta!.id)])
        for link in links where !wanted.contains(link.ruleID) { try w.delete(UserIPRuleRecord.self, id: link.meta!.id) }
        for id in wanted.subtracting(links.map(\.ruleID)) {
            try w.insert(UserIPRuleRecord(userID: user.meta!.id, ruleID: id))
        }
    }

    /// Whether IP-restricted users may work from a local session.
    public func localSessionsAllowed() throws -> Bool {
        try read { try $0.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.localSessionsSetting)]).first?.value } != "restrict"
    }

    public func setLocalSessionsAllowed(_ allowed: Bool, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, "setting.set") { w in
            let value = allowed ? "allow" : "restrict"
            if let current = try w.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.localSessionsSetting)]).first {
                try w.update(AppSettingRecord.self, id: current.meta!.id, set: ["value": .text(value)])
            } else {
                try w.insert(AppSettingRecord(name: Self.localSessionsSetting, value: value))
            }
        }
    }

    /// Lets a session in, or refuses it: a user with allowed addresses must come
    /// from one of them (`source`: the SSH client's address, nil for a local
    /// session, which follows the local-sessions setting).
    public func checkAccess(_ actor: Actor, from source: String?) throws {
        try read { r in
            let allowed = try Self.allowed(for: actor.id, in: r)
            guard !allowed.isEmpty else { return }
            guard let source else {
                let local = try r.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.localSessionsSetting)]).first?.value
                guard local == "restrict" else { return }
                throw CoreError.refused(Localized(
                    ro: "utilizatorul \(actor.login) poate lucra doar de la adresele permise, nu dintr-o sesiune locală; cereți administratorului",
                    en: "user \(actor.login) may only work from the allowed addresses, not from a local session; ask an administrator"))
            }
            guard allowed.contains(where: { IPRange($0.address)?.contains(source) == true }) else {
                throw CoreError.refused(Localized(
                    ro: "utilizatorul \(actor.login) nu poate lucra de la adresa \(source); adrese permise: \(allowed.map(\.name).joined(separator: ", "))",
                    en: "user \(actor.login) may not work from \(source); allowed: \(allowed.map(\.name).joined(separator: ", "))"))
            }
        }
    }

    static func allowed(for userID: Int64, in r: Reader) throws -> [IPRuleRecord] {
        let ids = Set(try r.fetchAll(UserIPRuleRecord.self, matching: ["user_id": .int(userID)]).map(\.ruleID))
        return try r.fetchAll(IPRuleRecord.self, orderBy: ["name"]).filter { ids.contains($0.meta!.id) }
    }
}
