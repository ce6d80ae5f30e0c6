import CRMCore
import CRMText
import Foundation
import TUIKit

/// Memento: the reminders of the user that fell due, popped up over the page
/// (within the poll after their time, and at the start for those that fell due
/// while nobody ran the program). Enter opens the item, d dismisses for good,
/// 1 / 2 / 3 snooze for ten minutes, an hour, or until tomorrow 09:00; Esc
/// closes the list, which comes back ten minutes later for what is still due.
struct ReminderView: Sendable {
    var due: [WorkItemDetails]
    var cursor = 0
    var message: String?

    enum Event: Equatable { case none, close, open(String), dismiss(String), snooze(String, Snooze) }

    enum Snooze: Equatable, Sendable {
        case minutes10, hour, tomorrow

        /// When a snooze started at `now` (UTC milliseconds) ends, in the session's time zone.
        func until(_ now: Int64, zone: TimeZone = .current) -> Int64 {
            switch self {
            case .minutes10: return now + 10 * 60_000
            case .hour: return now + 60 * 60_000
            case .tomorrow:
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                // 09:00 on tomorrow's wall clock, a daylight-saving change or not.
                let tomorrow = calendar.date(byAdding: .day, value: 1, to: Date(timeIntervalSince1970: Double(now) / 1000))!
                let nine = calendar.date(bySettingHour: 9, minute: 0, second: 0, of: tomorrow)!
                return Int64(nine.timeIntervalSince1970 * 1000)
            }
        }
    }

    var selected: WorkItemDetails? { due.indices.contains(cursor) ? due[cursor] : nil }

    mutating func handle(_ key: Key, action: String?) -> Event {
        message = nil
        if action == "dialog.cancel" || key == .escape { return .close }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, due.count - 1), cursor + 1)
        default:
            guard let uuid = selected?.uuid else { return .none }
            switch key {
            case .enter: return .open(uuid)
            case .char("d"), .char("D"), .delete: return .dismiss(uuid)
            case .char("1"): return .snooze(uuid, .minutes10)
            case .char("2"): return .snooze(uuid, .hour)
            case .char("3"): return .snooze(uuid, .tomorrow)
            default: break
            }
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let area = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
        let box = Rect.centred(width: min(buffer.width - 4, 110), height: min(due.count + 6, buffer.height - 4), in: area)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .warning, background: .panel),
                   title: "⏰ " + t("Memento", "Reminders") + " (\(due.count))", titleStyle: Style(foreground: .warning, background: .panel, bold: true))
        for (index, y) in ListWindow.rows(count: due.count, cursor: cursor, visible: box.height - 4, top: box.y + 1) {
            let d = due[index]
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            let when = d.record.reminderAt.map { Timestamp.local($0) } ?? ""
            let what = d.kind == .opportunity ? t("Oportunitate", "Opportunity") : (d.record.type ?? t("Activitate", "Activity"))
            let text = "\(when)  \(what) · \(d.account.name) · \(d.stage.name)" + (d.record.details.map { " · " + $0 } ?? "")
            buffer.put(Sanitize.line(text), x: box.x + 2, y: y, style: style, maxWidth: box.width - 4)
        }
        let hints = message ?? t("enter deschide · d închide definitiv · amânare: 1 10 min, 2 o oră, 3 mâine 09:00 · esc mai târziu",
                                 "enter opens · d dismisses for good · snooze: 1 10 min, 2 an hour, 3 tomorrow 09:00 · esc later")
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .warning, background: .panel), maxWidth: box.width - 4)
    }
}
