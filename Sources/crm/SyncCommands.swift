import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore
import CRMSync
import CRMText
import Foundation

/// `crm sync`: this file kept in step with the other replicas through a
/// PostgreSQL hub (docs/sync.md).
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync this file with the other replicas through a PostgreSQL hub.",
        discussion: """
            The hub's address is a libpq URL or key=value string (postgresql://crm@db.firma.ro/crm?sslmode=verify-full). \
            The password comes from --password-file, PGPASSWORD or ~/.pgpass, never from the address. \
            Without a subcommand: one round (push, then pull), or --watch to keep syncing.
            """,
        subcommands: [Round.self, InitHub.self, AddUser.self, Clone.self, Status.self, Conflicts.self],
        defaultSubcommand: Round.self)

    struct Hub: ParsableArguments {
        @Option(name: .customLong("postgres"), help: "The hub: a PostgreSQL address (default: the one of the last sync).") var url: String?
        @Option(help: "A file holding the PostgreSQL password (else PGPASSWORD or ~/.pgpass).") var passwordFile: String?

        func password() throws -> String? { try passwordFile.map(SyncCommand.readPassword) }

        func session(_ crm: CRM, actor: Actor?) throws -> SyncSession {
            let saved = try crm.syncStatus().url
            guard let url = url ?? saved else {
                throw CLIError(message: Localized(ro: "lipsește adresa hub-ului: --postgres URL (se ține minte după prima sincronizare)",
                                                  en: "the hub's address is missing: --postgres URL (remembered after the first sync)"))
            }
            return try SyncSession(crm: crm, actor: actor, url: url, password: try password())
        }
    }

    struct Round: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "now", abstract: "Push this file's changes, pull the others' (the default).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var hub: Hub
        @Flag(help: "Keep syncing: at every change here or on the hub (Ctrl+C stops).") var watch = false
        @Flag(help: "Print nothing but errors.") var quiet = false

        func run() throws {
            let s = try Session.open(database)
            let sync = try hub.session(s.crm, actor: s.actor)
            guard watch else {
                let r = try sync.round()
                if !quiet { s.print(SyncCommand.describe(r, s)) }
                return
            }
            if !quiet {
                s.print(s.t("Sincronizare continuă cu ", "Syncing continuously with ") + PostgresConnection.redacted(sync.url) + s.t(" (Ctrl+C oprește)", " (Ctrl+C stops)"))
                fflush(nil)
            }
            // Ctrl+C or SIGTERM: the round in hand ends (each batch whole), then the program.
            // A parent may have left them ignored or blocked (as a process launcher's threads do).
            signal(SIGTERM) { _ in SyncCommand.stopRequested.store(true) }
            signal(SIGINT) { _ in SyncCommand.stopRequested.store(true) }
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGTERM)
            sigaddset(&signals, SIGINT)
            sigprocmask(SIG_UNBLOCK, &signals, nil)
            sync.watch(stop: { SyncCommand.stopRequested.load() }) { result in
                switch result {
                case .success(let r) where r.pushed + r.pulled > 0 && !quiet:
                    s.print(Timestamp.local(Int64(Date().timeIntervalSince1970 * 1000)) + " " + SyncCommand.describe(r, s))
                    fflush(nil)  // a line at a time, also into a log file
                case .failure(let error):
                    FileHandle.standardError.write(Data((Timestamp.local(Int64(Date().timeIntervalSince1970 * 1000)) + " "
                        + s.t("eroare: ", "error: ") + SyncCommand.message(error, s.lang) + "\n").utf8))
                default: break
                }
            }
        }
    }

    /// Set by SIGTERM or SIGINT: `--watch` stops after the round in hand.
    static let stopRequested = StopFlag()

    static func describe(_ r: SyncRoundReport, _ s: Session) -> String {
        var text = s.t("Trimise: \(r.pushed) schimbări", "Pushed: \(r.pushed) changes") + "; "
            + s.t("primite: \(r.pulled) (aplicate \(r.applied.applied), mai vechi \(r.applied.older))",
                  "pulled: \(r.pulled) (applied \(r.applied.applied), older \(r.applied.older))")
        if r.blobsSent + r.blobsFetched > 0 { text += s.t("; fișiere: \(r.blobsSent) trimise, \(r.blobsFetched) primite", "; files: \(r.blobsSent) sent, \(r.blobsFetched) fetched") }
        if r.applied.conflicts > 0 { text += s.t("; conflicte noi: \(r.applied.conflicts) (crm sync conflicts)", "; new conflicts: \(r.applied.conflicts) (crm sync conflicts)") }
        if r.applied.pending > 0 { text += s.t("; în așteptare: \(r.applied.pending)", "; waiting: \(r.applied.pending)") }
        if r.restored > 0 {
            text += s.t("; valori puse la loc (locul lor s-a eliberat): \(r.restored)", "; values back (their place free again): \(r.restored)")
        }
        if r.applied.removed > 0 {
            text += s.t("; scoase (mutate în zone pe care nu le vedeți): \(r.applied.removed)", "; removed (moved into zones you do not see): \(r.applied.removed)")
        }
        return text + "."
    }

    struct InitHub: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init-hub", abstract: "Set up the hub's schema in a PostgreSQL database (administrators).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var hub: Hub

        func run() throws {
            let s = try Session.open(database)
            let id = try hub.session(s.crm, actor: s.actor).initHub()
            s.print(s.t("Hub-ul este gata (\(id)). Adăugați utilizatorii cu crm sync add-user LOGIN, apoi rulați crm sync pe fiecare calculator.",
                        "The hub is ready (\(id)). Add the users with crm sync add-user LOGIN, then run crm sync on every machine."))
        }
    }

    struct AddUser: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-user",
            abstract: "Let a CRM user sync: a PostgreSQL role of that name that pulls only their zones (administrators).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var hub: Hub
        @Argument(help: "The CRM user's login.") var login: String
        @Option(help: "A file holding the role's new password (else it is read from the terminal or standard input).") var rolePasswordFile: String?

        func run() throws {
            let s = try Session.open(database)
            let password: String
            if let rolePasswordFile {
                password = try SyncCommand.readPassword(rolePasswordFile)
            } else {
                password = try PasswordInput.read(prompt: s.t("Parola rolului PostgreSQL \(login): ", "Password of the PostgreSQL role \(login): "), lang: s.lang)
            }
            try hub.session(s.crm, actor: s.actor).addUser(login: login, password: password)
            s.print(s.t("Rolul PostgreSQL «\(login.lowercased())» poate sincroniza.", "The PostgreSQL role «\(login.lowercased())» may sync."))
        }
    }

    struct Clone: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new replica: a new file filled from the hub, its Unix login mapped to a CRM user.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var hub: Hub
        @Option(name: .customLong("as"), help: "The CRM user this Unix login works as (default: the PostgreSQL role's name).") var login: String?

        func run() throws {
            let path = database.path
            guard !FileManager.default.fileExists(atPath: path) else {
                throw CLIError(message: Localized(ro: "«\(path)» există deja; o replică nouă se face într-un fișier nou (--db)",
                                                  en: "«\(path)» exists already; a new replica is made in a new file (--db)"))
            }
            let lang = Language.fromEnvironment()
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let crm = CRM(store: try storeCall { try Store.open(path: path, mode: .createIfMissing) })
            do {
                let sync = try hub.session(crm, actor: nil)
                let role = try sync.connect().execute("SELECT current_user")[0][0] ?? ""
                let r = try sync.round()
                let actor = try crm.mapUnixLogin(Session.unixLogin(), toUser: login ?? role)
                let s = Session(crm: crm, actor: actor, lang: lang)
                s.print(SyncCommand.describe(r, s))
                s.print(s.t("Replica nouă: \(path), ca \(actor.login).", "New replica: \(path), as \(actor.login)."))
            } catch {
                try? FileManager.default.removeItem(atPath: path)
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                throw error
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The last sync, what waits to go, the open conflicts.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let s = try Session.open(database)
            let st = try s.crm.syncStatus()
            if output.json {
                s.printJSON(.object([
                    ("replica", .optional(st.replica?.description)), ("hub", .optional(st.url)), ("hubId", .optional(st.hub)),
                    ("lastSync", st.lastSync.map { .string(Timestamp.iso($0)) } ?? .null), ("error", .optional(st.error)),
                    ("unpushed", .int(Int64(st.unpushed))), ("conflicts", .int(Int64(st.openConflicts))), ("waiting", .int(Int64(st.pending))),
                ]))
                return
            }
            guard st.replica != nil || st.error != nil else {
                s.print(s.t("Fișierul nu s-a sincronizat niciodată (crm sync --postgres URL).", "This file has never synced (crm sync --postgres URL)."))
                return
            }
            var lines = [
                s.t("Hub: ", "Hub: ") + (st.url ?? "-"),
                s.t("Ultima sincronizare: ", "Last sync: ") + (st.lastSync.map { Timestamp.local($0) } ?? s.t("niciuna reușită", "none complete")),
                s.t("De trimis: \(st.unpushed) schimbări", "To push: \(st.unpushed) changes"),
                s.t("Conflicte deschise: \(st.openConflicts)", "Open conflicts: \(st.openConflicts)"),
            ]
            if st.pending > 0 { lines.append(s.t("Schimbări în așteptarea unui rând: \(st.pending)", "Changes waiting for a row: \(st.pending)")) }
            if let error = st.error { lines.append(s.t("Ultima eroare: ", "Last error: ") + Sanitize.line(error)) }
            s.print(lines.joined(separator: "\n"))
        }
    }

    struct Conflicts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Values that lost to a later write elsewhere; --restore puts one back (administrators).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Write this conflict's value again (it then wins everywhere).") var restore: Int64?
        @Option(help: "Leave this conflict's value where it lost, and out of the list.") var dismiss: Int64?
        @Flag(help: "Those dealt with too.") var all = false

        func run() throws {
            let s = try Session.open(database)
            if let restore {
                try s.crm.restoreSyncConflict(id: restore, by: s.actor)
                s.print(s.t("Valoarea conflictului \(restore) este pusă înapoi; pleacă la următoarea sincronizare.",
                            "Conflict \(restore)'s value is back; it goes out at the next sync."))
                return
            }
            if let dismiss {
                try s.crm.dismissSyncConflict(id: dismiss, by: s.actor)
                s.print(s.t("Conflictul \(dismiss) este închis.", "Conflict \(dismiss) is closed."))
                return
            }
            let list = try s.crm.syncConflicts(open: !all, by: s.actor)
            if output.json {
                s.printJSON(.array(list.map { c in
                    .object([("id", .int(c.id)), ("at", .string(Timestamp.iso(c.at))), ("entity", .string(c.entity)), ("row", .string(c.row.description)),
                             ("label", .optional(c.rowLabel)), ("field", .string(c.field)), ("value", .optional(c.value)), ("reason", .string(c.reason)),
                             ("replica", .optional(c.origin?.description)), ("resolved", .bool(c.resolvedAt != nil))])
                }))
                return
            }
            if list.isEmpty { s.print(s.t("Niciun conflict.", "No conflicts.")); return }
            s.print(TextTable(headers: ["#", s.t("Când", "When"), s.t("Rând", "Row"), s.t("Câmp", "Field"), s.t("Valoarea pierdută", "Lost value"),
                                        s.t("Motiv", "Reason")],
                              rows: list.map { c in
                                  ["\(c.id)", Timestamp.local(c.at), c.entity + " " + (c.rowLabel ?? String(c.row.description.prefix(8))), c.field,
                                   String((c.value ?? "").prefix(60)), CRM.syncConflictReason(c.reason).text(s.lang)]
                              }).render())
        }
    }

    /// A password kept in a file (its last line break aside).
    static func readPassword(_ path: String) throws -> String {
        guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw CLIError(message: Localized(ro: "fișierul parolei «\(path)» nu se poate citi", en: "cannot read the password file «\(path)»"))
        }
        return text.trimmingCharacters(in: .newlines)
    }

    static func message(_ error: Error, _ lang: Language) -> String {
        if let error = error as? CoreError { return error.message(lang) }
        if let error = error as? CLIError { return error.message.text(lang) }
        return String(describing: error)
    }

}
