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

    func read<T>(_ body: (Reader) throws -> T) throws -> T {
        try storeCall { try store.read(body) }
    }

    func write<T>(_ actor: Actor?, _ operation: String, _ body: (Writer) throws -> T) throws -> T {
        try storeCall { try store.write(userID: actor?.id, operation: operation, body) }
    }

    /// Changes when another session (another process) has written to the file.
    public func dataVersion() throws -> Int {
        try read { try $0.dataVersion() }
    }

    // MARK: - Setting up a database

    /// Makes a new database usable: the root folder and an administrator mapped to
    /// the given Unix login. Running it again changes nothing and returns the
    /// administrator mapped to that login.
    @discardableResult
    public func initialize(unixLogin: String, name: String? = nil) throws -> Actor {
        try write(nil, "database.init") { w in
            if try w.fetchAll(FolderRecord.self, matching: ["parent_id": .null]).isEmpty {
                try w.insert(FolderRecord(parentID: nil, name: CRM.rootFolderName, depth: 0))
            }
            if let user = try w.fetchAll(UserRecord.self, matching: ["unix_login": .text(unixLogin)]).first {
                return try Self.actor(user, in: w)
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

    /// Adds a user (used by `crm demo`; the rights module adds the admin screens).
    @discardableResult
    public func addUser(_ user: UserRecord, zones: [String] = [], by actor: Actor) throws -> UserRecord {
        try policy.authorize(actor, .admin, .administration)
        return try write(actor, "user.add") { w in try Self.insert(user, zones: zones, in: w) }
    }

    /// A user and the zones they see.
    static func insert(_ user: UserRecord, zones: [String], in w: Writer) throws -> UserRecord {
        let saved = try w.insert(user)
        for zoneName in zones {
            guard let zone = try w.fetchAll(ZoneRecord.self, matching: ["name": .text(zoneName)]).first else {
                throw CoreError.invalid([.init(field: "zone", value: zoneName, reason: .unknownZone)])
            }
            try w.insert(UserZoneRecord(userID: saved.meta!.id, zoneID: zone.meta!.id))
        }
        return saved
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

    public func history(of uuid: RowUUID) throws -> [ChangeLogEntry] {
        try read { try $0.changes(rowUUID: uuid) }
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
