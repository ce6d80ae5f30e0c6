import CRMStore
import CRMText
import CSodium
import Foundation

/// Passwords as Argon2id hashes in libsodium's string form
/// (`crypto_pwhash_str`: the algorithm, its costs and the salt travel with the
/// hash); a password itself is never stored nor logged.
public enum Passwords {
    /// The shortest password accepted.
    public static let minimumLength = 10

    private static let ready: Bool = sodium_init() >= 0

    /// The hash of a password, or why the password is refused.
    public static func hash(_ password: String) throws -> String {
        guard password.count >= minimumLength else {
            throw CoreError.invalid([.init(field: "password", value: "", reason: .tooShort(min: minimumLength))])
        }
        guard ready else { throw CoreError.refused(Localized(ro: "libsodium nu pornește", en: "libsodium does not start")) }
        var out = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        let rc = crypto_pwhash_str(&out, password, UInt64(password.utf8.count), UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE),
                                   Int(crypto_pwhash_MEMLIMIT_INTERACTIVE))
        guard rc == 0 else {
            throw CoreError.refused(Localized(ro: "memorie insuficientă pentru hash-ul parolei",
                                              en: "not enough memory to hash the password"))
        }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether a password matches a stored hash.
    public static func verify(_ password: String, hash: String) -> Bool {
        guard ready, hash.hasPrefix("$argon2") else { return false }
        return crypto_pwhash_str_verify(hash, password, UInt64(password.utf8.count)) == 0
    }
}

/// What an administrator may change of a user (nil: unchanged).
public struct UserChanges: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var mobile: String?
    /// "" unmaps the Unix login.
    public var unixLogin: String?
    public var isAdmin: Bool?

    public init(name: String? = nil, email: String? = nil, mobile: String? = nil, unixLogin: String? = nil, isAdmin: Bool? = nil) {
        self.name = name
        self.email = email
        self.mobile = mobile
        self.unixLogin = unixLogin
        self.isAdmin = isAdmin
    }
}

extension CRM {
    /// A new user (ADM-1), checked like every other write: a login of letters,
    /// digits and `. _ -`, a name, a valid e-mail and mobile, a Unix login no
    /// one else has; the password, when given, stored as an Argon2id hash.
    @discardableResult
    public func addUser(login: String, name: String, email: String? = nil, mobile: String? = nil, unixLogin: String? = nil,
                        isAdmin: Bool = false, password: String? = nil, zones: [String] = [], by actor: Actor) throws -> UserRecord {
        try policy.authorize(actor, .admin, .administration)
        var issues: [ValidationIssue] = []
        let clean = login.trimmed().lowercased()
        if clean.isEmpty || clean.count > 64 || !clean.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0) }) {
            issues.append(.init(field: "login", value: login, reason: .invalidLogin))
        }
        var user = UserRecord(login: clean, name: name.trimmed(), isAdmin: isAdmin)
        if user.name.isEmpty { issues.append(.init(field: "name", value: "", reason: .required)) }
        try Self.apply(UserChanges(email: email, mobile: mobile, unixLogin: unixLogin), to: &user, issues: &issues)
        let hash = try password.map(Passwords.hash)
        user.passwordHash = hash
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return try write(actor, "user.add") { w in
            if try w.count(UserRecord.self, matching: ["login": .text(clean)]) > 0 {
                throw CoreError.invalid([.init(field: "login", value: clean, reason: .duplicate(of: clean))])
            }
            try Self.checkUnixLogin(user, in: w)
            return try Self.insert(user, zones: zones, in: w)
        }
    }

    /// Changes a user's details (administrators).
    @discardableResult
    public func editUser(_ login: String, _ changes: UserChanges, by actor: Actor) throws -> [FieldChange] {
        try policy.authorize(actor, .admin, .administration)
        return try write(actor, "user.edit") { w in
            var user = try Self.user(login, in: w)
            let wasAdmin = user.isAdmin
            var issues: [ValidationIssue] = []
            try Self.apply(changes, to: &user, issues: &issues)
            guard issues.isEmpty else { throw CoreError.invalid(issues) }
            if wasAdmin && !user.isAdmin { try Self.keepAnAdministrator(except: user, in: w) }
            try Self.checkUnixLogin(user, in: w)
            let stored = Dictionary(uniqueKeysWithValues: zip(UserRecord.columns, user.values))
            let fields = ["name", "email", "mobile", "unix_login", "is_admin"]
            return try w.update(UserRecord.self, id: user.meta!.id, set: stored.filter { fields.contains($0.key) })
        }
    }

    /// Disables (or enables again) a user: a disabled user cannot open the CRM.
    public func setUserDisabled(_ login: String, _ disabled: Bool, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, disabled ? "user.disable" : "user.enable") { w in
            let user = try Self.user(login, in: w)
            if disabled {
                guard user.meta?.id != actor.id else {
                    throw CoreError.refused(Localized(ro: "nu vă puteți dezactiva propriul utilizator", en: "you cannot disable your own user"))
                }
                if user.isAdmin { try Self.keepAnAdministrator(except: user, in: w) }
            }
            try w.update(UserRecord.self, id: user.meta!.id, set: ["disabled": .bool(disabled)])
        }
    }

    /// Sets a password: anyone their own, an administrator anyone's.
    public func setPassword(_ login: String?, _ password: String, by actor: Actor) throws {
        let target = login?.trimmed().lowercased() ?? actor.login
        if target != actor.login { try policy.authorize(actor, .admin, .administration) }
        let hash = try Passwords.hash(password)
        try write(actor, "user.password") { w in
            let user = try Self.user(target, in: w)
            try w.update(UserRecord.self, id: user.meta!.id, set: ["password_hash": .text(hash)])
        }
    }

    /// The user a login and password open the CRM as; the same answer for an
    /// unknown login and a wrong password, so that logins cannot be guessed.
    /// Every failure is recorded (with `source`, the SSH client; nil: local),
    /// and a user allowed only some addresses is refused from any other,
    /// and after three in a quarter of an hour each new attempt for that login
    /// waits first — 1 s, then 2, 4… up to 30 s — whoever makes it.
    public func authenticate(login: String, password: String, source: String?) throws -> Actor {
        let key = login.trimmed().lowercased()
        let failures = try read { try $0.signInFailures(login: key, since: store.now - 15 * 60_000) }
        let wait = Self.signInDelay(afterFailures: failures)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        let refused = CoreError.refused(Localized(ro: "utilizator sau parolă greșite", en: "wrong user or password"))
        let user = try read { try $0.fetchAll(UserRecord.self, matching: ["login": .text(key)]).first }
        // As long as a real check, whatever the login.
        let matches = Passwords.verify(password, hash: user?.passwordHash ?? Self.decoyHash) && user?.passwordHash != nil
        guard let user, matches else {
            try write(nil, "sign_in.failed") { try $0.recordSignInFailure(login: key, source: source ?? "local") }
            throw refused
        }
        guard !user.disabled else {
            throw CoreError.refused(Localized(ro: "utilizatorul \(user.login) este dezactivat", en: "user \(user.login) is disabled"))
        }
        let actor = try read { try Self.actor(user, in: $0) }
        try checkAccess(actor, from: source)
        return actor
    }

    /// Seconds an attempt waits after this many recent failures.
    public static func signInDelay(afterFailures n: Int) -> TimeInterval {
        n < 3 ? 0 : min(30, pow(2, Double(n - 3)))
    }

    private static let decoyHash: String = (try? Passwords.hash(UUID().uuidString)) ?? ""

    // MARK: - Rules

    static func user(_ login: String, in r: Reader) throws -> UserRecord {
        guard let user = try r.fetchAll(UserRecord.self, matching: ["login": .text(login.trimmed().lowercased())]).first else {
            throw CoreError.notFound(what: Localized(ro: "utilizatorul", en: "user"), ref: login)
        }
        return user
    }

    static func apply(_ changes: UserChanges, to user: inout UserRecord, issues: inout [ValidationIssue]) throws {
        if let name = changes.name {
            let clean = name.trimmed()
            if clean.isEmpty { issues.append(.init(field: "name", value: "", reason: .required)) } else { user.name = clean }
        }
        if let email = changes.email {
            if email.trimmed().isEmpty { user.email = nil } else if let e = Email.normalize(email) { user.email = e } else {
                issues.append(.init(field: "email", value: email, reason: .invalidEmail))
            }
        }
        if let mobile = changes.mobile {
            if mobile.trimmed().isEmpty { user.mobile = nil } else if let m = Phone.normalize(mobile) { user.mobile = m } else {
                issues.append(.init(field: "mobile", value: mobile, reason: .invalidPhone))
            }
        }
        if let unix = changes.unixLogin { user.unixLogin = unix.trimmed().isEmpty ? nil : unix.trimmed() }
        if let admin = changes.isAdmin { user.isAdmin = admin }
    }

    static func checkUnixLogin(_ user: UserRecord, in r: Reader) throws {
        guard let unix = user.unixLogin,
              let other = try r.fetchAll(UserRecord.self, matching: ["unix_login": .text(unix)]).first(where: { $0.meta?.id != user.meta?.id })
        else { return }
        throw CoreError.invalid([.init(field: "unix_login", value: unix, reason: .duplicate(of: other.login))])
    }

    /// Refuses a change that would leave no enabled administrator.
    static func keepAnAdministrator(except user: UserRecord, in r: Reader) throws {
        let others = try r.fetchAll(UserRecord.self, matching: ["is_admin": .int(1), "disabled": .int(0)])
            .filter { $0.meta?.id != user.meta?.id }
        guard others.isEmpty else { return }
        throw CoreError.refused(Localized(ro: "\(user.login) este ultimul administrator activ; numiți întâi un alt administrator",
                                          en: "\(user.login) is the last enabled administrator; make someone else one first"))
    }

    // MARK: - Rights

    /// A user's rights; nil when none are set (the defaults: everything but administration).
    public func userRights(_ login: String) throws -> Set<String>? {
        try read { r in try Self.rights(of: try Self.user(login, in: r), in: r) }
    }

    /// Sets a user's rights (names from `Rights.all`); nil goes back to the defaults.
    public func setUserRights(_ login: String, _ rights: Set<String>?, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        if let unknown = rights?.subtracting(Rights.all).sorted().first {
            throw CoreError.invalid([.init(field: "right", value: unknown,
                                           reason: .invalidChoice(allowed: Rights.all))])
        }
        try write(actor, "user.rights") { w in try Self.setRights(of: try Self.user(login, in: w), rights, in: w) }
    }

    static func setRights(of user: UserRecord, _ rights: Set<String>?, in w: Writer) throws {
        let stored = try w.fetchAll(UserRightRecord.self, matching: ["user_id": .int(user.meta!.id)])
        let wanted = rights ?? []
        for row in stored where !wanted.contains(row.module + "." + row.action) {
            try w.delete(UserRightRecord.self, id: row.meta!.id)
        }
        let have = Set(stored.map { $0.module + "." + $0.action })
        for name in wanted.subtracting(have).sorted() {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            try w.insert(UserRightRecord(userID: user.meta!.id, module: parts[0], action: parts[1]))
        }
    }

    /// The permission page saved at once (Permisiuni utilizator): rights (nil:
    /// the defaults), zones (nil: every account) and allowed addresses (none:
    /// anywhere), all or nothing. Returns how many accounts have no zone.
    @discardableResult
    public func setUserAccess(_ login: String, rights: Set<String>?, zones: [String]?, addresses: [String],
                              by actor: Actor) throws -> Int {
        try policy.authorize(actor, .admin, .administration)
        if let unknown = rights?.subtracting(Rights.all).sorted().first {
            throw CoreError.invalid([.init(field: "right", value: unknown, reason: .invalidChoice(allowed: Rights.all))])
        }
        return try write(actor, "user.access") { w in
            let user = try Self.user(login, in: w)
            try Self.setRights(of: user, rights, in: w)
            try Self.setIPRules(of: user, addresses, in: w)
            return try Self.setZones(of: user, zones, in: w)
        }
    }

    /// The actor a user acts as: their rights and subscriptions loaded.
    static func actor(_ user: UserRecord, in r: Reader) throws -> Actor {
        let modules = try r.fetchAll(UserModuleRecord.self, matching: ["user_id": .int(user.meta!.id)]).map(\.module)
        let zones = try r.fetchAll(UserZoneRecord.self, matching: ["user_id": .int(user.meta!.id)]).map(\.zoneID)
        return Actor(user: user, rights: try rights(of: user, in: r), modules: modules.isEmpty ? nil : Set(modules), zones: zones)
    }

    /// The actor a user would be, with their rights and zones, for an
    /// administrator seeing the CRM through their eyes (benchmarks, support).
    public func actor(forLogin login: String, by actor: Actor) throws -> Actor {
        try policy.authorize(actor, .admin, .administration)
        return try read { r in try Self.actor(try Self.user(login, in: r), in: r) }
    }

    /// A user's subscriptions; nil: every module.
    public func userModules(_ login: String) throws -> Set<String>? {
        try read { r in try Self.actor(try Self.user(login, in: r), in: r).modules }
    }

    /// Sets the modules a user may open; nil or empty: every module.
    public func setUserModules(_ login: String, _ modules: Set<String>?, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        let names = Module.allCases.filter { $0 != .administration }.map(\.rawValue)
        if let unknown = modules?.subtracting(names).sorted().first {
            throw CoreError.invalid([.init(field: "module", value: unknown, reason: .invalidChoice(allowed: names))])
        }
        try write(actor, "user.modules") { w in
            let user = try Self.user(login, in: w)
            let stored = try w.fetchAll(UserModuleRecord.self, matching: ["user_id": .int(user.meta!.id)])
            let wanted = modules ?? []
            for row in stored where !wanted.contains(row.module) { try w.delete(UserModuleRecord.self, id: row.meta!.id) }
            for module in wanted.subtracting(stored.map(\.module)).sorted() {
                try w.insert(UserModuleRecord(userID: user.meta!.id, module: module))
            }
        }
    }

    static func rights(of user: UserRecord, in r: Reader) throws -> Set<String>? {
        let rows = try r.fetchAll(UserRightRecord.self, matching: ["user_id": .int(user.meta!.id)])
        return rows.isEmpty ? nil : Set(rows.map { $0.module + "." + $0.action })
    }
}
