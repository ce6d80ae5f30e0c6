import CRMCore
import CRMText
import TUIKit

/// Unificare duplicate: the accounts side by side, one column each (the
/// survivor first), one row per field where they differ; ←/→ choose whose
/// value the survivor keeps (marked ▶), Enter or F2 merges, Esc closes.
struct MergeView: Sendable {
    var plan: MergePlan
    var cursor = 0
    var message: String?

    enum Event: Equatable { case none, close, merge }

    /// The fields shown: those where the accounts differ.
    var rows: [Int] { plan.fields.indices.filter { plan.fields[$0].differs } }

    mutating func handle(_ key: Key, action: String?) -> Event {
        message = nil
        if action == "dialog.cancel" { return .close }
        if action == "dialog.save" { return .merge }
        let shown = rows
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, shown.count - 1), cursor + 1)
        case .pageUp: cursor = max(0, cursor - 10)
        case .pageDown: cursor = min(max(0, shown.count - 1), cursor + 10)
        case .left, .right:
            guard shown.indices.contains(cursor) else { break }
            let f = shown[cursor]
            let n = plan.accounts.count
            plan.fields[f].chosen = (plan.fields[f].chosen + (key == .left ? n - 1 : 1)) % n
        case .char(let c) where c.isNumber:
            if let n = c.wholeNumberValue, n >= 1, n <= plan.accounts.count, shown.indices.contains(cursor) {
                plan.fields[shown[cursor]].chosen = n - 1
            }
        case .enter: return .merge
        case .escape: return .close
        default: break
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        let shown = rows
        let area = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
        let box = Rect.centred(width: min(buffer.width - 2, 140), height: min(shown.count + 8, buffer.height - 4), in: area)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel),
                   title: Localized(ro: "Unificare duplicate", en: "Merge duplicates").text(language),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let labelWidth = 16
        let n = plan.accounts.count
        let columnWidth = max(8, (box.width - labelWidth - 4) / n)
        func x(_ i: Int) -> Int { box.x + 2 + labelWidth + i * columnWidth }
        let head = Style(foreground: .muted, background: .panel, bold: true)
        buffer.put(Localized(ro: "Câmp", en: "Field").text(language), x: box.x + 2, y: box.y + 1, style: head)
        for (i, account) in plan.accounts.enumerated() {
            let role = i == 0 ? Localized(ro: "rămâne", en: "stays") : Localized(ro: "se unește", en: "merged")
            buffer.put("\(i + 1). \(Sanitize.line(account.record.name))", x: x(i), y: box.y + 1, style: head, maxWidth: columnWidth - 1)
            buffer.put("\(role.text(language)) · \(plan.contacts[i]) " + Localized(ro: "contacte", en: "contacts").text(language),
                       x: x(i), y: box.y + 2, style: Style(foreground: .muted, background: .panel), maxWidth: columnWidth - 1)
        }
        if shown.isEmpty {
            buffer.put(Localized(ro: "Conturile au aceleași valori", en: "The accounts hold the same values").text(language),
                       x: box.x + 2, y: box.y + 3, style: Style(foreground: .muted, background: .panel))
        }
        for (index, y) in ListWindow.rows(count: shown.count, cursor: cursor, visible: box.height - 6, top: box.y + 3) {
            let field = plan.fields[shown[index]]
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            buffer.put(field.label.text(language), x: box.x + 2, y: y, style: style, maxWidth: labelWidth - 1)
            for i in 0..<n {
                let kept = i == field.chosen
                let text = (kept ? "▶ " : "  ") + Sanitize.line(field.shown[i])
                var cell = style
                if kept { cell.bold = true } else if index != cursor { cell.foreground = .muted }
                buffer.put(text, x: x(i), y: y, style: cell, maxWidth: columnWidth - 1)
            }
        }
        let hints = message ?? Localized(ro: "←/→ sau 1–\(n) alege valoarea · enter unifică · esc închide · se poate anula",
                                         en: "←/→ or 1–\(n) choose the value · enter merges · esc closes · can be undone").text(language)
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .warning, background: .panel), maxWidth: box.width - 4)
    }
}
