import CRMCore
import CRMStore
import CRMText
import TUIKit

/// Conflicte sincronizare (sync conflicts): the values that lost to a later
/// write on another replica (docs/sync.md), newest first. Enter puts the chosen
/// value back (a new write, which then wins on every replica), Del leaves it
/// where it lost and closes the conflict; Esc closes the window.
struct SyncConflictsView: Sendable {
    var conflicts: [SyncConflict]
    var cursor = 0
    var message: String?

    enum Event: Equatable { case none, close, restore(Int64), dismiss(Int64) }

    var selected: SyncConflict? { conflicts.indices.contains(cursor) ? conflicts[cursor] : nil }

    mutating func handle(_ key: Key) -> Event {
        message = nil
        switch key {
        case .escape: return .close
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, conflicts.count - 1), cursor + 1)
        case .home, .pageUp: cursor = 0
        case .end, .pageDown: cursor = max(0, conflicts.count - 1)
        case .enter: return selected.map { .restore($0.id) } ?? .none
        case .delete: return selected.map { .dismiss($0.id) } ?? .none
        default: break
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let list = ListPanel(title: t("Conflicte sincronizare", "Sync conflicts"),
                             header: t("Când · rând · câmp · valoarea pierdută · motiv", "When · row · field · lost value · reason"),
                             empty: t("Niciun conflict", "No conflicts"), count: conflicts.count, cursor: cursor)
        list.draw(into: &buffer) { index in
            let c = conflicts[index]
            let row = Sanitize.line(c.rowLabel ?? String(c.row.description.prefix(8)))
            return Timestamp.local(c.at) + " · " + c.entity + " " + row + " · " + c.field + " · "
                + Sanitize.line(String((c.value ?? "").prefix(60))) + " · " + CRM.syncConflictReason(c.reason).text(language)
        }
        list.foot(message ?? t("enter pune valoarea înapoi · del închide conflictul · esc închide",
                               "enter puts the value back · del closes the conflict · esc closes"),
                  warning: message != nil, into: &buffer)
    }
}
