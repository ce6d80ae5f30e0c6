import CRMStore
import CRMText
import Foundation

extension CRM {
    /// The e-mail templates by name (retired ones only when asked).
    public func emailTemplates(includingRetired: Bool = false, for actor: Actor) throws -> [EmailTemplateRecord] {
        try read { r in try r.fetchAll(EmailTemplateRecord.self, orderBy: ["name"]) }.filter { includingRetired || !$0.retired }
    }

    /// One template by its name (case aside).
    public func emailTemplate(_ name: String, for actor: Actor) throws -> EmailTemplateRecord {
        guard let found = try emailTemplates(includingRetired: true, for: actor).first(where: { Fold.key($0.name) == Fold.key(name) }) else {
            throw CoreError.notFound(what: Localized(ro: "șablonul de e-mail", en: "e-mail template"), ref: name)
        }
        return found
    }

    /// Adds a template (administrators): a name, a subject, a body — in the
    /// offer templates' light formatting, or HTML — with known placeholders only.
    @discardableResult
    public func addEmailTemplate(name: String, subject: String, body: String, by actor: Actor) throws -> EmailTemplateRecord {
        try policy.authorize(actor, .admin, .administration)
        try EmailTemplateRules.check(name: name, subject: subject, body: body)
        return try write(actor, "email.template.add") { w in
            if try w.fetchAll(EmailTemplateRecord.self).contains(where: { Fold.key($0.name) == Fold.key(name) }) {
                throw CoreError.invalid([.init(field: "name", value: name, reason: .duplicate(of: name.trimmed()))])
            }
            return try w.insert(EmailTemplateRecord(name: name.trimmed(), subject: subject.trimmed(), body: body))
        }
    }

    /// Changes a template's subject or body (what is given), or retires it (or brings it back).
    @discardableResult
    public func editEmailTemplate(_ name: String, subject: String? = nil, body: String? = nil, retired: Bool? = nil,
                                  by actor: Actor) throws -> EmailTemplateRecord {
        try policy.authorize(actor, .admin, .administration)
        let current = try emailTemplate(name, for: actor)
        try EmailTemplateRules.check(name: current.name, subject: subject ?? current.subject, body: body ?? current.body)
        return try write(actor, "email.template.edit") { w in
            var set: [String: Value] = [:]
            if let subject { set["subject"] = .text(subject.trimmed()) }
            if let body { set["body"] = .text(body) }
            if let retired { set["retired"] = .bool(retired) }
            try w.update(EmailTemplateRecord.self, id: current.meta!.id, set: set)
            return try w.fetch(EmailTemplateRecord.self, id: current.meta!.id)!
        }
    }
}

enum EmailTemplateRules {
    static func check(name: String, subject: String, body: String) throws {
        var issues: [ValidationIssue] = []
        if name.trimmed().isEmpty { issues.append(.init(field: "name", value: name, reason: .required)) }
        if subject.trimmed().isEmpty { issues.append(.init(field: "subject", value: subject, reason: .required)) }
        if subject.count > 300 { issues.append(.init(field: "subject", value: "", reason: .tooLong(max: 300))) }
        if body.count > 100_000 { issues.append(.init(field: "body", value: "", reason: .tooLong(max: 100_000))) }
        for (field, text) in [("subject", subject), ("body", body)] {
            for unknown in TemplateText.unknownPlaceholders(in: text) {
                issues.append(.init(field: field, value: "{{\(unknown)}}",
                                    reason: .invalidChoice(allowed: TemplateText.placeholders.map { "{{\($0.name)}}" })))
            }
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
    }
}
