import GRDB

/// A web form (ADM-3): what it asks, where its submissions go (the fields'
/// targets and the predefined values, as JSON), its messages and its secret
/// address.
public struct WebFormRecord: Record, Equatable {
    public static let table = "web_form"
    public static let columns = ["name", "token", "success_message", "error_message", "success_url", "error_url", "site",
                                 "duplicates", "notify_id", "fields", "preset", "enabled"]
    public var meta: RowMeta?
    public var name: String
    /// The unguessable part of its address (`/f/TOKEN`).
    public var token: String
    public var successMessage: String
    public var errorMessage: String
    public var successURL: String?
    public var errorURL: String?
    /// The company site's origin (https://www.firma.ro): the one other site whose pages may send it.
    public var site: String?
    /// What a submission matching an existing account does: "attach" or "reject".
    public var duplicates: String
    /// The user told of each submission.
    public var notifyID: Int64?
    public var fields: String
    public var preset: String
    public var enabled: Bool

    public init(name: String, token: String, successMessage: String, errorMessage: String, successURL: String? = nil,
                errorURL: String? = nil, site: String? = nil, duplicates: String = "attach", notifyID: Int64? = nil,
                fields: String = "[]", preset: String = "[]", enabled: Bool = true) {
        self.name = name; self.token = token; self.successMessage = successMessage; self.errorMessage = errorMessage
        self.successURL = successURL; self.errorURL = errorURL; self.site = site; self.duplicates = duplicates
        self.notifyID = notifyID; self.fields = fields; self.preset = preset; self.enabled = enabled
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), token: f.string("token"), successMessage: f.string("success_message"),
                  errorMessage: f.string("error_message"), successURL: f.text("success_url"), errorURL: f.text("error_url"),
                  site: f.text("site"), duplicates: f.string("duplicates"), notifyID: f.int("notify_id"),
                  fields: f.string("fields"), preset: f.string("preset"), enabled: f.bool("enabled"))
        self.meta = meta
    }
    public var values: [Value] {
        [.text(name), .text(token), .text(successMessage), .text(errorMessage), .optional(successURL), .optional(errorURL),
         .optional(site), .text(duplicates), .optional(notifyID), .text(fields), .text(preset), .bool(enabled)]
    }
}

/// One accepted submission of a web form: the account it created or reached,
/// what was sent (label: value lines), and whether the user told of it has seen it.
public struct WebSubmissionRecord: Record, Equatable {
    public static let table = "web_submission"
    public static let columns = ["form_id", "account_id", "outcome", "notify_id", "seen", "summary"]
    public var meta: RowMeta?
    public var formID: Int64
    public var accountID: Int64?
    /// "created" (a new account) or "attached" (to an existing one).
    public var outcome: String
    public var notifyID: Int64?
    public var seen: Bool
    public var summary: String

    public init(formID: Int64, accountID: Int64?, outcome: String, notifyID: Int64?, seen: Bool = false, summary: String) {
        self.formID = formID; self.accountID = accountID; self.outcome = outcome; self.notifyID = notifyID; self.seen = seen
        self.summary = summary
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(formID: f.int("form_id") ?? 0, accountID: f.int("account_id"), outcome: f.string("outcome"),
                  notifyID: f.int("notify_id"), seen: f.bool("seen"), summary: f.string("summary"))
        self.meta = meta
    }
    public var values: [Value] {
        [.int(formID), .optional(accountID), .text(outcome), .optional(notifyID), .bool(seen), .text(summary)]
    }
}

extension Reader {
    /// The accounts whose own e-mail or a contact's is this address (letter case
    /// aside), first found first; the whole base, whatever the reader's zones.
    public func accountIDs(withEmail email: String, limit: Int = 5) throws -> [Int64] {
        try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT id FROM (SELECT id FROM account WHERE lower(email) = lower(?1)
                            UNION SELECT account_id AS id FROM contact WHERE lower(email) = lower(?1))
            ORDER BY id LIMIT ?2
            """), arguments: [email, limit])
    }

    /// A user's submissions not seen yet, oldest first.
    public func unseenSubmissions(notifyID: Int64, limit: Int = 200) throws -> [WebSubmissionRecord] {
        try fetchRecords(WebSubmissionRecord.self, sql: """
            SELECT * FROM web_submission WHERE notify_id = ? AND seen = 0 ORDER BY id LIMIT \(limit)
            """, [.int(notifyID)])
    }

    /// A form's submissions, newest first.
    public func submissions(formID: Int64, limit: Int = 10_000) throws -> [WebSubmissionRecord] {
        try fetchRecords(WebSubmissionRecord.self, sql: "SELECT * FROM web_submission WHERE form_id = ? ORDER BY id DESC LIMIT \(limit)",
                         [.int(formID)])
    }

    /// Each form's number of submissions and the time of its last one.
    public func submissionCounts() throws -> [Int64: (count: Int, last: Int64)] {
        var out: [Int64: (count: Int, last: Int64)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT form_id, count(*), max(created_at) FROM web_submission GROUP BY form_id") {
            out[row[0]] = (row[1], row[2])
        }
        return out
    }
}
