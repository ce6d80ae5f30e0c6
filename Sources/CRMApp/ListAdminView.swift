import CRMCore
import CRMStore
import CRMText
import TUIKit

/// The administrators' short lists, one window for each: the stages of
/// opportunities or of activities in order (OPP-5; Tab switches, + and - move
/// the chosen one, won and lost marked) and the catalogue's VAT rates (Cote
/// TVA). Ins adds one, Del retires the chosen one (or brings it back); Esc closes.
struct ListAdminView: Sendable {
    enum Subject: Sendable, Equatable { case stages(WorkItemKind), vatRates, series }

    struct Entry: Sendable {
        /// What the core knows the entry by.
        let name: String
        let text: Localized
        let retired: Bool
    }

    let subject: Subject
    var entries: [Entry]
    var cursor = 0
    var message: String?

    enum Event: Equatable { case none, close, switchKind, add, move(String, Int), retire(String, Bool) }

    init(stages kind: WorkItemKind, _ stages: [StageRecord]) {
        subject = .stages(kind)
        entries = stages.map { stage in
            let mark = stage.isWon ? Localized(ro: "  (câștigat)", en: "  (won)") : stage.isLost ? Localized(ro: "  (pierdut)", en: "  (lost)")
                : Localized(ro: "", en: "")
            return Entry(name: stage.name, text: Localized(ro: stage.name + mark.ro, en: stage.name + mark.en), retired: stage.retired)
        }
    }

    init(vatRates rates: [VATRateRecord]) {
        subject = .vatRates
        entries = rates.map { rate in
            let percent = Money.text(rate.percent) + " %"
            return Entry(name: rate.name, text: rate.exempt ? Localized(ro: rate.name + "  (scutit de TVA)", en: rate.name + "  (VAT exempt)")
                            : Localized(ro: rate.name + "  · " + percent, en: rate.name + "  · " + percent), retired: rate.retired)
        }
    }

    /// The numbering series: proforma and fiscal, each by its prefix ("fiscal FCT" is its name to the core).
    init(series: [DocSeriesRecord]) {
        subject = .series
        entries = series.map { s in
            let kind = InvoiceKind(rawValue: s.kind)?.label ?? Localized(ro: s.kind, en: s.kind)
            let example = s.yearly ? "\(s.prefix)-AAAA-0001" : "\(s.prefix)-0001"
            return Entry(name: "\(s.kind) \(s.prefix)", text: Localized(ro: kind.ro + " · " + example + (s.yearly ? " (anuală)" : ""),
                                                                       en: kind.en + " · " + example.replacingOccurrences(of: "AAAA", with: "YYYY")
                                                                           + (s.yearly ? " (yearly)" : "")),
                         retired: s.retired)
        }
    }

    /// The stages' kind (nil for the VAT rates and the series).
    var kind: WorkItemKind? { if case .stages(let kind) = subject { return kind } else { return nil } }
    var selected: Entry? { entries.indices.contains(cursor) ? entries[cursor] : nil }

    mutating func handle(_ key: Key, action: String?) -> Event {
        message = nil
        if action == "dialog.cancel" || key == .escape { return .close }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, entries.count - 1), cursor + 1)
        case .home, .pageUp: cursor = 0
        case .end, .pageDown: cursor = max(0, entries.count - 1)
        case .tab where kind != nil: return .switchKind
        case .insert: return .add
        case .char("+") where kind != nil, .char("-") where kind != nil:
            guard let entry = selected else { return .none }
            // Places are 1-based: up is the place before the current one.
            return .move(entry.name, key == .char("-") ? cursor : cursor + 2)
        case .delete: return selected.map { .retire($0.name, !$0.retired) } ?? .none
        default: break
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let area = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
        let box = Rect.centred(width: min(buffer.width - 2, 70), height: min(entries.count + 6, buffer.height - 4), in: area)
        let panel = Style(foreground: .text, background: .panel)
        let title: String
        switch subject {
        case .stages(.opportunity): title = t("Stadii oportunități", "Opportunity stages")
        case .stages: title = t("Stadii activități", "Activity stages")
        case .vatRates: title = t("Cote TVA", "VAT rates")
        case .series: title = t("Serii de numerotare", "Numbering series")
        }
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel), title: title,
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        for (index, y) in ListWindow.rows(count: entries.count, cursor: cursor, visible: box.height - 4, top: box.y + 1) {
            let entry = entries[index]
            var style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            if entry.retired && index != cursor { style.foreground = .muted }
            buffer.put("\(index + 1). \(Sanitize.line(entry.text.text(language)))\(entry.retired ? t("  — retras", "  — retired") : "")",
                       x: box.x + 2, y: y, style: style, maxWidth: box.width - 4)
        }
        let hints = message ?? (kind != nil
            ? t("ins adaugă · + / - mută · del retrage/readuce · tab celălalt tip · esc închide",
                "ins adds · + / - move · del retires/restores · tab the other kind · esc closes")
            : subject == .series ? t("ins adaugă · del retrage/readuce (documentele rămân) · esc închide",
                                     "ins adds · del retires/restores (documents stay) · esc closes")
            : t("ins adaugă · del retrage/readuce (produsele o păstrează) · esc închide",
                "ins adds · del retires/restores (products keep it) · esc closes"))
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .warning, background: .panel), maxWidth: box.width - 4)
    }
}
