import CRMCore
import CRMDocuments
import CRMText
import Foundation
import TUIKit

/// Web forms in the terminal (ADM-3): Setări → Formulare web lists the forms,
/// the designer edits one (settings, fields, predefined fields), G writes and
/// shows its HTML, A gives its address at `crm serve`; submissions arrive as
/// accounts and pop up for the user they are told to (`LeadsView`).
extension AccountBrowser {
    // MARK: - The list

    mutating func openWebForms(cursor: Int = 0, message: String? = nil) {
        let (crm, actor) = (self.crm, self.actor)
        guard let forms = attempt(nil, { try crm.webForms(for: actor) }) else { return }
        var view = WebFormsView(forms: forms, cursor: min(cursor, max(0, forms.count - 1)))
        view.message = message
        overlay = .webForms(view)
    }

    mutating func updateWebForms(_ view: WebFormsView, _ key: Key) -> Effect {
        var view = view
        let (crm, actor) = (self.crm, self.actor)
        do {
            switch view.handle(key) {
            case .none: overlay = .webForms(view)
            case .close: overlay = nil
            case .add: openDesigner(WebFormDefinition(name: ""), stored: nil, token: nil)
            case .edit(let name):
                let form = try crm.webForm(name, for: actor)
                openDesigner(form.definition, stored: form.definition.name, token: form.token)
            case .delete(let name):
                try crm.deleteWebForm(name, by: actor)
                openWebForms(cursor: view.cursor, message: t("Formular șters: \(name)", "Form deleted: \(name)"))
            case .submissions(let name):
                let rows = try crm.submissions(ofForm: name, for: actor)
                let table = WebSubmissionTable(rows, language: language)
                showRows(title: t("Înregistrări: ", "Submissions: ") + name, headers: table.headers, rows: table.rows)
            case .generate(let name):
                dialogReturn = .webForms(cursor: view.cursor)
                openGenerate(name)
            case .access(let name):
                let (text, effect) = access(try crm.webForm(name, for: actor))
                openWebForms(cursor: view.cursor, message: text)
                return effect
            }
        } catch {
            view.message = describe(error)
            overlay = .webForms(view)
        }
        return .none
    }

    // MARK: - The designer

    mutating func openDesigner(_ definition: WebFormDefinition, stored: String?, token: String?) {
        var designer = WebFormDesigner(definition: definition, stored: stored, token: token)
        designer.targetLabels = Dictionary(webFormTargets().map { ($0.target, $0.label) }, uniquingKeysWith: { a, _ in a })
        checkDesigner(&designer)
        overlay = .webFormDesigner(designer)
    }

    /// Every column a field may go to, as the designer names it ("Conturi → Denumire").
    func webFormTargets() -> [(target: String, label: String)] {
        let columns = (try? crm.customColumns(entity: "account", for: actor)) ?? []
        return WebFormTarget.all(customKeys: columns.map(\.key)).map { target in
            let column: String
            switch target {
            case .account(let f): column = f.label.text(language)
            case .contact(let f): column = f.label.text(language)
            case .custom(let key): column = columns.first { $0.key == key }?.label ?? key
            }
            return (target.description, target.table.text(language) + " → " + column)
        }
    }

    mutating func checkDesigner(_ designer: inout WebFormDesigner) {
        let issues = (try? crm.checkWebForm(designer.definition)) ?? []
        designer.problems = issues.map { $0.message(language) }
    }

    mutating func updateDesigner(_ designer: WebFormDesigner, _ key: Key) -> Effect {
        var designer = designer
        let before = designer.definition
        let event = designer.handle(key)
        switch event {
        case .none:
            // Asked of the core again only when the form changed (a row removed or moved), not for every key.
            if designer.definition != before { checkDesigner(&designer) }
            overlay = .webFormDesigner(designer)
        case .close:
            openWebForms(cursor: 0)
        case .save:
            return saveDesigner(&designer, then: nil)
        case .settings: openDesignerSettings(designer)
        case .addField: openFieldDialog(designer, index: nil)
        case .editField(let i): openFieldDialog(designer, index: i)
        case .addPreset: openPresetDialog(designer, index: nil)
        case .editPreset(let i): openPresetDialog(designer, index: i)
        case .generate: return saveDesigner(&designer, then: .generate)
        case .access: return saveDesigner(&designer, then: .access)
        }
        return .none
    }

    enum AfterSave { case generate, access }

    /// Saves the designer's form; then, if asked, generates its HTML or gives its address.
    @discardableResult
    mutating func saveDesigner(_ designer: inout WebFormDesigner, then next: AfterSave?) -> Effect {
        let (crm, actor) = (self.crm, self.actor)
        do {
            let saved = try crm.saveWebForm(designer.definition, replacing: designer.stored, by: actor)
            designer.definition = saved.definition
            designer.stored = saved.definition.name
            designer.token = saved.token
            designer.dirty = false
            designer.message = t("Formular salvat: \(saved.definition.name)", "Form saved: \(saved.definition.name)")
            checkDesigner(&designer)
            switch next {
            case .generate?:
                dialogReturn = .webFormDesigner(designer)
                openGenerate(saved.definition.name)
            case .access?:
                let (text, effect) = access(saved)
                designer.message = text
                overlay = .webFormDesigner(designer)
                return effect
            case nil:
                overlay = .webFormDesigner(designer)
            }
        } catch {
            designer.message = describe(error)
            overlay = .webFormDesigner(designer)
        }
        return .none
    }

    /// Accesează formular: the form's address at the service, opened in the
    /// desktop's browser (xdg-open) when this session has a display.
    func access(_ form: WebFormDetails, environment: [String: String] = ProcessInfo.processInfo.environment) -> (String, Effect) {
        let base = (try? crm.trackingURL()) ?? nil
        let address = form.address(base: base ?? "http://127.0.0.1:8080")
        let display = ["DISPLAY", "WAYLAND_DISPLAY"].contains { !(environment[$0] ?? "").isEmpty }
        let note = base == nil ? t(" (fără adresă publică: crm serve --public-url … o stabilește)", " (no public address: crm serve --public-url … sets it)") : ""
        let text = (display ? t("Deschis în browser: ", "Opened in the browser: ") : t("Formularul, de deschis în browser: ", "The form, to open in a browser: "))
            + address + note
        return (text, display ? .run(["xdg-open", address]) : .none)
    }

    // MARK: - The designer's dialogs

    mutating func openDesignerSettings(_ designer: WebFormDesigner) {
        let d = designer.definition
        let users = attempt([]) { [crm] in try crm.users() }
        let form = Form(fields: [
            FormField(id: "name", label: t("Denumire formular", "Form name"), value: d.name, mandatory: true),
            FormField(id: "success", label: t("Mesaj de succes", "Success message"), kind: .multiline(rows: 2), value: d.successMessage, mandatory: true),
            FormField(id: "error", label: t("Mesaj de eroare", "Error message"), kind: .multiline(rows: 2), value: d.errorMessage, mandatory: true),
            FormField(id: "successURL", label: t("Adresă după succes (în loc de mesaj)", "Address after success (instead of the message)"),
                      value: d.successURL ?? ""),
            FormField(id: "errorURL", label: t("Adresă după eroare (în loc de mesaj)", "Address after an error (instead of the message)"),
                      value: d.errorURL ?? ""),
            FormField(id: "site", label: t("Site-ul firmei (https://www.firma.ro)", "The company site (https://www.firma.ro)"), value: d.site ?? ""),
            FormField(id: "duplicates", label: t("Același e-mail sau CUI", "Same e-mail or CUI"),
                      kind: .choice(WebFormDuplicates.allCases.map { FormField.Choice($0.rawValue, $0.label.text(language)) }),
                      value: d.duplicates.rawValue),
            FormField(id: "notify", label: t("Anunță utilizatorul", "Notify the user"),
                      kind: .choice([FormField.Choice("", t("responsabilul contului", "the account's owner"))]
                                    + users.filter { !$0.disabled }.map { FormField.Choice($0.login, "\($0.login) — \($0.name)") }),
                      value: d.notify ?? ""),
            FormField(id: "enabled", label: t("Activ", "Enabled"), kind: .checkbox, value: d.enabled ? "da" : "nu"),
        ])
        dialogReturn = .webFormDesigner(designer)
        overlay = .dialog(Dialog(title: Localized(ro: "Setări formular", en: "Form settings"), purpose: .webFormSettings, form: form,
                                 language: language))
    }

    mutating func openFieldDialog(_ designer: WebFormDesigner, index: Int?) {
        let field = index.map { designer.definition.fields[$0] }
        let targets = webFormTargets().filter { WebFormTarget($0.target)?.visitorMayFill ?? false }
        let form = Form(fields: [
            FormField(id: "label", label: t("Denumire câmp", "Field label"), value: field?.label ?? "", mandatory: true),
            FormField(id: "target", label: t("Tabelă → coloană", "Table → column"), kind: .choice(targets.map { FormField.Choice($0.target, $0.label) }),
                      value: field?.target ?? "account.name", mandatory: true),
            FormField(id: "type", label: t("Tip", "Type"),
                      kind: .choice([FormField.Choice("", t("după coloană", "by the column"))]
                                    + WebFieldType.allCases.map { FormField.Choice($0.rawValue, $0.label.text(language)) }),
                      value: field?.type.rawValue ?? ""),
            FormField(id: "required", label: t("Obligatoriu", "Required"), kind: .checkbox, value: field?.required == true ? "da" : "nu"),
        ])
        dialogReturn = .webFormDesigner(designer)
        overlay = .dialog(Dialog(title: index == nil ? Localized(ro: "Adăugare câmp", en: "Add field") : Localized(ro: "Modificare câmp", en: "Change field"),
                                 purpose: .webFormField(index: index), form: form, language: language))
    }

    mutating func openPresetDialog(_ designer: WebFormDesigner, index: Int?) {
        let preset = index.map { designer.definition.presets[$0] }
        var form = Form(fields: [
            FormField(id: "target", label: t("Tabelă → coloană", "Table → column"),
                      kind: .choice(webFormTargets().map { FormField.Choice($0.target, $0.label) }),
                      value: preset?.target ?? "account.folder", mandatory: true),
            FormField(id: "value", label: t("Valoare predefinită", "Predefined value"), value: preset?.value ?? "", mandatory: true),
        ])
        let (crm, actor) = (self.crm, self.actor)
        let folders = attempt([]) { try crm.folderTree(for: actor) }.map(\.path)
        let zones = attempt([]) { try crm.zones(for: actor) }.map(\.name)
        form.message = t("Dosare: ", "Folders: ") + folders.prefix(8).joined(separator: ", ") + (folders.count > 8 ? " …" : "")
            + (zones.isEmpty ? "" : t(" · Zone: ", " · Zones: ") + zones.joined(separator: ", "))
        dialogReturn = .webFormDesigner(designer)
        overlay = .dialog(Dialog(title: index == nil ? Localized(ro: "Adăugare câmp predefinit", en: "Add predefined field")
                                     : Localized(ro: "Modificare câmp predefinit", en: "Change predefined field"),
                                 purpose: .webFormPreset(index: index), form: form, language: language))
    }

    /// A designer's dialog saved: its values into the designer (checked when the form is saved).
    mutating func saveDesignerDialog(_ dialog: inout Dialog) {
        guard case .webFormDesigner(var designer)? = dialogReturn else { overlay = nil; return }
        let form = dialog.form
        var d = designer.definition
        switch dialog.purpose {
        case .webFormSettings:
            d.name = form.value("name")
            d.successMessage = form.value("success")
            d.errorMessage = form.value("error")
            d.successURL = form.value("successURL").isEmpty ? nil : form.value("successURL")
            d.errorURL = form.value("errorURL").isEmpty ? nil : form.value("errorURL")
            d.site = form.value("site").isEmpty ? nil : form.value("site")
            d.duplicates = WebFormDuplicates(rawValue: form.value("duplicates")) ?? .attach
            d.notify = form.value("notify").isEmpty ? nil : form.value("notify")
            d.enabled = form.value("enabled") == "da"
        case .webFormField(let index):
            let target = form.value("target")
            let type = WebFieldType(rawValue: form.value("type"))
            var field = WebFormField(name: index.map { d.fields[$0].name } ?? "", label: form.value("label"), target: target, type: type,
                                     required: form.value("required") == "da")
            // A field moved to another column gets the name its label gives.
            if let index, d.fields[index].target != target { field.name = "" }
            if type == nil, let t = WebFormTarget(target) {
                field.type = (try? crm.defaultWebFieldType(t)) ?? field.type
            }
            if let index { d.fields[index] = field } else { d.fields.append(field); designer.cursor = d.fields.count - 1 }
        case .webFormPreset(let index):
            let preset = WebFormPreset(target: form.value("target"), value: form.value("value"))
            if let index { d.presets[index] = preset } else { d.presets.append(preset); designer.cursor = d.fields.count + d.presets.count - 1 }
        default: break
        }
        designer.definition = d
        designer.dirty = true
        dialogReturn = nil
        checkDesigner(&designer)
        overlay = .webFormDesigner(designer)
    }

    // MARK: - Generating the HTML

    mutating func openGenerate(_ name: String) {
        let base = ((try? crm.trackingURL()) ?? nil) ?? "http://127.0.0.1:8080"
        let file = WebFormsView.fileName(name)
        var form = Form(fields: [
            FormField(id: "base", label: t("Adresa publică a serviciului (crm serve)", "The service's public address (crm serve)"), value: base,
                      mandatory: true),
            FormField(id: "file", label: t("Fișier HTML", "HTML file"), value: file, mandatory: true),
        ])
        form.message = t("Codul se scrie în fișier și se arată, pentru a fi copiat în pagina site-ului",
                         "The code is written to the file and shown, to be copied into the site's page")
        overlay = .dialog(Dialog(title: Localized(ro: "Generează formular: \(name)", en: "Generate the form: \(name)"),
                                 purpose: .webFormGenerate(name), form: form, language: language))
    }

    mutating func saveGenerate(_ dialog: inout Dialog, _ name: String) throws {
        let base = dialog.form.value("base").trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: base), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            dialog.form.show(errors: ["base": t("o adresă web, de ex. https://crm.firma.ro", "a web address, e.g. https://crm.firma.ro")])
            return
        }
        let form = try crm.webForm(name, for: actor)
        let html = WebFormHTML.snippet(form, action: form.address(base: base))
        let path = dialog.form.value("file")
        try NewFile.write(Array(html.utf8), to: path)
        overlay = .text(TextViewer(title: t("Formular web «\(name)» — scris în \(path)", "Web form «\(name)» — written to \(path)"), text: html,
                                   hint: t("↑↓ derulează · esc închide", "↑↓ scroll · esc closes")))
        // Closing the code goes back where it was asked from.
        if case .webFormDesigner(var designer)? = dialogReturn {
            designer.message = t("HTML scris în \(path)", "HTML written to \(path)")
            dialogReturn = .webFormDesigner(designer)
        }
    }

    // MARK: - Submissions told to this user

    /// Pops up the submissions told to this user and not seen yet (not over an open window).
    mutating func checkLeads() {
        guard overlay == nil else { return }
        let (crm, actor) = (self.crm, self.actor)
        let fresh = attempt([]) { try crm.unseenSubmissions(for: actor) }
        guard !fresh.isEmpty else { return }
        overlay = .leads(LeadsView(submissions: fresh))
    }

    mutating func updateLeads(_ view: LeadsView, _ key: Key) {
        var view = view
        let (crm, actor) = (self.crm, self.actor)
        switch view.handle(key) {
        case .none: overlay = .leads(view)
        case .close:
            attempt(()) { try crm.markSubmissionsSeen(view.submissions.map(\.uuid), by: actor) }
            overlay = nil
        case .open(let submission):
            attempt(()) { try crm.markSubmissionsSeen([submission.uuid], by: actor) }
            overlay = nil
            guard let uuid = submission.accountUUID else { return }
            if page != .accounts { openPage(.accounts) }
            selectFolder(0)
            reloadAfterChange(keeping: nil, uuid: uuid)
            focus = .accounts
            message = t("Din formularul «\(submission.form)»: \(submission.accountName ?? "")", "From the form «\(submission.form)»: \(submission.accountName ?? "")")
        }
    }
}

/// The new submissions of web forms told to this user: Enter opens the chosen
/// one's account, Esc closes (they count as seen).
struct LeadsView: Sendable {
    var submissions: [WebSubmissionDetails]
    var cursor = 0

    enum Event: Equatable { case none, close, open(WebSubmissionDetails) }

    mutating func handle(_ key: Key) -> Event {
        switch key {
        case .escape: return .close
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, submissions.count - 1), cursor + 1)
        case .enter: return submissions.indices.contains(cursor) ? .open(submissions[cursor]) : .none
        default: break
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let area = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
        let chosen = submissions.indices.contains(cursor) ? submissions[cursor] : nil
        let details = chosen.map { $0.summary.components(separatedBy: "\n") } ?? []
        let box = Rect.centred(width: min(buffer.width - 2, 100), height: min(submissions.count + details.count + 7, buffer.height - 4), in: area)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel),
                   title: t("Formulare web: \(submissions.count) înregistrări noi", "Web forms: \(submissions.count) new submissions"),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let listHeight = max(1, min(submissions.count, box.height - 5 - min(details.count, 6)))
        for (index, y) in ListWindow.rows(count: submissions.count, cursor: cursor, visible: listHeight, top: box.y + 1) {
            let s = submissions[index]
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            let outcome = s.attached ? t("atașat contului existent", "attached to the existing account") : t("cont nou", "new account")
            buffer.put("\(Timestamp.local(s.at)) · \(s.form) · \(s.accountName ?? t("(cont nevăzut)", "(account not visible)")) · \(outcome)",
                       x: box.x + 2, y: y, style: style, maxWidth: box.width - 4)
        }
        var y = box.y + 2 + listHeight
        for line in details where y < box.y + box.height - 2 {
            buffer.put(line, x: box.x + 2, y: y, style: Style(foreground: .muted, background: .panel), maxWidth: box.width - 4)
            y += 1
        }
        buffer.put(t("enter deschide contul · esc închide (rămân în Setări → Formulare web → r)",
                     "enter opens the account · esc closes (they stay in Settings → Web forms → r)"),
                   x: box.x + 2, y: box.y + box.height - 2, style: Style(foreground: .muted, background: .panel), maxWidth: box.width - 4)
    }
}

extension WebFormsView {
    /// A form's file name for its HTML: its name in ASCII, .html.
    static func fileName(_ form: String) -> String {
        let ascii = Fold.key(form).map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        let trimmed = ascii.split(separator: "-").joined(separator: "-")
        return (trimmed.isEmpty ? "formular" : trimmed) + ".html"
    }
}
