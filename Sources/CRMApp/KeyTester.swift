import CRMCore
import TUIKit

/// The screen of `crm keys`: every key pressed, by name, with the action the key
/// map binds to it; the key bound to `app.quit` ends it.
public struct KeyTester: Screen {
    public let keymap: Keymap
    public let language: Language
    public private(set) var log: [String] = []

    public init(keymap: Keymap, language: Language) {
        self.keymap = keymap
        self.language = language
    }

    public mutating func update(_ key: Key) -> Effect {
        if key == .resize { return .none }
        let action = keymap.action(for: key, in: .browser)
        log.append("\(key) → \(action ?? Localized(ro: "(nelegată)", en: "(unbound)").text(language))")
        return action == "app.quit" ? .quit : .none
    }

    public func render(into buffer: inout ScreenBuffer) {
        let quit = keymap.keys(for: "app.quit", in: .browser).map(\.description).first ?? "ctrl+q"
        let title = Localized(ro: "crm keys — apăsați taste; \(quit) iese", en: "crm keys — press keys; \(quit) quits")
        buffer.put(title.text(language), x: 0, y: 0, style: Style(foreground: .primary))
        let rows = max(0, buffer.height - 2)
        for (row, line) in log.suffix(rows).enumerated() {
            buffer.put(line, x: 0, y: row + 2)
        }
    }
}
