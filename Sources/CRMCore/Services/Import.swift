import CRMText
import CRMStore
import Foundation

/// One row of an import file, as the core sees it.
public struct ImportRow: Sendable {
    public let line: Int
    public var input: AccountInput
    public var contact: [ContactField: String]
    /// The row's cells as the file had them (for a rejects file).
    public var source: [String]
    /// What the reader already found wrong (a cell holding a spreadsheet error).
    public var issues: [ValidationIssue]

    public init(line: Int, input: AccountInput, contact: [ContactField: String], source: [String] = [],
                issues: [ValidationIssue] = []) {
        self.line = line
        self.input = input
        self.contact = contact
        self.source = source
        self.issues = issues
    }
}

/// What an import does with a row whose code or CUI is already an account's.
public enum DuplicatePolicy: String, Sendable, CaseIterable { case skip, update, create }

/// What an import did, or would do (a dry run), and every row it refused.
public struct ImportReport: Sendable, Equatable {
    public struct Rejected: Sendable, Equatable {
        public let line: Int
        public let problems: [ValidationIssue]
        /// The row's cells as the file had them.
        public let source: [String]

        public init(line: Int, problems: [ValidationIssue], source: [String] = []) {
            self.line = line
            self.problems = problems
            self.source = source
        }
    }

    public var added = 0
    public var updated = 0
    public var skipped = 0
    public var rejected: [Rejected] = []
    public var dryRun = false
}

extension CRM {
    /// Imports accounts (with their primary contact) in one transaction (ACC-7).
    /// Every row goes through the same rules as any other write. Unless
    /// `skipInvalid`, one refused row refuses the whole file
    /// (`CoreError.importRefused`, with every bad row) and nothing is written;
    /// with it, the good rows go in and the report lists the others. A dry run
    /// checks everything and writes nothing. `progress` is told how many rows
    /// were read and returns false to cancel (nothing is written).
    ///
    /// Rows are pulled from `next` one at a time, so a file of any size imports
    /// in bounded memory — on a thread of their own, where they are also
    /// normalised (the rules that need no database), while this one checks
    /// them against the stored accounts and writes them. `next` is called from
    /// that thread only, and never after this returns.
    public func importAccounts(from next: @escaping () throws -> ImportRow?, folder: String? = nil,
                               onDuplicate: DuplicatePolicy = .skip, skipInvalid: Bool = false, dryRun: Bool = false,
                               by actor: Actor, progress: (Int) -> Bool = { _ in true }) throws -> ImportReport {
        try policy.authorize(actor, .import, .accounts)
        var report = ImportReport()
        report.dryRun = dryRun
        do {
            try write(actor, "account.import") { w in
                let rules = try AccountRules(w)
                let rows = ImportPipeline(next: next, normalizer: rules.normalizer, folder: folder ?? CRM.rootFolderName)
                defer { rows.stop() }
                var pending = PendingAccounts(capacity: rules.hasUniqueRules ? 1 : 64)
                var n = 0
                try w.deferringSearchIndex {
                    while let row = try rows.next() {
                        n += 1
                        do {
                            try self.importRow(row, onDuplicate: onDuplicate, rules: rules, into: w, pending: &pending, report: &report)
                        } catch CoreError.invalid(let issues) {
                            report.rejected.append(.init(line: row.source.line, problems: issues, source: row.source.source))
                        }
                        if n % 64 == 0 { guard progress(n) else { throw CoreError.cancelled } }
                    }
                    try pending.flush(w)
                }
                guard progress(n) else { throw CoreError.cancelled }
                if dryRun { throw ImportRollback.dryRun }
                if !report.rejected.isEmpty && !skipInvalid { throw ImportRollback.refused }
            }
        } catch ImportRollback.dryRun {
            return report
        } catch ImportRollback.refused {
            throw CoreError.importRefused(report.rejected)
        }
        return report
    }

    /// The same, from rows in memory.
    public func importAccounts(_ rows: [ImportRow], folder: String? = nil, onDuplicate: DuplicatePolicy = .skip,
                               skipInvalid: Bool = false, dryRun: Bool = false, by actor: Actor,
                               progress: (Int) -> Bool = { _ in true }) throws -> ImportReport {
        let iterator = LockedBox(rows.makeIterator())
        return try importAccounts(from: {
            var it = iterator.value
            let row = it.next()
            iterator.set(it)
            return row
        }, folder: folder, onDuplicate: onDuplicate, skipInvalid: skipInvalid, dryRun: dryRun, by: actor, progress: progress)
    }

    /// One row: added, updated, skipped, or refused with `CoreError.invalid`.
    private func importRow(_ row: PreparedImportRow, onDuplicate: DuplicatePolicy, rules: AccountRules, into w: Writer,
                           pending: inout PendingAccounts, report: inout ImportReport) throws {
        let (code, cui) = (row.account["code"]?.text, row.account["cui"]?.text)
        // A row that repeats one waiting to be stored sees it stored first.
        if pending.holds(code: code, cui: cui) { try pending.flush(w) }
        let existing = try Self.existing(code: code, cui: cui, in: w)
        // An account of another zone is neither shown, nor skipped, nor changed: the row is refused.
        if let existing, !w.isVisible(existing) {
            let (field, value) = existing.code != nil && existing.code == code ? ("code", code ?? "") : ("cui", cui ?? "")
            throw CoreError.invalid([.init(field: field, value: value, reason: .outsideZones(allowed: rules.allowedZoneNames))])
        }
        if existing != nil, onDuplicate == .skip {
            report.skipped += 1
        } else if let existing, onDuplicate == .update {
            // Only the cells the file fills change the account.
            var issues = row.source.issues + row.issues.filter { $0.field.hasPrefix("contact.") }
            var values = row.source.input
            values.fields = values.fields.filter { !$0.value.isEmpty }
            values.custom = values.custom.filter { !$0.value.isEmpty }
            let changes = try rules.values(from: values, existing: existing, issues: &issues)
            guard issues.isEmpty else { throw CoreError.invalid(issues) }
            try w.update(AccountRecord.self, id: existing.meta!.id, set: changes)
            report.updated += 1
        } else {
            // No account has its code (else it would be `existing`), unless the file adds one anyway.
            if onDuplicate == .create && code != nil { try pending.flush(w) }
            let account = try rules.checkedNew(row.account, issues: row.issues, record: row.record, codeChecked: onDuplicate != .create)
            let contact = try row.contactRecord ?? row.contact.map { try ContactRules.record(values: $0, primary: true, accountID: 0) }
            try pending.add(account, contact: contact, code: code, cui: cui, into: w)
            report.added += 1
        }
    }

    /// The account a row repeats: the same code, else the same CUI (as stored).
    static func existing(code: String?, cui: String?, in r: Reader) throws -> AccountRecord? {
        if let code, !code.isEmpty, let id = try r.accountID(whereColumn: "code", equals: code) {
            return try r.fetch(AccountRecord.self, id: id)
        }
        if let cui, !cui.isEmpty, let id = try r.accountID(whereColumn: "cui", equals: cui) {
            return try r.fetch(AccountRecord.self, id: id)
        }
        return nil
    }
}

/// New accounts (and their primary contacts) waiting to be stored together:
/// a few statements for many rows instead of four per row. Their codes and CUIs
/// are known, so a later row that repeats one stores them first.
struct PendingAccounts {
    let capacity: Int
    private var accounts: [AccountRecord] = []
    private var contacts: [ContactRecord?] = []
    private var codes: Set<String> = []
    private var cuis: Set<String> = []

    init(capacity: Int) { self.capacity = capacity }

    func holds(code: String?, cui: String?) -> Bool {
        (code.map(codes.contains) ?? false) || (cui.map(cuis.contains) ?? false)
    }

    mutating func add(_ account: AccountRecord, contact: ContactRecord?, code: String?, cui: String?, into w: Writer) throws {
        accounts.append(account)
        contacts.append(contact)
        if let code { codes.insert(code) }
        if let cui { cuis.insert(cui) }
        if accounts.count >= capacity { try flush(w) }
    }

    mutating func flush(_ w: Writer) throws {
        guard !accounts.isEmpty else { return }
        let metas = try w.insertAll(PreparedRecords(accounts))
        var people: [ContactRecord] = []
        for (i, contact) in contacts.enumerated() {
            guard var contact else { continue }
            contact.accountID = metas[i].id
            people.append(contact)
        }
        if !people.isEmpty { try w.insertAll(PreparedRecords(people)) }
        accounts.removeAll(keepingCapacity: true)
        contacts.removeAll(keepingCapacity: true)
        codes.removeAll(keepingCapacity: true)
        cuis.removeAll(keepingCapacity: true)
    }
}

/// A row as the reading thread hands it over: normalised, with the problems found so far.
struct PreparedImportRow: Sendable {
    let source: ImportRow
    var account: [String: Value]
    var issues: [ValidationIssue]
    var contact: [String: Value]?
    /// The account and its primary contact as records, made when the row had no problem.
    var record: AccountRecord?
    var contactRecord: ContactRecord?
}

/// The reading side of an import: a thread that pulls rows from the file,
/// normalises them and hands them over in batches, while the caller writes.
/// A failure of the reader reaches the caller in order, after the rows before it.
final class ImportPipeline {
    private let producer: Producer<[PreparedImportRow]>
    private var batch: [PreparedImportRow] = []
    private var index = 0

    init(next: @escaping () throws -> ImportRow?, normalizer: AccountNormalizer, folder: String) {
        let source = UncheckedSendable(next)
        producer = Producer(capacity: 4) { put in
            var batch: [PreparedImportRow] = []
            batch.reserveCapacity(256)
            // The rows read before a failure are handed over before it.
            defer { if !batch.isEmpty { _ = put(batch) } }
            while let row = try source.value() {
                batch.append(Self.prepare(row, normalizer: normalizer, folder: folder))
                if batch.count == 256 {
                    guard put(batch) else { batch = []; return }
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    static func prepare(_ row: ImportRow, normalizer: AccountNormalizer, folder: String) -> PreparedImportRow {
        var input = row.input
        if input.fields[.folder]?.isEmpty ?? true { input.fields[.folder] = folder }
        var issues = row.issues
        let account = normalizer.normalize(input, issues: &issues)
        var contact: [String: Value]?
        if !(row.contact[.name] ?? "").isEmpty {
            do {
                contact = try ContactRules.values(row.contact)
            } catch CoreError.invalid(let problems) {
                issues += problems.map { ValidationIssue(field: "contact." + $0.field, value: $0.value, reason: $0.reason) }
            } catch {}
        }
        var prepared = PreparedImportRow(source: row, account: account, issues: issues, contact: contact)
        if issues.isEmpty, !(account["name"] ?? .null).isNull {
            prepared.record = try? AccountRules.record(account)
            prepared.contactRecord = contact.flatMap { try? ContactRules.record(values: $0, primary: true, accountID: 0) }
        }
        return prepared
    }

    /// The next row, nil at the end; the reader's failure, if it failed.
    func next() throws -> PreparedImportRow? {
        if index == batch.count {
            guard let more = try producer.next() else { return nil }
            batch = more
            index = 0
        }
        defer { index += 1 }
        return batch[index]
    }

    /// Stops the reading thread (if it is still reading) and waits for it.
    func stop() { producer.stop() }
}

/// A value handed to exactly one other thread, which alone uses it from then on.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Ends an import's transaction without keeping it.
enum ImportRollback: Error { case dryRun, refused }
