import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore
import Foundation

/// `crm user add|list|edit|disable|enable`: the CRM's users (administrators).
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list, change, disable or enable users (administrators).",
        subcommands: [Add.self, List.self, Edit.self, Disable.self, Enable.self, IP.self, Rights.self, Modules.self, Zones.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; --password-stdin sets the password from one line of input.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The login (lower-case letters, digits, . _ -).") var login: String
        @Option(help: "The full name.") var name: String
        @Option(help: "E-mail.") var email: String?
        @Option(help: "Mobile phone.") var mobile: String?
        @Option(name: .customLong("unix-login"), help: "The Unix login that opens the CRM as this user without a password.")
        var unixLogin: String?
        @Flag(help: "An administrator.") var admin = false
        @Option(help: "A zone the user sees (repeatable).") var zone: [String] = []
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordStdin = false

        func run() throws {
            let s = try Session.open(database)
            let password = passwordStdin ? try PasswordInput.read(prompt: nil, lang: s.lang) : nil
            let user = try s.crm.addUser(login: login, name: name, email: email, mobile: mobile, unixLogin: unixLogin,
                                         isAdmin: admin, password: password, zones: zone, by: s.actor)
            s.print(s.t("Utilizator adăugat: \(user.login)", "User added: \(user.login)")
                    + (password == nil && unixLogin == nil ? s.t(" (fără parolă încă: crm passwd \(user.login))",
                                                                 " (no password yet: crm passwd \(user.login))") : ""))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let s = try Session.open(database)
            let users = try s.crm.users()
            let zones = try users.map { try s.crm.userZones($0.login) }
            if output.json {
                s.printJSON(.array(zip(users, zones).map { u, z in
                    .object([("login", .string(u.login)), ("name", .string(u.name)), ("email", u.email.map(JSONDocument.string) ?? .null),
                             ("mobile", u.mobile.map(JSONDocument.string) ?? .null), ("unixLogin", u.unixLogin.map(JSONDocument.string) ?? .null),
                             ("admin", .bool(u.isAdmin)), ("disabled", .bool(u.disabled)), ("password", .bool(u.passwordHash != nil)),
                             ("zones", z.map { .array($0.map(JSONDocument.string)) } ?? .null)])
                }))
                return
            }
            let yes = s.t("da", "yes"), no = s.t("nu", "no")
            s.print(TextTable(headers: [s.t("Login", "Login"), s.t("Nume", "Name"), "E-mail", s.t("Mobil", "Mobile"),
                                        s.t("Login Unix", "Unix login"), "Admin", s.t("Parolă", "Password"), s.t("Activ", "Enabled"),
                                        s.t("Zone", "Zones")],
                              rows: zip(users, zones).map { u, z in
                                  [u.login, u.name, u.email ?? "", u.mobile ?? "", u.unixLogin ?? "", u.isAdmin ? yes : no,
                                   u.passwordHash != nil ? yes : no, u.disabled ? no : yes, z?.joined(separator: ", ") ?? s.t("toate", "all")]
                              }).render())
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a user's details (\"\" clears one).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The login.") var login: String
        @Option(help: "The full name.") var name: String?
        @Option(help: "E-mail.") var email: String?
        @Option(help: "Mobile phone.") var mobile: String?
        @Option(name: .customLong("unix-login"), help: "The Unix login mapped to the user.") var unixLogin: String?
        @Option(help: "yes or no: an administrator.") var admin: String?

        func run() throws {
            let s = try Session.open(database)
            let isAdmin = try admin.map { value -> Bool in
                switch value.lowercased() {
                case "yes", "da", "y", "d", "1", "true": return true
                case "no", "nu", "n", "0", "false": return false
                default: throw CLIError(message: Localized(ro: "--admin «\(value)»: scrieți da sau nu", en: "--admin «\(value)»: write yes or no"))
                }
            }
            let changes = try s.crm.editUser(login, UserChanges(name: name, email: email, mobile: mobile, unixLogin: unixLogin,
                                                                isAdmin: isAdmin), by: s.actor)
            s.printChanges(changes, updated: Localized(ro: "Utilizator actualizat", en: "User updated"))
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: they can no longer open the CRM.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The login.") var login: String

        func run() throws { try UserCommand.set(login, disabled: true, database) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The login.") var login: String

        func run() throws { try UserCommand.set(login, disabled: false, database) }
    }

    static func set(_ login: String, disabled: Bool, _ database: DatabaseOptions) throws {
        let s = try Session.open(database)
        try s.crm.setUserDisabled(login, disabled, by: s.actor)
        s.print(disabled ? s.t("Utilizator dezactivat: \(login)", "User disabled: \(login)")
                : s.t("Utilizator activat: \(login)", "User enabled: \(login)"))
    }
}

/// `crm passwd [LOGIN]`: sets your password, or (administrators) anyone's.
struct PasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd", abstract: "Set your password (an administrator: anyone's); asked twice, not shown.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The user (default: you).") var login: String?
    @Flag(help: "Read the password from one line of standard input.") var stdin = false

    func run() throws {
        let s = try Session.open(database)
        let password: String
        if stdin {
            password = try PasswordInput.read(prompt: nil, lang: s.lang)
        } else {
            let first = try PasswordInput.read(prompt: s.t("Parola nouă: ", "New password: "), lang: s.lang)
            let second = try PasswordInput.read(prompt: s.t("Încă o dată: ", "Again: "), lang: s.lang)
            guard first == second else {
                throw CLIError(message: Localized(ro: "parolele nu coincid; nu s-a schimbat nimic",
                                                  en: "the passwords differ; nothing was changed"))
            }
            password = first
        }
        try s.crm.setPassword(login, password, by: s.actor)
        s.print(s.t("Parola a fost schimbată", "The password was changed"))
    }
}

/// A password from the terminal without echo, or a line of standard input.
enum PasswordInput {
    static func read(prompt: String?, lang: Language) throws -> String {
        let terminal = isatty(STDIN_FILENO) == 1
        var saved = termios()
        if let prompt, terminal {
            FileHandle.standardError.write(Data(prompt.utf8))
            tcgetattr(STDIN_FILENO, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if prompt != nil && terminal {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = readLine(strippingNewline: true) else {
            throw CLIError(message: Localized(ro: "nu s-a primit nicio parolă", en: "no password was given"))
        }
        return line
    }
}

extension UserCommand {
    /// `crm user rights LOGIN`: what a user may do, per module and action.
    struct Rights: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rights",
            abstract: "Show or set a user's rights (module.action, such as accounts.add); a role sets many at once.",
            discussion: "Roles: citire (view everything), vanzari (all but delete and import), complet (all). A user with no rights set may do everything but administration.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The login.") var login: String
        @Option(help: "Start from a role: citire, vanzari or complet.") var role: String?
        @Option(help: "Grant a right (repeatable).") var grant: [String] = []
        @Option(help: "Take a right away (repeatable).") var revoke: [String] = []
        @Flag(name: .customLong("default"), help: "Back to the defaults (everything but administration).") var reset = false

        func run() throws {
            let s = try Session.open(database)
            if reset {
                try s.crm.setUserRights(login, nil, by: s.actor)
            } else if role != nil || !grant.isEmpty || !revoke.isEmpty {
                var rights: Set<String>
                if let role {
                    guard let preset = CRMCore.Rights.roles[role] else {
                        throw CLIError(message: Localized(ro: "rolul «\(role)» nu există; alegeți citire, vanzari sau complet",
                                                          en: "no role «\(role)»; choose citire, vanzari or complet"))
                    }
                    rights = preset
                } else {
                    rights = try s.crm.userRights(login) ?? Set(CRMCore.Rights.all)
                }
                rights.formUnion(grant)
                rights.subtract(revoke)
                try s.crm.setUserRights(login, rights, by: s.actor)
            }
            let current = try s.crm.userRights(login)
            s.print(current.map { s.t("Drepturi \(login): ", "Rights of \(login): ") + $0.sorted().joined(separator: ", ") }
                    ?? s.t("\(login): drepturile implicite (tot, în afară de administrare)", "\(login): the defaults (everything but administration)"))
        }
    }
}

extension UserCommand {
    /// `crm user modules LOGIN [MODULE...]`: the user's subscriptions (Abonamente).
    struct Modules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "modules",
            abstract: "Show or set the modules a user may open (accounts, opportunities, activities, offers, invoicing, campaigns, dashboard).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The login.") var login: String
        @Argument(help: "The modules; none with --all.") var modules: [String] = []
        @Flag(help: "Every module.") var all = false

        func run() throws {
            let s = try Session.open(database)
            if all { try s.crm.setUserModules(login, nil, by: s.actor) } else if !modules.isEmpty {
                try s.crm.setUserModules(login, Set(modules), by: s.actor)
            }
            let current = try s.crm.userModules(login)
            s.print(current.map { s.t("Abonamente \(login): ", "Modules of \(login): ") + $0.sorted().joined(separator: ", ") }
                    ?? s.t("\(login): toate modulele", "\(login): every module"))
        }
    }
}
