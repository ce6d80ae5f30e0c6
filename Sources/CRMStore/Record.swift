import CRMText

/// A table's row type. The store writes every record through `Writer`, which fills
/// the bookkeeping columns and appends to the change log.
public protocol Record: Sendable {
    /// Table name, also the entity name in the change log.
    static var table: String { get }
    /// The entity's own columns (bookkeeping columns excluded), in insert order.
    static var columns: [String] { get }
    /// Columns computed from others (sort keys); the writer refreshes them.
    static func derive(_ values: inout [String: Value])
    /// Columns `derive` computes; the change log leaves them out.
    static var derivedColumns: Set<String> { get }

    var meta: RowMeta? { get set }
    /// The value of each column in `columns`, in order.
    var values: [Value] { get }
    init(meta: RowMeta?, fields: Fields) throws
}

extension Record {
    public static func derive(_ values: inout [String: Value]) {}
    public static var derivedColumns: Set<String> { [] }
    public var id: Int64? { meta?.id }
}

/// Named access to the columns of a fetched row.
public struct Fields: Sendable {
    /// Column positions, shared by all rows of one query.
    let positions: [String: Int]
    let values: [Value]

    public init(_ storage: [String: Value]) {
        let columns = Array(storage.keys)
        positions = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        values = columns.map { storage[$0]! }
    }

    init(positions: [String: Int], values: [Value]) {
        self.positions = positions
        self.values = values
    }

    public subscript(_ column: String) -> Value { positions[column].map { values[$0] } ?? .null }
    public func text(_ c: String) -> String? { self[c].text }
    public func string(_ c: String) -> String { self[c].text ?? "" }
    public func int(_ c: String) -> Int64? { self[c].int }
    public func bool(_ c: String) -> Bool { self[c].bool }
}

private func nameKey(_ values: inout [String: Value]) {
    if case .text(let name) = values["name"] ?? .null {
        values["name_key"] = .text(SortKey.romanian(name))
    }
}

public struct UserRecord: Record, Equatable {
    public static let table = "user"
    public static let columns = ["login", "name", "email", "mobile", "password_hash", "unix_login", "is_admin", "disabled"]
    public var meta: RowMeta?
    public var login: String
    public var name: String
    public var email: String?
    public var mobile: String?
    public var passwordHash: String?
    public var unixLogin: String?
    public var isAdmin: Bool
    public var disabled: Bool

    public init(login: String, name: String, email: String? = nil, mobile: String? = nil, passwordHash: String? = nil,
                unixLogin: String? = nil, isAdmin: Bool = false, disabled: Bool = false) {
        self.login = login; self.name = name; self.email = email; self.mobile = mobile
        self.passwordHash = passwordHash; self.unixLogin = unixLogin; self.isAdmin = isAdmin; self.disabled = disabled
    }

    public init(meta: RowMeta?, fields f: Fields) {
        self.init(login: f.string("login"), name: f.string("name"), email: f.text("email"), mobile: f.text("mobile"),
                  passwordHash: f.text("password_hash"), unixLogin: f.text("unix_login"),
                  isAdmin: f.bool("is_admin"), disabled: f.bool("disabled"))
        self.meta = meta
    }

    public var values: [Value] {
        [.text(login), .text(name), .optional(email), .optional(mobile), .optional(passwordHash),
         .optional(unixLogin), .bool(isAdmin), .bool(disabled)]
    }
}

public struct ZoneRecord: Record, Equatable {
    public static let table = "zone"
    public static let columns = ["name"]
    public var meta: RowMeta?
    public var name: String

    public init(name: String) { self.name = name }
    public init(meta: RowMeta?, fields f: Fields) { self.name = f.string("name"); self.meta = meta }
    public var values: [Value] { [.text(name)] }
}

/// One setting of one user ("theme" = "dark").
public struct UserSettingRecord: Record, Equatable {
    public static let table = "user_setting"
    public static let columns = ["user_id", "name", "value"]
    public var meta: RowMeta?
    public var userID: Int64
    public var name: String
    public var value: String

    public init(userID: Int64, name: String, value: String) { self.userID = userID; self.name = name; self.value = value }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(userID: f.int("user_id") ?? 0, name: f.string("name"), value: f.string("value"))
        self.meta = meta
    }
    public var values: [Value] { [.int(userID), .text(name), .text(value)] }
}

/// An administrator's rule for a standard field: a value is required, or no two
/// rows may share one.
public struct FieldRuleRecord: Record, Equatable {
    public static let table = "field_rule"
    public static let columns = ["entity", "field", "mandatory", "is_unique"]
    public var meta: RowMeta?
    public var entity: String
    public var field: String
    public var mandatory: Bool
    public var isUnique: Bool

    public init(entity: String, field: String, mandatory: Bool, isUnique: Bool) {
        self.entity = entity; self.field = field; self.mandatory = mandatory; self.isUnique = isUnique
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(entity: f.string("entity"), field: f.string("field"), mandatory: f.bool("mandatory"), isUnique: f.bool("is_unique"))
        self.meta = meta
    }
    public var values: [Value] { [.text(entity), .text(field), .bool(mandatory), .bool(isUnique)] }
}

/// Two accounts a user said are not duplicates of each other.
public struct DuplicateDismissalRecord: Record, Equatable {
    public static let table = "duplicate_dismissal"
    public static let columns = ["account_a", "account_b"]
    public var meta: RowMeta?
    public var accountA: String
    public var accountB: String

    public init(_ a: String, _ b: String) { accountA = min(a, b); accountB = max(a, b) }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(f.string("account_a"), f.string("account_b"))
        self.meta = meta
    }
    public var values: [Value] { [.text(accountA), .text(accountB)] }
}

/// A named filter of a table: the owner's own, or shared with everyone.
public struct SavedFilterRecord: Record, Equatable {
    public static let table = "saved_filter"
    public static let columns = ["user_id", "table_name", "name", "definition", "shared"]
    public var meta: RowMeta?
    public var userID: Int64
    public var tableName: String
    public var name: String
    public var definition: String
    public var shared: Bool

    public init(userID: Int64, tableName: String, name: String, definition: String, shared: Bool) {
        self.userID = userID; self.tableName = tableName; self.name = name; self.definition = definition; self.shared = shared
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(userID: f.int("user_id") ?? 0, tableName: f.string("table_name"), name: f.string("name"),
                  definition: f.string("definition"), shared: f.bool("shared"))
        self.meta = meta
    }
    public var values: [Value] { [.int(userID), .text(tableName), .text(name), .text(definition), .bool(shared)] }
}

public struct UserZoneRecord: Record, Equatable {
    public static let table = "user_zone"
    public static let columns = ["user_id", "zone_id"]
    public var meta: RowMeta?
    public var userID: Int64
    public var zoneID: Int64

    public init(userID: Int64, zoneID: Int64) { self.userID = userID; self.zoneID = zoneID }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(userID: f.int("user_id") ?? 0, zoneID: f.int("zone_id") ?? 0)
        self.meta = meta
    }
    public var values: [Value] { [.int(userID), .int(zoneID)] }
}

public struct FolderRecord: Record, Equatable {
    public static let table = "folder"
    public static let columns = ["parent_id", "name", "name_key", "depth"]
    public var meta: RowMeta?
    public var parentID: Int64?
    public var name: String
    public var depth: Int

    public init(parentID: Int64?, name: String, depth: Int) {
        self.parentID = parentID; self.name = name; self.depth = depth
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(parentID: f.int("parent_id"), name: f.string("name"), depth: Int(f.int("depth") ?? 0))
        self.meta = meta
    }
    public var values: [Value] { [.optional(parentID), .text(name), .text(SortKey.romanian(name)), .int(Int64(depth))] }
    public static func derive(_ values: inout [String: Value]) { nameKey(&values) }
    public static var derivedColumns: Set<String> { ["name_key"] }
}

public struct AccountRecord: Record, Equatable {
    public static let table = "account"
    public static let columns = [
        "code", "name", "name_key", "kind", "cui", "trade_register", "vat_payer", "address", "city", "county",
        "country", "zone_id", "phone", "mobile", "email", "website", "iban", "bank", "owner_id", "folder_id",
        "tags", "notes", "custom", "coordinates",
    ]
    public var meta: RowMeta?
    public var code: String?
    public var name: String
    public var kind: String
    public var cui: String?
    public var tradeRegister: String?
    public var vatPayer: Bool
    public var address: String?
    public var city: String?
    public var county: String?
    public var country: String
    public var zoneID: Int64?
    public var phone: String?
    public var mobile: String?
    public var email: String?
    public var website: String?
    public var iban: String?
    public var bank: String?
    public var ownerID: Int64?
    public var folderID: Int64
    public var tags: String?
    public var notes: String?
    /// Custom column values as a JSON object keyed by the column's key.
    public var custom: String
    /// Where it is, "46.76940, 23.58990" (WGS 84; the visit map's, before any gazetteer).
    public var coordinates: String?

    public init(name: String, folderID: Int64) {
        self.name = name; self.folderID = folderID; self.kind = "company"; self.vatPayer = false
        self.country = "RO"; self.custom = "{}"
    }

    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), folderID: f.int("folder_id") ?? 0)
        self.meta = meta
        code = f.text("code"); kind = f.string("kind"); cui = f.text("cui"); tradeRegister = f.text("trade_register")
        vatPayer = f.bool("vat_payer"); address = f.text("address"); city = f.text("city"); county = f.text("county")
        country = f.string("country"); zoneID = f.int("zone_id"); phone = f.text("phone"); mobile = f.text("mobile")
        email = f.text("email"); website = f.text("website"); iban = f.text("iban"); bank = f.text("bank")
        ownerID = f.int("owner_id"); tags = f.text("tags"); notes = f.text("notes"); custom = f.text("custom") ?? "{}"
        coordinates = f.text("coordinates")
    }

    public var values: [Value] {
        [.optional(code), .text(name), .text(SortKey.romanian(name)), .text(kind), .optional(cui),
         .optional(tradeRegister), .bool(vatPayer), .optional(address), .optional(city), .optional(county),
         .text(country), .optional(zoneID), .optional(phone), .optional(mobile), .optional(email), .optional(website),
         .optional(iban), .optional(bank), .optional(ownerID), .int(folderID), .optional(tags), .optional(notes),
         .text(custom), .optional(coordinates)]
    }
    public static func derive(_ values: inout [String: Value]) { nameKey(&values) }
    public static var derivedColumns: Set<String> { ["name_key"] }
}

public struct ContactRecord: Record, Equatable {
    public static let table = "contact"
    public static let columns = ["account_id", "name", "name_key", "role", "phone", "mobile", "email", "notes",
                                 "is_primary", "custom"]
    public var meta: RowMeta?
    public var accountID: Int64
    public var name: String
    public var role: String?
    public var phone: String?
    public var mobile: String?
    public var email: String?
    public var notes: String?
    public var isPrimary: Bool
    public var custom: String

    public init(accountID: Int64, name: String) {
        self.accountID = accountID; self.name = name; self.isPrimary = false; self.custom = "{}"
    }

    public init(meta: RowMeta?, fields f: Fields) {
        self.init(accountID: f.int("account_id") ?? 0, name: f.string("name"))
        self.meta = meta
        role = f.text("role"); phone = f.text("phone"); mobile = f.text("mobile"); email = f.text("email")
        notes = f.text("notes"); isPrimary = f.bool("is_primary"); custom = f.text("custom") ?? "{}"
    }

    public var values: [Value] {
        [.int(accountID), .text(name), .text(SortKey.romanian(name)), .optional(role), .optional(phone),
         .optional(mobile), .optional(email), .optional(notes), .bool(isPrimary), .text(custom)]
    }
    public static func derive(_ values: inout [String: Value]) { nameKey(&values) }
    public static var derivedColumns: Set<String> { ["name_key"] }
}

public struct CustomColumnRecord: Record, Equatable {
    public static let table = "custom_column"
    public static let columns = ["entity", "key", "label", "type", "choices", "position", "mandatory", "is_unique", "retired"]
    public var meta: RowMeta?
    public var entity: String
    public var key: String
    public var label: String
    public var type: String
    public var choices: String?
    public var position: Int64
    public var mandatory: Bool
    public var isUnique: Bool
    /// Retired: out of forms, tables, filters and exports; its values are kept.
    public var retired: Bool = false

    public init(entity: String, key: String, label: String, type: String, choices: String? = nil,
                position: Int64 = 0, mandatory: Bool = false, isUnique: Bool = false) {
        self.entity = entity; self.key = key; self.label = label; self.type = type; self.choices = choices
        self.position = position; self.mandatory = mandatory; self.isUnique = isUnique
    }

    public init(meta: RowMeta?, fields f: Fields) {
        self.init(entity: f.string("entity"), key: f.string("key"), label: f.string("label"), type: f.string("type"),
                  choices: f.text("choices"), position: f.int("position") ?? 0, mandatory: f.bool("mandatory"),
                  isUnique: f.bool("is_unique"))
        retired = f.bool("retired")
        self.meta = meta
    }

    public var values: [Value] {
        [.text(entity), .text(key), .text(label), .text(type), .optional(choices), .int(position),
         .bool(mandatory), .bool(isUnique), .bool(retired)]
    }
}

public struct IPRuleRecord: Record, Equatable {
    public static let table = "ip_rule"
    public static let columns = ["name", "address"]
    public var meta: RowMeta?
    public var name: String
    public var address: String

    public init(name: String, address: String) { self.name = name; self.address = address }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), address: f.string("address"))
        self.meta = meta
    }
    public var values: [Value] { [.text(name), .text(address)] }
}

public struct UserIPRuleRecord: Record, Equatable {
    public static let table = "user_ip_rule"
    public static let columns = ["user_id", "ip_rule_id"]
    public var meta: RowMeta?
    public var userID: Int64
    public var ruleID: Int64

    public init(userID: Int64, ruleID: Int64) { self.userID = userID; self.ruleID = ruleID }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(userID: f.int("user_id") ?? 0, ruleID: f.int("ip_rule_id") ?? 0)
        self.meta = meta
    }
    public var values: [Value] { [.int(userID), .int(ruleID)] }
}

public struct AppSettingRecord: Record, Equatable {
    public static let table = "app_setting"
    public static let columns = ["name", "value"]
    public var meta: RowMeta?
    public var name: String
    public var value: String

    public init(name: String, value: String) { self.name = name; self.value = value }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), value: f.string("value"))
        self.meta = meta
    }
    public var values: [Value] { [.text(name), .text(value)] }
}

public struct UserRightRecord: Record, Equatable {
    public static let table = "user_right"
    public static let columns = ["user_id", "module", "action"]
    public var meta: RowMeta?
    public var userID: Int64
    public var module: String
    public var action: String

    public init(userID: Int64, module: String, action: String) { self.userID = userID; self.module = module; self.action = action }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(userID: f.int("user_id") ?? 0, module: f.string("module"), action: f.string("action"))
        self.meta = meta
    }
    public var values: [Value] { [.int(userID), .text(module), .text(action)] }
}

public struct UserModuleRecord: Record, Equatable {
    public static let table = "user_module"
    public static let columns = ["user_id", "module"]
    public var meta: RowMeta?
    public var userID: Int64
    public var module: String

    public init(userID: Int64, module: String) { self.userID = userID; self.module = module }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(userID: f.int("user_id") ?? 0, module: f.string("module"))
        self.meta = meta
    }
    public var values: [Value] { [.int(userID), .text(module)] }
}

/// The stages of opportunities or activities (OPP-5), in order.
public struct StageRecord: Record, Equatable {
    public static let table = "stage"
    public static let columns = ["kind", "name", "position", "is_won", "is_lost", "retired"]
    public var meta: RowMeta?
    public var kind: String
    public var name: String
    public var position: Int64
    public var isWon: Bool
    public var isLost: Bool
    public var retired: Bool

    public init(kind: String, name: String, position: Int64, isWon: Bool = false, isLost: Bool = false) {
        self.kind = kind; self.name = name; self.position = position; self.isWon = isWon; self.isLost = isLost; self.retired = false
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(kind: f.string("kind"), name: f.string("name"), position: f.int("position") ?? 0,
                  isWon: f.bool("is_won"), isLost: f.bool("is_lost"))
        retired = f.bool("retired")
        self.meta = meta
    }
    public var values: [Value] { [.text(kind), .text(name), .int(position), .bool(isWon), .bool(isLost), .bool(retired)] }
    /// Won or lost: the item is over.
    public var isFinal: Bool { isWon || isLost }
}

/// An opportunity or an activity on an account (OPP-3, ACT-1).
public struct WorkItemRecord: Record, Equatable {
    public static let table = "work_item"
    public static let columns = ["kind", "account_id", "stage_id", "owner_id", "type", "amount", "currency", "due_date",
                                 "close_date", "details", "reminder_at", "reminder_done", "custom"]
    public var meta: RowMeta?
    public var kind: String
    public var accountID: Int64
    public var stageID: Int64
    public var ownerID: Int64?
    public var type: String?
    /// In bani (hundredths of the currency unit).
    public var amount: Int64?
    public var currency: String?
    public var dueDate: String?
    public var closeDate: String?
    public var details: String?
    /// Milliseconds since the epoch, UTC.
    public var reminderAt: Int64?
    public var reminderDone: Bool
    public var custom: String

    public init(kind: String, accountID: Int64, stageID: Int64) {
        self.kind = kind; self.accountID = accountID; self.stageID = stageID; self.reminderDone = false; self.custom = "{}"
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(kind: f.string("kind"), accountID: f.int("account_id") ?? 0, stageID: f.int("stage_id") ?? 0)
        self.meta = meta
        ownerID = f.int("owner_id"); type = f.text("type"); amount = f.int("amount"); currency = f.text("currency")
        dueDate = f.text("due_date"); closeDate = f.text("close_date"); details = f.text("details")
        reminderAt = f.int("reminder_at"); reminderDone = f.bool("reminder_done"); custom = f.text("custom") ?? "{}"
    }
    public var values: [Value] {
        [.text(kind), .int(accountID), .int(stageID), .optional(ownerID), .optional(type), .optional(amount), .optional(currency),
         .optional(dueDate), .optional(closeDate), .optional(details), .optional(reminderAt), .bool(reminderDone), .text(custom)]
    }
}

/// The types a note may have (Telefon, E-mail, Întâlnire…).
public struct NoteTypeRecord: Record, Equatable {
    public static let table = "note_type"
    public static let columns = ["name", "position"]
    public var meta: RowMeta?
    public var name: String
    public var position: Int64

    public init(name: String, position: Int64) { self.name = name; self.position = position }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), position: f.int("position") ?? 0)
        self.meta = meta
    }
    public var values: [Value] { [.text(name), .int(position)] }
}

/// A note on an account, or on one of its opportunities or activities (OPP-4).
public struct NoteRecord: Record, Equatable {
    public static let table = "note"
    public static let columns = ["account_id", "item_id", "type", "text"]
    public var meta: RowMeta?
    public var accountID: Int64
    public var itemID: Int64?
    public var type: String?
    public var text: String

    public init(accountID: Int64, itemID: Int64?, type: String?, text: String) {
        self.accountID = accountID; self.itemID = itemID; self.type = type; self.text = text
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(accountID: f.int("account_id") ?? 0, itemID: f.int("item_id"), type: f.text("type"), text: f.string("text"))
        self.meta = meta
    }
    public var values: [Value] { [.int(accountID), .optional(itemID), .optional(type), .text(text)] }
}

/// An e-mail sent from an account or one of its opportunities (OFF-4).
public struct EmailRecord: Record, Equatable {
    public static let table = "email"
    public static let columns = ["account_id", "item_id", "offer_id", "sender", "recipients", "cc", "subject", "text", "html",
                                 "status", "error", "attempts", "sent_at", "message_id", "opens", "opened_at", "clicks", "clicked_at"]
    public var meta: RowMeta?
    public var accountID: Int64
    public var itemID: Int64?
    public var offerID: Int64?
    /// "Name <address>" or the address.
    public var sender: String
    /// The To addresses, comma-separated ("Name <address>, …").
    public var recipients: String
    public var cc: String?
    public var subject: String
    public var text: String
    public var html: String?
    /// sending, sent or failed.
    public var status: String
    public var error: String?
    public var attempts: Int64 = 0
    public var sentAt: Int64?
    public var messageID: String?
    public var opens: Int64 = 0
    public var openedAt: Int64?
    public var clicks: Int64 = 0
    public var clickedAt: Int64?

    public init(accountID: Int64, itemID: Int64?, offerID: Int64?, sender: String, recipients: String, cc: String?, subject: String,
                text: String, html: String?, status: String = "sending") {
        self.accountID = accountID; self.itemID = itemID; self.offerID = offerID; self.sender = sender; self.recipients = recipients
        self.cc = cc; self.subject = subject; self.text = text; self.html = html; self.status = status
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(accountID: f.int("account_id") ?? 0, itemID: f.int("item_id"), offerID: f.int("offer_id"), sender: f.string("sender"),
                  recipients: f.string("recipients"), cc: f.text("cc"), subject: f.string("subject"), text: f.string("text"),
                  html: f.text("html"), status: f.text("status") ?? "sending")
        error = f.text("error"); attempts = f.int("attempts") ?? 0; sentAt = f.int("sent_at"); messageID = f.text("message_id")
        opens = f.int("opens") ?? 0; openedAt = f.int("opened_at"); clicks = f.int("clicks") ?? 0; clickedAt = f.int("clicked_at")
        self.meta = meta
    }
    public var values: [Value] {
        [.int(accountID), .optional(itemID), .optional(offerID), .text(sender), .text(recipients), .optional(cc), .text(subject), .text(text),
         .optional(html), .text(status), .optional(error), .int(attempts), .optional(sentAt), .optional(messageID), .int(opens),
         .optional(openedAt), .int(clicks), .optional(clickedAt)]
    }
}

/// A file sent with an e-mail.
public struct EmailFileRecord: Record, Equatable {
    public static let table = "email_file"
    public static let columns = ["email_id", "blob_id", "name", "mime"]
    public var meta: RowMeta?
    public var emailID: Int64
    public var blobID: Int64
    public var name: String
    public var mime: String?

    public init(emailID: Int64, blobID: Int64, name: String, mime: String?) {
        self.emailID = emailID; self.blobID = blobID; self.name = name; self.mime = mime
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(emailID: f.int("email_id") ?? 0, blobID: f.int("blob_id") ?? 0, name: f.string("name"), mime: f.text("mime"))
        self.meta = meta
    }
    public var values: [Value] { [.int(emailID), .int(blobID), .text(name), .optional(mime)] }
}

/// A file's content, stored once however many notes attach it.
public struct FileBlobRecord: Record, Equatable {
    public static let table = "file_blob"
    public static let columns = ["hash", "size", "data"]
    public var meta: RowMeta?
    /// SHA-256, lower-case hexadecimal.
    public var hash: String
    public var size: Int64
    public var data: [UInt8]

    public init(hash: String, data: [UInt8]) { self.hash = hash; self.size = Int64(data.count); self.data = data }
    public init(meta: RowMeta?, fields f: Fields) {
        if case .blob(let bytes) = f["data"] { data = bytes } else { data = [] }
        hash = f.string("hash"); size = f.int("size") ?? 0
        self.meta = meta
    }
    public var values: [Value] { [.text(hash), .int(size), .blob(data)] }
}

/// A file attached to a note.
public struct NoteFileRecord: Record, Equatable {
    public static let table = "note_file"
    public static let columns = ["note_id", "blob_id", "name", "mime"]
    public var meta: RowMeta?
    public var noteID: Int64
    public var blobID: Int64
    public var name: String
    public var mime: String?

    public init(noteID: Int64, blobID: Int64, name: String, mime: String?) {
        self.noteID = noteID; self.blobID = blobID; self.name = name; self.mime = mime
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(noteID: f.int("note_id") ?? 0, blobID: f.int("blob_id") ?? 0, name: f.string("name"), mime: f.text("mime"))
        self.meta = meta
    }
    public var values: [Value] { [.int(noteID), .int(blobID), .text(name), .optional(mime)] }
}

/// A VAT rate of the catalogue (cota TVA): 21 %, 11 %, 0 %, exempt…
public struct VATRateRecord: Record, Equatable {
    public static let table = "vat_rate"
    public static let columns = ["name", "percent", "exempt", "position", "retired"]
    public var meta: RowMeta?
    public var name: String
    /// Hundredths of a percent: 2100 is 21 %.
    public var percent: Int64
    public var exempt: Bool
    public var position: Int64
    public var retired: Bool

    public init(name: String, percent: Int64, exempt: Bool = false, position: Int64) {
        self.name = name; self.percent = percent; self.exempt = exempt; self.position = position; self.retired = false
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), percent: f.int("percent") ?? 0, exempt: f.bool("exempt"), position: f.int("position") ?? 0)
        retired = f.bool("retired")
        self.meta = meta
    }
    public var values: [Value] { [.text(name), .int(percent), .bool(exempt), .int(position), .bool(retired)] }
}

/// A product or service of the catalogue (nomenclator).
public struct ProductRecord: Record, Equatable {
    public static let table = "product"
    public static let columns = ["code", "name", "name_key", "description", "unit", "price", "currency", "vat_rate_id", "category"]
    public var meta: RowMeta?
    public var code: String
    public var name: String
    /// The name's Romanian sort key (stored for the name order's index).
    public var nameKey: String { SortKey.romanian(name) }
    public var description: String?
    public var unit: String
    /// Hundredths of the currency unit, without VAT.
    public var price: Int64
    public var currency: String
    public var vatRateID: Int64
    public var category: String?

    public init(code: String, name: String, unit: String, price: Int64, currency: String, vatRateID: Int64) {
        self.code = code; self.name = name; self.unit = unit; self.price = price
        self.currency = currency; self.vatRateID = vatRateID
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(code: f.string("code"), name: f.string("name"), unit: f.string("unit"), price: f.int("price") ?? 0,
                  currency: f.string("currency"), vatRateID: f.int("vat_rate_id") ?? 0)
        description = f.text("description"); category = f.text("category")
        self.meta = meta
    }
    public var values: [Value] {
        [.text(code), .text(name), .text(nameKey), .optional(description), .text(unit), .int(price), .text(currency), .int(vatRateID),
         .optional(category)]
    }
}

/// An offer template (OFF-1): Antet, Text 1, Text 2 and Subsol, each lightly
/// formatted text with placeholders, and a logo by its content hash.
public struct OfferTemplateRecord: Record, Equatable {
    public static let table = "offer_template"
    public static let columns = ["name", "header", "text1", "text2", "footer", "logo", "retired"]
    public var meta: RowMeta?
    public var name: String
    public var header: String
    public var text1: String
    public var text2: String
    public var footer: String
    public var logo: String?
    public var retired: Bool

    public init(name: String, header: String = "", text1: String = "", text2: String = "", footer: String = "") {
        self.name = name; self.header = header; self.text1 = text1; self.text2 = text2; self.footer = footer; retired = false
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), header: f.text("header") ?? "", text1: f.text("text1") ?? "", text2: f.text("text2") ?? "",
                  footer: f.text("footer") ?? "")
        logo = f.text("logo")
        retired = f.bool("retired")
        self.meta = meta
    }
    public var values: [Value] {
        [.text(name), .text(header), .text(text1), .text(text2), .text(footer), .optional(logo), .bool(retired)]
    }
}

/// An offer on an opportunity (OFF-2): its number in a series, date, validity,
/// currency and totals (hundredths), the template it prints with.
public struct OfferRecord: Record, Equatable {
    public static let table = "offer"
    public static let columns = ["item_id", "template_id", "series", "number", "day", "valid_until", "currency", "net", "vat", "total"]
    public var meta: RowMeta?
    public var itemID: Int64
    public var templateID: Int64?
    public var series: String
    public var number: Int64
    public var day: String
    public var validUntil: String?
    public var currency: String
    public var net: Int64
    public var vat: Int64
    public var total: Int64

    public init(itemID: Int64, series: String, number: Int64, day: String, currency: String) {
        self.itemID = itemID; self.series = series; self.number = number; self.day = day; self.currency = currency
        net = 0; vat = 0; total = 0
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(itemID: f.int("item_id") ?? 0, series: f.string("series"), number: f.int("number") ?? 0, day: f.string("day"),
                  currency: f.string("currency"))
        templateID = f.int("template_id"); validUntil = f.text("valid_until")
        net = f.int("net") ?? 0; vat = f.int("vat") ?? 0; total = f.int("total") ?? 0
        self.meta = meta
    }
    public var values: [Value] {
        [.int(itemID), .optional(templateID), .text(series), .int(number), .text(day), .optional(validUntil), .text(currency),
         .int(net), .int(vat), .int(total)]
    }
    /// "OF-0042".
    public var label: String { series + "-" + String(format: "%04lld", number) }
}

/// A line of an offer, as offered: quantity in thousandths, prices in
/// hundredths, the discount in hundredths of a percent, the VAT rate copied.
public struct OfferLineRecord: Record, Equatable {
    public static let table = "offer_line"
    public static let columns = ["offer_id", "position", "product_id", "code", "name", "unit", "quantity", "unit_price", "discount",
                                 "vat_name", "vat_percent", "vat_exempt", "net"]
    public var meta: RowMeta?
    public var offerID: Int64
    public var position: Int64
    public var productID: Int64?
    public var code: String?
    public var name: String
    public var unit: String
    public var quantity: Int64
    public var unitPrice: Int64
    public var discount: Int64
    public var vatName: String
    public var vatPercent: Int64
    public var vatExempt: Bool
    public var net: Int64

    public init(offerID: Int64, position: Int64, name: String, unit: String, quantity: Int64, unitPrice: Int64, vatName: String,
                vatPercent: Int64, vatExempt: Bool) {
        self.offerID = offerID; self.position = position; self.name = name; self.unit = unit; self.quantity = quantity
        self.unitPrice = unitPrice; discount = 0; self.vatName = vatName; self.vatPercent = vatPercent; self.vatExempt = vatExempt; net = 0
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(offerID: f.int("offer_id") ?? 0, position: f.int("position") ?? 0, name: f.string("name"), unit: f.string("unit"),
                  quantity: f.int("quantity") ?? 0, unitPrice: f.int("unit_price") ?? 0, vatName: f.string("vat_name"),
                  vatPercent: f.int("vat_percent") ?? 0, vatExempt: f.bool("vat_exempt"))
        productID = f.int("product_id"); code = f.text("code"); discount = f.int("discount") ?? 0; net = f.int("net") ?? 0
        self.meta = meta
    }
    public var values: [Value] {
        [.int(offerID), .int(position), .optional(productID), .optional(code), .text(name), .text(unit), .int(quantity), .int(unitPrice),
         .int(discount), .text(vatName), .int(vatPercent), .bool(vatExempt), .int(net)]
    }
}
