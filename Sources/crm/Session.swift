import CRMCore
import CRMDocuments
import CRMStore
import Foundation

/// An opened database and the user the command acts for.
struct Session {
    let crm: CRM
    let actor: Actor
    let lang: Language

    /// Opens an existing database as the user mapped to the current Unix login,
    /// or, for someone no user is mapped to, as `$CRM_USER` once its password
    /// is typed at the terminal.
    static func open(_ options: DatabaseOptions) throws -> Session {
        let crm = try crm(options)
        if let mapped = try mapped(crm) { return mapped }
        let lang = Language.fromEnvironment()
        guard let login = ProcessInfo.processInfo.environment["CRM_USER"], !login.isEmpty, isatty(STDIN_FILENO) == 1 else {
            // The core's own refusal says what to do.
            return Session(crm: crm, actor: try crm.actor(unixLogin: unixLogin(), from: signInSource()), lang: lang)
        }
        let password = try PasswordInput.read(prompt: lang == .ro ? "Parola pentru \(login): " : "Password for \(login): ", lang: lang)
        return Session(crm: crm, actor: try crm.authenticate(login: login, password: password, source: signInSource()), lang: lang)
    }

    /// The session of the user mapped to the Unix login, or nil when no user is
    /// mapped to it (a disabled one is refused).
    static func mapped(_ crm: CRM) throws -> Session? {
        let login = unixLogin()
        guard try crm.users().contains(where: { $0.unixLogin == login }) else { return nil }
        return Session(crm: crm, actor: try crm.actor(unixLogin: login, from: signInSource()), lang: Language.fromEnvironment())
    }

    static func crm(_ options: DatabaseOptions) throws -> CRM {
        let path = options.path
        return CRM(store: try SharedInstall.opening(path) { try storeCall { try Store.open(path: path, mode: .existing) } })
    }

    /// Where a session comes from: the SSH client's address; nil for a local one.
    static func signInSource() -> String? {
        let env = ProcessInfo.processInfo.environment
        guard let connection = env["SSH_CONNECTION"] ?? env["SSH_CLIENT"], let address = connection.split(separator: " ").first else {
            return nil
        }
        return String(address)
    }

    /// The login of the Unix user running the program. Installed setgid, only
    /// the system's account database names it: `$USER` is the user's to set.
    static func unixLogin() -> String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name {
            return String(cString: name)
        }
        if SharedInstall.group != nil { return "uid-\(getuid())" }
        return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }

    func print(_ text: String) {
        Swift.print(text)
    }

    func printJSON(_ doc: JSONDocument) {
        Swift.print(doc.render())
    }

    func t(_ ro: String, _ en: String) -> String { lang == .ro ? ro : en }

    /// "Nothing to change." or "<what> updated: city, email".
    func printChanges(_ changes: [FieldChange], updated: Localized) {
        print(changes.isEmpty ? t("Nimic de schimbat.", "Nothing to change.")
              : updated.text(lang) + ": " + changes.map(\.field).joined(separator: ", "))
    }
}

/// Creates the folder that will hold a database file.
func ensureParentDirectory(of path: String) throws {
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
        throw CLIError(message: Localized(ro: "nu pot crea dosarul \(dir.path): \(error.localizedDescription)",
                                          en: "cannot create the folder \(dir.path): \(error.localizedDescription)"))
    }
}
