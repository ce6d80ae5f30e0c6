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
        subcommands: [Settings.self, Send.self, List.self, Show.self, Retry.self, Template.self])

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
        @Option(help: "Where campaigns' bounces go, e.g. bounces@firma.ro: each message leaves from bounces+RECIPIENT@firma.ro (VERP).") var bounces: String?

        func run() throws {
            let s = try Session.open(database)
            let all: [(EmailField, String?)] = [(.transport, transport), (.host, host), (.port, port), (.security, security), (.user, user),
                                                (.from, fromAddress), (.fromName, fromName), (.replyTo, replyTo), (.sendmail, sendmail), (.bounces, bounces)]
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
                ("bounces", settings.bounces ?? ""),
            ]
            if output.json {
                s.printJSON(.object(rows.dropFirst().map { ($0.0, .string($0.1)) } + [("scope", .string(scope))]))
                return
            }
            s.print(RecordSheet(rows).render())
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a message with your e-mail settings: text (and HTML), files, an offer's PDF. With --client, --opportunity or --offer it is stored in that account's history first, then sent; a failure stays there with its reason (crm email retry).")
        @OptionGroup var database: DatabaseOptions
        @Option(name: .customLong("to"), help: "A recipient: ion@firma.ro or \"Ion Pop <ion@firma.ro>\"; repeat for more (default: the client's primary contact).") var to: [String] = []
        @Option(help: "A template (crm email template list): the subject and text unless given.") var template: String?
        @Option(help: "The client (code, CUI, name): the template is filled for it and the e-mail goes in its history.") var client: String?
        @Option(help: "The opportunity or activity (UUID or #id) the e-mail is about: in its history.") var opportunity: String?
        @Option(help: "A copy to; repeat for more.") var cc: [String] = []
        @Option(help: "The subject.") var subject: String?
        @Option(help: "The text.") var text: String?
        @Option(help: "The text from a file.") var textFile: String?
        @Option(help: "An HTML alternative from a file.") var htmlFile: String?
        @Option(help: "A file to attach; repeat for more.") var attach: [String] = []
        @Option(help: "Attach this offer's PDF (OF-0042); the e-mail goes in its opportunity's history.") var offer: String?

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
                recipients = [MailboxAddress(email, name: contact.name)]
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
            var files = try attach.map { path -> NoteAttachment in
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CLIError(message: Localized(ro: "fișierul «\(path)» nu există sau nu se poate citi", en: "the file «\(path)» does not exist or cannot be read"))
                }
                return NoteAttachment(name: URL(fileURLWithPath: path).lastPathComponent, data: [UInt8](data))
            }
            if let offer { files.append(try EmailComposer.offerPDF(try s.crm.offer(offer, for: s.actor), crm: s.crm, actor: s.actor, day: CalendarDate.today.iso, language: s.lang)) }
            if client != nil || opportunity != nil || offer != nil {
                let draft = EmailDraft(account: client, item: opportunity, offer: offer, to: recipients.map(\.text), cc: copies.map(\.text),
                                       subject: subject, text: body, html: html, files: files)
                let sent = try EmailSender(crm: s.crm, actor: s.actor).send(draft)
                if let failure = sent.record.failure(s.lang) {
                    throw CLIError(message: Localized(ro: "e-mailul #\(sent.record.meta!.id) nu a fost trimis: \(failure) (crm email retry \(sent.record.meta!.id))",
                                                      en: "the e-mail #\(sent.record.meta!.id) was not sent: \(failure) (crm email retry \(sent.record.meta!.id))"))
                }
                s.print(s.t("Trimis către ", "Sent to ") + sent.record.recipients + " · #\(sent.record.meta!.id) · " + (sent.record.messageID ?? ""))
                return
            }
            let message = MailMessage(from: MailAddress(from, name: settings.fromName), to: recipients.map { MailAddress($0.email, name: $0.name) },
                                      cc: copies.map { MailAddress($0.email, name: $0.name) }, replyTo: settings.replyTo.map { MailAddress($0) },
                                      subject: subject, text: body, html: html,
                                      attachments: files.map { MailAttachment(name: $0.name, contentType: FileType.mime(of: $0.name) ?? "application/octet-stream", data: $0.data) })
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
        static func address(_ text: String) throws -> MailboxAddress {
            guard let address = MailboxAddress.parse(text) else {
                throw CLIError(message: Localized(ro: "«\(text)» nu este o adresă de e-mail", en: "«\(text)» is not an e-mail address"))
            }
            return address
        }
    }

    /// `crm email list`: the e-mails of the history.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "E-mails newest first: of a client, of an opportunity, in one status; whether they were opened.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this client's.") var client: String?
        @Option(help: "Only this opportunity's or activity's.") var opportunity: String?
        @Option(help: "sending, sent or failed.") var status: String?
        @Option(help: "Words in the subject, the recipients or the client's name (diacritics and case aside).") var search: String?
        @Option(help: "At most this many (0: all).") var limit = 200
        @Option(name: [.customShort("o"), .customLong("output")], help: "Export the list to this .xlsx or .csv file instead.") var file: String?
        func run() throws {
            let s = try Session.open(database)
            let state = try status.map { text -> EmailStatus in
                guard let found = EmailStatus(rawValue: text) else {
                    throw CLIError(message: Localized(ro: "starea «\(text)» nu există: sending, sent sau failed", en: "no status «\(text)»: sending, sent or failed"))
                }
                return found
            }
            let emails = try s.crm.emails(account: client, item: opportunity, status: state, search: search, limit: limit, for: s.actor)
            let headers = ["#", s.t("Data", "Date"), s.t("Cont", "Account"), s.t("Către", "To"), s.t("Subiect", "Subject"),
                           s.t("Stare", "Status"), s.t("Urmărire", "Tracking"), s.t("Deschideri", "Opens"), s.t("Clicuri", "Clicks")]
            let rows = emails.map { e -> [String] in
                let r = e.record
                return ["\(r.meta!.id)", Timestamp.local(r.meta!.createdAt).prefix(16).description, e.account, r.recipients, r.subject,
                        r.state.label.text(s.lang) + (r.failure(s.lang).map { ": " + $0 } ?? ""),
                        r.state == .sent ? r.tracking.label.text(s.lang) : "", "\(r.opens)", "\(r.clicks)"]
            }
            if let file {
                try s.crm.policy.authorize(s.actor, .export, .accounts)
                guard let format = ExportFormat(path: file) else {
                    throw CLIError(message: Localized(ro: "numiți fișierul .xlsx sau .csv", en: "name the file .xlsx or .csv"))
                }
                try TableExport.rows(rows.map { $0.map(CellValue.text) }, labels: headers, widths: [8, 17, 30, 36, 40, 30, 14, 10, 10],
                                     sheet: s.t("E-mailuri", "E-mails"), format: format, to: file, language: s.lang)
                s.print(s.t("\(emails.count) e-mailuri exportate în \(file)", "\(emails.count) e-mails exported to \(file)"))
                return
            }
            if output.json { s.printJSON(.array(emails.map { Self.json($0, s) })); return }
            s.print(TextTable(headers: headers, rows: rows).render())
        }

        static func json(_ e: EmailDetails, _ s: Session) -> JSONDocument {
            let r = e.record
            let head: [(String, JSONDocument)] = [
                ("id", .int(r.meta!.id)), ("uuid", .string(e.uuid)), ("account", .string(e.account)), ("from", .string(r.sender)),
                ("to", .string(r.recipients)), ("cc", .optional(r.cc)), ("subject", .string(r.subject)),
            ]
            let state: [(String, JSONDocument)] = [
                ("status", .string(r.status)), ("error", .optional(r.failure(s.lang))), ("attempts", .int(r.attempts)),
                ("messageId", .optional(r.messageID)), ("opens", .int(r.opens)), ("clicks", .int(r.clicks)),
                ("tracking", .string(r.state == .sent ? "\(r.tracking)" : "")), ("files", .array(e.files.map { .string($0.name) })),
                ("createdBy", .optional(e.createdBy)),
            ]
            return .object(head + state)
        }
    }

    /// `crm email show`: one e-mail as it was stored.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One e-mail (#id or UUID): its headers, status and text.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The e-mail.") var ref: String
        func run() throws {
            let s = try Session.open(database)
            let e = try s.crm.email(Self.reference(ref), for: s.actor)
            if output.json { s.printJSON(List.json(e, s)); return }
            let r = e.record
            var rows: [(String, String)] = [
                (s.t("Cont", "Account"), e.account), (s.t("De la", "From"), r.sender), (s.t("Către", "To"), r.recipients),
                ("Cc", r.cc ?? ""), (s.t("Subiect", "Subject"), r.subject),
                (s.t("Stare", "Status"), r.state.label.text(s.lang) + (r.failure(s.lang).map { ": " + $0 } ?? "")),
                (s.t("Încercări", "Attempts"), "\(r.attempts)"),
            ]
            if r.state == .sent {
                rows.append((s.t("Urmărire", "Tracking"), r.tracking.label.text(s.lang) + s.t(" · deschideri \(r.opens) · clicuri \(r.clicks)", " · opens \(r.opens) · clicks \(r.clicks)")))
            }
            if !e.files.isEmpty { rows.append((s.t("Fișiere", "Files"), e.files.map(\.name).joined(separator: ", "))) }
            s.print(RecordSheet(rows).render() + "\n\n" + r.text)
        }

        /// A bare number is an #id.
        static func reference(_ ref: String) -> String { Int(ref) != nil ? "#" + ref : ref }
    }

    /// `crm email retry`: a failed e-mail sent again.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send again an e-mail that failed (#id or UUID); the outcome is written on its history entry.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The e-mail.") var ref: String
        func run() throws {
            let s = try Session.open(database)
            let sent = try EmailSender(crm: s.crm, actor: s.actor).retry(Show.reference(ref))
            if let failure = sent.record.failure(s.lang) {
                throw CLIError(message: Localized(ro: "e-mailul #\(sent.record.meta!.id) nu a fost trimis: \(failure)", en: "the e-mail #\(sent.record.meta!.id) was not sent: \(failure)"))
            }
            s.print(s.t("Trimis către ", "Sent to ") + sent.record.recipients + " · #\(sent.record.meta!.id)")
        }
    }
}
