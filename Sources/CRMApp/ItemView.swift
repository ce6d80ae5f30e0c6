import CRMCore
import CRMStore
import CRMText
import TUIKit

/// An opportunity or activity opened from an account's Istoric (Enter, a double
/// click): its fields, and its own history — its offers and its notes with
/// their files, newest first. Enter on a note saves or opens its files, on an
/// offer prints it (Tipărire); F4 (or e) changes the item in its dialog
/// (stage, dates, reminder), Alt+N adds a note, Esc closes.
struct ItemView: Sendable {
    var item: WorkItemDetails
    var history: [WorkEntry]
    var cursor = 0
    var message: String?

    enum Event: Equatable { case none, close, edit, addNote, addOffer, open(Int), delete(Int) }

    mutating func handle(_ key: Key, action: String?, browserAction: String?) -> Event {
        message = nil
        if action == "dialog.cancel" { return .close }
        if browserAction == "note.add" { return .addNote }
        if browserAction == "offer.add" || key == .char("o") || key == .char("O") { return item.kind == .opportunity ? .addOffer : .none }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = max(0, min(history.count - 1, cursor + 1))
        case .home: cursor = 0
        case .end: cursor = max(0, history.count - 1)
        case .enter: return history.indices.contains(cursor) ? .open(cursor) : .edit
        case .function(4), .char("e"), .char("E"): return .edit
        case .delete: return history.indices.contains(cursor) ? .delete(cursor) : .none
        default: break
        }
        return .none
    }

    /// The item's facts as label and value, the empty ones left out.
    func facts(_ language: Language) -> [(String, String)] {
        let r = item.record
        var out: [(Localized, String)] = [(Localized(ro: "Cont", en: "Account"), item.account.name), (WorkItemField.stage.label, item.stage.name),
                                          (WorkItemField.owner.label, item.owner ?? "")]
        if item.kind == .opportunity {
            out.append((WorkItemField.amount.label, r.amount.map { Money.text($0) + " " + (r.currency ?? "") } ?? ""))
            out.append((WorkItemField.dueDate.label, r.dueDate ?? ""))
        } else {
            out.append((WorkItemField.type.label, r.type ?? ""))
        }
        out.append((WorkItemField.closeDate.label, r.closeDate ?? ""))
        out.append((WorkItemField.reminder.label, r.reminderAt.map {
            Timestamp.local($0) + (r.reminderDone ? Localized(ro: " (închis)", en: " (dismissed)").text(language) : "")
        } ?? ""))
        out += item.custom.compactMap { column, value in
            let text = CustomColumns.cell(value, type: CustomColumnType(rawValue: column.type) ?? .text).display(language)
            return text.isEmpty ? nil : (Localized(ro: column.label, en: column.label), text)
        }
        out.append((WorkItemField.details.label, r.details ?? ""))
        return out.filter { !$0.1.isEmpty }.map { ($0.0.text(language), $0.1) }
    }

    func rect(width: Int, height: Int) -> Rect {
        Rect.centred(width: min(96, width - 4), height: height - 4, in: Rect(x: 0, y: 1, width: width, height: height - 2))
    }

    func render(into buffer: inout ScreenBuffer, language: Language, line: (WorkEntry) -> String, style lineStyle: (WorkEntry) -> Style) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let box = rect(width: buffer.width, height: buffer.height)
        let panel = Style(foreground: .text, background: .panel)
        let title = (item.kind == .opportunity ? t("Oportunitate", "Opportunity") : t("Activitate", "Activity")) + " — " + item.account.name
        buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel), title: title,
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        var y = box.y + 1
        let bottom = box.y + box.height - 2
        for (label, value) in facts(language) where y < bottom - 3 {
            buffer.put(label, x: box.x + 2, y: y, style: Style(foreground: .muted, background: .panel), maxWidth: 15)
            buffer.put(value, x: box.x + 18, y: y, style: panel, maxWidth: box.width - 20)
            y += 1
        }
        y += 1
        buffer.put(t("Istoric: oferte, note și fișiere", "History: offers, notes and files") + " (\(history.count))", x: box.x + 2, y: y,
                   style: Style(foreground: .primary, background: .panel, bold: true))
        y += 1
        if history.isEmpty {
            buffer.put(t("Nicio ofertă sau notă încă", "No offers or notes yet"), x: box.x + 2, y: y, style: Style(foreground: .muted, background: .panel))
        }
        for (index, row) in ListWindow.rows(count: history.count, cursor: cursor, visible: max(1, bottom - y), top: y) {
            var style = buffer.listRow(x: box.x + 1, y: row, width: box.width - 2, chosen: index == cursor, base: panel)
            if index != cursor { style.foreground = lineStyle(history[index]).foreground }
            let day = Timestamp.local(history[index].createdAt)
            buffer.put(String(day.prefix(16)) + "  " + line(history[index]), x: box.x + 2, y: row, style: style, maxWidth: box.width - 4)
        }
        let hints = message ?? t("enter fișierele notei / tipărirea ofertei / e-mailul · f4 modificare · alt+n notă nouă · o ofertă nouă · esc închide",
                                 "enter a note's files / print an offer / the e-mail · f4 change · alt+n new note · o new offer · esc close")
        buffer.put(hints, x: box.x + 2, y: bottom, style: Style(foreground: message == nil ? .muted : .error, background: .panel),
                   maxWidth: box.width - 4)
    }
}
