import CRMStore
import CRMText
import Foundation

extension CRM {
    // MARK: - Custom columns (ACC-9): administrators only

    public static let customColumnEntities = ["account", "contact"]

    public func customColumns(entity: String, for actor: Actor) throws -> [CustomColumnRecord] {
        try policy.authorize(actor, .view, .accounts)
        return try read { try $0.fetchAll(CustomColumnRecord.self, matching: ["entity": .text(entity)], orderBy: ["position", "id"]) }
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
            if existing.contains(where: { $0.key == key }) || AccountField(rawValue: key) != nil {
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
}
