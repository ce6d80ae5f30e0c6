import CRMCore
import Foundation

/// Sends e-mails stored in the history (OFF-4): the stored message becomes
/// MIME with its files and an X-CRM-Entry header naming the entry; when
/// `crm serve` has a public address its links are tracked and it carries an
/// open pixel. The outcome — sent, or failed with the reason — is written on
/// the entry, so a failure is seen in the history and can be sent again.
public struct EmailSender: Sendable {
    public let crm: CRM
    public let actor: Actor

    public init(crm: CRM, actor: Actor) { self.crm = crm; self.actor = actor }

    /// Stores the draft, then sends it: the entry exists before the first byte leaves.
    @discardableResult
    public func send(_ draft: EmailDraft) throws -> EmailDetails {
        let stored = try crm.recordEmail(draft, by: actor)
        return try deliver(stored)
    }

    /// Sends a stored e-mail again (after a failure, or one left "sending" by a stopped process).
    @discardableResult
    public func retry(_ ref: String) throws -> EmailDetails {
        try deliver(crm.beginSending(ref, by: actor))
    }

    /// The message as it leaves for this stored e-mail (tracked when the service has an address).
    public func message(for email: EmailDetails) throws -> MailMessage {
        let r = email.record
        let from = MailboxAddress.parse(r.sender) ?? MailboxAddress(r.sender)
        let (settings, _) = try crm.emailSettings(for: actor)
        var html = r.html
        if let base = try crm.trackingURL() {
            let signer = try TrackingSigner(databasePath: crm.store.path)
            html = TrackedHTML.instrument(html ?? TrackedHTML.html(ofText: r.text), email: email.uuid, baseURL: base, signer: signer)
        }
        let files = try crm.emailFiles(email.uuid, for: actor).map {
            MailAttachment(name: $0.name, contentType: FileType.mime(of: $0.name) ?? "application/octet-stream", data: $0.data)
        }
        func addresses(_ list: String?) -> [MailAddress] {
            ((try? MailboxAddress.list(list ?? "", field: "to")) ?? []).map { MailAddress($0.email, name: $0.name) }
        }
        return MailMessage(from: MailAddress(from.email, name: from.name), to: addresses(r.recipients), cc: addresses(r.cc),
                           replyTo: settings.replyTo.map { MailAddress($0) }, subject: r.subject, text: r.text, html: html,
                           attachments: files, entry: email.uuid)
    }

    /// Sends an e-mail already stored (by `recordEmail` or `beginSending`) and writes the outcome on it.
    @discardableResult
    public func deliver(_ email: EmailDetails) throws -> EmailDetails {
        let failure: Localized?
        var messageID = ""
        do {
            let message = try message(for: email)
            messageID = message.messageID
            let (settings, _) = try crm.emailSettings(for: actor)
            let transport = try MailTransport(settings, password: try crm.emailPassword(settings))
            switch transport.send([message])[0] {
            case .success: failure = nil
            case .failure(let error): failure = error.message
            }
        } catch let error as CoreError {
            failure = Localized(ro: error.message(.ro), en: error.message(.en))
        }
        try crm.recordEmailOutcome(email.uuid, messageID: messageID, failure: failure, by: actor)
        return try crm.email(email.uuid, for: actor)
    }
}

extension MailTransport {
    /// The transport the settings describe, with the password unsealed.
    public init(_ settings: EmailSettings, password: String?) throws {
        if settings.transport == "sendmail" {
            self = .sendmail(path: settings.sendmail)
            return
        }
        guard let host = settings.host else {
            throw CoreError.refused(Localized(ro: "lipsește serverul SMTP: Setări e-mail (crm email settings --host)",
                                              en: "no SMTP server: the e-mail settings (crm email settings --host)"))
        }
        let security = Security(rawValue: settings.security) ?? .starttls
        self = .smtp(host: host, port: settings.port ?? (security == .tls ? 465 : security == .starttls ? 587 : 25), security: security,
                     user: settings.user, password: password, timeout: 15)
    }
}
