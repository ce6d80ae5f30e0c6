import CRMCore
import CRMText
import TUIKit

/// The command palette (Ctrl-P): every action by its Romanian or English name,
/// matched fuzzily as one types; Enter runs the chosen one.
struct Palette: Sendable {
    var query = TextField()
    var selected = 0
    /// Actions the user may not run: not offered.
    var hidden: Set<String> = []

    /// The matching actions, best first.
    func matches(_ language: Language) -> [Actions.Action] {
        let candidates = Actions.all.filter { $0.palette && !hidden.contains($0.id) }
        if query.text.isEmpty { return candidates.sorted { $0.text.text(language) < $1.text.text(language) } }
        let scored = candidates.compactMap { action -> (Actions.Action, Int)? in
            // The interface's own language wins a tie.
            let own = Fuzzy.score(query.text, action.text.text(language)).map { $0 + 50 }
            let best = [own, Fuzzy.score(query.text, action.text.ro), Fuzzy.score(query.text, action.text.en),
                        Fuzzy.score(query.text, action.id)].compactMap { $0 }.max()
            return best.map { (action, $0) }
        }
        return scored.sorted { $0.1 > $1.1 }.map(\.0)
    }

    enum Event { case none, close, run(String) }

    mutating func handle(_ key: Key, cancel: Bool, language: Language) -> Event {
        if cancel || key == .escape { return .close }
        let list = matches(language)
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, list.count - 1), selected + 1)
        case .enter: return list.indices.contains(selected) ? .run(list[selected].id) : .none
        default:
            if query.handle(key) { selected = 0 }
        }
        return .none
    }

    func rect(width: Int, height: Int) -> Rect {
        Rect(x: max(0, (width - 64) / 2), y: 2, width: min(64, width), height: min(16, height - 3))
    }

    func render(into buffer: inout ScreenBuffer, keymap: Keymap, language: Language) {
        let box = rect(width: buffer.width, height: buffer.height)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel),
                   title: Localized(ro: "Paleta de comenzi", en: "Command palette").text(language),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        buffer.put("›", x: box.x + 2, y: box.y + 1, style: Style(foreground: .accent, background: .panel, bold: true))
        query.render(into: &buffer, x: box.x + 4, y: box.y + 1, width: box.width - 6,
                     style: Style(foreground: .text, background: .surface, underline: true), focused: true)
        let list = matches(language)
        for (index, y) in ListWindow.rows(count: list.count, cursor: selected, visible: box.height - 4, top: box.y + 3) {
            let action = list[index]
            let chosen = index == selected
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: chosen, base: panel)
            buffer.put(action.text.text(language), x: box.x + 2, y: y, style: style, maxWidth: box.width - 16)
            let key = keymap.keys(for: action.id, in: .browser).first?.description ?? ""
            buffer.put(key, x: box.x + box.width - 2 - DisplayWidth.of(key), y: y,
                       style: chosen ? style : Style(foreground: .muted, background: .panel))
        }
        if list.isEmpty {
            buffer.put(Localized(ro: "Nicio comandă nu se potrivește", en: "No command matches").text(language),
                       x: box.x + 2, y: box.y + 3, style: Style(foreground: .muted, background: .panel))
        }
    }
}
