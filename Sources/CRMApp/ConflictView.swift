import CRMCore
import CRMText
import TUIKit

/// Conflict la salvare (a concurrent change): someone else saved the account
/// after the dialog opened it, and changed some of the fields this user changed
/// too. One row per such field — their value and yours — ←/→ or space choose
/// which one is saved (marked ▶), t takes theirs everywhere, v yours; Enter or
/// F2 saves over their version, Esc goes back to the dialog. The fields only
/// they changed already hold their values; those only you changed keep yours.
struct ConflictView: Sendable {
    struct Row: Sendable, Equatable {
        let id: String
        let label: String
        let theirs: String
        let yours: String
        /// What each value shows (a choice's label).
        let theirsShown: String
        let yoursShown: String
        var keepYours = true
    }

    /// The dialog, rebased on their version, waiting for the choices.
    var dialog: Dialog
    var rows: [Row]
    /// Who saved meanwhile, and when ("ioana.marin, 10:32").
    let changedBy: String
    var cursor = 0

    enum Event: Equatable { case none, back, save }

    /// Compares what the dialog opened (`base`), what it holds now (yours) and
    /// the account as now stored (`theirs`, the same fields): fields only they
    /// changed take their values, both changed differently become rows.
    /// The dialog is rebased on their version either way.
    static func resolve(_ dialog: inout Dialog, theirs: [FormField], version: Int64?) -> [Row] {
        var rows: [Row] = []
        var rebased: [String: String] = [:]
        for their in theirs {
            let base = dialog.form.originalValue(their.id)
            guard let mine = dialog.form.fields.first(where: { $0.id == their.id }) else { continue }
            rebased[their.id] = their.value
            if mine.value == base && their.value != base {
                dialog.form.set(their.id, their.value)
            } else if mine.value != base && their.value != base && mine.value != their.value {
                rows.append(Row(id: their.id, label: mine.label, theirs: their.value, yours: mine.value,
                                theirsShown: their.display, yoursShown: mine.display))
            }
        }
        dialog.form.rebase(rebased)
        if case .account(let uuid, _) = dialog.purpose { dialog.purpose = .account(uuid: uuid, version: version) }
        return rows
    }

    /// The dialog with the chosen values in its fields.
    var resolved: Dialog {
        var out = dialog
        for row in rows { out.form.set(row.id, row.keepYours ? row.yours : row.theirs) }
        return out
    }

    mutating func handle(_ key: Key, action: String?) -> Event {
        if action == "dialog.cancel" { return .back }
        if action == "dialog.save" { return .save }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, rows.count - 1), cursor + 1)
        case .left, .right, .char(" "):
            if rows.indices.contains(cursor) { rows[cursor].keepYours.toggle() }
        case .char("t"), .char("T"): for i in rows.indices { rows[i].keepYours = false }
        case .char("v"), .char("V"), .char("y"), .char("Y"): for i in rows.indices { rows[i].keepYours = true }
        case .enter: return .save
        case .escape: return .back
        default: break
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        let area = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
        let box = Rect.centred(width: min(buffer.width - 2, 120), height: min(rows.count + 9, buffer.height - 4), in: area)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel),
                   title: Localized(ro: "Conflict la salvare", en: "Save conflict").text(language),
                   titleStyle: Style(foreground: .warning, background: .panel, bold: true))
        let intro = Localized(ro: "Contul a fost salvat între timp de \(changedBy). Alegeți, câmp cu câmp, ce rămâne:",
                              en: "The account was saved meanwhile by \(changedBy). Choose, field by field, what stays:")
        buffer.put(Sanitize.line(intro.text(language)), x: box.x + 2, y: box.y + 1, style: panel, maxWidth: box.width - 4)
        let labelWidth = 18
        let columnWidth = max(8, (box.width - labelWidth - 4) / 2)
        let head = Style(foreground: .muted, background: .panel, bold: true)
        buffer.put(Localized(ro: "Câmp", en: "Field").text(language), x: box.x + 2, y: box.y + 3, style: head)
        buffer.put(Localized(ro: "Valoarea lor", en: "Theirs").text(language), x: box.x + 2 + labelWidth, y: box.y + 3, style: head)
        buffer.put(Localized(ro: "Valoarea dvs.", en: "Yours").text(language), x: box.x + 2 + labelWidth + columnWidth, y: box.y + 3,
                   style: head)
        for (index, y) in ListWindow.rows(count: rows.count, cursor: cursor, visible: box.height - 7, top: box.y + 4) {
            let row = rows[index]
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            buffer.put(row.label, x: box.x + 2, y: y, style: style, maxWidth: labelWidth - 1)
            for (i, text) in [row.theirsShown, row.yoursShown].enumerated() {
                let kept = (i == 1) == row.keepYours
                var cell = style
                if kept { cell.bold = true } else if index != cursor { cell.foreground = .muted }
                buffer.put((kept ? "▶ " : "  ") + Sanitize.line(text), x: box.x + 2 + labelWidth + i * columnWidth, y: y,
                           style: cell, maxWidth: columnWidth - 1)
            }
        }
        let hints = Localized(ro: "←/→ alege · t toate ale lor · v toate ale dvs. · enter salvează · esc înapoi la formular",
                              en: "←/→ choose · t all theirs · v all yours · enter saves · esc back to the form")
        buffer.put(hints.text(language), x: box.x + 2, y: box.y + box.height - 2, style: Style(foreground: .muted, background: .panel),
                   maxWidth: box.width - 4)
    }
}
