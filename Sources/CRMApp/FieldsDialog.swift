import CRMCore
import CRMStore
import TUIKit

/// Setări coloane personalizate (administrators): every field of an account
/// with its rules — m makes it mandatory, u unique —, the custom columns with
/// their type; Ins adds a custom column, Enter renames one, Del retires it
/// (its values stay) or brings it back.
struct FieldsDialog: Sendable {
    struct Entry: Sendable, Equatable {
        let id: String          // "city" or "custom.sursa"
        let label: String
        let type: String
        var mandatory: Bool
        var unique: Bool
        var retired: Bool
        var isCustom: Bool { id.hasPrefix("custom.") }
        var key: String { isCustom ? String(id.dropFirst(7)) : id }
    }

    /// Whose fields: "account", or "opportunity" and "activity" (their custom columns).
    let entity: String
    var entries: [Entry]
    var cursor = 0
    var message: String?

    init(crm: CRM, actor: Actor, language: Language, entity: String = "account") throws {
        self.entity = entity
        let rules = try crm.fieldRules(entity: entity, for: actor)
        var out: [Entry] = entity != "account" ? [] : AccountField.allCases.filter { $0 != .folder }.map { field in
            let rule = rules.first { $0.field == field.rawValue }
            return Entry(id: field.rawValue, label: field.label.text(language), type: CustomColumnType.text.label.text(language),
                         mandatory: field == .name || rule?.mandatory == true, unique: field == .code || rule?.unique == true,
                         retired: false)
        }
        for column in try crm.allCustomColumns(entity: entity, for: actor) {
            out.append(Entry(id: "custom." + column.key, label: column.label,
                             type: (CustomColumnType(rawValue: column.type)?.label.text(language)) ?? column.type,
                             mandatory: column.mandatory, unique: column.isUnique, retired: column.retired))
        }
        entries = out
    }

    enum Event: Equatable { case none, close, toggle(mandatory: Bool), add, rename, retire }

    mutating func handle(_ key: Key, action: String?) -> Event {
        message = nil
        if action == "dialog.cancel" || action == "dialog.save" { return .close }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = max(0, min(entries.count - 1, cursor + 1))
        case .home: cursor = 0
        case .end: cursor = max(0, entries.count - 1)
        case .char("m"), .char("M"): return entries.isEmpty ? .none : .toggle(mandatory: true)
        case .char("u"), .char("U"): return entries.isEmpty ? .none : .toggle(mandatory: false)
        case .insert, .char("+"): return .add
        case .enter, .function(4): return entries.indices.contains(cursor) && entries[cursor].isCustom ? .rename : .none
        case .delete: return entries.indices.contains(cursor) && entries[cursor].isCustom ? .retire : .none
        default: break
        }
        return .none
    }

    func rect(width: Int, height: Int) -> Rect {
        Rect.centred(width: 72, height: min(max(1, entries.count) + 5, height - 4), in: Rect(x: 0, y: 1, width: width, height: height - 2))
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        let box = rect(width: buffer.width, height: buffer.height)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel),
                   title: (entity == "account" ? Localized(ro: "Setări câmpuri și coloane personalizate", en: "Fields and custom columns")
                           : WorkItemKind(rawValue: entity).map { Localized(ro: "Setări tabel \($0.plural.ro): coloane personalizate",
                                                                             en: "\($0.plural.en) table: custom columns") }
                           ?? Localized(ro: "Coloane personalizate", en: "Custom columns")).text(language),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let heads = Localized(ro: "Câmp                          Tip          Oblig.  Unic", en: "Field                          Type         Mand.   Unique")
        buffer.put(heads.text(language), x: box.x + 2, y: box.y + 1, style: Style(foreground: .muted, background: .panel))
        for (index, y) in ListWindow.rows(count: entries.count, cursor: cursor, visible: box.height - 4, top: box.y + 2) {
            let e = entries[index]
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor,
                                       base: Style(foreground: e.retired ? .muted : .text, background: .panel))
            let label = e.label + (e.retired ? Localized(ro: " (retrasă)", en: " (retired)").text(language) : "")
            buffer.put(label, x: box.x + 2, y: y, style: style, maxWidth: 29)
            buffer.put(e.isCustom ? e.type : "", x: box.x + 33, y: y, style: style, maxWidth: 12)
            buffer.put(e.mandatory ? "[x]" : "[ ]", x: box.x + 47, y: y, style: style)
            buffer.put(e.unique ? "[x]" : "[ ]", x: box.x + 55, y: y, style: style)
        }
        if entries.isEmpty {
            buffer.put(Localized(ro: "Nicio coloană personalizată încă; ins adaugă una", en: "No custom columns yet; ins adds one").text(language),
                       x: box.x + 2, y: box.y + 2, style: Style(foreground: .muted, background: .panel))
        }
        let hints = message ?? Localized(ro: "m obligatoriu · u unic · ins coloană nouă · enter redenumire · del retragere · esc închide",
                                         en: "m mandatory · u unique · ins new column · enter rename · del retire · esc close").text(language)
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .error, background: .panel), maxWidth: box.width - 4)
    }
}
