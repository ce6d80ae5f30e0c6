import CRMStore
import CRMText
import CSodium
import Foundation

/// Opportunities (a sale in the making) and activities (post-sale support):
/// the same shape on an account — a stage, a responsible user, dates,
/// details, a one-time reminder — with an amount for opportunities and a type
/// for activities.
public enum WorkItemKind: String, Sendable, CaseIterable {
    case opportunity, activity

    public var module: Module { self == .opportunity ? .opportunities : .activities }

    public var label: Localized {
        self == .opportunity ? .init(ro: "oportunitatea", en: "opportunity") : .init(ro: "activitatea", en: "activity")
    }

    /// One of them, as a title: Oportunitate, Activitate.
    public var singular: Localized {
        self == .opportunity ? .init(ro: "Oportunitate", en: "Opportunity") : .init(ro: "Activitate", en: "Activity")
    }

    /// The module page's title: Oportunități, Activități.
    public var plural: Localized {
        self == .opportunity ? .init(ro: "Oportunități", en: "Opportunities") : .init(ro: "Activități", en: "Activities")
    }

    /// The kinds of activity offered (Telefon, E-mail, Vizită…); any other text is accepted too.
    public static let activityTypes = ["Telefon", "E-mail", "Vizită", "Întâlnire", "Service", "Altele"]

    /// The currencies offered for an amount; any ISO 4217 code is accepted.
    public static let currencies = ["RON", "EUR", "USD", "GBP", "HUF"]

    /// The stages a new database starts with (OPP-5); administrators change them.
    var defaultStages: [(name: String, won: Bool, lost: Bool)] {
        switch self {
        case .opportunity:
            return [("Prospectare", false, false), ("Abordare", false, false), ("Ofertare", false, false), ("Comandă", false, false),
                    ("Câștigată", true, false), ("Pierdută", false, true)]
        case .activity:
            return [("Planificată", false, false), ("În lucru", false, false), ("Rezolvată", true, false), ("Anulată", false, true)]
        }
    }
}

/// The fields of an opportunity or activity, as typed (CLI, forms).
public enum WorkItemField: String, Sendable, CaseIterable {
    case stage, owner, type, amount, currency, dueDate, closeDate, details, reminder

    public var label: Localized {
        switch self {
        case .stage: return .init(ro: "Stadiu", en: "Stage")
        case .owner: return .init(ro: "Responsabil", en: "Owner")
        case .type: return .init(ro: "Tip", en: "Type")
        case .amount: return .init(ro: "Sumă", en: "Amount")
        case .currency: return .init(ro: "Monedă", en: "Currency")
        case .dueDate: return .init(ro: "Data scadență", en: "Due date")
        case .closeDate: return .init(ro: "Data încheiere", en: "Close date")
        case .details: return .init(ro: "Detalii", en: "Details")
        case .reminder: return .init(ro: "Memento", en: "Reminder")
        }
    }

    var column: String {
        switch self {
        case .stage: return "stage_id"
        case .owner: return "owner_id"
        case .dueDate: return "due_date"
        case .closeDate: return "close_date"
        case .reminder: return "reminder_at"
        default: return rawValue
        }
    }
}

/// An opportunity or activity with the names it refers to.
public struct WorkItemDetails: Sendable {
    public let record: WorkItemRecord
    public let kind: WorkItemKind
    public let account: AccountRecord
    public let stage: StageRecord
    public let owner: String?
    public let createdBy: String?
    /// The kind's custom columns (OPP-2) with this item's values.
    public let custom: [(column: CustomColumnRecord, value: Value)]

    public var uuid: String { record.meta?.uuid.description ?? "" }
}

/// A note with its files (without their contents).
public struct NoteDetails: Sendable {
    public struct File: Sendable, Equatable {
        public let uuid: String
        public let name: String
        public let size: Int64
        public let mime: String?
    }

    public let record: NoteRecord
    public let files: [File]
    public let createdBy: String?
    /// The name of the account the note is on.
    public let account: String
}

/// A file given to a note: its name and its bytes.
public struct NoteAttachment: Sendable {
    public let name: String
    public let data: [UInt8]
    public init(name: String, data: [UInt8]) { self.name = name; self.data = data }
}

extension CRM {
    /// The largest file a note takes (25 MB; the one database holds every file).
    public static let maxFileSize = 25 * 1024 * 1024

    // MARK: - Stages (OPP-5)

    /// The stages of opportunities or activities in order (retired ones left out
    /// unless asked for); a database without any gets the default ones.
    public func stages(_ kind: WorkItemKind, includingRetired: Bool = false) throws -> [StageRecord] {
        var stored = try read { try $0.fetchAll(StageRecord.self, matching: ["kind": .text(kind.rawValue)], orderBy: ["position", "id"]) }
        if stored.isEmpty {
            stored = try write(nil, "stage.defaults") { w in try Self.ensureStages(kind, in: w) }
        }
        return includingRetired ? stored : stored.filter { !$0.retired }
    }

    static func ensureStages(_ kind: WorkItemKind, in w: Writer) throws -> [StageRecord] {
        let stored = try w.fetchAll(StageRecord.self, matching: ["kind": .text(kind.rawValue)], orderBy: ["position", "id"])
        guard stored.isEmpty else { return stored }
        return try kind.defaultStages.enumerated().map { i, stage in
            try w.insert(StageRecord(kind: kind.rawValue, name: stage.name, position: Int64(i + 1), isWon: stage.won, isLost: stage.lost))
        }
    }

    /// Adds a stage at the end (administrators); `won`/`lost` make it final.
    @discardableResult
    public func addStage(_ kind: WorkItemKind, name: String, won: Bool = false, lost: Bool = false, by actor: Actor) throws -> StageRecord {
        try policy.authorize(actor, .admin, .administration)
        var issues: [ValidationIssue] = []
        guard case .text(let clean) = FieldRules.text(name, field: "stage", max: 60, issues: &issues), issues.isEmpty else {
            throw CoreError.invalid(issues.isEmpty ? [.init(field: "stage", value: name, reason: .required)] : issues)
        }
        guard !(won && lost) else {
            throw CoreError.refused(Localized(ro: "un stadiu nu poate fi și câștigat, și pierdut", en: "a stage cannot be both won and lost"))
        }
        return try write(actor, "stage.add") { w in
            let stored = try Self.ensureStages(kind, in: w)
            if let same = stored.first(where: { Fold.key($0.name) == Fold.key(clean) }) {
                throw CoreError.invalid([.init(field: "stage", value: clean, reason: .duplicate(of: same.name))])
            }
            return try w.insert(StageRecord(kind: kind.rawValue, name: clean, position: (stored.map(\.position).max() ?? 0) + 1,
                                            isWon: won, isLost: lost))
        }
    }

    /// Moves a stage to a place in the order (1: first).
    public func moveStage(_ kind: WorkItemKind, _ name: String, to place: Int, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, "stage.move") { w in
            var stored = try Self.ensureStages(kind, in: w)
            let stage = try Self.stage(name, among: stored, kind: kind)
            stored.removeAll { $0.meta!.id == stage.meta!.id }
            stored.insert(stage, at: max(0, min(stored.count, place - 1)))
            for (i, s) in stored.enumerated() where s.position != Int64(i + 1) {
                try w.update(StageRecord.self, id: s.meta!.id, set: ["position": .int(Int64(i + 1))])
            }
        }
    }

    /// Retires a stage (or brings it back): items keep it, new ones cannot take it.
    public func retireStage(_ kind: WorkItemKind, _ name: String, retired: Bool = true, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, retired ? "stage.retire" : "stage.restore") { w in
            let stages = try Self.ensureStages(kind, in: w)
            let stage = try Self.stage(name, among: stages, kind: kind)
            if retired, stages.filter({ !$0.retired }).map({ $0.meta!.id }) == [stage.meta!.id] {
                throw CoreError.refused(Localized(ro: "«\(stage.name)» este ultimul stadiu activ; adăugați altul înainte",
                                                  en: "«\(stage.name)» is the last active stage; add another first"))
            }
            try w.update(StageRecord.self, id: stage.meta!.id, set: ["retired": .bool(retired)])
        }
    }

    static func stage(_ name: String, among stages: [StageRecord], kind: WorkItemKind) throws -> StageRecord {
        guard let stage = stages.first(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) else {
            throw CoreError.invalid([.init(field: "stage", value: name, reason: .invalidChoice(allowed: stages.filter { !$0.retired }.map(\.name)))])
        }
        return stage
    }

    // MARK: - Opportunities and activities (OPP-3, ACT-1)

    /// Adds an opportunity or activity to an account; without a stage it starts
    /// at the first one, without an owner it is the actor's.
    @discardableResult
    public func addWorkItem(_ kind: WorkItemKind, account ref: String, _ input: [WorkItemField: String], custom: [String: String] = [:],
                            by actor: Actor) throws -> WorkItemRecord {
        try policy.authorize(actor, .add, kind.module)
        return try write(actor, "\(kind.rawValue).add") { w in
            let account = try AccountRules.resolve(ref, in: w)
            let stages = try Self.ensureStages(kind, in: w)
            var values = try WorkItemRules.values(kind, input, custom: custom, existing: nil, stages: stages, in: w)
            if values["stage_id"] == nil {
                guard let first = stages.first(where: { !$0.retired }) else {
                    throw CoreError.refused(Localized(ro: "niciun stadiu nu este activ; un administrator aduce unul înapoi",
                                                      en: "no stage is active; an administrator brings one back"))
                }
                values["stage_id"] = .int(first.meta!.id)
            }
            if values["owner_id"] == nil { values["owner_id"] = .int(actor.id) }
            var record = WorkItemRecord(kind: kind.rawValue, accountID: account.meta!.id, stageID: values["stage_id"]?.int ?? 0)
            WorkItemRules.apply(values, to: &record)
            var stored: [String: Value] = [:]
            for (k, v) in values where k.hasPrefix("custom.") && !v.isNull { stored[String(k.dropFirst(7))] = v }
            record.custom = CustomValues.encode(stored)
            return try w.insert(record)
        }
    }

    /// Changes the given fields; stage, close date and reminder together are one
    /// change of stage (OPP-5). A new reminder time shows again once due.
    @discardableResult
    public func editWorkItem(_ ref: String, _ input: [WorkItemField: String], custom: [String: String] = [:], expectedVersion: Int64? = nil,
                             by actor: Actor) throws -> [FieldChange] {
        let kind = try self.workItemKind(ref, for: actor)
        try policy.authorize(actor, .edit, kind.module)
        return try write(actor, "\(kind.rawValue).edit") { w in
            let item = try WorkItemRules.resolve(ref, in: w)
            var values = try WorkItemRules.values(kind, input, custom: custom, existing: item, stages: try Self.ensureStages(kind, in: w), in: w)
            // A new reminder time shows again; the same time keeps a dismissed one dismissed.
            if let at = values["reminder_at"], at.int != item.reminderAt { values["reminder_done"] = .bool(false) }
            return try w.update(WorkItemRecord.self, id: item.meta!.id, set: values, expectedVersion: expectedVersion)
        }
    }

    /// Deletes an opportunity or activity with its notes and their files.
    public func deleteWorkItem(_ ref: String, by actor: Actor) throws {
        let kind = try self.workItemKind(ref, for: actor)
        try policy.authorize(actor, .delete, kind.module)
        try write(actor, "\(kind.rawValue).delete") { w in
            let item = try WorkItemRules.resolve(ref, in: w)
            for note in try w.fetchAll(NoteRecord.self, matching: ["item_id": .int(item.meta!.id)]) {
                try NoteRules.delete(note, in: w)
            }
            try EmailRules.detach(item: item.meta!.id, in: w)
            try OfferRules.deleteAll(ofItem: item.meta!.id, in: w)
            try w.delete(WorkItemRecord.self, id: item.meta!.id)
        }
    }

    /// One opportunity or activity by UUID or #id.
    public func workItem(_ ref: String, for actor: Actor) throws -> WorkItemDetails {
        let kind = try self.workItemKind(ref, for: actor)
        try policy.authorize(actor, .view, kind.module)
        return try read(for: actor) { r in try WorkItemRules.details([try WorkItemRules.resolve(ref, in: r)], in: r)[0] }
    }

    func workItemKind(_ ref: String, for actor: Actor) throws -> WorkItemKind {
        try read(for: actor) { r in WorkItemKind(rawValue: try WorkItemRules.resolve(ref, in: r).kind) ?? .opportunity }
    }

    /// Opportunities or activities, newest first unless ordered otherwise: of
    /// an account, in some stages, of an owner (each optional), among the
    /// accounts the actor sees.
    public func workItems(_ kind: WorkItemKind, account: String? = nil, stages names: [String] = [], owner: String? = nil,
                          search: String? = nil, order: WorkItemOrder = .newest, limit: Int = 200,
                          for actor: Actor) throws -> [WorkItemDetails] {
        try workItems(WorkItemView(kind, account: account, stages: names, owner: owner, search: search, order: order),
                      limit: limit, for: actor)
    }

    /// How many opportunities or activities the actor sees.
    public func workItemCount(_ kind: WorkItemKind, for actor: Actor) throws -> Int {
        try policy.authorize(actor, .view, kind.module)
        return try read(for: actor) { try $0.countWorkItems(kind: kind.rawValue) }
    }

    // MARK: - Planning

    /// One day of one user's open work.
    public struct PlanningDay: Sendable, Equatable {
        public let day: String
        public let owner: String?
        public let opportunities: Int
        public let activities: Int
    }

    /// Open opportunities and activities falling due per day and user (their
    /// due dates between `from` and `to`, YYYY-MM-DD): the planning panel's data.
    public func planning(from: String, to: String, users: [String]? = nil, for actor: Actor) throws -> [PlanningDay] {
        var reading = PanelReading()
        return try planning(from: from, to: to, users: users ?? [], reading: &reading, for: actor)
    }

    /// The planning from a reading of the panels (the items' sums read once).
    func planning(from: String, to: String, users: [String], reading: inout PanelReading, for actor: Actor) throws -> [PlanningDay] {
        try policy.authorize(actor, .view, .dashboard)
        guard let start = FieldRules.date(from), let end = FieldRules.date(to) else {
            throw CoreError.invalid([.init(field: "from", value: "\(from) – \(to)", reason: .invalidDate)])
        }
        let owners = try ownerIDs(users)
        let logins = try read { r in Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) }) }
        // The dashboard's sums (one covering index per kind), open stages only.
        var days: [String: [Int64: (opportunities: Int, activities: Int)]] = [:]
        for kind in WorkItemKind.allCases {
            let open = Set(try stages(kind, includingRetired: true).filter { !$0.isWon && !$0.isLost }.map { $0.meta!.id })
            for row in try itemSums(kind, from: start, to: end, reading: &reading, for: actor)
            where open.contains(row.stageID) && (owners.map { $0.contains(row.ownerID ?? 0) } ?? true) {
                if kind == .opportunity { days[row.day, default: [:]][row.ownerID ?? 0, default: (0, 0)].opportunities += row.count }
                else { days[row.day, default: [:]][row.ownerID ?? 0, default: (0, 0)].activities += row.count }
            }
        }
        return days.keys.sorted().flatMap { day in
            days[day]!.keys.sorted().map { owner in
                let n = days[day]![owner]!
                return PlanningDay(day: day, owner: logins[owner], opportunities: n.opportunities, activities: n.activities)
            }
        }
    }

    // MARK: - Reminders

    /// Reminders not yet dismissed: a user's (default: the actor's; others'
    /// for administrators), only those due now with `due`, in time order.
    public func reminders(due: Bool = false, user login: String? = nil, for actor: Actor) throws -> [WorkItemDetails] {
        if login != nil && login?.lowercased() != actor.login { try policy.authorize(actor, .admin, .administration) }
        let now = store.now
        return try read(for: actor) { r in
            let ownerID = try login.map { try Self.user($0, in: r).meta!.id } ?? actor.id
            let records = try r.pendingReminders(ownerID: ownerID, until: due ? now : nil)
                .filter { (try? policy.authorize(actor, .view, (WorkItemKind(rawValue: $0.kind) ?? .opportunity).module)) != nil }
            return try WorkItemRules.details(records, in: r)
        }
    }

    /// Dismisses a reminder: it never shows again (until a new time is set).
    /// With `seen` (the time a pop-up showed), a reminder moved meanwhile by
    /// another session is refused rather than dismissed unseen.
    public func dismissReminder(_ ref: String, seen: Int64? = nil, by actor: Actor) throws {
        try policy.authorize(actor, .edit, try workItemKind(ref, for: actor).module)
        try write(actor, "reminder.dismiss") { w in
            let item = try WorkItemRules.resolve(ref, in: w)
            try Self.checkReminder(item, seen: seen, actor)
            try w.update(WorkItemRecord.self, id: item.meta!.id, set: ["reminder_done": .bool(true)])
        }
    }

    /// Shows a reminder again at a later time (10 minutes, an hour, tomorrow…).
    public func snoozeReminder(_ ref: String, until: Int64, seen: Int64? = nil, by actor: Actor) throws {
        guard until > store.now else {
            throw CoreError.refused(Localized(ro: "amânarea trebuie să fie în viitor", en: "a snooze must end in the future"))
        }
        try policy.authorize(actor, .edit, try workItemKind(ref, for: actor).module)
        try write(actor, "reminder.snooze") { w in
            let item = try WorkItemRules.resolve(ref, in: w)
            try Self.checkReminder(item, seen: seen, actor)
            try w.update(WorkItemRecord.self, id: item.meta!.id, set: ["reminder_at": .int(until), "reminder_done": .bool(false)])
        }
    }

    private static func checkReminder(_ item: WorkItemRecord, seen: Int64?, _ actor: Actor) throws {
        if let seen, item.reminderAt != seen || item.reminderDone {
            throw CoreError.refused(Localized(ro: "mementoul a fost schimbat între timp de altcineva; vedeți-l din nou",
                                              en: "the reminder was changed meanwhile by someone else; look at it again"))
        }
        guard item.ownerID == actor.id || actor.isAdmin else {
            throw CoreError.refused(Localized(ro: "mementoul este al responsabilului; doar el (sau un administrator) îl închide sau îl amână",
                                              en: "the reminder is its owner's; only they (or an administrator) dismiss or snooze it"))
        }
    }

    /// Deleting an account deletes its opportunities and activities too: the
    /// actor needs the right to delete those it has.
    func authorizeDeletingItems(of refs: [String], by actor: Actor) throws {
        let kinds = try read(for: actor) { r in
            Set(try refs.flatMap { ref in
                try r.fetchAll(WorkItemRecord.self, matching: ["account_id": .int(try AccountRules.resolve(ref, in: r).meta!.id)]).map(\.kind)
            })
        }
        for kind in kinds.compactMap(WorkItemKind.init(rawValue:)) { try policy.authorize(actor, .delete, kind.module) }
    }

    // MARK: - Notes and files (OPP-4, ACT-2)

    /// Whether the actor may see a note: one on an opportunity or activity
    /// needs that module's view right too.
    func mayView(_ note: NoteRecord, _ actor: Actor, in r: Reader) throws -> Bool {
        guard let itemID = note.itemID, let item = try r.fetch(WorkItemRecord.self, id: itemID) else { return true }
        return (try? policy.authorize(actor, .view, (WorkItemKind(rawValue: item.kind) ?? .opportunity).module)) != nil
    }

    /// The note types in order (Telefon, E-mail, Întâlnire…).
    public func noteTypes() throws -> [NoteTypeRecord] {
        let stored = try read { try $0.fetchAll(NoteTypeRecord.self, orderBy: ["position", "id"]) }
        if !stored.isEmpty { return stored }
        return try write(nil, "note_type.defaults") { w in try NoteRules.ensureTypes(in: w) }
    }

    /// Adds a note type at the end (anyone who writes notes may extend the list).
    @discardableResult
    public func addNoteType(_ name: String, by actor: Actor) throws -> NoteTypeRecord {
        try policy.authorize(actor, .edit, .accounts)
        var issues: [ValidationIssue] = []
        guard case .text(let clean) = FieldRules.text(name, field: "type", max: 40, issues: &issues), issues.isEmpty else {
            throw CoreError.invalid(issues.isEmpty ? [.init(field: "type", value: name, reason: .required)] : issues)
        }
        return try write(actor, "note_type.add") { w in
            let types = try NoteRules.ensureTypes(in: w)
            if let same = types.first(where: { Fold.key($0.name) == Fold.key(clean) }) { return same }
            return try w.insert(NoteTypeRecord(name: clean, position: (types.map(\.position).max() ?? 0) + 1))
        }
    }

    /// Adds a note to an account, or to an opportunity or activity (`item`), with
    /// files; a file already stored (the same bytes) is not stored twice.
    @discardableResult
    public func addNote(account: String? = nil, item: String? = nil, type: String?, text: String,
                        files: [NoteAttachment] = [], by actor: Actor) throws -> NoteRecord {
        let module = try item.map { try self.workItemKind($0, for: actor).module } ?? .accounts
        try policy.authorize(actor, .edit, module)
        var issues: [ValidationIssue] = []
        let body = FieldRules.text(text, field: "text", max: 20_000, issues: &issues)
        if body.isNull && issues.isEmpty && files.isEmpty { issues.append(.init(field: "text", value: "", reason: .required)) }
        for file in files where file.data.count > Self.maxFileSize {
            issues.append(.init(field: "file", value: file.name, reason: .fileTooLarge(maxMB: Self.maxFileSize / 1024 / 1024)))
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return try write(actor, "note.add") { w in
            let (accountID, itemID): (Int64, Int64?)
            if let item {
                let found = try WorkItemRules.resolve(item, in: w)
                (accountID, itemID) = (found.accountID, found.meta!.id)
            } else if let account {
                (accountID, itemID) = (try AccountRules.resolve(account, in: w).meta!.id, nil)
            } else {
                throw CoreError.refused(Localized(ro: "spuneți la ce se adaugă nota: un cont sau o oportunitate/activitate",
                                                  en: "say what the note is for: an account or an opportunity/activity"))
            }
            let typeName = try type.flatMap { $0.trimmed().isEmpty ? nil : $0 }.map { try NoteRules.type($0, in: w) }
            let note = try w.insert(NoteRecord(accountID: accountID, itemID: itemID, type: typeName, text: body.text ?? ""))
            for file in files {
                let blobID = try NoteRules.storeBlob(file.data, in: w)
                // The name alone, never a hidden file's (".profile" comes back as "profile").
                let name = String(Diacritics.canonical((file.name as NSString).lastPathComponent).drop { $0 == "." })
                try w.insert(NoteFileRecord(noteID: note.meta!.id, blobID: blobID, name: name.isEmpty ? "fisier" : name,
                                            mime: NoteRules.mime(of: name)))
            }
            return note
        }
    }

    /// Notes, newest first: of an account (its items' too), of one item, or
    /// every note the actor sees (Note și fișiere); with words that must all be
    /// in the text, the account's name or a file's name, and of one type.
    public func notes(account: String? = nil, item: String? = nil, search: String? = nil, type: String? = nil, limit: Int = 200,
                      for actor: Actor) throws -> [NoteDetails] {
        try policy.authorize(actor, .view, .accounts)
        let words = (search ?? "").split(whereSeparator: \.isWhitespace).map { Fold.key(String($0)) }.filter { !$0.isEmpty }
        return try read(for: actor) { r in
            let accountID = try account.map { try AccountRules.resolve($0, in: r).meta!.id }
            let itemID = try item.map { try WorkItemRules.resolve($0, in: r).meta!.id }
            let typeName = try type.flatMap { $0.trimmed().isEmpty ? nil : $0 }.map { name -> String in
                let types = try r.fetchAll(NoteTypeRecord.self)
                guard let found = types.first(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) else {
                    throw CoreError.invalid([.init(field: "type", value: name, reason: .invalidChoice(allowed: types.map(\.name)))])
                }
                return found.name
            }
            let notes = try r.notes(accountID: accountID, itemID: itemID, words: words, type: typeName, limit: limit)
                .filter { try self.mayView($0, actor, in: r) }
            let files = try r.noteFiles(noteIDs: notes.map { $0.meta!.id })
            let users = Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) })
            var accounts: [Int64: String] = [:]
            for id in Set(notes.map(\.accountID)) { accounts[id] = try r.fetch(AccountRecord.self, id: id)?.name }
            return notes.map { note in
                NoteDetails(record: note, files: (files[note.meta!.id] ?? []).map {
                    .init(uuid: $0.file.meta!.uuid.description, name: $0.file.name, size: $0.size, mime: $0.file.mime)
                }, createdBy: note.meta?.createdBy.flatMap { users[$0] }, account: accounts[note.accountID] ?? "")
            }
        }
    }

    /// A file attached to a note, by its UUID or #id: name and bytes.
    public func file(_ ref: String, for actor: Actor) throws -> NoteAttachment {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in
            let file = try NoteRules.resolveFile(ref, in: r)
            guard let note = try r.fetch(NoteRecord.self, id: file.noteID), try self.mayView(note, actor, in: r),
                  let blob = try r.fetch(FileBlobRecord.self, id: file.blobID) else {
                throw CoreError.notFound(what: Localized(ro: "fișierul", en: "file"), ref: ref)
            }
            return NoteAttachment(name: file.name, data: blob.data)
        }
    }
}

/// How typed values become an opportunity's or activity's stored ones.
enum WorkItemRules {
    static func values(_ kind: WorkItemKind, _ input: [WorkItemField: String], custom: [String: String] = [:], existing: WorkItemRecord?,
                       stages: [StageRecord], in r: Reader) throws -> [String: Value] {
        var issues: [ValidationIssue] = []
        var out: [String: Value] = [:]
        // Custom columns (OPP-2): typed, mandatory, unique among the items of the kind.
        let columns = try r.fetchAll(CustomColumnRecord.self, matching: ["entity": .text(kind.rawValue), "retired": .int(0)],
                                     orderBy: ["position", "id"])
        for (ref, raw) in custom {
            guard let column = columns.first(where: { $0.key == ref || Fold.key($0.label) == Fold.key(ref) }) else {
                issues.append(.init(field: ref, value: raw, reason: .unknownField)); continue
            }
            let value = FieldRules.custom(raw, column: column, issues: &issues)
            if column.isUnique, !value.isNull,
               try r.workItemIDs(kind: kind.rawValue, customKey: column.key, equals: value).contains(where: { $0 != existing?.meta?.id }) {
                issues.append(.init(field: column.key, value: raw, reason: .duplicate(of: kind.label.ro)))
            }
            out["custom.\(column.key)"] = value
        }
        let stored = try existing.map { try CustomValues.decode($0.custom) } ?? [:]
        for column in columns where column.mandatory && !issues.contains(where: { $0.field == column.key }) {
            if (out["custom.\(column.key)"] ?? stored[column.key] ?? .null).isNull {
                issues.append(.init(field: column.key, value: "", reason: .required))
            }
        }
        for (field, raw) in input {
            let trimmed = raw.trimmed()
            switch field {
            case .stage:
                guard let stage = stages.first(where: { !$0.retired && Fold.key($0.name) == Fold.key(trimmed) }) else {
                    issues.append(.init(field: "stage", value: raw, reason: .invalidChoice(allowed: stages.filter { !$0.retired }.map(\.name))))
                    continue
                }
                out["stage_id"] = .int(stage.meta!.id)
            case .owner:
                if trimmed.isEmpty { out["owner_id"] = .null; continue }
                guard let user = try r.fetchAll(UserRecord.self, matching: ["login": .text(trimmed.lowercased())]).first else {
                    issues.append(.init(field: "owner", value: raw, reason: .unknownUser)); continue
                }
                out["owner_id"] = .int(user.meta!.id)
            case .type:
                out["type"] = FieldRules.text(raw, field: "type", max: 40, issues: &issues)
            case .amount:
                if trimmed.isEmpty { out["amount"] = .null; continue }
                guard let d = FieldRules.decimal(trimmed), d.rounded(2) == d, d >= 0, d < 1e15 else {
                    issues.append(.init(field: "amount", value: raw, reason: .invalidNumber)); continue
                }
                out["amount"] = .int(NSDecimalNumber(decimal: d * 100).int64Value)
            case .currency:
                if trimmed.isEmpty { out["currency"] = .null; continue }
                let code = trimmed.uppercased()
                guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                    issues.append(.init(field: "currency", value: raw, reason: .invalidChoice(allowed: ["RON", "EUR", "USD", "…"]))); continue
                }
                out["currency"] = .text(code)
            case .dueDate, .closeDate:
                if trimmed.isEmpty { out[field.column] = .null; continue }
                guard let iso = FieldRules.date(trimmed) else {
                    issues.append(.init(field: field.rawValue, value: raw, reason: .invalidDate)); continue
                }
                out[field.column] = .text(iso)
            case .details:
                out["details"] = FieldRules.text(raw, field: "details", max: 20_000, issues: &issues)
            case .reminder:
                if trimmed.isEmpty { out["reminder_at"] = .null; continue }
                guard let at = FieldRules.dateTime(trimmed) else {
                    issues.append(.init(field: "reminder", value: raw, reason: .invalidDateTime)); continue
                }
                out["reminder_at"] = .int(at)
            }
        }
        // An amount without a currency is in lei, unless the item has one already.
        if kind == .opportunity, out["amount"].map({ !$0.isNull }) == true, input[.currency] == nil, existing?.currency == nil {
            out["currency"] = .text("RON")
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return out
    }

    static func apply(_ values: [String: Value], to record: inout WorkItemRecord) {
        for (column, value) in values {
            switch column {
            case "stage_id": record.stageID = value.int ?? record.stageID
            case "owner_id": record.ownerID = value.int
            case "type": record.type = value.text
            case "amount": record.amount = value.int
            case "currency": record.currency = value.text
            case "due_date": record.dueDate = value.text
            case "close_date": record.closeDate = value.text
            case "details": record.details = value.text
            case "reminder_at": record.reminderAt = value.int
            default: break
            }
        }
    }

    /// An opportunity or activity by UUID or #id, of an account the user sees.
    static func resolve(_ ref: String, in r: Reader) throws -> WorkItemRecord {
        let found = try r.fetch(WorkItemRecord.self, ref: ref)
        guard let found, let account = try r.fetch(AccountRecord.self, id: found.accountID), r.isVisible(account) else {
            throw CoreError.notFound(what: Localized(ro: "oportunitatea sau activitatea", en: "opportunity or activity"), ref: ref)
        }
        return found
    }

    static func details(_ records: [WorkItemRecord], in r: Reader) throws -> [WorkItemDetails] {
        let columns = try r.fetchAll(CustomColumnRecord.self, matching: ["retired": .int(0)], orderBy: ["position", "id"])
        let stages = Dictionary(uniqueKeysWithValues: try r.fetchAll(StageRecord.self).map { ($0.meta!.id, $0) })
        let users = Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) })
        var accounts: [Int64: AccountRecord] = [:]
        return try records.map { item in
            if accounts[item.accountID] == nil { accounts[item.accountID] = try r.fetch(AccountRecord.self, id: item.accountID) }
            guard let account = accounts[item.accountID], let stage = stages[item.stageID] else {
                throw CoreError.notFound(what: Localized(ro: "contul", en: "account"), ref: "#\(item.accountID)")
            }
            let values = try CustomValues.decode(item.custom)
            return WorkItemDetails(record: item, kind: WorkItemKind(rawValue: item.kind) ?? .opportunity, account: account, stage: stage,
                                   owner: item.ownerID.flatMap { users[$0] }, createdBy: item.meta?.createdBy.flatMap { users[$0] },
                                   custom: columns.filter { $0.entity == item.kind }.map { ($0, values[$0.key] ?? .null) })
        }
    }
}

/// Notes and their files.
enum NoteRules {
    static let defaultTypes = ["Telefon", "E-mail", "Întâlnire", "Vizită", "Altele"]

    static func ensureTypes(in w: Writer) throws -> [NoteTypeRecord] {
        let stored = try w.fetchAll(NoteTypeRecord.self, orderBy: ["position", "id"])
        guard stored.isEmpty else { return stored }
        return try defaultTypes.enumerated().map { try w.insert(NoteTypeRecord(name: $1, position: Int64($0 + 1))) }
    }

    /// A note type by name, case and diacritics aside; an unknown one is refused.
    static func type(_ name: String, in w: Writer) throws -> String {
        let types = try ensureTypes(in: w)
        guard let type = types.first(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) else {
            throw CoreError.invalid([.init(field: "type", value: name, reason: .invalidChoice(allowed: types.map(\.name)))])
        }
        return type.name
    }

    /// The content's row: the one already stored with the same SHA-256, or a new one.
    static func storeBlob(_ data: [UInt8], in w: Writer) throws -> Int64 {
        let hash = sha256(data)
        if let id = try w.blobID(hash: hash) { return id }
        return try w.insert(FileBlobRecord(hash: hash, data: data)).meta!.id
    }

    static func sha256(_ data: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        _ = crypto_hash_sha256(&digest, data, UInt64(data.count))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    static func mime(of name: String) -> String? { FileType.mime(of: name) }

    static func delete(_ note: NoteRecord, in w: Writer) throws {
        for file in try w.fetchAll(NoteFileRecord.self, matching: ["note_id": .int(note.meta!.id)]) {
            try w.delete(NoteFileRecord.self, id: file.meta!.id)
        }
        try w.delete(NoteRecord.self, id: note.meta!.id)
    }

    /// A note's file by UUID or #id, of an account the user sees.
    static func resolveFile(_ ref: String, in r: Reader) throws -> NoteFileRecord {
        let found = try r.fetch(NoteFileRecord.self, ref: ref)
        guard let found, let note = try r.fetch(NoteRecord.self, id: found.noteID),
              let account = try r.fetch(AccountRecord.self, id: note.accountID), r.isVisible(account) else {
            throw CoreError.notFound(what: Localized(ro: "fișierul", en: "file"), ref: ref)
        }
        return found
    }
}

/// What a file is, by its name.
public enum FileType {
    /// A file's MIME type by its name (nil when the name does not say).
    public static func mime(of name: String) -> String? {
        switch (name as NSString).pathExtension.lowercased() {
        case "pdf": return "application/pdf"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "txt": return "text/plain"
        case "csv": return "text/csv"
        case "xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "zip": return "application/zip"
        case "xml": return "application/xml"
        case "html", "htm": return "text/html"
        default: return nil
        }
    }
}
