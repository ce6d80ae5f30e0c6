import CRMStore
import CRMText
import Foundation

extension CRM {
    // MARK: - Contacts (ACC-3)

    public func contacts(ofAccount ref: String, for actor: Actor) throws -> [ContactRecord] {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in
            let account = try AccountRules.resolve(ref, in: r)
            let all = try r.fetchAll(ContactRecord.self, matching: ["account_id": .int(account.meta!.id)],
                                     orderBy: ["name_key", "id"])
            return all.filter(\.isPrimary) + all.filter { !$0.isPrimary }
        }
    }

    /// Adds a contact to an account; with `primary`, it becomes the primary contact
    /// (the previous one loses the star).
    @discardableResult
    public func addContact(toAccount ref: String, _ input: [ContactField: String], primary: Bool = false,
                           by actor: Actor) throws -> ContactRecord {
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, "contact.add") { w in
            let account = try AccountRules.resolve(ref, in: w)
            return try ContactRules.insert(input, primary: primary, accountID: account.meta!.id, in: w)
        }
    }

    @discardableResult
    public func editContact(_ ref: String, _ input: [ContactField: String], expectedVersion: Int64? = nil,
                            by actor: Actor) throws -> [FieldChange] {
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, "contact.edit") { w in
            let contact = try ContactRules.resolve(ref, in: w)
            let values = try ContactRules.values(input)
            if input[.name] != nil, (values["name"] ?? .null).isNull {
                throw CoreError.invalid([.init(field: "name", value: "", reason: .required)])
            }
            return try w.update(ContactRecord.self, id: contact.meta!.id, set: values, expectedVersion: expectedVersion)
        }
    }

    public func deleteContact(_ ref: String, by actor: Actor) throws {
        try policy.authorize(actor, .edit, .accounts)
        try write(actor, "contact.delete") { w in
            try w.delete(ContactRecord.self, id: try ContactRules.resolve(ref, in: w).meta!.id)
        }
    }

    /// Marks the contact as its account's one primary contact.
    public func setPrimaryContact(_ ref: String, by actor: Actor) throws {
        try policy.authorize(actor, .edit, .accounts)
        try write(actor, "contact.primary") { w in
            let contact = try ContactRules.resolve(ref, in: w)
            if contact.isPrimary { return }
            try ContactRules.clearPrimary(accountID: contact.accountID, in: w)
            try w.update(ContactRecord.self, id: contact.meta!.id, set: ["is_primary": .int(1)])
        }
    }
}

/// A contact as an account dialog holds it until the account is saved: a new
/// one (no `uuid`), a changed one, or one to delete.
public struct ContactDraft: Sendable, Equatable {
    public var uuid: String?
    public var expectedVersion: Int64?
    public var fields: [ContactField: String]
    public var primary: Bool
    public var deleted: Bool

    public init(uuid: String? = nil, expectedVersion: Int64? = nil, fields: [ContactField: String], primary: Bool = false,
                deleted: Bool = false) {
        self.uuid = uuid
        self.expectedVersion = expectedVersion
        self.fields = fields
        self.primary = primary
        self.deleted = deleted
    }

    /// A stored contact, as a draft that changes nothing yet.
    public init(_ contact: ContactRecord) {
        self.init(uuid: contact.meta?.uuid.description, expectedVersion: contact.meta?.version,
                  fields: [.name: contact.name, .role: contact.role ?? "", .phone: contact.phone ?? "",
                           .mobile: contact.mobile ?? "", .email: contact.email ?? "", .notes: contact.notes ?? ""],
                  primary: contact.isPrimary)
    }
}

enum ContactRules {
    /// A new contact; `newAccount` says the account was made in this write and has no other contact yet.
    static func insert(_ input: [ContactField: String], primary: Bool, accountID: Int64, newAccount: Bool = false,
                       in w: Writer) throws -> ContactRecord {
        try insert(values: try ContactRules.values(input), primary: primary, accountID: accountID, newAccount: newAccount, in: w)
    }

    /// The same from values already checked (`values(_:)`).
    static func insert(values: [String: Value], primary: Bool, accountID: Int64, newAccount: Bool = false,
                       in w: Writer) throws -> ContactRecord {
        let contact = try record(values: values, primary: primary, accountID: accountID)
        if primary && !newAccount { try clearPrimary(accountID: accountID, in: w) }
        return try w.insert(contact)
    }

    /// A new contact's record from checked values.
    static func record(values: [String: Value], primary: Bool, accountID: Int64) throws -> ContactRecord {
        guard case .text(let name)? = values["name"] else {
            throw CoreError.invalid([.init(field: "name", value: "", reason: .required)])
        }
        var contact = ContactRecord(accountID: accountID, name: name)
        contact.role = values["role"]?.text
        contact.phone = values["phone"]?.text
        contact.mobile = values["mobile"]?.text
        contact.email = values["email"]?.text
        contact.notes = values["notes"]?.text
        contact.isPrimary = primary
        return contact
    }

    /// Applies an account dialog's contacts: deletions first, then changes and
    /// additions, then the star (at most one contact keeps it).
    static func apply(_ drafts: [ContactDraft], accountID: Int64, in w: Writer) throws {
        guard !drafts.isEmpty else { return }
        var stored: [String: ContactRecord] = [:]
        for draft in drafts {
            guard let uuid = draft.uuid else { continue }
            let contact = try resolve(uuid, in: w)
            guard contact.accountID == accountID else {
                throw CoreError.refused(Localized(ro: "persoana de contact \(contact.name) aparține altui cont",
                                                  en: "the contact \(contact.name) belongs to another account"))
            }
            stored[uuid] = contact
        }
        // Every edited contact must still be as the dialog loaded it.
        for draft in drafts {
            guard let uuid = draft.uuid, let contact = stored[uuid], let expected = draft.expectedVersion else { continue }
            let found = contact.meta!.version
            if found != expected {
                throw StoreError.staleVersion(entity: ContactRecord.table, id: contact.meta!.id, expected: expected, found: found)
            }
        }
        for draft in drafts where draft.deleted {
            if let uuid = draft.uuid, let contact = stored[uuid] { try w.delete(ContactRecord.self, id: contact.meta!.id) }
        }
        let live = drafts.filter { !$0.deleted }
        // The star moves first, so that at no moment two contacts hold it.
        if let star = live.first(where: \.primary) {
            try clearPrimary(accountID: accountID, except: star.uuid, in: w)
        }
        for draft in live {
            if let uuid = draft.uuid, let contact = stored[uuid] {
                var values = try ContactRules.values(draft.fields)
                if draft.fields[.name] != nil, (values["name"] ?? .null).isNull {
                    throw CoreError.invalid([.init(field: "name", value: "", reason: .required)])
                }
                values["is_primary"] = .bool(draft.primary)
                _ = try w.update(ContactRecord.self, id: contact.meta!.id, set: values)
            } else {
                _ = try insert(draft.fields, primary: draft.primary, accountID: accountID, in: w)
            }
        }
    }

    static func values(_ input: [ContactField: String]) throws -> [String: Value] {
        var issues: [ValidationIssue] = []
        var out: [String: Value] = [:]
        for (field, raw) in input {
            let blank = raw.trimmed().isEmpty
            switch field {
            case .email:
                if blank { out["email"] = .null } else if let e = Email.normalize(raw) { out["email"] = .text(e) } else {
                    issues.append(.init(field: "email", value: raw, reason: .invalidEmail))
                }
            case .phone, .mobile:
                if blank { out[field.rawValue] = .null } else if let p = Phone.normalize(raw) { out[field.rawValue] = .text(p) } else {
                    issues.append(.init(field: field.rawValue, value: raw, reason: .invalidPhone))
                }
            case .name, .role, .notes:
                out[field.rawValue] = FieldRules.text(raw, field: field.rawValue, max: field.maxLength, issues: &issues)
            }
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return out
    }

    static func clearPrimary(accountID: Int64, except keep: String? = nil, in w: Writer) throws {
        for c in try w.primaryContacts(accountIDs: [accountID]).values where c.meta?.uuid.description != keep {
            try w.update(ContactRecord.self, id: c.meta!.id, set: ["is_primary": .int(0)])
        }
    }

    /// A contact by UUID or "#id".
    static func resolve(_ ref: String, in r: Reader) throws -> ContactRecord {
        let trimmed = ref.trimmed()
        // A contact hangs off its account: outside the user's zones it is not found.
        func visible(_ c: ContactRecord) throws -> Bool {
            try r.zones == nil || r.fetch(AccountRecord.self, id: c.accountID).map(r.isVisible) == true
        }
        if let c = try r.fetch(ContactRecord.self, ref: trimmed), try visible(c) { return c }
        throw CoreError.notFound(what: Localized(ro: "persoana de contact", en: "contact"), ref: ref)
    }
}

extension CRM {
    /// The problems the core would find in these contact values (none: they can be saved).
    public func checkContact(_ input: [ContactField: String]) -> [ValidationIssue] {
        do {
            let values = try ContactRules.values(input)
            if (values["name"] ?? .null).isNull { return [.init(field: "name", value: "", reason: .required)] }
            return []
        } catch CoreError.invalid(let issues) {
            return issues
        } catch {
            return []
        }
    }
}
