import CRMCore
import TUIKit

/// The help screen: every action, with the keys the active key map binds to it
/// (a user's own bindings included) — generated, so it is never out of date.
public struct HelpOverlay: Sendable {
    public init() {}

    /// One line per bound action: its keys (in the panes, then in dialogs) and what it does.
    public static func lines(keymap: Keymap, language: Language) -> [(keys: String, text: String)] {
        Actions.all.compactMap { action in
            var keys = keymap.keys(for: action.id, in: .browser).map(\.description)
            for key in keymap.keys(for: action.id, in: .dialog).map(\.description) where !keys.contains(key) { keys.append(key) }
            return keys.isEmpty ? nil : (keys.joined(separator: ", "), action.text.text(language))
        }
    }

    public func render(into buffer: inout ScreenBuffer, keymap: Keymap, language: Language, scroll: Int = 0) {
        let rows = Self.lines(keymap: keymap, language: language)
        let box = Rect.centred(width: 76, height: rows.count + 4, in: Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2))
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel),
                   title: Localized(ro: "Ajutor — taste", en: "Help — keys").text(language),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let visible = box.height - 3
        let start = min(scroll, max(0, rows.count - visible))
        for (line, row) in rows[start...].prefix(visible).enumerated() {
            buffer.put(row.keys, x: box.x + 2, y: box.y + 1 + line, style: Style(foreground: .accent, background: .panel), maxWidth: 24)
            buffer.put(row.text, x: box.x + 27, y: box.y + 1 + line, style: panel, maxWidth: box.width - 29)
        }
        buffer.put(Localized(ro: "↑↓ derulare · orice altă tastă închide", en: "↑↓ scroll · any other key closes").text(language),
                   x: box.x + 2, y: box.y + box.height - 2, style: Style(foreground: .muted, background: .panel))
    }
}
