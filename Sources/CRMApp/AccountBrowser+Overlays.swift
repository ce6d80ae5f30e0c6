import CRMCore
import CRMDocuments
import Foundation
import CRMStore
import CRMText
import TUIKit

/// Menus, the palette, questions, dialogs and long work: everything that opens
/// over the page and takes the keys until it closes.
extension AccountBrowser {
    // MARK: - Menus

    /// The menu bar: the page's module, then folders (on Clienți), the pages, settings and help.
    var menuBar: [(title: Localized, actions: [String])] {
        let pages = (Localized(ro: "Pagini", en: "Pages"), Page.all.map(\.action))
        let rest = Array(Self.menuBar.dropFirst(2))
        switch page {
        case .accounts: break
        case .items(let kind):
            let module = (kind.plural, ["record.add", "record.edit", "record.delete", "note.add", "email.send", "search.start", "filter.open",
                                        "filter.saved", "filter.clear", "sort.next", "sort.reverse", "table.columns", "fields.admin",
                                        "table.export", "app.quit"])
            return [module, pages] + rest
        case .products:
            let module = (page.title, ["record.add", "record.edit", "record.delete", "search.start", "filter.open", "filter.saved",
                                       "filter.clear", "sort.next", "sort.reverse", "table.columns", "table.export", "table.import",
                                       "import.template", "vat.admin", "app.quit"])
            return [module, pages] + rest
        case .invoices:
            let module = (page.title, ["record.add", "invoice.proforma", "record.edit", "record.open", "invoice.fiscal", "invoice.post", "invoice.pay",
                                       "invoice.cancel", "invoice.efactura", "record.delete", "search.start", "filter.open", "filter.saved",
                                       "filter.clear", "sort.next", "sort.reverse", "table.columns", "table.export", "app.quit"])
            return [module, pages] + rest
        case .ledger:
            let module = (page.title, ["ledger.period", "table.export", "expense.add", "expense.pay", "ledger.add", "ledger.reconcile",
                                       "invoice.add", "app.quit"])
            return [module, pages] + rest
        case .dashboard:
            let module = (page.title, ["dashboard.open", "dashboard.export", "dashboard.settings", "dashboard.arrange", "dashboard.reconcile",
                                       "dashboard.reload", "app.quit"])
            return [module, pages] + rest
        }
        return Array(Self.menuBar.prefix(2)) + [pages] + rest
    }

    static let menuBar: [(title: Localized, actions: [String])] = [
        (Localized(ro: "Clienți", en: "Clients"),
         ["record.add", "record.edit", "record.delete", "record.move", "contact.add", "opportunity.add", "activity.add", "note.add",
          "email.send", "maillist.add", "campaigns.open", "maillists.open", "campaign.templates", "search.start", "filter.open", "filter.saved",
          "filter.clear", "table.columns", "table.export", "table.import", "import.template", "duplicates.all", "duplicates.merge",
          "duplicates.undo", "selection.clear", "app.quit"]),
        (Localized(ro: "Dosare", en: "Folders"), ["folder.add", "folder.rename", "folder.move", "folder.delete"]),
        (Localized(ro: "Setări", en: "Settings"), ["settings.open", "theme.next", "language.toggle", "table.columns", "fields.admin",
                                                   "users.admin", "stages.admin", "templates.admin", "vat.admin", "company.admin",
                                                   "series.admin", "email.settings", "emailtemplates.admin", "forms.admin", "notes.list",
                                                   "sync.now", "sync.conflicts"]),
        (Localized(ro: "Ajutor", en: "Help"), ["help.show", "palette.open"]),
    ]

    /// Where each title of the menu bar starts.
    func menuBarPositions() -> [Int] {
        var x = 1
        return menuBar.map { entry in
            defer { x += DisplayWidth.of(entry.title.text(language)) + 3 }
            return x
        }
    }

    func menuItem(_ action: String) -> MenuItem {
        let enabled: Bool
        switch action {
        case _ where tablePage != nil && ["record.edit", "record.delete", "note.add"].contains(action):
            enabled = (tablePage?.rowCount ?? 0) > 0
        case "offer.add": enabled = chosenOpportunity != nil
        case "invoice.post", "invoice.pay", "invoice.cancel", "invoice.efactura":
            enabled = chosenInvoice.map { $0.kind == .fiscal && $0.record.stornoOf == nil && $0.related == nil } ?? false
        case "invoice.fiscal": enabled = chosenInvoice?.kind == .proforma
        case _ where action.hasPrefix("page."): enabled = page.action != action
        case "email.send": enabled = selectedAccount != nil || items?.selectedItem != nil
        case "record.edit", "contact.add", "record.move", "opportunity.add", "activity.add", "note.add":
            enabled = selectedAccount != nil || (action == "record.move" && !marked.isEmpty)
        case "record.delete": enabled = selectedAccount != nil || !marked.isEmpty || focus == .folders
        case "contact.edit", "contact.delete", "contact.primary": enabled = selectedContact != nil
        case "folder.rename", "folder.move", "folder.delete": enabled = (activeFolder?.depth ?? 0) > 0
        case "selection.clear": enabled = !marked.isEmpty
        case "duplicates.merge": enabled = marked.count >= 2
        default: enabled = true
        }
        let hint = keymap.keys(for: action, in: .browser).first?.description ?? ""
        return MenuItem(action: action, label: actionText(action), hint: hint, enabled: enabled)
    }

    mutating func openMenu(_ index: Int) {
        let bar = menuBar
        let i = (index + bar.count) % bar.count
        let items = bar[i].actions.filter(permits).map(menuItem)
        overlay = .menu(MenuList(items: items, x: menuBarPositions()[i] - 1, y: 1), bar: i)
    }

    /// The context menu of the focused pane, at the selected row or the mouse.
    mutating func openContextMenu(x: Int?, y: Int?) {
        let actions: [String]
        let l = layout
        var at = (x: l.table.x + 4, y: l.table.y + 2 + (tablePage?.selectedIndex ?? selected))
        if tablePage != nil {
            actions = focus == .details && items != nil ? ["note.add", "record.edit"]
                : ["record.add", "record.edit", "record.delete", "note.add", "filter.open", "filter.clear", "table.columns", "table.export"]
                    .filter(offered)
            overlay = .menu(MenuList(items: actions.filter(permits).map(menuItem), x: x ?? at.x, y: y ?? at.y), bar: nil)
            return
        }
        switch focus {
        case .folders:
            actions = ["folder.add", "folder.rename", "folder.move", "folder.delete"]
            at = (l.tree.x + 2, l.tree.y + 2 + (visibleFolders.firstIndex(of: folderIndex) ?? 0))
        case .accounts:
            actions = ["record.add", "record.edit", "record.delete", "record.move", "contact.add", "opportunity.add", "activity.add",
                       "note.add", "duplicates.account", "duplicates.merge", "selection.toggle", "selection.clear"]
        case .details:
            switch tab {
            case .contacts: actions = ["contact.add", "contact.edit", "contact.primary", "contact.delete"]
            case .work: actions = ["opportunity.add", "activity.add", "note.add", "tab.contacts"]
            case .changes: actions = ["record.edit", "tab.contacts"]
            case .ledger: actions = ["invoice.add", "page.invoices", "tab.contacts"]
            }
            at = (l.details.x + 2, l.details.y + 2)
        }
        overlay = .menu(MenuList(items: actions.filter(permits).map(menuItem), x: x ?? at.x, y: y ?? at.y), bar: nil)
    }

    // MARK: - Keys in an overlay

    mutating func updateOverlay(_ key: Key) -> Effect {
        guard let current = overlay else { return .none }
        let cancel = keymap.action(for: key, in: .dialog) == "dialog.cancel"
        switch current {
        case .help(let scroll):
            switch key {
            case .down: overlay = .help(scroll: scroll + 1)
            case .up: overlay = .help(scroll: max(0, scroll - 1))
            case .pageDown: overlay = .help(scroll: scroll + 10)
            case .pageUp: overlay = .help(scroll: max(0, scroll - 10))
            default: overlay = nil
            }
        case .menu(var list, let bar):
            let event = list.handle(key, cancel: cancel)
            overlay = .menu(list, bar: bar)
            return menuEvent(event, bar: bar)
        case .palette(var palette):
            switch palette.handle(key, cancel: cancel, language: language) {
            case .none: overlay = .palette(palette)
            case .close: overlay = nil
            case .run(let action): overlay = nil; return perform(action)
            }
        case .confirm(let question):
            overlay = nil
            if [.char("d"), .char("D"), .char("y"), .char("Y")].contains(key) {
                let effect = confirmed(question.action)
                if overlay == nil, let uuid = returnToItem { returnToItem = nil; openItemView(uuid) }
                return effect
            }
            // Not confirmed: back where the question came from.
            if let uuid = returnToItem { returnToItem = nil; openItemView(uuid) }
        case .dialog(var dialog):
            let outcome = updateDialog(&dialog, key)
            if case .dialog = overlay { overlay = .dialog(dialog) }
            // A dialog opened from an item's view closes back onto it (saved or not).
            if overlay == nil, let uuid = returnToItem {
                returnToItem = nil
                openItemView(uuid)
            }
            return outcome
        case .item(let view):
            updateItemView(view, key)
        case .document(let editor):
            updateDocumentEditor(editor, key)
        case .columns(var dialog):
            switch dialog.handle(key, action: keymap.action(for: key, in: .dialog), language: language) {
            case .none: overlay = .columns(dialog)
            case .cancel: overlay = nil
            case .save:
                overlay = nil
                if var page = tablePage {
                    let top = page.top
                    page.table = dialog.settings(from: page.table)
                    page.hscroll = 0
                    let (crm, actor, saved) = (self.crm, self.actor, page)
                    attempt(()) { try saved.saveSettings(crm, actor) }
                    tablePage = page
                    loadTable(top)
                } else {
                    table = dialog.settings(from: table)
                    hscroll = 0
                    saveTable()
                }
                message = t("Coloanele tabelului au fost salvate", "The table's columns were saved")
            }
        case .fields(let dialog):
            updateFields(dialog, key)
        case .duplicates(var view):
            switch view.handle(key, action: keymap.action(for: key, in: .dialog)) {
            case .none: overlay = .duplicates(view)
            case .close: overlay = nil
            case .show(let uuid): overlay = nil; show(account: uuid)
            case .merge(let pair):
                overlay = nil
                openMerge(survivor: pair.first, others: [pair.second])
            case .dismiss(let pair):
                let (crm, actor) = (self.crm, self.actor)
                do {
                    try crm.dismissDuplicate(pair.first, pair.second, by: actor)
                    view.pairs.removeAll { $0 == pair }
                    view.cursor = min(view.cursor, max(0, view.pairs.count - 1))
                    view.message = t("Notat: «\(pair.firstName)» și «\(pair.secondName)» nu sunt duplicate",
                                     "Noted: «\(pair.firstName)» and «\(pair.secondName)» are not duplicates")
                } catch {
                    view.message = describe(error)
                }
                overlay = .duplicates(view)
            }
        case .merge(var view):
            switch view.handle(key, action: keymap.action(for: key, in: .dialog)) {
            case .none: overlay = .merge(view)
            case .close: overlay = nil
            case .merge:
                let (crm, actor) = (self.crm, self.actor)
                do {
                    let result = try crm.merge(view.plan, by: actor)
                    overlay = nil
                    marked = [:]
                    message = t("Unificarea #\(result.operation): \(result.merged) conturi unite în «\(result.survivor.name)», \(result.contactsMoved) persoane de contact mutate (Anulare unificare o desface)",
                                "Merge #\(result.operation): \(result.merged) accounts merged into «\(result.survivor.name)», \(result.contactsMoved) contacts moved (Undo the last merge reverses it)")
                    reloadAfterChange(keeping: nil, uuid: result.survivor.meta?.uuid.description)
                } catch {
                    view.message = describe(error)
                    overlay = .merge(view)
                }
            }
        case .users(let view):
            updateUsers(view, key)
        case .reminders(let view):
            updateReminders(view, key)
        case .notes(let view):
            updateNotesList(view, key)
        case .adminList(let view):
            updateAdminList(view, key)
        case .conflict(var view):
            switch view.handle(key, action: keymap.action(for: key, in: .dialog)) {
            case .none: overlay = .conflict(view)
            case .back: overlay = .dialog(view.dialog)
            case .save:
                var dialog = view.resolved
                overlay = .dialog(dialog)
                _ = save(&dialog)
                if case .dialog = overlay { overlay = .dialog(dialog) }
            }
        case .importPreview(let preview):
            switch preview.handle(key, action: keymap.action(for: key, in: .dialog)) {
            case .none: break
            case .back: openImport(preview.options)
            case .start: startImport(preview.options)
            }
        case .text(let viewer):
            updateTextViewer(viewer, key)
        case .campaigns(let view):
            updateCampaigns(view, key)
        case .grouped(let view):
            updateGrouped(view, key)
        case .blocks(let builder):
            updateBlocks(builder, key)
        case .webForms(let view):
            return updateWebForms(view, key)
        case .webFormDesigner(let designer):
            return updateDesigner(designer, key)
        case .leads(let view):
            updateLeads(view, key)
        case .syncConflicts(let view):
            updateSyncConflicts(view, key)
        case .progress(let job):
            if cancel || key == .escape {
                job.cancel()
                message = t("Se anulează…", "Cancelling…")
            }
        }
        return .none
    }

    mutating func menuEvent(_ event: MenuEvent, bar: Int?) -> Effect {
        switch event {
        case .none: return .none
        case .close: overlay = nil
        case .run(let action) where action.hasPrefix("template.open:"):
            overlay = nil
            let name = String(action.dropFirst("template.open:".count))
            openOfferTemplate(name.isEmpty ? nil : name)
        case .run(let action) where action.hasPrefix("emailtemplate.open:"):
            overlay = nil
            let name = String(action.dropFirst("emailtemplate.open:".count))
            openEmailTemplate(name.isEmpty ? nil : name)
        case .run(let action) where action.hasPrefix("blocktemplate.open:"):
            overlay = nil
            let name = String(action.dropFirst("blocktemplate.open:".count))
            openBlockBuilder(name.isEmpty ? nil : name)
        case .run(let action) where action.hasPrefix("filter.apply:"):
            overlay = nil
            let name = String(action.dropFirst("filter.apply:".count))
            let (crm, actor, table) = (self.crm, self.actor, tableName)
            if let saved = attempt(nil, { try crm.savedFilter(name, table: table, for: actor) }) {
                applyFilter(saved.filter, name: saved.name)
                message = t("Filtru: \(name)", "Filter: \(name)")
            }
        case .run(let action): overlay = nil; return perform(action)
        case .neighbour(let delta): if let bar { openMenu(bar + delta) }
        }
        return .none
    }

    private mutating func confirmed(_ action: Confirm.Action) -> Effect {
        let (crm, actor) = (self.crm, self.actor)
        switch action {
        case .deleteAccounts(let accounts):
            let uuids = accounts.compactMap { $0.record.meta?.uuid.description }
            if accounts.count == 1, let account = accounts.first {
                deleteOne(account)
            } else {
                let count = uuids.count
                overlay = .progress(Job(title: Localized(ro: "Ștergere \(count) conturi", en: "Deleting \(count) accounts")) { progress in
                    let n = try crm.deleteAccounts(uuids, by: actor, progress: progress)
                    return Localized(ro: "\(n) conturi șterse", en: "\(n) accounts deleted")
                })
            }
        case .cancelInvoice, .deleteInvoice, .deletePayment:
            confirmedInvoice(action)
        case .deleteProduct(let product):
            if attempt(false, { try crm.deleteProduct(product.uuid, by: actor); return true }) {
                message = t("Produs șters: \(product.record.code)", "Product deleted: \(product.record.code)")
                reloadProducts()
            }
        case .deleteOffer(let offer):
            if attempt(false, { try crm.deleteOffer(offer.uuid, by: actor); return true }) {
                message = t("Ofertă ștearsă: \(offer.record.label)", "Offer deleted: \(offer.record.label)")
                if items != nil { reloadItems() } else { refreshHistory() }
            }
        case .deleteItem(let item):
            if attempt(false, { try crm.deleteWorkItem(item.uuid, by: actor); return true }) {
                message = t("Șters: \(item.details(language))", "Deleted: \(item.details(language))")
                reloadPage()
            }
        case .deleteContact(let contact):
            if attempt(false, { try crm.deleteContact(contact.meta!.uuid.description, by: actor); return true }) {
                message = t("Persoană de contact ștearsă: \(contact.name)", "Contact deleted: \(contact.name)")
                reloadAfterChange(keeping: selectedAccount)
            }
        case .deleteFolder(let folder):
            let parent = folders[..<(folders.firstIndex(of: folder) ?? 0)].last { $0.depth < folder.depth }
            folderIndex = parent.flatMap { p in folders.firstIndex { $0.id == p.id } } ?? 0
            selected = 0
            // Its accounts move to the parent folder: long work for a big folder.
            overlay = .progress(Job(title: Localized(ro: "Ștergere dosar \(folder.record.name)", en: "Deleting folder \(folder.record.name)")) { progress in
                let moved = try crm.deleteFolder(path: folder.path, moveAccountsTo: parent?.path, by: actor, progress: progress)
                return Localized(ro: "Dosar șters: \(folder.record.name)" + (moved > 0 ? " (\(moved) conturi mutate în \(parent?.record.name ?? ""))" : ""),
                                 en: "Folder deleted: \(folder.record.name)" + (moved > 0 ? " (\(moved) accounts moved to \(parent?.record.name ?? ""))" : ""))
            })
        }
        return .none
    }

    private mutating func deleteOne(_ account: AccountDetails) {
        let (crm, actor) = (self.crm, self.actor)
        let uuid = account.record.meta?.uuid.description ?? ""
        let neighbour = rows.indices.contains(selected + 1) ? rows[selected + 1] : (selected > 0 ? rows[selected - 1] : nil)
        guard attempt(false, { try crm.deleteAccount(uuid, by: actor); return true }) else { return }
        marked[uuid] = nil
        folders = attempt(folders) { try crm.folderTree(for: actor) }
        // The page keeps its first row, unless that was the deleted one.
        let top = rows.first?.record.meta?.uuid == account.record.meta?.uuid ? neighbour : rows.first
        load(top.map { .from($0.cursor(order)) } ?? .first)
        if let neighbour, let index = rows.firstIndex(where: { $0.record.meta?.uuid == neighbour.record.meta?.uuid }) {
            selected = index
        }
        message = t("Cont șters: \(account.record.name)", "Account deleted: \(account.record.name)")
        refreshHistory()
    }

    mutating func askDeleteAccounts() {
        let doomed = marked.isEmpty ? (selectedAccount.map { [$0] } ?? []) : marked.values.sorted { $0.cursor.key < $1.cursor.key }
        guard let first = doomed.first else { return }
        let text = doomed.count == 1
            ? Localized(ro: "Ștergeți contul «\(first.record.name)» cu persoanele lui de contact? d/n",
                        en: "Delete account «\(first.record.name)» with its contacts? y/n")
            : Localized(ro: "Ștergeți cele \(doomed.count) conturi selectate cu persoanele lor de contact? d/n",
                        en: "Delete the \(doomed.count) selected accounts with their contacts? y/n")
        overlay = .confirm(Confirm(text: text, action: .deleteAccounts(doomed)))
    }

    mutating func askDeleteFolder() {
        guard let folder = activeFolder else { return }
        guard folder.depth > 0 else {
            message = t("Dosarul rădăcină nu se poate șterge", "The root folder cannot be deleted")
            return
        }
        let parent = folders[..<folderIndex].last { $0.depth < folder.depth }?.record.name ?? ""
        let text = folder.totalCount > 0
            ? Localized(ro: "Ștergeți dosarul «\(folder.record.name)»? Cele \(folder.totalCount) conturi trec în «\(parent)». d/n",
                        en: "Delete folder «\(folder.record.name)»? Its \(folder.totalCount) accounts go to «\(parent)». y/n")
            : Localized(ro: "Ștergeți dosarul «\(folder.record.name)»? d/n", en: "Delete folder «\(folder.record.name)»? y/n")
        overlay = .confirm(Confirm(text: text, action: .deleteFolder(folder)))
    }

    // MARK: - Opening dialogs

    enum ContactIntent { case new, existing(String) }

    func folderChoices() -> [FormField.Choice] { folders.map { FormField.Choice($0.path) } }

    func accountFields(_ account: AccountDetails?) -> [FormField] {
        let (crm, actor) = (self.crm, self.actor)
        let zones = (try? crm.zones(for: actor)) ?? []
        let users = (try? crm.users()) ?? []
        let columns = (try? crm.customColumns(entity: "account", for: actor)) ?? []
        var mandatory = Set(((try? crm.fieldRules(entity: "account", for: actor)) ?? []).filter(\.mandatory).map(\.field))
        if actor.zones != nil || (try? crm.zonesInUse()) == true { mandatory.insert(AccountField.zone.rawValue) }
        func value(_ field: AccountField) -> String { account?.text(field) ?? "" }
        var out: [FormField] = []
        for field in AccountField.formOrder {
            let label = field.label.text(language)
            let kind: FormField.Kind
            switch field {
            case .kind:
                kind = .choice([FormField.Choice("company", t("Persoană juridică", "Company")),
                                FormField.Choice("person", t("Persoană fizică", "Person"))])
            case .vatPayer: kind = .checkbox
            case .zone: kind = .choice([FormField.Choice("", "—")] + zones.map { FormField.Choice($0.name) })
            case .owner: kind = .choice([FormField.Choice("", "—")] + users.map { FormField.Choice($0.login, "\($0.login) — \($0.name)") })
            case .folder: kind = .choice(folderChoices())
            case .notes: kind = .multiline(rows: 3)
            default: kind = .text
            }
            var initial = value(field)
            if account == nil {
                switch field {
                case .kind: initial = "company"
                case .vatPayer: initial = "nu"
                case .country: initial = "RO"
                case .folder: initial = activeFolder?.path ?? CRM.rootFolderName
                default: break
                }
            }
            out.append(FormField(id: field.rawValue, label: label, kind: kind, value: initial,
                                 mandatory: field == .name || mandatory.contains(field.rawValue)))
        }
        return out + Self.customFields(columns, values: account?.custom ?? [])
    }

    /// The form fields of custom columns (ACC-9, OPP-2), with the stored values.
    static func customFields(_ columns: [CustomColumnRecord], values: [(column: CustomColumnRecord, value: Value)]) -> [FormField] {
        columns.map { column in
            let stored = values.first { $0.column.key == column.key }?.value ?? .null
            let kind: FormField.Kind
            switch CustomColumnType(rawValue: column.type) {
            case .number?, .money?: kind = .number
            case .date?: kind = .date
            case .bool?: kind = .checkbox
            case .choice?: kind = .choice([FormField.Choice("", "—")] + CustomColumns.choices(of: column).map { FormField.Choice($0) })
            default: kind = .text
            }
            return FormField(id: "custom." + column.key, label: column.label, kind: kind,
                             value: CustomColumns.display(stored, column: column), mandatory: column.mandatory)
        }
    }

    mutating func openNewAccount() {
        overlay = .dialog(Dialog(title: Localized(ro: "Adăugare cont", en: "Add account"), purpose: .account(uuid: nil, version: nil),
                                 form: Form(fields: accountFields(nil)), language: language))
    }

    mutating func openAccount(_ account: AccountDetails, page: Int, contact: ContactIntent? = nil) {
        let (crm, actor) = (self.crm, self.actor)
        let uuid = account.record.meta?.uuid.description ?? ""
        // The dialog edits the account as it is now, not as the page showed it.
        guard let fresh = attempt(nil, { try crm.account(uuid, for: actor) }) else { return }
        let stored = attempt([]) { try crm.contacts(ofAccount: uuid, for: actor) }
        var dialog = Dialog(title: Localized(ro: "Editare cont: \(fresh.record.name)", en: "Edit account: \(fresh.record.name)"),
                            purpose: .account(uuid: uuid, version: fresh.record.meta?.version),
                            form: Form(fields: accountFields(fresh)), language: language, contacts: stored.map(ContactDraft.init))
        dialog.page = page
        switch contact {
        case .new?: dialog.openContact(nil, language: language)
        case .existing(let id)?:
            if let index = dialog.contacts.firstIndex(where: { $0.uuid == id }) {
                dialog.contactIndex = index
                dialog.openContact(index, language: language)
            }
        case nil: break
        }
        overlay = .dialog(dialog)
    }

    mutating func openFolderAdd() {
        let parent = activeFolder?.path ?? CRM.rootFolderName
        let form = Form(fields: [
            FormField(id: "name", label: t("Nume dosar", "Folder name"), mandatory: true),
            FormField(id: "parent", label: t("În dosarul", "Inside"), kind: .choice(folderChoices().filter { c in
                (folders.first { $0.path == c.value }?.depth ?? 0) < 4 }), value: parent),
        ])
        overlay = .dialog(Dialog(title: Localized(ro: "Adăugare dosar", en: "Add folder"), purpose: .folderAdd, form: form,
                                 language: language))
    }

    mutating func openFolderRename() {
        guard let folder = activeFolder, folder.depth > 0 else {
            message = t("Alegeți un dosar de sub Conturi", "Choose a folder below Conturi")
            return
        }
        let form = Form(fields: [FormField(id: "name", label: t("Nume nou", "New name"), value: folder.record.name, mandatory: true)])
        overlay = .dialog(Dialog(title: Localized(ro: "Redenumire dosar", en: "Rename folder"), purpose: .folderRename(path: folder.path),
                                 form: form, language: language))
    }

    mutating func openFolderMove() {
        guard let folder = activeFolder, folder.depth > 0 else {
            message = t("Alegeți un dosar de sub Conturi", "Choose a folder below Conturi")
            return
        }
        let parent = folders[..<folderIndex].last { $0.depth < folder.depth }?.path ?? CRM.rootFolderName
        let choices = folderChoices().filter { !$0.value.hasPrefix(folder.path + "/") && $0.value != folder.path }
        let form = Form(fields: [FormField(id: "parent", label: t("Mutare în", "Move into"), kind: .choice(choices), value: parent)])
        overlay = .dialog(Dialog(title: Localized(ro: "Mutare dosar: \(folder.record.name)", en: "Move folder: \(folder.record.name)"),
                                 purpose: .folderMove(path: folder.path), form: form, language: language))
    }

    mutating func openMoveAccounts() {
        let accounts = marked.isEmpty ? (selectedAccount.map { [$0] } ?? []) : Array(marked.values)
        guard !accounts.isEmpty else { return }
        let form = Form(fields: [FormField(id: "folder", label: t("Dosarul", "Folder"), kind: .choice(folderChoices()),
                                           value: activeFolder?.path ?? CRM.rootFolderName)])
        overlay = .dialog(Dialog(title: Localized(ro: "Mutare \(accounts.count) conturi", en: "Move \(accounts.count) accounts"),
                                 purpose: .moveAccounts(accounts.compactMap { $0.record.meta?.uuid.description }), form: form,
                                 language: language))
    }

    // MARK: - Filters

    /// The filter dialog's fields: how criteria combine, then a column, a
    /// condition and a value per criterion, then an optional name to save it under.
    func filterForm(_ filter: Filter, name: String?) -> Form {
        let columns = tablePage?.columnChoices ?? allColumns.map { ($0.id, $0.label) }
        let columnChoices = [FormField.Choice("", "—")] + columns.map { FormField.Choice($0.0, $0.1.text(language)) }
        let opChoices = Criterion.Op.allCases.map { FormField.Choice($0.rawValue, $0.label.text(language)) }
        var fields = [FormField(id: "combine", label: t("Condiții", "Criteria"),
                                kind: .choice([FormField.Choice("all", t("toate (ȘI)", "all (AND)")),
                                               FormField.Choice("any", t("oricare (SAU)", "any (OR)"))]),
                                value: filter.combine.rawValue)]
        let criteria = filter.criteria.isEmpty ? [Criterion("", .contains)] : filter.criteria
        for (i, c) in criteria.enumerated() {
            fields.append(FormField(id: "column.\(i)", label: t("Câmp \(i + 1)", "Field \(i + 1)"), kind: .choice(columnChoices), value: c.column))
            fields.append(FormField(id: "op.\(i)", label: t("  condiție", "  condition"), kind: .choice(opChoices), value: c.op.rawValue))
            fields.append(FormField(id: "value.\(i)", label: t("  valoare", "  value"), value: c.values.joined(separator: "; ")))
        }
        fields.append(FormField(id: "name", label: t("Salvare ca", "Save as"), value: name ?? ""))
        if actor.isAdmin {
            fields.append(FormField(id: "shared", label: t("Comun (toți)", "Shared (everyone)"), kind: .checkbox, value: "nu"))
        }
        var form = Form(fields: fields)
        form.strings = language == .ro ? .romanian : .english
        return form
    }

    /// The filter a filter form describes (rows without a field are skipped).
    static func filter(from form: Form) -> Filter {
        var criteria: [Criterion] = []
        var i = 0
        while form.fields.contains(where: { $0.id == "column.\(i)" }) {
            let column = form.value("column.\(i)")
            if !column.isEmpty {
                let op = Criterion.Op(rawValue: form.value("op.\(i)")) ?? .contains
                let raw = form.value("value.\(i)")
                let values = raw.replacingOccurrences(of: "..", with: ";").split(separator: ";")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                criteria.append(Criterion(column, op, op.arity == 1 ? [raw.trimmingCharacters(in: .whitespaces)].filter { !$0.isEmpty } : values))
            }
            i += 1
        }
        return Filter(combine: Filter.Combine(rawValue: form.value("combine")) ?? .all, criteria: criteria)
    }

    mutating func openFilter() {
        let (current, name) = tablePage.map { ($0.filter, $0.filterName) } ?? (filter, filterName)
        overlay = .dialog(Dialog(title: Localized(ro: "Filtrare", en: "Filter"), purpose: .filter,
                                 form: filterForm(current ?? Filter(), name: name), language: language))
    }

    /// The shown table's name: its settings and saved filters go by it.
    var tableName: String { tablePage?.tableKind.name ?? AccountTable.name }

    /// The saved filters as a menu: choosing one applies it.
    mutating func openSavedFilters() {
        let (crm, actor) = (self.crm, self.actor)
        let table = tableName
        let saved = attempt([]) { try crm.savedFilters(table, for: actor) }
        guard !saved.isEmpty else {
            message = t("Niciun filtru salvat; Filtrare (\(keymap.keys(for: "filter.open", in: .browser).first?.description ?? "")) creează unul",
                        "No saved filters; Filter (\(keymap.keys(for: "filter.open", in: .browser).first?.description ?? "")) makes one")
            return
        }
        let items = saved.map { MenuItem(action: "filter.apply:" + $0.name, label: $0.name, hint: $0.shared ? t("comun", "shared") : "") }
        overlay = .menu(MenuList(items: items, x: layout.table.x + 2, y: layout.footerRow - min(items.count + 2, 12)), bar: nil)
    }

    /// Applies a filter to the table (after the core has checked it).
    mutating func applyFilter(_ new: Filter?, name: String?) {
        let applied = new.flatMap { $0.criteria.isEmpty ? nil : $0 }
        if tablePage != nil {
            tablePage!.filter = applied
            tablePage!.filterName = applied == nil ? nil : name
        } else {
            filter = applied
            filterName = applied == nil ? nil : name
        }
        reloadFromTop()
    }

    mutating func openFields(cursor: Int = 0, message: String? = nil) {
        guard actor.isAdmin else {
            self.message = t("Doar un administrator schimbă coloanele și regulile câmpurilor",
                             "Only an administrator changes columns and field rules")
            return
        }
        let (crm, actor, language, entity) = (self.crm, self.actor, self.language, fieldsEntity)
        guard var dialog = attempt(nil, { try FieldsDialog(crm: crm, actor: actor, language: language, entity: entity) }) else { return }
        dialog.cursor = max(0, min(cursor, dialog.entries.count - 1))
        dialog.message = message
        overlay = .fields(dialog)
    }

    /// The entity whose fields Setări coloane personalizate shows: the page's.
    var fieldsEntity: String { tablePage?.fieldsEntity ?? "account" }

    /// After a change of columns: the table's columns and the user's settings again.
    mutating func reloadColumns() {
        let (crm, actor) = (self.crm, self.actor)
        allColumns = attempt(allColumns) { try crm.accountColumns(for: actor) }
        table = table.fitted(to: allColumns, defaults: AccountTable.kind.defaults)
        reloadItemColumns()
        load(rows.first.map { .from($0.cursor(order)) } ?? .first)
    }

    mutating func updateFields(_ dialog: FieldsDialog, _ key: Key) {
        var dialog = dialog
        let (crm, actor) = (self.crm, self.actor)
        let event = dialog.handle(key, action: keymap.action(for: key, in: .dialog))
        // No entry to act on: only a new column (an item table without custom columns yet).
        let entry = dialog.entries.indices.contains(dialog.cursor) ? dialog.entries[dialog.cursor]
            : FieldsDialog.Entry(id: "", label: "", type: "", mandatory: false, unique: false, retired: false)
        switch event {
        case .none: overlay = .fields(dialog)
        case .close:
            overlay = nil
            reloadColumns()
        case .toggle(let mandatory):
            let (m, u) = mandatory ? (!entry.mandatory, entry.unique) : (entry.mandatory, !entry.unique)
            if entry.id == "name" || entry.id == "code" {
                dialog.message = t("Denumirea e mereu obligatorie, codul mereu unic", "The name is always mandatory, the code always unique")
                overlay = .fields(dialog)
                return
            }
            do {
                try crm.setFieldRule(entity: fieldsEntity, field: entry.id, mandatory: m, unique: u, by: actor)
                openFields(cursor: dialog.cursor)
            } catch {
                dialog.message = describe(error)
                overlay = .fields(dialog)
            }
        case .add:
            let form = Form(fields: [
                FormField(id: "label", label: t("Denumire", "Name"), mandatory: true),
                FormField(id: "type", label: t("Tip", "Type"),
                          kind: .choice(CustomColumnType.allCases.map { FormField.Choice($0.rawValue, $0.label.text(language)) }), value: "text"),
                FormField(id: "choices", label: t("Valori (listă; cu ;)", "Choices (list; with ;)")),
                FormField(id: "mandatory", label: t("Obligatoriu", "Mandatory"), kind: .checkbox, value: "nu"),
                FormField(id: "unique", label: t("Unic", "Unique"), kind: .checkbox, value: "nu"),
            ])
            overlay = .dialog(Dialog(title: Localized(ro: "Coloană personalizată nouă", en: "New custom column"), purpose: .columnAdd,
                                     form: form, language: language))
        case .rename:
            let form = Form(fields: [FormField(id: "label", label: t("Denumire nouă", "New name"), value: entry.label, mandatory: true)])
            overlay = .dialog(Dialog(title: Localized(ro: "Redenumire coloană", en: "Rename column"), purpose: .columnRename(key: entry.key),
                                     form: form, language: language))
        case .retire:
            do {
                try crm.retireCustomColumn(entity: fieldsEntity, key: entry.key, retired: !entry.retired, by: actor)
                openFields(cursor: dialog.cursor, message: entry.retired ? t("Coloană readusă", "Column restored")
                           : t("Coloană retrasă; valorile rămân", "Column retired; its values stay"))
            } catch {
                dialog.message = describe(error)
                overlay = .fields(dialog)
            }
        }
    }

    /// Shows an account in the table: its folder, the page that starts with it.
    mutating func show(account uuid: String) {
        let (crm, actor) = (self.crm, self.actor)
        guard let account = attempt(nil, { try crm.account(uuid, for: actor) }) else { return }
        if let index = folders.firstIndex(where: { $0.path == account.folderPath }) {
            for parent in folders[..<index] where account.folderPath.hasPrefix(parent.path + "/") { collapsed.remove(parent.id) }
            folderIndex = index
        }
        search = TextField()
        filter = nil
        filterName = nil
        focus = .accounts
        selected = 0
        load(.from(account.cursor(order)))
        if let i = rows.firstIndex(where: { $0.record.meta?.uuid == account.record.meta?.uuid }) { selected = i }
        refreshHistory()
    }

    mutating func openColumns() {
        if let table = tablePage {
            overlay = .columns(table.columnsDialog(language))
        } else {
            overlay = .columns(ColumnsDialog(settings: table, columns: allColumns, language: language))
        }
    }

    mutating func openExport() {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        let day = CalendarDate.today.iso
        let form = Form(fields: [
            FormField(id: "file", label: t("Fișier", "File"), value: "\(home)/\(page.title.text(language))-\(day).xlsx", mandatory: true),
            FormField(id: "bom", label: t("BOM pentru Excel", "BOM for Excel"), kind: .checkbox, value: "nu"),
        ])
        let title = products != nil
            ? Localized(ro: "Export tabel (.xlsx, .csv) sau listă de prețuri (.pdf)", en: "Export the table (.xlsx, .csv) or a price list (.pdf)")
            : Localized(ro: "Export tabel (.xlsx sau .csv)", en: "Export the table (.xlsx or .csv)")
        overlay = .dialog(Dialog(title: title,
                                 purpose: .export, form: form, language: language))
    }

    /// Import date: the file (F3 completes its name), the folder for rows that
    /// name none, what to do with duplicates and bad rows; then a preview.
    mutating func openImport(_ options: ImportPreview.Options? = nil) {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        let duplicates = [FormField.Choice("skip", t("se sar", "skip")), FormField.Choice("update", t("se actualizează", "update")),
                          FormField.Choice("create", t("se adaugă oricum", "add anyway"))]
        let form = Form(fields: [
            FormField(id: "file", label: t("Fișier (.xlsx, .csv)", "File (.xlsx, .csv)"), value: options?.path ?? home + "/", mandatory: true),
            FormField(id: "folder", label: t("Dosar implicit", "Default folder"), value: options?.folder ?? ""),
            FormField(id: "duplicates", label: t("Conturi existente", "Existing accounts"), kind: .choice(duplicates),
                      value: options?.onDuplicate.rawValue ?? "skip"),
            FormField(id: "skip", label: t("Sari rândurile greșite", "Skip bad rows"), kind: .checkbox, value: options?.skipInvalid == true ? "da" : "nu"),
            FormField(id: "dry", label: t("Doar probă", "Dry run only"), kind: .checkbox, value: options?.dryRun == true ? "da" : "nu"),
        ])
        overlay = .dialog(Dialog(title: Localized(ro: "Import date (coloanele șablonului; F3 completează numele)",
                                                  en: "Import data (the template's columns; F3 completes the name)"),
                                 purpose: .importFile, form: form, language: language))
    }

    /// Salvare șablon de import: where to write the template (.xlsx or .csv) of
    /// the page's import — accounts, or on Produse the catalogue's columns.
    mutating func openTemplate() {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        let catalogue = products != nil
        let name = catalogue ? t("Produse-sablon", "Products-template") : t("Conturi-sablon", "Accounts-template")
        let form = Form(fields: [FormField(id: "file", label: t("Fișier", "File"), value: "\(home)/\(name).xlsx", mandatory: true)])
        overlay = .dialog(Dialog(title: catalogue ? Localized(ro: "Salvare șablon de import produse", en: "Save the products import template")
                                     : Localized(ro: "Salvare șablon de import", en: "Save the import template"),
                                 purpose: catalogue ? .productTemplate : .importTemplate, form: form, language: language))
    }

    /// Runs an import as a job: a progress bar, Esc rolls it all back.
    mutating func startImport(_ options: ImportPreview.Options) {
        let (crm, actor, language) = (self.crm, self.actor, self.language)
        let name = URL(fileURLWithPath: options.path).lastPathComponent
        overlay = .progress(Job(title: Localized(ro: "Import \(name)", en: "Importing \(name)")) { progress in
            let custom = try crm.customColumns(entity: "account", for: actor)
            let records = try TableFiles.reader(path: options.path)
            defer { records.close() }
            let rows = try AccountRowReader(records, custom: custom)
            let rejectsPath = URL(fileURLWithPath: options.path).deletingPathExtension().path + "-respinse.xlsx"
            let report: ImportReport
            do {
                report = try crm.importAccounts(from: rows.next, folder: options.folder, onDuplicate: options.onDuplicate,
                                                skipInvalid: options.skipInvalid, dryRun: options.dryRun, by: actor) { n in
                    let fraction = max(records.fraction, 0.0001)
                    return progress(n, max(n, Int(Double(n) / fraction)))
                }
            } catch CoreError.importRefused(let rejected) {
                // Every bad row, with its reason, where the person can fix them.
                try TableImport.writeRejects(rejected, header: rows.header, to: rejectsPath, language: language)
                throw CoreError.refused(Localized(
                    ro: "\(rejected.count) rânduri greșite; nu s-a importat nimic. Rândurile și motivele: \(rejectsPath)",
                    en: "\(rejected.count) bad rows; nothing was imported. The rows and the reasons: \(rejectsPath)"))
            }
            if !report.rejected.isEmpty && !report.dryRun {
                try TableImport.writeRejects(report.rejected, header: rows.header, to: rejectsPath, language: language)
            }
            let prefix = report.dryRun ? Localized(ro: "Probă (nimic scris): ", en: "Dry run (nothing written): ") : Localized(ro: "", en: "")
            let rejects = report.rejected.isEmpty || report.dryRun ? Localized(ro: "", en: "")
                : Localized(ro: "; cele refuzate: \(rejectsPath)", en: "; the refused ones: \(rejectsPath)")
            return Localized(
                ro: prefix.ro + "\(report.added) adăugate, \(report.updated) actualizate, \(report.skipped) sărite, \(report.rejected.count) refuzate" + rejects.ro,
                en: prefix.en + "\(report.added) added, \(report.updated) updated, \(report.skipped) skipped, \(report.rejected.count) refused" + rejects.en)
        })
    }

    /// Unificare duplicate: the selected accounts side by side (the one under
    /// the cursor stays, when it is among them).
    mutating func openMerge() {
        let chosen = marked.values.sorted { $0.record.name < $1.record.name }
        guard chosen.count >= 2 else {
            message = t("Selectați (Space) cel puțin două conturi de unificat", "Select (Space) at least two accounts to merge")
            return
        }
        let current = selectedAccount.flatMap { a in chosen.first { $0.record.meta?.id == a.record.meta?.id } } ?? chosen[0]
        let others = chosen.filter { $0.record.meta?.id != current.record.meta?.id }
        openMerge(survivor: current.record.meta!.uuid.description, others: others.map { $0.record.meta!.uuid.description })
    }

    mutating func openMerge(survivor: String, others: [String]) {
        let (crm, actor) = (self.crm, self.actor)
        if let plan = attempt(nil, { try crm.mergePlan(survivor: survivor, others: others, for: actor) }) {
            overlay = .merge(MergeView(plan: plan))
        }
    }

    /// Anulare unificare: the last merge this user made, undone.
    mutating func undoMerge() {
        let (crm, actor) = (self.crm, self.actor)
        if let id = attempt(nil, { try crm.undoMerge(nil, by: actor) }) {
            message = t("Unificarea #\(id) a fost anulată: conturile sunt ca înainte", "Merge #\(id) undone: the accounts are as they were")
            reloadAfterChange(keeping: selectedAccount)
        }
    }

    mutating func openSettings() {
        let form = Form(fields: [
            FormField(id: "theme", label: t("Temă", "Theme"), kind: .choice(Resources.themeNames.map { FormField.Choice($0) }),
                      value: appearance.theme),
            FormField(id: "keymap", label: t("Taste", "Key map"), kind: .choice(Resources.keymapNames.map { FormField.Choice($0) }),
                      value: appearance.keymap),
            FormField(id: "language", label: t("Limbă", "Language"),
                      kind: .choice([FormField.Choice("ro", "Română"), FormField.Choice("en", "English")]), value: language.rawValue),
        ])
        overlay = .dialog(Dialog(title: Localized(ro: "Setări utilizator", en: "User settings"), purpose: .settings, form: form,
                                 language: language))
    }

    // MARK: - Keys in a dialog

    /// Routes a key: the contact form over the contacts page first, then the
    /// contacts page or the fields. Returns the effect of a save.
    mutating func updateDialog(_ dialog: inout Dialog, _ key: Key) -> Effect {
        let action = keymap.action(for: key, in: .dialog)
        if dialog.confirmingDiscard {
            dialog.confirmingDiscard = false
            if [.char("d"), .char("D"), .char("y"), .char("Y")].contains(key) {
                if dialog.purpose.isUsers { openUsers() } else if dialogReturn != nil { returnFromDialog(dialog.purpose) } else { overlay = nil }
            }
            return .none
        }
        if var contactForm = dialog.contactForm {
            switch contactForm.handle(key, action: action) {
            case .save: dialog.contactForm = contactForm; dialog.keepContact(crm: crm, language: language)
            case .cancel: dialog.contactForm = nil
            case .none, .unhandled: dialog.contactForm = contactForm
            }
            return .none
        }
        if dialog.isAccount && action == "dialog.page" { dialog.page = 1 - dialog.page; return .none }
        if dialog.purpose == .filter && (action == "criterion.add" || action == "criterion.remove") && dialog.form.popup == nil {
            var current = Self.filter(from: dialog.form)
            let focusID = dialog.form.focusedField?.id ?? ""
            let row = Int(focusID.split(separator: ".").last ?? "") ?? -1
            var all = (0..<max(1, dialog.form.fields.filter { $0.id.hasPrefix("column.") }.count)).map { i in
                Criterion(dialog.form.value("column.\(i)"), Criterion.Op(rawValue: dialog.form.value("op.\(i)")) ?? .contains,
                          [dialog.form.value("value.\(i)")].filter { !$0.isEmpty })
            }
            if action == "criterion.add" { all.append(Criterion("", .contains)) } else if all.indices.contains(row) { all.remove(at: row) }
            current.criteria = all
            var form = filterForm(current, name: dialog.form.value("name"))
            let target = action == "criterion.add" ? "column.\(all.count - 1)" : "column.\(max(0, min(row, all.count - 1)))"
            form.focus = form.fields.firstIndex { $0.id == target } ?? 0
            dialog.form = form
            return .none
        }
        if action == "dialog.cancel" && dialog.form.popup == nil {
            if dialog.isDirty {
                dialog.confirmingDiscard = true
            } else if dialog.purpose == .columnAdd || dialog.purpose.isColumnRename {
                openFields()
            } else if dialog.purpose.isUsers {
                openUsers()
            } else if case .stageAdd(let kind) = dialog.purpose {
                openStages(kind)
            } else if dialogReturn != nil {
                returnFromDialog(dialog.purpose)
            } else {
                overlay = nil
            }
            return .none
        }
        if action == "dialog.save" && dialog.form.popup == nil { return save(&dialog) }
        if action == "field.editor", dialog.page == 0, dialog.form.popup == nil, let field = dialog.form.focusedField,
           case .multiline = field.kind {
            editingField = field.id
            return .editText(field.value)
        }
        if dialog.page == 1 {
            switch key {
            case .up: dialog.contactIndex = max(0, dialog.contactIndex - 1)
            case .down: dialog.contactIndex = min(max(0, dialog.contacts.count - 1), dialog.contactIndex + 1)
            case .insert, .char("+"): dialog.openContact(nil, language: language)
            case .enter, .function(4):
                if dialog.contacts.indices.contains(dialog.contactIndex) { dialog.openContact(dialog.contactIndex, language: language) }
            case .delete, .char("-"): dialog.toggleDeleted(dialog.contactIndex)
            case .char("*"), .char(" "): dialog.star(dialog.contactIndex)
            default: break
            }
            return .none
        }
        if action == "field.pick", dialog.form.popup == nil, let id = dialog.form.focusedField?.id {
            if case .sendEmail = dialog.purpose, id == "to" || id == "cc" { addContactAddress(&dialog, field: id); return .none }
            if case .emailTemplate = dialog.purpose, id == "body" { previewEmailTemplate(dialog); return .none }
        }
        let attaching: Bool
        switch dialog.purpose {
        case .note, .noteFiles, .sendEmail, .emailTemplate: attaching = true
        default: attaching = false
        }
        if case .mailListImport = dialog.purpose, action == "field.pick", dialog.form.focusedField?.id == "file" {
            let (text, candidates) = PathCompletion.complete(dialog.form.value("file"), extensions: ["xlsx", "csv", "xlsm", "txt", "tsv"])
            dialog.form.set("file", text)
            dialog.form.message = candidates.count > 1 ? candidates.prefix(12).joined(separator: "  ") + (candidates.count > 12 ? " …" : "")
                : candidates.isEmpty ? t("Niciun fișier .xlsx sau .csv nu începe așa", "No .xlsx or .csv file starts so") : nil
            return .none
        }
        if ([.importFile, .importTemplate, .productImport, .productTemplate].contains(dialog.purpose) || attaching) && action == "field.pick"
            && ["file", "path", "load"].contains(dialog.form.focusedField?.id) {
            let id = dialog.form.focusedField!.id
            let (text, candidates) = PathCompletion.complete(dialog.form.value(id),
                                                             extensions: attaching ? nil : ["xlsx", "csv", "xlsm", "txt", "tsv"])
            dialog.form.set(id, text)
            dialog.form.message = candidates.count > 1 ? candidates.prefix(12).joined(separator: "  ") + (candidates.count > 12 ? " …" : "")
                : candidates.isEmpty ? t("Niciun fișier .xlsx sau .csv nu începe așa", "No .xlsx or .csv file starts so") : nil
            return .none
        }
        _ = dialog.form.handle(key, action: action)
        refillEmail(&dialog)
        dialog.form.settle(in: dialog.formArea(width: width, height: height))
        return .none
    }

    /// Saves a dialog through the core; on a problem the dialog stays open with
    /// the core's messages under the fields.
    mutating func save(_ dialog: inout Dialog) -> Effect {
        let (crm, actor) = (self.crm, self.actor)
        let form = dialog.form
        do {
            switch dialog.purpose {
            case .account(let uuid, let version):
                var input = AccountInput()
                for field in uuid == nil ? form.fields.filter({ !$0.value.isEmpty }) : form.changed {
                    if field.id.hasPrefix("custom.") {
                        input.custom[String(field.id.dropFirst(7))] = field.value
                    } else if let standard = AccountField(rawValue: field.id) {
                        input.fields[standard] = field.value
                    }
                }
                let drafts = dialog.changedContacts
                let saved: AccountRecord
                if let uuid {
                    saved = try crm.editAccount(uuid, input, expectedVersion: version, contacts: drafts, by: actor).0
                } else {
                    saved = try crm.addAccount(input, contacts: drafts, by: actor)
                }
                overlay = nil
                let name = saved.name
                message = t("Cont salvat: \(name)", "Account saved: \(name)")
                focus = .accounts
                reloadAfterChange(keeping: nil, uuid: saved.meta?.uuid.description)
            case .folderAdd:
                let node = try crm.addFolder(name: form.value("name"), parent: form.value("parent"), by: actor)
                overlay = nil
                message = t("Dosar adăugat: \(node.path)", "Folder added: \(node.path)")
                reloadFolders(select: node.path)
            case .folderRename(let path):
                try crm.renameFolder(path: path, to: form.value("name"), by: actor)
                overlay = nil
                let renamed = String(path.split(separator: "/").dropLast().joined(separator: "/")) + "/" + form.value("name")
                message = t("Dosar redenumit", "Folder renamed")
                reloadFolders(select: renamed)
            case .folderMove(let path):
                try crm.moveFolder(path: path, to: form.value("parent"), by: actor)
                overlay = nil
                message = t("Dosar mutat", "Folder moved")
                reloadFolders(select: form.value("parent") + "/" + (path.split(separator: "/").last.map(String.init) ?? ""))
            case .moveAccounts(let uuids):
                let target = form.value("folder")
                let count = uuids.count
                overlay = .progress(Job(title: Localized(ro: "Mutare \(count) conturi", en: "Moving \(count) accounts")) { progress in
                    let n = try crm.moveAccounts(uuids, toFolder: target, by: actor, progress: progress)
                    return Localized(ro: "\(n) conturi mutate în \(target)", en: "\(n) accounts moved to \(target)")
                })
            case .export:
                let path = (form.value("file") as NSString).expandingTildeInPath
                let (bom, language) = (form.value("bom") == "da", self.language)
                if let table = tablePage {
                    guard let job = table.exportJob(to: path, search: searchText, excelBOM: bom, crm: crm, actor: actor, language: language) else {
                        dialog.form.show(errors: ["file": table.exportFormats.text(language)])
                        return .none
                    }
                    overlay = .progress(job)
                    return .none
                }
                guard let format = ExportFormat(path: path) else {
                    dialog.form.show(errors: ["file": t("Numele fișierului se termină cu .xlsx sau .csv", "The file name ends in .xlsx or .csv")])
                    return .none
                }
                let (view, columns) = (self.view, table.visible(allColumns))
                overlay = .progress(Job(title: Localized(ro: "Export în \(path)", en: "Exporting to \(path)")) { progress in
                    let n = try TableExport.accounts(view, columns: columns, format: format, to: path, excelBOM: bom, crm: crm,
                                                     actor: actor, language: language, progress: progress)
                    return Localized(ro: "\(n) conturi exportate în \(path)", en: "\(n) accounts exported to \(path)")
                })
            case .importFile:
                let options = ImportPreview.Options(
                    path: (form.value("file").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath,
                    folder: form.value("folder").trimmingCharacters(in: .whitespaces).isEmpty ? nil : form.value("folder"),
                    onDuplicate: DuplicatePolicy(rawValue: form.value("duplicates")) ?? .skip,
                    skipInvalid: form.value("skip") == "da", dryRun: form.value("dry") == "da")
                guard FileManager.default.isReadableFile(atPath: options.path) else {
                    dialog.form.show(errors: ["file": t("Fișierul nu există sau nu se poate citi (F3 completează numele)",
                                                        "The file does not exist or cannot be read (F3 completes the name)")],
                                     message: t("Un fișier nou se face din șablon: Salvare șablon de import (Ctrl+P)",
                                                "Start a new file from the template: Save the import template (Ctrl+P)"))
                    return .none
                }
                let custom = try crm.customColumns(entity: "account", for: actor)
                overlay = .importPreview(try ImportPreview.load(options, custom: custom))
            case .importTemplate:
                let path = (form.value("file").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
                try AccountTemplate.write(to: path, crm: crm, actor: actor)
                overlay = nil
                message = t("Șablon scris: \(path) — completați-l și importați-l cu Import date", "Template written: \(path) — fill it in and import it with Import data")
            case .filter:
                let new = Self.filter(from: form)
                // Checked by the core before it is applied or saved.
                if let table = tablePage { try table.check(new) } else { _ = try new.sql(columns: allColumns) }
                let name = form.value("name").trimmingCharacters(in: .whitespaces)
                if !name.isEmpty {
                    try crm.saveFilter(name, table: tableName, new, shared: form.value("shared") == "da", by: actor)
                }
                overlay = nil
                applyFilter(new, name: name.isEmpty ? nil : name)
                message = new.criteria.isEmpty ? t("Fără filtru", "No filter")
                    : t("Filtru aplicat", "Filter applied") + (name.isEmpty ? "" : t(" și salvat: \(name)", " and saved: \(name)"))
            case .columnAdd:
                let type = CustomColumnType(rawValue: form.value("type")) ?? .text
                let choices = form.value("choices").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let added = try crm.addCustomColumn(entity: fieldsEntity, label: form.value("label"), type: type, choices: choices,
                                                    mandatory: form.value("mandatory") == "da", unique: form.value("unique") == "da", by: actor)
                openFields(cursor: Int.max, message: t("Coloană adăugată: \(added.label)", "Column added: \(added.label)"))
            case .columnRename(let key):
                try crm.renameCustomColumn(entity: fieldsEntity, key: key, to: form.value("label"), by: actor)
                openFields(message: t("Coloană redenumită", "Column renamed"))
            case .userAdd, .userEdit, .userRights, .userModules:
                try saveUser(&dialog)
            case .workItem, .note:
                try saveWork(&dialog)
            case .noteFiles(let files):
                return try saveNoteFile(&dialog, files)
            case .offerPrint(let uuid):
                return try printOffer(&dialog, uuid)
            case .offerTemplate(let name):
                try saveOfferTemplate(&dialog, name)
            case .sendEmail(let account, let item, _):
                try sendEmail(&dialog, account: account, item: item)
            case .emailTemplate(let name):
                try saveEmailTemplate(&dialog, name)
            case .mailListAdd(let uuids):
                try saveMailListAdd(&dialog, uuids)
            case .mailListNew, .mailListAddresses, .mailListImport, .suppressionAdd:
                try saveMailListDialog(&dialog)
            case .campaignAdd:
                try saveCampaignAdd(&dialog)
            case .campaignExport(let campaign, let group):
                try saveCampaignExport(&dialog, campaign: campaign, group: group)
            case .mailBlock(let index, _):
                try saveBlock(&dialog, index: index)
            case .blockTemplateSave:
                try saveBlockTemplateAs(&dialog)
            case .panelExport(let panel):
                try savePanelExport(&dialog, panel)
            case .panelSettings(let panel):
                try savePanelSettings(&dialog, panel)
            case .routePDF:
                try saveRoutePDF(&dialog)
            case .webFormSettings, .webFormField, .webFormPreset:
                saveDesignerDialog(&dialog)
            case .webFormGenerate(let name):
                try saveGenerate(&dialog, name)
            case .rowsExport(let title, let headers, let rows):
                guard let (path, format) = exportTarget(&dialog) else { return .none }
                try crm.policy.authorize(actor, .export, .dashboard)
                try TableExport.rows(rows.map { $0.map(CellValue.text) }, labels: headers, widths: headers.map { _ in 24 },
                                     sheet: title, format: format, to: path, language: language)
                returnFromDialog(nil)
                message = t("\(rows.count) rânduri exportate în \(path)", "\(rows.count) rows exported to \(path)")
            case .notesExport(let search, let type):
                try exportNotes(&dialog, search: search, type: type)
            case .seriesAdd:
                let added = try crm.addInvoiceSeries(InvoiceKind(rawValue: form.value("kind")) ?? .fiscal, prefix: form.value("prefix"),
                                                     yearly: form.value("yearly") == "da", by: actor)
                openSeries(cursor: Int.max, message: t("Serie adăugată: \(added.prefix)", "Series added: \(added.prefix)"))
            case .emailSettings:
                var changes: [EmailField: String] = [:]
                // Settings saved under the other scope take every field shown, not only the changed ones.
                let moved = form.value("scope") != form.originalValue("scope")
                for field in moved ? form.fields : form.changed { if let f = EmailField(rawValue: field.id) { changes[f] = field.value } }
                let password = form.value("password")
                try crm.setEmailSettings(changes, password: password.isEmpty ? nil : password, mine: form.value("scope") == "mine", by: actor)
                overlay = nil
                message = t("Setările de e-mail au fost salvate", "The e-mail settings were saved")
            case .company:
                var changes: [CompanyProfile.Field: String] = [:]
                for field in form.changed { if let f = CompanyProfile.Field(rawValue: field.id) { changes[f] = field.value } }
                let path = (form.value("logo").trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
                var logo: [UInt8]?
                if !form.value("logo").trimmingCharacters(in: .whitespaces).isEmpty {
                    guard let data = FileManager.default.contents(atPath: path) else {
                        dialog.form.show(errors: ["logo": t("Fișierul nu există sau nu se poate citi", "The file does not exist or cannot be read")])
                        return .none
                    }
                    logo = [UInt8](data)
                }
                try crm.setCompanyProfile(changes, logo: logo, by: actor)
                overlay = nil
                message = t("Datele firmei au fost salvate", "The company's details were saved")
            case .vatAdd:
                let added = try crm.addVATRate(name: form.value("name"), percent: form.value("percent"), exempt: form.value("exempt") == "da",
                                               by: actor)
                openVATRates(cursor: Int.max, message: t("Cotă adăugată: \(added.name)", "Rate added: \(added.name)"))
            case .product, .productImport, .productTemplate:
                return try saveProductDialog(&dialog)
            case .invoicePrint, .invoicePost, .invoicePay, .invoiceXML:
                return try saveInvoiceDialog(&dialog)
            case .ledgerPeriod, .ledgerExport, .ledgerAdd, .expenseAdd, .expensePay:
                return try saveLedgerDialog(&dialog)
            case .stageAdd(let kind):
                try crm.addStage(kind, name: form.value("name"), won: form.value("end") == "won", lost: form.value("end") == "lost", by: actor)
                openStages(kind, cursor: Int.max, message: t("Stadiu adăugat", "Stage added"))
            case .settings:
                overlay = nil
                return apply(Appearance(theme: form.value("theme"), keymap: form.value("keymap"),
                                        language: Language(rawValue: form.value("language")) ?? language))
            }
        } catch CoreError.invalid(let issues) {
            var errors: [String: String] = [:]
            var other: [String] = []
            for issue in issues {
                var field = issue.field
                if dialog.purpose == .filter {
                    // A criterion's problem goes under its value (or its field, for an unknown column).
                    let criteria = Self.filter(from: form).criteria
                    if field.hasPrefix("criteria["), let n = Int(field.dropFirst(9).dropLast()) { field = "column.\(n - 1)" }
                    else if let n = criteria.firstIndex(where: { $0.column == field }) { field = "value.\(n)" }
                }
                let id = form.fields.contains { $0.id == field } ? field
                    : form.fields.contains { $0.id == "custom." + field } ? "custom." + field : nil
                if let id { errors[id] = issue.message(language) } else { other.append(issue.message(language)) }
            }
            dialog.form.show(errors: errors, message: other.first)
            if errors.isEmpty && !other.isEmpty && dialog.isAccount { dialog.page = 1 } else { dialog.page = 0 }
        } catch CoreError.store(.staleVersion(let entity, _, _, _)) where entity == AccountRecord.table {
            return resolveConflict(&dialog)
        } catch CoreError.store(.staleVersion(let entity, _, _, _)) where entity == ContactRecord.table {
            return resolveContactConflict(&dialog)
        } catch {
            dialog.form.show(errors: [:], message: describe(error))
        }
        return .none
    }

    /// The text back from the user's editor, into the field it came from.
    public mutating func edited(_ result: Result<String, ExternalEditor.Failure>) {
        defer { editingField = nil }
        guard case .dialog(var dialog)? = overlay, let id = editingField else { return }
        switch result {
        case .success(let text):
            dialog.form.set(id, text)
            dialog.form.message = nil
        case .failure(let failure):
            dialog.form.message = t("Editorul «\(failure.command)» nu a mers (\(failure.detail)); textul a rămas neschimbat — alegeți altul în $EDITOR",
                                    "The editor «\(failure.command)» failed (\(failure.detail)); the text is unchanged — choose another in $EDITOR")
        }
        overlay = .dialog(dialog)
    }

    /// Someone else saved the account after the dialog opened it: their values
    /// come into the fields this user left alone; where both changed a field
    /// differently, the conflict view asks which value stays. Nothing of theirs
    /// is overwritten without being shown.
    private mutating func resolveConflict(_ dialog: inout Dialog) -> Effect {
        let (crm, actor) = (self.crm, self.actor)
        guard case .account(let uuid?, _) = dialog.purpose else { return .none }
        let theirs: AccountDetails
        do {
            theirs = try crm.account(uuid, for: actor)
        } catch {
            dialog.form.show(errors: [:], message: describe(error))
            return .none
        }
        let rows = ConflictView.resolve(&dialog, theirs: accountFields(theirs), version: theirs.record.meta?.version)
        let when = theirs.record.meta.map { Timestamp.local($0.updatedAt) } ?? ""
        let by = [theirs.updatedBy, when].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        if rows.isEmpty {
            dialog.form.message = t("Contul a fost salvat între timp de \(by); modificările lor sunt în formular, ale dvs. au rămas — F2 salvează",
                                    "The account was saved meanwhile by \(by); their changes are in the form and yours stayed — F2 saves")
            return .none
        }
        overlay = .conflict(ConflictView(dialog: dialog, rows: rows, changedBy: by))
        return .none
    }

    /// Someone else saved contacts of the account meanwhile: the contacts page
    /// takes their version, keeps this user's changes, and names the contacts
    /// both changed before anything is saved over them.
    private mutating func resolveContactConflict(_ dialog: inout Dialog) -> Effect {
        let (crm, actor) = (self.crm, self.actor)
        guard case .account(let uuid?, _) = dialog.purpose else { return .none }
        do {
            let stored = try crm.contacts(ofAccount: uuid, for: actor).map(ContactDraft.init)
            let both = dialog.rebaseContacts(on: stored)
            dialog.page = 1
            dialog.form.message = both.isEmpty
                ? t("Persoanele de contact au fost modificate între timp de altcineva; lista este actualizată — F2 salvează",
                    "The contacts were changed meanwhile by someone else; the list is up to date — F2 saves")
                : t("Modificate între timp și de altcineva: \(both.joined(separator: ", ")); F2 salvează valorile dvs. peste ale lor, Esc renunță",
                    "Changed meanwhile by someone else too: \(both.joined(separator: ", ")); F2 saves yours over theirs, Esc gives up")
        } catch {
            dialog.form.show(errors: [:], message: describe(error))
        }
        return .none
    }

    private mutating func reloadFolders(select path: String) {
        let (crm, actor) = (self.crm, self.actor)
        folders = attempt(folders) { try crm.folderTree(for: actor) }
        if let index = folders.firstIndex(where: { Fold.key($0.path) == Fold.key(path) }) {
            // Its parents open, so that it shows.
            for parent in folders[..<index] where path.hasPrefix(parent.path + "/") { collapsed.remove(parent.id) }
            folderIndex = index
        }
        selected = 0
        focus = .folders
        load(.first)
    }
}

extension Dialog {
    /// The contacts that differ from what the dialog loaded: new, changed, deleted.
    var changedContacts: [ContactDraft] {
        contacts.filter { draft in
            guard let uuid = draft.uuid else { return !draft.deleted }
            return draft.deleted || draft != originalContact(uuid)
        }
    }
}

extension AccountField {
    /// The fields of the account dialog, in the order people fill them.
    static let formOrder: [AccountField] = [
        .name, .code, .kind, .cui, .tradeRegister, .vatPayer, .address, .city, .county, .country, .zone, .phone,
        .mobile, .email, .website, .iban, .bank, .owner, .folder, .tags, .notes, .coordinates,
    ]
}
