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

    public init() {}
}

extension CRM {
    /// Imports accounts (with their primary contact) in one transaction (ACC-7).
    /// Every row goes through the same rules as any other write. Unless
    /// `skipInvalid`, one refused row refuses the whole file
    /// (`CoreError.importRefused`, with every bad row) and nothing is written;
    /// with it, the good rows go in and the report lists the others. A dry run
    /// checks everything and writes nothing. Rows are pulled from `next` one at
    /// a time, so a file of any size imports in bounded memory; `progress` is
    /// told how many rows were read and returns false to cancel (nothing is
    /// written).
    public func importAccounts(from next: () throws -> ImportRow?, folder: String? = nil, onDuplicate: DuplicatePolicy = .skip,
                               skipInvalid: Bool = false, dryRun: Bool = false, by actor: Actor,
                               progress: (Int) -> Bool = { _ in true }) throws -> ImportReport {
        try policy.authorize(actor, .import, .accounts)
        var report = ImportReport()
        report.dryRun = dryRun
        do {
            try write(actor, "account.import") { w in
                let rules = try AccountRules(w)
                var n = 0
                try w.deferringSearchIndex {
                    while let row = try next() {
                        n += 1
                        do {
                            try self.importRow(row, folder: folder, onDuplicate: onDuplicate, rules: rules, into: w, report: &report)
                        } catch CoreError.invalid(let issues) {
                            report.rejected.append(.init(line: row.line, problems: issues, source: row.source))
                        }
                        if n % 64 == 0 { guard progress(n) else { throw CoreError.cancelled } }
                    }
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
        var iterator = rows.makeIterator()
        return try importAccounts(from: { iterator.next() }, folder: folder, onDuplicate: onDuplicate, skipInvalid: skipInvalid,
                                  dryRun: dryRun, by: actor, progress: progress)
    }

    /// One row: added, updated, skipped, or refused with `CoreError.invalid`.
    private func importRow(_ row: ImportRow, folder: String?, onDuplicate: DuplicatePolicy, rules: AccountRules, into w: Writer,
                           report: inout ImportReport) throws {
        var input = row.input
        if let folder, input.fields[.folder]?.isEmpty ?? true { input.fields[.folder] = folder }
        var issues = row.issues
        if !(row.contact[.name] ?? "").isEmpty {
            issues += checkContact(row.contact).map {
                ValidationIssue(field: "contact." + $0.field, value: $0.value, reason: $0.reason)
            }
        }
        let existing = try Self.existing(input, in: w)
        if existing != nil, onDuplicate == .skip {
            report.skipped += 1
        } else if let existing, onDuplicate == .update {
            var values = input
            values.fields = values.fields.filter { !$0.value.isEmpty }
            values.custom = values.custom.filter { !$0.value.isEmpty }
            let changes = try rules.values(from: values, existing: existing, issues: &issues)
            guard issues.isEmpty else { throw CoreError.invalid(issues) }
            try w.update(AccountRecord.self, id: existing.meta!.id, set: changes)
            report.updated += 1
        } else {
            guard issues.isEmpty else {
                // The account's own problems too, in one report.
                do { _ = try rules.values(from: input, existing: nil, issues: &issues) } catch {}
                throw CoreError.invalid(issues)
            }
            let account = try rules.insert(input, in: w)
            if !(row.contact[.name] ?? "").isEmpty {
                _ = try ContactRules.insert(row.contact, primary: true, accountID: account.meta!.id, newAccount: true, in: w)
            }
            report.added += 1
        }
    }

    /// The account a row repeats: the same code, else the same CUI.
    static func existing(_ input: AccountInput, in r: Reader) throws -> AccountRecord? {
        if let code = input.fields[.code]?.trimmed(), !code.isEmpty,
           let found = try r.accounts(whereColumn: "code", equals: code, limit: 1).first {
            return found
        }
        if let raw = input.fields[.cui], let cui = CUI.parse(raw.trimmed()) {
            return try r.accounts(whereColumn: "cui", equals: cui.digits, limit: 1).first
        }
        return nil
    }
}

/// Ends an import's transaction without keeping it.
enum ImportRollback: Error { case dryRun, refused }
