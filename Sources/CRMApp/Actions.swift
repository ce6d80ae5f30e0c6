import CRMCore
import TUIKit

/// The named actions keys are bound to, with what they do in both languages:
/// one table for the dispatcher, the menus, the command palette, the footer and
/// the help screen. `palette` is false for actions that only make sense as a
/// key (moving the cursor, the keys of a dialog).
public enum Actions {
    public struct Action: Sendable {
        public let id: String
        public let text: Localized
        public let palette: Bool
    }

    public static let all: [Action] = [
        Action(id: "help.show", text: Localized(ro: "Ajutor: tastele și ce fac", en: "Help: the keys and what they do"), palette: true),
        Action(id: "menu.open", text: Localized(ro: "Meniul principal", en: "Main menu"), palette: false),
        Action(id: "palette.open", text: Localized(ro: "Paleta de comenzi", en: "Command palette"), palette: false),
        Action(id: "app.quit", text: Localized(ro: "Ieșire din program", en: "Quit"), palette: true),
        Action(id: "settings.open", text: Localized(ro: "Setări utilizator (temă, taste, limbă)", en: "User settings (theme, keys, language)"), palette: true),
        Action(id: "focus.next", text: Localized(ro: "Panoul următor", en: "Next pane"), palette: false),
        Action(id: "focus.previous", text: Localized(ro: "Panoul anterior", en: "Previous pane"), palette: false),
        Action(id: "cursor.up", text: Localized(ro: "Rândul de sus", en: "Row up"), palette: false),
        Action(id: "cursor.down", text: Localized(ro: "Rândul de jos", en: "Row down"), palette: false),
        Action(id: "cursor.page_up", text: Localized(ro: "Pagina anterioară", en: "Page up"), palette: false),
        Action(id: "cursor.page_down", text: Localized(ro: "Pagina următoare", en: "Page down"), palette: false),
        Action(id: "cursor.first", text: Localized(ro: "Primul rând", en: "First row"), palette: true),
        Action(id: "cursor.last", text: Localized(ro: "Ultimul rând", en: "Last row"), palette: true),
        Action(id: "tree.collapse", text: Localized(ro: "Restrângere dosar", en: "Collapse folder"), palette: false),
        Action(id: "tree.expand", text: Localized(ro: "Extindere dosar", en: "Expand folder"), palette: false),
        Action(id: "page.accounts", text: Localized(ro: "Pagina Clienți", en: "The Clients page"), palette: true),
        Action(id: "page.opportunities", text: Localized(ro: "Pagina Oportunități", en: "The Opportunities page"), palette: true),
        Action(id: "page.activities", text: Localized(ro: "Pagina Activități", en: "The Activities page"), palette: true),
        Action(id: "page.products", text: Localized(ro: "Pagina Produse (nomenclator)", en: "The Products page (catalogue)"), palette: true),
        Action(id: "page.invoices", text: Localized(ro: "Pagina Facturi", en: "The Invoices page"), palette: true),
        Action(id: "page.ledger", text: Localized(ro: "Pagina Contabilitate (fișe de cont)", en: "The Ledger page (account statements)"), palette: true),
        Action(id: "dashboard.open", text: Localized(ro: "Tablou de bord: rândurile numărului ales", en: "Dashboard: the rows of the chosen number"),
               palette: true),
        Action(id: "dashboard.export", text: Localized(ro: "Tablou de bord: exportă panoul în Excel", en: "Dashboard: export the panel to Excel"),
               palette: true),
        Action(id: "dashboard.settings", text: Localized(ro: "Tablou de bord: setările panoului (utilizatori, interval, stadii…)",
                                                         en: "Dashboard: the panel's settings (users, interval, stages…)"), palette: true),
        Action(id: "dashboard.arrange", text: Localized(ro: "Setări tablou de bord: panouri afișate și ordinea lor",
                                                        en: "Dashboard settings: the panels shown and their order"), palette: true),
        Action(id: "dashboard.reconcile", text: Localized(ro: "Tablou de bord: corelare sold", en: "Dashboard: reckon the balances again"),
               palette: true),
        Action(id: "dashboard.reload", text: Localized(ro: "Tablou de bord: citește din nou panourile", en: "Dashboard: read the panels again"),
               palette: true),
        Action(id: "page.dashboard", text: Localized(ro: "Tablou de bord (planificare, vânzări, acțiuni, portofolii, balanță, hartă vizite)",
                                                     en: "The Dashboard (planning, sales, actions, portfolios, balance, visit map)"), palette: true),
        Action(id: "invoice.add", text: Localized(ro: "Adăugare factură venit (pe oportunitatea aleasă sau pentru un client)",
                                                  en: "Add an invoice (on the chosen opportunity or for a client)"), palette: true),
        Action(id: "invoice.proforma", text: Localized(ro: "Adăugare factură proformă", en: "Add a proforma invoice"), palette: true),
        Action(id: "invoice.fiscal", text: Localized(ro: "Factură fiscală din proforma aleasă", en: "An invoice from the chosen proforma"), palette: true),
        Action(id: "invoice.post", text: Localized(ro: "Înregistrare venit (factura aleasă în contabilitate)", en: "Post the chosen invoice's revenue"),
               palette: true),
        Action(id: "invoice.pay", text: Localized(ro: "Înregistrare încasare (la factura aleasă)", en: "Record a payment (of the chosen invoice)"),
               palette: true),
        Action(id: "invoice.cancel", text: Localized(ro: "Anulare factură (factură storno)", en: "Cancel the invoice (a storno)"), palette: true),
        Action(id: "invoice.efactura", text: Localized(ro: "e-Factura: fișierul XML al facturii", en: "e-Factura: the invoice's XML file"), palette: true),
        Action(id: "expense.add", text: Localized(ro: "Factură cheltuială (de la un furnizor)", en: "A supplier's invoice (expense)"), palette: true),
        Action(id: "expense.pay", text: Localized(ro: "Înregistrare plată (către un furnizor)", en: "Record a payment to a supplier"), palette: true),
        Action(id: "ledger.add", text: Localized(ro: "Adăugare cont (venituri, cheltuieli, casă, bancă)", en: "Add an account (revenue, expense, cash, bank)"),
               palette: true),
        Action(id: "ledger.period", text: Localized(ro: "Perioada fișei de cont", en: "The statement's period"), palette: true),
        Action(id: "ledger.reconcile", text: Localized(ro: "Corelare sold", en: "Reconcile the balances"), palette: true),
        Action(id: "search.start", text: Localized(ro: "Căutare", en: "Search"), palette: true),
        Action(id: "record.add", text: Localized(ro: "Adăugare cont", en: "Add account"), palette: true),
        Action(id: "record.open", text: Localized(ro: "Deschidere (dosar sau cont)", en: "Open (folder or account)"), palette: false),
        Action(id: "record.edit", text: Localized(ro: "Editare cont", en: "Edit account"), palette: true),
        Action(id: "record.delete", text: Localized(ro: "Ștergere cont (sau conturile selectate)", en: "Delete account (or the selected ones)"), palette: true),
        Action(id: "record.move", text: Localized(ro: "Mutare conturi în alt dosar", en: "Move accounts to another folder"), palette: true),
        Action(id: "opportunity.add", text: Localized(ro: "Adăugare Oportunitate", en: "Add opportunity"), palette: true),
        Action(id: "activity.add", text: Localized(ro: "Adăugare Activitate", en: "Add activity"), palette: true),
        Action(id: "offer.edit", text: Localized(ro: "Modificare ofertă (cea aleasă în istoric)", en: "Change an offer (the one chosen in a history)"),
               palette: true),
        Action(id: "offer.add", text: Localized(ro: "Adăugare Ofertă (pe oportunitatea aleasă)", en: "Add an offer (to the chosen opportunity)"),
               palette: true),
        Action(id: "vat.admin", text: Localized(ro: "Cote TVA (admin)", en: "VAT rates (admin)"), palette: true),
        Action(id: "company.admin", text: Localized(ro: "Setări firmă: datele furnizorului pe documente (admin)",
                                                    en: "Company settings: the supplier on documents (admin)"), palette: true),
        Action(id: "email.settings", text: Localized(ro: "Setări e-mail (server, expeditor; ale firmei sau ale dvs.)",
                                                     en: "E-mail settings (server, sender; the company's or yours)"), palette: true),
        Action(id: "email.send", text: Localized(ro: "Trimitere e-mail (contului sau oportunității alese)",
                                                 en: "Send an e-mail (to the chosen account or opportunity)"), palette: true),
        Action(id: "maillist.add", text: Localized(ro: "Adăugare la lista e-mail (conturile marcate)", en: "Add to an e-mail list (the marked accounts)"),
               palette: true),
        Action(id: "campaigns.open", text: Localized(ro: "Campanii e-mail (adăugare, pornire, oprire, anulare, raport)",
                                                     en: "E-mail campaigns (add, start, pause, cancel, report)"), palette: true),
        Action(id: "maillists.open", text: Localized(ro: "Liste e-mail (adrese, import, lista de excludere)",
                                                     en: "E-mail lists (addresses, import, the suppression list)"), palette: true),
        Action(id: "campaign.templates", text: Localized(ro: "Șabloane campanie (blocuri)", en: "Campaign templates (blocks)"), palette: true),
        Action(id: "emailtemplates.admin", text: Localized(ro: "Șabloane e-mail (admin)", en: "E-mail templates (admin)"), palette: true),
        Action(id: "series.admin", text: Localized(ro: "Serii de numerotare facturi (admin)", en: "Invoice numbering series (admin)"), palette: true),
        Action(id: "templates.admin", text: Localized(ro: "Șabloane ofertă (admin)", en: "Offer templates (admin)"), palette: true),
        Action(id: "note.add", text: Localized(ro: "Adăugare Notă (cu fișier)", en: "Add note (with a file)"), palette: true),
        Action(id: "stages.admin", text: Localized(ro: "Stadii oportunități și activități (admin)", en: "Opportunity and activity stages (admin)"),
               palette: true),
        Action(id: "notes.list", text: Localized(ro: "Note și fișiere (toate notele, căutare, export)", en: "Notes and files (every note, search, export)"),
               palette: true),
        Action(id: "tab.work", text: Localized(ro: "Istoric: Oportunități, activități, note", en: "History: opportunities, activities, notes"),
               palette: true),
        Action(id: "contact.add", text: Localized(ro: "Adăugare persoană de contact", en: "Add contact"), palette: true),
        Action(id: "contact.edit", text: Localized(ro: "Editare persoană de contact", en: "Edit contact"), palette: true),
        Action(id: "contact.delete", text: Localized(ro: "Ștergere persoană de contact", en: "Delete contact"), palette: true),
        Action(id: "contact.primary", text: Localized(ro: "Persoană de contact principală (steluța)", en: "Primary contact (the star)"), palette: true),
        Action(id: "folder.add", text: Localized(ro: "Adăugare dosar", en: "Add folder"), palette: true),
        Action(id: "folder.rename", text: Localized(ro: "Redenumire dosar", en: "Rename folder"), palette: true),
        Action(id: "folder.move", text: Localized(ro: "Mutare dosar", en: "Move folder"), palette: true),
        Action(id: "folder.delete", text: Localized(ro: "Ștergere dosar", en: "Delete folder"), palette: true),
        Action(id: "selection.toggle", text: Localized(ro: "Selectare / deselectare rând", en: "Select / unselect row"), palette: false),
        Action(id: "selection.extend_up", text: Localized(ro: "Extindere selecție în sus", en: "Extend selection up"), palette: false),
        Action(id: "selection.extend_down", text: Localized(ro: "Extindere selecție în jos", en: "Extend selection down"), palette: false),
        Action(id: "selection.clear", text: Localized(ro: "Anulare selecție", en: "Clear the selection"), palette: true),
        Action(id: "context.menu", text: Localized(ro: "Meniul contextual", en: "Context menu"), palette: false),
        Action(id: "sort.next", text: Localized(ro: "Ordonare după coloana următoare", en: "Sort by the next column"), palette: true),
        Action(id: "sort.reverse", text: Localized(ro: "Ordine inversă", en: "Reverse the order"), palette: true),
        Action(id: "filter.open", text: Localized(ro: "Filtrare", en: "Filter"), palette: true),
        Action(id: "filter.saved", text: Localized(ro: "Filtre salvate", en: "Saved filters"), palette: true),
        Action(id: "filter.clear", text: Localized(ro: "Anulare filtru", en: "Clear the filter"), palette: true),
        Action(id: "table.columns", text: Localized(ro: "Setări câmpuri vizibile (coloane)", en: "Visible fields (columns)"), palette: true),
        Action(id: "fields.admin", text: Localized(ro: "Setări coloane personalizate și reguli câmpuri (admin)",
                                                   en: "Custom columns and field rules (admin)"), palette: true),
        Action(id: "forms.admin", text: Localized(ro: "Formulare web (admin)", en: "Web forms (admin)"), palette: true),
        Action(id: "sync.now", text: Localized(ro: "Sincronizare acum", en: "Sync now"), palette: true),
        Action(id: "sync.conflicts", text: Localized(ro: "Conflicte sincronizare (admin)", en: "Sync conflicts (admin)"), palette: true),
        Action(id: "users.admin", text: Localized(ro: "Utilizatori și drepturi de acces (admin)", en: "Users and access rights (admin)"),
               palette: true),
        Action(id: "duplicates.account", text: Localized(ro: "Identificare duplicate", en: "Find duplicates of the account"), palette: true),
        Action(id: "duplicates.all", text: Localized(ro: "Duplicate în toată baza", en: "Duplicates in the whole base"), palette: true),
        Action(id: "duplicates.merge", text: Localized(ro: "Unificare duplicate (conturile selectate)", en: "Merge duplicates (the selected accounts)"),
               palette: true),
        Action(id: "duplicates.undo", text: Localized(ro: "Anulare unificare (ultima)", en: "Undo the last merge"), palette: true),
        Action(id: "table.export", text: Localized(ro: "Export tabel (xlsx, csv)", en: "Export the table (xlsx, csv)"), palette: true),
        Action(id: "table.import", text: Localized(ro: "Import date (xlsx, csv)", en: "Import data (xlsx, csv)"), palette: true),
        Action(id: "import.template", text: Localized(ro: "Salvare șablon de import", en: "Save the import template"), palette: true),
        Action(id: "tab.next", text: Localized(ro: "Pagina următoare din istoric", en: "Next history tab"), palette: false),
        Action(id: "tab.previous", text: Localized(ro: "Pagina anterioară din istoric", en: "Previous history tab"), palette: false),
        Action(id: "tab.contacts", text: Localized(ro: "Istoric: Contacte", en: "History: Contacts"), palette: true),
        Action(id: "tab.changes", text: Localized(ro: "Istoric: Modificări", en: "History: Changes"), palette: true),
        Action(id: "theme.next", text: Localized(ro: "Tema următoare", en: "Next theme"), palette: true),
        Action(id: "language.toggle", text: Localized(ro: "Limba: română / engleză", en: "Language: Romanian / English"), palette: true),
        Action(id: "dialog.save", text: Localized(ro: "Salvare (în dialog)", en: "Save (in a dialog)"), palette: false),
        Action(id: "dialog.cancel", text: Localized(ro: "Anulare / închidere", en: "Cancel / close"), palette: false),
        Action(id: "field.next", text: Localized(ro: "Câmpul următor", en: "Next field"), palette: false),
        Action(id: "field.previous", text: Localized(ro: "Câmpul anterior", en: "Previous field"), palette: false),
        Action(id: "field.pick", text: Localized(ro: "Alegere din listă / calendar", en: "Pick from the list / calendar"), palette: false),
        Action(id: "field.editor", text: Localized(ro: "Editare în editorul dvs. ($EDITOR; câmpuri cu mai multe rânduri)",
                                                   en: "Edit in your editor ($EDITOR; multi-line fields)"), palette: false),
        Action(id: "dialog.page", text: Localized(ro: "Pagina următoare a dialogului", en: "Next page of the dialog"), palette: false),
        Action(id: "criterion.add", text: Localized(ro: "Adăugare condiție (în filtru)", en: "Add a criterion (in a filter)"), palette: false),
        Action(id: "criterion.remove", text: Localized(ro: "Ștergere condiție (în filtru)", en: "Remove a criterion (in a filter)"), palette: false),
    ]

    public static let ids: Set<String> = Set(all.map(\.id))

    /// The right an action needs (nil: none beyond opening the page): menus and
    /// the palette leave out what the user may not do, and the core refuses it
    /// whatever the way in.
    public static func requirement(_ id: String) -> (action: CRMCore.Action, module: Module)? {
        switch id {
        case "record.add": return (.add, .accounts)
        case "opportunity.add": return (.add, .opportunities)
        case "activity.add": return (.add, .activities)
        case "note.add", "email.send", "maillist.add", "campaigns.open", "maillists.open", "campaign.templates": return (.edit, .accounts)
        case "offer.add": return (.add, .offers)
        case "offer.edit": return (.edit, .offers)
        case "page.invoices", "page.ledger": return (.view, .invoicing)
        case "page.dashboard", "dashboard.open", "dashboard.settings", "dashboard.arrange", "dashboard.reload": return (.view, .dashboard)
        case "dashboard.export": return (.export, .dashboard)
        case "dashboard.reconcile": return (.edit, .invoicing)
        case "invoice.add", "invoice.proforma", "invoice.fiscal", "invoice.cancel", "invoice.pay", "expense.add", "expense.pay", "ledger.add":
            return (.add, .invoicing)
        case "invoice.post", "invoice.edit", "ledger.reconcile": return (.edit, .invoicing)
        case "invoice.efactura": return (.export, .invoicing)
        case "record.edit", "record.move", "contact.add", "contact.edit", "contact.primary", "folder.add", "folder.rename",
             "folder.move", "duplicates.merge", "duplicates.undo":
            return (.edit, .accounts)
        case "record.delete", "contact.delete", "folder.delete": return (.delete, .accounts)
        case "table.export": return (.export, .accounts)
        case "table.import", "import.template": return (.import, .accounts)
        case "fields.admin", "users.admin", "stages.admin", "templates.admin", "vat.admin", "company.admin", "series.admin", "emailtemplates.admin",
             "forms.admin", "sync.conflicts":
            return (.admin, .administration)
        default: return nil
        }
    }

    public static func description(_ id: String, _ language: Language) -> String? {
        all.first { $0.id == id }?.text.text(language)
    }
}
