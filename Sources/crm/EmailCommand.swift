import ArgumentParser
import CRMCore
import CRMDocuments
import CRMMail
import CRMStore
import TUIKit
import Foundation

/// `crm email`: Setări e-mail and sending a message (with files, or an offer's PDF).
struct EmailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "email", abstract: "E-mail: the settings (SMTP or sendmail, the sender) and sending a message.",
        subcommands: [Settings.self, Send.self, Template.self])

    /// `crm email template`: named subjects and bodies with placeholders (OFF-3).
    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "E-mail templates: a subject and a body with placeholders ({{client.name}}, {{offer.number}}…), in the offer templates' light formatting or HTML.",
            subcommands: [List.self, Show.self, Add.self, Edit.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The templates.")
            @OptionGroup var database: DatabaseOptions
            func run() throws {
                let s = try Session.open(database)
                let all = try s.crm.emailTemplates(includingRetired: true, for: s.actor)
                s.print(TextTable(headers: [s.t("Nume", "Name"), s.t("Subiect", "Subject"), s.t("Retras", "Retired")],
                                  rows: all.map { [$0.name, $0.subject, $0.retired ? s.t("da", "yes") : ""] }).render())
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A template; with --client, filled for that client (and --offer) as text.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The template's name.") var name: String
            @Option(help: "Fill it for this client (code, CUI, name).") var client: String?
            @Option(help: "…and this offer.") var offer: String?
            @Option(name: [.customShort("o"), .customLong("output")], help: "Save the body to this .html file instead.") var file: String?
            func run() throws {
                let s = try Session.open(database)
                let template = try s.crm.emailTemplate(name, for: s.actor)
                if let file {
                    try template.body.write(toFile: file, atomically: true, encoding: .utf8)
                    s.print(s.t("Corpul șablonului scris în \(file)", "The template's body written to \(file)"))
                    return
                }
                guard client != nil || offer != nil else {
                    s.print(s.t("Subiect: ", "Subject: ") + template.subject + "\n\n" + template.body)
                    return
                }
                let filled = try Send.compose(template, client: client, offer: offer, s)
                s.print(s.t("Subiect: ", "Subject: ") + filled.subject + "\n\n" + filled.text)
            }
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a template (administrators); the body from --body or a file (.html or text).")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The name.") var name: String
            @Option(help: "The subject.") var subject: String
            @Option(help: "The body.") var body: String?
            @Option(help: "The body from a file (.html is sent as HTML).") var bodyFile: String?
            func run() throws {
                let s = try Session.open(database)
                let text = try bodyFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? body ?? ""
                let added = try s.crm.addEmailTemplate(name: name, subject: subject, body: text, by: s.actor)
                s.print(s.t("Șablon adăugat: ", "Template added: ") + added.name)
            }
        }

        struct Edit: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Change a template's subject or body, or retire it (--retire, --restore).")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The name.") var name: String
            @Option(help: "The subject.") var subject: String?
            @Option(help: "The body.") var body: String?
            @Option(help: "The body from a file.") var bodyFile: String?
            @Flag(help: "Retire it.") var retire = false
            @Flag(help: "Bring it back.") var restore = false
            func run() throws {
                let s = try Session.open(database)
                let text = try bodyFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? body
                let saved = try s.crm.editEmailTemplate(name, subject: subject, body: text, retired: retire ? true : restore ? false : nil, by: s.actor)
                s.print(s.t("Șablon salvat: ", "Template saved: ") + saved.name)
            }
        }
    }

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or change the e-mail settings: the company's (administrators) or, with --mine, your own (which win for you).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Your own settings instead of the company's.") var mine = false
        @Option(help: "smtp or sendmail.") var transport: String?
        @Option(help: "The SMTP server.") var host: String?
        @Option(help: "Its port (default 587 for starttls, 465 for tls, 25 without).") var port: String?
        @Option(help: "none, starttls or tls.") var security: String?
        @Option(help: "The SMTP login.") var user: String?
        @Flag(help: "Read the SMTP password from standard input (an empty line removes it); it is kept sealed, never in plain text.")
        var passwordStdin = false
        @Option(name: .customLong("from"), help: "The sender's address.") var fromAddress: String?
        @Option(help: "The sender's name.") var fromName: String?
        @Option(help: "Reply-To.") var replyTo: String?
        @Option(help: "The sendmail program (default /usr/sbin/sendmail).") var sendmail: String?

        func run() throws {
            let s = try Session.open(database)
            let all: [(EmailField, String?)] = [(.transport, transport), (.host, host), (.port, port), (.security, security), (.user, user),
                                                (.from, fromAddress), (.fromName, fromName), (.replyTo, replyTo), (.sendmail, sendmail)]
            let changes = Dictionary(uniqueKeysWithValues: all.compactMap { f, v in v.map { (f, $0) } })
            if !changes.isEmpty || passwordStdin {
                let password = passwordStdin ? (readLine(strippingNewline: true) ?? "") : nil
                try s.crm.setEmailSettings(changes, password: password, mine: mine, by: s.actor)
            }
            let (settings, scope) = try s.crm.emailSettings(for: s.actor)
            let rows: [(String, String)] = [
                (s.t("Setările", "Settings"), scope == "user" ? s.t("ale dvs.", "yours") : scope == "company" ? s.t("ale firmei", "the company's") : "—"),
                ("transport", settings.transport), ("host", settings.host ?? ""), ("port", settings.port.map(String.init) ?? ""),
                ("security", settings.security), ("user", settings.user ?? ""), ("password", settings.hasPassword ? "••••••••" : ""),
                ("from", settings.from ?? ""), ("fromName", settings.fromName ?? ""), ("replyTo", settings.replyTo ?? ""), ("sendmail", settings.sendmail),
            ]
            if output.json {
                s.printJSON(.object(rows.dropFirst().map { ($0.0, .string($0.1)) } + [("scope", .string(scope))]))
                return
            }
            s.print(RecordSheet(rows).render())
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a message with your e-mail settings: text (and HTML), files, an offer's PDF.")
        @OptionGroup var database: DatabaseOptions
        @Option(name: .customLong("to"), help: "A recipient: ion@firma.ro or \"Ion Pop <ion@firma.ro>\"; repeat for more (default: the client's primary contact).") var to: [String] = []
        @Option(help: "A template (crm email template list): the subject and text unless given.") var template: String?
        @Option(help: "The client the template is filled for (code, CUI, name).") var client: String?
        @Option(help: "A copy to; repeat for more.") var cc: [String] = []
        @Option(help: "The subject.") var subject: String?
        @Option(help: "The text.") var text: String?
        @Option(help: "The text from a file.") var textFile: String?
        @Option(help: "An HTML alternative from a file.") var htmlFile: String?
        @Option(help: "A file to attach; repeat for more.") var attach: [String] = []
        @Option(help: "Attach this offer's PDF (OF-0042).") var offer: String?

        func run() throws {
            let s = try Session.open(database)
            let (settings, _) = try s.crm.emailSettings(for: s.actor)
            guard settings.isComplete, let from = settings.from else {
                throw CLIError(message: Localized(ro: "setările de e-mail nu sunt complete (server și expeditor): crm email settings",
                                                  en: "the e-mail settings are incomplete (server and sender): crm email settings"))
            }
            var recipients = try to.map(Self.address)
            let copies = try cc.map(Self.address)
            var filled: (subject: String, text: String, html: String)?
            if let template { filled = try Self.compose(try s.crm.emailTemplate(template, for: s.actor), client: client, offer: offer, s) }
            // The client's primary contact when no one is named.
            if recipients.isEmpty, let client, let contact = try s.crm.contacts(ofAccount: client, for: s.actor).first(where: { $0.isPrimary }),
               let email = contact.email {
                recipients = [MailAddress(email, name: contact.name)]
            }
            guard !recipients.isEmpty else {
                throw CLIError(message: Localized(ro: "dați cel puțin un destinatar (--to)", en: "give at least one recipient (--to)"))
            }
            var body = text ?? filled?.text ?? ""
            if let textFile { body = try String(contentsOfFile: textFile, encoding: .utf8) }
            let html = try htmlFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? filled?.html
            guard let subject = subject ?? filled?.subject else {
                throw CLIError(message: Localized(ro: "dați un subiect (--subject) sau un șablon (--template)", en: "give a subject (--subject) or a template (--template)"))
            }
            var files = try attach.map { path -> MailAttachment in
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CLIError(message: Localized(ro: "fișierul «\(path)» nu există sau nu se poate citi", en: "the file «\(path)» does not exist or cannot be read"))
                }
                return MailAttachment(name: URL(fileURLWithPath: path).lastPathComponent, contentType: FileType.mime(of: path) ?? "application/octet-stream", data: [UInt8](data))
            }
            if let offer {
                let details = try s.crm.offer(offer, for: s.actor)
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("crm-offer-\(getpid()).pdf").path
                defer { try? FileManager.default.removeItem(atPath: path) }
                _ = try OfferCommand.writePDF(details, to: path, fontFile: nil, s)
                files.append(MailAttachment(name: s.t("Oferta", "Offer") + "-" + details.record.label + ".pdf", contentType: "application/pdf",
                                            data: [UInt8](FileManager.default.contents(atPath: path) ?? Data())))
            }
            let message = MailMessage(from: MailAddress(from, name: settings.fromName), to: recipients, cc: copies,
                                      replyTo: settings.replyTo.map { MailAddress($0) }, subject: subject, text: body, html: html, attachments: files)
            let transport = try MailTransport(settings, password: try s.crm.emailPassword(settings))
            if case .failure(let error) = transport.send([message])[0] { throw CLIError(message: error.message) }
            s.print(s.t("Trimis către ", "Sent to ") + message.recipients.joined(separator: ", ") + " · " + message.messageID)
        }

        /// A template filled for a client (its primary contact) and an offer, as the sender.
        static func compose(_ template: EmailTemplateRecord, client: String?, offer: String?, _ s: Session) throws
            -> (subject: String, text: String, html: String) {
            let offerDetails = try offer.map { try s.crm.offer($0, for: s.actor) }
            let account = try client.map { try s.crm.account($0, for: s.actor).record } ?? offerDetails?.account
            let contact = try account.flatMap { a in try s.crm.contacts(ofAccount: a.meta!.uuid.description, for: s.actor).first { $0.isPrimary }?.name }
            let user = try s.crm.users().first { $0.meta?.id == s.actor.id }
            return EmailComposer.compose(template, client: account, contact: contact, user: user, company: try s.crm.companyProfile(),
                                         offer: offerDetails, day: CalendarDate.today.iso, language: s.lang)
        }

        /// "Ion Pop <ion@firma.ro>" or a bare address, checked.
        static func address(_ text: String) throws -> MailAddress {
            var name: String?, email = text.trimmingCharacters(in: .whitespaces)
            if let open = email.lastIndex(of: "<"), email.hasSuffix(">") {
                name = String(email[..<open]).trimmingCharacters(in: CharacterSet(charactersIn: " \""))
                email = String(email[email.index(after: open)..<email.index(before: email.endIndex)])
            }
            guard let normal = Email.normalize(email) else {
                throw CLIError(message: Localized(ro: "«\(text)» nu este o adresă de e-mail", en: "«\(text)» is not an e-mail address"))
            }
            return MailAddress(normal, name: name)
        }
    }
}

extension MailTransport {
    /// The transport the settings describe, with the password unsealed.
    init(_ settings: EmailSettings, password: String?) throws {
        if settings.transport == "sendmail" {
            self = .sendmail(path: settings.sendmail)
            return
        }
        guard let host = settings.host else {
            throw CLIError(message: Localized(ro: "lipsește serverul SMTP: crm email settings --host", en: "no SMTP server: crm email settings --host"))
        }
        let security = Security(rawValue: settings.security) ?? .starttls
        self = .smtp(host: host, port: settings.port ?? (security == .tls ? 465 : security == .starttls ? 587 : 25), security: security,
                     user: settings.user, password: password, timeout: 15)
    }
}

