import CRMCore
import CRMDocuments
import CRMMail
import CRMStore
import CRMText
import Foundation
import TUIKit

/// Trimitere e-mail from an account or an opportunity (OFF-4), the e-mails in
/// the histories (yellow not opened, green opened, blue a link clicked, red
/// failed with its reason and sent again with R), and the e-mail templates
/// (OFF-3): written in $EDITOR, loaded from and saved to .html files, previewed.
extension AccountBrowser {
    // MARK: - Sending

    /// The dialog of a new e-mail: on the chosen opportunity (or activity of
    /// its page), else on the selected account; To is its primary contact.
    mutating func openSendEmail() {
        let item = chosenOpportunity ?? items?.selectedItem
        guard let account = item?.account ?? selectedAccount?.record, let uuid = account.meta?.uuid.description else {
            message = t("Alegeți întâi un cont sau o oportunitate", "Choose an account or an opportunity first")
            return
        }
        let (crm, actor) = (self.crm, self.actor)
        guard let settings = attempt(nil, { try crm.emailSettings(for: actor).settings }) else { return }
        guard settings.isComplete else {
            message = t("Completați întâi Setări e-mail (serverul și expeditorul)", "Fill in the e-mail settings first (the server and the sender)")
            return
        }
        let templates = attempt([]) { try crm.emailTemplates(for: actor) }
        let offers = attempt([]) { try crm.offers(item: item?.uuid, account: item == nil ? uuid : nil, limit: 0, for: actor) }
        let contacts = attempt([]) { try crm.contacts(ofAccount: uuid, for: actor) }.filter { !($0.email ?? "").isEmpty }
        let primary = contacts.first { $0.isPrimary } ?? contacts.first
        var form = Form(fields: [
            FormField(id: "template", label: t("Șablon", "Template"),
                      kind: .choice([FormField.Choice("", "—")] + templates.map { FormField.Choice($0.name) })),
            FormField(id: "offer", label: t("Atașare ofertă (PDF)", "Attach an offer (PDF)"),
                      kind: .choice([FormField.Choice("", "—")] + offers.map {
                          FormField.Choice($0.uuid, $0.record.label + " · " + Money.text($0.record.total) + " " + $0.record.currency)
                      }), value: item != nil ? offers.first?.uuid ?? "" : ""),
            FormField(id: "to", label: t("Către (F3: contactele)", "To (F3: the contacts)"),
                      value: primary.map { MailboxAddress($0.email ?? "", name: $0.name).text } ?? "", mandatory: true),
            FormField(id: "cc", label: t("Cc (F3: contactele)", "Cc (F3: the contacts)")),
            FormField(id: "subject", label: t("Subiect", "Subject"), mandatory: true),
            FormField(id: "text", label: t("Mesaj (F4: în $EDITOR)", "Message (F4: in $EDITOR)"), kind: .multiline(rows: 8)),
            FormField(id: "file", label: t("Fișier atașat (F3 completează)", "Attached file (F3 completes)")),
        ])
        form.message = t("**aldin** *cursiv*; un șablon completează subiectul și mesajul. Se păstrează în istoric, apoi se trimite.",
                         "**bold** *italic*; a template fills the subject and message. Kept in the history, then sent.")
        overlay = .dialog(Dialog(title: Localized(ro: "Trimitere e-mail — \(account.name)", en: "Send e-mail — \(account.name)"),
                                 purpose: .sendEmail(account: uuid, item: item?.uuid, filled: ""), form: form, language: language))
    }

    /// A template or offer chosen in the e-mail dialog: the subject and the
    /// message filled for the account (its primary contact) and the offer.
    mutating func refillEmail(_ dialog: inout Dialog) {
        guard case .sendEmail(let account, let item, let filled) = dialog.purpose else { return }
        let chosen = dialog.form.value("template") + "\u{1F}" + dialog.form.value("offer")
        guard chosen != filled else { return }
        dialog.purpose = .sendEmail(account: account, item: item, filled: chosen)
        let name = dialog.form.value("template"), offer = dialog.form.value("offer")
        guard !name.isEmpty else { return }
        let (crm, actor, language) = (self.crm, self.actor, self.language)
        do {
            let template = try crm.emailTemplate(name, for: actor)
            let client = try crm.account(account, for: actor).record
            let contact = try crm.contacts(ofAccount: account, for: actor).first { $0.isPrimary }?.name
            let user = try crm.users().first { $0.meta?.id == actor.id }
            let details = try offer.isEmpty ? nil : crm.offer(offer, for: actor)
            let filled = EmailComposer.fill(template, client: client, contact: contact, user: user, company: try crm.companyProfile(),
                                            offer: details, day: CalendarDate.today.iso, language: language)
            dialog.form.set("subject", filled.subject)
            dialog.form.set("text", filled.body)
        } catch {
            dialog.form.message = describe(error)
        }
    }

    /// F3 in To or Cc: the next of the account's contacts' addresses not yet in either.
    mutating func addContactAddress(_ dialog: inout Dialog, field: String) {
        guard case .sendEmail(let account, _, _) = dialog.purpose else { return }
        let (crm, actor) = (self.crm, self.actor)
        let present = Set(((try? MailboxAddress.list(dialog.form.value("to") + "," + dialog.form.value("cc"), field: field)) ?? []).map { $0.email.lowercased() })
        let next = attempt([]) { try crm.contacts(ofAccount: account, for: actor) }
            .compactMap { c in c.email.map { MailboxAddress($0, name: c.name) } }
            .first { !present.contains($0.email.lowercased()) }
        guard let next else {
            dialog.form.message = t("Toate adresele contactelor sunt deja în listă", "Every contact's address is already listed")
            return
        }
        let current = dialog.form.value(field).trimmingCharacters(in: .whitespaces)
        dialog.form.set(field, current.isEmpty ? next.text : current + ", " + next.text)
    }

    /// Sends the dialog's e-mail: stored first (what is wrong keeps the dialog
    /// open, named under its field), then sent in the background; its outcome is
    /// in the history.
    mutating func sendEmail(_ dialog: inout Dialog, account: String, item: String?) throws {
        let (crm, actor, language, form) = (self.crm, self.actor, self.language, dialog.form)
        guard var files = attachedFile(&dialog) else { return }
        let offer = form.value("offer")
        if !offer.isEmpty {
            files.insert(try EmailComposer.offerPDF(try crm.offer(offer, for: actor), crm: crm, actor: actor, day: CalendarDate.today.iso,
                                                    language: language), at: 0)
        }
        let body = EmailComposer.render(form.value("text"))
        let stored = try crm.recordEmail(EmailDraft(account: account, item: item, offer: offer.isEmpty ? nil : offer, to: [form.value("to")],
                                                    cc: [form.value("cc")], subject: form.value("subject"), text: body.text, html: body.html,
                                                    files: files), by: actor)
        overlay = .progress(Self.deliveryJob(crm, actor, stored: stored))
    }

    /// Sending in the background (the SMTP server may be slow); the message says how it went.
    static func deliveryJob(_ crm: CRM, _ actor: Actor, stored: EmailDetails? = nil, retrying uuid: String? = nil) -> Job {
        let to = stored?.record.recipients ?? ""
        return Job(title: Localized(ro: "Trimitere e-mail", en: "Sending e-mail")) { _ in
            let sender = EmailSender(crm: crm, actor: actor)
            let sent = try stored.map { try sender.deliver($0) } ?? sender.retry(uuid ?? "")
            if sent.record.state == .failed {
                return Localized(ro: "E-mailul nu a fost trimis: \(sent.record.failure(.ro) ?? "") — Enter pe el în istoric, apoi R, îl retrimite",
                                 en: "The e-mail was not sent: \(sent.record.failure(.en) ?? "") — Enter on it in the history, then R, sends it again")
            }
            let whom = to.isEmpty ? sent.record.recipients : to
            return Localized(ro: "E-mail trimis către \(whom)", en: "E-mail sent to \(whom)")
        }
    }

    // MARK: - In the histories

    /// One e-mail's line in a history: what, to whom, and where it is.
    func emailLine(_ e: EmailDetails) -> String {
        let r = e.record
        // Where it is first, so that a narrow pane still shows it; the reason of a failure in the e-mail's view.
        let state: String
        switch r.state {
        case .sent: state = r.tracking.label.text(language) + (r.opens + r.clicks > 0 ? " (\(r.opens)/\(r.clicks))" : "")
        case .failed: state = t("NETRIMIS", "NOT SENT")
        case .sending: state = r.state.label.text(language)
        }
        var parts = [(r.itemID == nil ? "" : "↳ ") + "✉ " + state, r.subject, "→ " + r.recipients]
        if !e.files.isEmpty { parts.append("📎 " + e.files.map(\.name).joined(separator: ", ")) }
        return parts.joined(separator: " · ")
    }

    /// The colour of a history line: e-mails by what became of them.
    func workStyle(_ entry: WorkEntry) -> Style {
        guard case .email(let e) = entry else { return Style() }
        switch e.record.state {
        case .failed: return Style(foreground: .error)
        case .sending: return Style(foreground: .muted)
        case .sent:
            switch e.record.tracking {
            case .notOpened: return Style(foreground: .visited)
            case .opened: return Style(foreground: .opened)
            case .clicked: return Style(foreground: .clicked)
            }
        }
    }

    /// Enter on an e-mail of a history: the message as stored, with its status; R sends a failed one again.
    mutating func showEmail(_ stale: EmailDetails) {
        let (crm, actor) = (self.crm, self.actor)
        guard let e = attempt(nil, { try crm.email(stale.uuid, for: actor) }) else { return }
        let r = e.record
        var lines = [t("De la: ", "From: ") + r.sender, t("Către: ", "To: ") + r.recipients]
        if let cc = r.cc { lines.append("Cc: " + cc) }
        lines += [t("Subiect: ", "Subject: ") + r.subject, t("Scris: ", "Written: ") + Timestamp.local(r.meta!.createdAt) + (e.createdBy.map { " · " + $0 } ?? "")]
        var state = t("Stare: ", "Status: ") + r.state.label.text(language)
        if let sent = r.sentAt { state += " " + Timestamp.local(sent) }
        if let failure = r.failure(language) { state += " — " + failure }
        if r.attempts > 1 { state += t(" (\(r.attempts) încercări)", " (\(r.attempts) attempts)") }
        lines.append(state)
        if r.state == .sent {
            var tracking = t("Urmărire: ", "Tracking: ") + r.tracking.label.text(language)
            if let opened = r.openedAt { tracking += t(" · deschis prima dată ", " · first opened ") + Timestamp.local(opened) + " (\(r.opens))" }
            if let clicked = r.clickedAt { tracking += t(" · link accesat ", " · link clicked ") + Timestamp.local(clicked) + " (\(r.clicks))" }
            lines.append(tracking)
        }
        if !e.files.isEmpty { lines.append(t("Fișiere: ", "Files: ") + e.files.map(\.name).joined(separator: ", ")) }
        let retryable = r.state == .failed
        overlay = .text(TextViewer(title: t("E-mail", "E-mail"), text: (lines + ["", r.text]).joined(separator: "\n"),
                                   hint: retryable ? t("r retrimite · esc închide", "r sends again · esc closes") : t("esc închide", "esc closes"),
                                   retryable: retryable))
        retryingEmail = retryable ? e.uuid : nil
    }

    mutating func updateTextViewer(_ viewer: TextViewer, _ key: Key) {
        var viewer = viewer
        switch viewer.handle(key, visible: TextViewer.visible(height: height)) {
        case .none: overlay = .text(viewer)
        case .close:
            overlay = viewer.back.map { .dialog($0) }
            retryingEmail = nil
            // Opened from an item's view: back onto it.
            if overlay == nil, let uuid = returnToItem { returnToItem = nil; openItemView(uuid) }
            if overlay == nil, dialogReturn != nil { returnFromDialog(nil) }
        case .retry:
            guard let uuid = retryingEmail else { overlay = nil; return }
            retryingEmail = nil
            overlay = .progress(Self.deliveryJob(crm, actor, retrying: uuid))
        }
    }

    // MARK: - Templates (OFF-3)

    /// Setări → Șabloane e-mail: a new one, or one of those there are.
    mutating func openEmailTemplates() {
        let (crm, actor) = (self.crm, self.actor)
        guard let templates = attempt(nil, { try crm.emailTemplates(includingRetired: true, for: actor) }) else { return }
        openTemplateMenu(action: "emailtemplate.open:", new: t("Șablon e-mail nou…", "New e-mail template…"), templates.map { ($0.name, $0.retired) })
    }

    /// A template's dialog: name, subject, body (F4 writes it in $EDITOR, F3
    /// shows it filled for the selected account), an .html file to load the
    /// body from or save it to, and whether it is retired.
    mutating func openEmailTemplate(_ name: String?) {
        let (crm, actor) = (self.crm, self.actor)
        let existing = name.flatMap { n in attempt(nil) { try crm.emailTemplate(n, for: actor) } }
        if name != nil && existing == nil { return }
        var fields = [
            FormField(id: "name", label: t("Nume", "Name"), value: existing?.name ?? "", mandatory: true),
            FormField(id: "subject", label: t("Subiect", "Subject"), value: existing?.subject ?? "", mandatory: true),
            FormField(id: "body", label: t("Corp (F4: $EDITOR · F3: previzualizare)", "Body (F4: $EDITOR · F3: preview)"),
                      kind: .multiline(rows: 10), value: existing?.body ?? ""),
            FormField(id: "load", label: t("Încărcare corp din .html (F3)", "Load the body from .html (F3)")),
            FormField(id: "save", label: t("Salvare corp în .html nou", "Save the body to a new .html")),
        ]
        if existing != nil {
            fields.append(FormField(id: "retired", label: t("Retras", "Retired"), kind: .checkbox, value: existing?.retired == true ? "da" : "nu"))
        }
        var form = Form(fields: fields)
        form.message = t("Markdown ușor (**aldin** *cursiv*) sau HTML. ", "Light Markdown (**bold** *italic*) or HTML. ")
            + TemplateText.placeholders.map { "{{\($0.name)}}" }.joined(separator: " ")
        overlay = .dialog(Dialog(title: name == nil ? Localized(ro: "Șablon e-mail nou", en: "New e-mail template")
                                    : Localized(ro: "Șablon e-mail: \(name!)", en: "E-mail template: \(name!)"),
                                 purpose: .emailTemplate(name), form: form, language: language))
    }

    /// F3 on the body: the template as the selected account would receive it, as text.
    mutating func previewEmailTemplate(_ dialog: Dialog) {
        let (crm, actor, language) = (self.crm, self.actor, self.language)
        let form = dialog.form
        let unknown = TemplateText.unknownPlaceholders(in: form.value("subject") + form.value("body"))
        let draft = EmailTemplateRecord(name: form.value("name"), subject: form.value("subject"), body: form.value("body"))
        let client = selectedAccount?.record ?? items?.selectedItem?.account
        let contact = client.flatMap { c in attempt(nil) { try crm.contacts(ofAccount: c.meta!.uuid.description, for: actor) }?.first { $0.isPrimary }?.name }
        let user = attempt(nil) { try crm.users().first { $0.meta?.id == actor.id } }
        guard let company = attempt(nil, { try crm.companyProfile() }) else { return }
        let filled = EmailComposer.compose(draft, client: client, contact: contact, user: user, company: company, offer: nil,
                                           day: CalendarDate.today.iso, language: language)
        var text = t("Subiect: ", "Subject: ") + filled.subject + "\n"
        text += t("Pentru: ", "For: ") + (client?.name ?? t("(niciun cont ales: câmpurile clientului rămân goale)", "(no account chosen: the client's fields stay empty)"))
        if !unknown.isEmpty { text += "\n" + t("Necunoscute: ", "Unknown: ") + unknown.map { "{{\($0)}}" }.joined(separator: " ") }
        overlay = .text(TextViewer(title: t("Previzualizare șablon e-mail", "E-mail template preview"), text: text + "\n\n" + filled.text,
                                   hint: t("esc înapoi la șablon", "esc back to the template"), back: dialog))
    }

    mutating func saveEmailTemplate(_ dialog: inout Dialog, _ name: String?) throws {
        let (crm, actor, form) = (self.crm, self.actor, dialog.form)
        var body = form.value("body")
        let load = (form.value("load").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        if !load.isEmpty {
            guard let data = FileManager.default.contents(atPath: load), let text = String(data: data, encoding: .utf8) else {
                dialog.form.show(errors: ["load": t("Fișierul nu există, nu se poate citi sau nu este UTF-8", "The file does not exist, cannot be read or is not UTF-8")])
                return
            }
            body = text
        }
        let save = (form.value("save").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        let saved: EmailTemplateRecord
        if let name {
            saved = try crm.editEmailTemplate(name, subject: form.value("subject"), body: body, retired: form.value("retired") == "da", by: actor)
        } else {
            saved = try crm.addEmailTemplate(name: form.value("name"), subject: form.value("subject"), body: body, by: actor)
        }
        var done = t("Șablon salvat: \(saved.name)", "Template saved: \(saved.name)")
        if !save.isEmpty {
            do {
                try NewFile.write(Array(body.utf8), to: save)
                done += t(" · corpul scris în \(save)", " · the body written to \(save)")
            } catch {
                dialog.form.show(errors: ["save": describe(error)])
                return
            }
        }
        overlay = nil
        message = done
    }
}
