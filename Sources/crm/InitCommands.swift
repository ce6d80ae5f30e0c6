import ArgumentParser
import CRMCore
import CRMDemo
import CRMDocuments
import CRMStore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a database (or upgrade one) and map your Unix login to an administrator.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The administrator's full name (default: the Unix login).")
    var name: String?

    func run() throws {
        let path = database.path
        try ensureParentDirectory(of: path)
        let store = try SharedInstall.opening(path) { try storeCall { try Store.open(path: path, mode: .createIfMissing) } }
        let admin = try CRM(store: store).initialize(unixLogin: Session.unixLogin(), name: name)
        let lang = Language.fromEnvironment()
        let role = admin.isAdmin ? Localized(ro: "administrator", en: "administrator") : Localized(ro: "utilizator", en: "user")
        print(Localized(ro: "Baza de date \(path) este pregătită (schema v\(Store.schemaVersion)); \(role.ro): \(admin.login)",
                        en: "Database \(path) is ready (schema v\(Store.schemaVersion)); \(role.en): \(admin.login)").text(lang))
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill a new database with a realistic Romanian demo company (deterministic for a seed).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Number of accounts.") var accounts = 2000
    @Option(help: "Seed: the same seed gives the same data.") var seed: UInt64 = 1
    @Flag(help: "Print nothing but errors.") var quiet = false

    func run() throws {
        let lang = Language.fromEnvironment()
        guard accounts >= 0 else {
            throw CLIError(message: Localized(ro: "--accounts trebuie să fie ≥ 0", en: "--accounts must be ≥ 0"))
        }
        guard let dir = WordLists.locate() else {
            throw CLIError(message: Localized(
                ro: "nu găsesc listele de cuvinte (sample-data/); dați calea în $CRM_SAMPLE_DATA",
                en: "cannot find the word lists (sample-data/); give their path in $CRM_SAMPLE_DATA"))
        }
        let lists = try WordLists.load(from: dir)
        let path = database.path
        try ensureParentDirectory(of: path)
        let started = Date()
        let login = Session.unixLogin()
        let builder = DemoBuilder(lists: lists, seed: seed)
        let progress: (Int) -> Void = { done in
            guard !quiet, isatty(STDERR_FILENO) != 0 else { return }
            FileHandle.standardError.write(Data("\r\(done)/\(accounts)".utf8))
        }
        let summary: DemoBuilder.Summary
        if FileManager.default.fileExists(atPath: path) {
            let store = try SharedInstall.opening(path) { try storeCall { try Store.open(path: path, mode: .createIfMissing) } }
            let crm = CRM(store: store)
            let admin = try crm.initialize(unixLogin: login)
            summary = try populate(builder, crm, admin, progress)
        } else {
            // A new file is loaded in bulk under a temporary name and renamed at the end.
            let temp = path + ".loading-\(getpid())"
            do {
                let store = try SharedInstall.opening(temp) { try storeCall { try Store.createForBulkLoad(path: temp) } }
                let crm = CRM(store: store)
                let admin = try crm.initialize(unixLogin: login)
                summary = try populate(builder, crm, admin, progress)
                try storeCall { try store.finishBulkLoad(); try store.close() }
                // A journal left beside a file that is gone belongs to that file:
                // SQLite would replay it into the new one.
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                try FileManager.default.moveItem(atPath: temp, toPath: path)
            } catch {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temp + suffix) }
                throw error
            }
        }
        if !quiet {
            if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\r".utf8)) }
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            print(Localized(
                ro: "Demo creat în \(path): \(summary.accounts) conturi, \(summary.contacts) contacte, \(summary.opportunities) oportunități, \(summary.activities) activități, \(summary.notes) note, \(summary.products) produse, \(summary.offers) oferte, \(summary.emails) e-mailuri, \(summary.invoices) facturi, \(summary.payments) plăți, \(summary.expenses) facturi de cheltuieli, \(summary.submissions) înregistrări din formulare web, \(summary.folders) dosare, \(summary.users) utilizatori, \(summary.zones) zone (\(seconds) s)",
                en: "Demo created in \(path): \(summary.accounts) accounts, \(summary.contacts) contacts, \(summary.opportunities) opportunities, \(summary.activities) activities, \(summary.notes) notes, \(summary.products) products, \(summary.offers) offers, \(summary.emails) e-mails, \(summary.invoices) invoices, \(summary.payments) payments, \(summary.expenses) supplier invoices, \(summary.submissions) web form submissions, \(summary.folders) folders, \(summary.users) users, \(summary.zones) zones (\(seconds) s)").text(lang))
        }
    }

    private func populate(_ builder: DemoBuilder, _ crm: CRM, _ admin: Actor,
                          _ progress: @escaping (Int) -> Void) throws -> DemoBuilder.Summary {
        do {
            return try builder.populate(crm: crm, admin: admin, accounts: accounts, progress: progress)
        } catch DemoError.notEmpty(let n) {
            throw CLIError(message: Localized(
                ro: "baza de date are deja \(n) conturi; demo-ul se creează doar într-o bază nouă (dați alt fișier cu --db)",
                en: "the database already has \(n) accounts; the demo goes into a new database only (give another file with --db)"))
        }
    }
}

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "What the database holds.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let s = try Session.open(database)
        let folders = try s.crm.folderTree(for: s.actor)
        let accounts = try s.crm.accountCount(for: s.actor)
        let users = try s.crm.users().count
        let version = try storeCall { try s.crm.store.fileSchemaVersion() }
        // What the user may see of the modules (nil: not theirs).
        let opportunities = try? s.crm.workItemCount(.opportunity, for: s.actor)
        let activities = try? s.crm.workItemCount(.activity, for: s.actor)
        let products = try? s.crm.count(ProductView(), for: s.actor)
        if output.json {
            s.printJSON(.array([.object([("path", .string(database.path)), ("schemaVersion", .int(Int64(version))),
                                         ("user", .string(s.actor.login)), ("accounts", .int(Int64(accounts))),
                                         ("opportunities", opportunities.map { .int(Int64($0)) } ?? .null),
                                         ("activities", activities.map { .int(Int64($0)) } ?? .null),
                                         ("products", products.map { .int(Int64($0)) } ?? .null),
                                         ("folders", .int(Int64(folders.count))), ("users", .int(Int64(users)))])]))
            return
        }
        s.print(RecordSheet([
            (s.t("Fișier", "File"), database.path),
            (s.t("Schemă", "Schema"), "v\(version)"),
            (s.t("Utilizator", "User"), s.actor.login + (s.actor.isAdmin ? s.t(" (administrator)", " (administrator)") : "")),
            (s.t("Conturi", "Accounts"), String(accounts)),
            (s.t("Oportunități", "Opportunities"), opportunities.map(String.init) ?? "—"),
            (s.t("Activități", "Activities"), activities.map(String.init) ?? "—"),
            (s.t("Produse", "Products"), products.map(String.init) ?? "—"),
            (s.t("Dosare", "Folders"), String(folders.count)),
            (s.t("Utilizatori", "Users"), String(users)),
        ]).render())
    }
}
