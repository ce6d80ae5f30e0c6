import CRMStore
import CRMText
import Foundation

/// Where a campaign is.
public enum CampaignStatus: String, Sendable, CaseIterable {
    case draft, running, paused, cancelled, finished
}

/// Where one recipient's message is. `sending` is claimed and not known to be
/// sent: after a stop it is reported for a decision, never sent again by itself.
public enum RecipientState: String, Sendable, CaseIterable {
    case queued, sending, sent, failed, bounced, skipped
}

/// Why an address is never mailed by a campaign.
public enum SuppressionReason: String, Sendable, CaseIterable {
    case unsubscribed, bounced, manual
}

/// A campaign with the count of its recipients in each state.
public struct CampaignDetails: Sendable {
    public let record: CampaignRecord
    public let list: String
    public let counts: [RecipientState: Int]
    /// Recipients who opened it (a click counts), and who clicked a link.
    public let opened: Int
    public let clicked: Int
    public var name: String { record.name }
    public var status: CampaignStatus { CampaignStatus(rawValue: record.status) ?? .draft }
    public func count(_ state: RecipientState) -> Int { counts[state] ?? 0 }
}

/// What became of one message of a campaign.
public enum RecipientOutcome: Sendable, Equatable {
    case sent(messageID: String)
    /// Refused for now (4xx, or no server reached): queued again, tried after `retryAt`.
    case deferred(reply: String, retryAt: Int64)
    /// Refused for good (5xx): bounced, and the address suppressed.
    case bounced(reply: String)
}

extension CRM {
    // MARK: - Lists (CMP-1)

    /// The lists with their member counts.
    public func mailLists(for actor: Actor) throws -> [(list: MailListRecord, members: Int)] {
        try policy.authorize(actor, .view, .accounts)
        return try read { r in
            try r.fetchAll(MailListRecord.self, orderBy: ["name"]).map { ($0, try r.count(MailListMemberRecord.self, matching: ["list_id": .int($0.meta!.id)])) }
        }
    }

    /// A list by name (case aside); with `create`, made when missing.
    @discardableResult
    public func mailList(_ name: String, create: Bool = false, by actor: Actor) throws -> MailListRecord {
        let clean = name.trimmed()
        if let found = try read({ r in try r.fetchAll(MailListRecord.self).first { Fold.key($0.name) == Fold.key(clean) } }) { return found }
        guard create else { throw CoreError.notFound(what: Localized(ro: "lista de e-mail", en: "e-mail list"), ref: name) }
        try policy.authorize(actor, .edit, .accounts)
        guard !clean.isEmpty else { throw CoreError.invalid([.init(field: "list", value: name, reason: .required)]) }
        return try write(actor, "mail_list.add") { w in try w.insert(MailListRecord(name: clean)) }
    }

    /// Adăugare la lista e-mail: each account's primary contact's address (all
    /// its contacts' with `allContacts`), else the account's own; an address
    /// already on the list is not added twice. Returns how many were added and
    /// how many were there already; accounts without any address are named.
    @discardableResult
    public func addAccountsToMailList(_ list: String, accounts refs: [String], allContacts: Bool = false, create: Bool = true,
                                      by actor: Actor) throws -> (added: Int, already: Int, withoutAddress: [String]) {
        let target = try mailList(list, create: create, by: actor)
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, "mail_list.add_accounts") { w in
            var keys = Set(try w.fetchAll(MailListMemberRecord.self, matching: ["list_id": .int(target.meta!.id)]).map(\.emailKey))
            var added = 0, already = 0, without: [String] = []
            for ref in refs {
                let account = try AccountRules.resolve(ref, in: w)
                let contacts = try w.fetchAll(ContactRecord.self, matching: ["account_id": .int(account.meta!.id)])
                    .filter { ($0.email ?? "").isEmpty == false && (allContacts || $0.isPrimary) }
                var addresses = contacts.map { MailboxAddress($0.email!, name: $0.name) }
                if addresses.isEmpty, let own = account.email, !own.isEmpty { addresses = [MailboxAddress(own, name: account.name)] }
                if addresses.isEmpty { without.append(account.name) }
                for address in addresses {
                    guard keys.insert(address.email.lowercased()).inserted else { already += 1; continue }
                    try w.insert(MailListMemberRecord(listID: target.meta!.id, email: address.email, name: address.name, accountID: account.meta!.id))
                    added += 1
                }
            }
            return (added, already, without)
        }
    }

    /// Typed or imported addresses onto a list (checked; each once).
    @discardableResult
    public func addAddressesToMailList(_ list: String, _ addresses: [MailboxAddress], create: Bool = true, by actor: Actor) throws
        -> (added: Int, already: Int) {
        let target = try mailList(list, create: create, by: actor)
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, "mail_list.add_addresses") { w in
            var keys = Set(try w.fetchAll(MailListMemberRecord.self, matching: ["list_id": .int(target.meta!.id)]).map(\.emailKey))
            var added = 0, already = 0
            for address in addresses {
                guard keys.insert(address.email.lowercased()).inserted else { already += 1; continue }
                try w.insert(MailListMemberRecord(listID: target.meta!.id, email: address.email, name: address.name, accountID: nil))
                added += 1
            }
            return (added, already)
        }
    }

    /// Takes an address off a list.
    public func removeFromMailList(_ list: String, email: String, by actor: Actor) throws {
        try policy.authorize(actor, .edit, .accounts)
        let target = try mailList(list, by: actor)
        try write(actor, "mail_list.remove") { w in
            guard let member = try w.fetchAll(MailListMemberRecord.self,
                                              matching: ["list_id": .int(target.meta!.id), "email_key": .text(email.trimmed().lowercased())]).first else {
                throw CoreError.notFound(what: Localized(ro: "adresa din listă", en: "address on the list"), ref: email)
            }
            try w.delete(MailListMemberRecord.self, id: member.meta!.id)
        }
    }

    /// A list's members in the order they joined.
    public func mailListMembers(_ list: String, for actor: Actor) throws -> [MailListMemberRecord] {
        try policy.authorize(actor, .view, .accounts)
        let target = try mailList(list, by: actor)
        return try read { r in try r.fetchAll(MailListMemberRecord.self, matching: ["list_id": .int(target.meta!.id)]) }
    }

    // MARK: - Suppression

    /// Puts an address on the suppression list (by hand: an editor; the
    /// service's own for unsubscriptions and hard bounces: `actor` nil).
    public func suppress(_ email: String, reason: SuppressionReason, detail: String? = nil, by actor: Actor?) throws {
        if let actor { try policy.authorize(actor, .edit, .accounts) }
        guard let address = MailboxAddress.parse(email) else {
            throw CoreError.invalid([.init(field: "email", value: email, reason: .invalidEmail)])
        }
        try write(actor, "suppression.add") { w in
            if let found = try w.fetchAll(SuppressionRecord.self, matching: ["email_key": .text(address.email.lowercased())]).first {
                try w.update(SuppressionRecord.self, id: found.meta!.id, set: ["reason": .text(reason.rawValue), "detail": .optional(detail)])
            } else {
                try w.insert(SuppressionRecord(email: address.email, reason: reason.rawValue, detail: detail))
            }
        }
    }

    /// Takes an address off the suppression list.
    /// One-click unsubscribe (RFC 8058) of a campaign's recipient, by the
    /// service (no user): the address goes on the suppression list at once.
    /// Returns the address, nil for an unknown recipient.
    @discardableResult
    public func unsubscribe(recipient uuid: String) throws -> String? {
        guard let id = RowUUID(uuid) else { return nil }
        return try write(nil, "campaign.unsubscribe") { w in
            guard let recipient = try w.fetch(CampaignRecipientRecord.self, uuid: id) else { return nil }
            let campaign = try w.fetch(CampaignRecord.self, id: recipient.campaignID)?.name ?? ""
            if let found = try w.fetchAll(SuppressionRecord.self, matching: ["email_key": .text(recipient.emailKey)]).first {
                if found.reason != SuppressionReason.unsubscribed.rawValue {
                    try w.update(SuppressionRecord.self, id: found.meta!.id, set: ["reason": .text(SuppressionReason.unsubscribed.rawValue)])
                }
            } else {
                try w.insert(SuppressionRecord(email: recipient.email, reason: SuppressionReason.unsubscribed.rawValue, detail: campaign))
            }
            return recipient.email
        }
    }

    public func unsuppress(_ email: String, by actor: Actor) throws {
        try policy.authorize(actor, .edit, .accounts)
        try write(actor, "suppression.remove") { w in
            guard let found = try w.fetchAll(SuppressionRecord.self, matching: ["email_key": .text(email.trimmed().lowercased())]).first else {
                throw CoreError.notFound(what: Localized(ro: "adresa din lista de excludere", en: "suppressed address"), ref: email)
            }
            try w.delete(SuppressionRecord.self, id: found.meta!.id)
        }
    }

    public func suppressions(for actor: Actor) throws -> [SuppressionRecord] {
        try policy.authorize(actor, .view, .accounts)
        return try read { r in try r.fetchAll(SuppressionRecord.self, orderBy: ["email_key"]) }
    }

    // MARK: - Campaigns (CMP-2, CMP-4)

    /// A campaign in draft: a list, a subject and a message (placeholders of
    /// the templates) — or a template of blocks, its HTML and text where none
    /// is given —, a sender ("Nume <adresă>"; the actor's e-mail settings' by
    /// default), one message every `intervalMs`.
    @discardableResult
    public func addCampaign(name: String, list: String, subject: String, text: String, html: String? = nil, blocks: String? = nil,
                            from sender: String? = nil, intervalMs: Int64 = 5000, by actor: Actor) throws -> CampaignRecord {
        try policy.authorize(actor, .edit, .accounts)
        if let blocks {
            let made = try blockTemplate(blocks, for: actor)
            return try addCampaign(name: name, list: list, subject: subject, text: text.trimmed().isEmpty ? BlockRenderer.text(made) : text,
                                   html: html ?? BlockRenderer.html(made), from: sender, intervalMs: intervalMs, by: actor)
        }
        let target = try mailList(list, by: actor)
        let (settings, _) = try emailSettings(for: actor)
        guard settings.isComplete, let from = settings.from else {
            throw CoreError.refused(Localized(ro: "setările de e-mail nu sunt complete (server și expeditor)",
                                              en: "the e-mail settings are incomplete (server and sender)"))
        }
        var issues: [ValidationIssue] = []
        if name.trimmed().isEmpty { issues.append(.init(field: "name", value: name, reason: .required)) }
        if subject.trimmed().isEmpty { issues.append(.init(field: "subject", value: subject, reason: .required)) }
        if intervalMs < 0 { issues.append(.init(field: "interval", value: "\(intervalMs)", reason: .invalidNumber)) }
        let given = sender.map { $0.trimmed() }.flatMap { $0.isEmpty ? nil : $0 }
        let chosen = given.map(MailboxAddress.parse) ?? MailboxAddress(from, name: settings.fromName)
        if chosen == nil { issues.append(.init(field: "from", value: given ?? "", reason: .invalidEmail)) }
        for (field, value) in [("subject", subject), ("text", text), ("html", html ?? "")] {
            for unknown in TemplateText.unknownPlaceholders(in: value) {
                issues.append(.init(field: field, value: "{{\(unknown)}}", reason: .invalidChoice(allowed: TemplateText.placeholders.map { "{{\($0.name)}}" })))
            }
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return try write(actor, "campaign.add") { w in
            if try w.fetchAll(CampaignRecord.self).contains(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) {
                throw CoreError.invalid([.init(field: "name", value: name, reason: .duplicate(of: name.trimmed()))])
            }
            return try w.insert(CampaignRecord(name: name.trimmed(), listID: target.meta!.id, sender: chosen!.text,
                                               subject: subject.trimmed(), text: text, html: html, intervalMs: intervalMs))
        }
    }

    public func campaigns(for actor: Actor) throws -> [CampaignDetails] {
        try policy.authorize(actor, .view, .accounts)
        return try read { r in try r.fetchAll(CampaignRecord.self, orderBy: ["id"]).map { try CampaignRules.details($0, in: r) } }
    }

    public func campaign(_ name: String, for actor: Actor) throws -> CampaignDetails {
        try policy.authorize(actor, .view, .accounts)
        return try read { r in try CampaignRules.details(CampaignRules.resolve(name, in: r), in: r) }
    }

    /// Start campanie: a draft gets its recipients — the list's members, those
    /// on the suppression list skipped with the reason — and runs; a paused one runs again.
    @discardableResult
    public func startCampaign(_ name: String, by actor: Actor) throws -> CampaignDetails {
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, "campaign.start") { w in
            let campaign = try CampaignRules.resolve(name, in: w)
            switch CampaignStatus(rawValue: campaign.status) ?? .draft {
            case .draft:
                let suppressed = Dictionary(try w.fetchAll(SuppressionRecord.self).map { ($0.emailKey, $0.reason) }, uniquingKeysWith: { a, _ in a })
                for member in try w.fetchAll(MailListMemberRecord.self, matching: ["list_id": .int(campaign.listID)]) {
                    let reason = suppressed[member.emailKey]
                    try w.insert(CampaignRecipientRecord(campaignID: campaign.meta!.id, email: member.email, name: member.name,
                                                         accountID: member.accountID, state: reason == nil ? "queued" : "skipped",
                                                         reply: reason.map { "suppressed: \($0)" }))
                }
                try w.update(CampaignRecord.self, id: campaign.meta!.id, set: ["status": .text("running"), "started_at": .int(w.now)])
            case .paused, .running:
                try w.update(CampaignRecord.self, id: campaign.meta!.id, set: ["status": .text("running")])
            case .cancelled, .finished:
                throw CoreError.refused(Localized(ro: "campania «\(campaign.name)» s-a încheiat", en: "the campaign «\(campaign.name)» has ended"))
            }
            return try CampaignRules.details(w.fetch(CampaignRecord.self, id: campaign.meta!.id)!, in: w)
        }
    }

    /// Pauses (the sender stops after the message in hand), or cancels (the queued ones are never sent).
    @discardableResult
    public func setCampaignStatus(_ name: String, _ status: CampaignStatus, by actor: Actor) throws -> CampaignDetails {
        try policy.authorize(actor, .edit, .accounts)
        precondition(status == .paused || status == .cancelled)
        return try write(actor, "campaign.\(status.rawValue)") { w in
            let campaign = try CampaignRules.resolve(name, in: w)
            guard ["running", "paused", "draft"].contains(campaign.status) else {
                throw CoreError.refused(Localized(ro: "campania «\(campaign.name)» s-a încheiat", en: "the campaign «\(campaign.name)» has ended"))
            }
            var set: [String: Value] = ["status": .text(status.rawValue)]
            if status == .cancelled { set["finished_at"] = .int(w.now) }
            try w.update(CampaignRecord.self, id: campaign.meta!.id, set: set)
            return try CampaignRules.details(w.fetch(CampaignRecord.self, id: campaign.meta!.id)!, in: w)
        }
    }

    /// The recipients in one state (all when nil), in order.
    public func campaignRecipients(_ name: String, state: RecipientState? = nil, for actor: Actor) throws -> [CampaignRecipientRecord] {
        try policy.authorize(actor, .view, .accounts)
        return try read { r in
            let campaign = try CampaignRules.resolve(name, in: r)
            var matching: [String: Value] = ["campaign_id": .int(campaign.meta!.id)]
            if let state { matching["state"] = .text(state.rawValue) }
            return try r.fetchAll(CampaignRecipientRecord.self, matching: matching)
        }
    }

    /// The decision on recipients left "sending" by a sender that stopped:
    /// `sent` when they did get it (the server's log says so), else queued to be sent again.
    @discardableResult
    public func resolveUncertain(_ name: String, sent: Bool, by actor: Actor) throws -> Int {
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, "campaign.resolve") { w in
            let campaign = try CampaignRules.resolve(name, in: w)
            let uncertain = try w.fetchAll(CampaignRecipientRecord.self, matching: ["campaign_id": .int(campaign.meta!.id), "state": .text("sending")])
            for recipient in uncertain {
                try w.update(CampaignRecipientRecord.self, id: recipient.meta!.id,
                             set: sent ? ["state": .text("sent"), "reply": .text("marked sent after a stop")]
                                : ["state": .text("queued"), "next_at": .int(0)])
            }
            return uncertain.count
        }
    }

    // MARK: - The sender's steps

    /// Claims the next recipient due (committed as "sending" before anything is
    /// sent); nil when the campaign is not running or nothing is due now.
    public func claimRecipient(campaign id: Int64, by actor: Actor) throws -> CampaignRecipientRecord? {
        try write(actor, "campaign.claim") { w in
            guard let campaign = try w.fetch(CampaignRecord.self, id: id), campaign.status == "running",
                  let next = try w.nextRecipient(campaignID: id, now: w.now) else { return nil }
            try w.update(CampaignRecipientRecord.self, id: next.meta!.id, set: ["state": .text("sending"), "attempts": .int(next.attempts + 1)])
            return try w.fetch(CampaignRecipientRecord.self, id: next.meta!.id)
        }
    }

    /// Writes what became of a claimed recipient; a hard bounce suppresses the address.
    public func recordRecipient(_ id: Int64, _ outcome: RecipientOutcome, by actor: Actor) throws {
        try write(actor, "campaign.outcome") { w in
            guard let recipient = try w.fetch(CampaignRecipientRecord.self, id: id) else { return }
            switch outcome {
            case .sent(let messageID):
                try w.update(CampaignRecipientRecord.self, id: id, set: ["state": .text("sent"), "sent_at": .int(w.now), "message_id": .text(messageID)])
            case .deferred(let reply, let retryAt):
                try w.update(CampaignRecipientRecord.self, id: id, set: ["state": .text("queued"), "next_at": .int(retryAt), "reply": .text(reply)])
            case .bounced(let reply):
                try w.update(CampaignRecipientRecord.self, id: id, set: ["state": .text("bounced"), "reply": .text(reply)])
                if try w.fetchAll(SuppressionRecord.self, matching: ["email_key": .text(recipient.emailKey)]).isEmpty {
                    try w.insert(SuppressionRecord(email: recipient.email, reason: SuppressionReason.bounced.rawValue, detail: reply))
                }
            }
        }
    }

    /// A running campaign with nothing queued or in hand is finished.
    @discardableResult
    public func finishCampaignIfDone(_ id: Int64, by actor: Actor) throws -> Bool {
        try write(actor, "campaign.finish") { w in
            guard let campaign = try w.fetch(CampaignRecord.self, id: id), campaign.status == "running" else { return false }
            let open = try w.count(CampaignRecipientRecord.self, matching: ["campaign_id": .int(id), "state": .text("queued")])
                + w.count(CampaignRecipientRecord.self, matching: ["campaign_id": .int(id), "state": .text("sending")])
            guard open == 0 else { return false }
            try w.update(CampaignRecord.self, id: id, set: ["status": .text("finished"), "finished_at": .int(w.now)])
            return true
        }
    }
}

enum CampaignRules {
    /// Lists' and campaigns' addresses of an account follow it into a merge (`to` the survivor) or lose it when it is deleted (nil).
    static func moveAccount(from id: Int64, to target: Int64?, in w: Writer) throws {
        for member in try w.fetchAll(MailListMemberRecord.self, matching: ["account_id": .int(id)]) {
            try w.update(MailListMemberRecord.self, id: member.meta!.id, set: ["account_id": .optional(target)])
        }
        for recipient in try w.fetchAll(CampaignRecipientRecord.self, matching: ["account_id": .int(id)]) {
            try w.update(CampaignRecipientRecord.self, id: recipient.meta!.id, set: ["account_id": .optional(target)])
        }
    }

    static func resolve(_ name: String, in r: Reader) throws -> CampaignRecord {
        guard let found = try r.fetchAll(CampaignRecord.self).first(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) else {
            throw CoreError.notFound(what: Localized(ro: "campania", en: "campaign"), ref: name)
        }
        return found
    }

    static func details(_ campaign: CampaignRecord, in r: Reader) throws -> CampaignDetails {
        let list = try r.fetch(MailListRecord.self, id: campaign.listID)?.name ?? ""
        var counts: [RecipientState: Int] = [:]
        for (state, n) in try r.recipientCounts(campaignID: campaign.meta!.id) {
            if let s = RecipientState(rawValue: state) { counts[s] = n }
        }
        let (opened, clicked) = try r.recipientEngagement(campaignID: campaign.meta!.id)
        return CampaignDetails(record: campaign, list: list, counts: counts, opened: opened, clicked: clicked)
    }
}

extension CRM {
    /// When the next deferred recipient falls due (nil: none queued).
    public func nextRetry(campaign id: Int64) throws -> Int64? {
        try read { r in try r.nextRetry(campaignID: id) }
    }
}

extension CRM {
    /// An account's name by its row id (a campaign's message), nil when it is gone.
    public func accountName(id: Int64) throws -> String? {
        try read { r in try r.fetch(AccountRecord.self, id: id)?.name }
    }
}

/// What a bounce report was matched to.
public enum BounceMatch: Sendable, Equatable {
    case recipient(email: String, campaign: String)
    case email(email: String)
    case none
}

extension CRM {
    /// A bounce read from a report: matched by the X-CRM-Entry of the returned
    /// message, else by the address (the newest campaign recipient it was sent
    /// to, in `campaign` when given). A hard one bounces the recipient and
    /// suppresses the address; a soft one is noted on it and changes nothing else.
    @discardableResult
    public func recordBounce(entry: String?, address: String?, hard: Bool, reply: String, campaign: String? = nil,
                             by actor: Actor) throws -> BounceMatch {
        try policy.authorize(actor, .edit, .accounts)
        return try write(actor, hard ? "campaign.bounce" : "campaign.soft_bounce") { w in
            let only = try campaign.map { try CampaignRules.resolve($0, in: w).meta!.id }
            var found: CampaignRecipientRecord?
            if let entry, let id = RowUUID(entry) {
                found = try w.fetch(CampaignRecipientRecord.self, uuid: id)
                if found == nil, let email = try w.fetch(EmailRecord.self, uuid: id) {
                    if hard {
                        try w.update(EmailRecord.self, id: email.meta!.id,
                                     set: ["status": .text(EmailStatus.failed.rawValue), "error": .text("bounced: \(reply)\nbounced: \(reply)")])
                    }
                    return .email(email: email.recipients)
                }
            }
            if found == nil, let address {
                var matching: [String: Value] = ["email_key": .text(address.lowercased()), "state": .text("sent")]
                if let only { matching["campaign_id"] = .int(only) }
                found = try w.fetchAll(CampaignRecipientRecord.self, matching: matching).last
            }
            guard let recipient = found, only.map({ $0 == recipient.campaignID }) ?? true else { return .none }
            if hard {
                try w.update(CampaignRecipientRecord.self, id: recipient.meta!.id, set: ["state": .text("bounced"), "reply": .text(reply)])
                if try w.fetchAll(SuppressionRecord.self, matching: ["email_key": .text(recipient.emailKey)]).isEmpty {
                    try w.insert(SuppressionRecord(email: recipient.email, reason: SuppressionReason.bounced.rawValue, detail: reply))
                }
            } else {
                try w.update(CampaignRecipientRecord.self, id: recipient.meta!.id, set: ["reply": .text("soft bounce: " + reply)])
            }
            return .recipient(email: recipient.email, campaign: try w.fetch(CampaignRecord.self, id: recipient.campaignID)?.name ?? "")
        }
    }
}

extension CRM {
    /// The running campaigns, each with the user its sending acts as — the one
    /// who last started or resumed it (with their rights), for a service that
    /// sends them (`crm serve`). A campaign whose user is gone or disabled is left out.
    public func runningCampaigns() throws -> [(name: String, sender: Actor)] {
        try read { r in
            try r.fetchAll(CampaignRecord.self, matching: ["status": .text(CampaignStatus.running.rawValue)]).compactMap { campaign in
                guard let userID = campaign.meta?.updatedBy ?? campaign.meta?.createdBy, let user = try r.fetch(UserRecord.self, id: userID),
                      !user.disabled else { return nil }
                return (campaign.name, try Self.actor(user, in: r))
            }
        }
    }
}

/// The lists of a campaign's report (CMP-5).
public enum CampaignReportList: String, Sendable, CaseIterable {
    case contacts, sent, opened, clicked, bounced, unsubscribed

    public var label: Localized {
        switch self {
        case .contacts: return Localized(ro: "Contacte", en: "Contacts")
        case .sent: return Localized(ro: "Trimise", en: "Sent")
        case .opened: return Localized(ro: "Deschise", en: "Opened")
        case .clicked: return Localized(ro: "Accesate", en: "Clicked")
        case .bounced: return Localized(ro: "Returnate", en: "Bounced")
        case .unsubscribed: return Localized(ro: "Dezabonate", en: "Unsubscribed")
        }
    }
}

/// A campaign's report: its recipients, who is in each of the report's lists,
/// and each link clicked — by how many recipients, how many times, and by whom.
public struct CampaignReport: Sendable {
    public struct Link: Sendable, Equatable {
        public let url: String
        public let recipients: Int
        public let clicks: Int64
        public init(url: String, recipients: Int, clicks: Int64) { self.url = url; self.recipients = recipients; self.clicks = clicks }
    }

    public let campaign: CampaignDetails
    public let recipients: [CampaignRecipientRecord]
    /// The links clicked, the most clicked first.
    public let links: [Link]
    let unsubscribed: Set<String>
    /// For each link, each recipient's (row id) clicks on it.
    let clicksByLink: [String: [Int64: Int64]]

    public func members(_ list: CampaignReportList) -> [CampaignRecipientRecord] {
        switch list {
        case .contacts: return recipients
        case .sent: return recipients.filter { $0.state == RecipientState.sent.rawValue }
        case .opened: return recipients.filter { $0.opens > 0 || $0.clicks > 0 }
        case .clicked: return recipients.filter { $0.clicks > 0 }
        case .bounced: return recipients.filter { $0.state == RecipientState.bounced.rawValue }
        case .unsubscribed: return recipients.filter { unsubscribed.contains($0.emailKey) }
        }
    }

    /// Those who clicked one link, with their clicks on it.
    public func clickers(of url: String) -> [(recipient: CampaignRecipientRecord, clicks: Int64)] {
        let byRecipient = clicksByLink[url] ?? [:]
        return recipients.compactMap { r in byRecipient[r.meta!.id].map { (r, $0) } }
    }
}

extension CRM {
    /// A campaign's report: counts and lists, and clicks per link.
    public func campaignReport(_ name: String, for actor: Actor) throws -> CampaignReport {
        try policy.authorize(actor, .view, .accounts)
        return try read { r in
            let campaign = try CampaignRules.resolve(name, in: r)
            let id = campaign.meta!.id
            let recipients = try r.fetchAll(CampaignRecipientRecord.self, matching: ["campaign_id": .int(id)])
            let unsubscribed = Set(try r.fetchAll(SuppressionRecord.self, matching: ["reason": .text(SuppressionReason.unsubscribed.rawValue)])
                .map(\.emailKey))
            var byLink: [String: [Int64: Int64]] = [:]
            for click in try r.fetchAll(CampaignClickRecord.self, matching: ["campaign_id": .int(id)]) {
                byLink[click.url, default: [:]][click.recipientID, default: 0] += click.clicks
            }
            let links = byLink.map { CampaignReport.Link(url: $0.key, recipients: $0.value.count, clicks: $0.value.values.reduce(0, +)) }
                .sorted { ($0.recipients, $0.clicks, $1.url) > ($1.recipients, $1.clicks, $0.url) }
            return CampaignReport(campaign: try CampaignRules.details(campaign, in: r), recipients: recipients, links: links,
                                  unsubscribed: unsubscribed, clicksByLink: byLink)
        }
    }
}
