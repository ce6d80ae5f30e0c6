import CRMCore
import CRMStore
import TUIKit

/// The account dialog (Adăugare cont / Editare cont): one line per field, the
/// core's validation messages under the fields they concern. Saving goes
/// through the core, so the form obeys the same rules as every entry point.
public struct AccountForm: Sendable {
    public enum Outcome: Sendable, Equatable { case open, saved(String), cancelled }

    public static let fields: [AccountField] = [
        .name, .code, .kind, .cui, .tradeRegister, .vatPayer, .address, .city, .county, .country, .zone, .phone,
        .mobile, .email, .website, .iban, .bank, .owner, .folder, .tags, .notes,
    ]

    /// The account being edited (nil: a new one) and the version loaded, so a
    /// concurrent change in another session is refused, not overwritten.
    public let editing: String?
    let loadedVersion: Int64?
    public private(set) var values: [AccountField: TextField]
    public private(set) var focus = 0
    public private(set) var errors: [String: String] = [:]
    public private(set) var generalError: String?
    private var original: [AccountField: String]

    public init(new folder: String) {
        editing = nil
        loadedVersion = nil
        original = [:]
        values = Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, TextField("")) })
        values[.folder] = TextField(folder)
    }

    public init(editing account: AccountDetails) {
        editing = account.record.meta?.uuid.description
        loadedVersion = account.record.meta?.version
        original = Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, account.text($0)) })
        values = original.mapValues { TextField($0) }
    }

    public var focusedField: AccountField { Self.fields[focus] }

    /// Keys go to the focused field first; then tab and arrows move between
    /// fields, the save and cancel actions end the dialog.
    public mutating func update(_ key: Key, action: String?, crm: CRM, actor: Actor, language: Language) -> Outcome {
        switch action {
        case "dialog.cancel": return .cancelled
        case "dialog.save": return save(crm: crm, actor: actor, language: language)
        default: break
        }
        switch key {
        case .tab, .down, .enter: focus = (focus + 1) % Self.fields.count; return .open
        case .backTab, .up: focus = (focus + Self.fields.count - 1) % Self.fields.count; return .open
        default: break
        }
        _ = values[focusedField]?.handle(key)
        return .open
    }

    private mutating func save(crm: CRM, actor: Actor, language: Language) -> Outcome {
        var input = AccountInput()
        for field in Self.fields {
            let text = values[field]?.text ?? ""
            if editing == nil ? !text.isEmpty : text != original[field] { input.fields[field] = text }
        }
        errors = [:]
        generalError = nil
        do {
            if let editing {
                let (saved, _) = try crm.editAccount(editing, input, expectedVersion: loadedVersion, by: actor)
                return .saved(saved.meta?.uuid.description ?? "")
            }
            let saved = try crm.addAccount(input, by: actor)
            return .saved(saved.meta?.uuid.description ?? "")
        } catch let error as CoreError {
            if case .invalid(let issues) = error {
                for issue in issues { errors[issue.field] = issue.message(language) }
                if let first = Self.fields.firstIndex(where: { errors[$0.rawValue] != nil }) { focus = first }
            } else {
                generalError = error.message(language)
            }
        } catch {
            generalError = "\(error)"
        }
        return .open
    }

    /// A framed box in the middle of the screen.
    public func render(into buffer: inout ScreenBuffer, language: Language, keymap: Keymap) {
        let width = min(buffer.width - 4, 76)
        let height = min(buffer.height - 2, Self.fields.count + 6)
        let x = (buffer.width - width) / 2, y = (buffer.height - height) / 2
        let panel = Style(foreground: .text, background: .panel)
        buffer.fill(x: x, y: y, width: width, height: height, style: panel)
        let title = editing == nil ? Localized(ro: "Adăugare cont", en: "Add account") : Localized(ro: "Editare cont", en: "Edit account")
        buffer.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: x, y: y, style: Style(foreground: .border, background: .panel))
        buffer.put(" " + title.text(language) + " ", x: x + 2, y: y, style: Style(foreground: .primary, background: .panel, bold: true))
        for row in (y + 1)..<(y + height - 1) {
            buffer.put("│", x: x, y: row, style: Style(foreground: .border, background: .panel))
            buffer.put("│", x: x + width - 1, y: row, style: Style(foreground: .border, background: .panel))
        }
        buffer.put("└" + String(repeating: "─", count: width - 2) + "┘", x: x, y: y + height - 1, style: Style(foreground: .border, background: .panel))

        let labelWidth = 16
        let rows = height - 5
        let start = max(0, min(focus - rows + 1, Self.fields.count - rows))
        for (line, index) in (start..<Self.fields.count).prefix(rows).enumerated() {
            let field = Self.fields[index]
            let row = y + 1 + line
            let hasError = errors[field.rawValue] != nil
            buffer.put(field.label.text(language), x: x + 2, y: row,
                       style: Style(foreground: hasError ? .error : (index == focus ? .primary : .muted), background: .panel,
                                    bold: index == focus), maxWidth: labelWidth)
            values[field]?.render(into: &buffer, x: x + 3 + labelWidth, y: row, width: width - labelWidth - 5,
                                  style: Style(foreground: .text, background: .surface, underline: true), focused: index == focus)
        }
        let problem = generalError ?? errors[focusedField.rawValue] ?? Self.fields.compactMap { errors[$0.rawValue] }.first
        if let problem {
            buffer.put(problem, x: x + 2, y: y + height - 3, style: Style(foreground: .error, background: .panel, bold: true),
                       maxWidth: width - 4)
        }
        let save = keymap.keys(for: "dialog.save").first.map(\.description) ?? "ctrl+s"
        let cancel = keymap.keys(for: "dialog.cancel").first.map(\.description) ?? "esc"
        let hints = Localized(ro: "\(save) Salvare   \(cancel) Anulare   tab Câmpul următor",
                              en: "\(save) Save   \(cancel) Cancel   tab Next field")
        buffer.put(hints.text(language), x: x + 2, y: y + height - 2, style: Style(foreground: .muted, background: .panel),
                   maxWidth: width - 4)
    }
}
