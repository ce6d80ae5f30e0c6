import CRMStore
import CRMText
import Foundation

/// Where an e-mail is: being sent (or left so by a process that stopped), sent, or failed with its reason.
public enum EmailStatus: String, Sendable, CaseIterable {
    case sending, sent, failed

    public var label: Localized {
        switch self {
        case .sending: return Localized(ro: "în curs de trimitere", en: "sending")
        case .sent: return Localized(ro: "trimis", en: "sent")
        case .failed: return Localized(ro: "netrimis", en: "failed")
        }
    }
}

/// What the recipients did with a sent e-mail, as `crm serve` saw it: the
/// history shows not opened in yellow, opened in green, a link clicked in blue.
public enum EmailTracking: Sendable, Equatable {
    case notOpened, opened, clicked

    public var label: Localized {
        switch self {
        case .notOpened: return Localized(ro: "nedeschis", en: "not opened")
        case .opened: return Localized(ro: "deschis", en: "opened")
        case .clicked: return Localized(ro: "link accesat", en: "link clicked")
        }
    }
}

extension EmailRecord {
    public var state: EmailStatus { EmailStatus(rawValue: status) ?? .sending }
    /// A click counts as an open (the pixel may have been blocked).
    public var tracking: EmailTracking { clicks > 0 ? .clicked : opens > 0 ? .opened : .notOpened }

    /// Why it was not sent, in the reader's language.
    public func failure(_ language: Language) -> String? {
        guard let error else { return nil }
        let lines = error.split(separator: "\n", maxSplits: 1).map(String.init)
        return language == .en && lines.count > 1 ? lines[1] : lines[0]
    }
}

/// A message to store in an account's history and send (OFF-4): on an account,
/// or on one of its opportunities or activities, or with one of its offers.
public struct EmailDraft: Sendable {
    public var account: String?
    public var item: String?
    public var offer: String?
    /// "Name <address>" or bare addresses.
    public var to: [String]
    public var cc: [String]
    public var subject: String
    public var text: String
    public var html: String?
    public var files: [NoteAttachment]

    public init(account: String? = nil, item: String? = nil, offer: String? = nil, to: [String], cc: [String] = [], subject: String,
                text: String, html: String? = nil, files: [NoteAttachment] = []) {
        self.account = account; self.item = item; self.offer = offer; self.to = to; self.cc = cc; self.subject = subject
        self.text = text; self.html = html; self.files = files
    }
}

/// A stored e-mail with the names of its files, who sent it and to which account.
public struct EmailDetails: Sendable {
    public let record: EmailRecord
    public let files: [NoteDetails.File]
    public let createdBy: String?
    public let account: String
    public var uuid: String { record.meta!.uuid.description }
}

/// One address of a list typed by a person: "Ion Pop <ion@firma.ro>",
/// "\"Pop, Ion\" <ion@firma.ro>" or a bare address.
public struct MailboxAddress: Sendable, Equatable {
    public var name: String?
    public var email: String

    public init(_ email: String, name: String? = nil) { self.email = email; self.name = name }

    /// As it is written in the history and in a header's list.
    public var text: String {
        guard let name, !name.isEmpty else { return email }
        return name.contains(",") || name.contains("\"") ? "\"\(name.replacingOccurrences(of: "\"", with: ""))\" <\(email)>" : "\(name) <\(email)>"
    }

    /// One address, checked and normalised; nil when it is not one.
    public static func parse(_ raw: String) -> MailboxAddress? {
        var name: String?, email = raw.trimmed()
        if let open = email.lastIndex(of: "<"), email.hasSuffix(">") {
            name = String(email[..<open]).trimmingCharacters(in: CharacterSet(charactersIn: " \"")).nilIfEmpty
            email = String(email[email.index(after: open)..<email.index(before: email.endIndex)])
        }
        guard let normal = Email.normalize(email) else { return nil }
        return MailboxAddress(normal, name: name.map { Diacritics.canonical($0) })
    }

    /// A list separated by commas or semicolons (a comma inside quotes is a name's); every one checked.
    public static func list(_ raw: String, field: String) throws -> [MailboxAddress] {
        var parts: [String] = [], current = "", quoted = false
        for character in raw {
            if character == "\"" { quoted.toggle() }
            if (character == "," || character == ";" || character == "\n") && !quoted {
                parts.append(current); current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        var issues: [ValidationIssue] = [], out: [MailboxAddress] = []
        for part in parts where !part.trimmed().isEmpty {
            if let address = parse(part) { out.append(address) } else { issues.append(.init(field: field, value: part.trimmed(), reason: .invalidEmail)) }
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return out
    }
}

extension CRM {
    /// How long an e-mail may stay "sending" before it is taken for one whose
    /// sender stopped, and may be sent again.
    public static let staleSending: Int64 = 10 * 60 * 1000

    /// Stores an e-mail in the history before it is sent (status "sending"),
    /// with its files: on the account, the opportunity or activity, or the
    /// offer's opportunity. The sender is the actor's e-mail settings' From.
    @discardableResult
    public func recordEmail(_ draft: EmailDraft, by actor: Actor) throws -> EmailDetails {
        let module = try draft.item.map { try self.workItemKind($0, for: actor).module } ?? .accounts
        try policy.authorize(actor, .edit, module)
        let (settings, _) = try emailSettings(for: actor)
        guard settings.isComplete, let from = settings.from else {
            throw CoreError.refused(Localized(ro: "setările de e-mail nu sunt complete (server și expeditor): Setări → Setări e-mail",
                                              en: "the e-mail settings are incomplete (server and sender): Settings → E-mail settings"))
        }
        var issues: [ValidationIssue] = []
        func addresses(_ list: [String], _ field: String) -> [MailboxAddress] {
            do { return try MailboxAddress.list(list.joined(separator: ","), field: field) } catch let error as CoreError {
                if case .invalid(let found) = error { issues += found }
                return []
            } catch { return [] }
        }
        let to = addresses(draft.to, "to"), cc = addresses(draft.cc, "cc")
        if to.isEmpty && !issues.contains(where: { $0.field == "to" }) { issues.append(.init(field: "to", value: "", reason: .required)) }
        let subject = FieldRules.text(draft.subject.replacingOccurrences(of: "\n", with: " "), field: "subject", max: 300, issues: &issues)
        if subject.isNull && !issues.contains(where: { $0.field == "subject" }) { issues.append(.init(field: "subject", value: "", reason: .required)) }
        if draft.text.count > 200_000 { issues.append(.init(field: "text", value: "", reason: .tooLong(max: 200_000))) }
        for file in draft.files where file.data.count > Self.maxFileSize {
            issues.append(.init(field: "file", value: file.name, reason: .fileTooLarge(maxMB: Self.maxFileSize / 1024 / 1024)))
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        let sender = MailboxAddress(from, name: settings.fromName).text
        return try write(actor, "email.add") { w in
            var offer: OfferRecord?
            if let ref = draft.offer { offer = try OfferRules.resolve(ref, in: w) }
            let item = try (draft.item.map { try WorkItemRules.resolve($0, in: w) }) ?? offer.map { try WorkItemRules.resolve("#\($0.itemID)", in: w) }
            let accountID: Int64
            if let item {
                accountID = item.accountID
            } else if let account = draft.account {
                accountID = try AccountRules.resolve(account, in: w).meta!.id
            } else {
                throw CoreError.refused(Localized(ro: "spuneți de la ce cont se trimite e-mailul", en: "say which account the e-mail is sent from"))
            }
            if let offer, let item, offer.itemID != item.meta!.id {
                throw CoreError.refused(Localized(ro: "oferta \(offer.label) nu este a acestei oportunități", en: "the offer \(offer.label) is not this opportunity's"))
            }
            let record = try w.insert(EmailRecord(
                accountID: accountID, itemID: item?.meta!.id, offerID: offer?.meta!.id, sender: sender,
                recipients: to.map(\.text).joined(separator: ", "), cc: cc.isEmpty ? nil : cc.map(\.text).joined(separator: ", "),
                subject: subject.text ?? "", text: Diacritics.canonical(draft.text), html: draft.html))
            for file in draft.files {
                let blobID = try NoteRules.storeBlob(file.data, in: w)
                let name = String(Diacritics.canonical((file.name as NSString).lastPathComponent).drop { $0 == "." })
                try w.insert(EmailFileRecord(emailID: record.meta!.id, blobID: blobID, name: name.isEmpty ? "fisier" : name,
                                             mime: FileType.mime(of: name)))
            }
            return try EmailRules.details([record], in: w)[0]
        }
    }

    /// Marks a stored e-mail as being sent again (a retry): refused when it was
    /// sent, or while another sender may still be at it.
    @discardableResult
    public func beginSending(_ ref: String, by actor: Actor) throws -> EmailDetails {
        let current = try email(ref, for: actor)
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, "email.retry") { w in
            guard let now = try w.fetch(EmailRecord.self, id: current.record.meta!.id) else {
                throw CoreError.notFound(what: Localized(ro: "e-mailul", en: "e-mail"), ref: ref)
            }
            switch now.state {
            case .sent:
                throw CoreError.refused(Localized(ro: "e-mailul a fost deja trimis", en: "the e-mail was already sent"))
            case .sending where now.attempts > 0 && w.now - now.meta!.updatedAt < Self.staleSending:
                throw CoreError.refused(Localized(ro: "e-mailul este în curs de trimitere", en: "the e-mail is being sent"))
            default:
                try w.update(EmailRecord.self, id: now.meta!.id, set: ["status": .text(EmailStatus.sending.rawValue), "error": .null])
            }
            return try EmailRules.details([w.fetch(EmailRecord.self, id: now.meta!.id)!], in: w)[0]
        }
    }

    /// What became of a sending: sent (with its Message-ID), or failed with the reason.
    @discardableResult
    public func recordEmailOutcome(_ ref: String, messageID: String, failure: Localized?, by actor: Actor) throws -> EmailRecord {
        let current = try email(ref, for: actor)
        return try write(actor, failure == nil ? "email.sent" : "email.failed") { w in
            let id = current.record.meta!.id
            var set: [String: Value] = ["attempts": .int(current.record.attempts + 1), "message_id": .text(messageID)]
            if let failure {
                set["status"] = .text(EmailStatus.failed.rawValue)
                // Both languages, one line each, so that each reader sees the reason in theirs.
                let line = { (text: String) in String(text.replacingOccurrences(of: "\n", with: " ").prefix(1000)) }
                set["error"] = .text(line(failure.ro) + "\n" + line(failure.en))
            } else {
                set["status"] = .text(EmailStatus.sent.rawValue)
                set["error"] = .null
                set["sent_at"] = .int(w.now)
            }
            try w.update(EmailRecord.self, id: id, set: set)
            return try w.fetch(EmailRecord.self, id: id)!
        }
    }

    /// E-mails newest first: of an account (its items' too), of an item, in one
    /// status, with words in the subject, recipients or account, or all the actor sees.
    public func emails(account: String? = nil, item: String? = nil, status: EmailStatus? = nil, search: String? = nil, limit: Int = 200,
                       for actor: Actor) throws -> [EmailDetails] {
        try policy.authorize(actor, .view, .accounts)
        let words = (search ?? "").split(whereSeparator: \.isWhitespace).map { Fold.key(String($0)) }.filter { !$0.isEmpty }
        return try read(for: actor) { r in
            let accountID = try account.map { try AccountRules.resolve($0, in: r).meta!.id }
            let itemID = try item.map { try WorkItemRules.resolve($0, in: r).meta!.id }
            return try EmailRules.details(r.emails(accountID: accountID, itemID: itemID, status: status?.rawValue, words: words, limit: limit),
                                          in: r)
        }
    }

    /// One e-mail by UUID or #id, of an account the actor sees.
    public func email(_ ref: String, for actor: Actor) throws -> EmailDetails {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in try EmailRules.details([EmailRules.resolve(ref, in: r)], in: r)[0] }
    }

    /// The files of a stored e-mail, with their bytes (to send it).
    public func emailFiles(_ ref: String, for actor: Actor) throws -> [NoteAttachment] {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in
            let email = try EmailRules.resolve(ref, in: r)
            return try r.fetchAll(EmailFileRecord.self, matching: ["email_id": .int(email.meta!.id)]).map { file in
                NoteAttachment(name: file.name, data: try r.fetch(FileBlobRecord.self, id: file.blobID)?.data ?? [])
            }
        }
    }

    // MARK: - Tracking

    static let trackingSetting = "tracking.url"

    /// The public address of `crm serve` (its open pixel and click redirects),
    /// when one was set: messages sent while it is set are tracked.
    public func trackingURL() throws -> String? {
        try read { r in try r.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.trackingSetting)]).first?.value }
    }

    /// Sets (or, with nil, clears) the public address of `crm serve`; written by
    /// the service itself when it starts (`actor` nil) or by an administrator.
    public func setTrackingURL(_ url: String?, by actor: Actor?) throws {
        if let actor { try policy.authorize(actor, .admin, .administration) }
        if let url {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil, parsed.query == nil else {
                throw CoreError.invalid([.init(field: "public-url", value: url, reason: .rule(Localized(ro: "o adresă http(s):// fără parametri, de ex. https://crm.firma.ro", en: "an http(s):// address without a query, e.g. https://crm.firma.ro")))])
            }
        }
        try write(actor, "tracking.url") { w in
            let stored = try w.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.trackingSetting)]).first
            switch (stored, url.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }) {
            case (nil, let value?): try w.insert(AppSettingRecord(name: Self.trackingSetting, value: value))
            case (let row?, let value?): try w.update(AppSettingRecord.self, id: row.meta!.id, set: ["value": .text(value)])
            case (let row?, nil): try w.delete(AppSettingRecord.self, id: row.meta!.id)
            case (nil, nil): break
            }
        }
    }

    /// Counts opens and clicks seen by `crm serve` (the service's own write, by no
    /// user): the first of each is timed. Hits of e-mails no longer stored are
    /// left out. Returns how many were counted.
    @discardableResult
    public func recordTracking(_ hits: [TrackingHit]) throws -> Int {
        guard !hits.isEmpty else { return 0 }
        var byEmail: [String: (opens: Int64, clicks: Int64, first: Int64)] = [:]
        // A campaign's clicks per link: each recipient's count and first time on each address.
        var byLink: [String: [String: (clicks: Int64, first: Int64)]] = [:]
        for hit in hits {
            var entry = byEmail[hit.email] ?? (0, 0, hit.at)
            if hit.isClick { entry.clicks += 1 } else { entry.opens += 1 }
            entry.first = min(entry.first, hit.at)
            byEmail[hit.email] = entry
            if hit.isClick, let url = hit.url {
                var link = byLink[hit.email, default: [:]][url] ?? (0, hit.at)
                link.clicks += 1
                link.first = min(link.first, hit.at)
                byLink[hit.email, default: [:]][url] = link
            }
        }
        return try write(nil, "email.tracking") { w in
            var counted = 0
            for (uuid, seen) in byEmail.sorted(by: { $0.key < $1.key }) {
                guard let id = RowUUID(uuid) else { continue }
                // The counts so far and the first times, plus these hits.
                func added(opens: Int64, openedAt: Int64?, clicks: Int64, clickedAt: Int64?) -> [String: Value] {
                    var set: [String: Value] = [:]
                    if seen.opens > 0 { set["opens"] = .int(opens + seen.opens); if openedAt == nil { set["opened_at"] = .int(seen.first) } }
                    if seen.clicks > 0 { set["clicks"] = .int(clicks + seen.clicks); if clickedAt == nil { set["clicked_at"] = .int(seen.first) } }
                    return set
                }
                // A campaign's recipient, or an e-mail of a history.
                if let r = try w.fetch(CampaignRecipientRecord.self, uuid: id) {
                    try w.update(CampaignRecipientRecord.self, id: r.meta!.id,
                                 set: added(opens: r.opens, openedAt: r.openedAt, clicks: r.clicks, clickedAt: r.clickedAt))
                    for (url, link) in (byLink[uuid] ?? [:]).sorted(by: { $0.key < $1.key }) {
                        if let found = try w.fetchAll(CampaignClickRecord.self, matching: ["recipient_id": .int(r.meta!.id), "url": .text(url)]).first {
                            try w.update(CampaignClickRecord.self, id: found.meta!.id, set: ["clicks": .int(found.clicks + link.clicks)])
                        } else {
                            try w.insert(CampaignClickRecord(campaignID: r.campaignID, recipientID: r.meta!.id, url: url, clicks: link.clicks,
                                                             clickedAt: link.first))
                        }
                    }
                } else if let e = try w.fetch(EmailRecord.self, uuid: id) {
                    try w.update(EmailRecord.self, id: e.meta!.id, set: added(opens: e.opens, openedAt: e.openedAt, clicks: e.clicks, clickedAt: e.clickedAt))
                } else {
                    continue
                }
                counted += Int(seen.opens + seen.clicks)
            }
            return counted
        }
    }
}

/// An open or a click of one e-mail, when it was seen.
public struct TrackingHit: Sendable, Equatable {
    public let email: String
    public let isClick: Bool
    public let at: Int64
    /// The address a click led to.
    public let url: String?
    public init(email: String, isClick: Bool, at: Int64, url: String? = nil) {
        self.email = email; self.isClick = isClick; self.at = at; self.url = url
    }
}

enum EmailRules {
    /// An e-mail by UUID or #id, of an account the reader sees.
    static func resolve(_ ref: String, in r: Reader) throws -> EmailRecord {
        guard let found = try r.fetch(EmailRecord.self, ref: ref.trimmed()), let account = try r.fetch(AccountRecord.self, id: found.accountID),
              r.isVisible(account) else {
            throw CoreError.notFound(what: Localized(ro: "e-mailul", en: "e-mail"), ref: ref)
        }
        return found
    }

    static func details(_ emails: [EmailRecord], in r: Reader) throws -> [EmailDetails] {
        let files = try r.emailFiles(emailIDs: emails.map { $0.meta!.id })
        let users = Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) })
        var accounts: [Int64: String] = [:]
        for id in Set(emails.map(\.accountID)) { accounts[id] = try r.fetch(AccountRecord.self, id: id)?.name }
        return emails.map { email in
            EmailDetails(record: email, files: (files[email.meta!.id] ?? []).map {
                .init(uuid: $0.file.meta!.uuid.description, name: $0.file.name, size: $0.size, mime: $0.file.mime)
            }, createdBy: email.meta?.createdBy.flatMap { users[$0] }, account: accounts[email.accountID] ?? "")
        }
    }

    /// An account's e-mails go with it when it is deleted (their files' rows too).
    static func deleteAll(ofAccount accountID: Int64, in w: Writer) throws {
        for email in try w.fetchAll(EmailRecord.self, matching: ["account_id": .int(accountID)]) {
            for file in try w.fetchAll(EmailFileRecord.self, matching: ["email_id": .int(email.meta!.id)]) {
                try w.delete(EmailFileRecord.self, id: file.meta!.id)
            }
            try w.delete(EmailRecord.self, id: email.meta!.id)
        }
    }

    /// An opportunity or offer deleted: its e-mails stay in the account's history.
    static func detach(item itemID: Int64? = nil, offer offerID: Int64? = nil, in w: Writer) throws {
        if let itemID {
            for email in try w.fetchAll(EmailRecord.self, matching: ["item_id": .int(itemID)]) {
                try w.update(EmailRecord.self, id: email.meta!.id, set: ["item_id": .null, "offer_id": .null])
            }
        }
        if let offerID {
            for email in try w.fetchAll(EmailRecord.self, matching: ["offer_id": .int(offerID)]) {
                try w.update(EmailRecord.self, id: email.meta!.id, set: ["offer_id": .null])
            }
        }
    }
}
