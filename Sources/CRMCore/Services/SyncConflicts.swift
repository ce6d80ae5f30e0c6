import CRMStore

/// Sync as the core shows it (docs/sync.md): how far this file has got, and
/// the values that lost to a later write on another replica, which an
/// administrator may put back.
extension CRM {
    /// Why a value lost, as people read it (`SyncConflict.reason`).
    public static func syncConflictReason(_ code: String) -> Localized {
        switch code {
        case "later": return Localized(ro: "altă modificare, mai nouă", en: "a later edit")
        case "deleted": return Localized(ro: "rândul a fost șters", en: "the row was deleted")
        case "unique": return Localized(ro: "regulă de unicitate", en: "a unique rule")
        case "parent": return Localized(ro: "rândul de care ține a fost șters", en: "the row it belongs to was deleted")
        default: return Localized(ro: code, en: code)
        }
    }

    public func syncStatus() throws -> SyncStatus {
        try read { try $0.syncStatus() }
    }

    public func syncConflicts(open: Bool = true, by actor: Actor) throws -> [SyncConflict] {
        try policy.authorize(actor, .admin, .administration)
        return try read { try $0.syncConflicts(open: open) }
    }

    /// Writes the lost value again (or the lost row), as the actor's change: it
    /// is then the latest write, and wins on every replica at the next sync.
    public func restoreSyncConflict(id: Int64, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, "sync.restore") { w in try w.restoreSyncConflict(id: id) }
    }

    /// Leaves the value where it lost, and the conflict out of the list.
    public func dismissSyncConflict(id: Int64, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, "sync.dismiss") { w in try w.dismissSyncConflict(id: id) }
    }
}

extension CRM {
    /// A replica just made from the hub by someone who signed in to it as
    /// `login`'s role: their Unix login works here as that user.
    public func mapUnixLogin(_ unixLogin: String, toUser login: String) throws -> Actor {
        try write(nil, "sync.clone") { w in
            var user = try Self.user(login, in: w)
            guard !user.disabled else {
                throw CoreError.refused(Localized(ro: "utilizatorul \(user.login) este dezactivat", en: "user \(user.login) is disabled"))
            }
            if user.unixLogin != unixLogin {
                user.unixLogin = unixLogin
                try Self.checkUnixLogin(user, in: w)
                try w.update(UserRecord.self, id: user.meta!.id, set: ["unix_login": .text(unixLogin)])
            }
            return try Self.actor(user, in: w)
        }
    }
}
