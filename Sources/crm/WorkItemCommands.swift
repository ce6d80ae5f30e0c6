import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore
import Foundation

/// The fields of an opportunity or activity on the command line.
struct WorkItemFieldOptions: ParsableArguments {
    @Option(help: "Stage (Stadiu), by name.") var stage: String?
    @Option(help: "The responsible user's login (Responsabil; default: you).") var owner: String?
    @Option(help: "Activities: the type (Telefon, E-mail, Vizită…).") var type: String?
    @Option(help: "Opportunities: the amount (1234,56 or 1 234.56).") var amount: String?
    @Option(help: "Opportunities: the currency (RON, EUR…; default RON).") var currency: String?
    @Option(name: .customLong("due"), help: "The due date (Data scadență), YYYY-MM-DD or DD.MM.YYYY: the planning and the visit map count it.") var dueDate: String?
    @Option(name: .customLong("close"), help: "The close date (Data încheiere).") var closeDate: String?
    @Option(help: "Details (Detalii).") var details: String?
    @Option(help: "A one-time reminder (Memento), local time: \"YYYY-MM-DD HH:MM\" (\"\" clears it).") var reminder: String?
    @Option(name: .customLong("field"), help: ArgumentHelp("A custom column's value (crm column list --entity opportunity).", valueName: "NAME=VALUE"))
    var customFields: [String] = []

    func custom() throws -> [String: String] { try customValues(customFields) }

    var input: [WorkItemField: String] {
        let all: [(WorkItemField, String?)] = [(.stage, stage), (.owner, owner), (.type, type), (.amount, amount), (.currency, currency),
                                               (.dueDate, dueDate), (.closeDate, closeDate), (.details, details), (.reminder, reminder)]
        return Dictionary(uniqueKeysWithValues: all.compactMap { f, v in v.map { (f, $0) } })
    }
}

/// Which opportunities or activities a list shows, in which order, where to.
struct WorkItemListOptions: ParsableArguments {
    @Option(help: "Only this account's.") var account: String?
    @Option(help: "Only in this stage (repeatable).") var stage: [String] = []
    @Option(help: "Only this owner's (login).") var owner: String?
    @Option(help: "Only those with all these words in the details or the account's name (diacritics and case ignored).") var search: String?
    @Option(help: "Order: newest (default), amount, close, due or reminder (an empty value first, --desc: last).") var sort = "newest"
    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Criteria on the table's columns, e.g. 'stage = Ofertare and amount >= 1000' (README: Filters).", valueName: "CRITERIA"))
    var criteria: String?
    @Flag(help: "The other way round.") var desc = false
    @Option(help: "At most this many (0: all).") var limit = 200
    @Option(name: [.customShort("o"), .customLong("output")], help: "Export the list to this .xlsx or .csv file instead.") var file: String?
}

/// What `crm opportunity` and `crm activity` share: the same operations on the
/// two kinds.
enum WorkItemCLI {
    static func headers(_ kind: WorkItemKind, _ s: Session) -> [String] {
        [s.t("Cont", "Account"), WorkItemField.stage.label.text(s.lang),
         kind == .opportunity ? WorkItemField.amount.label.text(s.lang) : WorkItemField.type.label.text(s.lang),
         WorkItemField.owner.label.text(s.lang), s.t("Data", "Date"), WorkItemField.reminder.label.text(s.lang),
         WorkItemField.details.label.text(s.lang), "UUID"]
    }

    static func list(_ kind: WorkItemKind, _ options: WorkItemListOptions, database: DatabaseOptions, json: Bool) throws {
        let s = try Session.open(database)
        let orders: [String: WorkItemOrder] = ["newest": .newest, "amount": WorkItemOrder(.amount), "close": WorkItemOrder(.close),
                                               "due": WorkItemOrder(.due), "reminder": WorkItemOrder(.reminder)]
        guard var order = orders[options.sort] else {
            throw CLIError(message: Localized(ro: "--sort: newest, amount, close, due sau reminder", en: "--sort: newest, amount, close, due or reminder"))
        }
        if options.desc { order.descending.toggle() }
        var filters: [Filter] = []
        if let criteria = options.criteria { filters.append(try Filter.parse(criteria)) }
        let view = WorkItemView(kind, account: options.account, stages: options.stage, owner: options.owner, search: options.search,
                                filters: filters, order: order)
        if let file = options.file {
            guard let format = ExportFormat(path: file) else {
                throw CLIError(message: Localized(ro: "numiți fișierul .xlsx sau .csv", en: "name the file .xlsx or .csv"))
            }
            let table = WorkItemTable.kind(kind)
            let columns = try s.crm.workItemColumns(kind, for: s.actor)
            let settings = try s.crm.tableSettings(table, columns: columns, for: s.actor)
            let n = try TableExport.workItems(view, columns: settings.visible(columns), format: format, to: file, crm: s.crm,
                                              actor: s.actor, language: s.lang)
            s.print(s.t("\(n) exportate în \(file)", "\(n) exported to \(file)"))
            return
        }
        let items = try s.crm.workItems(view, limit: options.limit, for: s.actor)
        if json { s.printJSON(.array(items.map(WorkItemPresentation.json))); return }
        s.print(TextTable(headers: headers(kind, s), rows: items.map(WorkItemPresentation.row)).render())
    }

    static func show(_ ref: String, database: DatabaseOptions, json: Bool) throws {
        let s = try Session.open(database)
        let item = try s.crm.workItem(ref, for: s.actor)
        if json { s.printJSON(.array([WorkItemPresentation.json(item)])); return }
        let r = item.record
        var pairs: [(String, String)] = [(s.t("Cont", "Account"), item.account.name), (WorkItemField.stage.label.text(s.lang), item.stage.name),
                                         (WorkItemField.owner.label.text(s.lang), item.owner ?? "")]
        if item.kind == .opportunity {
            pairs.append((WorkItemField.amount.label.text(s.lang), r.amount.map { Money.text($0) + " " + (r.currency ?? "") } ?? ""))
            pairs.append((WorkItemField.dueDate.label.text(s.lang), r.dueDate ?? ""))
        } else {
            pairs.append((WorkItemField.type.label.text(s.lang), r.type ?? ""))
        }
        pairs += [(WorkItemField.closeDate.label.text(s.lang), r.closeDate ?? ""),
                  (WorkItemField.reminder.label.text(s.lang), r.reminderAt.map { Timestamp.local($0) + (r.reminderDone ? s.t(" (închis)", " (dismissed)") : "") } ?? ""),
                  (WorkItemField.details.label.text(s.lang), r.details ?? ""), ("UUID", item.uuid)]
        s.print(RecordSheet(pairs).render())
        let notes = try s.crm.notes(item: ref, for: s.actor)
        if !notes.isEmpty { s.print(""); s.print(NoteCommand.table(notes, s)) }
    }

    static func add(_ kind: WorkItemKind, account: String, fields: WorkItemFieldOptions, database: DatabaseOptions, json: Bool) throws {
        let s = try Session.open(database)
        let item = try s.crm.addWorkItem(kind, account: account, fields.input, custom: try fields.custom(), by: s.actor)
        if json { s.printJSON(.array([WorkItemPresentation.json(try s.crm.workItem(item.meta!.uuid.description, for: s.actor))])); return }
        s.print((kind == .opportunity ? s.t("Oportunitate adăugată: ", "Opportunity added: ") : s.t("Activitate adăugată: ", "Activity added: "))
                + item.meta!.uuid.description)
    }

    static func edit(_ ref: String, fields: WorkItemFieldOptions, expectVersion: Int64?, database: DatabaseOptions) throws {
        let s = try Session.open(database)
        let changes = try s.crm.editWorkItem(ref, fields.input, custom: try fields.custom(), expectedVersion: expectVersion, by: s.actor)
        s.printChanges(changes, updated: Localized(ro: "Modificat", en: "Updated"))
    }

    static func remove(_ ref: String, database: DatabaseOptions) throws {
        let s = try Session.open(database)
        try s.crm.deleteWorkItem(ref, by: s.actor)
        s.print(s.t("Șters.", "Deleted."))
    }
}

struct OpportunityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opportunity",
        abstract: "Opportunities (Oportunități): sales in the making on an account, stage by stage.",
        subcommands: [List.self, Show.self, Add.self, Edit.self, Stage.self, Remove.self, Stages.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List opportunities (newest first unless --sort), searched, filtered, exported.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var options: WorkItemListOptions
        func run() throws { try WorkItemCLI.list(.opportunity, options, database: database, json: output.json) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One opportunity with its notes.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The opportunity (UUID or #id).") var opportunity: String
        func run() throws { try WorkItemCLI.show(opportunity, database: database, json: output.json) }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an opportunity to an account (Adăugare Oportunitate).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The account (UUID, code, CUI, #id or exact name).") var account: String
        @OptionGroup var fields: WorkItemFieldOptions
        func run() throws { try WorkItemCLI.add(.opportunity, account: account, fields: fields, database: database, json: output.json) }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an opportunity (an empty value clears a field).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The opportunity (UUID or #id).") var opportunity: String
        @OptionGroup var fields: WorkItemFieldOptions
        @Option(name: .customLong("expect-version"), help: "Refuse if it is no longer at this version.") var expectVersion: Int64?
        func run() throws { try WorkItemCLI.edit(opportunity, fields: fields, expectVersion: expectVersion, database: database) }
    }

    struct Stage: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move an opportunity to a stage, with its close date and reminder (one change).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The opportunity (UUID or #id).") var opportunity: String
        @Argument(help: "The stage (Prospectare, Abordare, Ofertare, Comandă, Câștigată, Pierdută…).") var stage: String
        @Option(name: .customLong("close"), help: "The close date.") var closeDate: String?
        @Option(help: "A reminder, local time \"YYYY-MM-DD HH:MM\".") var reminder: String?
        func run() throws {
            var fields = try WorkItemFieldOptions.parse([])
            fields.stage = stage
            fields.closeDate = closeDate
            fields.reminder = reminder
            try WorkItemCLI.edit(opportunity, fields: fields, expectVersion: nil, database: database)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete an opportunity with its notes.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The opportunity (UUID or #id).") var opportunity: String
        func run() throws { try WorkItemCLI.remove(opportunity, database: database) }
    }

    struct Stages: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The stages of opportunities; administrators add, move and retire them.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var stageOptions: StageOptions
        func run() throws { try stageOptions.run(.opportunity, database: database) }
    }
}

struct ActivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "Activities (Activități): post-sale support on an account — calls, e-mails, visits.",
        subcommands: [List.self, Show.self, Add.self, Edit.self, Remove.self, Stages.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List activities (newest first unless --sort), searched, filtered, exported.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var options: WorkItemListOptions
        func run() throws { try WorkItemCLI.list(.activity, options, database: database, json: output.json) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One activity with its notes.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The activity (UUID or #id).") var activity: String
        func run() throws { try WorkItemCLI.show(activity, database: database, json: output.json) }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an activity to an account (Adăugare Activitate).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The account (UUID, code, CUI, #id or exact name).") var account: String
        @OptionGroup var fields: WorkItemFieldOptions
        func run() throws { try WorkItemCLI.add(.activity, account: account, fields: fields, database: database, json: output.json) }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an activity (an empty value clears a field).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The activity (UUID or #id).") var activity: String
        @OptionGroup var fields: WorkItemFieldOptions
        @Option(name: .customLong("expect-version"), help: "Refuse if it is no longer at this version.") var expectVersion: Int64?
        func run() throws { try WorkItemCLI.edit(activity, fields: fields, expectVersion: expectVersion, database: database) }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete an activity with its notes.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The activity (UUID or #id).") var activity: String
        func run() throws { try WorkItemCLI.remove(activity, database: database) }
    }

    struct Stages: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The stages of activities; administrators add, move and retire them.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var stageOptions: StageOptions
        func run() throws { try stageOptions.run(.activity, database: database) }
    }
}

/// `… stages [--add NAME [--won|--lost]] [--move NAME --to N] [--retire NAME] [--restore NAME]`.
struct StageOptions: ParsableArguments {
    @OptionGroup var output: OutputOptions
    @Option(help: "Add a stage at the end.") var add: String?
    @Flag(help: "With --add: the stage wins the item.") var won = false
    @Flag(help: "With --add: the stage loses the item.") var lost = false
    @Option(help: "Move this stage…") var move: String?
    @Option(help: "…to this place (1: first).") var to: Int?
    @Option(help: "Retire a stage: items keep it, new ones cannot take it.") var retire: String?
    @Option(help: "Bring a retired stage back.") var restore: String?

    func run(_ kind: WorkItemKind, database: DatabaseOptions) throws {
        let s = try Session.open(database)
        if let add { try s.crm.addStage(kind, name: add, won: won, lost: lost, by: s.actor) }
        if let move {
            guard let to else { throw CLIError(message: Localized(ro: "--move cere --to N", en: "--move needs --to N")) }
            try s.crm.moveStage(kind, move, to: to, by: s.actor)
        }
        if let retire { try s.crm.retireStage(kind, retire, by: s.actor) }
        if let restore { try s.crm.retireStage(kind, restore, retired: false, by: s.actor) }
        let stages = try s.crm.stages(kind, includingRetired: true)
        if output.json {
            s.printJSON(.array(stages.map { .object([("name", .string($0.name)), ("position", .int($0.position)), ("won", .bool($0.isWon)),
                                                     ("lost", .bool($0.isLost)), ("retired", .bool($0.retired))]) }))
            return
        }
        let yes = s.t("da", "yes")
        s.print(TextTable(headers: ["#", WorkItemField.stage.label.text(s.lang), s.t("Câștigat", "Won"), s.t("Pierdut", "Lost"),
                                    s.t("Retras", "Retired")],
                          rows: stages.map { ["\($0.position)", $0.name, $0.isWon ? yes : "", $0.isLost ? yes : "", $0.retired ? yes : ""] })
                    .render())
    }
}

/// `crm note`: notes with files on accounts, opportunities and activities.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Notes and files (Note și fișiere) on accounts, opportunities and activities.",
        subcommands: [List.self, Add.self, Types.self])

    static func table(_ notes: [NoteDetails], _ s: Session) -> String {
        TextTable(headers: WorkItemPresentation.noteLabels(s.lang) + ["UUID"],
                  rows: notes.map { WorkItemPresentation.noteRow($0) + [$0.record.meta?.uuid.description ?? ""] }).render()
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Note și fișiere: notes newest first — of an account, of an item, or all you see; searched, filtered, exported.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "An account's notes (its opportunities' and activities' too).") var account: String?
        @Option(help: "An opportunity's or activity's notes (UUID or #id).") var item: String?
        @Option(help: "Only notes with all these words (in the text, the account's name or a file's name).") var search: String?
        @Option(help: "Only notes of this type.") var type: String?
        @Option(help: "At most this many (0: all).") var limit = 200
        @Option(name: [.customShort("o"), .customLong("output")], help: "Export the list to this .xlsx or .csv file instead.") var file: String?
        func run() throws {
            let s = try Session.open(database)
            let notes = try s.crm.notes(account: account, item: item, search: search, type: type, limit: limit, for: s.actor)
            if let file {
                try s.crm.policy.authorize(s.actor, .export, .accounts)
                guard let format = ExportFormat(path: file) else {
                    throw CLIError(message: Localized(ro: "numiți fișierul .xlsx sau .csv", en: "name the file .xlsx or .csv"))
                }
                try TableExport.rows(notes.map { WorkItemPresentation.noteRow($0).map(CellValue.text) },
                                     labels: WorkItemPresentation.noteLabels(s.lang), widths: [18, 30, 12, 60, 30, 16],
                                     sheet: s.t("Note", "Notes"), format: format, to: file, language: s.lang)
                s.print(s.t("\(notes.count) note exportate în \(file)", "\(notes.count) notes exported to \(file)"))
                return
            }
            if output.json { s.printJSON(.array(notes.map(WorkItemPresentation.json))); return }
            s.print(NoteCommand.table(notes, s))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a note, with files (--file, repeatable; 25 MB at most each).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "On this account.") var account: String?
        @Option(help: "On this opportunity or activity (UUID or #id).") var item: String?
        @Option(help: "The note's type (Telefon, E-mail, Întâlnire…).") var type: String?
        @Option(help: "The text.") var text = ""
        @Option(help: "A file to attach (repeatable).") var file: [String] = []
        func run() throws {
            let s = try Session.open(database)
            let files = try file.map { path -> NoteAttachment in
                guard let data = FileManager.default.contents(atPath: (path as NSString).expandingTildeInPath) else {
                    throw CLIError(message: Localized(ro: "nu pot citi fișierul \(path); verificați calea și drepturile",
                                                      en: "cannot read the file \(path); check the path and its permissions"))
                }
                return NoteAttachment(name: path, data: [UInt8](data))
            }
            let note = try s.crm.addNote(account: account, item: item, type: type, text: text, files: files, by: s.actor)
            if output.json { s.printJSON(.array([.object([("uuid", .string(note.meta!.uuid.description))])])); return }
            s.print(s.t("Notă adăugată: ", "Note added: ") + note.meta!.uuid.description)
        }
    }

    struct Types: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The note types; --add extends the list.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Add a type.") var add: String?
        func run() throws {
            let s = try Session.open(database)
            if let add { try s.crm.addNoteType(add, by: s.actor) }
            s.print(try s.crm.noteTypes().map(\.name).joined(separator: "\n"))
        }
    }
}

/// `crm file get`: a note's file, saved where the user says.
struct FileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "file", abstract: "Files attached to notes.", subcommands: [Get.self])

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save a note's file (its UUID or #id) to a path.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The file (UUID or #id; `crm note list` shows them).") var file: String
        @Option(name: [.short, .customLong("output")], help: "Where to save it (default: its own name, here).") var output: String?
        func run() throws {
            let s = try Session.open(database)
            let attachment = try s.crm.file(file, for: s.actor)
            let path = ((output ?? attachment.name) as NSString).expandingTildeInPath
            try NewFile.write(attachment.data, to: path)
            s.print(s.t("Salvat: \(path) (\(attachment.data.count) octeți)", "Saved: \(path) (\(attachment.data.count) bytes)"))
        }
    }
}

/// `crm reminders`: what is due, for cron jobs and desktop notifiers.
struct RemindersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders", abstract: "Reminders (Memento) not yet dismissed: yours, or a user's (administrators); --due: only those due now.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Only those due now.") var due = false
    @Option(help: "This user's (login; administrators).") var user: String?
    @Option(help: "Dismiss this one (UUID or #id): it does not show again.") var dismiss: String?
    @Option(help: "Snooze this one (UUID or #id)…") var snooze: String?
    @Option(name: .customLong("for"), help: "…for this many minutes.") var minutes: Int = 10

    func run() throws {
        let s = try Session.open(database)
        if let dismiss { try s.crm.dismissReminder(dismiss, by: s.actor) }
        if let snooze {
            guard minutes > 0 else { throw CLIError(message: Localized(ro: "--for ia un număr de minute peste 0", en: "--for takes minutes above 0")) }
            try s.crm.snoozeReminder(snooze, until: s.crm.store.now + Int64(minutes) * 60_000, by: s.actor)
        }
        let items = try s.crm.reminders(due: due, user: user, for: s.actor)
        if output.json { s.printJSON(.array(items.map(WorkItemPresentation.json))); return }
        s.print(TextTable(headers: [WorkItemField.reminder.label.text(s.lang), s.t("Ce", "What"), s.t("Cont", "Account"),
                                    WorkItemField.stage.label.text(s.lang), WorkItemField.details.label.text(s.lang), "UUID"],
                          rows: items.map { i in
                              [i.record.reminderAt.map { Timestamp.local($0) } ?? "",
                               i.kind == .opportunity ? s.t("oportunitate", "opportunity") : s.t("activitate", "activity"),
                               i.account.name, i.stage.name, i.record.details ?? "", i.uuid]
                          }).render())
    }
}

/// `crm planning`: open work falling due per day and user (the dashboard's planning panel).
struct PlanningCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planning", abstract: "Open opportunities and activities falling due per day and user (due dates in a range).")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "First day (YYYY-MM-DD or DD.MM.YYYY; default today).") var from: String?
    @Option(help: "Last day (default: 30 days after the first).") var to: String?
    @Option(help: "Only this user (login; repeatable).") var user: [String] = []

    func run() throws {
        let s = try Session.open(database)
        let today = Date()
        func day(_ date: Date) -> String {
            let c = Calendar(identifier: .gregorian).dateComponents(in: .current, from: date)
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        let days = try s.crm.planning(from: from ?? day(today), to: to ?? day(today.addingTimeInterval(30 * 86_400)),
                                      users: user.isEmpty ? nil : user, for: s.actor)
        if output.json {
            s.printJSON(.array(days.map { .object([("day", .string($0.day)), ("owner", .optional($0.owner)),
                                                   ("opportunities", .int(Int64($0.opportunities))), ("activities", .int(Int64($0.activities)))]) }))
            return
        }
        s.print(TextTable(headers: [s.t("Zi", "Day"), WorkItemField.owner.label.text(s.lang), s.t("Oportunități", "Opportunities"),
                                    s.t("Activități", "Activities")],
                          rows: days.map { [$0.day, $0.owner ?? "", "\($0.opportunities)", "\($0.activities)"] }, rightAligned: [2, 3]).render())
    }
}
