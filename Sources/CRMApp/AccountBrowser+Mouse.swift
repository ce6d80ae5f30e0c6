import CRMCore
import CRMStore
import TUIKit

/// The mouse: click focuses and selects, double click opens, the right button
/// opens the context menu, the wheel scrolls.
extension AccountBrowser {
    mutating func mouse(_ event: MouseEvent) -> Effect {
        if overlay != nil { return mouseOnOverlay(event) }
        message = nil
        let l = layout
        let (x, y) = (event.x, event.y)
        if y == 0 {
            if let i = menuBarPositions().lastIndex(where: { x >= $0 - 1 }), event.kind == .click { openMenu(i) }
            return .none
        }
        if y == l.footerRow {
            if event.kind == .click { searching = true; focus = .accounts }
            return .none
        }
        if page == .dashboard { return mouseOnDashboard(event) }
        if let page = items { return mouseOnItems(event, page: page) }
        if products != nil { return mouseOnTablePage(event) ?? .none }
        if let page = invoices { return mouseOnInvoices(event, page: page) }
        if let page = ledger { return mouseOnLedger(event, page: page) }
        if l.tree.contains(x: x, y: y) {
            focus = .folders
            switch event.kind {
            case .wheelUp: moveCursor(-3)
            case .wheelDown: moveCursor(3)
            case .release: break
            case .click, .doubleClick, .rightClick:
                let visible = visibleFolders
                let at = visible.firstIndex(of: folderIndex) ?? 0
                let start = max(0, min(at - (l.tree.height - 1) + 1, visible.count - (l.tree.height - 1)))
                let row = y - l.tree.y - 1 + start
                guard row >= 0, visible.indices.contains(row) else { return .none }
                selectFolder(visible[row])
                if event.kind == .doubleClick, let folder = activeFolder, hasChildren(folderIndex) {
                    if collapsed.remove(folder.id) == nil { collapsed.insert(folder.id) }
                }
                if event.kind == .rightClick { openContextMenu(x: x, y: y) }
            }
            return .none
        }
        if l.table.contains(x: x, y: y) {
            focus = .accounts
            switch event.kind {
            case .wheelUp: moveCursor(-3)
            case .wheelDown: moveCursor(3)
            case .release: break
            case .click, .doubleClick, .rightClick:
                let row = y - l.table.y - 1
                if row == -1, event.kind == .click {
                    // A click on a header sorts by it; on the sorted one, reverses.
                    for (column, cx, w) in tableLayout(width: l.table.width) where x >= l.table.x + cx && x < l.table.x + cx + w {
                        sort(by: column.id, descending: column.id == table.sort ? !table.descending : false)
                    }
                    return .none
                }
                guard rows.indices.contains(row) else { return .none }
                selected = row
                anchor = nil
                refreshHistory()
                if event.kind == .doubleClick { return perform("record.edit") }
                if event.kind == .rightClick { openContextMenu(x: x, y: y) }
            }
            return .none
        }
        if l.details.contains(x: x, y: y) {
            focus = .details
            let tabsAt = tabRow(l.details)
            switch event.kind {
            case .wheelUp: moveCursor(-1)
            case .wheelDown: moveCursor(1)
            case .release: break
            case .click, .doubleClick, .rightClick:
                if y == tabsAt {
                    if let i = tabPositions(l.details).lastIndex(where: { x >= $0 - 1 }) { tab = HistoryTab(rawValue: i) ?? tab }
                    return .none
                }
                let rows = l.details.y + l.details.height - tabsAt - 1
                // The line clicked, in the list the tab shows (scrolled as it is drawn).
                let chosen = tab == .work ? workIndex : contactIndex
                let index = y - tabsAt - 1 + max(0, chosen - rows + 1)
                if tab == .contacts, contacts.indices.contains(index) { contactIndex = index }
                if tab == .work, work.indices.contains(index) { workIndex = index }
                if event.kind == .doubleClick {
                    if tab == .work { openSelectedWork(); return .none }
                    return perform("contact.edit")
                }
                if event.kind == .rightClick { openContextMenu(x: x, y: y) }
            }
        }
        return .none
    }

    private mutating func mouseOnOverlay(_ event: MouseEvent) -> Effect {
        guard let current = overlay else { return .none }
        switch current {
        case .menu(var list, let bar):
            if event.y == 0, bar != nil, let i = menuBarPositions().lastIndex(where: { event.x >= $0 - 1 }) {
                openMenu(i)
                return .none
            }
            guard event.kind == .click || event.kind == .rightClick else { return .none }
            let outcome = list.click(x: event.x, y: event.y, screenWidth: width, screenHeight: height)
            overlay = .menu(list, bar: bar)
            return menuEvent(outcome, bar: bar)
        case .palette(var palette):
            let box = palette.rect(width: width, height: height)
            guard box.contains(x: event.x, y: event.y) else { overlay = nil; return .none }
            let index = event.y - box.y - 3 + max(0, palette.selected - (box.height - 4) + 1)
            let list = palette.matches(language)
            if event.kind == .click, list.indices.contains(index) {
                palette.selected = index
                overlay = nil
                return perform(list[index].id)
            }
        case .dialog(var dialog):
            guard event.kind == .click || event.kind == .doubleClick else { return .none }
            let box = dialog.frame(width: width, height: height)
            if dialog.contactForm != nil { return .none }
            if dialog.isAccount && event.y == box.y + 1 {
                dialog.page = event.x < box.x + 14 ? 0 : 1
            } else if dialog.page == 0 {
                dialog.form.click(x: event.x, y: event.y, in: dialog.formArea(width: width, height: height))
            } else {
                let index = event.y - dialog.formArea(width: width, height: height).y
                if dialog.contacts.indices.contains(index) {
                    dialog.contactIndex = index
                    if event.kind == .doubleClick { dialog.openContact(index, language: language) }
                }
            }
            overlay = .dialog(dialog)
        case .columns(var dialog):
            if event.kind == .click { dialog.click(x: event.x, y: event.y, width: width, height: height) }
            overlay = .columns(dialog)
        case .grouped(var view):
            switch view.table.mouse(event, width: width, height: height) {
            case .groupChanged: loadRows(&view); overlay = .grouped(view)
            case .key(let key): overlay = .grouped(view); updateGrouped(view, key)
            default: overlay = .grouped(view)
            }
        case .blocks(let builder):
            updateBlocks(builder, .mouse(event))
        case .webForms, .webFormDesigner, .leads, .syncConflicts:
            // The wheel moves the chosen row, as the arrows do.
            if event.kind == .wheelUp || event.kind == .wheelDown { return update(event.kind == .wheelUp ? .up : .down) }
        case .fields, .duplicates, .merge, .conflict, .users, .reminders, .notes, .adminList, .importPreview, .item, .document, .text, .campaigns:
            break
        case .help, .confirm:
            if event.kind == .click { overlay = nil }
        case .progress:
            break
        }
        return .none
    }
}
