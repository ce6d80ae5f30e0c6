import CRMCore
import CRMStore
import CRMText
import Foundation

/// Builds a living Romanian company: zones, users with zones, a folder tree,
/// custom columns, accounts with valid CUIs and IBANs, their contacts, and
/// the work on them — opportunities (about one per five accounts), activities,
/// notes and reminders, dated around the day the demo is made.
/// The same seed always gives the same data.
public struct DemoBuilder {
    public struct Summary: Sendable, Equatable {
        public var accounts = 0
        public var contacts = 0
        public var opportunities = 0
        public var activities = 0
        public var notes = 0
        public var products = 0
        public var offers = 0
        public var invoices = 0
        public var emails = 0
        public var payments = 0
        public var expenses = 0
        public var submissions = 0
        public var folders = 0
        public var users = 0
        public var zones = 0
    }

    let lists: WordLists
    let seed: UInt64

    public init(lists: WordLists, seed: UInt64) {
        self.lists = lists
        self.seed = seed
    }

    /// Rows written per transaction: progress is reported between them.
    static let batchSize = 50_000

    /// `invoicing`: whether invoices, payments and suppliers' invoices are made too.
    public func populate(crm: CRM, admin: Actor, accounts count: Int, invoicing: Bool = true,
                         progress: ((Int) -> Void)? = nil) throws -> Summary {
        let existing = try crm.accountCount(for: admin)
        guard existing == 0 else { throw DemoError.notEmpty(accounts: existing) }
        var summary = Summary()

        let regions = lists.counties.map(\.region).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let knownZones = Set(try crm.zones().map(\.name))
        for region in regions where !knownZones.contains(region) {
            try crm.addZone(name: region, by: admin)
            summary.zones += 1
        }
        for u in lists.users where try !crm.users().contains(where: { $0.login == u.login }) {
            try crm.addUser(UserRecord(login: u.login, name: u.name, email: u.email), zones: u.zones, by: admin)
            summary.users += 1
        }
        var created = Set<String>()
        for (path, _) in lists.folders {
            let parts = path.components(separatedBy: "/")
            for depth in 1...parts.count {
                let sub = parts[0..<depth].joined(separator: "/")
                if created.contains(sub) { continue }
                created.insert(sub)
                if (try? crm.folder(path: sub)) == nil {
                    try crm.addFolder(name: parts[depth - 1], parent: parts[0..<(depth - 1)].joined(separator: "/"), by: admin)
                    summary.folders += 1
                }
            }
        }
        if try crm.customColumns(entity: "account", for: admin).isEmpty {
            try crm.addCustomColumn(entity: "account", label: "Nr. angajați", type: .number, by: admin)
            try crm.addCustomColumn(entity: "account", label: "Sursă", type: .choice,
                                    choices: Self.sources, by: admin)
            try crm.addCustomColumn(entity: "account", label: "Client din", type: .date, by: admin)
            try crm.addCustomColumn(entity: "account", label: "Newsletter", type: .bool, by: admin)
        }

        if try crm.companyProfile()[.name] == nil {
            try crm.setCompanyProfile([.name: "Carpatic Soft SRL", .cui: "RO14399840", .tradeRegister: "J40/8752/2001",
                                       .vatPayer: "da", .address: "Str. Mihai Eminescu nr. 10, Sector 2", .city: "București", .county: "București",
                                       .phone: "+40213101010", .email: "office@carpaticsoft.ro", .website: "www.carpaticsoft.ro",
                                       .iban: "RO49AAAA1B31007593840000", .bank: "Banca Transilvania"], by: admin)
        }
        if try crm.count(ProductView(), for: admin) == 0 {
            summary.products = try crm.importProducts(DemoCatalogue.rows(), by: admin).added
        }

        // One thread makes the records (in seed order, so the result is the same
        // every time) while this one writes them: on two cores, generating and
        // inserting overlap.
        // A company of some size has had visitors on its site: their new accounts are part of the count.
        let generated = count - (count >= Self.visitorsFrom ? Self.visitors.filter(\.isNew).count : 0)
        let context = try Context(crm: crm, lists: lists, admin: admin)
        // Room for two transactions of chunks, so that the generator never waits for
        // a transaction to end.
        let channel = Channel<Generated>(capacity: 2 * Self.batchSize / Self.chunkSize)
        let seed = self.seed
        let producer = Thread {
            var rng = SeededRandom(seed: seed)
            // The work on the accounts draws from its own stream: the accounts stay
            // what they were for the same seed.
            var work = SeededRandom(seed: seed &+ 0x5EED)
            var next = 0
            while next < generated {
                let n = min(Self.chunkSize, generated - next)
                var accounts: [AccountRecord] = []
                var contacts: [ContactRecord] = []
                var owners: [Int] = []
                var items: [WorkItemRecord] = []
                var itemOwners: [Int] = []
                var notes: [NoteRecord] = []
                var noteOwners: [Int] = []
                for i in next..<(next + n) {
                    let account = context.account(index: i, rng: &rng)
                    for contact in context.contacts(for: account, rng: &rng) {
                        contacts.append(contact)
                        owners.append(accounts.count)
                    }
                    let (accountItems, accountNotes) = context.work(on: account, rng: &work)
                    items += accountItems
                    itemOwners += Array(repeating: accounts.count, count: accountItems.count)
                    notes += accountNotes
                    noteOwners += Array(repeating: accounts.count, count: accountNotes.count)
                    accounts.append(account)
                }
                let chunk = Generated(accounts: PreparedRecords(accounts), contacts: PreparedRecords(contacts),
                                      contactOwners: owners, items: PreparedRecords(items), itemOwners: itemOwners,
                                      notes: PreparedRecords(notes), noteOwners: noteOwners)
                guard channel.put(chunk) else { return }
                next += n
            }
            channel.finish()
        }
        producer.start()
        defer { channel.cancel() }

        try crm.store.deferringIndexes {
            var chunks: [Generated] = []
            var queued = 0
            var finished = false
            while !finished {
                while queued < Self.batchSize, let chunk = channel.take() {
                    chunks.append(chunk)
                    queued += chunk.accounts.count
                }
                finished = queued < Self.batchSize
                if chunks.isEmpty { break }
                let batch = chunks
                chunks = []
                queued = 0
                let counts = try crm.store.write(userID: admin.id, operation: "demo.create") { w -> Summary in
                    var counts = Summary()
                    for var chunk in batch {
                        let saved = try w.insertAll(chunk.accounts)
                        let column = Self.accountColumn
                        for (i, owner) in chunk.contactOwners.enumerated() {
                            chunk.contacts.set(column, of: i, to: .int(saved[owner].id))
                        }
                        for (i, owner) in chunk.itemOwners.enumerated() { chunk.items.set(column, of: i, to: .int(saved[owner].id)) }
                        for (i, owner) in chunk.noteOwners.enumerated() { chunk.notes.set(column, of: i, to: .int(saved[owner].id)) }
                        counts.accounts += saved.count
                        counts.contacts += try w.insertAll(chunk.contacts).count
                        try w.insertAll(chunk.items)
                        counts.notes += try w.insertAll(chunk.notes).count
                    }
                    return counts
                }
                summary.accounts += counts.accounts
                summary.contacts += counts.contacts
                summary.notes += counts.notes
                progress?(summary.accounts)
            }
        }
        let items = try crm.store.read { r in
            (try r.count(WorkItemRecord.self, matching: ["kind": .text("opportunity")]),
             try r.count(WorkItemRecord.self, matching: ["kind": .text("activity")]))
        }
        (summary.opportunities, summary.activities) = items
        summary.offers = try makeOffers(crm: crm, admin: admin)
        summary.emails = try makeEmails(crm: crm, admin: admin)
        if invoicing { (summary.invoices, summary.payments, summary.expenses) = try makeInvoices(crm: crm, admin: admin) }
        let leads = try makeWebForm(crm: crm, admin: admin, visitors: count >= Self.visitorsFrom)
        summary.submissions = leads.submissions
        summary.accounts += leads.accounts
        return summary
    }

    /// Invoices from the offers of opportunities ordered or won (a proforma
    /// first for some), posted to 704 or 707; most paid — some in part, by
    /// bank or cash —, some overdue; one cancelled by a storno. A few suppliers'
    /// invoices posted to expense accounts, most of them paid.
    func makeInvoices(crm: CRM, admin: Actor) throws -> (invoices: Int, payments: Int, expenses: Int) {
        var rng = SeededRandom(seed: seed &+ 0xFAC7)
        let today = String(Timestamp.local(crm.store.now).prefix(10))
        func later(_ day: String, _ days: Int) -> String { min(today, Self.day(day, plus: days)) }
        var invoices = 0, payments = 0, expenses = 0
        var stornoDone = false
        let ordered = Set(try crm.stages(.opportunity).filter { ["Comandă", "Câștigată"].contains($0.name) }.compactMap { $0.meta?.id })
        let offers = try crm.offers(limit: 0, for: admin).filter { ordered.contains($0.item.stageID) }
        for (n, offer) in offers.reversed().enumerated() {
            // Spread over the last four months in the order of their numbers, so that some are overdue.
            let day = Self.day(today, plus: -120 + n * 120 / max(1, offers.count))
            if rng.chance(0.3) {
                try crm.addInvoice(InvoiceInput(kind: .proforma, offer: offer.record.label, day: Self.day(day, plus: -3), dueDays: 10), by: admin)
                invoices += 1
            }
            let invoice = try crm.addInvoice(InvoiceInput(offer: offer.record.label, day: day, dueDays: [15, 30, 45][rng.int(0..<3)],
                                                          delegate: rng.chance(0.3) ? "Andrei Popescu" : nil), by: admin)
            invoices += 1
            try crm.postInvoice(invoice.label, revenueAccount: offer.lines.contains { $0.unit == "buc." } ? "707" : "704", by: admin)
            let roll = rng.int(0..<10)
            if roll < 6 {
                try crm.addPayment(invoice: invoice.label, docType: rng.chance(0.8) ? "ordin de plată" : "chitanță", docNumber: "\(rng.int(100..<9999))",
                                   day: later(day, rng.int(1..<40)), cashAccount: rng.chance(0.8) ? "5121" : "5311", by: admin)
                payments += 1
            } else if roll < 8 {
                try crm.addPayment(invoice: invoice.label, amount: Money.text(invoice.total / 2), docNumber: "\(rng.int(100..<9999))",
                                   day: later(day, rng.int(1..<20)), by: admin)
                payments += 1
            } else if !stornoDone {
                try crm.cancelInvoice(invoice.label, day: day, by: admin)
                invoices += 1
                stornoDone = true
            }
        }
        // Suppliers: a handful of companies the company buys from.
        let suppliers = try crm.accounts(AccountView(), limit: 40, for: admin).accounts.filter { $0.record.kind == "company" }.prefix(4)
        let bought: [(String, String, String)] = [("Găzduire servere", "628", "21"), ("Abonament telefonie", "626", "21"),
                                                  ("Materiale de birou", "604", "21"), ("Mentenanță echipamente", "628", "21")]
        for (n, supplier) in suppliers.enumerated() {
            for month in 1...3 {
                let (what, account, rate) = bought[n % bought.count]
                let net = Int64(rng.int(200..<3000)) * 100
                let vat = net * Int64(rate)! / 100
                let day = Self.day(today, plus: -30 * month)
                let expense = try crm.addExpense(supplier: supplier.record.meta!.uuid.description, number: "F\(rng.int(1000..<99999))", day: day, dueDay: Self.day(day, plus: 15),
                                                 net: Money.text(net), vat: Money.text(vat), expenseAccount: account, description: what, by: admin)
                expenses += 1
                if month > 1 {
                    try crm.payExpense(expense.meta!.uuid.description, day: Self.day(day, plus: 10), by: admin)
                    payments += 1
                }
            }
        }
        return (invoices, payments, expenses)
    }

    /// A day (YYYY-MM-DD) moved by some days.
    static func day(_ iso: String, plus days: Int) -> String { Days.adding(days, to: iso) }

    /// Offers on the newest opportunities that reached Ofertare or beyond (at
    /// most 300): one to six lines of the catalogue each, some with a discount.
    func makeOffers(crm: CRM, admin: Actor) throws -> Int {
        let products = try crm.products(limit: 0, for: admin)
        guard !products.isEmpty else { return 0 }
        var rng = SeededRandom(seed: seed &+ 0x0FFE)
        var made = 0
        for stage in ["Ofertare", "Comandă", "Câștigată"] {
            for item in try crm.workItems(.opportunity, stages: [stage], limit: 100, for: admin) {
                let count = rng.int(1..<7)
                let lines = (0..<count).map { _ -> OfferLineInput in
                    let product = rng.pick(products)
                    return OfferLineInput(product: product.record.code, quantity: "\(rng.int(1..<13))",
                                          discount: rng.chance(0.2) ? "\(rng.int(1..<4) * 5)" : nil)
                }
                try crm.addOffer(to: item.uuid, lines: lines, day: item.record.meta.map { String(Timestamp.iso($0.createdAt).prefix(10)) },
                                 by: admin)
                made += 1
            }
        }
        return made
    }

    /// E-mail: the company's sender, two templates, and the offers sent to
    /// their clients — most opened, some clicked, a few not sent for a refused
    /// connection. The demo's server is cleared afterwards: nothing leaves a
    /// demo for its made-up addresses until someone sets one in Setări e-mail.
    func makeEmails(crm: CRM, admin: Actor) throws -> Int {
        let configured = try crm.emailSettings(for: admin).settings.isComplete
        if !configured {
            try crm.setEmailSettings([.host: "localhost", .port: "25", .security: "none", .from: "vanzari@carpaticsoft.ro",
                                      .fromName: "Carpatic Soft — Vânzări", .replyTo: "office@carpaticsoft.ro"], mine: false, by: admin)
        }
        defer { if !configured { _ = try? crm.setEmailSettings([.host: ""], mine: false, by: admin) } }
        if try crm.emailTemplates(includingRetired: true, for: admin).isEmpty {
            try crm.addEmailTemplate(name: "Ofertă", subject: "Oferta {{offer.number}} pentru {{client.name}}",
                                     body: "Bună ziua, {{client.contact}},\n\nVă trimitem atașat **oferta {{offer.number}}** în valoare de "
                                         + "{{offer.total}} {{offer.currency}}, valabilă până la {{offer.valid}}.\n\nCu stimă,\n{{user.name}}\n*{{company.name}}*",
                                     by: admin)
            try crm.addEmailTemplate(name: "Revenire", subject: "Revenire: {{client.name}}",
                                     body: "Bună ziua, {{client.contact}},\n\nRevin cu privire la discuția noastră. Detalii: https://www.carpaticsoft.ro/servicii"
                                         + "\n\nCu stimă,\n{{user.name}}", by: admin)
        }
        var rng = SeededRandom(seed: seed &+ 0xE3A1)
        var made = 0
        for offer in try crm.offers(limit: 200, for: admin) {
            let uuid = offer.account.meta!.uuid.description
            let contact = try crm.contacts(ofAccount: uuid, for: admin).first { $0.isPrimary && $0.email != nil }
            guard let address = contact?.email ?? offer.account.email else { continue }
            let to = MailboxAddress(address, name: contact?.name).text
            let stored = try crm.recordEmail(EmailDraft(item: offer.item.meta!.uuid.description, offer: offer.uuid, to: [to],
                                                        subject: "Oferta \(offer.record.label) pentru \(offer.account.name)",
                                                        text: "Bună ziua,\n\nVă trimitem oferta \(offer.record.label) în valoare de "
                                                            + "\(Money.text(offer.record.total)) \(offer.record.currency).\n\nCu stimă,\nCarpatic Soft"),
                                             by: admin)
            let refused = rng.chance(0.05)
            try crm.recordEmailOutcome(stored.uuid, messageID: "<demo-\(stored.record.meta!.id)@carpaticsoft.ro>",
                                       failure: refused ? Localized(ro: "nu s-a putut conecta la serverul de e-mail smtp://localhost:25",
                                                                    en: "could not connect to the mail server smtp://localhost:25") : nil,
                                       by: admin)
            if !refused && rng.chance(0.65) {
                let at = crm.store.now
                var hits = (0..<rng.int(1..<4)).map { _ in TrackingHit(email: stored.uuid, isClick: false, at: at) }
                if rng.chance(0.4) { hits.append(TrackingHit(email: stored.uuid, isClick: true, at: at)) }
                try crm.recordTracking(hits)
            }
            made += 1
        }
        try makeCampaign(crm: crm, admin: admin, rng: &rng)
        return made
    }

    /// A list of the first clients with an address, and last month's newsletter
    /// sent to it: most delivered, some opened and clicked, one bounced, one unsubscribed.
    func makeCampaign(crm: CRM, admin: Actor, rng: inout SeededRandom) throws {
        guard try crm.campaigns(for: admin).isEmpty else { return }
        let accounts = try crm.accounts(folder: nil, limit: 60, for: admin).accounts.map { $0.record.meta!.uuid.description }
        let added = try crm.addAccountsToMailList("Newsletter clienți", accounts: accounts, by: admin)
        guard added.added > 0 else { return }
        let links = ["https://www.carpaticsoft.ro/noutati", "https://www.carpaticsoft.ro/oferta-iarna"]
        try crm.saveBlockTemplate("Newsletter", [
            MailBlock(.title, text: "Noutăți Carpatic Soft", align: .center, color: "#0b3d91"),
            MailBlock(.text, text: "Bună ziua, {{client.contact}},\n\nVă prezentăm noutățile lunii: module noi, un curs gratuit și oferta de iarnă."),
            MailBlock(.image, text: "Echipa Carpatic Soft", link: links[0], image: "https://www.carpaticsoft.ro/img/noutati.png"),
            MailBlock(.button, text: "Vezi oferta de iarnă", link: links[1], align: .center),
            MailBlock(.divider),
            MailBlock(.text, text: "Carpatic Soft SRL · Str. Memorandumului 28, Cluj-Napoca", align: .center, color: "#666666"),
        ], by: admin)
        let campaign = try crm.addCampaign(name: "Newsletter noiembrie", list: "Newsletter clienți",
                                           subject: "Noutăți Carpatic Soft pentru {{client.name}}", text: "", blocks: "Newsletter",
                                           intervalMs: 5000, by: admin)
        try crm.startCampaign(campaign.name, by: admin)
        let id = campaign.meta!.id
        var n = 0
        while let recipient = try crm.claimRecipient(campaign: id, by: admin) {
            n += 1
            if n == 7 {
                try crm.recordRecipient(recipient.meta!.id, .bounced(reply: "550 5.1.1 mailbox unavailable"), by: admin)
                continue
            }
            try crm.recordRecipient(recipient.meta!.id, .sent(messageID: "<demo-c\(recipient.meta!.id)@carpaticsoft.ro>"), by: admin)
            if rng.chance(0.5) {
                let at = crm.store.now
                let click = rng.chance(0.3)
                try crm.recordTracking([TrackingHit(email: recipient.meta!.uuid.description, isClick: click, at: at,
                                                    url: click ? links[rng.int(0..<links.count)] : nil)])
            }
            if n == 3 { try crm.unsubscribe(recipient: recipient.meta!.uuid.description) }
        }
        try crm.finishCampaignIfDone(id, by: admin)
    }

    /// The site's contact form (ADM-3), sending leads to Prospecți in
    /// București-Ilfov for its salesman; with `visitors`, the submissions a
    /// few visitors sent through it — one of them a second message from a known address.
    func makeWebForm(crm: CRM, admin: Actor, visitors: Bool) throws -> (submissions: Int, accounts: Int) {
        guard try crm.webForms(for: admin).isEmpty, (try? crm.folder(path: "Prospecți")) != nil else { return (0, 0) }
        let owner = lists.users.first { $0.zones.contains("București-Ilfov") }?.login
        let form = try crm.saveWebForm(WebFormDefinition(
            name: "Formular contact", successMessage: "Vă mulțumim! Un coleg vă contactează în cel mult o zi lucrătoare.",
            errorMessage: "Formularul nu a putut fi trimis. Verificați câmpurile marcate și încercați din nou.",
            site: "https://www.carpaticsoft.ro",
            fields: [WebFormField(label: "Firma", target: "account.name"), WebFormField(label: "CUI", target: "account.cui"),
                     WebFormField(label: "Nume și prenume", target: "contact.name", required: true),
                     WebFormField(label: "E-mail", target: "contact.email", required: true), WebFormField(label: "Telefon", target: "contact.phone"),
                     WebFormField(label: "Județ", target: "account.county"), WebFormField(label: "Mesaj", target: "account.notes")],
            presets: [WebFormPreset(target: "account.folder", value: "Prospecți"), WebFormPreset(target: "account.zone", value: "București-Ilfov")]
                + (owner.map { [WebFormPreset(target: "account.owner", value: $0)] } ?? [])
                + [WebFormPreset(target: "account.tags", value: "formular web")]), by: admin)
        guard visitors else { return (0, 0) }
        var made = 0, accounts = 0
        for visitor in Self.visitors {
            guard let receipt = try? crm.submitWebForm(token: form.token, visitor.fields) else { continue }
            made += 1
            if receipt.outcome == .created { accounts += 1 }
        }
        return (made, accounts)
    }

    /// From how many accounts a demo company has had visitors on its site.
    static let visitorsFrom = 500

    /// What the site's visitors sent, and whether each makes a new account.
    static let visitors: [(fields: [(String, String)], isNew: Bool)] = [
        ([("firma", "Brutăria Țăranului SRL"), ("cui", "34060910"), ("nume_si_prenume", "Ioana Șerban"), ("e_mail", "ioana.serban@brutaria-taranului.ro"),
          ("telefon", "0744 555 666"), ("judet", "Ilfov"), ("mesaj", "Bună ziua, aș dori o demonstrație a modulului de facturare.")], true),
        ([("firma", "Fierăria Bălțătescu"), ("nume_si_prenume", "Mircea Bălțătescu"), ("e_mail", "mircea@fieraria-baltatescu.ro"),
          ("judet", "București"), ("mesaj", "Cât costă licența pentru 3 utilizatori?")], true),
        ([("nume_si_prenume", "Maria Ionescu"), ("e_mail", "maria.ionescu@exemplu.ro"), ("telefon", "0722 123 456"),
          ("mesaj", "Sunt persoană fizică autorizată; se potrivește programul?")], true),
        ([("firma", "Tipografia Ștefănescu SRL"), ("cui", "41478690"), ("nume_si_prenume", "Ștefan Ștefănescu"),
          ("e_mail", "stefan@tipografia-stefanescu.ro"), ("judet", "Prahova"), ("mesaj", "Vă rog o ofertă pentru 5 posturi.")], true),
        ([("nume_si_prenume", "Ioana Șerban"), ("e_mail", "IOANA.SERBAN@brutaria-taranului.ro"), ("mesaj", "Revin: putem programa demonstrația joi?")], false),
    ]

    static let accountColumn = "account_id"

    /// Accounts per chunk handed from the generating thread to the writer.
    static let chunkSize = 2_000

    /// A chunk of accounts with their contacts; `contactOwners[i]` is the index of
    /// contact i's account in the chunk.
    struct Generated: Sendable {
        let accounts: PreparedRecords<AccountRecord>
        var contacts: PreparedRecords<ContactRecord>
        let contactOwners: [Int]
        var items: PreparedRecords<WorkItemRecord>
        let itemOwners: [Int]
        var notes: PreparedRecords<NoteRecord>
        let noteOwners: [Int]
    }

    /// "2010-" … "2026-" and "00" … "31": dates put together without formatting each one.
    static let years = (2010...2026).map { "\($0)-" }
    static let twoDigits = (0...31).map { $0 < 10 ? "0\($0)" : "\($0)" }

    static let sources = ["Recomandare", "Site web", "Târg", "Campanie e-mail", "Telefon"]
    static let deals = ["Licențe software", "Echipamente IT", "Contract de mentenanță", "Consultanță fiscală", "Abonament anual",
                        "Materiale de construcții", "Transport marfă", "Mobilier de birou", "Instalație fotovoltaică", "Audit energetic"]
    static let supportWork = ["Verificare satisfacție client", "Instalare echipament", "Instruire utilizatori", "Reclamație de rezolvat",
                              "Revizie anuală", "Punere în funcțiune"]
    static let noteTexts = ["Sunat pentru programare; revine săptămâna viitoare.", "Trimis oferta actualizată pe e-mail.",
                            "Întâlnire la sediul clientului, discutat bugetul.", "Clientul cere termen de plată 30 de zile.",
                            "Confirmat primirea facturii.", "De revenit după aprobarea bugetului."]

    /// Everything generation needs, resolved once.
    struct Context: Sendable {
        let lists: WordLists
        let folders: Weighted<Int64>
        let counties: Weighted<WordLists.County>
        let forms: Weighted<(form: String, weight: Int, isPerson: Bool)>
        let zoneIDs: [String: Int64]
        let ownersByRegion: [String: [Int64]]
        let fallbackOwners: [Int64]
        let rootSlugs: [String]
        let activitySlugs: [String]
        let femaleSlugs: [String]
        let maleSlugs: [String]
        let lastSlugs: [String]
        let opportunityStages: Weighted<StageRecord>
        let activityStages: Weighted<StageRecord>
        let noteTypes: [String]
        /// "YYYY-MM-DD" of the days around today: `days[dayZero + n]` is n days from today.
        let days: [String]
        let dayZero: Int
        /// The start of the current hour, UTC milliseconds.
        let hour: Int64

        init(crm: CRM, lists: WordLists, admin: Actor) throws {
            self.lists = lists
            let weights = ["Prospectare": 30, "Abordare": 20, "Ofertare": 20, "Comandă": 10, "Câștigată": 12, "Pierdută": 8,
                           "Planificată": 40, "În lucru": 20, "Rezolvată": 35, "Anulată": 5]
            opportunityStages = Weighted(try crm.stages(.opportunity).map { ($0, weights[$0.name] ?? 5) })
            activityStages = Weighted(try crm.stages(.activity).map { ($0, weights[$0.name] ?? 5) })
            noteTypes = try crm.noteTypes().map(\.name)
            let now = crm.store.now
            hour = now - now % 3_600_000
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let today = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(now) / 1000))
            dayZero = 400
            days = (-400...400).map { offset in
                let c = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: offset, to: today)!)
                return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
            }
            var folderPairs: [(Int64, Int)] = []
            for (path, weight) in lists.folders {
                folderPairs.append((try crm.folder(path: path).meta!.id, weight))
            }
            folders = Weighted(folderPairs)
            counties = Weighted(lists.counties.map { ($0, $0.name == "București" ? 40 : ($0.name == "Ilfov" ? 6 : 4)) })
            forms = Weighted(lists.legalForms.map { ($0, $0.weight) })
            var zones: [String: Int64] = [:]
            for z in try crm.zones() { zones[z.name] = z.meta!.id }
            zoneIDs = zones
            var byRegion: [String: [Int64]] = [:]
            var fallback: [Int64] = [admin.id]
            let users = try crm.users()
            for u in lists.users {
                guard let id = users.first(where: { $0.login == u.login })?.meta?.id else { continue }
                if u.zones.isEmpty { fallback.append(id) }
                for z in u.zones { byRegion[z, default: []].append(id) }
            }
            ownersByRegion = byRegion
            fallbackOwners = fallback
            rootSlugs = lists.roots.map(Self.slug)
            activitySlugs = lists.activities.map(Self.slug)
            femaleSlugs = lists.femaleNames.map(Self.slug)
            maleSlugs = lists.maleNames.map(Self.slug)
            lastSlugs = lists.lastNames.map(Self.slug)
        }

        static func slug(_ s: String) -> String {
            String(Fold.key(s).map { $0 == " " ? "-" : $0 }.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        }

        func account(index: Int, rng: inout SeededRandom) -> AccountRecord {
            let legal = forms.pick(&rng)
            let county = counties.pick(&rng)
            let city = rng.chance(0.55) ? county.localities[0] : rng.pick(county.localities)
            var domain: String
            var name: String
            var a = AccountRecord(name: "", folderID: folders.pick(&rng))
            if legal.isPerson {
                let female = rng.chance(0.45)
                let first = rng.pick(female ? lists.femaleNames : lists.maleNames)
                let last = rng.pick(lists.lastNames)
                name = legal.form == "-" ? "\(first) \(last)" : "\(last) \(first) \(legal.form)"
                domain = Self.slug("\(last) \(first)")
                a.kind = "person"
            } else {
                let r = rng.int(0..<lists.roots.count), act = rng.int(0..<lists.activities.count)
                name = "\(lists.roots[r]) \(lists.activities[act]) \(legal.form)"
                domain = "\(rootSlugs[r])-\(activitySlugs[act])"
            }
            a.name = name
            let serial = String(index + 1)
            a.code = "CL" + String(repeating: "0", count: max(0, 7 - serial.count)) + serial
            if legal.form != "-" {
                var digits = [rng.int(1..<10)]
                for _ in 0..<rng.int(5..<8) { digits.append(rng.int(0..<10)) }
                digits.append(CUI.checkDigit(digits))
                a.cui = String(digits.map { Character(Unicode.Scalar(UInt8(48 + $0))) })
                a.vatPayer = !legal.isPerson && rng.chance(0.65)
                let letter = legal.isPerson ? "F" : "J"
                a.tradeRegister = "\(letter)\(county.registerCode)/\(rng.int(1..<9999))/\(rng.int(1991..<2026))"
                let bank = rng.pick(lists.banks)
                var bban = bank.code
                for _ in 0..<16 {
                    bban.append(rng.chance(0.8) ? Character(String(rng.int(0..<10))) : Character(Unicode.Scalar(UInt8(65 + rng.int(0..<26)))))
                }
                a.iban = "RO" + IBAN.checkDigits(country: "RO", bban: bban) + bban
                a.bank = bank.name
            }
            a.address = "\(rng.pick(lists.streets)) nr. \(rng.int(1..<220))" + (rng.chance(0.2) ? ", bl. \(rng.int(1..<40)), ap. \(rng.int(1..<90))" : "")
            // A Bucharest address names its sector (e-Factura wants it).
            if county.name == "București" { a.address! += ", Sector \(index % 6 + 1)" }
            a.city = city
            a.county = county.name
            a.zoneID = zoneIDs[county.region]
            let national = county.landlinePrefix.dropFirst()  // "21", "264"
            a.phone = "+40" + national + rng.digits(9 - national.count)
            if rng.chance(0.7) { a.mobile = "+407" + String(rng.int(2..<9)) + rng.digits(7) }
            a.email = (legal.form == "-" ? "\(domain.replacingOccurrences(of: "-", with: "."))@gmail.com" : "office@\(domain).ro")
            if legal.form != "-" && rng.chance(0.6) { a.website = "www.\(domain).ro" }
            let owners = ownersByRegion[county.region] ?? fallbackOwners
            a.ownerID = rng.pick(owners)
            if rng.chance(0.15) { a.tags = rng.pick(lists.tags) }
            if rng.chance(0.05) { a.notes = "Client preluat de la \(rng.pick(lists.lastNames)); sună dimineața." }
            var custom: [String: Value] = [:]
            if legal.form != "-" && rng.chance(0.8) { custom["nr_angajati"] = .int(Int64(rng.int(1..<(legal.isPerson ? 5 : 500)))) }
            if rng.chance(0.7) { custom["sursa"] = .text(rng.pick(DemoBuilder.sources)) }
            if rng.chance(0.5) {
                let (y, m) = (rng.int(2010..<2027), rng.int(1..<13))
                let d = rng.int(1..<29)
                custom["client_din"] = .text(DemoBuilder.years[y - 2010] + DemoBuilder.twoDigits[m] + "-" + DemoBuilder.twoDigits[d])
            }
            if rng.chance(0.4) { custom["newsletter"] = .int(rng.chance(0.6) ? 1 : 0) }
            a.custom = CustomValues.encode(custom)
            return a
        }

        /// The work on an account: an opportunity for about one in five, an
        /// activity for one in eight, notes for one in six; open items may carry a
        /// reminder, most of them in the days ahead.
        func work(on account: AccountRecord, rng: inout SeededRandom) -> (items: [WorkItemRecord], notes: [NoteRecord]) {
            var items: [WorkItemRecord] = []
            var notes: [NoteRecord] = []
            if rng.chance(0.2) {
                let stage = opportunityStages.pick(&rng)
                var o = WorkItemRecord(kind: "opportunity", accountID: 0, stageID: stage.meta!.id)
                o.ownerID = account.ownerID
                o.amount = Int64(rng.int(5..<2000)) * 10_000
                o.currency = rng.chance(0.1) ? "EUR" : "RON"
                o.details = rng.pick(DemoBuilder.deals)
                o.dueDate = days[dayZero + rng.int(-30..<60)]
                if stage.isFinal { o.closeDate = days[dayZero - rng.int(1..<120)] }
                reminder(&o, final: stage.isFinal, rng: &rng)
                items.append(o)
            }
            if rng.chance(0.125) {
                let stage = activityStages.pick(&rng)
                var a = WorkItemRecord(kind: "activity", accountID: 0, stageID: stage.meta!.id)
                a.ownerID = account.ownerID
                a.type = rng.pick(WorkItemKind.activityTypes.dropLast().map { $0 })
                a.details = rng.pick(DemoBuilder.supportWork)
                // Open ones fall due in the weeks ahead (the planning and the visit map show them); ended ones closed.
                if stage.isFinal { a.closeDate = days[dayZero - rng.int(1..<90)] } else { a.dueDate = days[dayZero + rng.int(0..<45)] }
                reminder(&a, final: stage.isFinal, rng: &rng)
                items.append(a)
            }
            if rng.chance(1.0 / 6) {
                for _ in 0..<rng.int(1..<3) {
                    notes.append(NoteRecord(accountID: 0, itemID: nil, type: rng.pick(noteTypes), text: rng.pick(DemoBuilder.noteTexts)))
                }
            }
            return (items, notes)
        }

        private func reminder(_ item: inout WorkItemRecord, final: Bool, rng: inout SeededRandom) {
            guard !final, rng.chance(0.3) else { return }
            // Mostly in the next ten days; a few already due.
            let hours = rng.chance(0.05) ? -rng.int(1..<48) : rng.int(1..<240)
            item.reminderAt = hour + Int64(hours) * 3_600_000
        }

        func contacts(for account: AccountRecord, rng: inout SeededRandom) -> [ContactRecord] {
            let roll = rng.int(0..<100)
            let n = account.kind == "person" ? (roll < 70 ? 0 : 1) : (roll < 10 ? 0 : roll < 45 ? 1 : roll < 80 ? 2 : 3)
            let domain = account.email.map { String($0.split(separator: "@").last ?? "") } ?? "exemplu.ro"
            return (0..<n).map { i in
                let female = rng.chance(0.5)
                let names = female ? lists.femaleNames : lists.maleNames
                let f = rng.int(0..<names.count), l = rng.int(0..<lists.lastNames.count)
                var c = ContactRecord(accountID: 0, name: "\(names[f]) \(lists.lastNames[l])")
                c.role = rng.pick(lists.roles)
                c.mobile = "+407" + String(rng.int(2..<9)) + rng.digits(7)
                c.email = "\((female ? femaleSlugs : maleSlugs)[f]).\(lastSlugs[l])@\(domain)"
                c.isPrimary = i == 0
                return c
            }
        }
    }
}
