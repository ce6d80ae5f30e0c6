import CRMCore
import CRMText
import TUIKit

/// Note și fișiere: every note the user sees, newest first, searched as one
/// types (text, account, file names), filtered by type (Tab cycles), Enter
/// on a note with files saves (and opens) one, Ctrl+E exports the list, Esc
/// closes.
struct NotesView: Sendable {
    var search = TextField()
    var types: [String]
    /// The type shown; nil: every type.
    var type: String?
    var rows: [NoteDetails] = []
    var cursor = 0
    var message: String?

    /// At most this many notes are listed (the search narrows them).
    static let limit = 500

    enum Event: Equatable { case none, close, reload, open(Int), export }

    var selected: NoteDetails? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    mutating func handle(_ key: Key, action: String?) -> Event {
        message = nil
        if action == "dialog.cancel" || key == .escape { return .close }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, rows.count - 1), cursor + 1)
        case .pageUp: cursor = max(0, cursor - 10)
        case .pageDown: cursor = min(max(0, rows.count - 1), cursor + 10)
        case .enter: return rows.indices.contains(cursor) ? .open(cursor) : .none
        case .tab:
            let all: [String?] = [nil] + types.map { $0 }
            let i = all.firstIndex { $0 == type } ?? 0
            type = all[(i + 1) % all.count]
            return .reload
        case .ctrl("e"): return .export
        default:
            if search.handle(key) { cursor = 0; return .reload }
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let area = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
        let box = Rect.centred(width: min(buffer.width - 2, 150), height: buffer.height - 4, in: area)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel),
                   title: t("Note și fișiere", "Notes and files") + " (\(rows.count)\(rows.count == Self.limit ? "+" : ""))",
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let label = t("Căutare:", "Search:")
        buffer.put(label, x: box.x + 2, y: box.y + 1, style: Style(foreground: .muted, background: .panel))
        search.render(into: &buffer, x: box.x + 3 + DisplayWidth.of(label), y: box.y + 1, width: 30,
                      style: Style(foreground: .text, background: .surface, underline: true), focused: true)
        buffer.put(t("Tip: ", "Type: ") + (type ?? t("toate", "all")), x: box.x + 40 + DisplayWidth.of(label), y: box.y + 1,
                   style: Style(foreground: .muted, background: .panel))
        // Date, account, type, text (what is left), files.
        let columns = [17, 24, 10, max(10, box.width - 4 - (17 + 24 + 10 + 24) - 4), 24]
        var xs: [Int] = []
        var x = box.x + 2
        for w in columns { xs.append(x); x += w + 1 }
        let head = Style(foreground: .muted, background: .panel, bold: true)
        for (i, h) in [t("Data", "Date"), t("Cont", "Account"), t("Tip", "Type"), t("Text", "Text"), t("Fișiere", "Files")].enumerated() {
            buffer.put(h, x: xs[i], y: box.y + 3, style: head, maxWidth: columns[i])
        }
        for (index, y) in ListWindow.rows(count: rows.count, cursor: cursor, visible: box.height - 6, top: box.y + 4) {
            let n = rows[index]
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            let cells = [n.record.meta.map { Timestamp.local($0.createdAt) } ?? "", n.account, n.record.type ?? "", n.record.text,
                         n.files.map(\.name).joined(separator: ", ")]
            for (i, text) in cells.enumerated() { buffer.put(Sanitize.line(text), x: xs[i], y: y, style: style, maxWidth: columns[i]) }
        }
        let hints = message ?? t("scrieți pentru a căuta · tab tipul · enter fișierul · ctrl+e export · esc închide",
                                 "type to search · tab the type · enter the file · ctrl+e export · esc closes")
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .warning, background: .panel), maxWidth: box.width - 4)
    }
}
