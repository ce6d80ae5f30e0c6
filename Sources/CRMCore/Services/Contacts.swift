import CRMStore
import CRMText
import Foundation

extension CRM {
    // MARK: - Contacts (ACC-3)

    public func contacts(ofAccount ref: String, for actor: Actor) throws -> [ContactRecord] {
        try policy.authorize(actor, .view, .accounts)
        return try read { r in
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
            let values = try ContactRules.values(input)
            guard case .text(let name)? = values["name"] else {
                throw CoreError.invalid([.init(field: "name", value: "", reason: .required)])
            }
            var contact = ContactRecord(accountID: account.meta!.id, name: name)
            contact.role = values["role"]?.text
            contact.phone = values["phone"]?.text
            contact.mobile = values["mobile"]?.text
            contact.email = values["email"]?.text
            contact.notes = values["notes"]?.text
            if primary { try ContactRules.clearPrimary(accountID: account.meta!.id, in: w) }
            contact.isPrimary = primary
            return try w.insert(contact)
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

enum ContactRules {
    static func values(_ input: [ContactField: String]) throws -> [String: Value] {
        var issues: [ValidationIssue] = []
        var out: [String: Value] = [:]
        for (field, raw) in input {
            let blank = raw.trimmingCharacters(in: .whitespaces).isEmpty
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

    static func clearPrimary(accountID: Int64, in w: Writer) throws {
        for c in try w.fetchAll(ContactRecord.self, matching: ["account_id": .int(accountID), "is_primary": .int(1)]) {
            try w.update(ContactRecord.self, id: c.meta!.id, set: ["is_primary": .int(0)])
        }
    }

    /// A contact by UUID or "#id".
    static func resolve(_ ref: String, in r: Reader) throws -> ContactRecord {
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        if let uuid = RowUUID(trimmed), let c = try r.fetch(ContactRecord.self, uuid: uuid) { return c }
        let digits = trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed
        if let id = Int64(digits), let c = try r.fetch(ContactRecord.self, id: id) { return c }
        throw CoreError.notFound(what: Localized(ro: "persoana de contact", en: "contact"), ref: ref)
    }
}
