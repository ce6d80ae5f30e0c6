import CRMCore
import CRMStore
import CRMText
import TUIKit

/// The Clienți page: the folder tree (Dosare) on the left, the accounts of the
/// selected folder in the middle, and the selected account on the right. Rows
/// come a page at a time by keyset (never more than the screen holds), so moving
/// through a million accounts costs the same as through ten.
public struct AccountBrowser: Screen {
    public enum Pane: Sendable { case folders, accounts }

    let crm: CRM
    let actor: Actor
    let keymap: Keymap
    let language: Language

    public private(set) var folders: [FolderNode] = []
    public private(set) var folderIndex = 0
    public private(set) var rows: [AccountDetails] = []
    public private(set) var selected = 0
    public private(set) var focus: Pane = .accounts
    public private(set) var history: [ChangeLogEntry] = []
    public private(set) var message: String?
    /// The open dialog, if any: it receives the keys until it closes.
    public private(set) var dialog: AccountForm?
    public private(set) var showingHelp = false
    /// The account whose deletion waits for a yes.
    public private(set) var pendingDelete: AccountDetails?
    private var width = 80
    private var height = 24

    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public init(crm: CRM, actor: Actor, keymap: Keymap, language: Language) {
        self.crm = crm
        self.actor = actor
        self.keymap = keymap
        self.language = language
        folders = attempt([]) { try crm.folderTree(for: actor) }
    }

    public var selectedAccount: AccountDetails? { rows.indices.contains(selected) ? rows[selected] : nil }
    var activeFolder: FolderNode? { folders.indices.contains(folderIndex) ? folders[folderIndex] : nil }
    var tooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }
    /// Table rows that fit: the panes take all but the title and footer lines,
    /// and the table's header takes one.
    var visibleRows: Int { max(1, height - 3) }

    // MARK: - Update

    public mutating func resize(width: Int, height: Int) {
        let first = rows.first
        self.width = width
        self.height = height
        load(first.map { .from($0.cursor) } ?? .first)
    }

    public mutating func update(_ key: Key) -> Effect {
        message = nil
        if var form = dialog {
            let outcome = form.update(key, action: keymap.action(for: key), crm: crm, actor: actor, language: language)
            dialog = form
            switch outcome {
            case .open: break
            case .cancelled: dialog = nil
            case .saved(let uuid): dialog = nil; showSaved(uuid)
            }
            return .none
        }
        let action = keymap.action(for: key)
        if let doomed = pendingDelete {
            pendingDelete = nil
            if key == .char("d") || key == .char("D") || key == .char("y") || key == .char("Y") { delete(doomed) }
            return .none
        }
        if showingHelp {
            // Any key closes the help; quit still quits.
            showingHelp = false
            return action == "app.quit" ? .quit : .none
        }
        guard let action else { return .none }
        switch action {
        case "app.quit": return .quit
        case "help.show": showingHelp = true
        case "record.delete" where focus == .accounts: pendingDelete = selectedAccount
        case "record.add": dialog = AccountForm(new: activeFolder?.path ?? CRM.rootFolderName)
        case "record.edit" where focus == .accounts, "record.open" where focus == .accounts:
            if let account = selectedAccount { dialog = AccountForm(editing: account) }
        case "focus.next", "focus.previous": focus = focus == .folders ? .accounts : .folders
        case "cursor.down": focus == .folders ? moveFolder(by: 1) : moveDown()
        case "cursor.up": focus == .folders ? moveFolder(by: -1) : moveUp()
        case "cursor.page_down": focus == .folders ? moveFolder(by: visibleRows) : pageDown()
        case "cursor.page_up": focus == .folders ? moveFolder(by: -visibleRows) : pageUp()
        case "cursor.first":
            if focus == .folders { moveFolder(by: -folders.count) } else { load(.first); selected = 0 }
        case "cursor.last":
            if focus == .folders { moveFolder(by: folders.count) } else { load(.last); selected = max(0, rows.count - 1) }
        case "record.open" where focus == .folders: focus = .accounts
        default: break
        }
        refreshHistory()
        return .none
    }

    /// After a save: fresh counts, and the page that starts at the saved account.
    private mutating func showSaved(_ uuid: String) {
        let (crm, actor) = (self.crm, self.actor)
        folders = attempt(folders) { try crm.folderTree(for: actor) }
        guard let saved = attempt(nil, { try crm.account(uuid, for: actor) }) else { return }
        load(.from(saved.cursor))
        if let index = rows.firstIndex(where: { $0.record.meta?.uuid == saved.record.meta?.uuid }) {
            selected = index
        } else {
            selected = 0
        }
        focus = .accounts
        message = Localized(ro: "Cont salvat: \(saved.record.name)", en: "Account saved: \(saved.record.name)").text(language)
        refreshHistory()
    }

    private mutating func delete(_ account: AccountDetails) {
        let (crm, actor) = (self.crm, self.actor)
        let uuid = account.record.meta?.uuid.description ?? ""
        let neighbour = rows.indices.contains(selected + 1) ? rows[selected + 1] : (selected > 0 ? rows[selected - 1] : nil)
        guard attempt(false, { try crm.deleteAccount(uuid, by: actor); return true }) else { return }
        folders = attempt(folders) { try crm.folderTree(for: actor) }
        // The page keeps its first row, unless that was the deleted one.
        let top = rows.first?.record.meta?.uuid == account.record.meta?.uuid ? neighbour : rows.first
        load(top.map { .from($0.cursor) } ?? .first)
        if let neighbour, let index = rows.firstIndex(where: { $0.record.meta?.uuid == neighbour.record.meta?.uuid }) {
            selected = index
        }
        message = Localized(ro: "Cont șters: \(account.record.name)", en: "Account deleted: \(account.record.name)").text(language)
        refreshHistory()
    }

    private mutating func moveFolder(by delta: Int) {
        let target = min(max(0, folderIndex + delta), max(0, folders.count - 1))
        guard target != folderIndex else { return }
        folderIndex = target
        selected = 0
        load(.first)
    }

    private mutating func moveDown() {
        if selected < rows.count - 1 { selected += 1; return }
        guard let last = rows.last else { return }
        let more = page(.after(last.cursor), limit: 1)
        guard let next = more.first else { return }
        rows.append(next)
        if rows.count > visibleRows { rows.removeFirst() }
        selected = rows.count - 1
    }

    private mutating func moveUp() {
        if selected > 0 { selected -= 1; return }
        guard let first = rows.first, let previous = page(.before(first.cursor), limit: 1).first else { return }
        rows.insert(previous, at: 0)
        if rows.count > visibleRows { rows.removeLast() }
        selected = 0
    }

    private mutating func pageDown() {
        guard let last = rows.last else { return }
        let more = page(.after(last.cursor), limit: visibleRows)
        if more.isEmpty { selected = max(0, rows.count - 1); return }
        rows = Array((rows + more).suffix(visibleRows))
        selected = min(selected, rows.count - 1)
    }

    private mutating func pageUp() {
        guard let first = rows.first else { return }
        let more = page(.before(first.cursor), limit: visibleRows)
        if more.isEmpty { selected = 0; return }
        rows = Array((more + rows).prefix(visibleRows))
    }

    private mutating func load(_ position: PagePosition) {
        rows = page(position, limit: visibleRows)
        selected = min(selected, max(0, rows.count - 1))
        refreshHistory()
    }

    private mutating func page(_ position: PagePosition, limit: Int) -> [AccountDetails] {
        guard let folder = activeFolder else { return [] }
        let (crm, actor) = (self.crm, self.actor)
        return attempt([]) { try crm.accounts(folder: folder.path, at: position, limit: limit, for: actor).accounts }
    }

    private mutating func refreshHistory() {
        guard let account = selectedAccount, let uuid = account.record.meta?.uuid else { history = []; return }
        let crm = self.crm
        history = attempt([]) { try crm.history(of: uuid) }
    }

    /// A core call's result, or `fallback` with the error shown in the footer.
    private mutating func attempt<T>(_ fallback: T, _ body: () throws -> T) -> T {
        do { return try body() } catch let e as CoreError { message = e.message(language) } catch { message = "\(error)" }
        return fallback
    }

    // MARK: - Render

    public func render(into buffer: inout ScreenBuffer) {
        if tooSmall {
            let text = t("Terminalul este prea mic: minimum \(Self.minimumWidth)×\(Self.minimumHeight)",
                         "The terminal is too small: at least \(Self.minimumWidth)×\(Self.minimumHeight)")
            buffer.put(text, x: 0, y: buffer.height / 2, style: Style(foreground: .warning, bold: true))
            return
        }
        let left = min(32, buffer.width / 4)
        let right = buffer.width >= 120 ? buffer.width / 3 : 0
        let middle = buffer.width - left - right - (right > 0 ? 2 : 1)
        let top = 1, bottom = buffer.height - 1
        renderTitle(into: &buffer)
        for y in top..<bottom {
            buffer.put("│", x: left, y: y, style: Style(foreground: .border))
            if right > 0 { buffer.put("│", x: left + 1 + middle, y: y, style: Style(foreground: .border)) }
        }
        renderFolders(into: &buffer, x: 0, y: top, width: left, height: bottom - top)
        renderTable(into: &buffer, x: left + 1, y: top, width: middle, height: bottom - top)
        if right > 0 { renderDetails(into: &buffer, x: left + 2 + middle, y: top, width: right, height: bottom - top) }
        renderFooter(into: &buffer, y: bottom)
        dialog?.render(into: &buffer, language: language, keymap: keymap)
        if showingHelp { HelpOverlay().render(into: &buffer, keymap: keymap, language: language) }
        if let doomed = pendingDelete {
            let style = Style(foreground: .warning, background: .panel, bold: true)
            buffer.fill(x: 0, y: buffer.height - 1, width: buffer.width, height: 1, style: style)
            buffer.put(t("Ștergeți contul «\(doomed.record.name)» cu persoanele lui de contact? d/n",
                         "Delete account «\(doomed.record.name)» with its contacts? y/n"), x: 1, y: buffer.height - 1, style: style)
        }
    }

    private func renderTitle(into buffer: inout ScreenBuffer) {
        let style = Style(foreground: .primary, background: .panel, bold: true)
        buffer.fill(x: 0, y: 0, width: buffer.width, height: 1, style: style)
        let path = activeFolder?.path ?? ""
        buffer.put(" crm · \(t("Clienți", "Clients")) · \(path)", x: 0, y: 0, style: style, maxWidth: buffer.width - 20)
        let user = actor.login
        buffer.put(user + " ", x: max(0, buffer.width - DisplayWidth.of(user) - 1), y: 0, style: style)
    }

    private func renderFolders(into buffer: inout ScreenBuffer, x: Int, y: Int, width: Int, height: Int) {
        let heading = Style(foreground: focus == .folders ? .primary : .muted, bold: true)
        buffer.put(t("Dosare", "Folders"), x: x + 1, y: y, style: heading)
        let start = max(0, min(folderIndex - (height - 2), folders.count - (height - 1)))
        for (row, index) in (start..<folders.count).prefix(height - 1).enumerated() {
            let node = folders[index]
            let chosen = index == folderIndex
            let style = chosen ? Style(background: .selection, reverse: focus == .folders) : Style()
            if chosen { buffer.fill(x: x, y: y + 1 + row, width: width, height: 1, style: style) }
            let count = String(node.totalCount)
            let name = String(repeating: "  ", count: node.depth) + node.record.name
            buffer.put(name, x: x + 1, y: y + 1 + row, style: style, maxWidth: width - count.count - 3)
            buffer.put(count, x: x + width - count.count - 1, y: y + 1 + row,
                       style: chosen ? style : Style(foreground: .muted))
        }
    }

    private func renderTable(into buffer: inout ScreenBuffer, x: Int, y: Int, width: Int, height: Int) {
        let columns = tableColumns(width: width)
        var column = x + 1
        for (field, w) in columns {
            buffer.put(field.label.text(language), x: column, y: y, style: Style(foreground: focus == .accounts ? .primary : .muted, bold: true), maxWidth: w)
            column += w + 1
        }
        for (row, account) in rows.prefix(height - 1).enumerated() {
            let chosen = row == selected
            let style = chosen ? Style(background: .selection, reverse: focus == .accounts) : Style()
            if chosen { buffer.fill(x: x, y: y + 1 + row, width: width, height: 1, style: style) }
            column = x + 1
            for (field, w) in columns {
                buffer.put(account.text(field), x: column, y: y + 1 + row, style: style, maxWidth: w)
                column += w + 1
            }
        }
        if rows.isEmpty {
            buffer.put(t("Niciun cont în acest dosar", "No accounts in this folder"), x: x + 1, y: y + 2,
                       style: Style(foreground: .muted))
        }
    }

    /// Code, name, city, phone, e-mail: as many as fit, the name taking the rest.
    private func tableColumns(width: Int) -> [(AccountField, Int)] {
        var extras: [(AccountField, Int)] = [(.city, 16), (.phone, 13), (.email, 26)]
        func nameWidth() -> Int { width - 2 - 11 - extras.reduce(0) { $0 + $1.1 + 1 } }
        while !extras.isEmpty && nameWidth() < 20 { extras.removeLast() }
        return [(.code, 10), (.name, max(10, nameWidth()))] + extras
    }

    private func renderDetails(into buffer: inout ScreenBuffer, x: Int, y: Int, width: Int, height: Int) {
        guard let account = selectedAccount else { return }
        buffer.put(account.record.name, x: x, y: y, style: Style(foreground: .primary, bold: true), maxWidth: width - 1)
        var line = y + 1
        let fields: [AccountField] = [.code, .cui, .tradeRegister, .address, .city, .county, .phone, .mobile, .email,
                                      .website, .iban, .bank, .zone, .owner, .tags]
        let labelWidth = 14
        for field in fields where !account.text(field).isEmpty && line < y + height - 6 {
            buffer.put(field.label.text(language), x: x, y: line, style: Style(foreground: .muted), maxWidth: labelWidth)
            buffer.put(account.text(field), x: x + labelWidth + 1, y: line, maxWidth: width - labelWidth - 2)
            line += 1
        }
        if let contact = account.primaryContact, line < y + height - 5 {
            buffer.put("★ " + contact.name, x: x, y: line, maxWidth: width - 1)
            line += 1
        }
        line += 1
        buffer.put(t("Istoric", "History"), x: x, y: line, style: Style(foreground: .primary, bold: true))
        line += 1
        for entry in history.reversed() where line < y + height {
            let what = entry.field.map { "\($0): \(entry.newValue.text ?? "")" } ?? entry.op
            buffer.put(String(Timestamp.iso(entry.at).prefix(10)) + " " + what, x: x, y: line, maxWidth: width - 1)
            line += 1
        }
    }

    private func renderFooter(into buffer: inout ScreenBuffer, y: Int) {
        let style = Style(foreground: .text, background: .panel)
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: style)
        if let message {
            buffer.put(message, x: 1, y: y, style: Style(foreground: .warning, background: .panel, bold: true))
            return
        }
        let hints: [(String, Localized)] = [
            ("help.show", Localized(ro: "Ajutor", en: "Help")),
            ("record.add", Localized(ro: "Adăugare", en: "Add")),
            ("record.edit", Localized(ro: "Editare", en: "Edit")),
            ("focus.next", Localized(ro: "Panou", en: "Pane")),
            ("app.quit", Localized(ro: "Ieșire", en: "Quit")),
        ]
        var text = ""
        for (action, label) in hints {
            if let key = keymap.keys(for: action).first { text += "\(key) \(label.text(language))   " }
        }
        buffer.put(text, x: 1, y: y, style: style)
        let count = "\(activeFolder?.totalCount ?? 0) " + t("conturi", "accounts")
        buffer.put(count, x: max(0, buffer.width - count.count - 1), y: y, style: style)
    }

    private func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
}
