import CRMCore
import CRMStore
import CRMText
import Foundation
import TUIKit

/// The module pages Oportunități and Activități inside the main window: the
/// same menu bar, footer, status line, palette, dialogs and reminders as
/// Clienți, with the stages in the left pane, the items' table in the middle
/// and the selected item's offers and notes on the right.
extension AccountBrowser {
    /// Which module page the window shows.
    public enum Page: Sendable, Equatable {
        case accounts
        case items(WorkItemKind)

        var title: Localized {
            switch self {
            case .accounts: return Localized(ro: "Clienți", en: "Clients")
            case .items(let kind): return kind.plural
            }
        }
    }

    /// The open item page's state (nil on Clienți).
    var items: ItemPage? {
        get { if case .items(let kind) = page { return itemPages[kind] } else { return nil } }
        set { if case .items(let kind) = page, let newValue { itemPages[kind] = newValue } }
    }

    /// The actions that only make sense on Clienți (accounts, contacts,
    /// folders, duplicates, import): left out of the menus and the palette elsewhere.
    static let accountsOnly: Set<String> = [
        "record.move", "contact.add", "contact.edit", "contact.delete", "contact.primary", "folder.add", "folder.rename",
        "folder.move", "folder.delete", "selection.toggle", "selection.extend_up", "selection.extend_down", "selection.clear",
        "duplicates.account", "duplicates.all", "duplicates.merge", "duplicates.undo", "table.import", "import.template",
        "tab.next", "tab.previous", "tab.contacts", "tab.changes", "tab.work",
    ]

    /// Switches to a module page; an item page keeps its stage, sort and
    /// filter while another page is shown.
    mutating func openPage(_ target: Page) {
        guard target != page else { return }
        if case .items(let kind) = target {
            let (crm, actor) = (self.crm, self.actor)
            guard (try? crm.policy.authorize(actor, .view, kind.module)) != nil else {
                message = t("Nu aveți acces la pagina \(kind.plural.ro)", "You have no access to the \(kind.plural.en) page")
                return
            }
            if itemPages[kind] == nil {
                guard let fresh = attempt(nil, { try ItemPage(kind: kind, crm: crm, actor: actor) }) else { return }
                itemPages[kind] = fresh
            }
        }
        page = target
        search = TextField()
        searching = false
        searchPending = false
        focus = .accounts
        hscrollReset()
        if items != nil {
            refreshStageCounts()
            loadItems(.first)
        } else {
            selected = 0
            load(.first)
        }
    }

    private mutating func hscrollReset() {
        if items != nil { items!.hscroll = 0 } else { hscroll = 0 }
    }

    // MARK: - Reading

    /// Moves the items' window, reading pages of the view as needed.
    mutating func moveItems(_ body: (inout KeysetWindow<WorkItemDetails>, Int, KeysetWindow<WorkItemDetails>.Fetch,
                                     (WorkItemDetails) -> PageCursor) throws -> Void) {
        guard var page = items else { return }
        let (crm, actor, view, order) = (self.crm, self.actor, page.view(search: searchText), page.order)
        do {
            try body(&page.window, visibleRows, { position, limit in
                try crm.workItems(view, at: position, limit: limit, for: actor)
            }, { order.cursor($0.record) })
        } catch {
            message = describe(error)
        }
        items = page
        refreshItemNotes()
    }

    /// Loads the items' page at a position; the first one counts a narrowed
    /// view again (a search, a filter).
    mutating func loadItems(_ position: PagePosition) {
        guard var page = items else { return }
        if position == .first {
            let (crm, actor, view) = (self.crm, self.actor, page.view(search: searchText))
            page.viewCount = searchText != nil || page.filter != nil ? attempt(nil) { try crm.count(view, cap: Self.countCap, for: actor) } : nil
            items = page
        }
        moveItems { w, height, fetch, cursor in try w.load(position, height: height, fetch: fetch, cursor: cursor) }
    }

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
        let (crm, actor, kind) = (self.crm, self.actor, page.kind)
        let stageID = page.stage?.meta?.id
        page.stages = attempt(page.stages) { try crm.stages(kind, includingRetired: true) }
        page.stageIndex = stageID.flatMap { id in page.stages.firstIndex { $0.meta?.id == id }.map { $0 + 1 } } ?? 0
        items = page
        refreshStageCounts()
        let target = uuid ?? page.selectedItem?.uuid
        let fresh = target.flatMap { ref in attempt(nil) { try crm.workItem(ref, for: actor) } }
        let order = page.order
        loadItems(.first)
        if let fresh, let start = items?.window.rows.first {
            loadItems(.from(order.cursor(start.record)))
            if let index = items?.window.rows.firstIndex(where: { $0.uuid == fresh.uuid }) {
                items?.window.selected = index
            } else {
                loadItems(.from(order.cursor(fresh.record)))
                items?.window.selected = 0
            }
            refreshItemNotes()
        }
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

    /// An action on an item page; nil when the page leaves it to the window
    /// (menus, settings, help, quitting…).
    mutating func performOnItems(_ action: String) -> Effect? {
        guard let page = items else { return nil }
        if Self.accountsOnly.contains(action) {
            message = t("Comandă a paginii Clienți (\(keyHint("page.accounts")))", "A command of the Clients page (\(keyHint("page.accounts")))")
            return Effect.none
        }
        switch action {
        case "cursor.down": moveItemCursor(1)
        case "cursor.up": moveItemCursor(-1)
        case "cursor.page_down": moveItemCursor(visibleRows)
        case "cursor.page_up": moveItemCursor(-visibleRows)
        case "cursor.first": moveItemCursor(Int.min)
        case "cursor.last": moveItemCursor(Int.max)
        case "tree.collapse": if focus == .accounts { items!.hscroll = max(0, page.hscroll - 1) }
        case "tree.expand": if focus == .accounts, page.hscroll < page.table.columns.count - 2 { items!.hscroll += 1 }
        case "record.open":
            switch focus {
            case .folders: focus = .accounts
            case .accounts: if let item = page.selectedItem { openWorkItem(item.kind, existing: item) }
            case .details: if let entry = page.selectedEntry { openHistoryEntry(entry) }
            }
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
        case "sort.next":
            let sortable = page.table.visible(page.columns).filter { $0.order != nil }.map(\.id)
            guard !sortable.isEmpty else { break }
            sortItems(by: sortable[((sortable.firstIndex(of: page.table.sort) ?? -1) + 1) % sortable.count], descending: false)
        case "sort.reverse": sortItems(by: page.table.sort, descending: !page.table.descending)
        case "filter.clear":
            items!.filter = nil
            items!.filterName = nil
            items!.window.selected = 0
            loadItems(.first)
        default: return nil
        }
        return Effect.none
    }

    /// What an action does, in the words of the page shown: on an item page the
    /// table's own actions name its items.
    func actionText(_ action: String) -> String {
        if let kind = items?.kind {
            let opportunity = kind == .opportunity
            switch action {
            case "record.add": return opportunity ? t("Adăugare oportunitate", "Add opportunity") : t("Adăugare activitate", "Add activity")
            case "record.edit":
                return opportunity ? t("Modificare oportunitate (stadiu, date, memento)", "Change the opportunity (stage, dates, reminder)")
                    : t("Modificare activitate (stadiu, date, memento)", "Change the activity (stage, dates, reminder)")
            case "record.delete": return opportunity ? t("Ștergere oportunitate", "Delete the opportunity") : t("Ștergere activitate", "Delete the activity")
            case "note.add": return t("Adăugare notă (cu fișier) la rândul ales", "Add a note (with a file) to the chosen row")
            case "fields.admin": return t("Setări tabel: coloane personalizate (admin)", "Table settings: custom columns (admin)")
            default: break
            }
        }
        return Actions.description(action, language) ?? action
    }

    func keyHint(_ action: String) -> String { keymap.keys(for: action, in: .browser).first?.description ?? "" }

    mutating func moveItemCursor(_ delta: Int) {
        switch focus {
        case .folders:
            guard let page = items else { return }
            let listed = page.listedStages.map(\.index)
            let rows = [0] + listed
            let at = rows.firstIndex(of: page.stageIndex) ?? 0
            let target = delta == Int.min ? 0 : delta == Int.max ? rows.count - 1 : max(0, min(rows.count - 1, at + delta))
            selectStage(rows[target])
        case .details:
            guard let page = items, !page.history.isEmpty else { return }
            let index = delta == Int.min ? 0 : delta == Int.max ? page.history.count - 1 : page.historyIndex + delta
            items!.historyIndex = max(0, min(page.history.count - 1, index))
        case .accounts:
            if delta == Int.min { loadItems(.first); items?.window.selected = 0; return }
            moveItems { w, height, fetch, cursor in try w.move(delta, height: height, fetch: fetch, cursor: cursor) }
        }
    }

    /// Shows the items of one stage (0: of every stage).
    mutating func selectStage(_ index: Int) {
        guard let page = items, index != page.stageIndex else { return }
        items!.stageIndex = index
        items!.window.selected = 0
        loadItems(.first)
    }

    /// Orders the items by a column (saved with the user's settings for the table).
    mutating func sortItems(by column: String, descending: Bool) {
        guard let page = items, let sortable = page.columns.first(where: { $0.id == column }), sortable.order != nil else { return }
        items!.table.sort = column
        items!.table.descending = descending
        let keep = page.selectedItem
        items!.window.selected = 0
        let order = items!.order
        loadItems(.first)
        if let keep { loadItems(.from(order.cursor(keep.record))) }
        message = t("Ordonat după \(sortable.label.text(language))", "Sorted by \(sortable.label.text(language))") + (descending ? " ↓" : " ↑")
        saveItemTable()
    }

    mutating func saveItemTable() {
        guard let page = items else { return }
        let (crm, actor) = (self.crm, self.actor)
        attempt(()) { try crm.saveTableSettings(page.tableKind, page.table, columns: page.columns, by: actor) }
    }

    /// After a change of custom columns: the item tables' columns again.
    mutating func reloadItemColumns() {
        let (crm, actor) = (self.crm, self.actor)
        for (kind, var page) in itemPages {
            page.columns = attempt(page.columns) { try crm.workItemColumns(kind, for: actor) }
            page.table = page.table.fitted(to: page.columns, defaults: page.tableKind.defaults)
            itemPages[kind] = page
        }
    }

    /// Enter on a line of the item's history: a note's files offered for
    /// saving (or its text shown), an offer printed.
    mutating func openHistoryEntry(_ entry: WorkEntry) {
        switch entry {
        case .note(let note):
            guard !note.files.isEmpty else { message = Sanitize.line(note.record.text); return }
            openNoteFiles(note)
        case .offer(let offer): openOfferPrint(offer)
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
        let heading = Style(foreground: focus == .folders ? .primary : .muted, bold: true)
        buffer.put(t("Stadii", "Stages"), x: area.x + 1, y: area.y, style: heading)
        let all = (index: 0, name: t("Toate", "All"), count: page.stageCounts.values.reduce(0, +), mark: "")
        let listed = [all] + page.listedStages.map { entry in
            (index: entry.index, name: entry.stage.name, count: page.stageCounts[entry.stage.meta!.id] ?? 0,
             mark: entry.stage.isWon ? "✓ " : entry.stage.isLost ? "✗ " : "  ")
        }
        for (row, entry) in listed.prefix(area.height - 1).enumerated() {
            let chosen = entry.index == page.stageIndex
            let style = chosen ? Style(foreground: focus == .folders ? .selection : .text,
                                       background: focus == .folders ? .selection : .inactive) : Style()
            let y = area.y + 1 + row
            if chosen { buffer.fill(x: area.x, y: y, width: area.width, height: 1, style: style) }
            let count = String(entry.count)
            buffer.put((entry.index == 0 ? "" : "  ") + entry.mark + entry.name, x: area.x, y: y, style: style,
                       maxWidth: area.width - count.count - 2)
            buffer.put(count, x: area.x + area.width - count.count - 1, y: y, style: chosen ? style : Style(foreground: .muted))
        }
    }

    func renderItems(into buffer: inout ScreenBuffer, area: Rect, page: ItemPage) {
        let empty = searchText != nil || page.filter != nil
            ? t("Niciun rând nu se potrivește", "No row matches")
            : page.kind == .opportunity ? t("Nicio oportunitate aici", "No opportunities here") : t("Nicio activitate aici", "No activities here")
        page.grid.render(into: &buffer, area: area, rows: page.window.rows, selected: page.window.selected, focused: focus == .accounts,
                         language: language, empty: empty)
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
        let title = " " + t("Oferte, note și fișiere", "Offers, notes and files") + " (\(page.history.count)) "
        buffer.put(title, x: x - 1, y: tabsAt, style: Style(foreground: focus == .details ? .selection : .text,
                                                            background: focus == .details ? .selection : .inactive, bold: true))
        let top = tabsAt + 1, rows = area.y + area.height - top
        guard rows > 0 else { return }
        if page.history.isEmpty {
            buffer.put(t("Nicio notă; \(keyHint("note.add")) adaugă una", "No notes; \(keyHint("note.add")) adds one"), x: x, y: top,
                       style: Style(foreground: .muted))
        }
        let start = max(0, page.historyIndex - rows + 1)
        for (offset, index) in (start..<page.history.count).prefix(rows).enumerated() {
            let chosen = index == page.historyIndex && focus == .details
            let style = chosen ? Style(foreground: .selection, background: .selection) : Style()
            if chosen { buffer.fill(x: area.x, y: top + offset, width: area.width, height: 1, style: style) }
            let entry = page.history[index]
            let day = Timestamp.local(entry.createdAt)
            let short = String(day.dropFirst(8).prefix(2)) + "." + String(day.dropFirst(5).prefix(2))
            buffer.put(short + " " + workLine(entry), x: x, y: top + offset, style: style, maxWidth: width)
        }
    }

    /// The status line of an item page: how many, in which stage, found, filtered.
    func itemStatus(_ page: ItemPage) -> [String] {
        var first = page.viewCount.map { ($0 >= Self.countCap ? "\(Self.countCap - 1)+" : "\($0)") + " " + t("din", "of") + " " } ?? ""
        first += "\(page.total) " + (page.kind == .opportunity ? t("oportunități", "opportunities") : t("activități", "activities"))
        var parts = [first]
        if let stage = page.stage { parts.append(t("stadiu «\(stage.name)»", "stage «\(stage.name)»")) }
        if let s = searchText { parts.append(t("căutare «\(s)»", "search «\(s)»")) }
        if let filter = page.filter {
            parts.append(t("filtru ", "filter ") + (page.filterName.map { "«\($0)»: " } ?? "") + filter.summary(columns: page.columns, language: language))
        }
        return parts
    }
}

// MARK: - Mouse

extension AccountBrowser {
    mutating func mouseOnItems(_ event: MouseEvent, page: ItemPage) -> Effect {
        let l = layout
        let (x, y) = (event.x, event.y)
        if l.tree.contains(x: x, y: y) {
            focus = .folders
            switch event.kind {
            case .wheelUp: moveItemCursor(-1)
            case .wheelDown: moveItemCursor(1)
            case .click, .doubleClick, .rightClick:
                let rows = [0] + page.listedStages.map(\.index)
                let row = y - l.tree.y - 1
                if rows.indices.contains(row) { selectStage(rows[row]) }
            }
            return .none
        }
        if l.table.contains(x: x, y: y) {
            focus = .accounts
            switch event.kind {
            case .wheelUp: moveItemCursor(-3)
            case .wheelDown: moveItemCursor(3)
            case .click, .doubleClick, .rightClick:
                let row = y - l.table.y - 1
                if row == -1, event.kind == .click {
                    for (column, cx, w) in page.grid.layout(width: l.table.width) where x >= l.table.x + cx && x < l.table.x + cx + w {
                        sortItems(by: column.id, descending: column.id == page.table.sort ? !page.table.descending : false)
                    }
                    return .none
                }
                guard page.window.rows.indices.contains(row) else { return .none }
                items!.window.selected = row
                refreshItemNotes()
                if event.kind == .doubleClick { return perform("record.edit") }
                if event.kind == .rightClick { openContextMenu(x: x, y: y) }
            }
            return .none
        }
        if l.details.contains(x: x, y: y) {
            focus = .details
            let rows = l.details.y + l.details.height - tabRow(l.details) - 1
            let index = y - tabRow(l.details) - 1 + max(0, page.historyIndex - rows + 1)
            if page.history.indices.contains(index) {
                items!.historyIndex = index
                if event.kind == .doubleClick { openHistoryEntry(page.history[index]) }
            }
        }
        return .none
    }
}
