import CRMStore

/// The user on whose behalf a core operation runs. Every operation takes one:
/// it is checked by the access policy and recorded on every row it writes.
public struct Actor: Sendable, Equatable {
    public let id: Int64
    public let login: String
    public let name: String
    public let isAdmin: Bool

    public init(user: UserRecord) {
        self.id = user.meta?.id ?? 0
        self.login = user.login
        self.name = user.name
        self.isAdmin = user.isAdmin
    }
}

/// The modules of the product, as rights are granted on them.
public enum Module: String, Sendable, CaseIterable {
    case accounts, opportunities, activities, offers, invoicing, campaigns, dashboard, administration
}

/// What a user may do in a module.
public enum Action: String, Sendable, CaseIterable {
    case view, add, edit, delete, export, `import`, admin
}

/// The seam where rights are checked. Every core service asks it before acting
/// and before showing rows; the rights module supplies the real rules (roles,
/// per-user rights, zones, IP rules, subscriptions).
public protocol AccessPolicy: Sendable {
    func authorize(_ actor: Actor, _ action: Action, _ module: Module) throws
}

/// Until rights are configured: every enabled user may do everything except the
/// administration actions, which need an administrator.
public struct DefaultAccessPolicy: AccessPolicy {
    public init() {}

    public func authorize(_ actor: Actor, _ action: Action, _ module: Module) throws {
        if (action == .admin || module == .administration) && !actor.isAdmin {
            throw CoreError.refused(Localized(
                ro: "doar un administrator poate face asta (utilizatorul \(actor.login) nu este administrator)",
                en: "only an administrator may do this (user \(actor.login) is not an administrator)"))
        }
    }
}
