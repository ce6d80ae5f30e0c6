import CRMStore
import CRMText
import Foundation

/// A merge of accounts before it is made: the accounts (the survivor first),
/// and for every field the value each holds and the one the survivor keeps.
public struct MergePlan: Sendable {
    public struct Field: Sendable {
        /// The column ("city", "owner_id") or "custom.KEY".
        public let key: String
        /// The English name used on the command line ("city", "owner", a custom key).
        public let name: String
        public let label: Localized
        /// The value as stored in each account, in the plan's order.
        public let stored: [Value]
        /// The value as shown to people, in the same order.
        public let shown: [String]
        /// Which account's value the survivor keeps.
        public var chosen: Int

        /// Whether the accounts disagree.
        public var differs: Bool { Set(stored).count > 1 }
    }

    public let accounts: [AccountDetails]
    public var fields: [Field]
    /// How many contacts each account has.
    public let contacts: [Int]

    /// Takes a field's value from the account at `index`.
    public mutating func choose(_ key: String, _ index: Int) {
        guard let f = fields.firstIndex(where: { $0.key == key || $0.name == key }), accounts.indices.contains(index) else { return }
        fields[f].chosen = index
    }
}

/// What a merge did; `operation` undoes it.
public struct MergeResult: Sendable {
    public let operation: Int64
    public let survivor: AccountRecord
    public let merged: Int
    public let contactsMoved: Int
}

extension CRM {
    /// The name a merge has in the change log.
    public static let mergeOperation = "account.merge"

    /// Plans a merge of `others` into `survivor` (ACC-6, "Unificare duplicate"):
    /// each field keeps by default the most recently updated non-empty value;
    /// the code, which names the survivor, stays its own unless it has none.
    public func mergePlan(survivor: String, others: [String], for actor: Actor) throws -> MergePlan {
        try policy.authorize(actor, .edit, .accounts)
        return try read(for: actor) { r in
            var records = [try AccountRules.resolve(survivor, in: r)]
            for ref in others {
                let a = try AccountRules.resolve(ref, in: r)
                guard !records.contains(where: { $0.meta!.id == a.meta!.id }) else {
                    throw CoreError.refused(Localized(ro: "contul «\(ref)» apare de două ori în unificare",
                                                      en: "account «\(ref)» appears twice in the merge"))
                }
                records.append(a)
            }
            guard records.count >= 2 else {
                throw CoreError.refused(Localized(ro: "unificarea cere cel puțin două conturi", en: "a merge needs at least two accounts"))
            }
            let lookup = try DetailsLookup(r)
            let primaries = try r.primaryContacts(accountIDs: records.map { $0.meta!.id })
            let details = try records.map { try lookup.details($0, primary: primaries[$0.meta!.id]) }
            let contacts = try records.map { try r.count(ContactRecord.self, matching: ["account_id": .int($0.meta!.id)]) }
            return MergePlan(accounts: details, fields: Self.mergeFields(details, columns: lookup.columns), contacts: contacts)
        }
    }

    static func mergeFields(_ accounts: [AccountDetails], columns: [CustomColumnRecord]) -> [MergePlan.Field] {
        let stored = accounts.map { Dictionary(uniqueKeysWithValues: zip(AccountRecord.columns, $0.record.values)) }
        let custom = accounts.map { (try? CustomValues.decode($0.record.custom)) ?? [:] }
        // The most recently updated account with a value (the survivor on a tie).
        func newest(_ values: [Value]) -> Int {
            var best = 0
            var bestAt = Int64.min
            for (i, v) in values.enumerated() where !(v.isNull || v.text?.isEmpty == true) {
                let at = accounts[i].record.meta?.updatedAt ?? 0
                if at > bestAt { best = i; bestAt = at }
            }
            return best
        }
        var out: [MergePlan.Field] = []
        for field in AccountField.allCases {
            let values = stored.map { $0[field.column] ?? .null }
            // The code names the survivor: it keeps its own when it has one.
            let chosen = field == .code && !values[0].isNull ? 0 : newest(values)
            out.append(.init(key: field.column, name: field.rawValue, label: field.label, stored: values,
                             shown: accounts.map { $0.text(field) }, chosen: chosen))
        }
        for column in columns {
            let values = custom.map { $0[column.key] ?? .null }
            let type = CustomColumnType(rawValue: column.type) ?? .text
            let shown = values.map { CustomColumns.cell($0, type: type).display(.ro) }
            out.append(.init(key: "custom.\(column.key)", name: column.key, label: Localized(ro: column.label, en: column.label),
                             stored: values, shown: shown, chosen: newest(values)))
        }
        return out
    }

    /// Merges as planned, in one transaction: the other accounts' contacts,
    /// opportunities, activities and notes move to the survivor (its primary
    /// contact stays primary), the others are
    /// deleted, and the survivor takes the chosen values. Refused, with nothing
    /// changed, if any of the accounts changed since the plan was made.
    /// Everything is in the change log under one operation, which `undoMerge` reverses.
    public func merge(_ plan: MergePlan, by actor: Actor) throws -> MergeResult {
        try policy.authorize(actor, .edit, .accounts)
        try policy.authorize(actor, .delete, .accounts)
        return try write(actor, Self.mergeOperation) { w in
            let survivor = plan.accounts[0].record
            let survivorID = survivor.meta!.id
            for account in plan.accounts {
                guard let now = try w.fetch(AccountRecord.self, id: account.record.meta!.id) else {
                    throw StoreError.rowNotFound(entity: AccountRecord.table, id: account.record.meta!.id)
                }
                guard now.meta!.version == account.record.meta!.version else {
                    throw StoreError.staleVersion(entity: AccountRecord.table, id: now.meta!.id, expected: account.record.meta!.version,
                                                  found: now.meta!.version)
                }
            }
            var hasPrimary = try !w.primaryContacts(accountIDs: [survivorID]).isEmpty
            var moved = 0
            for account in plan.accounts.dropFirst() {
                let id = account.record.meta!.id
                for contact in try w.fetchAll(ContactRecord.self, matching: ["account_id": .int(id)]) {
                    if contact.isPrimary && hasPrimary {
                        try w.update(ContactRecord.self, id: contact.meta!.id, set: ["is_primary": .int(0)])
                    }
                    hasPrimary = hasPrimary || contact.isPrimary
                    try w.update(ContactRecord.self, id: contact.meta!.id, set: ["account_id": .int(survivorID)])
                    moved += 1
                }
                // Opportunities, activities, notes and e-mails follow their account.
                for item in try w.fetchAll(WorkItemRecord.self, matching: ["account_id": .int(id)]) {
                    try w.update(WorkItemRecord.self, id: item.meta!.id, set: ["account_id": .int(survivorID)])
                }
                for note in try w.fetchAll(NoteRecord.self, matching: ["account_id": .int(id)]) {
                    try w.update(NoteRecord.self, id: note.meta!.id, set: ["account_id": .int(survivorID)])
                }
                for email in try w.fetchAll(EmailRecord.self, matching: ["account_id": .int(id)]) {
                    try w.update(EmailRecord.self, id: email.meta!.id, set: ["account_id": .int(survivorID)])
                }
                try CampaignRules.moveAccount(from: id, to: survivorID, in: w)
                try WebFormRules.moveAccount(from: id, to: survivorID, in: w)
                // So do invoices, payments and suppliers' invoices, and their accounts in the books.
                for invoice in try w.fetchAll(InvoiceRecord.self, matching: ["account_id": .int(id)]) {
                    try w.update(InvoiceRecord.self, id: invoice.meta!.id, set: ["account_id": .int(survivorID)])
                }
                for payment in try w.fetchAll(PaymentRecord.self, matching: ["account_id": .int(id)]) {
                    try w.update(PaymentRecord.self, id: payment.meta!.id, set: ["account_id": .int(survivorID)])
                }
                for expense in try w.fetchAll(ExpenseRecord.self, matching: ["account_id": .int(id)]) {
                    try w.update(ExpenseRecord.self, id: expense.meta!.id, set: ["account_id": .int(survivorID)])
                }
                try Ledger.mergeParties(from: id, into: survivorID, in: w)
                try w.delete(AccountRecord.self, id: id)
            }
            var changes: [String: Value] = [:]
            for field in plan.fields where field.chosen != 0 && field.stored[field.chosen] != field.stored[0] {
                changes[field.key] = field.stored[field.chosen]
            }
            if !changes.isEmpty { try w.update(AccountRecord.self, id: survivorID, set: changes) }
            return MergeResult(operation: w.operationID, survivor: try w.fetch(AccountRecord.self, id: survivorID)!,
                               merged: plan.accounts.count - 1, contactsMoved: moved)
        }
    }

    /// Undoes a merge (the last one this user made when `operation` is nil):
    /// the merged accounts come back with their ids, UUIDs and values, their
    /// contacts return to them, and the survivor gets its values back.
    @discardableResult
    public func undoMerge(_ operation: Int64?, by actor: Actor) throws -> Int64 {
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, Self.mergeOperation + ".undo") { w in
            let target: OperationRecord
            if let operation {
                guard let found = try w.operation(id: operation), found.name == Self.mergeOperation else {
                    throw CoreError.notFound(what: Localized(ro: "unificarea", en: "merge"), ref: "#\(operation)")
                }
                target = found
            } else {
                guard let last = try w.lastOperation(named: Self.mergeOperation, userID: actor.id) else {
                    throw CoreError.refused(Localized(ro: "nu există nicio unificare de anulat", en: "there is no merge to undo"))
                }
                target = last
            }
            // A merge of accounts outside the user's zones is not theirs to see, nor to undo:
            // every account it touched must be visible before and after (the undo brings
            // back the ones it deleted, in their own zones); else nothing is kept.
            func checkVisible() throws {
                guard w.zones != nil else { return }
                for entry in try w.changes(operationID: target.id) where entry.entity == AccountRecord.table {
                    if let account = try w.fetch(AccountRecord.self, id: entry.rowID), !w.isVisible(account) {
                        throw CoreError.notFound(what: Localized(ro: "unificarea", en: "merge"), ref: "#\(target.id)")
                    }
                }
            }
            try checkVisible()
            try w.undo(operation: target.id)
            try checkVisible()
            // A note or e-mail added since to an item the merge had moved follows the item back.
            for entry in try w.changes(operationID: target.id) where entry.entity == WorkItemRecord.table {
                guard let item = try w.fetch(WorkItemRecord.self, id: entry.rowID) else { continue }
                for note in try w.fetchAll(NoteRecord.self, matching: ["item_id": .int(item.meta!.id)]) where note.accountID != item.accountID {
                    try w.update(NoteRecord.self, id: note.meta!.id, set: ["account_id": .int(item.accountID)])
                }
                for email in try w.fetchAll(EmailRecord.self, matching: ["item_id": .int(item.meta!.id)]) where email.accountID != item.accountID {
                    try w.update(EmailRecord.self, id: email.meta!.id, set: ["account_id": .int(item.accountID)])
                }
            }
            return target.id
        }
    }
}
