import CRMCore
import CRMStore
import CRMText
import TUIKit

/// Drawing the page: a pure function of the state.
extension AccountBrowser {
    public func render(into buffer: inout ScreenBuffer) {
        if tooSmall {
            let text = t("Terminalul este prea mic: minimum \(Self.minimumWidth)×\(Self.minimumHeight)",
                         "The terminal is too small: at least \(Self.minimumWidth)×\(Self.minimumHeight)")
            buffer.put(text, x: 0, y: buffer.height / 2, style: Style(foreground: .warning, bold: true))
            return
        }
        let l = layout
        renderMenuBar(into: &buffer)
        let border = Style(foreground: .border)
        for y in l.tree.y..<(l.tree.y + l.tree.height) { buffer.put("│", x: l.tree.width, y: y, style: border) }
        if l.side {
            for y in l.details.y..<(l.details.y + l.details.height) { buffer.put("│", x: l.details.x - 1, y: y, style: border) }
        } else {
            buffer.put(String(repeating: "─", count: l.details.width), x: l.details.x, y: l.details.y - 1, style: border)
        }
        if page == .dashboard, let dashboard = dashboardPage {
            dashboard.render(into: &buffer, area: dashboardArea(), language: language)
        } else if let page = items {
            renderStages(into: &buffer, area: l.tree, page: page)
            renderItems(into: &buffer, area: l.table, page: page)
            renderItemDetails(into: &buffer, area: l.details, page: page)
        } else if let page = invoices {
            renderInvoiceStatuses(into: &buffer, area: l.tree, page: page)
            renderTablePage(into: &buffer, area: l.table, empty: t("Nicio factură aici; \(keyHint("record.add")) adaugă una",
                                                                   "No invoices here; \(keyHint("record.add")) adds one"))
            renderInvoiceDetails(into: &buffer, area: l.details, page: page)
        } else if let page = ledger {
            renderLedgerAccounts(into: &buffer, area: l.tree, page: page)
            renderStatement(into: &buffer, area: l.table, page: page)
            renderLedgerSummary(into: &buffer, area: l.details, page: page)
        } else if let page = products {
            renderCategories(into: &buffer, area: l.tree, page: page)
            renderTablePage(into: &buffer, area: l.table, empty: t("Niciun produs aici; \(keyHint("record.add")) adaugă unul",
                                                                   "No products here; \(keyHint("record.add")) adds one"))
            renderProductDetails(into: &buffer, area: l.details, page: page)
        } else {
            renderFolders(into: &buffer, area: l.tree)
            renderTable(into: &buffer, area: l.table)
            renderDetails(into: &buffer, area: l.details)
        }
        renderFooter(into: &buffer, y: l.footerRow)
        renderStatus(into: &buffer, y: l.statusRow)
        renderOverlay(into: &buffer)
    }

    private func renderMenuBar(into buffer: inout ScreenBuffer) {
        let style = Style(foreground: .text, background: .panel)
        buffer.fill(x: 0, y: 0, width: buffer.width, height: 1, style: style)
        var open: Int?
        if case .menu(_, let bar?) = overlay { open = bar }
        for (i, x) in menuBarPositions().enumerated() {
            let title = " " + menuBar[i].title.text(language) + " "
            let chosen = i == open
            buffer.put(title, x: x - 1, y: 0, style: chosen ? Style(foreground: .selection, background: .selection)
                                                      : Style(foreground: i == 0 ? .primary : .text, background: .panel, bold: i == 0))
        }
        let place = items.map { $0.kind.plural.text(language) + ($0.stage.map { " / " + $0.name } ?? "") }
            ?? products.map { page.title.text(language) + ($0.category.map { " / " + ($0.isEmpty ? t("fără categorie", "no category") : $0) } ?? "") }
            ?? invoices.map { page.title.text(language) + ($0.status.map { " / " + $0.label.text(language) } ?? "") }
            ?? ledger.map { page.title.text(language) + ($0.account.map { " / " + $0.code } ?? "") }
            ?? (page == .dashboard ? page.title.text(language) : nil)
            ?? activeFolder?.path ?? ""
        let right = "\(actor.login) · \(place) "
        let w = DisplayWidth.of(right)
        let start = (menuBarPositions().last ?? 0) + 12
        buffer.put(right, x: max(start, buffer.width - w), y: 0, style: Style(foreground: .muted, background: .panel),
                   maxWidth: buffer.width - start)
    }

    private func renderFolders(into buffer: inout ScreenBuffer, area: Rect) {
        let heading = Style(foreground: focus == .folders ? .primary : .muted, bold: true)
        buffer.put(t("Dosare", "Folders"), x: area.x + 1, y: area.y, style: heading)
        let visible = visibleFolders
        let rows = area.height - 1
        let at = visible.firstIndex(of: folderIndex) ?? 0
        let start = max(0, min(at - rows + 1, visible.count - rows))
        for (row, index) in visible[max(0, start)...].prefix(rows).enumerated() {
            let node = folders[index]
            let chosen = index == folderIndex
            let style = chosen ? Style(foreground: focus == .folders ? .selection : .text,
                                       background: focus == .folders ? .selection : .inactive) : Style()
            let y = area.y + 1 + row
            if chosen { buffer.fill(x: area.x, y: y, width: area.width, height: 1, style: style) }
            let marker = hasChildren(index) ? (collapsed.contains(node.id) ? "▸ " : "▾ ") : "  "
            let count = String(node.totalCount)
            let name = String(repeating: "  ", count: node.depth) + marker + node.record.name
            buffer.put(name, x: area.x, y: y, style: style, maxWidth: area.width - count.count - 2)
            buffer.put(count, x: area.x + area.width - count.count - 1, y: y, style: chosen ? style : Style(foreground: .muted))
        }
    }

    /// The accounts table as the shared engine draws it.
    var grid: TableGrid<AccountDetails, AccountOrder> { TableGrid(columns: allColumns, settings: table, hscroll: hscroll) }

    func tableLayout(width: Int) -> [(column: AccountColumn, x: Int, width: Int)] { grid.layout(width: width) }

    private func renderTable(into buffer: inout ScreenBuffer, area: Rect) {
        let empty = searchText != nil ? t("Niciun cont nu se potrivește căutării", "No account matches the search")
            : t("Niciun cont în acest dosar", "No accounts in this folder")
        grid.render(into: &buffer, area: area, rows: rows, selected: selected, focused: focus == .accounts, language: language,
                    empty: empty) { account in account.record.meta.map { marked[$0.uuid.description] != nil } ?? false }
    }

    /// The row of the history pane's tabs.
    func tabRow(_ area: Rect) -> Int { area.y + (layout.side ? min(9, area.height / 2) : 2) }

    static let tabTitles = [Localized(ro: "Contacte", en: "Contacts"), Localized(ro: "Modificări", en: "Changes"),
                            Localized(ro: "Istoric", en: "History"), Localized(ro: "Fișă", en: "Statement")]

    /// The tab titles as shown: the contacts tab with its count.
    func tabLabels() -> [String] {
        Self.tabTitles.enumerated().map { i, title in
            title.text(language) + (i == 0 ? " (\(contacts.count))" : i == 2 ? " (\(work.count))" : "")
        }
    }

    /// Where each tab title starts.
    func tabPositions(_ area: Rect) -> [Int] {
        var x = area.x + 1
        return tabLabels().map { label in
            defer { x += DisplayWidth.of(label) + 3 }
            return x
        }
    }

    private func renderDetails(into buffer: inout ScreenBuffer, area: Rect) {
        guard let account = selectedAccount else { return }
        let x = area.x + 1, width = area.width - 2
        buffer.put(account.record.name, x: x, y: area.y, style: Style(foreground: .primary, bold: true), maxWidth: width)
        let tabsAt = tabRow(area)
        if layout.side {
            let fields: [AccountField] = [.cui, .city, .phone, .email, .zone, .owner, .folder]
            var line = area.y + 1
            for field in fields where line < tabsAt - 1 {
                let value = account.text(field)
                if value.isEmpty { continue }
                buffer.put(field.label.text(language), x: x, y: line, style: Style(foreground: .muted), maxWidth: 13)
                buffer.put(value, x: x + 14, y: line, maxWidth: width - 14)
                line += 1
            }
        } else {
            let facts = [AccountField.cui, .city, .phone, .email].map { account.text($0) }.filter { !$0.isEmpty }
            buffer.put(facts.joined(separator: " · "), x: x, y: area.y + 1, style: Style(foreground: .muted), maxWidth: width)
        }
        for (i, start) in tabPositions(area).enumerated() {
            let title = " " + tabLabels()[i] + " "
            let chosen = i == tab.rawValue
            buffer.put(title, x: start - 1, y: tabsAt,
                       style: chosen ? Style(foreground: focus == .details ? .selection : .text,
                                             background: focus == .details ? .selection : .inactive, bold: true)
                                     : Style(foreground: .muted))
        }
        let top = tabsAt + 1, rows = area.y + area.height - top
        guard rows > 0 else { return }
        switch tab {
        case .contacts:
            if contacts.isEmpty {
                buffer.put(t("Nicio persoană de contact", "No contacts"), x: x, y: top, style: Style(foreground: .muted))
            }
            let start = max(0, contactIndex - rows + 1)
            for (line, index) in (start..<contacts.count).prefix(rows).enumerated() {
                let contact = contacts[index]
                let chosen = index == contactIndex && focus == .details
                let style = chosen ? Style(foreground: .selection, background: .selection) : Style()
                if chosen { buffer.fill(x: area.x, y: top + line, width: area.width, height: 1, style: style) }
                var text = (contact.isPrimary ? "★ " : "  ") + contact.name
                for part in [contact.role, contact.phone ?? contact.mobile, contact.email].compactMap({ $0 }) where !part.isEmpty {
                    text += " · " + part
                }
                buffer.put(text, x: x, y: top + line, style: style, maxWidth: width)
            }
        case .work:
            if work.isEmpty {
                buffer.put(t("Nicio oportunitate, activitate sau notă", "No opportunities, activities or notes"), x: x, y: top,
                           style: Style(foreground: .muted))
            }
            let start = max(0, workIndex - rows + 1)
            for (line, index) in (start..<work.count).prefix(rows).enumerated() {
                let chosen = index == workIndex && focus == .details
                let style = chosen ? Style(foreground: .selection, background: .selection) : workStyle(work[index])
                if chosen { buffer.fill(x: area.x, y: top + line, width: area.width, height: 1, style: style) }
                let day = Timestamp.local(work[index].createdAt)  // "2026-11-29 10:32 EET": the day and month shown
                let short = String(day.dropFirst(8).prefix(2)) + "." + String(day.dropFirst(5).prefix(2))
                buffer.put(short + " " + workLine(work[index]), x: x, y: top + line, style: style, maxWidth: width)
            }
        case .changes:
            for (line, entry) in history.reversed().prefix(rows).enumerated() {
                // A row made or deleted says by what operation (account.add, import, webform.submit…).
                let what = entry.field.map { "\($0): \(entry.newValue.text ?? "")" } ?? "\(entry.op) · \(entry.operation)"
                buffer.put(String(Timestamp.iso(entry.at).prefix(10)) + " " + what, x: x, y: top + line, maxWidth: width)
            }
        case .ledger:
            renderClientStatement(into: &buffer, x: x, top: top, width: width, rows: rows, area: area)
        }
    }

    /// The search box and the main key hints.
    private func renderFooter(into buffer: inout ScreenBuffer, y: Int) {
        let style = Style(foreground: .text, background: .panel)
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: style)
        let label = searchEverywhere && tablePage == nil ? t("Căutare (toate):", "Search (all):") : t("Căutare:", "Search:")
        buffer.put(label, x: 1, y: y, style: Style(foreground: searching ? .primary : .muted, background: .panel, bold: searching))
        let boxX = DisplayWidth.of(label) + 2
        search.render(into: &buffer, x: boxX, y: y, width: 24, style: Style(foreground: .text, background: .surface, underline: true),
                      focused: searching)
        let hints: [(String, Localized)] = [
            ("help.show", Localized(ro: "Ajutor", en: "Help")),
            ("menu.open", Localized(ro: "Meniu", en: "Menu")),
            ("record.add", Localized(ro: "Adăugare", en: "Add")),
            ("record.edit", Localized(ro: "Editare", en: "Edit")),
            ("record.delete", Localized(ro: "Ștergere", en: "Delete")),
            ("palette.open", Localized(ro: "Comenzi", en: "Commands")),
            ("app.quit", Localized(ro: "Ieșire", en: "Quit")),
        ]
        var x = boxX + 26
        for (action, label) in hints {
            guard let key = keymap.keys(for: action, in: .browser).first else { continue }
            let k = key.description
            if x + DisplayWidth.of(k) + DisplayWidth.of(label.text(language)) + 2 > buffer.width { break }
            x += buffer.put(k, x: x, y: y, style: Style(foreground: .accent, background: .panel, bold: true))
            x += buffer.put(" " + label.text(language) + "  ", x: x, y: y, style: style)
        }
    }

    /// Messages, or the counts: accounts in the folder, found, selected.
    private func renderStatus(into buffer: inout ScreenBuffer, y: Int) {
        let style = Style(foreground: .muted)
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: style)
        if let message {
            buffer.put(message, x: 1, y: y, style: Style(foreground: .warning, bold: true))
            return
        }
        var parts: [String]
        if let page = items {
            parts = itemStatus(page)
        } else if let page = products {
            parts = productStatus(page)
        } else if let page = invoices {
            parts = invoiceStatus(page)
        } else if let page = ledger {
            parts = ledgerStatus(page)
        } else if page == .dashboard {
            parts = dashboardStatus()
        } else {
            parts = [viewCount.map { ($0 >= Self.countCap ? "\(Self.countCap - 1)+" : "\($0)") + " " + t("din", "of") + " " } ?? ""]
            let total = searchEverywhere && searchText != nil ? (folders.first?.totalCount ?? 0) : (activeFolder?.totalCount ?? 0)
            parts[0] += "\(total) " + t("conturi", "accounts")
            if let s = searchText {
                parts.append(t("căutare «\(s)»", "search «\(s)»") + (searchEverywhere ? t(" în toate conturile", " in every account") : ""))
            }
            if let filter {
                parts.append(t("filtru ", "filter ") + (filterName.map { "«\($0)»: " } ?? "") + filter.summary(columns: allColumns, language: language))
            }
        }
        if !marked.isEmpty { parts.append("\(marked.count) " + t("selectate", "selected")) }
        if let (done, total) = indexProgress, total > 0 {
            parts.append(t("indexare căutare", "search indexing") + " \(done * 100 / total)%")
        }
        if let sync = syncStatusPart() { parts.append(sync) }
        parts.append(t("temă", "theme") + " " + appearance.theme)
        parts.append(t("taste", "keys") + " " + appearance.keymap)
        buffer.put(parts.joined(separator: " · "), x: 1, y: y, style: style)
    }

    private func renderOverlay(into buffer: inout ScreenBuffer) {
        switch overlay {
        case nil: break
        case .help(let scroll)?: HelpOverlay().render(into: &buffer, keymap: keymap, language: language, scroll: scroll)
        case .menu(let list, _)?: list.render(into: &buffer)
        case .palette(let palette)?: palette.render(into: &buffer, keymap: keymap, language: language)
        case .confirm(let question)?:
            let style = Style(foreground: .warning, background: .panel, bold: true)
            let y = layout.statusRow
            buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: style)
            buffer.put(question.text.text(language), x: 1, y: y, style: style)
        case .dialog(let dialog)?: dialog.render(into: &buffer, language: language, keymap: keymap)
        case .columns(let dialog)?: dialog.render(into: &buffer, language: language, keymap: keymap)
        case .fields(let dialog)?: dialog.render(into: &buffer, language: language)
        case .duplicates(let view)?: view.render(into: &buffer, language: language)
        case .merge(let view)?: view.render(into: &buffer, language: language)
        case .conflict(let view)?: view.render(into: &buffer, language: language)
        case .users(let view)?: view.render(into: &buffer, language: language)
        case .reminders(let view)?: view.render(into: &buffer, language: language)
        case .notes(let view)?: view.render(into: &buffer, language: language)
        case .adminList(let view)?: view.render(into: &buffer, language: language)
        case .item(let view)?: view.render(into: &buffer, language: language, line: { workLine($0) }, style: { workStyle($0) })
        case .document(let editor)?: editor.render(into: &buffer, language: language)
        case .importPreview(let preview)?: preview.render(into: &buffer, language: language)
        case .text(let viewer)?: viewer.render(into: &buffer)
        case .campaigns(let view)?: view.render(into: &buffer, language: language)
        case .grouped(let view)?: view.table.render(into: &buffer)
        case .blocks(let builder)?: builder.render(into: &buffer, language: language)
        case .webForms(let view)?: view.render(into: &buffer, language: language)
        case .syncConflicts(let view)?: view.render(into: &buffer, language: language)
        case .webFormDesigner(let designer)?: designer.render(into: &buffer, language: language)
        case .leads(let view)?: view.render(into: &buffer, language: language)
        case .progress(let job)?:
            let box = Rect.centred(width: 60, height: 6, in: Rect(x: 0, y: 0, width: buffer.width, height: buffer.height))
            let panel = Style(foreground: .text, background: .panel)
            buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel), title: job.title.text(language),
                       titleStyle: Style(foreground: .primary, background: .panel, bold: true))
            let (done, total) = job.progress
            let barWidth = box.width - 4
            let filled = total > 0 ? barWidth * done / total : 0
            buffer.put(String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled),
                       x: box.x + 2, y: box.y + 2, style: Style(foreground: .accent, background: .panel))
            let text = job.isCancelled ? t("Se anulează…", "Cancelling…") : "\(done) / \(total)   " + t("esc anulează", "esc cancels")
            buffer.put(text, x: box.x + 2, y: box.y + 3, style: panel)
        }
    }
}
