import CRMCore
import TUIKit

/// Autentificare: the screen a person whose Unix login no CRM user has sees
/// first. User and password (shown as dots); Enter signs in through the core,
/// which checks the password, records a failure and slows repeated ones;
/// Esc or Ctrl+Q leaves.
public struct SignInScreen: Screen {
    let crm: CRM
    let language: Language
    /// The SSH client's address; nil for a local session.
    let source: String?
    public private(set) var login = TextField()
    public private(set) var password = TextField()
    public private(set) var onPassword = false
    public private(set) var message: String?
    /// The user signed in, once the password was right.
    public private(set) var actor: Actor?

    public init(crm: CRM, language: Language, source: String?) {
        self.crm = crm
        self.language = language
        self.source = source
    }

    public mutating func update(_ key: Key) -> Effect {
        switch key {
        case .resize: return .none
        case .escape, .ctrl("q"): return .quit
        case .tab, .down, .up, .backTab: onPassword.toggle()
        case .enter:
            if !onPassword { onPassword = true; return .none }
            do {
                actor = try crm.authenticate(login: login.text, password: password.text, source: source)
                return .quit
            } catch {
                message = (error as? CoreError)?.message(language) ?? "\(error)"
                password = TextField()
            }
        default:
            message = nil
            if onPassword { _ = password.handle(key) } else { _ = login.handle(key) }
        }
        return .none
    }

    public func render(into buffer: inout ScreenBuffer) {
        let panel = Style(foreground: .text, background: .panel)
        let box = Rect.centred(width: 56, height: 9, in: Rect(x: 0, y: 0, width: buffer.width, height: buffer.height))
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel),
                   title: Localized(ro: "crm — Autentificare", en: "crm — Sign in").text(language),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let labels = [Localized(ro: "Utilizator", en: "User"), Localized(ro: "Parolă", en: "Password")]
        let field = Style(foreground: .text, background: .surface)
        for (i, label) in labels.enumerated() {
            let y = box.y + 2 + i * 2
            buffer.put(label.text(language), x: box.x + 2, y: y, style: panel)
            let shown = i == 0 ? login : TextField(String(repeating: "•", count: password.text.count))
            shown.render(into: &buffer, x: box.x + 16, y: y, width: box.width - 19, style: field, focused: (i == 1) == onPassword)
        }
        let hint = message ?? Localized(ro: "enter continuă · tab trece la celălalt câmp · esc iese",
                                        en: "enter goes on · tab moves to the other field · esc leaves").text(language)
        buffer.put(hint, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .warning, background: .panel), maxWidth: box.width - 4)
    }

    public mutating func resize(width: Int, height: Int) {}
    public var isBusy: Bool { false }
    public mutating func tick() -> Effect { .none }
    public mutating func settle() {}
}
