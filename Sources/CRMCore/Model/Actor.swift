import CRMStore

/// The user on whose behalf a core operation runs. Every operation takes one:
/// it is checked by the access policy and recorded on every row it writes.
public struct Actor: Sendable, Equatable {
    public let id: Int64
    public let login: String
    public let name: String
    public let isAdmin: Bool
    /// The rights granted ("accounts.add"…); nil: none configured, the defaults.
    public let rights: Set<String>?
    /// The modules the user subscribes to ("accounts"…); nil: all of them.
    public let modules: Set<String>?
    /// The zones whose accounts the user sees, in id order; nil: every account
    /// (a user without zones, and every administrator).
    public let zones: [Int64]?

    public init(user: UserRecord, rights: Set<String>? = nil, modules: Set<String>? = nil, zones: [Int64]? = nil) {
        self.id = user.meta?.id ?? 0
        self.login = user.login
        self.name = user.name
        self.isAdmin = user.isAdmin
        self.rights = rights
        self.modules = modules
        self.zones = user.isAdmin ? nil : zones.flatMap { $0.isEmpty ? nil : $0.sorted() }
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
        if actor.isAdmin { return }
        if action == .admin || module == .administration {
            throw CoreError.refused(Localized(
                ro: "doar un administrator poate face asta (utilizatorul \(actor.login) nu este administrator)",
                en: "only an administrator may do this (user \(actor.login) is not an administrator)"))
        }
        if let modules = actor.modules, !modules.contains(module.rawValue) {
            throw CoreError.refused(Localized(
                ro: "modulul \(module.label.ro) nu este în abonamentul utilizatorului \(actor.login); cereți-l unui administrator",
                en: "the \(module.label.en) module is not in user \(actor.login)'s subscription; ask an administrator"))
        }
        if let rights = actor.rights, !rights.contains(Rights.name(module, action)) {
            throw CoreError.refused(Localized(
                ro: "utilizatorul \(actor.login) nu are dreptul «\(action.label.ro)» în modulul \(module.label.ro); cereți-l unui administrator",
                en: "user \(actor.login) lacks the right to \(action.label.en) in \(module.label.en); ask an administrator"))
        }
    }
}

extension Module {
    public var label: Localized {
        switch self {
        case .accounts: return .init(ro: "Conturi", en: "Accounts")
        case .opportunities: return .init(ro: "Oportunități", en: "Opportunities")
        case .activities: return .init(ro: "Activități", en: "Activities")
        case .offers: return .init(ro: "Oferte", en: "Offers")
        case .invoicing: return .init(ro: "Facturare", en: "Invoicing")
        case .campaigns: return .init(ro: "Campanii", en: "Campaigns")
        case .dashboard: return .init(ro: "Tablou de bord", en: "Dashboard")
        case .administration: return .init(ro: "Administrare", en: "Administration")
        }
    }
}

extension Action {
    public var label: Localized {
        switch self {
        case .view: return .init(ro: "Vizualizare", en: "view")
        case .add: return .init(ro: "Adăugare", en: "add")
        case .edit: return .init(ro: "Modificare", en: "edit")
        case .delete: return .init(ro: "Ștergere", en: "delete")
        case .export: return .init(ro: "Export", en: "export")
        case .import: return .init(ro: "Import", en: "import")
        case .admin: return .init(ro: "Administrare", en: "administer")
        }
    }
}

/// Rights by name ("accounts.add") and the roles that grant several at once.
public enum Rights {
    public static func name(_ module: Module, _ action: Action) -> String { module.rawValue + "." + action.rawValue }

    /// Every right a user can be given (administration is the administrators').
    public static let all: [String] = Module.allCases.filter { $0 != .administration }.flatMap { m in
        Action.allCases.filter { $0 != .admin }.map { name(m, $0) }
    }

    /// Roles: a starting set of rights, adjusted per user afterwards.
    public static let roles: [String: Set<String>] = [
        "citire": Set(all.filter { $0.hasSuffix(".view") }),
        "vanzari": Set(all.filter { !$0.hasSuffix(".delete") && !$0.hasSuffix(".import") }),
        "complet": Set(all),
    ]
}
