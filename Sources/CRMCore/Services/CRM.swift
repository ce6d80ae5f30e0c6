import CRMStore
import CRMText

/// The core: every business operation, named by intent, for every entry point.
/// Each one takes the acting user, asks the access policy, validates, and writes
/// through the store's one write path (so the change log sees it).
public final class CRM: Sendable {
    public let store: Store
    public let policy: any AccessPolicy

    /// The root folder's name (ACC-1).
    public static let rootFolderName = "Conturi"

    public init(store: Store, policy: any AccessPolicy = DefaultAccessPolicy()) {
        self.store = store
        self.policy = policy
    }

    /// Reads the base whole: what no user's zones limit (users, settings, the
    /// checks an operation makes of the whole base).
    func read<T>(_ body: (Reader) throws -> T) throws -> T {
        try storeCall { try store.read(body) }
    }

    /// Reads as `actor` sees the base: the accounts of their zones, and what
    /// hangs off them.
    func read<T>(for actor: Actor, _ body: (Reader) throws -> T) throws -> T {
        try storeCall {
            try store.read { r in
                r.zones = actor.zones
                return try body(r)
            }
        }
    }

    /// Writes as `actor`: recorded under their name, and seeing (and so
    /// changing) only the accounts of their zones.
    func write<T>(_ actor: Actor?, _ operation: String, _ body: (Writer) throws -> T) throws -> T {
        try storeCall {
            try store.write(userID: actor?.id, operation: operation) { w in
                w.zones = actor?.zones
                return try body(w)
            }
        }
    }

    /// Changes when another session (another process) has written to the file.
    public func dataVersion() throws -> Int {
        try read { try $0.dataVersion() }
    }

    // MARK: - Setting up a database

    /// Makes a new database usable: the root folder and an administrator mapped to
    /// the given Unix login. Running it again changes nothing and returns the
    /// user mapped to that login; a login no user is mapped to is refused once
    /// the database has users.
    @discardableResult
    public func initialize(unixLogin: String, name: String? = nil) throws -> Actor {
        try write(nil, "database.init") { w in
            if try w.fetchAll(FolderRecord.self, matching: ["parent_id": .null]).isEmpty {
                try w.insert(FolderRecord(parentID: nil, name: CRM.rootFolderName, depth: 0))
            }
            if let user = try w.fetchAll(UserRecord.self, matching: ["unix_login": .text(unixLogin)]).first {
                return try Self.actor(user, in: w)
            }
            // Only a new database takes whoever sets it up as its administrator.
            guard try w.count(UserRecord.self) == 0 else {
                throw CoreError.refused(Localized(
                    ro: "baza de date are deja utilizatori și niciunul nu este asociat login-ului Unix «\(unixLogin)»; cereți unui administrator să vă adauge (crm user add … --unix-login \(unixLogin))",
                    en: "the database has users already and none is mapped to the Unix login «\(unixLogin)»; ask an administrator to add you (crm user add … --unix-login \(unixLogin))"))
            }
            var login = unixLogin
            if try w.count(UserRecord.self, matching: ["login": .text(login)]) > 0 { login = "admin-\(unixLogin)" }
            let admin = try w.insert(UserRecord(login: login, name: name ?? unixLogin, unixLogin: unixLogin, isAdmin: true))
            return Actor(user: admin)
        }
    }

    // MARK: - Users

    /// The user mapped to a Unix login, for a session from `source` (the SSH
    /// client's address; nil: a local session); refuses disabled users and
    /// addresses the user may not work from.
    public func actor(unixLogin: String, from source: String?) throws -> Actor {
        let actor = try mappedActor(unixLogin: unixLogin)
        try checkAccess(actor, from: source)
        return actor
    }

    private func mappedActor(unixLogin: String) throws -> Actor {
        guard let user = try read({ try $0.fetchAll(UserRecord.self, matching: ["unix_login": .text(unixLogin)]).first }) else {
            throw CoreError.refused(Localized(
                ro: "niciun utilizator CRM nu este asociat login-ului Unix «\(unixLogin)»; un administrator îl poate asocia (sau rulați `crm init` pe o bază nouă)",
                en: "no CRM user is mapped to the Unix login «\(unixLogin)»; an administrator can map it (or run `crm init` on a new database)"))
        }
        guard !user.disabled else {
            throw CoreError.refused(Localized(ro: "utilizatorul \(user.login) este dezactivat",
                                              en: "user \(user.login) is disabled"))
        }
        return try read { try Self.actor(user, in: $0) }
    }

    public func users() throws -> [UserRecord] {
        try read { try $0.fetchAll(UserRecord.self, orderBy: ["login"]) }
    }

    public func zones() throws -> [ZoneRecord] {
        try read { try $0.fetchAll(ZoneRecord.self, orderBy: ["name"]) }
    }

    /// The zones a user may put accounts in: theirs, or all of them.
    public func zones(for actor: Actor) throws -> [ZoneRecord] {
        try zones().filter { zone in actor.zones.map { $0.contains(zone.meta!.id) } ?? true }
    }

    /// Whether some user is limited to zones: the zone is then mandatory on accounts.
    public func zonesInUse() throws -> Bool {
        try read { try $0.count(UserZoneRecord.self) > 0 }
    }

    /// Adds a user (used by `crm demo`; the rights module adds the admin screens).
    @discardableResult
    public func addUser(_ user: UserRecord, zones: [String] = [], by actor: Actor) throws -> UserRecord {
        try policy.authorize(actor, .admin, .administration)
        return try write(actor, "user.add") { w in try Self.insert(user, zones: zones, in: w) }
    }

    /// A user and the zones they see.
    static func insert(_ user: UserRecord, zones: [String], in w: Writer) throws -> UserRecord {
        let saved = try w.insert(user)
        for zone in try zoneRecords(zones, in: w) {
            try w.insert(UserZoneRecord(userID: saved.meta!.id, zoneID: zone.meta!.id))
        }
        return saved
    }

    /// The zones named (case and diacritics aside); an unknown name is refused.
    static func zoneRecords(_ names: [String], in r: Reader) throws -> [ZoneRecord] {
        let all = try r.fetchAll(ZoneRecord.self)
        var issues: [ValidationIssue] = []
        let found = names.compactMap { name -> ZoneRecord? in
            guard let zone = all.first(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) else {
                issues.append(.init(field: "zone", value: name, reason: .unknownZone))
                return nil
            }
            return zone
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return found
    }

    /// The zones a user is limited to (names); nil: none, they see every account.
    public func userZones(_ login: String) throws -> [String]? {
        try read { r in
            let user = try Self.user(login, in: r)
            let ids = Set(try r.fetchAll(UserZoneRecord.self, matching: ["user_id": .int(user.meta!.id)]).map(\.zoneID))
            let names = try r.fetchAll(ZoneRecord.self, orderBy: ["name"]).filter { ids.contains($0.meta!.id) }.map(\.name)
            return names.isEmpty ? nil : names
        }
    }

    /// Limits a user to these zones; nil or empty: every account. Returns how
    /// many accounts have no zone: no limited user sees them, and the zone is
    /// mandatory on them at their next change.
    @discardableResult
    public func setUserZones(_ login: String, _ names: [String]?, by actor: Actor) throws -> Int {
        try policy.authorize(actor, .admin, .administration)
        return try write(actor, "user.zones") { w in try Self.setZones(of: try Self.user(login, in: w), names, in: w) }
    }

    static func setZones(of user: UserRecord, _ names: [String]?, in w: Writer) throws -> Int {
        let wanted = Set(try Self.zoneRecords(names ?? [], in: w).map { $0.meta!.id })
        let current = try w.fetchAll(UserZoneRecord.self, matching: ["user_id": .int(user.meta!.id)])
        for row in current where !wanted.contains(row.zoneID) {
            try w.delete(UserZoneRecord.self, id: row.meta!.id)
        }
        for id in wanted.subtracting(current.map(\.zoneID)).sorted() {
            try w.insert(UserZoneRecord(userID: user.meta!.id, zoneID: id))
        }
        return try w.count(UserZoneRecord.self) > 0 ? w.count(AccountRecord.self, matching: ["zone_id": .null]) : 0
    }

    @discardableResult
    public func addZone(name: String, by actor: Actor) throws -> ZoneRecord {
        try policy.authorize(actor, .admin, .administration)
        var issues: [ValidationIssue] = []
        let value = FieldRules.text(name, field: "zone", max: 100, issues: &issues)
        guard case .text(let clean) = value, issues.isEmpty else {
            throw CoreError.invalid(issues.isEmpty ? [.init(field: "zone", value: name, reason: .required)] : issues)
        }
        return try write(actor, "zone.add") { try $0.insert(ZoneRecord(name: clean)) }
    }

    // MARK: - Change log

    /// The change history of one row, oldest first. An account outside the
    /// user's zones, or a contact of one, has none to show: it is not found.
    public func history(of uuid: RowUUID, for actor: Actor) throws -> [ChangeLogEntry] {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in
            let entries = try r.changes(rowUUID: uuid)
            guard r.zones != nil, let entity = entries.first?.entity else { return entries }
            let account: AccountRecord?
            switch entity {
            case AccountRecord.table: account = try r.fetch(AccountRecord.self, uuid: uuid)
            case ContactRecord.table: account = try r.fetch(ContactRecord.self, uuid: uuid).flatMap { try r.fetch(AccountRecord.self, id: $0.accountID) }
            default: return entries
            }
            guard let account, r.isVisible(account) else {
                throw CoreError.notFound(what: Localized(ro: "istoricul", en: "history"), ref: uuid.description)
            }
            return entries
        }
    }

    /// The audit trail across the base (administrators): who changed what, when,
    /// newest first; by a user (login), since a moment, of one entity.
    public func audit(user: String? = nil, since: Int64? = nil, entity: String? = nil, limit: Int = 200,
                      for actor: Actor) throws -> [ChangeLogEntry] {
        try policy.authorize(actor, .admin, .administration)
        return try read { r in
            let userID = try user.map { try Self.user($0, in: r).meta!.id }
            return try r.changes(userID: userID, since: since, entity: entity, limit: max(1, limit))
        }
    }
}
