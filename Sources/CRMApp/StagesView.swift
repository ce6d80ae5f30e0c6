import CRMCore
import CRMStore
import CRMText
import TUIKit

/// Stadii (OPP-5, administrators): the stages of opportunities or of
/// activities in order (Tab switches), with won and lost marked. Ins adds one,
/// + and - move the chosen one up and down, Del retires it (or brings it
/// back); Esc closes.
struct StagesView: Sendable {
    var kind: WorkItemKind
    var stages: [StageRecord]
    var cursor = 0
    var message: String?

    enum Event: Equatable { case none, close, switchKind, add, move(String, Int), retire(String, Bool) }

    var selected: StageRecord? { stages.indices.contains(cursor) ? stages[cursor] : nil }

    mutating func handle(_ key: Key, action: String?) -> Event {
        message = nil
        if action == "dialog.cancel" || key == .escape { return .close }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, stages.count - 1), cursor + 1)
        case .tab: return .switchKind
        case .insert: return .add
        case .char("+"), .char("-"):
            guard let stage = selected else { return .none }
            // Places are 1-based: up is the place before the current one.
            return .move(stage.name, key == .char("-") ? cursor : cursor + 2)
        case .delete: return selected.map { .retire($0.name, !$0.retired) } ?? .none
        default: break
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let area = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
        let box = Rect.centred(width: min(buffer.width - 2, 70), height: min(stages.count + 6, buffer.height - 4), in: area)
        let panel = Style(foreground: .text, background: .panel)
        let title = kind == .opportunity ? t("Stadii oportunități", "Opportunity stages") : t("Stadii activități", "Activity stages")
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel), title: title,
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        for (index, y) in ListWindow.rows(count: stages.count, cursor: cursor, visible: box.height - 4, top: box.y + 1) {
            let stage = stages[index]
            var style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            if stage.retired && index != cursor { style.foreground = .muted }
            let mark = stage.isWon ? t("  (câștigat)", "  (won)") : stage.isLost ? t("  (pierdut)", "  (lost)") : ""
            buffer.put("\(index + 1). \(stage.name)\(mark)\(stage.retired ? t("  — retras", "  — retired") : "")", x: box.x + 2, y: y,
                       style: style, maxWidth: box.width - 4)
        }
        let hints = message ?? t("ins adaugă · + / - mută · del retrage/readuce · tab celălalt tip · esc închide",
                                 "ins adds · + / - move · del retires/restores · tab the other kind · esc closes")
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .warning, background: .panel), maxWidth: box.width - 4)
    }
}
