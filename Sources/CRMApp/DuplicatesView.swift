import CRMCore
import CRMText
import TUIKit

/// Identificare duplicate: the possible duplicates of one account, or of the
/// whole base grouped by cluster, with scores and reasons. Enter shows the
/// other account in the table; u merges the pair; n marks it as not duplicates.
struct DuplicatesView: Sendable {
    let title: Localized
    var pairs: [DuplicatePair]
    let total: Int
    var cursor = 0
    var message: String?

    enum Event: Equatable { case none, close, show(String), dismiss(DuplicatePair), merge(DuplicatePair) }

    mutating func handle(_ key: Key, action: String?) -> Event {
        message = nil
        if action == "dialog.cancel" { return .close }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, pairs.count - 1), cursor + 1)
        case .pageUp: cursor = max(0, cursor - 10)
        case .pageDown: cursor = min(max(0, pairs.count - 1), cursor + 10)
        case .enter: if pairs.indices.contains(cursor) { return .show(pairs[cursor].second) }
        case .char("n"), .char("N"): if pairs.indices.contains(cursor) { return .dismiss(pairs[cursor]) }
        case .char("u"), .char("U"): if pairs.indices.contains(cursor) { return .merge(pairs[cursor]) }
        case .escape: return .close
        default: break
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        let box = Rect.centred(width: 100, height: min(pairs.count + 6, buffer.height - 4),
                               in: Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2))
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel), title: title.text(language),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let nameWidth = (box.width - 36) / 2
        let heads = [Localized(ro: "Cont", en: "Account"), Localized(ro: "Posibil duplicat", en: "Possible duplicate"),
                     Localized(ro: "Scor", en: "Score"), Localized(ro: "Motive", en: "Reasons")]
        let columns = [box.x + 2, box.x + 3 + nameWidth, box.x + 4 + 2 * nameWidth, box.x + 10 + 2 * nameWidth]
        for (i, head) in heads.enumerated() {
            buffer.put(head.text(language), x: columns[i], y: box.y + 1, style: Style(foreground: .muted, background: .panel, bold: true))
        }
        if pairs.isEmpty {
            buffer.put(Localized(ro: "Niciun posibil duplicat", en: "No possible duplicates").text(language), x: box.x + 2, y: box.y + 2,
                       style: Style(foreground: .muted, background: .panel))
        }
        for (index, y) in ListWindow.rows(count: pairs.count, cursor: cursor, visible: box.height - 5, top: box.y + 2) {
            let p = pairs[index]
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            buffer.put(p.firstName, x: columns[0], y: y, style: style, maxWidth: nameWidth)
            buffer.put(p.secondName, x: columns[1], y: y, style: style, maxWidth: nameWidth)
            buffer.put(String(Int((p.score * 100).rounded())) + "%", x: columns[2], y: y, style: style)
            buffer.put(p.reasons.map { $0.label.text(language) }.joined(separator: ", "), x: columns[3], y: y, style: style,
                       maxWidth: box.x + box.width - 2 - columns[3])
        }
        let count = total > pairs.count ? Localized(ro: "primele \(pairs.count) din \(total) · ", en: "the first \(pairs.count) of \(total) · ")
            .text(language) : ""
        let hints = message ?? count + Localized(ro: "enter arată contul · u unifică · n nu sunt duplicate · esc închide",
                                                 en: "enter shows the account · u merges · n not duplicates · esc closes").text(language)
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .warning, background: .panel), maxWidth: box.width - 4)
    }
}
