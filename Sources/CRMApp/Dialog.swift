import CRMCore
import CRMStore
import CRMText
import TUIKit

/// A dialog: a framed form with a purpose. The account dialog has a second
/// page, Contacte, listing the account's contacts (+ adds one, the star marks
/// the primary one); its contact forms open on top of it, and everything is
/// saved together, in one operation, with the account.
struct Dialog: Sendable {
    enum Purpose: Sendable, Equatable {
        case account(uuid: String?, version: Int64?)
        case folderAdd
        case folderRename(path: String)
        case folderMove(path: String)
        case moveAccounts([String])
        case settings
        case export
        case importFile
        case importTemplate
        case filter
        case columnAdd
        case columnRename(key: String)
        case userAdd
        case userEdit(login: String)
        case userRights(login: String)
        case userModules(login: String)
        case workItem(kind: WorkItemKind, uuid: String?, version: Int64?, account: String)
        case note(account: String, item: String?)
        case noteFiles([NoteDetails.File])
        case offerPrint(String)
        /// An offer template: a new one (nil) or the one of this name.
        case offerTemplate(String?)
        case notesExport(search: String, type: String?)
        case stageAdd(WorkItemKind)
        case vatAdd
        /// A product: a new one (nil) or this one, at the version the dialog opened.
        case product(uuid: String?, version: Int64?)
        case productImport
        case productTemplate
        case invoicePrint(String)
        case invoicePost(String)
        case invoicePay(String)
        case invoiceXML(String)
        case ledgerPeriod
        case ledgerExport
        case ledgerAdd
        case expenseAdd
        case expensePay
        case company
        case seriesAdd
        case emailSettings
        /// Trimitere e-mail on an account (and an opportunity); `filled`: the template and offer the text was filled for.
        case sendEmail(account: String, item: String?, filled: String)
        /// An e-mail template: a new one (nil) or the one of this name.
        case emailTemplate(String?)
        /// Adăugare la lista e-mail: these accounts (UUIDs).
        case mailListAdd([String])
        case mailListNew
        /// Addresses typed onto this list, or imported from a file onto it.
        case mailListAddresses(String)
        case mailListImport(String)
        case suppressionAdd
        case campaignAdd
        /// One list (or link) of a campaign's report, to a file.
        case campaignExport(campaign: String, group: Int)
        /// A block of the template builder; `isNew`: added just now (it goes if the dialog is given up).
        case mailBlock(index: Int, isNew: Bool)
        case blockTemplateSave
        /// A dashboard panel to a file, or its settings.
        case panelExport(DashboardPanel)
        case panelSettings(DashboardPanel)
        /// The visit map's route to a PDF file.
        case routePDF
        /// A web form's settings, one of its fields or predefined fields (nil: a new one), its HTML to a file.
        case webFormSettings
        case webFormField(index: Int?)
        case webFormPreset(index: Int?)
        case webFormGenerate(String)
                /// Rows shown in a window (a drill-down), to a file.
        case rowsExport(title: String, headers: [String], rows: [[String]])
    }

    let title: Localized
    var purpose: Purpose
    var form: Form
    /// Account dialog only: page 0 the fields, page 1 the contacts.
    var page = 0
    var contacts: [ContactDraft] = []
    var contactIndex = 0
    /// The contact form open over the contacts page, and which draft it edits
    /// (nil: a new contact).
    var contactForm: Form?
    var editingContact: Int?
    private var originalContacts: [ContactDraft] = []
    var confirmingDiscard = false

    init(title: Localized, purpose: Purpose, form: Form, language: Language, contacts: [ContactDraft] = []) {
        self.title = title
        self.purpose = purpose
        self.form = form
        self.form.strings = language == .ro ? .romanian : .english
        self.contacts = contacts
        originalContacts = contacts
    }

    func originalContact(_ uuid: String) -> ContactDraft? { originalContacts.first { $0.uuid == uuid } }

    /// Another session saved contacts of this account meanwhile (`stored`, as
    /// they are now): those this dialog left alone take the stored values, those
    /// it changed keep its values over the stored version, one deleted meanwhile
    /// goes unless this dialog changed it (it comes back as new), and contacts
    /// added meanwhile appear. Returns the names of the contacts both changed.
    mutating func rebaseContacts(on stored: [ContactDraft]) -> [String] {
        var both: [String] = []
        var out: [ContactDraft] = []
        for draft in contacts {
            guard let uuid = draft.uuid else { out.append(draft); continue }
            let mine = draft.deleted || draft != originalContact(uuid)
            if let fresh = stored.first(where: { $0.uuid == uuid }) {
                guard mine else { out.append(fresh); continue }
                var kept = draft
                kept.expectedVersion = fresh.expectedVersion
                out.append(kept)
                if fresh != originalContact(uuid) { both.append(draft.fields[.name] ?? "") }
            } else if mine && !draft.deleted {
                var again = draft
                again.uuid = nil
                again.expectedVersion = nil
                out.append(again)
                both.append(draft.fields[.name] ?? "")
            }
        }
        out += stored.filter { fresh in !contacts.contains { $0.uuid == fresh.uuid } }
        contacts = out
        originalContacts = stored
        contactIndex = min(contactIndex, max(0, contacts.count - 1))
        return both
    }

    var isAccount: Bool { if case .account = purpose { return true } else { return false } }
    var isDirty: Bool { form.isDirty || contacts != originalContacts }

    /// The box on a screen of this size, and the area its form is drawn in.
    func frame(width: Int, height: Int) -> Rect {
        let rows = form.fields.reduce(0) { $0 + $1.rows }
        return Rect.centred(width: 78, height: rows + (isAccount ? 6 : 5), in: Rect(x: 0, y: 1, width: width, height: height - 2))
    }

    func formArea(width: Int, height: Int) -> Rect {
        let box = frame(width: width, height: height)
        let top = isAccount ? 2 : 1
        return Rect(x: box.x + 2, y: box.y + top, width: box.width - 4, height: box.height - top - 2)
    }

    // MARK: - Contacts page

    static func contactFields(_ draft: ContactDraft?, language: Language) -> [FormField] {
        ContactField.allCases.map { field in
            FormField(id: field.rawValue, label: field.label.text(language),
                      kind: field == .notes ? .multiline(rows: 3) : .text,
                      value: draft?.fields[field] ?? "", mandatory: field == .name)
        }
    }

    mutating func openContact(_ index: Int?, language: Language) {
        editingContact = index
        var form = Form(fields: Dialog.contactFields(index.map { contacts[$0] }, language: language))
        form.strings = language == .ro ? .romanian : .english
        contactForm = form
        page = 1
    }

    /// Keeps the contact form's values as a draft, after the core has checked them.
    mutating func keepContact(crm: CRM, language: Language) {
        guard var form = contactForm else { return }
        var fields: [ContactField: String] = [:]
        for field in ContactField.allCases { fields[field] = form.value(field.rawValue) }
        let issues = crm.checkContact(fields)
        guard issues.isEmpty else {
            form.show(errors: Dictionary(issues.map { ($0.field, $0.message(language)) }, uniquingKeysWith: { a, _ in a }))
            contactForm = form
            return
        }
        if let index = editingContact {
            contacts[index].fields = fields
        } else {
            // The first contact of an account gets the star.
            let first = !contacts.contains { !$0.deleted }
            contacts.append(ContactDraft(fields: fields, primary: first))
            contactIndex = contacts.count - 1
        }
        contactForm = nil
    }

    mutating func star(_ index: Int) {
        guard contacts.indices.contains(index), !contacts[index].deleted else { return }
        let on = !contacts[index].primary
        for i in contacts.indices { contacts[i].primary = false }
        contacts[index].primary = on
    }

    mutating func toggleDeleted(_ index: Int) {
        guard contacts.indices.contains(index) else { return }
        if contacts[index].uuid == nil { contacts.remove(at: index); contactIndex = max(0, min(contactIndex, contacts.count - 1)); return }
        contacts[index].deleted.toggle()
        if contacts[index].deleted { contacts[index].primary = false }
    }

    // MARK: - Drawing

    func render(into buffer: inout ScreenBuffer, language: Language, keymap: Keymap) {
        let box = frame(width: buffer.width, height: buffer.height)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel), title: title.text(language),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let area = formArea(width: buffer.width, height: buffer.height)
        if isAccount {
            let live = contacts.filter { !$0.deleted }.count
            let tabs = [Localized(ro: "Date cont", en: "Account"), Localized(ro: "Contacte (\(live))", en: "Contacts (\(live))")]
            var x = box.x + 2
            for (i, tab) in tabs.enumerated() {
                let text = " " + tab.text(language) + " "
                buffer.put(text, x: x, y: box.y + 1, style: Style(foreground: i == page ? .selection : .muted,
                                                                   background: i == page ? .selection : .panel, bold: i == page))
                x += DisplayWidth.of(text) + 1
            }
        }
        if page == 0 {
            form.render(into: &buffer, area: area)
        } else {
            renderContacts(into: &buffer, area: area, language: language)
        }
        if let contactForm {
            let inner = Rect.centred(width: min(70, box.width - 4), height: ContactField.allCases.count + 7,
                                     in: Rect(x: 0, y: 0, width: buffer.width, height: buffer.height))
            let title = editingContact == nil ? Localized(ro: "Adăugare persoană de contact", en: "Add contact")
                : Localized(ro: "Editare persoană de contact", en: "Edit contact")
            buffer.box(inner, style: panel, borderStyle: Style(foreground: .accent, background: .panel), title: title.text(language),
                       titleStyle: Style(foreground: .primary, background: .panel, bold: true))
            contactForm.render(into: &buffer, area: Rect(x: inner.x + 2, y: inner.y + 1, width: inner.width - 4,
                                                         height: inner.height - 3))
            renderHints(into: &buffer, box: inner, language: language, keymap: keymap, contactsPage: false)
        } else {
            renderHints(into: &buffer, box: box, language: language, keymap: keymap, contactsPage: page == 1)
        }
        if confirmingDiscard {
            let style = Style(foreground: .warning, background: .panel, bold: true)
            buffer.fill(x: box.x + 1, y: box.y + box.height - 2, width: box.width - 2, height: 1, style: style)
            buffer.put(form.strings.discard, x: box.x + 2, y: box.y + box.height - 2, style: style, maxWidth: box.width - 4)
        }
    }

    private func renderContacts(into buffer: inout ScreenBuffer, area: Rect, language: Language) {
        let panel = Style(foreground: .text, background: .panel)
        buffer.fill(x: area.x, y: area.y, width: area.width, height: area.height, style: panel)
        if contacts.isEmpty {
            buffer.put(Localized(ro: "Nicio persoană de contact. + sau Ins adaugă una.",
                                 en: "No contacts. + or Ins adds one.").text(language),
                       x: area.x, y: area.y, style: Style(foreground: .muted, background: .panel), maxWidth: area.width)
        }
        for (row, draft) in contacts.prefix(area.height).enumerated() {
            let chosen = row == contactIndex
            let style = chosen ? Style(foreground: .selection, background: .selection) : panel
            buffer.fill(x: area.x, y: area.y + row, width: area.width, height: 1, style: style)
            let star = draft.primary ? "★" : "☆"
            var line = "\(star) \(draft.fields[.name] ?? "")"
            for field in [ContactField.role, .phone, .email] where !(draft.fields[field] ?? "").isEmpty {
                line += " · " + (draft.fields[field] ?? "")
            }
            if draft.deleted { line += Localized(ro: "  (se șterge)", en: "  (to delete)").text(language) }
            buffer.put(line, x: area.x, y: area.y + row, style: draft.deleted ? Style(foreground: .muted, background: style.background,
                                                                                       underline: false) : style,
                       maxWidth: area.width)
        }
        // A refusal or a concurrent change, on the page it concerns.
        if let message = form.message {
            buffer.fill(x: area.x, y: area.y + area.height - 1, width: area.width, height: 1, style: panel)
            buffer.put(message, x: area.x, y: area.y + area.height - 1, style: Style(foreground: .warning, background: .panel, bold: true),
                       maxWidth: area.width)
        }
    }

    private func renderHints(into buffer: inout ScreenBuffer, box: Rect, language: Language, keymap: Keymap, contactsPage: Bool) {
        func key(_ action: String, _ fallback: String) -> String {
            keymap.keys(for: action, in: .dialog).first.map(\.description) ?? fallback
        }
        var hints = "\(key("dialog.save", "f2")) " + Localized(ro: "Salvare", en: "Save").text(language)
            + "   \(key("dialog.cancel", "esc")) " + Localized(ro: "Anulare", en: "Cancel").text(language)
        if contactsPage {
            hints += "   + " + Localized(ro: "Adăugare", en: "Add").text(language) + "   * "
                + Localized(ro: "Principală", en: "Primary").text(language) + "   del "
                + Localized(ro: "Ștergere", en: "Delete").text(language)
        } else if purpose == .filter {
            hints += "   \(key("criterion.add", "ins")) " + Localized(ro: "Condiție nouă", en: "New criterion").text(language)
                + "   \(key("criterion.remove", "ctrl+k")) " + Localized(ro: "Ștergere condiție", en: "Remove criterion").text(language)
        } else {
            hints += "   \(key("field.pick", "f3")) " + Localized(ro: "Listă/calendar", en: "List/calendar").text(language)
            if case .multiline? = form.focusedField?.kind {
                hints += "   \(key("field.editor", "f4")) " + Localized(ro: "Editor", en: "Editor").text(language)
            }
        }
        if isAccount && contactForm == nil {
            hints += "   \(key("dialog.page", "f6")) " + Localized(ro: "Pagina", en: "Page").text(language)
        }
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 1, style: Style(foreground: .muted, background: .panel),
                   maxWidth: box.width - 4)
    }
}

extension Dialog.Purpose {
    var isColumnRename: Bool { if case .columnRename = self { return true } else { return false } }

    /// One of the users' dialogs: closing it goes back to the users view.
    var isUsers: Bool {
        switch self {
        case .userAdd, .userEdit, .userRights, .userModules: return true
        default: return false
        }
    }
}
