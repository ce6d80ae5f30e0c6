import CRMStore
import CRMText
import Foundation

/// Where a web form's field (or predefined value) goes: a standard account
/// field, a contact field of the account's first contact, or an account's
/// custom column. Written `account.email`, `contact.name`, `custom.KEY`.
public enum WebFormTarget: Hashable, Sendable, CustomStringConvertible {
    case account(AccountField)
    case contact(ContactField)
    case custom(String)

    public init?(_ text: String) {
        let t = text.trimmed()
        guard let dot = t.firstIndex(of: ".") else { return nil }
        let (table, column) = (t[..<dot].lowercased(), String(t[t.index(after: dot)...]))
        switch table {
        case "account", "conturi", "cont": guard let f = AccountField(rawValue: column) else { return nil }; self = .account(f)
        case "contact", "contacte": guard let f = ContactField(rawValue: column) else { return nil }; self = .contact(f)
        case "custom": guard !column.isEmpty else { return nil }; self = .custom(column)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .account(let f): return "account." + f.rawValue
        case .contact(let f): return "contact." + f.rawValue
        case .custom(let key): return "custom." + key
        }
    }

    /// The table, as the designer names it.
    public var table: Localized {
        switch self {
        case .account, .custom: return .init(ro: "Conturi", en: "Accounts")
        case .contact: return .init(ro: "Contacte", en: "Contacts")
        }
    }

    /// The fields a visitor may fill (the references — folder, zone, owner — and the code are predefined only).
    public var visitorMayFill: Bool {
        switch self {
        case .account(let f): return ![.folder, .zone, .owner, .code].contains(f)
        default: return true
        }
    }

    /// Every target a form may use, with the database's custom columns.
    public static func all(customKeys: [String]) -> [WebFormTarget] {
        AccountField.allCases.map { .account($0) } + ContactField.allCases.map { .contact($0) } + customKeys.map { .custom($0) }
    }
}

/// How a field is shown in the page.
public enum WebFieldType: String, CaseIterable, Sendable, Codable {
    case text, textarea, email, tel, number, date, checkbox, select

    public var label: Localized {
        switch self {
        case .text: return .init(ro: "text", en: "text")
        case .textarea: return .init(ro: "text lung", en: "long text")
        case .email: return .init(ro: "e-mail", en: "e-mail")
        case .tel: return .init(ro: "telefon", en: "phone")
        case .number: return .init(ro: "număr", en: "number")
        case .date: return .init(ro: "dată", en: "date")
        case .checkbox: return .init(ro: "bifă", en: "checkbox")
        case .select: return .init(ro: "listă", en: "choice list")
        }
    }
}

/// One field of a form: its name in the page (kept when the label changes, so
/// a pasted form keeps working), label, target, type and whether it is required.
public struct WebFormField: Codable, Sendable, Equatable {
    public var name: String
    public var label: String
    public var target: String
    public var type: WebFieldType
    public var required: Bool

    public init(name: String = "", label: String, target: String, type: WebFieldType? = nil, required: Bool = false) {
        self.name = name; self.label = label; self.target = target
        self.type = type ?? WebFormTarget(target).map { WebFormRules.defaultType($0, columns: []) } ?? .text
        self.required = required
    }
}

/// A value every submission of a form gets, never shown in the page (the folder, the zone, the owner…).
public struct WebFormPreset: Codable, Sendable, Equatable {
    public var target: String
    public var value: String
    public init(target: String, value: String) { self.target = target; self.value = value }
}

/// What a submission matching an existing account (same e-mail or CUI) does.
public enum WebFormDuplicates: String, CaseIterable, Sendable {
    /// The submission is kept on the existing account (a new contact added if its address is new).
    case attach
    /// The submission is refused with the form's error message.
    case reject

    public var label: Localized {
        switch self {
        case .attach: return .init(ro: "atașează la contul existent", en: "attach to the existing account")
        case .reject: return .init(ro: "refuză", en: "reject")
        }
    }
}

/// A form as the designer edits it.
public struct WebFormDefinition: Sendable, Equatable {
    public var name: String
    public var successMessage: String
    public var errorMessage: String
    public var successURL: String?
    public var errorURL: String?
    /// The company site (an origin, https://www.firma.ro) whose pages may send it from a script.
    public var site: String?
    public var duplicates: WebFormDuplicates
    /// The login of the user told of each submission (nil: the account's owner).
    public var notify: String?
    public var fields: [WebFormField]
    public var presets: [WebFormPreset]
    public var enabled: Bool

    public init(name: String, successMessage: String = "Vă mulțumim! Mesajul a fost primit.",
                errorMessage: String = "Formularul nu a putut fi trimis. Verificați câmpurile și încercați din nou.",
                successURL: String? = nil, errorURL: String? = nil, site: String? = nil, duplicates: WebFormDuplicates = .attach,
                notify: String? = nil, fields: [WebFormField] = [], presets: [WebFormPreset] = [], enabled: Bool = true) {
        self.name = name; self.successMessage = successMessage; self.errorMessage = errorMessage; self.successURL = successURL
        self.errorURL = errorURL; self.site = site; self.duplicates = duplicates; self.notify = notify; self.fields = fields
        self.presets = presets; self.enabled = enabled
    }
}

/// A stored form: its definition, address and submissions.
public struct WebFormDetails: Sendable {
    public let record: WebFormRecord
    public let definition: WebFormDefinition
    public let submissions: Int
    public let lastSubmission: Int64?
    /// The choices of each select field, by target.
    public let choices: [String: [String]]
    public var token: String { record.token }
    /// The form's address under the service's base (`https://crm.firma.ro/f/TOKEN`).
    public func address(base: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + WebFormRules.path + token
    }
}

/// A submission as a person reads it: which form, which account, what was sent.
public struct WebSubmissionDetails: Sendable, Equatable {
    public let uuid: String
    public let form: String
    /// The account's UUID and name; nil when it was deleted or lies outside the reader's zones.
    public let accountUUID: String?
    public let accountName: String?
    public let attached: Bool
    public let summary: String
    public let at: Int64
}

/// What a submission came to.
public struct WebFormReceipt: Sendable, Equatable {
    public enum Outcome: String, Sendable { case created, attached, spam }
    public let outcome: Outcome
    public let accountUUID: String?
    public let message: String
    public let redirect: String?
}

/// A submission refused: the form's error message and, per field of the page, why.
public struct WebFormRejection: Error, Sendable, Equatable {
    public let message: String
    public let redirect: String?
    /// (the field's name in the page, or "" for the whole form; the reason in the form's language).
    public let issues: [(field: String, label: String, text: String)]

    public static func == (a: Self, b: Self) -> Bool {
        a.message == b.message && a.redirect == b.redirect && a.issues.map { "\($0.field)\u{1}\($0.text)" } == b.issues.map { "\($0.field)\u{1}\($0.text)" }
    }
}

enum WebFormRules {
    /// Where the service answers forms: `/f/TOKEN`.
    static let path = "/f/"
    /// The honeypot: a field hidden from people; a submission that fills it is a robot's.
    static let honeypot = "crm_website"
    static let maxFields = 40
    static let maxPairs = 100
    static let maxMessage = 1_000

    static func defaultType(_ target: WebFormTarget, columns: [CustomColumnRecord]) -> WebFieldType {
        switch target {
        case .account(.email), .contact(.email): return .email
        case .account(.phone), .account(.mobile), .contact(.phone), .contact(.mobile): return .tel
        case .account(.notes), .account(.address), .contact(.notes): return .textarea
        case .account(.vatPayer): return .checkbox
        case .account(.kind), .account(.county): return .select
        case .custom(let key):
            switch columns.first(where: { $0.key == key }).flatMap({ CustomColumnType(rawValue: $0.type) }) {
            case .number?, .money?: return .number
            case .date?: return .date
            case .bool?: return .checkbox
            case .choice?: return .select
            default: return .text
            }
        default: return .text
        }
    }

    /// The types a target may be shown as.
    static func types(_ target: WebFormTarget, columns: [CustomColumnRecord]) -> [WebFieldType] {
        let natural = defaultType(target, columns: columns)
        switch natural {
        case .checkbox: return [.checkbox]
        case .select: return [.select, .text]
        case .number: return [.number, .text]
        case .date: return [.date, .text]
        case .email: return [.email, .text]
        case .tel: return [.tel, .text]
        case .textarea, .text: return [.text, .textarea]
        }
    }

    /// The choices a select offers.
    static func choices(_ target: WebFormTarget, columns: [CustomColumnRecord]) -> [String] {
        switch target {
        case .account(.kind): return ["Persoană juridică", "Persoană fizică"]
        case .account(.county): return County.all.map(\.name)
        case .custom(let key):
            guard let json = columns.first(where: { $0.key == key })?.choices,
                  let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String] else { return [] }
            return list
        default: return []
        }
    }

    /// A field's name in the page from its label: ASCII letters, digits and "_", unique in the form.
    static func inputName(_ label: String, taken: Set<String>) -> String {
        var base = String(Fold.key(label).unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "_" })
        base = base.split(separator: "_").joined(separator: "_")
        if base.isEmpty || base.first!.isNumber { base = "camp" + (base.isEmpty ? "" : "_" + base) }
        base = String(base.prefix(40))
        var name = base
        var n = 2
        while taken.contains(name) || name.hasPrefix("crm_") { name = base + "_\(n)"; n += 1 }
        return name
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func definition(_ form: WebFormRecord, in r: Reader) throws -> WebFormDefinition {
        WebFormDefinition(
            name: form.name, successMessage: form.successMessage, errorMessage: form.errorMessage, successURL: form.successURL,
            errorURL: form.errorURL, site: form.site, duplicates: WebFormDuplicates(rawValue: form.duplicates) ?? .attach,
            notify: try form.notifyID.flatMap { try r.fetch(UserRecord.self, id: $0)?.login },
            fields: (try? JSONDecoder().decode([WebFormField].self, from: Data(form.fields.utf8))) ?? [],
            presets: (try? JSONDecoder().decode([WebFormPreset].self, from: Data(form.preset.utf8))) ?? [],
            enabled: form.enabled)
    }

    static func details(_ form: WebFormRecord, counts: [Int64: (count: Int, last: Int64)], choices withChoices: Bool = true,
                        in r: Reader) throws -> WebFormDetails {
        let d = try definition(form, in: r)
        var choices: [String: [String]] = [:]
        if withChoices && d.fields.contains(where: { $0.type == .select }) {
            let columns = try r.fetchAll(CustomColumnRecord.self, matching: ["entity": .text("account"), "retired": .int(0)])
            for f in d.fields where f.type == .select {
                if let t = WebFormTarget(f.target) { choices[f.target] = Self.choices(t, columns: columns) }
            }
        }
        let c = counts[form.meta!.id]
        return WebFormDetails(record: form, definition: d, submissions: c?.count ?? 0, lastSubmission: c?.last, choices: choices)
    }

    static func resolve(_ name: String, in r: Reader) throws -> WebFormRecord {
        guard let found = try r.fetchAll(WebFormRecord.self).first(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) else {
            throw CoreError.notFound(what: Localized(ro: "formularul web", en: "web form"), ref: name)
        }
        return found
    }

    /// A new unguessable address: 128 random bits, base64url.
    static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// An origin as a site is written: scheme, host and port, nothing after.
    static func origin(_ text: String) -> String? {
        guard let url = URL(string: text.trimmed()), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/", url.query == nil, url.fragment == nil,
              url.user == nil else { return nil }
        return "\(scheme)://\(host.lowercased())" + (url.port.map { ":\($0)" } ?? "")
    }

    static func isWebAddress(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host?.isEmpty == false else { return false }
        return !text.unicodeScalars.contains { $0.value < 0x21 || $0 == "\"" || $0 == "<" || $0 == ">" }
    }

    /// Checks a definition against the base (its columns, folders, zones, users and rules): every problem at once.
    static func check(_ d: inout WebFormDefinition, in r: Reader) throws -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func rule(_ field: String, _ ro: String, _ en: String) {
            issues.append(.init(field: field, value: "", reason: .rule(Localized(ro: ro, en: en))))
        }
        func unknown(_ field: String, _ target: String) {
            rule(field, "«\(target)» nu este o coloană: account.CÂMP, contact.CÂMP sau custom.CHEIE (vedeți crm form --help)",
                 "«\(target)» is not a column: account.FIELD, contact.FIELD or custom.KEY (see crm form --help)")
        }
        d.name = d.name.trimmed()
        if d.name.isEmpty { issues.append(.init(field: "name", value: "", reason: .required)) }
        if d.name.count > 100 { issues.append(.init(field: "name", value: d.name, reason: .tooLong(max: 100))) }
        for (key, text) in [("success", d.successMessage), ("error", d.errorMessage)] {
            if text.trimmed().isEmpty { issues.append(.init(field: key, value: "", reason: .required)) }
            if text.count > maxMessage { issues.append(.init(field: key, value: "", reason: .tooLong(max: maxMessage))) }
        }
        d.successMessage = d.successMessage.trimmed(); d.errorMessage = d.errorMessage.trimmed()
        for (key, url) in [("success-url", d.successURL), ("error-url", d.errorURL)] {
            guard let url, !url.trimmed().isEmpty else { continue }
            if !isWebAddress(url.trimmed()) {
                rule(key, "«\(url)» nu este o adresă web (https://…)", "«\(url)» is not a web address (https://…)")
            }
        }
        d.successURL = d.successURL.map { $0.trimmed() }.flatMap { $0.isEmpty ? nil : $0 }
        d.errorURL = d.errorURL.map { $0.trimmed() }.flatMap { $0.isEmpty ? nil : $0 }
        if let site = d.site, !site.trimmed().isEmpty {
            if let o = origin(site) { d.site = o } else {
                rule("site", "situl se scrie ca origine: https://www.firma.ro (fără cale)",
                     "the site is written as an origin: https://www.firma.ro (no path)")
            }
        } else { d.site = nil }
        if let login = d.notify?.trimmed(), !login.isEmpty {
            guard let user = try r.fetchAll(UserRecord.self).first(where: { $0.login.lowercased() == login.lowercased() }), !user.disabled else {
                issues.append(.init(field: "notify", value: login, reason: .unknownUser)); return issues
            }
            d.notify = user.login
        } else { d.notify = nil }

        // What the designer types reaches pages and terminals: no control characters in it.
        for (key, text, multiline) in [("name", d.name, false), ("success", d.successMessage, true), ("error", d.errorMessage, true)]
            + d.fields.map({ ("field", $0.label, false) }) + d.presets.map({ ("preset", $0.value, false) })
            where hasControlCharacters(text, multiline: multiline) {
            rule(key, "«\(Sanitize.line(text))» conține caractere de control", "«\(Sanitize.line(text))» holds control characters")
        }
        let normalizer = try AccountNormalizer(r)
        let columns = normalizer.columns
        if d.fields.isEmpty {
            rule("fields", "formularul nu are niciun câmp: adăugați cel puțin unul (Adăugare câmp)",
                 "the form has no field: add at least one (Add field)")
        }
        if d.fields.count > maxFields { rule("fields", "cel mult \(maxFields) câmpuri", "at most \(maxFields) fields") }
        var used: [WebFormTarget: String] = [:]
        var names: Set<String> = []
        for i in d.fields.indices {
            d.fields[i].label = d.fields[i].label.trimmed()
            let f = d.fields[i]
            if f.label.isEmpty { issues.append(.init(field: "field", value: f.target, reason: .required)) }
            if f.label.count > 200 { issues.append(.init(field: "field", value: f.label, reason: .tooLong(max: 200))) }
            guard let target = WebFormTarget(f.target), targetExists(target, columns: columns) else {
                unknown("field", f.target); continue
            }
            d.fields[i].target = target.description
            if !target.visitorMayFill {
                rule("field", "«\(f.label)»: \(tableColumn(target, columns).ro) se dă doar ca valoare predefinită",
                     "«\(f.label)»: \(tableColumn(target, columns).en) is given only as a predefined value")
            }
            if let other = used[target] {
                rule("field", "«\(f.label)» și «\(other)» merg în aceeași coloană", "«\(f.label)» and «\(other)» go to the same column")
            }
            used[target] = f.label
            let suitable = types(target, columns: columns)
            if !suitable.contains(f.type) {
                rule("field", "«\(f.label)»: tipul \(f.type.label.ro) nu se potrivește coloanei (\(suitable.map(\.label.ro).joined(separator: ", ")))",
                     "«\(f.label)»: the type \(f.type.label.en) does not suit the column (\(suitable.map(\.label.en).joined(separator: ", ")))")
            }
            if f.type == .checkbox && f.required {
                d.fields[i].required = false
            }
            let valid = !f.name.isEmpty && f.name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
                && !f.name.hasPrefix("crm_") && !names.contains(f.name)
            if !valid { d.fields[i].name = inputName(f.label, taken: names.union(d.fields.map(\.name))) }
            names.insert(d.fields[i].name)
        }
        var presetInput = AccountInput()
        var contactPreset = false
        for i in d.presets.indices {
            let p = d.presets[i]
            guard let target = WebFormTarget(p.target), targetExists(target, columns: columns) else {
                unknown("preset", p.target); continue
            }
            d.presets[i].target = target.description
            d.presets[i].value = p.value.trimmed()
            if let other = used[target] {
                rule("preset", "\(tableColumn(target, columns).ro): are deja câmpul «\(other)»",
                     "\(tableColumn(target, columns).en): already has the field «\(other)»")
            }
            used[target] = tableColumn(target, columns).ro
            switch target {
            case .account(let f): presetInput.fields[f] = d.presets[i].value
            case .custom(let key): presetInput.custom[key] = d.presets[i].value
            case .contact: contactPreset = true
            }
        }
        // The predefined values must be values the base takes (a folder, zone or user that exists…).
        var presetIssues: [ValidationIssue] = []
        _ = normalizer.normalize(presetInput, issues: &presetIssues)
        issues += presetIssues.map { .init(field: "preset", value: $0.value.isEmpty ? $0.field : $0.value, reason: $0.reason) }
        if contactPreset {
            let contact = Dictionary(d.presets.compactMap { p -> (ContactField, String)? in
                if case .contact(let f)? = WebFormTarget(p.target) { return (f, p.value) }; return nil
            }, uniquingKeysWith: { a, _ in a })
            do { _ = try ContactRules.values(contact) } catch CoreError.invalid(let found) {
                issues += found.map { .init(field: "preset", value: $0.value, reason: $0.reason) }
            }
        }
        // A new account needs a name: the account's, or its contact's.
        if used[.account(.name)] == nil && used[.contact(.name)] == nil {
            rule("fields", "contul nou are nevoie de o denumire: adăugați câmpul Conturi → Denumire sau Contacte → Nume",
                 "a new account needs a name: add the field Accounts → Name or Contacts → Name")
        }
        let isContact: (String) -> Bool = { if case .contact? = WebFormTarget($0) { return true } else { return false } }
        let contactNamed = d.fields.contains { $0.target == "contact.name" && $0.required }
            || d.presets.contains { $0.target == "contact.name" && !$0.value.isEmpty }
        if (d.fields.contains { isContact($0.target) } || d.presets.contains { isContact($0.target) }) && !contactNamed {
            rule("fields", "datele persoanei de contact au nevoie de numele ei: faceți câmpul Contacte → Nume obligatoriu",
                 "the contact's details need its name: make the field Contacts → Name required")
        }
        // The base's own rules: a mandatory field must be asked (required) or predefined; a zone when zones are in use.
        let required = Set(d.fields.filter(\.required).compactMap { WebFormTarget($0.target) })
            .union(d.presets.filter { !$0.value.isEmpty }.compactMap { WebFormTarget($0.target) })
        for r in normalizer.rules where r.mandatory {
            guard let f = AccountField(rawValue: r.field), f != .folder, !required.contains(.account(f)) else { continue }
            if f == .name && required.contains(.contact(.name)) { continue }
            rule("fields", "\(f.label.ro) este obligatoriu la conturi: adăugați-l ca obligatoriu sau predefinit",
                 "\(f.label.en) is mandatory for accounts: add it as required or predefined")
        }
        for c in columns where c.mandatory && !required.contains(.custom(c.key)) {
            rule("fields", "\(c.label) este obligatoriu la conturi: adăugați-l ca obligatoriu sau predefinit",
                 "\(c.label) is mandatory for accounts: add it as required or predefined")
        }
        if normalizer.zonesInUse && !required.contains(.account(.zone)) {
            rule("preset", "zonele sunt folosite: adăugați câmpul predefinit Conturi → Zonă, altfel contul nu l-ar vedea nimeni",
                 "zones are in use: add the predefined field Accounts → Zone, else no one would see the account")
        }
        return issues
    }

    static func targetExists(_ target: WebFormTarget, columns: [CustomColumnRecord]) -> Bool {
        if case .custom(let key) = target { return columns.contains { $0.key == key } }
        return true
    }

    /// "Conturi → Denumire" for a target.
    static func tableColumn(_ target: WebFormTarget, _ columns: [CustomColumnRecord]) -> Localized {
        let column: Localized
        switch target {
        case .account(let f): column = f.label
        case .contact(let f): column = f.label
        case .custom(let key): let l = columns.first { $0.key == key }?.label ?? key; column = .init(ro: l, en: l)
        }
        return .init(ro: "\(target.table.ro) → \(column.ro)", en: "\(target.table.en) → \(column.en)")
    }

    static func moveAccount(from id: Int64, to target: Int64?, in w: Writer) throws {
        for s in try w.fetchAll(WebSubmissionRecord.self, matching: ["account_id": .int(id)]) {
            try w.update(WebSubmissionRecord.self, id: s.meta!.id, set: ["account_id": .optional(target)])
        }
    }

    /// Whether a value holds a character no one types: controls (line breaks only in a long text) and bidirectional overrides.
    static func hasControlCharacters(_ text: String, multiline: Bool) -> Bool {
        text.unicodeScalars.contains { s in
            if multiline && (s == "\n" || s == "\r" || s == "\t") { return false }
            return s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
                || (0x2066...0x2069).contains(s.value)
        }
    }
}

extension CRM {
    // MARK: - Web forms (ADM-3)

    public func webForms(for actor: Actor) throws -> [WebFormDetails] {
        try policy.authorize(actor, .admin, .administration)
        return try read { r in
            let counts = try r.submissionCounts()
            return try r.fetchAll(WebFormRecord.self).sorted { Fold.key($0.name) < Fold.key($1.name) }.map { form in
                try WebFormRules.details(form, counts: counts, in: r)
            }
        }
    }

    public func webForm(_ name: String, for actor: Actor) throws -> WebFormDetails {
        try policy.authorize(actor, .admin, .administration)
        return try read { r in
            try WebFormRules.details(try WebFormRules.resolve(name, in: r), counts: try r.submissionCounts(), in: r)
        }
    }

    /// How a field going to `target` is shown unless the designer says otherwise.
    public func defaultWebFieldType(_ target: WebFormTarget) throws -> WebFieldType {
        try read { r in WebFormRules.defaultType(target, columns: try r.fetchAll(CustomColumnRecord.self, matching: ["entity": .text("account")])) }
    }

    /// The problems a definition has, without saving it (the designer shows them as they arise).
    public func checkWebForm(_ definition: WebFormDefinition) throws -> [ValidationIssue] {
        var d = definition
        return try read { try WebFormRules.check(&d, in: $0) }
    }

    /// Saves a form: a new one (`replacing` nil) gets its unguessable address; an
    /// edited one keeps it, and its fields keep their names in the page.
    @discardableResult
    public func saveWebForm(_ definition: WebFormDefinition, replacing name: String? = nil, by actor: Actor) throws -> WebFormDetails {
        try policy.authorize(actor, .admin, .administration)
        let saved = try write(actor, name == nil ? "webform.add" : "webform.edit") { w -> Int64 in
            let existing = try name.map { try WebFormRules.resolve($0, in: w) }
            var d = definition
            if let existing {
                // A field whose target was in the form keeps its name in pasted pages.
                let old = try WebFormRules.definition(existing, in: w).fields
                for i in d.fields.indices where d.fields[i].name.isEmpty {
                    if let same = old.first(where: { $0.target == d.fields[i].target }) { d.fields[i].name = same.name }
                }
            }
            let issues = try WebFormRules.check(&d, in: w)
            guard issues.isEmpty else { throw CoreError.invalid(issues) }
            if let other = try w.fetchAll(WebFormRecord.self).first(where: { Fold.key($0.name) == Fold.key(d.name) && $0.meta!.id != existing?.meta!.id }) {
                throw CoreError.invalid([.init(field: "name", value: other.name, reason: .duplicate(of: other.name))])
            }
            let notifyID = try d.notify.flatMap { login in try w.fetchAll(UserRecord.self).first { $0.login == login }?.meta!.id }
            var record = WebFormRecord(name: d.name, token: existing?.token ?? WebFormRules.newToken(), successMessage: d.successMessage,
                                       errorMessage: d.errorMessage, successURL: d.successURL, errorURL: d.errorURL, site: d.site,
                                       duplicates: d.duplicates.rawValue, notifyID: notifyID, fields: WebFormRules.encode(d.fields),
                                       preset: WebFormRules.encode(d.presets), enabled: d.enabled)
            if let existing {
                record.meta = existing.meta
                try w.update(WebFormRecord.self, id: existing.meta!.id,
                             set: Dictionary(uniqueKeysWithValues: zip(WebFormRecord.columns, record.values)))
                return existing.meta!.id
            }
            return try w.insert(record).meta!.id
        }
        return try read { r in
            try WebFormRules.details(try r.fetch(WebFormRecord.self, id: saved)!, counts: try r.submissionCounts(), in: r)
        }
    }

    /// Gives a form a new address (the old one stops answering): for a form whose address leaked.
    @discardableResult
    public func renewWebFormAddress(_ name: String, by actor: Actor) throws -> String {
        try policy.authorize(actor, .admin, .administration)
        return try write(actor, "webform.renew") { w in
            let form = try WebFormRules.resolve(name, in: w)
            let token = WebFormRules.newToken()
            try w.update(WebFormRecord.self, id: form.meta!.id, set: ["token": .text(token)])
            return token
        }
    }

    /// Deletes a form and its submissions' records (the accounts they made stay).
    public func deleteWebForm(_ name: String, by actor: Actor) throws {
        try policy.authorize(actor, .admin, .administration)
        try write(actor, "webform.delete") { w in
            let form = try WebFormRules.resolve(name, in: w)
            for s in try w.fetchAll(WebSubmissionRecord.self, matching: ["form_id": .int(form.meta!.id)]) {
                try w.delete(WebSubmissionRecord.self, id: s.meta!.id)
            }
            try w.delete(WebFormRecord.self, id: form.meta!.id)
        }
    }

    /// The form answering at an address, if it is enabled (what `crm serve`
    /// shows and takes); `choices`: with its lists' choices, for its page.
    public func webForm(token: String, choices: Bool = true) throws -> WebFormDetails? {
        try read { r in
            guard token.count <= 64, let form = try r.fetchAll(WebFormRecord.self, matching: ["token": .text(token)]).first, form.enabled else {
                return nil
            }
            return try WebFormRules.details(form, counts: [:], choices: choices, in: r)
        }
    }

    /// Receives a submission of the form at `token` (its page's name=value pairs):
    /// checked by the account and contact rules, then a new account (with its
    /// contact) in the form's folder with its predefined values, or — by the
    /// form's duplicates policy — the existing account with the same e-mail or
    /// CUI reached (or the submission refused). One transaction: two identical
    /// submissions at once make one account. Written by no user, as the form's
    /// operation; the submission row says which form and tells its user.
    /// Throws `WebFormRejection` for a refused submission, `CoreError.notFound` for no form.
    public func submitWebForm(token: String, _ pairs: [(name: String, value: String)]) throws -> WebFormReceipt {
        guard let form = try webForm(token: token, choices: false) else {
            throw CoreError.notFound(what: Localized(ro: "formularul web", en: "web form"), ref: "")
        }
        return try submitWebForm(form, pairs)
    }

    /// The same for a form read already (the service has it from the request's address).
    public func submitWebForm(_ form: WebFormDetails, _ pairs: [(name: String, value: String)]) throws -> WebFormReceipt {
        let d = form.definition
        func reject(_ issues: [(field: String, label: String, text: String)]) -> WebFormRejection {
            WebFormRejection(message: d.errorMessage, redirect: d.errorURL, issues: issues)
        }
        // A robot filled the field people do not see: it is told it succeeded, and nothing is kept.
        if pairs.contains(where: { $0.name == WebFormRules.honeypot && !$0.value.isEmpty }) {
            return WebFormReceipt(outcome: .spam, accountUUID: nil, message: d.successMessage, redirect: d.successURL)
        }
        guard pairs.count <= WebFormRules.maxPairs else {
            throw reject([("", "", "prea multe câmpuri (cel mult \(WebFormRules.maxPairs))")])
        }
        var issues: [(field: String, label: String, text: String)] = []
        var input = AccountInput()
        var contact: [ContactField: String] = [:]
        var summary: [String] = []
        for field in d.fields {
            let given = pairs.filter { $0.name == field.name }
            if given.count > 1 { issues.append((field.name, field.label, "dat de mai multe ori")); continue }
            var value = given.first?.value.replacingOccurrences(of: "\r\n", with: "\n") ?? ""
            if WebFormRules.hasControlCharacters(value, multiline: field.type == .textarea) {
                issues.append((field.name, field.label, "conține caractere de control (nepermise într-un formular)")); continue
            }
            if field.type == .checkbox { value = value.isEmpty ? "nu" : "da" }
            if field.required && value.trimmed().isEmpty {
                issues.append((field.name, field.label, "este obligatoriu")); continue
            }
            guard let target = WebFormTarget(field.target) else { continue }
            if !value.trimmed().isEmpty { summary.append("\(field.label): \(value)") }
            switch target {
            case .account(let f): input.fields[f] = value
            case .contact(let f): contact[f] = value
            case .custom(let key): input.custom[key] = value
            }
        }
        for p in d.presets {
            switch WebFormTarget(p.target) {
            case .account(let f)?: input.fields[f] = p.value
            case .contact(let f)?: contact[f] = p.value
            case .custom(let key)?: input.custom[key] = p.value
            case nil: break
            }
        }
        let hasContact = !(contact[.name] ?? "").trimmed().isEmpty
        if (input.fields[.name] ?? "").trimmed().isEmpty, hasContact { input.fields[.name] = contact[.name] }
        // A field refused by the rules is named as the page names it.
        func pageIssues(_ found: [ValidationIssue], contact: Bool) -> [(field: String, label: String, text: String)] {
            found.map { issue in
                let match = d.fields.first { f in
                    switch WebFormTarget(f.target) {
                    case .account(let a)?: return !contact && (a.rawValue == issue.field || a.column == issue.field)
                    case .contact(let c)?: return contact && c.rawValue == issue.field
                    case .custom(let key)?: return !contact && (issue.field == "custom." + key || issue.field == key)
                    case nil: return false
                    }
                }
                // The page names the field by its label: the reason alone, not the column's English name.
                return (match?.name ?? "", match?.label ?? "", issue.reason(.ro))
            }
        }
        var contactValues: [String: Value]?
        // Every contact value given is checked, with or without its name (whose absence is named already).
        do {
            let values = contact.values.contains { !$0.trimmed().isEmpty } ? try ContactRules.values(contact) : nil
            contactValues = hasContact ? values : nil
        } catch CoreError.invalid(let found) {
            let named = Set(issues.map(\.field))
            issues += pageIssues(found, contact: true).filter { !named.contains($0.field) }
        }
        guard issues.isEmpty else { throw reject(issues) }
        let emails = [input.fields[.email], contact[.email]].compactMap { $0.flatMap(Email.normalize) }
        let cui = input.fields[.cui].flatMap { CUI.parse($0)?.digits }
        let lines = summary.joined(separator: "\n")
        do {
            let (outcome, account) = try write(nil, "webform.submit") { w in
                // A new account's search document is written once, with its contact, at the end.
                try w.deferringSearchIndex { () throws -> (WebFormReceipt.Outcome, AccountRecord) in
                    var existing: AccountRecord?
                    for email in emails where existing == nil {
                        existing = try w.accountIDs(withEmail: email, limit: 1).first.flatMap { try w.fetch(AccountRecord.self, id: $0) }
                    }
                    if existing == nil, let cui { existing = try w.accounts(whereColumn: "cui", equals: cui, limit: 1).first }
                    let account: AccountRecord
                    let outcome: WebFormReceipt.Outcome
                    if let existing {
                        guard d.duplicates == .attach else {
                            throw reject([("", "", "există deja o înregistrare cu această adresă de e-mail sau acest CUI")])
                        }
                        account = existing
                        outcome = .attached
                        // The contact joins the account when its address is new there.
                        if let values = contactValues {
                            let known = try w.fetchAll(ContactRecord.self, matching: ["account_id": .int(existing.meta!.id)])
                            let email = values["email"]?.text?.lowercased()
                            if email == nil || !known.contains(where: { $0.email?.lowercased() == email }) {
                                _ = try ContactRules.insert(values: values, primary: known.isEmpty, accountID: existing.meta!.id, in: w)
                            }
                        }
                    } else {
                        account = try AccountRules.insert(input, in: w)
                        outcome = .created
                        if let values = contactValues {
                            _ = try ContactRules.insert(values: values, primary: true, accountID: account.meta!.id, newAccount: true, in: w)
                        }
                    }
                    let notify = form.record.notifyID ?? account.ownerID
                    try w.insert(WebSubmissionRecord(formID: form.record.meta!.id, accountID: account.meta!.id, outcome: outcome.rawValue,
                                                     notifyID: notify, summary: lines))
                    return (outcome, account)
                }
            }
            return WebFormReceipt(outcome: outcome, accountUUID: account.meta?.uuid.description, message: d.successMessage,
                                  redirect: d.successURL)
        } catch CoreError.invalid(let found) {
            throw reject(pageIssues(found, contact: false))
        }
    }

    /// The submissions not seen yet by the user they are told to.
    public func unseenSubmissions(for actor: Actor) throws -> [WebSubmissionDetails] {
        try read(for: actor) { r in try submissionDetails(try r.unseenSubmissions(notifyID: actor.id), in: r) }
    }

    /// Marks the user's submissions seen (only theirs).
    public func markSubmissionsSeen(_ uuids: [String], by actor: Actor) throws {
        guard !uuids.isEmpty else { return }
        try write(actor, "webform.seen") { w in
            for uuid in uuids {
                guard let id = RowUUID(uuid), let s = try w.fetch(WebSubmissionRecord.self, uuid: id), s.notifyID == actor.id, !s.seen else { continue }
                try w.update(WebSubmissionRecord.self, id: s.meta!.id, set: ["seen": .bool(true)])
            }
        }
    }

    /// A form's submissions, newest first (administrators).
    public func submissions(ofForm name: String, for actor: Actor) throws -> [WebSubmissionDetails] {
        try policy.authorize(actor, .admin, .administration)
        return try read(for: actor) { r in
            try submissionDetails(try r.submissions(formID: try WebFormRules.resolve(name, in: r).meta!.id), in: r)
        }
    }

    private func submissionDetails(_ rows: [WebSubmissionRecord], in r: Reader) throws -> [WebSubmissionDetails] {
        var forms: [Int64: String] = [:]
        return try rows.map { s in
            if forms[s.formID] == nil { forms[s.formID] = try r.fetch(WebFormRecord.self, id: s.formID)?.name ?? "" }
            let account = try s.accountID.flatMap { try r.fetch(AccountRecord.self, id: $0) }.flatMap { r.isVisible($0) ? $0 : nil }
            return WebSubmissionDetails(uuid: s.meta!.uuid.description, form: forms[s.formID] ?? "", accountUUID: account?.meta?.uuid.description,
                                        accountName: account?.name, attached: s.outcome == "attached", summary: s.summary,
                                        at: s.meta!.createdAt)
        }
    }
}
