import CRMStore
import CRMText
import Foundation

extension CRM {
    // MARK: - Custom columns (ACC-9): administrators only

    public static let customColumnEntities = ["account", "contact", "opportunity", "activity"]

    public func customColumns(entity: String, for actor: Actor) throws -> [CustomColumnRecord] {
        try policy.authorize(actor, .view, .accounts)
        return try read { try $0.fetchAll(CustomColumnRecord.self, matching: ["entity": .text(entity), "retired": .int(0)], orderBy: ["position", "id"]) }
    }

    @discardableResult
    public func addCustomColumn(entity: String, label: String, type: CustomColumnType, choices: [String] = [],
                                mandatory: Bool = false, unique: Bool = false, by actor: Actor) throws -> CustomColumnRecord {
        try policy.authorize(actor, .admin, .accounts)
        guard CRM.customColumnEntities.contains(entity) else {
            throw CoreError.invalid([.init(field: "entity", value: entity,
                                           reason: .invalidChoice(allowed: CRM.customColumnEntities))])
        }
        var issues: [ValidationIssue] = []
        guard case .text(let clean) = FieldRules.text(label, field: "label", max: 100, issues: &issues), issues.isEmpty else {
            throw CoreError.invalid(issues.isEmpty ? [.init(field: "label", value: "", reason: .required)] : issues)
        }
        if type == .choice && choices.isEmpty {
            throw CoreError.refused(Localized(ro: "o coloană de tip listă are nevoie de valori (--choice A --choice B)",
                                              en: "a choice column needs its values (--choice A --choice B)"))
        }
        let key = CRM.columnKey(clean)
        return try write(actor, "custom_column.add") { w in
            let existing = try w.fetchAll(CustomColumnRecord.self, matching: ["entity": .text(entity)])
            let standard = entity == "account" ? AccountField(rawValue: key) != nil
                : ["opportunity", "activity"].contains(entity) && WorkItemField.allCases.contains { $0.rawValue == key || $0.column == key }
            if existing.contains(where: { $0.key == key }) || standard {
                throw CoreError.refused(Localized(ro: "există deja un câmp «\(clean)» (\(key)); alegeți alt nume",
                                                  en: "a field «\(clean)» (\(key)) already exists; choose another name"))
            }
            let choicesJSON = choices.isEmpty ? nil
                : String(decoding: try JSONSerialization.data(withJSONObject: choices.map { Diacritics.canonical($0) }), as: UTF8.self)
            return try w.insert(CustomColumnRecord(entity: entity, key: key, label: clean, type: type.rawValue,
                                                   choices: choicesJSON, position: Int64(existing.count + 1),
                                                   mandatory: mandatory, isUnique: unique))
        }
    }

    /// "Nr. angajați" → "nr_angajati": the stable key a custom value is stored under.
    static func columnKey(_ label: String) -> String {
        var out = ""
        for ch in Fold.key(label) {
            if ch.isASCII && (ch.isLetter || ch.isNumber) { out.append(ch) } else if out.last != "_" { out.append("_") }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        return trimmed.isEmpty ? "field" : trimmed
    }

    /// Every custom column of an entity, the retired ones included.
    public func allCustomColumns(entity: String, for actor: Actor) throws -> [CustomColumnRecord] {
        try policy.authorize(actor, .view, .accounts)
        return try read { try $0.fetchAll(CustomColumnRecord.self, matching: ["entity": .text(entity)], orderBy: ["position", "id"]) }
    }

    /// Renames a custom column; its key, and so its values, stay.
    public func renameCustomColumn(entity: String, key: String, to label: String, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .accounts)
        var issues: [ValidationIssue] = []
        guard case .text(let clean) = FieldRules.text(label, field: "label", max: 100, issues: &issues), issues.isEmpty else {
            throw CoreError.invalid(issues.isEmpty ? [.init(field: "label", value: label, reason: .required)] : issues)
        }
        try write(actor, "custom_column.rename") { w in
            let column = try CRM.customColumn(entity: entity, key: key, in: w)
            try w.update(CustomColumnRecord.self, id: column.meta!.id, set: ["label": .text(clean)])
        }
    }

    /// Retires a custom column (it leaves forms, tables, filters, imports and
    /// exports; its values stay in every row), or brings it back.
    public func retireCustomColumn(entity: String, key: String, retired: Bool = true, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .accounts)
        try write(actor, retired ? "custom_column.retire" : "custom_column.restore") { w in
            let column = try CRM.customColumn(entity: entity, key: key, in: w)
            try w.update(CustomColumnRecord.self, id: column.meta!.id, set: ["retired": .bool(retired)])
        }
    }

    static func customColumn(entity: String, key: String, in r: Reader) throws -> CustomColumnRecord {
        let all = try r.fetchAll(CustomColumnRecord.self, matching: ["entity": .text(entity)])
        guard let column = all.first(where: { $0.key == key || Fold.key($0.label) == Fold.key(key) }) else {
            throw CoreError.notFound(what: Localized(ro: "coloana", en: "column"), ref: key)
        }
        return column
    }

    // MARK: - Field rules (ACC-8): administrators only

    /// The rules in force on an entity's fields: the standard ones' from
    /// `field_rule`, the custom ones' from their columns.
    public func fieldRules(entity: String, for actor: Actor) throws -> [(field: String, mandatory: Bool, unique: Bool)] {
        try policy.authorize(actor, .view, .accounts)
        return try read { r in
            let standard = try r.fetchAll(FieldRuleRecord.self, matching: ["entity": .text(entity)], orderBy: ["field"])
                .map { (field: $0.field, mandatory: $0.mandatory, unique: $0.isUnique) }
            let custom = try r.fetchAll(CustomColumnRecord.self, matching: ["entity": .text(entity), "retired": .int(0)], orderBy: ["position"])
                .filter { $0.mandatory || $0.isUnique }
                .map { (field: "custom." + $0.key, mandatory: $0.mandatory, unique: $0.isUnique) }
            return standard + custom
        }
    }

    /// Makes a field mandatory and/or unique (or not). A field cannot become
    /// unique while two accounts share a value: the refusal names them.
    public func setFieldRule(entity: String, field: String, mandatory: Bool, unique: Bool, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .accounts)
        // Accounts: any field; opportunities and activities: their custom columns.
        let items = WorkItemKind(rawValue: entity)
        guard entity == "account" || items != nil && field.hasPrefix("custom.") else {
            throw CoreError.invalid([.init(field: items == nil ? "entity" : "field", value: items == nil ? entity : field,
                                           reason: .invalidChoice(allowed: items == nil ? ["account", "opportunity", "activity"] : ["custom.…"]))])
        }
        try write(actor, "field_rule.set") { w in
            if field.hasPrefix("custom.") {
                let column = try CRM.customColumn(entity: entity, key: String(field.dropFirst(7)), in: w)
                if unique, let clash = try w.repeatedCustomValueCount(key: column.key, workItemKind: items?.rawValue) {
                    throw CRM.notUnique(field, clash)
                }
                try w.update(CustomColumnRecord.self, id: column.meta!.id, set: ["mandatory": .bool(mandatory), "is_unique": .bool(unique)])
                return
            }
            guard let standard = AccountField(rawValue: field), standard != .folder else {
                throw CoreError.invalid([.init(field: "field", value: field,
                                               reason: .invalidChoice(allowed: AccountField.allCases.filter { $0 != .folder }.map(\.rawValue)))])
            }
            if unique, let clash = try w.repeatedValueCount(column: standard.column) {
                throw CRM.notUnique(field, clash)
            }
            try w.setUniqueIndex(accountColumn: standard.column, present: unique)
            let existing = try w.fetchAll(FieldRuleRecord.self, matching: ["entity": .text(entity), "field": .text(field)])
            if let row = existing.first {
                try w.update(FieldRuleRecord.self, id: row.meta!.id, set: ["mandatory": .bool(mandatory), "is_unique": .bool(unique)])
            } else {
                try w.insert(FieldRuleRecord(entity: entity, field: field, mandatory: mandatory, isUnique: unique))
            }
        }
    }

    static func notUnique(_ field: String, _ count: Int) -> CoreError {
        CoreError.refused(Localized(ro: "câmpul \(field) nu poate deveni unic: \(count) conturi au aceeași valoare; corectați-le întâi",
                                    en: "the field \(field) cannot become unique: \(count) accounts share a value; correct them first"))
    }
}
