import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore

/// One option per standard account field, plus --field for custom columns.
struct AccountFieldOptions: ParsableArguments {
    @Option(help: "Code (unique).") var code: String?
    @Option(help: "Name.") var name: String?
    @Option(help: "company or person.") var kind: String?
    @Option(help: "CUI/CIF (the RO prefix marks a VAT payer).") var cui: String?
    @Option(name: .customLong("trade-register"), help: "Trade register number (J12/345/2010).") var tradeRegister: String?
    @Option(name: .customLong("vat-payer"), help: "VAT payer: yes/no.") var vatPayer: String?
    @Option(help: "Street address.") var address: String?
    @Option(help: "City or locality.") var city: String?
    @Option(help: "County.") var county: String?
    @Option(help: "Two-letter country code (default RO).") var country: String?
    @Option(help: "Zone.") var zone: String?
    @Option(help: "Phone.") var phone: String?
    @Option(help: "Mobile phone.") var mobile: String?
    @Option(help: "E-mail.") var email: String?
    @Option(help: "Website.") var website: String?
    @Option(help: "IBAN.") var iban: String?
    @Option(help: "Bank.") var bank: String?
    @Option(help: "Owner (responsible user's login).") var owner: String?
    @Option(help: "Folder path (default: Conturi).") var folder: String?
    @Option(help: "Tags, comma-separated.") var tags: String?
    @Option(help: "Notes.") var notes: String?
    @Option(help: "Where it is: latitude, longitude in degrees (\"46.7694, 23.5899\"); the visit map's before the gazetteer.") var coordinates: String?
    @Option(name: .customLong("field"), help: ArgumentHelp("A custom column's value.", valueName: "NAME=VALUE"))
    var customFields: [String] = []

    func input() throws -> AccountInput {
        let given: [(AccountField, String?)] = [
            (.code, code), (.name, name), (.kind, kind), (.cui, cui), (.tradeRegister, tradeRegister),
            (.vatPayer, vatPayer), (.address, address), (.city, city), (.county, county), (.country, country),
            (.zone, zone), (.phone, phone), (.mobile, mobile), (.email, email), (.website, website), (.iban, iban),
            (.bank, bank), (.owner, owner), (.folder, folder), (.tags, tags), (.notes, notes), (.coordinates, coordinates),
        ]
        var input = AccountInput()
        for (field, value) in given { if let value { input.fields[field] = value } }
        input.custom = try customValues(customFields)
        return input
    }
}

/// The values `--field NAME=VALUE` (repeatable) gives custom columns, by name.
func customValues(_ pairs: [String]) throws -> [String: String] {
    var out: [String: String] = [:]
    for pair in pairs {
        guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
            throw CLIError(message: Localized(ro: "--field «\(pair)»: scrieți NUME=VALOARE", en: "--field «\(pair)»: write NAME=VALUE"))
        }
        out[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
    }
    return out
}

/// Which accounts a list or an export shows, and in which order.
struct AccountViewOptions: ParsableArguments {
    @Option(help: "Only this folder (with its sub-folders unless --no-subfolders).") var folder: String?
    @Flag(name: .customLong("no-subfolders"), help: "Leave out the sub-folders' accounts.") var noSubfolders = false
    @Option(help: "Only accounts whose name contains these words (diacritics and case ignored).") var search: String?
    @Option(help: "Order by this column: name, code, cui, city, county, phone, mobile, email, or custom.KEY.") var sort: String?
    @Flag(help: "Descending order.") var desc = false
    @Option(help: "Apply this named filter (crm filter list shows them).") var filter: String?
    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Criteria, e.g. 'city = \"Cluj-Napoca\" and custom.nr_angajati >= 10' (README: Filters).", valueName: "CRITERIA"))
    var criteria: String?

    /// The view, the given settings' order unless --sort or --desc say otherwise.
    func view(_ s: Session, settings: TableSettings) throws -> AccountView {
        let columns = try s.crm.accountColumns(for: s.actor)
        var order = settings.order(columns)
        if let sort {
            guard var chosen = columns.first(where: { $0.id == sort })?.order else {
                let sortable = columns.filter { $0.order != nil }.map(\.id).joined(separator: ", ")
                throw CLIError(message: Localized(ro: "--sort «\(sort)»: alegeți una dintre " + sortable,
                                                  en: "--sort «\(sort)»: choose one of " + sortable))
            }
            chosen.descending = desc
            order = chosen
        } else if desc {
            order.descending = true
        }
        try s.crm.prepare(order, for: s.actor)
        var filters: [Filter] = []
        if let filter { filters.append(try s.crm.savedFilter(filter, table: AccountTable.name, for: s.actor).filter) }
        if let criteria { filters.append(try Filter.parse(criteria)) }
        return AccountView(folder: folder, includeSubfolders: !noSubfolders, search: search, order: order, filters: filters)
    }
}

struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Accounts (Conturi): client companies and persons.",
        subcommands: [List.self, Show.self, Add.self, Edit.self, Remove.self, History.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts (name order unless --sort), a page at a time.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var viewOptions: AccountViewOptions
        @Option(help: "Rows per page (0: all).") var limit = 50
        @Option(help: "Continue after this account (the last one of the previous page).") var after: String?

        func run() throws {
            let s = try Session.open(database)
            let view = try viewOptions.view(s, settings: TableSettings.accounts)
            let cursor = try after.map { try s.crm.pageCursor(after: $0, order: view.order, for: s.actor) }
            let page = try s.crm.accounts(view, at: cursor.map(PagePosition.after) ?? .first, limit: max(0, limit), for: s.actor)
            if output.json {
                s.printJSON(.array(page.accounts.map(AccountPresentation.json)))
                return
            }
            let headers = AccountPresentation.listFields.map { $0.label.text(s.lang) }
            s.print(TextTable(headers: headers, rows: page.accounts.map { AccountPresentation.row($0) }).render())
            if page.next != nil, let last = page.accounts.last {
                s.print(s.t("… pagina următoare: --after ", "… next page: --after ") + last.record.meta!.uuid.description)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one account.", discussion: "REF is a UUID, code, CUI, #id or exact name.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The account.") var ref: String

        func run() throws {
            let s = try Session.open(database)
            let d = try s.crm.account(ref, for: s.actor)
            if output.json { s.printJSON(.array([AccountPresentation.json(d)])); return }
            s.print(AccountPresentation.sheet(d, lang: s.lang).render())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var fields: AccountFieldOptions

        func run() throws {
            let s = try Session.open(database)
            let saved = try s.crm.addAccount(try fields.input(), by: s.actor)
            let d = try s.crm.account(saved.meta!.uuid.description, for: s.actor)
            if output.json { s.printJSON(.array([AccountPresentation.json(d)])); return }
            s.print(s.t("Cont adăugat: ", "Account added: ") + "\(d.record.name) (\(d.record.meta!.uuid))")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change fields of an account (an empty value clears a field).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The account.") var ref: String
        @OptionGroup var fields: AccountFieldOptions
        @Option(name: .customLong("expect-version"), help: "Refuse if the account is no longer at this version.")
        var expectVersion: Int64?

        func run() throws {
            let s = try Session.open(database)
            let (saved, changes) = try s.crm.editAccount(ref, try fields.input(), expectedVersion: expectVersion, by: s.actor)
            let d = try s.crm.account(saved.meta!.uuid.description, for: s.actor)
            if output.json { s.printJSON(.array([AccountPresentation.json(d)])); return }
            s.printChanges(changes, updated: Localized(ro: "Cont modificat", en: "Account updated"))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete an account and its contacts.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The account.") var ref: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.deleteAccount(ref, by: s.actor)
            s.print(s.t("Cont șters.", "Account deleted."))
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The change log of an account: who changed what, when.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The account.") var ref: String

        func run() throws {
            let s = try Session.open(database)
            let d = try s.crm.account(ref, for: s.actor)
            try ChangeLogOutput.print(try s.crm.history(of: d.record.meta!.uuid, for: s.actor), session: s, json: output.json, rows: false)
        }
    }
}

/// The change log as a table or JSON: an account's history, the audit trail.
enum ChangeLogOutput {
    static func print(_ entries: [ChangeLogEntry], session s: Session, json: Bool, rows withRow: Bool) throws {
        let users = Dictionary(uniqueKeysWithValues: try s.crm.users().map { ($0.meta!.id, $0.login) })
        func text(_ v: Value) -> String { v.text ?? "" }
        if json {
            s.printJSON(.array(entries.map { e in
                var pairs: [(String, JSONDocument)] = [("at", .string(Timestamp.iso(e.at))), ("user", .optional(e.userID.flatMap { users[$0] })),
                                                       ("operation", .string(e.operation))]
                if withRow { pairs += [("entity", .string(e.entity)), ("row", .string(e.rowUUID.description))] }
                pairs += [("op", .string(e.op)), ("field", .optional(e.field)),
                          ("old", e.oldValue.isNull ? .null : .string(text(e.oldValue))),
                          ("new", e.newValue.isNull ? .null : .string(text(e.newValue)))]
                return .object(pairs)
            }))
            return
        }
        let headers = [s.t("Când (UTC)", "When (UTC)"), s.t("Cine", "Who"), s.t("Operație", "Operation")]
            + (withRow ? [s.t("Ce", "What")] : []) + [s.t("Câmp", "Field"), s.t("Vechi", "Old"), s.t("Nou", "New")]
        s.print(TextTable(headers: headers, rows: entries.map { e in
            [Timestamp.iso(e.at), e.userID.flatMap { users[$0] } ?? "", e.operation] + (withRow ? ["\(e.entity) #\(e.rowID)"] : [])
                + [e.field ?? e.op, text(e.oldValue), text(e.newValue)]
        }).render())
    }
}
