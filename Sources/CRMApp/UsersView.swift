import CRMCore
import CRMStore
import CRMText
import TUIKit

/// Utilizatori (ADM-1, ADM-2; administrators): every user with what limits
/// them — administrator or not, enabled, zones, subscriptions, rights. Insert
/// adds a user, Enter edits the details (and sets a password), p opens the
/// permission page (rights, zones, allowed addresses), a the subscriptions,
/// d disables or enables; Esc closes.
struct UsersView: Sendable {
    struct Row: Sendable, Equatable {
        let user: UserRecord
        let zones: [String]?
        let modules: Set<String>?
        let rights: Set<String>?
        let addresses: [String]
    }

    var rows: [Row]
    var cursor = 0
    var message: String?

    enum Event: Equatable { case none, close, add, edit(String), rights(String), modules(String), toggleDisabled(String) }

    /// Every user, with their limits, from the core.
    static func load(crm: CRM) throws -> [Row] {
        try crm.users().map { user in
            Row(user: user, zones: try crm.userZones(user.login), modules: try crm.userModules(user.login),
                rights: try crm.userRights(user.login), addresses: try crm.userIPRules(user.login).map(\.name))
        }
    }

    var selected: Row? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    mutating func handle(_ key: Key, action: String?) -> Event {
        message = nil
        if action == "dialog.cancel" { return .close }
        switch key {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, rows.count - 1), cursor + 1)
        case .home: cursor = 0
        case .end: cursor = max(0, rows.count - 1)
        case .insert, .char("+"): return .add
        case .escape: return .close
        default:
            guard let login = selected?.user.login else { return .none }
            switch key {
            case .enter, .function(4): return .edit(login)
            case .char("p"), .char("P"): return .rights(login)
            case .char("a"), .char("A"): return .modules(login)
            case .char("d"), .char("D"): return .toggleDisabled(login)
            default: break
            }
        }
        return .none
    }

    /// What a user's rights amount to, in words: a role's name when they match one.
    static func rightsSummary(_ rights: Set<String>?, isAdmin: Bool, language: Language) -> String {
        if isAdmin { return Localized(ro: "toate (administrator)", en: "all (administrator)").text(language) }
        guard let rights else { return Localized(ro: "implicite", en: "defaults").text(language) }
        if let role = Rights.roles.first(where: { $0.value == rights })?.key { return role }
        return Localized(ro: "\(rights.count) drepturi", en: "\(rights.count) rights").text(language)
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let area = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
        let box = Rect.centred(width: min(buffer.width - 2, 150), height: min(rows.count + 7, buffer.height - 4), in: area)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel),
                   title: t("Utilizatori", "Users"), titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let headers = [t("Login", "Login"), t("Nume", "Name"), t("Login Unix", "Unix login"), "Admin", t("Activ", "Enabled"),
                       t("Drepturi", "Rights"), t("Zone", "Zones"), t("Abonamente", "Subscriptions"), t("Adrese IP", "IP addresses")]
        let widths = [16, 20, 12, 6, 6, 16, 20, 20, 16]
        let total = widths.reduce(0, +)
        let scale = Double(box.width - 4) / Double(total)
        var xs: [Int] = []
        var x = box.x + 2
        for w in widths { xs.append(x); x += max(4, Int(Double(w) * min(1, scale))) }
        func width(_ i: Int) -> Int { (i + 1 < xs.count ? xs[i + 1] : box.x + box.width - 2) - xs[i] - 1 }
        let head = Style(foreground: .muted, background: .panel, bold: true)
        for (i, h) in headers.enumerated() { buffer.put(h, x: xs[i], y: box.y + 1, style: head, maxWidth: width(i)) }
        let yes = t("da", "yes"), no = t("nu", "no")
        for (index, y) in ListWindow.rows(count: rows.count, cursor: cursor, visible: box.height - 5, top: box.y + 2) {
            let row = rows[index]
            let style = buffer.listRow(x: box.x + 1, y: y, width: box.width - 2, chosen: index == cursor, base: panel)
            var cell = style
            if row.user.disabled && index != cursor { cell.foreground = .muted }
            let modules = row.modules.map { set in Module.allCases.filter { set.contains($0.rawValue) }.map { $0.label.text(language) }
                .joined(separator: ", ") } ?? t("toate", "all")
            let cells = [row.user.login, row.user.name, row.user.unixLogin ?? "", row.user.isAdmin ? yes : no, row.user.disabled ? no : yes,
                         Self.rightsSummary(row.rights, isAdmin: row.user.isAdmin, language: language),
                         row.zones?.joined(separator: ", ") ?? t("toate", "all"), modules,
                         row.addresses.isEmpty ? t("oricare", "any") : row.addresses.joined(separator: ", ")]
            for (i, text) in cells.enumerated() {
                buffer.put(Sanitize.line(text), x: xs[i], y: y, style: cell, maxWidth: width(i))
            }
        }
        let hints = message ?? t("insert adăugare · enter editare · p permisiuni · a abonamente · d dezactivare/activare · esc închide",
                                 "insert add · enter edit · p rights · a subscriptions · d disable/enable · esc closes")
        buffer.put(hints, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .warning, background: .panel), maxWidth: box.width - 4)
    }
}
