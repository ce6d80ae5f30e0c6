import CRMStore
import CRMText
import Foundation

/// What a person gave for an account: raw text per standard field and per custom
/// column (by key or label). On add, missing fields are empty; on edit, only the
/// given fields change and an empty string clears one.
public struct AccountInput: Sendable, Equatable {
    public var fields: [AccountField: String]
    public var custom: [String: String]

    public init(fields: [AccountField: String] = [:], custom: [String: String] = [:]) {
        self.fields = fields
        self.custom = custom
    }
}

/// An account with its references resolved, for showing and exporting.
public struct AccountDetails: Sendable {
    public let record: AccountRecord
    public let folderPath: String
    public let zone: String?
    public let owner: String?
    public let custom: [(column: CustomColumnRecord, value: Value)]
    public let primaryContact: ContactRecord?
    public let createdBy: String?
    public let updatedBy: String?

    /// Where a page that continues from this account starts.
    public var cursor: PageCursor { AccountOrder.byName.cursor(record) }

    /// Where a page in this order that starts at this account begins.
    public func cursor(_ order: AccountOrder) -> PageCursor { order.cursor(record) }

    /// The text of a standard field as shown to people.
    public func text(_ field: AccountField) -> String {
        let r = record
        switch field {
        case .code: return r.code ?? ""
        case .name: return r.name
        case .kind: return r.kind
        case .cui: return r.cui.map { r.vatPayer ? "RO" + $0 : $0 } ?? ""
        case .tradeRegister: return r.tradeRegister ?? ""
        case .vatPayer: return r.vatPayer ? "da" : "nu"
        case .address: return r.address ?? ""
        case .city: return r.city ?? ""
        case .county: return r.county ?? ""
        case .country: return r.country
        case .zone: return zone ?? ""
        case .phone: return r.phone ?? ""
        case .mobile: return r.mobile ?? ""
        case .email: return r.email ?? ""
        case .website: return r.website ?? ""
        case .iban: return r.iban ?? ""
        case .bank: return r.bank ?? ""
        case .owner: return owner ?? ""
        case .folder: return folderPath
        case .tags: return r.tags ?? ""
        case .notes: return r.notes ?? ""
        case .coordinates: return r.coordinates ?? ""
        }
    }
}

/// What an account list shows: a folder (with its sub-folders, or alone, or the
/// whole base), a search, an order. The same view drives the table, its counts
/// and its exports.
public struct AccountView: Sendable, Equatable {
    public var folder: String?
    public var includeSubfolders: Bool
    public var search: String?
    public var order: AccountOrder
    /// Filters that must all hold (a named one and a typed one, say).
    public var filters: [Filter]

    public init(folder: String? = nil, includeSubfolders: Bool = true, search: String? = nil, order: AccountOrder = .byName,
                filters: [Filter] = []) {
        self.folder = folder
        self.includeSubfolders = includeSubfolders
        self.search = search
        self.order = order
        self.filters = filters.filter { !$0.criteria.isEmpty }
    }

    func query(in r: Reader) throws -> AccountQuery {
        var ids: [Int64]?
        if let folder {
            let f = try FolderIndex(r).resolve(folder)
            if f.parentID != nil || !includeSubfolders {
                ids = includeSubfolders ? try r.folderSubtree(f.meta!.id) : [f.meta!.id]
            }
        }
        let words = search.map { $0.trimmed() }.flatMap { $0.isEmpty ? nil : $0 }
        var conditions: [SQLCondition] = []
        if !filters.isEmpty {
            let columns = AccountTable.columns(custom: try r.fetchAll(CustomColumnRecord.self, matching: ["entity": .text("account"), "retired": .int(0)],
                                                                      orderBy: ["position", "id"]))
            for filter in filters { if let condition = try filter.sql(columns: columns) { conditions.append(condition) } }
        }
        return AccountQuery(folderIDs: ids, nameContaining: words, conditions: conditions)
    }
}

/// One page of accounts and where the next one starts.
public struct AccountPage: Sendable {
    public let accounts: [AccountDetails]
    public let next: PageCursor?
}

extension CRM {
    // MARK: - Accounts (ACC-2)

    @discardableResult
    public func addAccount(_ input: AccountInput, by actor: Actor) throws -> AccountRecord {
        try addAccount(input, contacts: [], by: actor)
    }

    /// Adds an account with its contacts in one operation: all or nothing.
    @discardableResult
    public func addAccount(_ input: AccountInput, contacts: [ContactDraft], by actor: Actor) throws -> AccountRecord {
        try policy.authorize(actor, .add, .accounts)
        return try write(actor, "account.add") { w in
            let account = try AccountRules.insert(input, in: w)
            try ContactRules.apply(contacts, accountID: account.meta!.id, in: w)
            return account
        }
    }

    /// Changes the given fields of an account. With `expectedVersion` (what the
    /// editor loaded), a concurrent change by another session is refused instead
    /// of overwritten.
    @discardableResult
    public func editAccount(_ ref: String, _ input: AccountInput, expectedVersion: Int64? = nil,
                            by actor: Actor) throws -> (AccountRecord, [FieldChange]) {
        try editAccount(ref, input, expectedVersion: expectedVersion, contacts: [], by: actor)
    }

    /// Changes an account and its contacts (added, changed, deleted, the star) in
    /// one operation: all or nothing.
    @discardableResult
    public func editAccount(_ ref: String, _ input: AccountInput, expectedVersion: Int64? = nil,
                            contacts: [ContactDraft], by actor: Actor) throws -> (AccountRecord, [FieldChange]) {
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, "account.edit") { w in
            let account = try AccountRules.resolve(ref, in: w)
            var issues: [ValidationIssue] = []
            let values = try AccountRules(w).values(from: input, existing: account, issues: &issues)
            if let name = input.fields[.name], (values["name"] ?? .null).isNull, !issues.contains(where: { $0.field == "name" }) {
                issues.append(.init(field: "name", value: name, reason: .required))
            }
            guard issues.isEmpty else { throw CoreError.invalid(issues) }
            let changes = try w.update(AccountRecord.self, id: account.meta!.id, set: values,
                                       expectedVersion: expectedVersion)
            try ContactRules.apply(contacts, accountID: account.meta!.id, in: w)
            return (try w.fetch(AccountRecord.self, id: account.meta!.id)!, changes)
        }
    }

    /// Deletes an account with its contacts; the change log keeps all of it.
    public func deleteAccount(_ ref: String, by actor: Actor) throws {
        try policy.authorize(actor, .delete, .accounts)
        try authorizeDeletingItems(of: [ref], by: actor)
        try write(actor, "account.delete") { w in
            try AccountRules.delete(try AccountRules.resolve(ref, in: w), in: w)
        }
    }

    /// Deletes many accounts (with their contacts) in one operation. `progress`
    /// hears how many are done after each; returning false cancels, and nothing
    /// is deleted.
    @discardableResult
    public func deleteAccounts(_ refs: [String], by actor: Actor,
                               progress: (Int, Int) -> Bool = { _, _ in true }) throws -> Int {
        try policy.authorize(actor, .delete, .accounts)
        try authorizeDeletingItems(of: refs, by: actor)
        return try write(actor, "account.delete") { w in
            for (done, ref) in refs.enumerated() {
                try AccountRules.delete(try AccountRules.resolve(ref, in: w), in: w)
                guard progress(done + 1, refs.count) else { throw CoreError.cancelled }
            }
            return refs.count
        }
    }

    /// Moves many accounts to a folder in one operation; cancelling as above.
    @discardableResult
    public func moveAccounts(_ refs: [String], toFolder path: String, by actor: Actor,
                             progress: (Int, Int) -> Bool = { _, _ in true }) throws -> Int {
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, "account.move") { w in
            let folder = try FolderIndex(w).resolve(path)
            for (done, ref) in refs.enumerated() {
                let account = try AccountRules.resolve(ref, in: w)
                if account.folderID != folder.meta!.id {
                    try w.update(AccountRecord.self, id: account.meta!.id, set: ["folder_id": .int(folder.meta!.id)])
                }
                guard progress(done + 1, refs.count) else { throw CoreError.cancelled }
            }
            return refs.count
        }
    }

    /// An account by UUID, code, CUI (with or without RO), "#id", or exact name.
    public func account(_ ref: String, for actor: Actor) throws -> AccountDetails {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in try AccountRules.details(try AccountRules.resolve(ref, in: r), in: r) }
    }

    /// A keyset page of accounts in name order, from a folder (with or without its
    /// sub-folders) or from the whole base.
    public func accounts(folder: String?, includeSubfolders: Bool = true, at position: PagePosition = .first,
                         limit: Int = 50, search: String? = nil, order: AccountOrder = .byName,
                         for actor: Actor) throws -> AccountPage {
        try accounts(AccountView(folder: folder, includeSubfolders: includeSubfolders, search: search, order: order),
                     at: position, limit: limit, for: actor)
    }

    /// A keyset page of the accounts a view shows, in its order.
    public func accounts(_ view: AccountView, at position: PagePosition = .first, limit: Int = 50,
                         for actor: Actor) throws -> AccountPage {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in
            let query = try view.query(in: r)
            let records = try r.accountsPage(query, at: position, limit: limit, order: view.order)
            let lookup = try DetailsLookup(r)
            let primaries = try r.primaryContacts(accountIDs: records.map { $0.meta!.id })
            let details = try records.map { try lookup.details($0, primary: primaries[$0.meta!.id]) }
            let next = (limit > 0 && records.count == limit) ? records.last.map(view.order.cursor) : nil
            return AccountPage(accounts: details, next: next)
        }
    }

    /// Makes ordering by a column fast: its index is built the first time.
    public func prepare(_ order: AccountOrder, for actor: Actor) throws {
        try policy.authorize(actor, .view, .accounts)
        guard order.column != .name else { return }
        try storeCall { try store.write(userID: actor.id, operation: "index.order") { try $0.ensureOrderIndex(order) } }
    }

    /// How many accounts a view shows (with `cap`: no further than that).
    public func count(_ view: AccountView, cap: Int? = nil, for actor: Actor) throws -> Int {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in try r.countAccounts(try view.query(in: r), cap: cap) }
    }

    /// Where the page after this account starts.
    public func pageCursor(after ref: String, order: AccountOrder = .byName, for actor: Actor) throws -> PageCursor {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in order.cursor(try AccountRules.resolve(ref, in: r)) }
    }

    public func accountCount(for actor: Actor) throws -> Int {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { try $0.visibleAccountCount() }
    }
}

/// The account rules: how input becomes stored values, and how a reference finds an account.
/// The rules that turn typed values into stored ones without asking the
/// database (the lookups it needs — zones, users, folders, custom columns —
/// are loaded once): CUI, IBAN, e-mail, phone, yes/no, text lengths, choices.
/// A value, safe to use from another thread, so an import normalises rows
/// while the previous ones are written.
struct AccountNormalizer: Sendable {
    let zones: [ZoneRecord]
    let users: [UserRecord]
    let columns: [CustomColumnRecord]
    let rules: [FieldRuleRecord]
    let folders: FolderIndex
    /// Whether some user is limited to zones: every account then needs one.
    let zonesInUse: Bool

    // The same lookups keyed as a value is matched, so that a row costs no search.
    let zoneIDs: [String: Int64]
    let userIDs: [String: Int64]
    /// Folders by their path as written, with and without the root's name.
    let folderIDs: [String: Int64]
    let columnsByRef: [String: CustomColumnRecord]

    init(_ r: Reader) throws {
        folders = try FolderIndex(r)
        zones = try r.fetchAll(ZoneRecord.self)
        zonesInUse = try r.count(UserZoneRecord.self) > 0
        users = try r.fetchAll(UserRecord.self)
        rules = try r.fetchAll(FieldRuleRecord.self, matching: ["entity": .text("account")])
        columns = try r.fetchAll(CustomColumnRecord.self, matching: ["entity": .text("account"), "retired": .int(0)], orderBy: ["position", "id"])
        zoneIDs = Dictionary(zones.map { (Fold.key($0.name), $0.meta!.id) }, uniquingKeysWith: { a, _ in a })
        userIDs = Dictionary(users.map { ($0.login.lowercased(), $0.meta!.id) }, uniquingKeysWith: { a, _ in a })
        var paths: [String: Int64] = [:]
        for folder in folders.byID.values { paths[folders.path(of: folder)] = folder.meta!.id }
        // Without the root's name too, as `FolderIndex.resolve` reads them, where that names no other.
        for folder in folders.byID.values where folder.parentID != nil {
            let short = String(folders.path(of: folder).drop { $0 != "/" }.dropFirst())
            if paths[short] == nil { paths[short] = folder.meta!.id }
        }
        folderIDs = paths
        var refs: [String: CustomColumnRecord] = [:]
        for column in columns.reversed() {
            refs[Fold.key(column.label)] = column
        }
        for column in columns.reversed() { refs[column.key] = column }
        columnsByRef = refs
    }

    /// Stored values for the given input, keyed by column (custom values as `custom.KEY`).
    func normalize(_ input: AccountInput, issues: inout [ValidationIssue]) -> [String: Value] {
        var out: [String: Value] = [:]
        for (field, raw) in input.fields {
            let name = field.rawValue
            switch field {
            case .cui:
                let trimmed = raw.trimmed()
                if trimmed.isEmpty { out["cui"] = .null; continue }
                guard let parsed = CUI.parse(trimmed) else {
                    issues.append(.init(field: name, value: raw, reason: .invalidCUI)); continue
                }
                out["cui"] = .text(parsed.digits)
                if parsed.hasROPrefix && input.fields[.vatPayer] == nil { out["vat_payer"] = .int(1) }
            case .iban:
                if raw.trimmed().isEmpty { out["iban"] = .null; continue }
                guard let iban = IBAN.normalize(raw) else {
                    issues.append(.init(field: name, value: raw, reason: .invalidIBAN)); continue
                }
                out["iban"] = .text(iban)
            case .email:
                if raw.trimmed().isEmpty { out["email"] = .null; continue }
                guard let email = Email.normalize(raw) else {
                    issues.append(.init(field: name, value: raw, reason: .invalidEmail)); continue
                }
                out["email"] = .text(email)
            case .phone, .mobile:
                if raw.trimmed().isEmpty { out[field.column] = .null; continue }
                guard let phone = Phone.normalize(raw) else {
                    issues.append(.init(field: name, value: raw, reason: .invalidPhone)); continue
                }
                out[field.column] = .text(phone)
            case .vatPayer:
                guard let b = FieldRules.bool(raw) else {
                    issues.append(.init(field: name, value: raw, reason: .invalidBool)); continue
                }
                out["vat_payer"] = .bool(b)
            case .kind:
                switch Fold.key(raw) {
                case "company", "firma", "pj", "persoana juridica", "": out["kind"] = .text("company")
                case "person", "persoana", "pf", "persoana fizica": out["kind"] = .text("person")
                default: issues.append(.init(field: name, value: raw, reason: .invalidKind))
                }
            case .country:
                let c = raw.trimmed().uppercased()
                if c.isEmpty { out["country"] = .text("RO"); continue }
                guard c.count == 2, c.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                    issues.append(.init(field: name, value: raw, reason: .invalidCountry)); continue
                }
                out["country"] = .text(c)
            case .zone:
                if raw.trimmed().isEmpty { out["zone_id"] = .null; continue }
                guard let zone = zoneIDs[Fold.key(raw)] else {
                    issues.append(.init(field: name, value: raw, reason: .unknownZone)); continue
                }
                out["zone_id"] = .int(zone)
            case .owner:
                if raw.trimmed().isEmpty { out["owner_id"] = .null; continue }
                guard let user = userIDs[raw.trimmed().lowercased()] else {
                    issues.append(.init(field: name, value: raw, reason: .unknownUser)); continue
                }
                out["owner_id"] = .int(user)
            case .folder:
                if let id = folderIDs[raw] {
                    out["folder_id"] = .int(id)
                } else if let folder = try? folders.resolve(raw) {
                    out["folder_id"] = .int(folder.meta!.id)
                } else {
                    issues.append(.init(field: name, value: raw, reason: .unknownFolder))
                }
            case .coordinates:
                if raw.trimmed().isEmpty { out["coordinates"] = .null; continue }
                guard let point = GeoPoint(text: raw) else {
                    issues.append(.init(field: name, value: raw, reason: .rule(Localized(ro: "latitudine, longitudine în grade (46.7694, 23.5899)",
                                                                                    en: "latitude, longitude in degrees (46.7694, 23.5899)"))))
                    continue
                }
                out["coordinates"] = .text(point.text)
            case .code, .name, .tradeRegister, .address, .city, .county, .website, .bank, .tags, .notes:
                var v = FieldRules.text(raw, field: name, max: field.maxLength, issues: &issues)
                if field == .tags, case .text(let t) = v {
                    let tags = t.split(separator: ",").map { $0.trimmed() }.filter { !$0.isEmpty }
                    v = tags.isEmpty ? .null : .text(tags.joined(separator: ", "))
                }
                out[field.column] = v
            }
        }
        for (ref, raw) in input.custom {
            guard let column = columnsByRef[ref] ?? columnsByRef[Fold.key(ref)] else {
                issues.append(.init(field: ref, value: raw, reason: .unknownField)); continue
            }
            out["custom.\(column.key)"] = FieldRules.custom(raw, column: column, issues: &issues)
        }
        return out
    }
}

struct AccountRules {
    let reader: Reader
    let normalizer: AccountNormalizer
    var columns: [CustomColumnRecord] { normalizer.columns }
    var rules: [FieldRuleRecord] { normalizer.rules }

    init(_ r: Reader) throws {
        reader = r
        normalizer = try AccountNormalizer(r)
    }

    /// Stored values for the given input, keyed by column (custom values as `custom.KEY`).
    func values(from input: AccountInput, existing: AccountRecord?, issues: inout [ValidationIssue]) throws -> [String: Value] {
        let out = normalizer.normalize(input, issues: &issues)
        try check(out, existing: existing, issues: &issues)
        return out
    }

    /// What only the stored accounts can tell: a code or a unique value another
    /// account has, a mandatory value missing after the write.
    func check(_ out: [String: Value], existing: AccountRecord?, codeChecked: Bool = false, issues: inout [ValidationIssue]) throws {
        if !codeChecked, let code = out["code"], case .text(let c) = code {
            if let id = try reader.accountID(whereColumn: "code", equals: c), id != existing?.meta?.id,
               let other = try reader.fetch(AccountRecord.self, id: id) {
                issues.append(.init(field: "code", value: c, reason: taken(by: other)))
            }
        }
        for column in columns where column.isUnique {
            guard let value = out["custom.\(column.key)"], !value.isNull else { continue }
            let clash = try reader.accountsWithCustomValue(key: column.key, value: value).first { $0.meta?.id != existing?.meta?.id }
            if let clash { issues.append(.init(field: column.key, value: value.text ?? "", reason: taken(by: clash))) }
        }
        let current = try existing.map { try CustomValues.decode($0.custom) } ?? [:]
        for column in columns where column.mandatory {
            let value = out["custom.\(column.key)"] ?? current[column.key] ?? .null
            if value.isNull && !issues.contains(where: { $0.field == column.key }) {
                issues.append(.init(field: column.key, value: "", reason: .required))
            }
        }
        try fieldRules(existing: existing, values: out, issues: &issues)
        zoneRules(existing: existing, values: out, issues: &issues)
    }

    /// A unique value another account has: named when the user sees that
    /// account, not when it lies outside their zones.
    private func taken(by other: AccountRecord) -> ValidationIssue.Reason {
        reader.isVisible(other) ? .duplicate(of: other.name) : .duplicateOutsideZones
    }

    /// With zones in use an account needs one, and a user limited to zones
    /// keeps the accounts they write inside them.
    private func zoneRules(existing: AccountRecord?, values out: [String: Value], issues: inout [ValidationIssue]) {
        guard normalizer.zonesInUse || reader.zones != nil, !issues.contains(where: { $0.field == "zone" }) else { return }
        let zone = out["zone_id"].map { $0.int } ?? existing?.zoneID
        guard let zone else {
            issues.append(.init(field: "zone", value: "", reason: .zoneRequired))
            return
        }
        if let allowed = reader.zones, !allowed.contains(zone) {
            let name = normalizer.zones.first { $0.meta!.id == zone }?.name ?? "#\(zone)"
            issues.append(.init(field: "zone", value: name, reason: .outsideZones(allowed: allowedZoneNames)))
        }
    }

    /// The names of the zones this transaction's user works in.
    var allowedZoneNames: [String] {
        guard let allowed = reader.zones else { return normalizer.zones.map(\.name).sorted() }
        return normalizer.zones.filter { allowed.contains($0.meta!.id) }.map(\.name).sorted()
    }

    /// The administrator's rules for standard fields: a mandatory one must have a
    /// value after the write; a unique one must not repeat another account's.
    private func fieldRules(existing: AccountRecord?, values out: [String: Value], issues: inout [ValidationIssue]) throws {
        for rule in rules {
            guard let field = AccountField(rawValue: rule.field), !issues.contains(where: { $0.field == rule.field }) else { continue }
            let column = field.column
            let stored = existing.map { Dictionary(uniqueKeysWithValues: zip(AccountRecord.columns, $0.values)) }?[column] ?? .null
            let value = out[column] ?? stored
            let blank = value.isNull || value.text?.trimmed().isEmpty == true
            if rule.mandatory && blank {
                issues.append(.init(field: rule.field, value: "", reason: .required))
            } else if rule.isUnique, !blank, out[column] != nil, let text = value.text {
                if let other = try reader.accounts(whereColumn: column, equalsIgnoringCase: text).first(where: { $0.meta?.id != existing?.meta?.id }) {
                    issues.append(.init(field: rule.field, value: text, reason: taken(by: other)))
                }
            }
        }
    }

    static func resolve(_ ref: String, in r: Reader) throws -> AccountRecord {
        let what = Localized(ro: "contul", en: "account")
        let trimmed = ref.trimmed()
        // An account outside the user's zones is not found, as if it did not exist.
        if let uuid = RowUUID(trimmed), let a = try r.fetch(AccountRecord.self, uuid: uuid), r.isVisible(a) { return a }
        if trimmed.hasPrefix("#"), let id = Int64(trimmed.dropFirst()), let a = try r.fetch(AccountRecord.self, id: id), r.isVisible(a) {
            return a
        }
        if let a = try r.accounts(whereColumn: "code", equals: trimmed, limit: 1).first { return a }
        if let cui = CUI.parse(trimmed) {
            let found = try r.accounts(whereColumn: "cui", equals: cui.digits)
            if found.count == 1 { return found[0] }
            if found.count > 1 {
                throw CoreError.ambiguous(what: what, ref: ref, candidates: found.map { "\($0.name) (\($0.code ?? "#\($0.meta!.id)"))" })
            }
        }
        let byName = try r.accounts(whereColumn: "name_key", equals: SortKey.romanian(trimmed))
        if byName.count == 1 { return byName[0] }
        if byName.count > 1 {
            throw CoreError.ambiguous(what: what, ref: ref, candidates: byName.map { "\($0.name) (\($0.code ?? "#\($0.meta!.id)"))" })
        }
        throw CoreError.notFound(what: what, ref: ref)
    }

    /// Deletes an account with everything that hangs off it: contacts, notes
    /// (with their files), e-mails, opportunities (with their offers) and activities. The change log keeps all.
    static func delete(_ account: AccountRecord, in w: Writer) throws {
        let id = account.meta!.id
        // Invoices and the books keep their clients and suppliers.
        if try w.count(InvoiceRecord.self, matching: ["account_id": .int(id)]) > 0
            || w.count(ExpenseRecord.self, matching: ["account_id": .int(id)]) > 0 {
            throw CoreError.refused(Localized(
                ro: "«\(account.name)» are facturi: un cont cu documente în contabilitate nu se șterge (se poate unifica cu altul)",
                en: "«\(account.name)» has invoices: an account with documents in the books is not deleted (it may be merged into another)"))
        }
        for note in try w.fetchAll(NoteRecord.self, matching: ["account_id": .int(id)]) { try NoteRules.delete(note, in: w) }
        try EmailRules.deleteAll(ofAccount: id, in: w)
        // Its addresses stay on lists and in campaigns, no longer tied to it.
        try CampaignRules.moveAccount(from: id, to: nil, in: w)
        try WebFormRules.moveAccount(from: id, to: nil, in: w)
        for item in try w.fetchAll(WorkItemRecord.self, matching: ["account_id": .int(id)]) {
            try OfferRules.deleteAll(ofItem: item.meta!.id, in: w)
            try w.delete(WorkItemRecord.self, id: item.meta!.id)
        }
        for contact in try w.fetchAll(ContactRecord.self, matching: ["account_id": .int(id)]) {
            try w.delete(ContactRecord.self, id: contact.meta!.id)
        }
        try w.delete(AccountRecord.self, id: id)
    }

    static func details(_ a: AccountRecord, in r: Reader) throws -> AccountDetails {
        try DetailsLookup(r).details(a, primary: r.primaryContacts(accountIDs: [a.meta!.id])[a.meta!.id])
    }
}

extension AccountRules {
    /// Validates and inserts a new account (in the root folder unless one is given).
    static func insert(_ input: AccountInput, in w: Writer) throws -> AccountRecord {
        try AccountRules(w).insert(input, in: w)
    }

    /// The same with rules already loaded (an import checks every row against one set).
    func insert(_ input: AccountInput, in w: Writer) throws -> AccountRecord {
        var issues: [ValidationIssue] = []
        var given = input.fields
        if given[.folder] == nil { given[.folder] = CRM.rootFolderName }
        let values = normalizer.normalize(AccountInput(fields: given, custom: input.custom), issues: &issues)
        return try insert(normalized: values, issues: issues, in: w)
    }

    /// The same from values normalised already, with the problems found then.
    /// The same from values normalised already, with the problems found then;
    /// `record` is those values as a record when the caller made it already,
    /// `codeChecked` that it already knows no account has the code.
    func insert(normalized values: [String: Value], issues found: [ValidationIssue], record: AccountRecord? = nil,
                codeChecked: Bool = false, in w: Writer) throws -> AccountRecord {
        try w.insert(try checkedNew(values, issues: found, record: record, codeChecked: codeChecked))
    }

    /// A new account's record once every rule passed (`CoreError.invalid` else),
    /// for a caller that inserts it itself (an import inserts them in batches).
    func checkedNew(_ values: [String: Value], issues found: [ValidationIssue], record: AccountRecord? = nil,
                    codeChecked: Bool = false) throws -> AccountRecord {
        var issues = found
        try check(values, existing: nil, codeChecked: codeChecked, issues: &issues)
        if (values["name"] ?? .null).isNull && !issues.contains(where: { $0.field == "name" }) {
            issues.append(.init(field: "name", value: "", reason: .required))
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return try record ?? Self.record(values)
    }

    /// Whether a rule compares a value with the other accounts' (beyond the code):
    /// new accounts must then be stored one by one, each seen by the next check.
    var hasUniqueRules: Bool { columns.contains { $0.isUnique } || rules.contains { $0.isUnique } }

    /// A new account's record from normalised values.
    static func record(_ values: [String: Value]) throws -> AccountRecord {
        var row = Dictionary(uniqueKeysWithValues: zip(AccountRecord.columns, AccountRecord(name: "", folderID: 0).values))
        var custom: [String: Value] = [:]
        for (k, v) in values {
            if k.hasPrefix("custom.") { if !v.isNull { custom[String(k.dropFirst(7))] = v } } else { row[k] = v }
        }
        row["custom"] = .text(CustomValues.encode(custom))
        return try AccountRecord(meta: nil, fields: Fields(row))
    }
}

/// Names for the ids an account refers to, loaded once per page.
struct DetailsLookup {
    let folders: FolderIndex
    let zones: [Int64: String]
    let users: [Int64: String]
    let columns: [CustomColumnRecord]

    init(_ r: Reader) throws {
        folders = try FolderIndex(r)
        zones = Dictionary(uniqueKeysWithValues: try r.fetchAll(ZoneRecord.self).map { ($0.meta!.id, $0.name) })
        users = Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) })
        columns = try r.fetchAll(CustomColumnRecord.self, matching: ["entity": .text("account"), "retired": .int(0)], orderBy: ["position", "id"])
    }

    func details(_ a: AccountRecord, primary: ContactRecord?) throws -> AccountDetails {
        let custom = try CustomValues.decode(a.custom)
        return AccountDetails(
            record: a,
            folderPath: folders.byID[a.folderID].map(folders.path(of:)) ?? "",
            zone: a.zoneID.flatMap { zones[$0] },
            owner: a.ownerID.flatMap { users[$0] },
            custom: columns.map { ($0, custom[$0.key] ?? .null) },
            primaryContact: primary,
            createdBy: a.meta?.createdBy.flatMap { users[$0] },
            updatedBy: a.meta?.updatedBy.flatMap { users[$0] })
    }
}
