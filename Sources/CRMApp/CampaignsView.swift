import CRMCore
import CRMText
import TUIKit

/// Campanii e-mail: every campaign with its list, status and counts; S starts
/// or resumes the chosen one (the sending is `crm serve`'s or `crm campaign
/// run`'s), P pauses it, X cancels it, Enter shows its report; N (Ins) adds a
/// campaign, L opens the e-mail lists, T the templates of blocks; U decides on
/// the recipients a stopped sender left uncertain (sent, or to be sent again). Esc closes.
struct CampaignsView: Sendable {
    var campaigns: [CampaignDetails]
    var cursor = 0
    var message: String?

    enum Event: Equatable { case none, close, start(String), pause(String), cancel(String), report(String), add, lists, templates
        case resolve(String, sent: Bool), nothingUncertain }
    /// Asking what became of the chosen campaign's uncertain recipients.
    var resolving = false

    var selected: CampaignDetails? { campaigns.indices.contains(cursor) ? campaigns[cursor] : nil }

    mutating func handle(_ key: Key) -> Event {
        message = nil
        if resolving {
            resolving = false
            guard let c = selected else { return .none }
            switch key {
            case .char("t"), .char("T"): return .resolve(c.name, sent: true)
            case .char("r"), .char("R"): return .resolve(c.name, sent: false)
            default: return .none
            }
        }
        switch key {
        case .escape: return .close
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, campaigns.count - 1), cursor + 1)
        case .home, .pageUp: cursor = 0
        case .end, .pageDown: cursor = max(0, campaigns.count - 1)
        case .char("s"), .char("S"): return selected.map { .start($0.name) } ?? .none
        case .char("p"), .char("P"): return selected.map { .pause($0.name) } ?? .none
        case .char("x"), .char("X"): return selected.map { .cancel($0.name) } ?? .none
        case .enter: return selected.map { .report($0.name) } ?? .none
        case .char("n"), .char("N"), .insert: return .add
        case .char("l"), .char("L"): return .lists
        case .char("t"), .char("T"): return .templates
        case .char("u"), .char("U"):
            guard let c = selected, c.count(.sending) > 0, c.status != .running else { return .nothingUncertain }
            resolving = true
        default: break
        }
        return .none
    }

    static func statusLabel(_ status: CampaignStatus) -> Localized {
        switch status {
        case .draft: return Localized(ro: "ciornă", en: "draft")
        case .running: return Localized(ro: "rulează", en: "running")
        case .paused: return Localized(ro: "oprită temporar", en: "paused")
        case .cancelled: return Localized(ro: "anulată", en: "cancelled")
        case .finished: return Localized(ro: "încheiată", en: "finished")
        }
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let list = ListPanel(title: t("Campanii e-mail", "E-mail campaigns"),
                             header: t("Campanie · listă · stare · trimise / în așteptare / respinse / excluse · deschise / cu clic",
                                       "Campaign · list · status · sent / queued / bounced / skipped · opened / clicked"),
                             empty: t("Nicio campanie: n adaugă una", "No campaigns: n adds one"), count: campaigns.count, cursor: cursor)
        list.draw(into: &buffer) { index in
            let c = campaigns[index]
            let uncertain = c.count(.sending) > 0 && c.status != .running ? t(" · ⚠ \(c.count(.sending)) nesigure (u decide)", " · ⚠ \(c.count(.sending)) uncertain (u decides)") : ""
            return "\(c.name) · \(c.list) · \(Self.statusLabel(c.status).text(language)) · \(c.count(.sent)) / \(c.count(.queued)) / "
                + "\(c.count(.bounced)) / \(c.count(.skipped)) · \(c.opened) / \(c.clicked)" + uncertain
        }
        let uncertain = selected.map { $0.count(.sending) } ?? 0
        let hints = resolving
            ? t("\(uncertain) nesigure: t = au primit mesajul (jurnalul serverului o spune) · r = se trimit din nou · altă tastă renunță",
                "\(uncertain) uncertain: t = they got it (the server's log says so) · r = send them again · any other key gives up")
            : message ?? t("n adăugare campanie · s start campanie/reia · p oprește · x anulează · enter raportul · l liste · t șabloane · esc închide",
                                 "n new · s starts/resumes · p pauses · x cancels · enter the report · l lists · t templates · esc closes")
        list.foot(hints, warning: message != nil || resolving, into: &buffer)
    }
}

/// A window listing rows over the page (Campanii e-mail, Formulare web): a
/// frame with its title, a header line, the rows with the chosen one lit (or
/// what to do when there are none), and a line of hints at its foot.
struct ListPanel {
    let title: String
    let header: String
    let empty: String
    let count: Int
    let cursor: Int

    func box(_ buffer: ScreenBuffer) -> Rect {
        Rect.centred(width: min(buffer.width - 2, 110), height: min(max(count, 1) + 7, buffer.height - 4),
                     in: Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2))
    }

    /// The frame and the rows, each row's text from `row`.
    func draw(into buffer: inout ScreenBuffer, row: (Int) -> String) {
        let box = box(buffer)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel), title: title,
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        buffer.put(header, x: box.x + 2, y: box.y + 1, style: Style(foreground: .muted, background: .panel), maxWidth: box.width - 4)
        if count == 0 { buffer.put(empty, x: box.x + 2, y: box.y + 2, style: Style(foreground: .muted, background: .panel)) }
        for (index, y) in ListWindow.rows(count: count, cursor: cursor, visible: box.height - 5, top: box.y + 2) {
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            buffer.put(row(index), x: box.x + 2, y: y, style: style, maxWidth: box.width - 4)
        }
    }

    func foot(_ text: String, warning: Bool, into buffer: inout ScreenBuffer) {
        let box = box(buffer)
        buffer.put(text, x: box.x + 2, y: box.y + box.height - 2, style: Style(foreground: warning ? .warning : .muted, background: .panel),
                   maxWidth: box.width - 4)
    }
}
