import CRMCore
import CRMDocuments
import CRMText
import CRMStore
import Foundation
import TUIKit

/// One line of the account's Istoric tab: an opportunity, an activity, a
/// note, an offer or an e-mail, in time order.
enum WorkEntry: Sendable {
    case item(WorkItemDetails)
    case note(NoteDetails)
    case offer(OfferDetails)
    case email(EmailDetails)

    var createdAt: Int64 {
        switch self {
        case .item(let d): return d.record.meta?.createdAt ?? 0
        case .note(let n): return n.record.meta?.createdAt ?? 0
        case .offer(let o): return o.record.meta?.createdAt ?? 0
        case .email(let e): return e.record.meta?.createdAt ?? 0
        }
    }
}

/// The work on an account in the Clienți page: the Istoric tab, the dialogs of
/// opportunities, activities and notes (Adăugare Oportunitate, Adăugare
/// Activitate, Adăugare Notă), all through the core.
extension AccountBrowser {
    /// The account's opportunities, activities and notes, newest first.
    static func workEntries(_ crm: CRM, _ actor: Actor, account uuid: String) throws -> [WorkEntry] {
        var entries: [WorkEntry] = []
        for kind in WorkItemKind.allCases where (try? crm.policy.authorize(actor, .view, kind.module)) != nil {
            entries += try crm.workItems(kind, account: uuid, limit: 0, for: actor).map(WorkEntry.item)
        }
        entries += try crm.notes(account: uuid, limit: 0, for: actor).map(WorkEntry.note)
        if (try? crm.policy.authorize(actor, .view, .offers)) != nil {
            entries += try crm.offers(account: uuid, limit: 0, for: actor).map(WorkEntry.offer)
        }
        entries += try crm.emails(account: uuid, limit: 0, for: actor).map(WorkEntry.email)
        return entries.sorted { $0.createdAt > $1.createdAt }
    }

    /// An item's own history: its offers, notes and e-mails, newest first.
    static func itemHistory(_ crm: CRM, _ actor: Actor, item uuid: String) throws -> [WorkEntry] {
        var entries = try crm.notes(item: uuid, limit: 0, for: actor).map(WorkEntry.note)
        entries += try crm.emails(item: uuid, limit: 0, for: actor).map(WorkEntry.email)
        if (try? crm.policy.authorize(actor, .view, .offers)) != nil {
            entries += try crm.offers(item: uuid, limit: 0, for: actor).map(WorkEntry.offer)
        }
        return entries.sorted { $0.createdAt > $1.createdAt }
    }

    /// The text of one Istoric line.
    func workLine(_ entry: WorkEntry) -> String {
        switch entry {
        case .item(let d):
            let r = d.record
            let what = d.kind == .opportunity ? t("Oport.", "Opp.") : (r.type ?? t("Activ.", "Act."))
            var parts = [what + " " + d.stage.name]
            if let amount = r.amount { parts.append(Money.text(amount) + " " + (r.currency ?? "")) }
            if let details = r.details { parts.append(details) }
            if let at = r.reminderAt, !r.reminderDone { parts.append("⏰ " + Timestamp.local(at)) }
            return parts.joined(separator: " · ")
        case .note(let n):
            // A note on one of the account's items is marked as such.
            var parts = [(n.record.itemID == nil ? "" : "↳ ") + t("Notă", "Note") + (n.record.type.map { " " + $0 } ?? ""), n.record.text]
            if !n.files.isEmpty { parts.append("📎 " + n.files.map(\.name).joined(separator: ", ")) }
            return parts.joined(separator: " · ")
        case .offer(let o):
            let r = o.record
            return "↳ " + t("Ofertă ", "Offer ") + r.label + " · " + Money.text(r.total) + " " + r.currency + " · "
                + t("\(o.lines.count) linii", "\(o.lines.count) lines")
        case .email(let e): return emailLine(e)
        }
    }

    var selectedWork: WorkEntry? { work.indices.contains(workIndex) ? work[workIndex] : nil }

    // MARK: - Dialogs

    /// The dialog of an opportunity or activity: a new one on the selected
    /// account, or on the account typed in (from an item page, `onAccount`
    /// first), or an existing one.
    mutating func openWorkItem(_ kind: WorkItemKind, existing: WorkItemDetails? = nil, onAccount: AccountRecord? = nil) {
        let askAccount = items != nil && existing == nil
        guard let account = existing.map({ $0.account.meta!.uuid.description })
                ?? (askAccount ? "" : selectedAccount?.record.meta?.uuid.description) else {
            message = t("Alegeți întâi un cont", "Choose an account first")
            return
        }
        let current = self
        guard var fields = attempt(nil, { try current.workItemFields(kind, existing) }) else { return }
        if askAccount {
            fields.insert(FormField(id: "account", label: t("Cont (cod/CUI/nume)", "Account (code/CUI/name)"),
                                    value: onAccount.map { $0.code ?? $0.name } ?? "", mandatory: true), at: 0)
        }
        let title = existing == nil
            ? (kind == .opportunity ? Localized(ro: "Adăugare oportunitate", en: "Add opportunity") : Localized(ro: "Adăugare activitate", en: "Add activity"))
            : (kind == .opportunity ? Localized(ro: "Oportunitate", en: "Opportunity") : Localized(ro: "Activitate", en: "Activity"))
        overlay = .dialog(Dialog(title: title, purpose: .workItem(kind: kind, uuid: existing?.uuid, version: existing?.record.meta?.version,
                                                                 account: account),
                                 form: Form(fields: fields), language: language))
    }

    func workItemFields(_ kind: WorkItemKind, _ existing: WorkItemDetails?) throws -> [FormField] {
        let stages = try crm.stages(kind).filter { !$0.retired || $0.meta?.id == existing?.record.stageID }
        let users = try crm.users().filter { !$0.disabled }
        let r = existing?.record
        var out = [
            FormField(id: "stage", label: WorkItemField.stage.label.text(language), kind: .choice(stages.map { FormField.Choice($0.name) }),
                      value: existing?.stage.name ?? stages.first?.name ?? "", mandatory: true),
            FormField(id: "owner", label: WorkItemField.owner.label.text(language),
                      kind: .choice(users.map { FormField.Choice($0.login, "\($0.login) — \($0.name)") }), value: existing?.owner ?? actor.login),
        ]
        if kind == .activity {
            out.append(FormField(id: "type", label: WorkItemField.type.label.text(language),
                                 kind: .choice([FormField.Choice("", "—")] + WorkItemKind.activityTypes.map { FormField.Choice($0) }),
                                 value: r?.type ?? ""))
        } else {
            out.append(FormField(id: "amount", label: WorkItemField.amount.label.text(language), kind: .number,
                                 value: r?.amount.map(Money.text) ?? ""))
            let currencies = WorkItemKind.currencies + (r?.currency.map { WorkItemKind.currencies.contains($0) ? [] : [$0] } ?? [])
            out.append(FormField(id: "currency", label: WorkItemField.currency.label.text(language),
                                 kind: .choice(currencies.map { FormField.Choice($0) }), value: r?.currency ?? "RON"))
            out.append(FormField(id: "dueDate", label: WorkItemField.dueDate.label.text(language), kind: .date, value: r?.dueDate ?? ""))
        }
        out += [
            FormField(id: "closeDate", label: WorkItemField.closeDate.label.text(language), kind: .date, value: r?.closeDate ?? ""),
            FormField(id: "reminder", label: WorkItemField.reminder.label.text(language) + t(" (dată oră)", " (date time)"),
                      value: r?.reminderAt.map { String(Timestamp.local($0).prefix(16)) } ?? ""),
            FormField(id: "details", label: WorkItemField.details.label.text(language), kind: .multiline(rows: 3), value: r?.details ?? ""),
        ]
        return out + Self.customFields(try crm.customColumns(entity: kind.rawValue, for: actor), values: existing?.custom ?? [])
    }

    mutating func openNote(item: WorkItemDetails? = nil) {
        guard let account = item.map({ $0.account.meta!.uuid.description }) ?? selectedAccount?.record.meta?.uuid.description else {
            message = t("Alegeți întâi un cont", "Choose an account first")
            return
        }
        let crm = self.crm
        guard let types = attempt(nil, { try crm.noteTypes() }) else { return }
        let form = Form(fields: [
            FormField(id: "type", label: t("Tipul notei", "Note type"), kind: .choice([FormField.Choice("", "—")] + types.map { FormField.Choice($0.name) })),
            FormField(id: "text", label: t("Descriere", "Text"), kind: .multiline(rows: 4), mandatory: true),
            FormField(id: "file", label: t("Fișier (F3 completează)", "File (F3 completes)")),
        ])
        let title = item == nil ? Localized(ro: "Adăugare notă", en: "Add note")
            : Localized(ro: "Adăugare notă la \(item!.kind.label.ro)", en: "Add note to the \(item!.kind.label.en)")
        overlay = .dialog(Dialog(title: title, purpose: .note(account: account, item: item?.uuid), form: form, language: language))
    }

    /// The file a dialog's File field names (none when empty); nil, with the
    /// field's message shown, when it cannot be read.
    func attachedFile(_ dialog: inout Dialog) -> [NoteAttachment]? {
        let path = (dialog.form.value("file").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        guard !path.isEmpty else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            dialog.form.show(errors: ["file": t("Fișierul nu există sau nu se poate citi (F3 completează numele)",
                                                "The file does not exist or cannot be read (F3 completes the name)")])
            return nil
        }
        return [NoteAttachment(name: path, data: [UInt8](data))]
    }

    /// Saves a work item or note dialog.
    mutating func saveWork(_ dialog: inout Dialog) throws {
        let (crm, actor, form) = (self.crm, self.actor, dialog.form)
        var saved: String?
        switch dialog.purpose {
        case .workItem(let kind, let uuid, let version, let account):
            var input: [WorkItemField: String] = [:]
            var custom: [String: String] = [:]
            for field in uuid == nil ? form.fields.filter({ !$0.value.isEmpty }) : form.changed {
                if let key = WorkItemField(rawValue: field.id) { input[key] = field.value }
                if field.id.hasPrefix("custom.") { custom[String(field.id.dropFirst(7))] = field.value }
            }
            if let uuid {
                try crm.editWorkItem(uuid, input, custom: custom, expectedVersion: version, by: actor)
                message = t("Salvat", "Saved")
                saved = uuid
            } else {
                let ref = account.isEmpty ? form.value("account").trimmingCharacters(in: .whitespaces) : account
                do {
                    saved = try crm.addWorkItem(kind, account: ref, input, custom: custom, by: actor).meta?.uuid.description
                } catch CoreError.notFound where account.isEmpty {
                    dialog.form.show(errors: ["account": t("Niciun cont cu acest cod, CUI sau denumire: «\(ref)»",
                                                           "No account with this code, CUI or name: «\(ref)»")])
                    return
                }
                message = kind == .opportunity ? t("Oportunitate adăugată", "Opportunity added") : t("Activitate adăugată", "Activity added")
            }
        case .note(let account, let item):
            guard let files = attachedFile(&dialog) else { return }
            let type = form.value("type")
            try crm.addNote(account: item == nil ? account : nil, item: item, type: type.isEmpty ? nil : type, text: form.value("text"),
                            files: files, by: actor)
            message = t("Notă adăugată", "Note added")
        default:
            return
        }
        overlay = nil
        if let page = items {
            // An item page stays on the item saved (or the one whose note it was).
            reloadItems(select: saved ?? page.selectedItem?.uuid)
            if case .note = dialog.purpose { focus = .details; items?.historyIndex = 0 }
            return
        }
        // The Istoric tab, on the newest line: what was just saved, or the item just changed.
        tab = .work
        focus = .details
        refreshHistory()
        if case .workItem(_, let uuid?, _, _) = dialog.purpose {
            workIndex = work.firstIndex { if case .item(let d) = $0 { return d.uuid == uuid } else { return false } } ?? 0
        } else {
            workIndex = 0
        }
    }

    static func size(_ bytes: Int64) -> String {
        bytes < 1024 ? "\(bytes) B" : bytes < 1024 * 1024 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// Saves a note's file where the user says (with the user's own rights),
    /// and opens it with the desktop's opener if asked.
    mutating func saveNoteFile(_ dialog: inout Dialog, _ files: [NoteDetails.File]) throws -> Effect {
        let (crm, actor, form) = (self.crm, self.actor, dialog.form)
        let path = (form.value("path").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        let file = try crm.file(form.value("file"), for: actor)
        do {
            try NewFile.write(file.data, to: path)
        } catch let error as CoreError {
            dialog.form.show(errors: ["path": error.message(language)])
            return .none
        }
        overlay = nil
        message = t("Salvat: \(path)", "Saved: \(path)")
        return form.value("open") == "da" ? .run(["xdg-open", path]) : .none
    }

    /// After the desktop's opener: a word if it could not open the file.
    public mutating func ran(_ result: Result<Void, ChildProcess.Failure>) {
        if case .failure(let failure) = result {
            message = t("«\(failure.command)» nu a putut deschide fișierul (\(failure.detail)); el rămâne salvat",
                        "«\(failure.command)» could not open the file (\(failure.detail)); it stays saved")
        }
    }

    /// Enter on an Istoric line: the opportunity or activity opens with its own
    /// history; a note with files offers to save (and open) them.
    mutating func openSelectedWork() {
        switch selectedWork {
        case .item(let d)?: openItemView(d.uuid)
        case .note(let n)?:
            guard !n.files.isEmpty else { message = n.record.text; return }
            openNoteFiles(n)
        case .offer(let o)?: openOfferPrint(o)
        case .email(let e)?: showEmail(e)
        case nil: break
        }
    }

    /// Tipărire: an offer to a PDF file, then opened or sent to the printer if asked.
    mutating func openOfferPrint(_ offer: OfferDetails) {
        openPrint(Localized(ro: "Tipărire ofertă \(offer.record.label)", en: "Print offer \(offer.record.label)"),
                  file: t("Oferta", "Offer") + "-" + offer.record.label, purpose: .offerPrint(offer.uuid))
    }

    /// Tipărire: where to write the PDF (F3 completes the name), and whether to open or print it then.
    mutating func openPrint(_ title: Localized, file: String, purpose: Dialog.Purpose) {
        let choices = [FormField.Choice("", t("doar salvează", "save only")), FormField.Choice("open", t("deschide (xdg-open)", "open (xdg-open)")),
                       FormField.Choice("print", t("trimite la imprimantă (lp)", "send to the printer (lp)"))]
        let form = Form(fields: [
            FormField(id: "path", label: t("Fișier PDF (F3 completează)", "PDF file (F3 completes)"), value: "~/" + file + ".pdf", mandatory: true),
            FormField(id: "then", label: t("Apoi", "Then"), kind: .choice(choices), value: ""),
        ])
        overlay = .dialog(Dialog(title: title, purpose: purpose, form: form, language: language))
    }

    /// Writes the offer's PDF with its template, the company's profile and logo.
    mutating func printOffer(_ dialog: inout Dialog, _ uuid: String) throws -> Effect {
        let (crm, actor) = (self.crm, self.actor)
        let offer = try crm.offer(uuid, for: actor)
        let document = try TemplateBlocks.offer(offer, crm: crm, actor: actor, day: CalendarDate.today.iso, language: language)
        return try printDocument(&dialog, document, name: t("Oferta ", "Offer ") + offer.record.label)
    }

    /// Tipărire: a document to the PDF file the dialog names, then opened
    /// (xdg-open) or sent to the printer (lp) if the dialog asks.
    mutating func printDocument(_ dialog: inout Dialog, _ document: PrintDocument, name: String) throws -> Effect {
        let form = dialog.form
        let path = (form.value("path").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        guard path.lowercased().hasSuffix(".pdf") else {
            dialog.form.show(errors: ["path": t("Numele fișierului se termină cu .pdf", "The file name ends in .pdf")])
            return .none
        }
        do {
            try PDFWriter().write(document, to: path)
        } catch let error as CoreError {
            dialog.form.show(errors: ["path": error.message(language)])
            return .none
        }
        overlay = nil
        message = t("\(name) salvată: \(path)", "\(name) saved: \(path)")
        switch form.value("then") {
        case "open": return .run(["xdg-open", path])
        case "print": return .run(["lp", path])
        default: return .none
        }
    }

    /// An opportunity or activity with its own history (ItemView), read afresh.
    mutating func openItemView(_ uuid: String) {
        let (crm, actor) = (self.crm, self.actor)
        guard let item = attempt(nil, { try crm.workItem(uuid, for: actor) }) else { return }
        let history = attempt([]) { try Self.itemHistory(crm, actor, item: uuid) }
        overlay = .item(ItemView(item: item, history: history))
    }

    /// Keys in an item's view: its dialog, a new note or a note's files open
    /// over it and close back onto it.
    mutating func updateItemView(_ view: ItemView, _ key: Key) {
        var view = view
        switch view.handle(key, action: keymap.action(for: key, in: .dialog), browserAction: keymap.action(for: key, in: .browser)) {
        case .none: overlay = .item(view)
        case .close:
            overlay = nil
            refreshHistory()
        case .edit:
            returnToItem = view.item.uuid
            openWorkItem(view.item.kind, existing: view.item)
        case .addOffer:
            guard permits("offer.add") else {
                view.message = t("Nu aveți dreptul să adăugați oferte", "You lack the right to add offers")
                overlay = .item(view)
                return
            }
            returnToItem = view.item.uuid
            openOfferEditor(on: view.item)
        case .addNote:
            guard permits("note.add") else {
                view.message = t("Nu aveți dreptul să adăugați note", "You lack the right to add notes")
                overlay = .item(view)
                return
            }
            returnToItem = view.item.uuid
            openNote(item: view.item)
        case .delete(let index):
            guard case .offer(let offer) = view.history[index] else {
                view.message = t("Del șterge o ofertă; o notă rămâne", "Del deletes an offer; a note stays")
                overlay = .item(view)
                return
            }
            returnToItem = view.item.uuid
            askDeleteOffer(offer)
            if case .confirm = overlay {} else { returnToItem = nil; overlay = .item(view) }
        case .open(let index):
            switch view.history[index] {
            case .note(let note):
                guard !note.files.isEmpty else {
                    view.message = Sanitize.line(note.record.text)
                    overlay = .item(view)
                    return
                }
                returnToItem = view.item.uuid
                openNoteFiles(note)
            case .offer(let offer):
                returnToItem = view.item.uuid
                openOfferPrint(offer)
            case .email(let email):
                returnToItem = view.item.uuid
                showEmail(email)
            case .item:
                overlay = .item(view)
            }
        }
    }

    /// A note's files: which one, where to save it, whether to open it then.
    mutating func openNoteFiles(_ n: NoteDetails) {
        guard let first = n.files.first else { return }
        let form = Form(fields: [
            FormField(id: "file", label: t("Fișier", "File"),
                      kind: .choice(n.files.map { FormField.Choice($0.uuid, "\($0.name) (\(Self.size($0.size)))") }), value: first.uuid),
            FormField(id: "path", label: t("Salvare în (F3 completează)", "Save to (F3 completes)"), value: "~/" + first.name,
                      mandatory: true),
            FormField(id: "open", label: t("Apoi deschide-l (xdg-open)", "Then open it (xdg-open)"), kind: .checkbox),
        ])
        overlay = .dialog(Dialog(title: Localized(ro: "Fișierele notei", en: "The note's files"), purpose: .noteFiles(n.files),
                                 form: form, language: language))
    }
}

extension AccountBrowser {
    /// Keys in the Memento pop-up: open, dismiss, snooze, later.
    mutating func updateReminders(_ view: ReminderView, _ key: Key) {
        var view = view
        let (crm, actor) = (self.crm, self.actor)
        let event = view.handle(key, action: keymap.action(for: key, in: .dialog))
        do {
            switch event {
            case .none:
                overlay = .reminders(view)
                return
            case .close:
                // Still due: back in ten minutes, unless handled meanwhile.
                let later = crm.store.now + 10 * 60_000
                for item in view.due { remindersLater[item.uuid] = later }
                overlay = nil
                return
            case .open(let uuid):
                let item = try crm.workItem(uuid, for: actor)
                remindersLater[uuid] = crm.store.now + 10 * 60_000
                overlay = nil
                openWorkItem(item.kind, existing: item)
                return
            case .dismiss(let uuid):
                try crm.dismissReminder(uuid, seen: view.selected?.record.reminderAt, by: actor)
            case .snooze(let uuid, let snooze):
                try crm.snoozeReminder(uuid, until: snooze.until(crm.store.now), seen: view.selected?.record.reminderAt, by: actor)
            }
        } catch {
            view.message = describe(error)
            overlay = .reminders(view)
            return
        }
        let handled = view.selected?.uuid
        view.due.removeAll { $0.uuid == handled }
        view.cursor = min(view.cursor, max(0, view.due.count - 1))
        overlay = view.due.isEmpty ? nil : .reminders(view)
        refreshHistory()
    }
}

extension AccountBrowser {
    mutating func openNotesList() {
        let crm = self.crm
        guard let types = attempt(nil, { try crm.noteTypes().map(\.name) }) else { return }
        var view = NotesView(types: types)
        reloadNotes(&view)
        overlay = .notes(view)
    }

    mutating func reloadNotes(_ view: inout NotesView) {
        let (crm, actor, search, type) = (self.crm, self.actor, view.search.text, view.type)
        do {
            view.rows = try crm.notes(search: search, type: type, limit: NotesView.limit, for: actor)
            view.cursor = min(view.cursor, max(0, view.rows.count - 1))
        } catch {
            view.message = describe(error)
        }
    }

    mutating func updateNotesList(_ view: NotesView, _ key: Key) {
        var view = view
        switch view.handle(key, action: keymap.action(for: key, in: .dialog)) {
        case .none: overlay = .notes(view)
        case .close: overlay = nil
        case .reload:
            reloadNotes(&view)
            overlay = .notes(view)
        case .open(let index):
            let note = view.rows[index]
            guard !note.files.isEmpty else {
                view.message = Sanitize.line(note.record.text)
                overlay = .notes(view)
                return
            }
            openNoteFiles(note)
        case .export:
            let form = Form(fields: [FormField(id: "file", label: t("Fișier (.xlsx sau .csv; F3 completează)", "File (.xlsx or .csv; F3 completes)"),
                                               value: "~/" + t("note", "notes") + ".xlsx", mandatory: true)])
            overlay = .dialog(Dialog(title: Localized(ro: "Export note", en: "Export notes"),
                                     purpose: .notesExport(search: view.search.text, type: view.type), form: form, language: language))
        }
    }

    /// The file a dialog's "file" field names (~ expanded) and the format its extension asks for; without
    /// .xlsx or .csv the field says so and nil comes back.
    mutating func exportTarget(_ dialog: inout Dialog) -> (path: String, format: ExportFormat)? {
        let path = (dialog.form.value("file").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        guard let format = ExportFormat(path: path) else {
            dialog.form.show(errors: ["file": t("Numele fișierului se termină cu .xlsx sau .csv", "The file name ends in .xlsx or .csv")])
            return nil
        }
        return (path, format)
    }

    /// The list as Note și fișiere shows it, to a file.
    mutating func exportNotes(_ dialog: inout Dialog, search: String, type: String?) throws {
        guard let (path, format) = exportTarget(&dialog) else { return }
        try crm.policy.authorize(actor, .export, .accounts)
        let notes = try crm.notes(search: search, type: type, limit: 0, for: actor)
        try TableExport.rows(notes.map { WorkItemPresentation.noteRow($0).map(CellValue.text) }, labels: WorkItemPresentation.noteLabels(language),
                             widths: [18, 30, 12, 60, 30, 16], sheet: t("Note", "Notes"), format: format, to: path, language: language)
        overlay = nil
        message = t("\(notes.count) note exportate în \(path)", "\(notes.count) notes exported to \(path)")
    }
}

extension AccountBrowser {
    mutating func openStages(_ kind: WorkItemKind, cursor: Int = 0, message: String? = nil) {
        let crm = self.crm
        guard let stages = attempt(nil, { try crm.stages(kind, includingRetired: true) }) else { return }
        showAdminList(ListAdminView(stages: kind, stages), cursor: cursor, message: message)
    }

    /// Serii de numerotare (administrators): the invoices' series, retired ones too.
    mutating func openSeries(cursor: Int = 0, message: String? = nil) {
        let crm = self.crm
        guard let series = attempt(nil, { try crm.invoiceSeries(includingRetired: true) }) else { return }
        showAdminList(ListAdminView(series: series), cursor: cursor, message: message)
    }

    /// Setări e-mail: the server and the sender — the company's (administrators)
    /// or the user's own; the password typed only to change it (shown masked).
    mutating func openEmailSettings() {
        let (crm, actor) = (self.crm, self.actor)
        let (settings, scope) = attempt((EmailSettings(), "none")) { try crm.emailSettings(for: actor) }
        let fields = [
            FormField(id: "scope", label: t("Setările", "Settings"),
                      kind: .choice([FormField.Choice("company", t("ale firmei (admin)", "the company's (admin)")),
                                     FormField.Choice("mine", t("ale mele", "mine"))]),
                      value: scope == "user" || !actor.isAdmin ? "mine" : "company"),
            FormField(id: EmailField.transport.rawValue, label: t("Transport", "Transport"),
                      kind: .choice([FormField.Choice("smtp", "SMTP"), FormField.Choice("sendmail", "sendmail")]), value: settings.transport),
            FormField(id: EmailField.host.rawValue, label: EmailField.host.label.text(language), value: settings.host ?? ""),
            FormField(id: EmailField.port.rawValue, label: EmailField.port.label.text(language), kind: .number, value: settings.port.map(String.init) ?? ""),
            FormField(id: EmailField.security.rawValue, label: t("Securitate", "Security"),
                      kind: .choice(["starttls", "tls", "none"].map { FormField.Choice($0) }), value: settings.security),
            FormField(id: EmailField.user.rawValue, label: EmailField.user.label.text(language), value: settings.user ?? ""),
            FormField(id: "password", label: settings.hasPassword ? t("Parolă (••••; gol: neschimbată)", "Password (••••; empty: unchanged)")
                      : t("Parolă", "Password"), kind: .secret),
            FormField(id: EmailField.from.rawValue, label: EmailField.from.label.text(language), value: settings.from ?? ""),
            FormField(id: EmailField.fromName.rawValue, label: EmailField.fromName.label.text(language), value: settings.fromName ?? ""),
            FormField(id: EmailField.replyTo.rawValue, label: EmailField.replyTo.label.text(language), value: settings.replyTo ?? ""),
            FormField(id: EmailField.sendmail.rawValue, label: EmailField.sendmail.label.text(language), value: settings.sendmail),
            FormField(id: EmailField.bounces.rawValue, label: EmailField.bounces.label.text(language), value: settings.bounces ?? ""),
        ]
        overlay = .dialog(Dialog(title: Localized(ro: "Setări e-mail", en: "E-mail settings"), purpose: .emailSettings, form: Form(fields: fields),
                                 language: language))
    }

    /// Setări firmă (administrators): the company as documents name the supplier.
    mutating func openCompany() {
        let crm = self.crm
        let profile = attempt(CompanyProfile()) { try crm.companyProfile() }
        var fields = CompanyProfile.Field.allCases.map { field -> FormField in
            field == .vatPayer
                ? FormField(id: field.rawValue, label: field.label.text(language), kind: .checkbox, value: profile.vatPayer ? "da" : "nu")
                : FormField(id: field.rawValue, label: field.label.text(language), value: profile[field] ?? "", mandatory: field == .name)
        }
        fields.append(FormField(id: "logo", label: t("Siglă (PNG/JPEG; gol: neschimbată)", "Logo (PNG/JPEG; empty: unchanged)")))
        overlay = .dialog(Dialog(title: Localized(ro: "Setări firmă", en: "Company settings"), purpose: .company, form: Form(fields: fields),
                                 language: language))
    }

    /// Cote TVA (administrators): the catalogue's VAT rates, retired ones too.
    mutating func openVATRates(cursor: Int = 0, message: String? = nil) {
        let crm = self.crm
        guard let rates = attempt(nil, { try crm.vatRates(includingRetired: true) }) else { return }
        showAdminList(ListAdminView(vatRates: rates), cursor: cursor, message: message)
    }

    private mutating func showAdminList(_ view: ListAdminView, cursor: Int, message: String?) {
        var view = view
        view.cursor = min(cursor, max(0, view.entries.count - 1))
        view.message = message
        overlay = .adminList(view)
    }

    /// Reopens the list a change was made in, on the same line.
    private mutating func reopen(_ view: ListAdminView, cursor: Int, message: String? = nil) {
        switch view.subject {
        case .stages(let kind): openStages(kind, cursor: cursor, message: message)
        case .vatRates: openVATRates(cursor: cursor, message: message)
        case .series: openSeries(cursor: cursor, message: message)
        }
    }

    mutating func updateAdminList(_ view: ListAdminView, _ key: Key) {
        var view = view
        let (crm, actor) = (self.crm, self.actor)
        do {
            switch view.handle(key, action: keymap.action(for: key, in: .dialog)) {
            case .none: overlay = .adminList(view)
            case .close: overlay = nil
            case .switchKind: if let kind = view.kind { openStages(kind == .opportunity ? .activity : .opportunity) }
            case .add:
                if let kind = view.kind {
                    let form = Form(fields: [
                        FormField(id: "name", label: t("Nume", "Name"), mandatory: true),
                        FormField(id: "end", label: t("Încheie", "Ends it"),
                                  kind: .choice([FormField.Choice("", "—"), FormField.Choice("won", t("câștigat", "won")),
                                                 FormField.Choice("lost", t("pierdut", "lost"))])),
                    ])
                    overlay = .dialog(Dialog(title: Localized(ro: "Stadiu nou", en: "New stage"), purpose: .stageAdd(kind), form: form,
                                             language: language))
                } else if view.subject == .series {
                    let form = Form(fields: [
                        FormField(id: "kind", label: t("Tip", "Kind"),
                                  kind: .choice(InvoiceKind.allCases.map { FormField.Choice($0.rawValue, $0.label.text(language)) }), value: "fiscal"),
                        FormField(id: "prefix", label: t("Serie (litere, cifre)", "Prefix (letters, digits)"), mandatory: true),
                        FormField(id: "yearly", label: t("De la 1 în fiecare an", "From 1 every year"), kind: .checkbox, value: "nu"),
                    ])
                    overlay = .dialog(Dialog(title: Localized(ro: "Serie nouă", en: "New series"), purpose: .seriesAdd, form: form,
                                             language: language))
                } else {
                    let form = Form(fields: [
                        FormField(id: "name", label: t("Nume", "Name"), mandatory: true),
                        FormField(id: "percent", label: t("Procent", "Percent"), kind: .number, mandatory: true),
                        FormField(id: "exempt", label: t("Scutit de TVA", "VAT exempt"), kind: .checkbox, value: "nu"),
                    ])
                    overlay = .dialog(Dialog(title: Localized(ro: "Cotă TVA nouă", en: "New VAT rate"), purpose: .vatAdd, form: form,
                                             language: language))
                }
            case .move(let name, let place):
                if let kind = view.kind { try crm.moveStage(kind, name, to: place, by: actor) }
                reopen(view, cursor: place - 1)
            case .retire(let name, let retired):
                switch view.subject {
                case .stages(let kind): try crm.retireStage(kind, name, retired: retired, by: actor)
                case .vatRates: try crm.retireVATRate(name, retired: retired, by: actor)
                case .series:
                    let parts = name.split(separator: " ").map(String.init)
                    try crm.retireInvoiceSeries(InvoiceKind(rawValue: parts[0]) ?? .fiscal, prefix: parts[1], retired: retired, by: actor)
                }
                reopen(view, cursor: view.cursor)
            }
        } catch {
            view.message = describe(error)
            overlay = .adminList(view)
        }
    }
}

extension AccountBrowser {
    /// Șabloane ofertă: the templates as a menu, and "a new one" first.
    mutating func openOfferTemplates() {
        let (crm, actor) = (self.crm, self.actor)
        guard let templates = attempt(nil, { try crm.offerTemplates(includingRetired: true, for: actor) }) else { return }
        openTemplateMenu(action: "template.open:", new: t("Șablon nou…", "New template…"), templates.map { ($0.name, $0.retired) })
    }

    /// A menu of templates (offer or e-mail ones): "a new one" first, then each by name, the retired ones marked.
    mutating func openTemplateMenu(action: String, new: String, _ templates: [(name: String, retired: Bool)]) {
        let items = [MenuItem(action: action, label: new, hint: "")]
            + templates.map { MenuItem(action: action + $0.name, label: $0.name, hint: $0.retired ? t("retras", "retired") : "") }
        overlay = .menu(MenuList(items: items, x: layout.table.x + 2, y: 2), bar: nil)
    }

    /// A template's dialog: its name, the four sections (F4 writes one in
    /// $EDITOR), a PNG logo, and whether it is retired.
    mutating func openOfferTemplate(_ name: String?) {
        let (crm, actor) = (self.crm, self.actor)
        let existing = name.flatMap { n in attempt(nil) { try crm.offerTemplate(n, for: actor) } }
        if name != nil && existing == nil { return }
        let placeholders = TemplateText.placeholders.map { "{{\($0.name)}}" }.joined(separator: " ")
        var fields = [
            FormField(id: "name", label: t("Nume", "Name"), value: existing?.name ?? "", mandatory: true),
            FormField(id: "header", label: OfferTemplateSection.header.label.text(language), kind: .multiline(rows: 4), value: existing?.header ?? ""),
            FormField(id: "text1", label: OfferTemplateSection.text1.label.text(language), kind: .multiline(rows: 4), value: existing?.text1 ?? ""),
            FormField(id: "text2", label: OfferTemplateSection.text2.label.text(language), kind: .multiline(rows: 4), value: existing?.text2 ?? ""),
            FormField(id: "footer", label: OfferTemplateSection.footer.label.text(language), value: existing?.footer ?? ""),
            FormField(id: "logo", label: t("Siglă PNG sau JPEG (F3)", "PNG or JPEG logo (F3)"), value: ""),
        ]
        if existing != nil {
            fields.append(FormField(id: "retired", label: t("Retras", "Retired"), kind: .checkbox, value: existing?.retired == true ? "da" : "nu"))
        }
        var form = Form(fields: fields)
        form.message = t("**aldin** *cursiv* «- » listă, [centrat] [dreapta]; F4: în $EDITOR. ", "**bold** *italic* «- » list, [centrat] [dreapta]; F4: in $EDITOR. ")
            + placeholders
        overlay = .dialog(Dialog(title: name == nil ? Localized(ro: "Șablon ofertă nou", en: "New offer template")
                                    : Localized(ro: "Șablon ofertă: \(name!)", en: "Offer template: \(name!)"),
                                 purpose: .offerTemplate(name), form: form, language: language))
    }

    mutating func saveOfferTemplate(_ dialog: inout Dialog, _ name: String?) throws {
        let (crm, actor, form) = (self.crm, self.actor, dialog.form)
        var logo: [UInt8]?
        let path = (form.value("logo").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        if !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                dialog.form.show(errors: ["logo": t("Fișierul nu există sau nu se poate citi", "The file does not exist or cannot be read")])
                return
            }
            logo = [UInt8](data)
        }
        var sections: [OfferTemplateSection: String] = [:]
        for section in OfferTemplateSection.allCases { sections[section] = form.value(section.rawValue) }
        let saved: OfferTemplateRecord
        if let name {
            saved = try crm.editOfferTemplate(name, sections, rename: form.value("name") == name ? nil : form.value("name"), logo: logo,
                                              retired: form.value("retired") == "da", by: actor)
        } else {
            saved = try crm.addOfferTemplate(form.value("name"), sections, logo: logo, by: actor)
        }
        overlay = nil
        message = t("Șablon salvat: \(saved.name)", "Template saved: \(saved.name)")
    }
}

extension AccountBrowser {
    /// Asks before deleting an offer (the rights are the offers module's).
    mutating func askDeleteOffer(_ offer: OfferDetails) {
        guard (try? crm.policy.authorize(actor, .delete, .offers)) != nil else {
            message = t("Nu aveți dreptul să ștergeți oferte", "You lack the right to delete offers")
            return
        }
        overlay = .confirm(Confirm(text: Localized(ro: "Ștergeți oferta \(offer.record.label)? d/n", en: "Delete the offer \(offer.record.label)? y/n"),
                                   action: .deleteOffer(offer)))
    }
}
