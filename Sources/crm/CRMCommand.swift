import ArgumentParser
import CRMApp
import CRMCore
import TerminalBackend
import Foundation

@main
struct CRMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: "A keyboard-driven terminal CRM for small Romanian businesses.",
        discussion: """
            The database is --db PATH, else $CRM_DB, else $XDG_DATA_HOME/crm/crm.sqlite \
            (~/.local/share/crm/crm.sqlite). Messages are in Romanian unless CRM_LANG or LANG says English.
            """,
        subcommands: [
            InitCommand.self, DemoCommand.self, InfoCommand.self, FolderCommand.self, AccountCommand.self,
            ContactCommand.self, ColumnCommand.self, ExportCommand.self, FilterCommand.self, FieldCommand.self, DuplicatesCommand.self, MergeCommand.self, UserCommand.self, ZoneCommand.self, PasswdCommand.self, OpportunityCommand.self, ActivityCommand.self, NoteCommand.self, FileCommand.self, RemindersCommand.self, RouteCommand.self, ProductCommand.self, VATCommand.self, CompanyCommand.self, OfferTemplateCommand.self, OfferCommand.self, InvoiceCommand.self, LedgerCommand.self, ExpenseCommand.self, EmailCommand.self, MailListCommand.self, SuppressionCommand.self, CampaignCommand.self, FormCommand.self, SyncCommand.self, ServeCommand.self, PlanningCommand.self, AuditCommand.self, IPCommand.self, TemplateCommand.self, ImportCommand.self, IndexCommand.self, KeysCommand.self, BenchCommand.self,
        ])

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Theme for this run: default, dark, light, high-contrast, mono, or a path to a .toml file (the saved choice is in Setări).")
    var theme: String?
    @Option(help: "Key map for this run: default, vim or emacs (the saved choice is in Setări).") var keymap: String?

    /// Without a subcommand: the terminal interface, on the Clienți page.
    func run() throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            print(CRMCommand.helpMessage())
            return
        }
        // A Unix login mapped to a user opens the CRM as that user; anyone else signs in.
        let session: Session
        // The database is opened once: installed setgid, the group is gone after that.
        let crm = try Session.crm(database)
        if let mapped = try Session.mapped(crm) {
            session = mapped
        } else {
            let resources = try Resources.locate()
            let language = Language.fromEnvironment()
            var signIn = SignInScreen(crm: crm, language: language, source: Session.signInSource())
            let terminal = CursesTerminal(theme: try resources.theme(named: "default"), monochrome: try resources.theme(named: "mono"))
            AppLoop.run(&signIn, on: terminal)
            terminal.end()
            guard let actor = signIn.actor else { return }
            session = Session(crm: crm, actor: actor, lang: language)
        }
        // The Clienți page is the accounts module: a user without it has nothing to open.
        try session.crm.policy.authorize(session.actor, .view, .accounts)
        let ui = try Interface.prepare(session: session, database: database, theme: theme, keymap: keymap)
        guard let s = ui.session else { return }
        var screen = AccountBrowser(crm: s.crm, actor: s.actor, keymap: ui.keymap, appearance: ui.appearance,
                                    resources: ui.resources, problems: ui.problems)
        screen.startIndexingIfNeeded()
        let terminal = CursesTerminal(theme: ui.theme, monochrome: ui.monochrome)
        defer { terminal.end() }
        AppLoop.run(&screen, on: terminal)
    }

    /// Errors end with one clear line on stderr and a non-zero exit; usage errors
    /// keep the argument parser's own message.
    static func main() {
        // Installed setgid: the group is held back before anything else runs.
        _ = SharedInstall.group
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CoreError {
            fail(error.message(Language.fromEnvironment()))
        } catch let error as CLIError {
            fail(error.message.text(Language.fromEnvironment()))
        } catch let error as DecodingError {
            fail("\(error)")
        } catch {
            exit(withError: error)
        }
    }

    static func fail(_ message: String) -> Never {
        let lang = Language.fromEnvironment()
        let prefix = lang == .ro ? "crm: eroare: " : "crm: error: "
        FileHandle.standardError.write(Data((prefix + message.replacingOccurrences(of: "\n", with: "\n  ") + "\n").utf8))
        Foundation.exit(1)
    }
}

/// A command-line mistake found after parsing (a bad --field, say).
struct CLIError: Error {
    let message: Localized
}

/// Options every database command takes.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $CRM_DB, else the shared one an installation names, else $XDG_DATA_HOME/crm/crm.sqlite).")
    var db: String?

    var path: String {
        if let db { return db }
        let env = ProcessInfo.processInfo.environment
        if let p = env["CRM_DB"], !p.isEmpty { return p }
        if let shared = SharedInstall.database { return shared }
        let data = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return data + "/crm/crm.sqlite"
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (an array of objects with the fields' English names).")
    var json = false
}
