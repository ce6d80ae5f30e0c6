import CRMCore
import CRMStore
import TUIKit

/// Utilizatori: the users view and its dialogs (details, permission page,
/// subscriptions), every change through the core's user operations.
extension AccountBrowser {
    mutating func openUsers(cursor login: String? = nil, message: String? = nil) {
        guard actor.isAdmin else {
            self.message = t("Doar un administrator vede și schimbă utilizatorii", "Only an administrator sees and changes the users")
            return
        }
        let crm = self.crm
        guard let rows = attempt(nil, { try UsersView.load(crm: crm) }) else { return }
        var view = UsersView(rows: rows)
        if let login, let i = rows.firstIndex(where: { $0.user.login == login }) { view.cursor = i }
        view.message = message
        overlay = .users(view)
    }

    mutating func updateUsers(_ view: UsersView, _ key: Key) {
        var view = view
        let (crm, actor) = (self.crm, self.actor)
        switch view.handle(key, action: keymap.action(for: key, in: .dialog)) {
        case .none: overlay = .users(view)
        case .close: overlay = nil
        case .add:
            overlay = .dialog(Dialog(title: Localized(ro: "Adăugare utilizator", en: "Add user"), purpose: .userAdd,
                                     form: Form(fields: userFields(nil)), language: language))
        case .edit(let login):
            guard let row = view.selected, row.user.login == login else { return }
            overlay = .dialog(Dialog(title: Localized(ro: "Utilizator: \(login)", en: "User: \(login)"), purpose: .userEdit(login: login),
                                     form: Form(fields: userFields(row.user)), language: language))
        case .rights(let login):
            guard let row = view.selected, row.user.login == login else { return }
            let current = self
            guard let fields = attempt(nil, { try current.rightsFields(row) }) else { return }
            overlay = .dialog(Dialog(title: Localized(ro: "Permisiuni utilizator: \(login)", en: "User rights: \(login)"),
                                     purpose: .userRights(login: login), form: Form(fields: fields), language: language))
        case .modules(let login):
            guard let row = view.selected, row.user.login == login else { return }
            overlay = .dialog(Dialog(title: Localized(ro: "Abonamente: \(login)", en: "Subscriptions: \(login)"),
                                     purpose: .userModules(login: login), form: Form(fields: moduleFields(row)), language: language))
        case .toggleDisabled(let login):
            guard let row = view.selected, row.user.login == login else { return }
            do {
                try crm.setUserDisabled(login, !row.user.disabled, by: actor)
                openUsers(cursor: login, message: row.user.disabled ? t("Utilizator activat: \(login)", "User enabled: \(login)")
                                                                    : t("Utilizator dezactivat: \(login)", "User disabled: \(login)"))
            } catch {
                view.message = describe(error)
                overlay = .users(view)
            }
        }
    }

    func userFields(_ user: UserRecord?) -> [FormField] {
        var out: [FormField] = []
        if user == nil { out.append(FormField(id: "login", label: t("Login", "Login"), mandatory: true)) }
        out += [
            FormField(id: "name", label: t("Nume", "Name"), value: user?.name ?? "", mandatory: true),
            FormField(id: "email", label: "E-mail", value: user?.email ?? ""),
            FormField(id: "mobile", label: t("Mobil", "Mobile"), value: user?.mobile ?? ""),
            FormField(id: "unixLogin", label: t("Login Unix", "Unix login"), value: user?.unixLogin ?? ""),
            FormField(id: "admin", label: t("Administrator", "Administrator"), kind: .checkbox, value: user?.isAdmin == true ? "da" : "nu"),
            FormField(id: "password", label: user == nil ? t("Parolă", "Password") : t("Parolă nouă (gol: neschimbată)", "New password (empty: unchanged)"),
                      kind: .secret),
            FormField(id: "password2", label: t("Repetați parola", "Repeat the password"), kind: .secret),
        ]
        return out
    }

    /// Permisiuni utilizator: a role, every right of every module, the zones
    /// whose accounts the user sees (none ticked: all), the addresses they may
    /// work from (none ticked: any).
    func rightsFields(_ row: UsersView.Row) throws -> [FormField] {
        let roles = [FormField.Choice("", t("după bife", "as ticked")),
                     FormField.Choice("implicit", t("implicite (tot, fără administrare)", "defaults (all but administration)"))]
            + Rights.roles.keys.sorted().map { FormField.Choice($0) }
        var out = [FormField(id: "role", label: t("Rol (înlocuiește bifele)", "Role (replaces the ticks)"), kind: .choice(roles))]
        let granted = row.rights ?? Set(Rights.all)
        for module in Module.allCases where module != .administration {
            for action in CRMCore.Action.allCases where action != .admin {
                let name = Rights.name(module, action)
                out.append(FormField(id: "right." + name, label: "\(module.label.text(language)): \(action.label.text(language))",
                                     kind: .checkbox, value: granted.contains(name) ? "da" : "nu"))
            }
        }
        let zones = Set(row.zones ?? [])
        for zone in try crm.zones() {
            out.append(FormField(id: "zone." + zone.name, label: t("Zonă: ", "Zone: ") + zone.name, kind: .checkbox,
                                 value: zones.contains(zone.name) ? "da" : "nu"))
        }
        let addresses = Set(row.addresses)
        for rule in try crm.ipRules() {
            out.append(FormField(id: "ip." + rule.name, label: t("Adresă IP: ", "IP address: ") + "\(rule.name) (\(rule.address))",
                                 kind: .checkbox, value: addresses.contains(rule.name) ? "da" : "nu"))
        }
        return out
    }

    func moduleFields(_ row: UsersView.Row) -> [FormField] {
        Module.allCases.filter { $0 != .administration }.map { module in
            FormField(id: "module." + module.rawValue, label: module.label.text(language), kind: .checkbox,
                      value: row.modules.map { $0.contains(module.rawValue) } ?? true ? "da" : "nu")
        }
    }

    /// Saves one of the users' dialogs; back to the users view afterwards.
    mutating func saveUser(_ dialog: inout Dialog) throws {
        let (crm, actor, form) = (self.crm, self.actor, dialog.form)
        func optional(_ id: String) -> String? { form.value(id).trimmed().isEmpty ? nil : form.value(id) }
        let password = form.value("password")
        if password != form.value("password2") {
            dialog.form.show(errors: ["password2": t("Parolele nu sunt la fel; scrieți-o din nou", "The passwords differ; type it again")])
            return
        }
        // Checked before anything is saved, so that a short one leaves nothing half-done.
        if !password.isEmpty, password.count < Passwords.minimumLength {
            let issue = ValidationIssue(field: "password", value: "", reason: .tooShort(min: Passwords.minimumLength))
            dialog.form.show(errors: ["password": issue.message(language)])
            return
        }
        switch dialog.purpose {
        case .userAdd:
            let user = try crm.addUser(login: form.value("login"), name: form.value("name"), email: optional("email"),
                                       mobile: optional("mobile"), unixLogin: optional("unixLogin"), isAdmin: form.value("admin") == "da",
                                       password: password.isEmpty ? nil : password, by: actor)
            openUsers(cursor: user.login, message: t("Utilizator adăugat: \(user.login)", "User added: \(user.login)"))
        case .userEdit(let login):
            let changed = Set(form.changed.map(\.id))
            func value(_ id: String) -> String? { changed.contains(id) ? form.value(id) : nil }
            try crm.editUser(login, UserChanges(name: value("name"), email: value("email"), mobile: value("mobile"),
                                                unixLogin: value("unixLogin"), isAdmin: value("admin").map { $0 == "da" }), by: actor)
            if !password.isEmpty { try crm.setPassword(login, password, by: actor) }
            openUsers(cursor: login, message: t("Utilizator salvat: \(login)", "User saved: \(login)"))
        case .userRights(let login):
            let ticked = { (prefix: String) in form.fields.filter { $0.id.hasPrefix(prefix) && $0.isOn }.map { String($0.id.dropFirst(prefix.count)) } }
            let rights: Set<String>?
            switch form.value("role") {
            case "":
                // Every right ticked on a user with the defaults keeps the defaults
                // (which will also cover modules added later).
                let set = Set(ticked("right."))
                let hadDefaults = try crm.userRights(login) == nil
                rights = hadDefaults && set == Set(Rights.all) ? nil : set
            case "implicit": rights = nil
            case let role: rights = Rights.roles[role]
            }
            let zones = ticked("zone.")
            let withoutZone = try crm.setUserAccess(login, rights: rights, zones: zones.isEmpty ? nil : zones,
                                                    addresses: ticked("ip."), by: actor)
            openUsers(cursor: login, message: withoutZone > 0
                      ? t("Permisiuni salvate; atenție: \(withoutZone) conturi nu au zonă și nu le vede niciun utilizator limitat la zone",
                          "Rights saved; note: \(withoutZone) accounts have no zone and no zone-limited user sees them")
                      : t("Permisiuni salvate: \(login)", "Rights saved: \(login)"))
        case .userModules(let login):
            let modules = Set(form.fields.filter { $0.id.hasPrefix("module.") && $0.isOn }.map { String($0.id.dropFirst(7)) })
            let all = Set(Module.allCases.filter { $0 != .administration }.map(\.rawValue))
            try crm.setUserModules(login, modules == all ? nil : modules, by: actor)
            openUsers(cursor: login, message: t("Abonamente salvate: \(login)", "Subscriptions saved: \(login)"))
        default:
            break
        }
    }
}
