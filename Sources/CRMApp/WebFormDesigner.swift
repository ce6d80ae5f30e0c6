import CRMCore
import CRMText
import TUIKit

/// Formulare web: every form with its fields, submissions and address. N (Ins)
/// adds a form, Enter (F4) opens it in the designer, R shows its submissions,
/// G generates its HTML, A gives its address for a test, Del twice deletes it.
struct WebFormsView: Sendable {
    var forms: [WebFormDetails]
    var cursor = 0
    var message: String?
    /// The form a first Del named: a second Del deletes it.
    var pendingDelete: String?

    enum Event: Equatable { case none, close, add, edit(String), delete(String), submissions(String), generate(String), access(String) }

    var selected: WebFormDetails? { forms.indices.contains(cursor) ? forms[cursor] : nil }

    mutating func handle(_ key: Key) -> Event {
        message = nil
        let pending = pendingDelete
        pendingDelete = nil
        switch key {
        case .escape: return .close
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, forms.count - 1), cursor + 1)
        case .home, .pageUp: cursor = 0
        case .end, .pageDown: cursor = max(0, forms.count - 1)
        case .char("n"), .char("N"), .insert: return .add
        case .enter, .function(4): return selected.map { .edit($0.definition.name) } ?? .none
        case .char("r"), .char("R"): return selected.map { .submissions($0.definition.name) } ?? .none
        case .char("g"), .char("G"): return selected.map { .generate($0.definition.name) } ?? .none
        case .char("a"), .char("A"): return selected.map { .access($0.definition.name) } ?? .none
        case .delete:
            guard let name = selected?.definition.name else { break }
            if pending == name { return .delete(name) }
            pendingDelete = name
        default: break
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let list = ListPanel(title: t("Formulare web", "Web forms"), header: t("Formular · câmpuri · înregistrări · ultima · adresa",
                                                                               "Form · fields · submissions · last · address"),
                             empty: t("Niciun formular: n adaugă unul", "No forms: n adds one"), count: forms.count, cursor: cursor)
        list.draw(into: &buffer) { index in
            let f = forms[index]
            let off = f.definition.enabled ? "" : t(" (oprit)", " (off)")
            return "\(f.definition.name)\(off) · \(f.definition.fields.count) · \(f.submissions) · "
                + (f.lastSubmission.map { Timestamp.local($0) } ?? "—") + " · " + WebFormHTML.path + f.token
        }
        let hints = pendingDelete.map { t("Del încă o dată șterge «\($0)» (conturile primite rămân)", "Del once more deletes «\($0)» (the accounts received stay)") }
            ?? message ?? t("n adăugare formular · enter modifică · r înregistrări · g generează formular · a accesează formular · del șterge · esc închide",
                            "n add form · enter edits · r submissions · g generate the form · a open the form · del deletes · esc closes")
        list.foot(hints, warning: message != nil || pendingDelete != nil, into: &buffer)
    }
}

/// The designer of one web form (ADM-3): its settings at the top, its fields
/// and predefined fields below, and what the core says is still wrong. S
/// changes the settings, Ins adds a field (Adăugare câmp), P a predefined one
/// (Adăugare câmp predefinit), Enter/F4 changes the chosen row, Del removes it,
/// Shift+↑/↓ or < > move a field; G generates the HTML and A opens the form's
/// address (both save first); F2 saves; Esc asks before dropping changes.
struct WebFormDesigner: Sendable {
    var definition: WebFormDefinition
    /// The stored form's name (nil: not saved yet).
    var stored: String?
    var token: String?
    /// The rows: fields first, then the predefined values.
    var cursor = 0
    var dirty = false
    var message: String?
    /// What the core finds wrong with the definition as it stands.
    var problems: [String] = []
    var confirmingDiscard = false
    /// The labels of the targets ("Conturi → Denumire"), by target.
    var targetLabels: [String: String] = [:]

    enum Event: Equatable { case none, close, save, settings, addField, addPreset, editField(Int), editPreset(Int), generate, access }

    var rowCount: Int { definition.fields.count + definition.presets.count }

    mutating func handle(_ key: Key) -> Event {
        message = nil
        if confirmingDiscard {
            confirmingDiscard = false
            return [.char("d"), .char("D"), .char("y"), .char("Y")].contains(key) ? .close : .none
        }
        let fields = definition.fields.count
        switch key {
        case .escape:
            if dirty { confirmingDiscard = true; return .none }
            return .close
        case .function(2): return .save
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, rowCount - 1), cursor + 1)
        case .home, .pageUp: cursor = 0
        case .end, .pageDown: cursor = max(0, rowCount - 1)
        case .insert, .char("+"): return .addField
        case .char("p"), .char("P"): return .addPreset
        case .char("s"), .char("S"), .function(3): return .settings
        case .char("g"), .char("G"): return .generate
        case .char("a"), .char("A"): return .access
        case .enter, .function(4):
            guard rowCount > 0 else { return .none }
            return cursor < fields ? .editField(cursor) : .editPreset(cursor - fields)
        case .delete:
            guard rowCount > 0 else { break }
            if cursor < fields { definition.fields.remove(at: cursor) } else { definition.presets.remove(at: cursor - fields) }
            cursor = max(0, min(cursor, rowCount - 1))
            dirty = true
        case .shiftUp, .char("<"): moveField(-1)
        case .shiftDown, .char(">"): moveField(1)
        default: break
        }
        return .none
    }

    mutating func moveField(_ delta: Int) {
        let target = cursor + delta
        guard cursor < definition.fields.count, definition.fields.indices.contains(target) else { return }
        definition.fields.swapAt(cursor, target)
        cursor = target
        dirty = true
    }

    static func box(width: Int, height: Int) -> Rect {
        Rect.centred(width: min(width - 2, 120), height: max(12, height - 4), in: Rect(x: 0, y: 1, width: width, height: height - 2))
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let d = definition
        let box = Self.box(width: buffer.width, height: buffer.height)
        let panel = Style(foreground: .text, background: .panel)
        let muted = Style(foreground: .muted, background: .panel)
        let heading = Style(foreground: .primary, background: .panel, bold: true)
        let title = t("Formular web", "Web form") + ": " + (d.name.isEmpty ? t("nou", "new") : d.name) + (dirty ? " •" : "")
        buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel), title: title, titleStyle: heading)
        let x = box.x + 2, w = box.width - 4
        var y = box.y + 1
        let settings: [(String, String)] = [
            (t("Mesaj de succes", "Success message"), d.successURL.map { "→ \($0)" } ?? d.successMessage),
            (t("Mesaj de eroare", "Error message"), d.errorURL.map { "→ \($0)" } ?? d.errorMessage),
            (t("Site", "Site"), d.site ?? t("oricare (fără verificarea originii)", "any (no origin check)")),
            (t("Duplicate (același e-mail sau CUI)", "Duplicates (same e-mail or CUI)"), d.duplicates.label.text(language)),
            (t("Anunță", "Notifies"), d.notify ?? t("responsabilul contului", "the account's owner")),
            (t("Adresa", "Address"), (token.map { WebFormHTML.path + $0 } ?? t("(după salvare)", "(once saved)"))
                + (d.enabled ? "" : t(" — oprit", " — switched off"))),
        ]
        for (label, value) in settings {
            let offset = min(36, DisplayWidth.of(label) + 2)
            buffer.put(label + ": ", x: x, y: y, style: muted, maxWidth: w)
            buffer.put(value, x: x + offset, y: y, style: panel, maxWidth: max(0, w - offset))
            y += 1
        }
        y += 1
        buffer.put(t("Câmpuri (Denumire · Tabelă → Coloană · Tip · Obligatoriu)", "Fields (Label · Table → Column · Type · Required)"),
                   x: x, y: y, style: heading, maxWidth: w)
        y += 1
        let listBottom = box.y + box.height - 3 - min(3, problems.count)
        var rows: [String] = d.fields.map { f in
            "\(f.label) · \(targetLabels[f.target] ?? f.target) · \(f.type.label.text(language))" + (f.required ? t(" · obligatoriu", " · required") : "")
        }
        let presetStart = rows.count
        rows += d.presets.map { p in "\(targetLabels[p.target] ?? p.target) = \(p.value)" }
        if d.fields.isEmpty {
            buffer.put(t("Niciun câmp: Ins adaugă unul", "No fields: Ins adds one"), x: x, y: y, style: muted, maxWidth: w)
        }
        // One list, fields then predefined values, with a heading between them.
        let visible = max(1, listBottom - y - 1)
        for (index, row) in ListWindow.rows(count: rows.count, cursor: cursor, visible: visible, top: y) {
            let shifted = index >= presetStart ? row + 1 : row
            if index == presetStart && shifted - 1 >= y {
                buffer.put(t("Câmpuri predefinite (ascunse vizitatorului)", "Predefined fields (hidden from the visitor)"),
                           x: x, y: shifted - 1, style: heading, maxWidth: w)
            }
            guard shifted < listBottom else { continue }
            let style = buffer.listRow(x: box.x + 1, y: shifted, width: box.width - 2, chosen: index == cursor, base: panel)
            buffer.put(rows[index], x: x, y: shifted, style: style, maxWidth: w)
        }
        if d.presets.isEmpty {
            let py = min(listBottom - 1, y + max(1, d.fields.count) + 1)
            buffer.put(t("Niciun câmp predefinit: p adaugă unul (dosarul, zona, responsabilul…)",
                         "No predefined fields: p adds one (the folder, the zone, the owner…)"), x: x, y: py, style: muted, maxWidth: w)
        }
        for (i, problem) in problems.prefix(3).enumerated() {
            buffer.put("⚠ " + problem, x: x, y: listBottom + i, style: Style(foreground: .warning, background: .panel), maxWidth: w)
        }
        let foot: String
        if confirmingDiscard {
            foot = t("Modificări nesalvate: d le aruncă, orice altă tastă rămâne", "Unsaved changes: d discards them, any other key stays")
        } else {
            foot = message ?? t("s setări · ins câmp · p câmp predefinit · enter modifică · del șterge · < > mută · g generează · a accesează · f2 salvează · esc",
                                "s settings · ins field · p predefined field · enter edits · del deletes · < > move · g generate · a open · f2 saves · esc")
        }
        buffer.put(foot, x: x, y: box.y + box.height - 2,
                   style: Style(foreground: message != nil || confirmingDiscard ? .warning : .muted, background: .panel), maxWidth: w)
    }
}
