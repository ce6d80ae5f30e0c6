import CRMCore
import CRMText
import TUIKit

/// Setări câmpuri vizibile: which columns the table shows, in which order and
/// how wide, and whether the first one stays put when the table scrolls
/// sideways. Space shows or hides, Shift+↑/↓ move, ←/→ narrow or widen, p pins.
struct ColumnsDialog: Sendable {
    struct Entry: Sendable, Equatable {
        let id: String
        let label: String
        var visible: Bool
        var width: Int
    }

    var entries: [Entry]
    var cursor = 0
    var pinned: Bool
    var message: String?

    init<Row, Order>(settings: TableSettings, columns: [TableColumn<Row, Order>], language: Language) {
        let shown = settings.visible(columns).map { Entry(id: $0.id, label: $0.label.text(language), visible: true, width: settings.width($0)) }
        let hidden = columns.filter { !settings.columns.contains($0.id) }
            .map { Entry(id: $0.id, label: $0.label.text(language), visible: false, width: settings.width($0)) }
        entries = shown + hidden
        pinned = settings.pinned
    }

    /// The settings these choices make, the sort kept.
    func settings(from base: TableSettings) -> TableSettings {
        var out = base
        out.columns = entries.filter(\.visible).map(\.id)
        out.widths = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0.width) })
        out.pinned = pinned
        return out
    }

    enum Event { case none, save, cancel }

    mutating func handle(_ key: Key, action: String?, language: Language) -> Event {
        message = nil
        switch action {
        case "dialog.save": 
            guard entries.contains(where: \.visible) else {
                message = Localized(ro: "Alegeți cel puțin o coloană", en: "Choose at least one column").text(language)
                return .none
            }
            return .save
        case "dialog.cancel": return .cancel
        default: break
        }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(entries.count - 1, cursor + 1)
        case .home: cursor = 0
        case .end: cursor = entries.count - 1
        case .char(" "), .enter: entries[cursor].visible.toggle()
        case .shiftUp where cursor > 0:
            entries.swapAt(cursor, cursor - 1)
            cursor -= 1
        case .shiftDown where cursor < entries.count - 1:
            entries.swapAt(cursor, cursor + 1)
            cursor += 1
        case .left: entries[cursor].width = max(3, entries[cursor].width - 1)
        case .right: entries[cursor].width = min(80, entries[cursor].width + 1)
        case .char("p"), .char("P"): pinned.toggle()
        default: break
        }
        return .none
    }

    func rect(width: Int, height: Int) -> Rect {
        Rect.centred(width: 74, height: min(entries.count + 6, height - 4), in: Rect(x: 0, y: 1, width: width, height: height - 2))
    }

    mutating func click(x: Int, y: Int, width: Int, height: Int) {
        let box = rect(width: width, height: height)
        let index = y - box.y - 2 + scroll(box)
        guard box.contains(x: x, y: y), entries.indices.contains(index) else { return }
        cursor = index
        entries[index].visible.toggle()
    }

    private func scroll(_ box: Rect) -> Int { max(0, cursor - (box.height - 6)) }

    func render(into buffer: inout ScreenBuffer, language: Language, keymap: Keymap) {
        let box = rect(width: buffer.width, height: buffer.height)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel),
                   title: Localized(ro: "Setări câmpuri vizibile", en: "Visible fields").text(language),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let pin = Localized(ro: "Prima coloană fixată: ", en: "First column pinned: ").text(language) + (pinned ? "[x]" : "[ ]")
        buffer.put(pin, x: box.x + 2, y: box.y + 1, style: Style(foreground: .muted, background: .panel))
        for (index, y) in ListWindow.rows(count: entries.count, cursor: cursor, visible: box.height - 5, top: box.y + 2, start: scroll(box)) {
            let entry = entries[index]
            let chosen = index == cursor
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: chosen, base: panel)
            buffer.put((entry.visible ? "[x] " : "[ ] ") + entry.label, x: box.x + 2, y: y, style: style, maxWidth: box.width - 12)
            let w = "\(entry.width)"
            buffer.put(w, x: box.x + box.width - 3 - w.count, y: y, style: chosen ? style : Style(foreground: .muted, background: .panel))
        }
        let save = keymap.keys(for: "dialog.save", in: .dialog).first?.description ?? "f2"
        let hints = message ?? Localized(ro: "spațiu arată/ascunde · shift+↑↓ mută · ←→ lățime · p fixează · \(save) salvare",
                                         en: "space show/hide · shift+↑↓ move · ←→ width · p pin · \(save) save").text(language)
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .error, background: .panel), maxWidth: box.width - 4)
    }
}
