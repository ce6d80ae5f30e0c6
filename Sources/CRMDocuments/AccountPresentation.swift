import CRMCore
import CRMStore

/// How accounts and contacts look in every output: JSON with the fields' English
/// names, and rows for readable tables.
public enum AccountPresentation {
    public static func json(_ d: AccountDetails) -> JSONDocument {
        let r = d.record
        var pairs: [(String, JSONDocument)] = [("uuid", .string(r.meta?.uuid.description ?? ""))]
        for field in AccountField.allCases {
            let value: JSONDocument
            switch field {
            case .vatPayer: value = .bool(r.vatPayer)
            case .name, .kind, .country, .folder: value = .string(d.text(field))
            case .cui: value = .optional(r.cui)
            default:
                let t = d.text(field)
                value = t.isEmpty ? .null : .string(t)
            }
            pairs.append((field.rawValue, value))
        }
        pairs.append(("custom", .object(d.custom.map { ($0.column.key, customJSON($0.value, $0.column)) })))
        pairs.append(("primaryContact", .optional(d.primaryContact?.name)))
        pairs += meta(r.meta, createdBy: d.createdBy, updatedBy: d.updatedBy)
        return .object(pairs)
    }

    public static func json(_ c: ContactRecord, account: String? = nil) -> JSONDocument {
        var pairs: [(String, JSONDocument)] = [("uuid", .string(c.meta?.uuid.description ?? ""))]
        if let account { pairs.append(("account", .string(account))) }
        pairs += [("name", .string(c.name)), ("role", .optional(c.role)), ("phone", .optional(c.phone)),
                  ("mobile", .optional(c.mobile)), ("email", .optional(c.email)), ("notes", .optional(c.notes)),
                  ("primary", .bool(c.isPrimary))]
        pairs += meta(c.meta, createdBy: nil, updatedBy: nil)
        return .object(pairs)
    }

    static func meta(_ m: RowMeta?, createdBy: String?, updatedBy: String?) -> [(String, JSONDocument)] {
        guard let m else { return [] }
        return [("createdAt", .string(Timestamp.iso(m.createdAt))), ("createdBy", .optional(createdBy)),
                ("updatedAt", .string(Timestamp.iso(m.updatedAt))), ("updatedBy", .optional(updatedBy)),
                ("version", .int(m.version))]
    }

    static func customJSON(_ v: Value, _ column: CustomColumnRecord) -> JSONDocument {
        switch (v, CustomColumnType(rawValue: column.type)) {
        case (.null, _): return .null
        case (.int, .money?): return .number(CustomColumns.display(v, column: column))
        case (.int(let i), .bool?): return .bool(i != 0)
        case (.int(let i), _): return .int(i)
        case (.real(let d), _): return .number(String(d))
        default: return .string(v.text ?? "")
        }
    }

    /// The columns of `crm account list`.
    public static let listFields: [AccountField] = [.code, .name, .cui, .city, .county, .phone, .email, .owner]

    public static func row(_ d: AccountDetails, fields: [AccountField] = listFields) -> [String] {
        fields.map { d.text($0) }
    }

    public static func sheet(_ d: AccountDetails, lang: Language) -> RecordSheet {
        var pairs: [(String, String)] = [("UUID", d.record.meta?.uuid.description ?? "")]
        for field in AccountField.allCases {
            var text = d.text(field)
            if field == .iban, !text.isEmpty { text = IBAN.grouped(text) }
            if field == .vatPayer { text = d.record.vatPayer ? (lang == .ro ? "da" : "yes") : (lang == .ro ? "nu" : "no") }
            pairs.append((field.label.text(lang), text))
        }
        for (column, value) in d.custom { pairs.append((column.label, CustomColumns.display(value, column: column))) }
        if let m = d.record.meta {
            let created = Localized(ro: "Creat", en: "Created").text(lang)
            let updated = Localized(ro: "Modificat", en: "Updated").text(lang)
            pairs.append((created, "\(Timestamp.iso(m.createdAt)) \(d.createdBy ?? "")"))
            pairs.append((updated, "\(Timestamp.iso(m.updatedAt)) \(d.updatedBy ?? "") (v\(m.version))"))
        }
        return RecordSheet(pairs)
    }
}
