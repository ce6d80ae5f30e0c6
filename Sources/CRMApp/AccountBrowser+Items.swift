import CRMCore
import CRMStore
import CRMText
import Foundation
import TUIKit

/// The Oportunități and Activități pages: the stages with their counts on the
/// left, the items' table in the middle, the selected item's offers and notes
/// on the right.
extension AccountBrowser {
    // MARK: - Reading

    /// How many items each stage holds, for the left pane: read when the page
    /// opens and after changes, not when the table is only narrowed or sorted.
    mutating func refreshStageCounts() {
        guard let kind = items?.kind else { return }
        let (crm, actor) = (self.crm, self.actor)
        items!.stageCounts = attempt(items!.stageCounts) { try crm.stageCounts(kind, for: actor) }
    }

    /// After a change: the stages, the counts and the page again, on the same item when it is still shown.
    mutating func reloadItems(select uuid: String? = nil) {
        guard var page = items else { return }
        let (crm, kind) = (self.crm, page.kind)
        let stageID = page.stage?.meta?.id
        page.stages = attempt(page.stages) { try crm.stages(kind, includingRetired: true) }
        page.stageIndex = stageID.flatMap { id in page.stages.firstIndex { $0.meta?.id == id }.map { $0 + 1 } } ?? 0
        items = page
        refreshStageCounts()
        reloadTable(select: uuid ?? page.selectedItem?.uuid)
    }

    /// The selected item's offers and notes, newest first.
    mutating func refreshItemNotes() {
        guard var page = items else { return }
        let (crm, actor) = (self.crm, self.actor)
        if let uuid = page.selectedItem?.uuid {
            page.history = attempt([]) { try Self.itemHistory(crm, actor, item: uuid) }
        } else {
            page.history = []
        }
        page.historyIndex = min(page.historyIndex, max(0, page.history.count - 1))
        items = page
    }

    // MARK: - Actions

    /// An action of an item page's own; nil when the page leaves it to the window.
    mutating func performOnItems(_ action: String) -> Effect? {
        guard let page = items else { return nil }
        switch action {
        case "record.open":
            switch focus {
            case .folders: focus = .accounts
            case .accounts: if let item = page.selectedItem { openWorkItem(item.kind, existing: item) }
            case .details: if let entry = page.selectedEntry { openHistoryEntry(entry) }
            }
        case "record.edit" where focus == .details && chosenOffer != nil: return perform("offer.edit")
        case "record.edit": if let item = page.selectedItem { openWorkItem(item.kind, existing: item) }
        case "record.add", "opportunity.add", "activity.add":
            let kind = action == "activity.add" ? WorkItemKind.activity : action == "opportunity.add" ? .opportunity : page.kind
            openWorkItem(kind, existing: nil, onAccount: page.selectedItem?.account)
        case "record.delete" where focus == .details:
            if case .offer(let offer)? = page.selectedEntry { askDeleteOffer(offer) }
        case "record.delete":
            if let item = page.selectedItem {
                let what = item.details(language)
                overlay = .confirm(Confirm(text: Localized(ro: "Ștergeți \(item.kind.label.ro) «\(what)»? d/n",
                                                           en: "Delete the \(item.kind.label.en) «\(what)»? y/n"),
                                           action: .deleteItem(item)))
            }
        case "note.add":
            if let item = page.selectedItem { openNote(item: item) } else { message = t("Alegeți întâi un rând", "Choose a row first") }
        default: return nil
        }
        return Effect.none
    }

    /// Moves the chosen line of the selected item's history.
    mutating func moveInItemHistory(_ delta: Int) {
        guard let page = items, !page.history.isEmpty else { return }
        let index = delta == Int.min ? 0 : delta == Int.max ? page.history.count - 1 : page.historyIndex + delta
        items!.historyIndex = max(0, min(page.history.count - 1, index))
    }

    /// Enter on a line of the item's history: a note's files offered for
    /// saving (or its text shown), an offer printed.
    mutating func openHistoryEntry(_ entry: WorkEntry) {
        switch entry {
        case .note(let note):
            guard !note.files.isEmpty else { message = Sanitize.line(note.record.text); return }
            openNoteFiles(note)
        case .offer(let offer): openOfferPrint(offer)
        case .email(let email): showEmail(email)
        case .item(let item): openWorkItem(item.kind, existing: item)
        }
    }
}

extension WorkItemDetails {
    /// A short name for questions: the details' first words, else the account.
    func details(_ language: Language) -> String {
        let text = Sanitize.line(record.details ?? "")
        return text.isEmpty ? account.name : String(text.prefix(40))
    }
}

// MARK: - Drawing

extension AccountBrowser {
    func renderStages(into buffer: inout ScreenBuffer, area: Rect, page: ItemPage) {
        let all = (index: 0, name: t("Toate", "All"), count: page.stageCounts.values.reduce(0, +))
        renderLeftPane(into: &buffer, area: area, heading: t("Stadii", "Stages"), entries: [all] + page.listedStages.map { entry in
            (index: entry.index, name: "  " + (entry.stage.isWon ? "✓ " : entry.stage.isLost ? "✗ " : "  ") + entry.stage.name,
             count: page.stageCounts[entry.stage.meta!.id] ?? 0)
        })
    }

    func renderItems(into buffer: inout ScreenBuffer, area: Rect, page: ItemPage) {
        renderTablePage(into: &buffer, area: area,
                        empty: page.kind == .opportunity ? t("Nicio oportunitate aici", "No opportunities here") : t("Nicio activitate aici", "No activities here"))
    }

    /// The selected item: its account, stage, amount and dates, then its notes.
    func renderItemDetails(into buffer: inout ScreenBuffer, area: Rect, page: ItemPage) {
        guard let item = page.selectedItem else { return }
        let x = area.x + 1, width = area.width - 2
        let r = item.record
        buffer.put(item.account.name, x: x, y: area.y, style: Style(foreground: .primary, bold: true), maxWidth: width)
        var facts: [(Localized, String)] = [(WorkItemField.stage.label, item.stage.name), (WorkItemField.owner.label, item.owner ?? "")]
        if item.kind == .opportunity {
            facts.append((WorkItemField.amount.label, r.amount.map { Money.text($0) + " " + (r.currency ?? "") } ?? ""))
            facts.append((WorkItemField.dueDate.label, r.dueDate ?? ""))
        } else {
            facts.append((WorkItemField.type.label, r.type ?? ""))
        }
        facts.append((WorkItemField.closeDate.label, r.closeDate ?? ""))
        facts.append((WorkItemField.reminder.label, r.reminderAt.map { Timestamp.local($0) + (r.reminderDone ? t(" (închis)", " (dismissed)") : "") } ?? ""))
        facts.append((WorkItemField.details.label, r.details ?? ""))
        let tabsAt = tabRow(area)
        var line = area.y + 1
        for (label, value) in facts where !value.isEmpty && line < tabsAt {
            if layout.side {
                buffer.put(label.text(language), x: x, y: line, style: Style(foreground: .muted), maxWidth: 13)
                buffer.put(value, x: x + 14, y: line, maxWidth: width - 14)
                line += 1
            }
        }
        if !layout.side {
            buffer.put(facts.map(\.1).filter { !$0.isEmpty }.joined(separator: " · "), x: x, y: area.y + 1, style: Style(foreground: .muted),
                       maxWidth: width)
        }
        renderPaneTitle(t("Oferte, note și fișiere", "Offers, notes and files") + " (\(page.history.count))", into: &buffer, x: x - 1, y: tabsAt)
        let top = tabsAt + 1, rows = area.y + area.height - top
        guard rows > 0 else { return }
        if page.history.isEmpty {
            buffer.put(t("Nicio notă; \(keyHint("note.add")) adaugă una", "No notes; \(keyHint("note.add")) adds one"), x: x, y: top,
                       style: Style(foreground: .muted))
        }
        let start = max(0, page.historyIndex - rows + 1)
        for (offset, index) in (start..<page.history.count).prefix(rows).enumerated() {
            let chosen = index == page.historyIndex && focus == .details
            let entry = page.history[index]
            let style = chosen ? Style(foreground: .selection, background: .selection) : workStyle(entry)
            if chosen { buffer.fill(x: area.x, y: top + offset, width: area.width, height: 1, style: style) }
            let day = Timestamp.local(entry.createdAt)
            let short = String(day.dropFirst(8).prefix(2)) + "." + String(day.dropFirst(5).prefix(2))
            buffer.put(short + " " + workLine(entry), x: x, y: top + offset, style: style, maxWidth: width)
        }
    }

    /// The title of the right pane's list, lit when the pane has the focus.
    func renderPaneTitle(_ title: String, into buffer: inout ScreenBuffer, x: Int, y: Int) {
        buffer.put(" " + title + " ", x: x, y: y, style: Style(foreground: focus == .details ? .selection : .text,
                                                                background: focus == .details ? .selection : .inactive, bold: true))
    }

    /// The status line of an item page: how many, in which stage, found, filtered.
    func itemStatus(_ page: ItemPage) -> [String] {
        var parts = [page.counted(page.total, page.kind == .opportunity ? t("oportunități", "opportunities") : t("activități", "activities"),
                                  language: language)]
        if let stage = page.stage { parts.append(t("stadiu «\(stage.name)»", "stage «\(stage.name)»")) }
        if let s = searchText { parts.append(t("căutare «\(s)»", "search «\(s)»")) }
        if let filter = page.filterSummary(language) { parts.append(filter) }
        if let n = page.narrowing {
            let due = n.from == n.to ? n.from.map { t("scadență \($0)", "due \($0)") } : t("scadență \(n.from ?? "…")–\(n.to ?? "…")", "due \(n.from ?? "…")–\(n.to ?? "…")")
            let owners = n.owners.isEmpty ? nil : t("responsabil ", "owner ") + n.owners.joined(separator: ", ")
            parts.append(t("filtru «Tablou de bord»: ", "filter «Dashboard»: ") + ([owners, n.openOnly ? t("deschise", "open") : nil, due]
                .compactMap { $0 }.joined(separator: ", ")))
        }
        return parts
    }
}

// MARK: - Mouse

extension AccountBrowser {
    /// A click in the right pane of an item page: a line of the selected item's history.
    mutating func mouseOnItems(_ event: MouseEvent, page: ItemPage) -> Effect {
        if let effect = mouseOnTablePage(event) { return effect }
        let l = layout
        if l.details.contains(x: event.x, y: event.y) {
            focus = .details
            let rows = l.details.y + l.details.height - tabRow(l.details) - 1
            let index = event.y - tabRow(l.details) - 1 + max(0, page.historyIndex - rows + 1)
            if page.history.indices.contains(index) {
                items!.historyIndex = index
                if event.kind == .doubleClick { openHistoryEntry(page.history[index]) }
            }
        }
        return .none
    }
}
