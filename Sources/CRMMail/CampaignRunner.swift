import CRMCore
import CRMStore
import Foundation

/// Sends a running campaign (`crm campaign run`): one recipient at a time,
/// each claimed in the database ("sending", committed) before its message
/// leaves and marked after, over one reused connection, one message per the
/// campaign's interval. A refusal for now (4xx, or no server) queues the
/// recipient again after a growing pause — never dropped, the campaign not
/// finished while any is queued; a refusal for good (5xx) bounces it and
/// suppresses the address. Stopped at any moment (even kill -9), at most the
/// one recipient in hand stays "sending": it is reported, never sent again by
/// itself (`crm campaign resolve`).
public struct CampaignRunner: Sendable {
    public let crm: CRM
    public let actor: Actor
    /// The pause before the first retry of a deferred recipient (milliseconds); it doubles, up to 10 minutes.
    public let retryAfter: Int64

    public init(crm: CRM, actor: Actor, retryAfter: Int64 = 5_000) { self.crm = crm; self.actor = actor; self.retryAfter = retryAfter }

    /// The pause before the n-th retry: `retryAfter` doubling, at most 10 minutes.
    public func backoff(attempt: Int64) -> Int64 { min(600_000, retryAfter << min(7, max(0, attempt - 1))) }

    public struct Summary: Sendable, Equatable {
        public var sent = 0, deferred = 0, bounced = 0
        public var finished = false
        /// Recipients found "sending" at the start (a sender stopped while they were in hand).
        public var uncertain = 0
    }

    /// Runs until the campaign is finished, paused or cancelled, or `shouldStop`
    /// says so — over `connections` connections at once (each keeps the
    /// interval between its own messages; the database hands each recipient to one).
    public func run(_ name: String, connections: Int = 1, log: @escaping @Sendable (String) -> Void = { _ in },
                    shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> Summary {
        let campaign = try crm.campaign(name, for: actor)
        let uncertain = campaign.count(.sending)
        if uncertain > 0 {
            log("\(uncertain) recipient(s) were being sent when a sender stopped; they are left for a decision: crm campaign resolve")
        }
        let (settings, _) = try crm.emailSettings(for: actor)
        let transport = try MailTransport(settings, password: try crm.emailPassword(settings))
        let tracking = try crm.trackingURL().map { ($0, try TrackingSigner(databasePath: crm.store.path)) }
        guard connections > 1 else {
            var summary = try loop(campaign, session: transport.session(), settings: settings, tracking: tracking, log: log, shouldStop: shouldStop)
            summary.uncertain = uncertain
            return summary
        }
        let shared = Shared()
        let group = DispatchGroup()
        for _ in 0..<connections {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let part = try self.loop(campaign, session: transport.session(), settings: settings, tracking: tracking, log: log,
                                             shouldStop: { shouldStop() || shared.failed })
                    shared.add(part)
                } catch {
                    shared.fail(error)
                }
            }
            thread.start()
        }
        group.wait()
        if let failure = shared.failure { throw failure }
        var total = shared.total
        total.uncertain = uncertain
        // Several connections: whichever ended last may not have seen the end; look again.
        total.finished = try total.finished || crm.finishCampaignIfDone(campaign.record.meta!.id, by: actor)
        return total
    }

    /// What the connections' threads add up, under a lock.
    final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var sum = Summary()
        private var error: (any Error)?
        func add(_ part: Summary) {
            lock.withLock {
                sum.sent += part.sent; sum.deferred += part.deferred; sum.bounced += part.bounced
                sum.finished = sum.finished || part.finished
            }
        }
        func fail(_ e: any Error) { lock.withLock { error = error ?? e } }
        var failed: Bool { lock.withLock { error != nil } }
        var failure: (any Error)? { lock.withLock { error } }
        var total: Summary { lock.withLock { sum } }
    }

    /// One connection's sending loop.
    private func loop(_ campaign: CampaignDetails, session: MailSession, settings: EmailSettings, tracking: (String, TrackingSigner)?,
                      log: @Sendable (String) -> Void, shouldStop: @Sendable () -> Bool) throws -> Summary {
        var summary = Summary()
        let id = campaign.record.meta!.id, name = campaign.name
        let from = MailboxAddress.parse(campaign.record.sender) ?? MailboxAddress(campaign.record.sender)
        var last: Date?
        while !shouldStop() {
            guard let recipient = try crm.claimRecipient(campaign: id, by: actor) else {
                if try crm.finishCampaignIfDone(id, by: actor) { summary.finished = true; break }
                let current = try crm.campaign(name, for: actor)
                guard current.status == .running else { break }
                // Only deferred ones (or the uncertain) are left: wait for the next one due.
                guard let due = try crm.nextRetry(campaign: id) else { break }
                let wait = max(50, min(1_000, due - crm.store.now))
                usleep(useconds_t(wait * 1_000))
                continue
            }
            if let last, campaign.record.intervalMs > 0 {
                let left = Double(campaign.record.intervalMs) / 1000 - Date().timeIntervalSince(last)
                if left > 0 { usleep(useconds_t(left * 1_000_000)) }
            }
            last = Date()
            let message = self.message(campaign.record, to: recipient, from: from, settings: settings, tracking: tracking)
            switch session.send(message) {
            case .success:
                try crm.recordRecipient(recipient.meta!.id, .sent(messageID: message.messageID), by: actor)
                summary.sent += 1
            case .failure(let error) where error.isTemporary:
                let retry = crm.store.now + backoff(attempt: recipient.attempts)
                try crm.recordRecipient(recipient.meta!.id, .deferred(reply: error.message.en, retryAt: retry), by: actor)
                summary.deferred += 1
                log("\(recipient.email): deferred (\(error.reply.map(String.init) ?? "no server")); again in \(backoff(attempt: recipient.attempts)) ms")
            case .failure(let error):
                try crm.recordRecipient(recipient.meta!.id, .bounced(reply: error.message.en), by: actor)
                summary.bounced += 1
                log("\(recipient.email): bounced (\(error.reply.map(String.init) ?? ""))")
            }
        }
        return summary
    }

    /// The campaign's message for one recipient: the placeholders filled with
    /// the recipient's name and account; with `crm serve`'s address its links
    /// tracked and an open pixel; always an unsubscribe link in the footer and
    /// List-Unsubscribe headers (RFC 2369; one-click, RFC 8058, over http(s)).
    func message(_ campaign: CampaignRecord, to recipient: CampaignRecipientRecord, from: MailboxAddress, settings: EmailSettings,
                 tracking: (base: String, signer: TrackingSigner)?) -> MailMessage {
        let account = recipient.accountID.flatMap { id in try? crm.accountName(id: id) } ?? ""
        let values = ["client.name": account, "client.contact": recipient.name ?? "", "date": String(Timestamp.local(crm.store.now).prefix(10))]
        let uuid = recipient.meta!.uuid.description
        let mailto = "mailto:\(from.email)?subject=unsubscribe"
        let unsubscribe = tracking.map { $0.base + TrackedHTML.unsubscribePath + $0.signer.token(.unsubscribe(recipient: uuid)) } ?? mailto
        var text = TemplateText.fill(campaign.text, values)
        text += "\n\n--\nDezabonare / Unsubscribe: " + unsubscribe + "\n"
        // Into HTML the values go escaped (a name with & or < stays text).
        let escaped = values.mapValues(TrackedHTML.escape)
        var html = campaign.html.map { TemplateText.fill($0, escaped) } ?? (tracking == nil ? nil : TrackedHTML.html(ofText: TemplateText.fill(campaign.text, values)))
        if let tracking, let body = html { html = TrackedHTML.instrument(body, email: uuid, baseURL: tracking.base, signer: tracking.signer) }
        if let body = html {
            let footer = "<p style=\"font-size:12px;color:#666666\"><a href=\"\(unsubscribe)\">Dezabonare / Unsubscribe</a></p>"
            if let close = body.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
                var withFooter = body
                withFooter.insert(contentsOf: footer, at: close.lowerBound)
                html = withFooter
            } else {
                html = body + footer
            }
        }
        var message = MailMessage(from: MailAddress(from.email, name: from.name), to: [MailAddress(recipient.email, name: recipient.name)],
                                  replyTo: settings.replyTo.map { MailAddress($0) }, subject: TemplateText.fill(campaign.subject, values),
                                  text: text, html: html, entry: uuid)
        message.envelopeFrom = settings.envelopeSender(recipient: uuid)
        message.headers.append(["List-Unsubscribe", (tracking == nil ? "" : "<\(unsubscribe)>, ") + "<\(mailto)>"])
        if tracking != nil { message.headers.append(["List-Unsubscribe-Post", "List-Unsubscribe=One-Click"]) }
        return message
    }
}
