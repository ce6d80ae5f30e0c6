import CRMCore
import TUIKit

/// The help screen: every action the page knows, with the keys the key map binds
/// to it (a user's own bindings included).
public struct HelpOverlay: Sendable {
    public init() {}

    public func render(into buffer: inout ScreenBuffer, keymap: Keymap, language: Language) {
        let rows = Actions.descriptions.filter { !keymap.keys(for: $0.id).isEmpty }
        let width = min(buffer.width - 4, 64)
        let height = min(buffer.height - 2, rows.count + 4)
        let x = (buffer.width - width) / 2, y = (buffer.height - height) / 2
        let panel = Style(foreground: .text, background: .panel)
        buffer.fill(x: x, y: y, width: width, height: height, style: panel)
        let title = Localized(ro: "Ajutor — taste", en: "Help — keys").text(language)
        buffer.put(" " + title + " ", x: x + 2, y: y, style: Style(foreground: .primary, background: .panel, bold: true))
        for (line, row) in rows.prefix(height - 3).enumerated() {
            let keys = keymap.keys(for: row.id).map(\.description).joined(separator: ", ")
            buffer.put(keys, x: x + 2, y: y + 2 + line, style: Style(foreground: .accent, background: .panel), maxWidth: 18)
            buffer.put(row.text.text(language), x: x + 21, y: y + 2 + line, style: panel, maxWidth: width - 23)
        }
        let close = keymap.keys(for: "dialog.cancel").first.map(\.description) ?? "esc"
        buffer.put(Localized(ro: "\(close) închide", en: "\(close) closes").text(language), x: x + 2, y: y + height - 1,
                   style: Style(foreground: .muted, background: .panel))
    }
}
