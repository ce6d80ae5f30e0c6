import CRMCore
import CRMDocuments
import CRMStore
import CRMText
import Foundation
import TUIKit

/// The window a dialog opened from the campaign windows comes back to when it closes.
enum DialogReturn: Sendable {
    case rows(GroupedView)
    case campaigns(cursor: Int)
    case mailLists(group: Int)
    case report(campaign: String, group: Int)
    case blocks(BlockBuilder)
    case webForms(cursor: Int)
    case webFormDesigner(WebFormDesigner)
}

/// The e-mail lists (each list's addresses, and the suppression list) or a
/// campaign's report (its lists and its links, each with its recipients).
struct GroupedView: Sendable {
    enum Kind: Sendable {
        case mailLists([String])
        case report(CampaignReport)
        /// Rows behind a number of the dashboard.
        case rows(title: String, headers: [String], rows: [[String]])
    }

    var kind: Kind
    var table: GroupedTable
    /// The address a first Del named: a second Del removes it.
    var pendingDelete: String?

    /// The mail list chosen (nil on the suppression list).
    var list: String? {
        guard case .mailLists(let names) = kind, names.indices.contains(table.group) else { return nil }
        return names[table.group]
    }

    var onSuppression: Bool {
        guard case .mailLists(let names) = kind else { return false }
        return table.group == names.count
    }
}

/// E-mail lists (CMP-1), campaigns (CMP-2, CMP-4), their reports (CMP-5) and
/// the template builder (CMP-3) in the terminal.
extension AccountBrowser {
    // MARK: - Adding accounts to a list

    /// Adăugare la lista e-mail: the marked accounts (or the selected one) onto an existing list or a new one.
    mutating func openMailListAdd() {
        let accounts = marked.isEmpty ? (selectedAccount.map { [$0] } ?? []) : Array(marked.values)
        guard !accounts.isEmpty else { message = t("Alegeți întâi conturile", "Choose the accounts first"); return }
        let (crm, actor) = (self.crm, self.actor)
        let lists = attempt([]) { try crm.mailLists(for: actor) }
        var form = Form(fields: [
            FormField(id: "list", label: t("Lista (una existentă sau un nume nou)", "The list (an existing one or a new name)"),
                      value: lists.first?.list.name ?? "", mandatory: true),
            FormField(id: "all", label: t("Toate persoanele de contact (nu doar cea principală)", "Every contact (not only the primary one)"),
                      kind: .checkbox, value: "nu"),
        ])
        form.message = lists.isEmpty ? t("Nicio listă încă: numele dat o creează", "No list yet: the name given makes one")
            : t("Liste: ", "Lists: ") + lists.map { "\($0.list.name) (\($0.members))" }.joined(separator: ", ")
        overlay = .dialog(Dialog(title: Localized(ro: "Adăugare la lista e-mail: \(accounts.count) conturi", en: "Add to an e-mail list: \(accounts.count) accounts"),
                                 purpose: .mailListAdd(accounts.compactMap { $0.record.meta?.uuid.description }), form: form, language: language))
    }

    mutating func saveMailListAdd(_ dialog: inout Dialog, _ uuids: [String]) throws {
        let (crm, actor, form) = (self.crm, self.actor, dialog.form)
        let name = form.value("list").trimmingCharacters(in: .whitespaces)
        let result = try crm.addAccountsToMailList(name, accounts: uuids, allContacts: form.value("all") == "da", by: actor)
        overlay = nil
        marked = [:]
        message = t("\(result.added) adrese adăugate în lista «\(name)», \(result.already) erau deja", "\(result.added) addresses added to the list «\(name)», \(result.already) were there already")
            + (result.withoutAddress.isEmpty ? "" : t("; fără adresă: ", "; without an address: ") + result.withoutAddress.prefix(5).joined(separator: ", ")
                + (result.withoutAddress.count > 5 ? " …" : ""))
    }

    // MARK: - Campaigns

    mutating func openCampaigns(cursor: Int = 0, message: String? = nil) {
        let (crm, actor) = (self.crm, self.actor)
        guard let campaigns = attempt(nil, { try crm.campaigns(for: actor) }) else { return }
        var view = CampaignsView(campaigns: campaigns, cursor: min(cursor, max(0, campaigns.count - 1)))
        view.message = message
        overlay = .campaigns(view)
    }

    mutating func updateCampaigns(_ view: CampaignsView, _ key: Key) {
        var view = view
        let (crm, actor) = (self.crm, self.actor)
        let event = view.handle(key)
        do {
            switch event {
            case .none: overlay = .campaigns(view); return
            case .close: overlay = nil; return
            case .start(let name):
                let c = try crm.startCampaign(name, by: actor)
                openCampaigns(cursor: view.cursor, message: t("«\(name)» rulează: \(c.count(.queued)) în așteptare; o trimite crm serve sau crm campaign run",
                                                              "«\(name)» runs: \(c.count(.queued)) queued; crm serve or crm campaign run sends it"))
            case .pause(let name):
                try crm.setCampaignStatus(name, .paused, by: actor)
                openCampaigns(cursor: view.cursor, message: t("«\(name)» oprită temporar", "«\(name)» paused"))
            case .cancel(let name):
                try crm.setCampaignStatus(name, .cancelled, by: actor)
                openCampaigns(cursor: view.cursor, message: t("«\(name)» anulată", "«\(name)» cancelled"))
            case .report(let name):
                openReport(name)
            case .add:
                openCampaignAdd(cursor: view.cursor)
            case .lists:
                openMailLists()
            case .templates:
                openBlockTemplates()
            case .nothingUncertain:
                view.message = t("Nicio trimitere nesigură în campania aleasă (sau încă rulează: opriți-o întâi)",
                                 "No uncertain sending in the chosen campaign (or it still runs: pause it first)")
                overlay = .campaigns(view)
            case .resolve(let name, let sent):
                let n = try crm.resolveUncertain(name, sent: sent, by: actor)
                openCampaigns(cursor: view.cursor, message: sent ? t("\(n) destinatari marcați trimiși", "\(n) recipients marked sent")
                                                              : t("\(n) destinatari puși din nou în așteptare", "\(n) recipients queued again"))
            }
        } catch {
            view.message = describe(error)
            overlay = .campaigns(view)
        }
    }

    /// A new campaign: name, list, subject, a template of blocks or a text, the pause between messages.
    mutating func openCampaignAdd(cursor: Int) {
        let (crm, actor) = (self.crm, self.actor)
        guard let lists = attempt(nil, { try crm.mailLists(for: actor) }),
              let templates = attempt(nil, { try crm.blockTemplates(for: actor) }),
              let settings = attempt(nil, { try crm.emailSettings(for: actor).settings }) else { return }
        guard !lists.isEmpty else {
            openCampaigns(cursor: cursor, message: t("Nicio listă de e-mail: l deschide listele", "No e-mail list: l opens the lists"))
            return
        }
        let placeholders = TemplateText.placeholders.map { "{{\($0.name)}}" }.joined(separator: " ")
        var form = Form(fields: [
            FormField(id: "name", label: t("Nume", "Name"), mandatory: true),
            FormField(id: "list", label: t("Listă", "List"), kind: .choice(lists.map { FormField.Choice($0.list.name, "\($0.list.name) (\($0.members))") }),
                      value: lists[0].list.name, mandatory: true),
            FormField(id: "subject", label: t("Subiect", "Subject"), mandatory: true),
            FormField(id: "from", label: t("Expeditor", "From"), value: settings.from.map { MailboxAddress($0, name: settings.fromName).text } ?? "",
                      mandatory: true),
            FormField(id: "template", label: t("Șablon din blocuri", "Template of blocks"),
                      kind: .choice([FormField.Choice("", t("— textul de mai jos", "— the text below"))] + templates.map { FormField.Choice($0.name) })),
            FormField(id: "text", label: t("Text (fără șablon; F4: în $EDITOR)", "Text (without a template; F4: in $EDITOR)"), kind: .multiline(rows: 6)),
            FormField(id: "interval", label: t("Secunde între mesaje", "Seconds between messages"), kind: .number, value: "5", mandatory: true),
        ])
        form.message = t("Înlocuiri: ", "Placeholders: ") + placeholders
        dialogReturn = .campaigns(cursor: cursor)
        overlay = .dialog(Dialog(title: Localized(ro: "Campanie nouă", en: "New campaign"), purpose: .campaignAdd, form: form, language: language))
    }

    mutating func saveCampaignAdd(_ dialog: inout Dialog) throws {
        let form = dialog.form
        guard let seconds = Double(form.value("interval").replacingOccurrences(of: ",", with: ".")), seconds >= 0 else {
            dialog.form.show(errors: ["interval": t("un număr de secunde, 0 sau mai mare", "a number of seconds, 0 or more")])
            return
        }
        let template = form.value("template")
        let added = try crm.addCampaign(name: form.value("name"), list: form.value("list"), subject: form.value("subject"), text: form.value("text"),
                                        blocks: template.isEmpty ? nil : template, from: form.value("from"), intervalMs: Int64((seconds * 1000).rounded()), by: actor)
        dialogReturn = nil
        let all = attempt([]) { [crm, actor] in try crm.campaigns(for: actor) }
        openCampaigns(cursor: all.firstIndex { $0.name == added.name } ?? 0,
                      message: t("Campanie adăugată: «\(added.name)» (ciornă); s o pornește", "Campaign added: «\(added.name)» (draft); s starts it"))
    }

    // MARK: - A campaign's report

    /// The report: Contacts, Sent, Opened, Clicked, Bounced, Unsubscribed and
    /// each link clicked, with their recipients; e exports the chosen one.
    mutating func openReport(_ name: String, group: Int = 0, message: String? = nil) {
        let (crm, actor) = (self.crm, self.actor)
        guard let report = attempt(nil, { try crm.campaignReport(name, for: actor) }) else { return }
        let groups = CampaignReportList.allCases.map { GroupedTable.Group(title: $0.label.text(language), count: report.members($0).count) }
            + report.links.map { GroupedTable.Group(title: "🔗 " + Self.shortLink($0.url, width: 28), count: $0.recipients) }
        var table = GroupedTable(title: t("Raport: ", "Report: ") + name + " · " + CampaignsView.statusLabel(report.campaign.status).text(language),
                                 groups: groups,
                                 hint: t("tab trece între liste și rânduri · e exportă lista în Excel · esc înapoi",
                                         "tab moves between lists and rows · e exports the list to Excel · esc back"))
        table.group = min(group, groups.count - 1)
        table.message = message
        var view = GroupedView(kind: .report(report), table: table)
        loadRows(&view)
        overlay = .grouped(view)
    }

    /// The table of the report's group: a list, or a link's clickers.
    func reportTable(_ report: CampaignReport, group: Int) -> CampaignReportTable {
        let lists = CampaignReportList.allCases
        if lists.indices.contains(group) { return CampaignReportTable(report, list: lists[group], language: language) }
        return CampaignReportTable(report, link: report.links[group - lists.count].url, language: language)
    }

    /// The rows of the chosen group.
    func loadRows(_ view: inout GroupedView) {
        let (crm, actor) = (self.crm, self.actor)
        switch view.kind {
        case .report(let report):
            let table = reportTable(report, group: view.table.group)
            view.table.headers = table.headers
            view.table.rows = table.rows
        case .rows(_, let headers, let rows):
            view.table.headers = headers
            view.table.rows = rows
        case .mailLists:
            if let list = view.list {
                let suppressed = Dictionary((try? crm.suppressions(for: actor))?.map { ($0.emailKey, $0.reason) } ?? [], uniquingKeysWith: { a, _ in a })
                view.table.headers = ["E-mail", t("Nume", "Name"), t("Exclusă", "Suppressed")]
                view.table.rows = ((try? crm.mailListMembers(list, for: actor)) ?? []).map {
                    [$0.email, $0.name ?? "", suppressed[$0.emailKey].map { Self.reasonLabel($0).text(language) } ?? ""]
                }
            } else {
                view.table.headers = ["E-mail", t("Motiv", "Reason"), t("Detalii", "Details")]
                view.table.rows = ((try? crm.suppressions(for: actor)) ?? []).map { [$0.email, Self.reasonLabel($0.reason).text(language), $0.detail ?? ""] }
            }
        }
        view.table.row = min(view.table.row, max(0, view.table.rows.count - 1))
        if view.table.rows.isEmpty { view.table.rowsFocused = false }
    }

    static func reasonLabel(_ reason: String) -> Localized {
        switch SuppressionReason(rawValue: reason) {
        case .unsubscribed?: return Localized(ro: "dezabonat", en: "unsubscribed")
        case .bounced?: return Localized(ro: "respinsă definitiv", en: "hard-bounced")
        case .manual?: return Localized(ro: "exclusă manual", en: "suppressed by hand")
        case nil: return Localized(ro: reason, en: reason)
        }
    }

    // MARK: - The e-mail lists

    /// Liste e-mail: each list with its addresses, then the suppression list.
    mutating func openMailLists(group: Int = 0, row: Int = 0, message: String? = nil) {
        let (crm, actor) = (self.crm, self.actor)
        guard let lists = attempt(nil, { try crm.mailLists(for: actor) }),
              let suppressed = attempt(nil, { try crm.suppressions(for: actor) }) else { return }
        let groups = lists.map { GroupedTable.Group(title: $0.list.name, count: $0.members) }
            + [GroupedTable.Group(title: t("⛔ Lista de excludere", "⛔ Suppression list"), count: suppressed.count)]
        var table = GroupedTable(title: t("Liste e-mail", "E-mail lists"), groups: groups,
                                 hint: t("n listă nouă · a adaugă adrese · i import date (xlsx/csv) · del scoate adresa · tab rânduri · esc înapoi",
                                         "n new list · a adds addresses · i imports xlsx/csv · del removes the address · tab rows · esc back"))
        table.group = min(group, groups.count - 1)
        table.row = row
        table.message = message
        var view = GroupedView(kind: .mailLists(lists.map(\.list.name)), table: table)
        loadRows(&view)
        view.table.rowsFocused = row > 0 && !view.table.rows.isEmpty
        overlay = .grouped(view)
    }

    mutating func updateGrouped(_ view: GroupedView, _ key: Key) {
        var view = view
        let pending = view.pendingDelete
        view.pendingDelete = nil
        switch view.table.handle(key, height: height) {
        case .none: overlay = .grouped(view)
        case .groupChanged:
            loadRows(&view)
            overlay = .grouped(view)
        case .close:
            switch view.kind {
            case .report(let report):
                let all = attempt([]) { [crm, actor] in try crm.campaigns(for: actor) }
                openCampaigns(cursor: all.firstIndex { $0.name == report.campaign.name } ?? 0)
            case .mailLists: openCampaigns()
            case .rows: overlay = nil
            }
        case .key(let key):
            switch view.kind {
            case .report(let report): reportKey(view, report, key)
            case .mailLists: mailListKey(view, key, pending: pending)
            case .rows(let title, let headers, let rows):
                guard key == .char("e") || key == .char("E") else { overlay = .grouped(view); return }
                let form = Form(fields: [FormField(id: "file", label: t("Fișier (.xlsx sau .csv)", "File (.xlsx or .csv)"),
                                                   value: "~/" + Self.fileName(title) + ".xlsx", mandatory: true)])
                dialogReturn = .rows(view)
                overlay = .dialog(Dialog(title: Localized(ro: "Export: \(title)", en: "Export: \(title)"),
                                         purpose: .rowsExport(title: title, headers: headers, rows: rows), form: form, language: language))
            }
        }
    }

    /// The report's keys: e (or Ctrl+E) exports the chosen list.
    private mutating func reportKey(_ view: GroupedView, _ report: CampaignReport, _ key: Key) {
        guard key == .char("e") || key == .char("E") || keymap.action(for: key, in: .browser) == "table.export" else {
            overlay = .grouped(view)
            return
        }
        let table = reportTable(report, group: view.table.group)
        let form = Form(fields: [FormField(id: "file", label: t("Fișier (.xlsx sau .csv)", "File (.xlsx or .csv)"),
                                           value: "~/" + Self.fileName(report.campaign.name + "-" + table.title) + ".xlsx", mandatory: true)])
        dialogReturn = .report(campaign: report.campaign.name, group: view.table.group)
        overlay = .dialog(Dialog(title: Localized(ro: "Export: \(table.title)", en: "Export: \(table.title)"),
                                 purpose: .campaignExport(campaign: report.campaign.name, group: view.table.group), form: form, language: language))
    }

    /// A link in a narrow column: without its scheme and "www.", its end kept when it is too long (where links differ).
    static func shortLink(_ url: String, width: Int) -> String {
        var text = Substring(url)
        for prefix in ["https://", "http://"] where text.lowercased().hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        if text.lowercased().hasPrefix("www.") { text = text.dropFirst(4) }
        return DisplayWidth.of(String(text)) <= width ? String(text) : "…" + String(text.suffix(width - 1))
    }

    /// A name for a file from a title: letters, digits and dashes.
    static func fileName(_ title: String) -> String {
        let folded = Fold.key(title).map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        return folded.split(separator: "-").joined(separator: "-").prefix(60).description
    }

    mutating func saveCampaignExport(_ dialog: inout Dialog, campaign: String, group: Int) throws {
        let path = (dialog.form.value("file").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        try crm.policy.authorize(actor, .export, .accounts)
        let table = reportTable(try crm.campaignReport(campaign, for: actor), group: group)
        try table.export(to: path, language: language)
        dialogReturn = nil
        openReport(campaign, group: group, message: t("\(table.rows.count) rânduri exportate în \(path)", "\(table.rows.count) rows exported to \(path)"))
    }

    private mutating func mailListKey(_ view: GroupedView, _ key: Key, pending: String?) {
        var view = view
        let (crm, actor) = (self.crm, self.actor)
        let group = view.table.group
        switch key {
        case .char("n"), .char("N"), .insert:
            let form = Form(fields: [
                FormField(id: "name", label: t("Nume", "Name"), mandatory: true),
                FormField(id: "addresses", label: t("Adrese (una pe rând sau cu virgulă; opțional)", "Addresses (one per line or comma-separated; optional)"),
                          kind: .multiline(rows: 5)),
            ])
            dialogReturn = .mailLists(group: group)
            overlay = .dialog(Dialog(title: Localized(ro: "Listă e-mail nouă", en: "New e-mail list"), purpose: .mailListNew, form: form, language: language))
        case .char("a"), .char("A"):
            let form = Form(fields: [FormField(id: "addresses", label: t("Adrese (una pe rând sau cu virgulă)", "Addresses (one per line or comma-separated)"),
                                               kind: .multiline(rows: 6), mandatory: true)])
            dialogReturn = .mailLists(group: group)
            if let list = view.list {
                overlay = .dialog(Dialog(title: Localized(ro: "Adrese în lista «\(list)»", en: "Addresses onto the list «\(list)»"),
                                         purpose: .mailListAddresses(list), form: form, language: language))
            } else {
                overlay = .dialog(Dialog(title: Localized(ro: "Excludere adrese", en: "Suppress addresses"), purpose: .suppressionAdd, form: form, language: language))
            }
        case .char("i"), .char("I"):
            guard let list = view.list else { overlay = .grouped(view); return }
            var form = Form(fields: [
                FormField(id: "file", label: t("Fișier .xlsx sau .csv (F3 completează)", "An .xlsx or .csv file (F3 completes)"), mandatory: true),
                FormField(id: "skip", label: t("Ia rândurile bune, numește-le pe cele greșite", "Take the good rows, name the bad ones"), kind: .checkbox, value: "nu"),
            ])
            form.message = t("Coloanele E-mail și, dacă există, Nume; o adresă greșită oprește totul, dacă nu se bifează mai jos",
                             "The columns E-mail and, if any, Nume; a bad address stops it all unless ticked below")
            dialogReturn = .mailLists(group: group)
            overlay = .dialog(Dialog(title: Localized(ro: "Import în lista «\(list)»", en: "Import onto the list «\(list)»"),
                                     purpose: .mailListImport(list), form: form, language: language))
        case .delete:
            guard view.table.rowsFocused, let email = view.table.selectedRow?.first else {
                view.table.message = t("Alegeți întâi o adresă (tab)", "Choose an address first (tab)")
                overlay = .grouped(view)
                return
            }
            guard pending == email else {
                view.pendingDelete = email
                view.table.message = view.list == nil
                    ? t("Del încă o dată readuce «\(email)» în campanii", "Del once more lets campaigns mail «\(email)» again")
                    : t("Del încă o dată scoate «\(email)» din listă", "Del once more takes «\(email)» off the list")
                overlay = .grouped(view)
                return
            }
            do {
                if let list = view.list { try crm.removeFromMailList(list, email: email, by: actor) } else { try crm.unsuppress(email, by: actor) }
                openMailLists(group: group, row: view.table.row, message: t("«\(email)» scoasă", "«\(email)» removed"))
            } catch {
                view.table.message = describe(error)
                overlay = .grouped(view)
            }
        default:
            overlay = .grouped(view)
        }
    }

    /// Saves the lists' dialogs: a new list (with addresses), addresses typed, an import, suppressed addresses.
    mutating func saveMailListDialog(_ dialog: inout Dialog) throws {
        let (crm, actor, form) = (self.crm, self.actor, dialog.form)
        let group: Int
        if case .mailLists(let g)? = dialogReturn { group = g } else { group = 0 }
        let typed = form.value("addresses").split(whereSeparator: \.isNewline).joined(separator: ",")
        var done: String
        var target = group
        switch dialog.purpose {
        case .mailListNew:
            let name = form.value("name").trimmingCharacters(in: .whitespaces)
            if (try crm.mailLists(for: actor)).contains(where: { Fold.key($0.list.name) == Fold.key(name) }) {
                dialog.form.show(errors: ["name": t("există deja o listă «\(name)»", "there is a list «\(name)» already")])
                return
            }
            let addresses = typed.trimmingCharacters(in: .whitespaces).isEmpty ? [] : try MailboxAddress.list(typed, field: "addresses")
            try crm.mailList(name, create: true, by: actor)
            let r = try crm.addAddressesToMailList(name, addresses, by: actor)
            done = t("Lista «\(name)» făcută, cu \(r.added) adrese", "The list «\(name)» made, with \(r.added) addresses")
            target = (try crm.mailLists(for: actor)).firstIndex { $0.list.name == name } ?? 0
        case .mailListAddresses(let list):
            let r = try crm.addAddressesToMailList(list, try MailboxAddress.list(typed, field: "addresses"), create: false, by: actor)
            done = t("\(r.added) adrese adăugate, \(r.already) erau deja în listă", "\(r.added) addresses added, \(r.already) already on the list")
        case .mailListImport(let list):
            let path = (form.value("file").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
            let rows = try MailListImport.rows(path: path)
            let named = rows.rejected.prefix(5).map { t("rândul \($0.line): «\($0.value)»", "row \($0.line): «\($0.value)»") }.joined(separator: "; ")
                + (rows.rejected.count > 5 ? " …" : "")
            if !rows.rejected.isEmpty && form.value("skip") != "da" {
                dialog.form.show(errors: ["file": t("\(rows.rejected.count) adrese greșite (\(named)); nu s-a importat nimic",
                                                    "\(rows.rejected.count) bad addresses (\(named)); nothing was imported")])
                return
            }
            try crm.policy.authorize(actor, .import, .accounts)
            let r = try crm.addAddressesToMailList(list, rows.addresses, create: false, by: actor)
            done = t("\(r.added) adrese importate, \(r.already) erau deja în listă", "\(r.added) addresses imported, \(r.already) already on the list")
                + (rows.rejected.isEmpty ? "" : t("; respinse: ", "; rejected: ") + named)
        case .suppressionAdd:
            let addresses = try MailboxAddress.list(typed, field: "addresses")
            for address in addresses { try crm.suppress(address.email, reason: .manual, detail: nil, by: actor) }
            done = t("\(addresses.count) adrese excluse din campanii", "\(addresses.count) addresses suppressed")
        default:
            return
        }
        dialogReturn = nil
        openMailLists(group: target, message: done)
    }

    // MARK: - Templates of blocks (CMP-3)

    /// Șabloane campanie: a new template, or one of those there are, into the builder.
    mutating func openBlockTemplates() {
        let (crm, actor) = (self.crm, self.actor)
        guard let templates = attempt(nil, { try crm.blockTemplates(for: actor) }) else { return }
        openTemplateMenu(action: "blocktemplate.open:", new: t("Șablon campanie nou…", "New campaign template…"), templates.map { ($0.name, false) })
    }

    mutating func openBlockBuilder(_ name: String?) {
        let (crm, actor) = (self.crm, self.actor)
        if let name {
            guard let blocks = attempt(nil, { try crm.blockTemplate(name, for: actor) }) else { return }
            overlay = .blocks(BlockBuilder(name: name, blocks: blocks))
        } else {
            overlay = .blocks(BlockBuilder(name: nil, blocks: [MailBlock(.title, text: t("Titlu", "Title")),
                                                               MailBlock(.text, text: t("Bună ziua, {{client.contact}},", "Hello {{client.contact}},"))]))
        }
    }

    mutating func updateBlocks(_ builder: BlockBuilder, _ key: Key) {
        var builder = builder
        let event: BlockBuilder.Event
        if case .mouse(let m) = key { event = builder.mouse(m, width: width, height: height) } else { event = builder.handle(key) }
        switch event {
        case .none: overlay = .blocks(builder)
        case .close: overlay = nil
        case .edit(let index, let isNew): openBlockDialog(builder, index: index, isNew: isNew)
        case .save:
            if let name = builder.name {
                do {
                    try crm.saveBlockTemplate(name, builder.blocks, by: actor)
                    builder.dirty = false
                    builder.message = t("Șablonul «\(name)» a fost salvat", "The template «\(name)» was saved")
                } catch {
                    builder.message = describe(error)
                }
                overlay = .blocks(builder)
            } else {
                dialogReturn = .blocks(builder)
                overlay = .dialog(Dialog(title: Localized(ro: "Salvare șablon campanie", en: "Save the campaign template"), purpose: .blockTemplateSave,
                                         form: Form(fields: [FormField(id: "name", label: t("Nume", "Name"), mandatory: true)]), language: language))
            }
        }
    }

    /// A block's settings: its words, link, image, alignment, colours and padding (the divider: its colour and padding).
    mutating func openBlockDialog(_ builder: BlockBuilder, index: Int, isNew: Bool) {
        let block = builder.blocks[index]
        var fields: [FormField] = []
        switch block.kind {
        case .title: fields.append(FormField(id: "text", label: t("Titlu", "Title"), value: block.text, mandatory: true))
        case .text: fields.append(FormField(id: "text", label: t("Text (F4: în $EDITOR)", "Text (F4: in $EDITOR)"), kind: .multiline(rows: 6), value: block.text))
        case .image: fields.append(FormField(id: "text", label: t("Descriere (pentru cine nu vede imaginea)", "Description (for those who do not see it)"), value: block.text))
        case .button: fields.append(FormField(id: "text", label: t("Eticheta butonului", "The button's label"), value: block.text, mandatory: true))
        case .divider: break
        }
        if block.kind == .image {
            fields.append(FormField(id: "image", label: t("Adresa imaginii (https://…)", "The image's address (https://…)"), value: block.image ?? "", mandatory: true))
        }
        if block.kind == .image || block.kind == .button {
            fields.append(FormField(id: "link", label: t("Link (https://…)", "Link (https://…)"), value: block.link ?? "", mandatory: block.kind == .button))
        }
        if block.kind != .divider {
            fields.append(FormField(id: "align", label: t("Aliniere", "Alignment"), kind: .choice([
                FormField.Choice("left", t("stânga", "left")), FormField.Choice("center", t("centru", "centre")), FormField.Choice("right", t("dreapta", "right")),
            ]), value: block.align.rawValue))
        }
        let colour = block.kind == .button ? t("Culoarea butonului", "The button's colour") : block.kind == .divider ? t("Culoarea liniei", "The line's colour")
            : t("Culoarea textului", "The text's colour")
        fields += [
            FormField(id: "color", label: colour + " (#rrggbb)", value: block.color, mandatory: true),
            FormField(id: "background", label: t("Fundal (#rrggbb)", "Background (#rrggbb)"), value: block.background, mandatory: true),
            FormField(id: "padding", label: t("Spațiu în jur (pixeli, 0–64)", "Padding (pixels, 0–64)"), kind: .number, value: "\(block.padding)", mandatory: true),
        ]
        var form = Form(fields: fields)
        form.message = t("Înlocuiri: ", "Placeholders: ") + TemplateText.placeholders.map { "{{\($0.name)}}" }.joined(separator: " ")
        dialogReturn = .blocks(builder)
        let kind = BlockBuilder.label(block.kind)
        overlay = .dialog(Dialog(title: Localized(ro: "Bloc \(index + 1): \(kind.ro)", en: "Block \(index + 1): \(kind.en)"),
                                 purpose: .mailBlock(index: index, isNew: isNew), form: form, language: language))
    }

    mutating func saveBlock(_ dialog: inout Dialog, index: Int) throws {
        guard case .blocks(var builder)? = dialogReturn, builder.blocks.indices.contains(index) else { overlay = nil; return }
        let form = dialog.form
        var block = builder.blocks[index]
        let has = { (id: String) in form.fields.contains { $0.id == id } }
        if has("text") { block.text = form.value("text") }
        if has("image") { block.image = form.value("image").trimmingCharacters(in: .whitespaces) }
        if has("link") { let link = form.value("link").trimmingCharacters(in: .whitespaces); block.link = link.isEmpty ? nil : link }
        if has("align") { block.align = MailBlock.Alignment(rawValue: form.value("align")) ?? .left }
        block.color = form.value("color").trimmingCharacters(in: .whitespaces).lowercased()
        block.background = form.value("background").trimmingCharacters(in: .whitespaces).lowercased()
        guard let padding = Int(form.value("padding").trimmingCharacters(in: .whitespaces)) else {
            dialog.form.show(errors: ["padding": t("un număr întreg de pixeli, 0–64", "a whole number of pixels, 0–64")])
            return
        }
        block.padding = padding
        let problems = block.problems()
        guard problems.isEmpty else { throw CoreError.invalid(problems) }
        builder.blocks[index] = block
        builder.dirty = true
        dialogReturn = nil
        overlay = .blocks(builder)
    }

    mutating func saveBlockTemplateAs(_ dialog: inout Dialog) throws {
        guard case .blocks(var builder)? = dialogReturn else { overlay = nil; return }
        let name = dialog.form.value("name").trimmingCharacters(in: .whitespaces)
        if (try crm.blockTemplates(for: actor)).contains(where: { Fold.key($0.name) == Fold.key(name) }) {
            dialog.form.show(errors: ["name": t("există deja un șablon «\(name)»", "there is a template «\(name)» already")])
            return
        }
        try crm.saveBlockTemplate(name, builder.blocks, by: actor)
        builder.name = name
        builder.dirty = false
        builder.message = t("Șablonul «\(name)» a fost salvat; îl folosește o campanie nouă", "The template «\(name)» was saved; a new campaign can use it")
        dialogReturn = nil
        overlay = .blocks(builder)
    }

    // MARK: - Back from a dialog

    /// A dialog opened from a campaign window closed without saving (nil: the
    /// window itself closed): back onto the window it came from; a block just
    /// added and given up goes.
    mutating func returnFromDialog(_ purpose: Dialog.Purpose?) {
        let back = dialogReturn
        dialogReturn = nil
        switch back {
        case .rows(let view)?: overlay = .grouped(view)
        case .campaigns(let cursor)?: openCampaigns(cursor: cursor)
        case .mailLists(let group)?: openMailLists(group: group)
        case .report(let campaign, let group)?: openReport(campaign, group: group)
        case .blocks(var builder)?:
            if case .mailBlock(let index, true)? = purpose, builder.blocks.indices.contains(index) {
                builder.blocks.remove(at: index)
                builder.cursor = max(0, min(index - 1, builder.blocks.count - 1))
            }
            overlay = .blocks(builder)
        case .webForms(let cursor)?: openWebForms(cursor: cursor)
        case .webFormDesigner(let designer)?: overlay = .webFormDesigner(designer)
        case nil: overlay = nil
        }
    }
}
