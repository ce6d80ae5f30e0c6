import CRMCore
import CRMStore
import CRMSync
import CRMText
import Foundation
import TUIKit

/// Sync in the terminal (docs/sync.md): the status line says when this file
/// last synced (or that a round is running, or failed), Sincronizare acum runs
/// a round in the background on the hub the last `crm sync` named, and
/// Setări → Conflicte sincronizare lists the values that lost.
extension AccountBrowser {
    /// Reads the sync state again (after a change, ours or another process's — `crm sync --watch`).
    mutating func refreshSyncStatus() {
        let crm = self.crm
        syncState = attempt(nil) { try crm.syncStatus() }
    }

    /// The status line's part: nothing for a file that never synced.
    func syncStatusPart() -> String? {
        if syncJob != nil { return t("sincronizare…", "syncing…") }
        guard let state = syncState, state.replica != nil else { return nil }
        var text: String
        if state.error != nil {
            text = t("sincronizare: eroare", "sync: failed")
        } else if let last = state.lastSync {
            text = t("sincronizat ", "synced ") + Timestamp.local(last)
        } else {
            text = t("nesincronizat", "not synced")
        }
        if state.unpushed > 0 { text += t(" · de trimis: \(state.unpushed)", " · to push: \(state.unpushed)") }
        if state.openConflicts > 0 { text += t(" · conflicte: \(state.openConflicts)", " · conflicts: \(state.openConflicts)") }
        return text
    }

    /// Starts a round in the background (one at a time).
    mutating func startSync() {
        guard syncJob == nil else { message = t("Sincronizarea rulează deja", "A sync is running already"); return }
        refreshSyncStatus()
        guard let url = syncState?.url else {
            message = t("Fișierul nu are încă un hub: rulați o dată crm sync --postgres URL", "This file has no hub yet: run crm sync --postgres URL once")
            return
        }
        let (crm, actor) = (self.crm, self.actor)
        syncJob = Job(title: Localized(ro: "Sincronizare", en: "Sync")) { _ in
            let r = try SyncSession(crm: crm, actor: actor, url: url, password: nil).round()
            return Localized(ro: "Sincronizat: \(r.pushed) trimise, \(r.pulled) primite" + (r.applied.conflicts > 0 ? ", \(r.applied.conflicts) conflicte noi" : ""),
                             en: "Synced: \(r.pushed) pushed, \(r.pulled) pulled" + (r.applied.conflicts > 0 ? ", \(r.applied.conflicts) new conflicts" : ""))
        }
    }

    /// The background round's end: its message, and the page read again.
    mutating func tickSync() {
        guard let job = syncJob, let outcome = job.outcome else { return }
        syncJob = nil
        switch outcome {
        case .success(let text): message = text.text(language)
        case .failure(let error): message = describe(error)
        }
        refreshSyncStatus()
        if overlay == nil { reloadPage() }
    }

    mutating func openSyncConflicts(cursor: Int = 0, message: String? = nil) {
        let (crm, actor) = (self.crm, self.actor)
        guard let conflicts = attempt(nil, { try crm.syncConflicts(by: actor) }) else { return }
        var view = SyncConflictsView(conflicts: conflicts, cursor: min(cursor, max(0, conflicts.count - 1)))
        view.message = message
        overlay = .syncConflicts(view)
    }

    mutating func updateSyncConflicts(_ view: SyncConflictsView, _ key: Key) {
        var view = view
        let (crm, actor) = (self.crm, self.actor)
        do {
            switch view.handle(key) {
            case .none: overlay = .syncConflicts(view)
            case .close: overlay = nil
            case .restore(let id):
                try crm.restoreSyncConflict(id: id, by: actor)
                refreshSyncStatus()
                openSyncConflicts(cursor: view.cursor, message: t("Valoarea este pusă înapoi; pleacă la următoarea sincronizare",
                                                                 "The value is back; it goes out at the next sync"))
            case .dismiss(let id):
                try crm.dismissSyncConflict(id: id, by: actor)
                refreshSyncStatus()
                openSyncConflicts(cursor: view.cursor, message: t("Conflict închis", "Conflict closed"))
            }
        } catch {
            view.message = describe(error)
            overlay = .syncConflicts(view)
        }
    }
}
