import CRMCore
import CRMDocuments
import CRMStore
import Foundation

/// An opened database and the user the command acts for.
struct Session {
    let crm: CRM
    let actor: Actor
    let lang: Language

    /// Opens an existing database as the user mapped to the current Unix login.
    static func open(_ options: DatabaseOptions) throws -> Session {
        let store = try storeCall { try Store.open(path: options.path, mode: .existing) }
        let crm = CRM(store: store)
        return Session(crm: crm, actor: try crm.actor(unixLogin: unixLogin()), lang: Language.fromEnvironment())
    }

    /// The login of the Unix user running the program.
    static func unixLogin() -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name {
            return String(cString: name)
        }
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
