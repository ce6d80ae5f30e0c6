import CRMStore
import CRMText
import Foundation

/// The kinds of accounts of the books.
public enum LedgerKind: String, Sendable, CaseIterable {
    case client, supplier, revenue, expense, cash, vat

    public var label: Localized {
        switch self {
        case .client: return Localized(ro: "Clienți (debitori)", en: "Clients (debtors)")
        case .supplier: return Localized(ro: "Furnizori (creditori)", en: "Suppliers (creditors)")
        case .revenue: return Localized(ro: "Venituri", en: "Revenue")
        case .expense: return Localized(ro: "Cheltuieli", en: "Expenses")
        case .cash: return Localized(ro: "Disponibil (casă, bancă)", en: "Cash and bank")
        case .vat: return Localized(ro: "TVA", en: "VAT")
        }
    }
}

/// A line of a statement (Fișă de cont): a movement and the balance after it.
public struct StatementLine: Sendable, Equatable {
    public let day: String
    public let kind: String
    public let document: String
    public let description: String?
    public let debit: Int64
    public let credit: Int64
    public let balance: Int64
}

/// An account's movements between two days, with the balance before and after.
public struct Statement: Sendable {
    public let account: LedgerAccountRecord
    public let from: String?
    public let to: String?
    public let opening: Int64
    public let lines: [StatementLine]
    public var debits: Int64 { lines.reduce(0) { $0 + $1.debit } }
    public var credits: Int64 { lines.reduce(0) { $0 + $1.credit } }
    public var closing: Int64 { opening + debits - credits }
}

/// A row of the trial balance: an account's debits, credits and balance.
public struct LedgerBalanceRow: Sendable, Equatable {
    public let account: LedgerAccountRecord
    public let debit: Int64
    public let credit: Int64
    public var balance: Int64 { debit - credit }
}

/// A supplier's invoice with where it stands.
public struct ExpenseDetails: Sendable {
    public let record: ExpenseRecord
    public let supplier: String
    public let expenseAccount: String
    public let payments: [PaymentRecord]
    public var paid: Int64 { payments.reduce(0) { $0 + $1.amount } }
    public var uuid: String { record.meta?.uuid.description ?? "" }
}

extension CRM {
    /// The accounts of the books in code order (the standard ones made on first use).
    public func ledgerAccounts(_ kind: LedgerKind? = nil, includingRetired: Bool = false, for actor: Actor) throws -> [LedgerAccountRecord] {
        try policy.authorize(actor, .view, .invoicing)
        let stored = try read { try $0.fetchAll(LedgerAccountRecord.self, orderBy: ["code"]) }
        let all = stored.isEmpty ? try write(nil, "ledger.defaults") { try Ledger.ensureAccounts(in: $0) } : stored
        return all.filter { (kind == nil || $0.kind == kind!.rawValue) && (includingRetired || !$0.retired) }
    }

    /// Adds a revenue, expense or cash/bank account (clients' and suppliers' come with their invoices).
    @discardableResult
    public func addLedgerAccount(_ kind: LedgerKind, code: String, name: String, by actor: Actor) throws -> LedgerAccountRecord {
        try policy.authorize(actor, .add, .invoicing)
        guard [.revenue, .expense, .cash].contains(kind) else {
            throw CoreError.invalid([.init(field: "kind", value: kind.rawValue, reason: .invalidChoice(allowed: ["revenue", "expense", "cash"]))])
        }
        var issues: [ValidationIssue] = []
        let cleanCode = code.trimmed(), cleanName = name.trimmed()
        if cleanCode.isEmpty || cleanCode.count > 20 || !cleanCode.allSatisfy({ $0.isNumber || $0 == "." || $0.isLetter }) {
            issues.append(.init(field: "code", value: code, reason: cleanCode.isEmpty ? .required : .invalidNumber))
        }
        if cleanName.isEmpty { issues.append(.init(field: "name", value: name, reason: .required)) }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return try write(actor, "ledger.account.add") { w in
            _ = try Ledger.ensureAccounts(in: w)
            if let other = try w.fetchAll(LedgerAccountRecord.self, matching: ["code": .text(cleanCode)]).first {
                throw CoreError.invalid([.init(field: "code", value: cleanCode, reason: .duplicate(of: other.name))])
            }
            return try w.insert(LedgerAccountRecord(kind: kind.rawValue, code: cleanCode, name: cleanName))
        }
    }

    /// Fișa contului: the movements of an account (its code, or a CRM account's
    /// client or supplier account) between two days, each with the running balance.
    public func statement(_ ref: String, from: String? = nil, to: String? = nil, for actor: Actor) throws -> Statement {
        try policy.authorize(actor, .view, .invoicing)
        let start = try from.map { try InvoiceRules.day($0, field: "from", default: "") }
        let end = try to.map { try InvoiceRules.day($0, field: "to", default: "") }
        return try read(for: actor) { r in
            let account = try Ledger.find(ref, in: r)
            try Ledger.checkVisible(account, to: actor, in: r)
            let opening = try start.map { try r.ledgerSum(account: account.meta!.id, before: $0) } ?? 0
            var balance = opening
            let lines = try r.ledgerMovements(account: account.meta!.id, from: start, to: end).map { m -> StatementLine in
                balance += m.debit - m.credit
                return StatementLine(day: m.day, kind: m.kind, document: m.document, description: m.description, debit: m.debit,
                                     credit: m.credit, balance: balance)
            }
            return Statement(account: account, from: start, to: end, opening: opening, lines: lines)
        }
    }

    /// Balanța: every account's debits and credits (from the journal, not the cache).
    public func ledgerBalance(for actor: Actor) throws -> [LedgerBalanceRow] {
        try policy.authorize(actor, .view, .invoicing)
        try Ledger.checkWholeBooks(actor)
        _ = try ledgerAccounts(for: actor)
        return try read { r in
            let sums = try r.ledgerSums()
            return try r.fetchAll(LedgerAccountRecord.self, orderBy: ["code"]).compactMap { account in
                let s = sums[account.meta!.id] ?? (0, 0)
                return s.debit == 0 && s.credit == 0 && account.retired ? nil : LedgerBalanceRow(account: account, debit: s.debit, credit: s.credit)
            }
        }
    }

    /// Corelare sold: every account's cached balance reckoned again from the
    /// journal; the accounts that differed, with the cached and the true balance (now set right).
    @discardableResult
    public func reconcileBalances(by actor: Actor) throws -> [(account: LedgerAccountRecord, cached: Int64, actual: Int64)] {
        try policy.authorize(actor, .edit, .invoicing)
        return try write(actor, "ledger.reconcile") { w in
            let sums = try w.ledgerSums()
            var differences: [(LedgerAccountRecord, Int64, Int64)] = []
            for account in try w.fetchAll(LedgerAccountRecord.self, orderBy: ["code"]) {
                let s = sums[account.meta!.id] ?? (0, 0)
                let actual = s.debit - s.credit
                if actual != account.balance {
                    differences.append((account, account.balance, actual))
                    try w.update(LedgerAccountRecord.self, id: account.meta!.id, set: ["balance": .int(actual)])
                }
            }
            return differences
        }
    }

    // MARK: - Expenses

    /// Factură cheltuială: a supplier's invoice — its number, day, net and VAT
    /// (RON) — posted at once: the expense account (the first unless named) and
    /// VAT deductible debited, the supplier credited with the total.
    @discardableResult
    public func addExpense(supplier: String, number: String, day: String? = nil, dueDay: String? = nil, net: String, vat: String = "0",
                           expenseAccount: String? = nil, description: String? = nil, by actor: Actor) throws -> ExpenseRecord {
        try policy.authorize(actor, .add, .invoicing)
        return try write(actor, "expense.add") { w in
            let account = try AccountRules.resolve(supplier, in: w)
            var issues: [ValidationIssue] = []
            let cleanNumber = number.trimmed()
            if cleanNumber.isEmpty { issues.append(.init(field: "number", value: number, reason: .required)) }
            let netValue = (try? InvoiceRules.amount(net, default: 0, field: "net")) ?? { issues.append(.init(field: "net", value: net, reason: .invalidNumber)); return 0 }()
            let vatValue = vat.trimmed().isEmpty || FieldRules.decimal(vat.trimmed()) == 0 ? 0
                : (try? InvoiceRules.amount(vat, default: 0, field: "vat")) ?? { issues.append(.init(field: "vat", value: vat, reason: .invalidNumber)); return 0 }()
            let today = String(Timestamp.local(w.now).prefix(10))
            let when = (try? InvoiceRules.day(day, field: "day", default: today)) ?? { issues.append(.init(field: "day", value: day ?? "", reason: .invalidDate)); return today }()
            let due = (try? InvoiceRules.day(dueDay, field: "due", default: when)) ?? { issues.append(.init(field: "due", value: dueDay ?? "", reason: .invalidDate)); return when }()
            if let other = try w.fetchAll(ExpenseRecord.self, matching: ["account_id": .int(account.meta!.id), "number": .text(cleanNumber)]).first {
                issues.append(.init(field: "number", value: cleanNumber, reason: .duplicate(of: "\(account.name) \(other.day)")))
            }
            guard issues.isEmpty else { throw CoreError.invalid(issues) }
            let target = try Ledger.account(expenseAccount, kind: .expense, in: w)
            var expense = ExpenseRecord(accountID: account.meta!.id, number: cleanNumber, day: when, dueDay: due, net: netValue, vat: vatValue,
                                        expenseAccountID: target.meta!.id)
            expense.description = description?.trimmed().nilIfEmpty
            let supplierAccount = try Ledger.partyAccount(.supplier, accountID: account.meta!.id, in: w)
            var lines: [(Int64, Int64)] = [(target.meta!.id, netValue), (supplierAccount.meta!.id, -expense.total)]
            if vatValue > 0 { lines.append((try Ledger.vatAccount(collected: false, in: w).meta!.id, vatValue)) }
            expense.postedEntryID = try Ledger.post(day: when, kind: "expense", document: "\(account.name) nr. \(cleanNumber)",
                                                    description: expense.description, lines, in: w)
            return try w.insert(expense)
        }
    }

    /// Înregistrare plată: money out to a supplier against their invoice, from a cash or bank account.
    @discardableResult
    public func payExpense(_ ref: String, amount: String? = nil, docType: String = "ordin de plată", docNumber: String? = nil,
                           day: String? = nil, details: String? = nil, cashAccount: String? = nil, by actor: Actor) throws -> PaymentRecord {
        try policy.authorize(actor, .add, .invoicing)
        return try write(actor, "payment.out") { w in
            guard let expense = try w.fetch(ExpenseRecord.self, ref: ref) else {
                throw CoreError.notFound(what: Localized(ro: "factura de cheltuieli", en: "supplier invoice"), ref: ref)
            }
            let paid = try w.fetchAll(PaymentRecord.self, matching: ["expense_id": .int(expense.meta!.id)]).reduce(0) { $0 + $1.amount }
            let left = expense.total - paid
            let value = try InvoiceRules.amount(amount, default: left, field: "amount")
            guard value > 0, value <= left else {
                throw CoreError.invalid([.init(field: "amount", value: amount ?? Money.text(value), reason: .exceeds(
                    Localized(ro: "rămas de plată \(Money.text(left)) RON", en: "left to pay \(Money.text(left)) RON")))])
            }
            let cash = try Ledger.account(cashAccount, kind: .cash, in: w)
            var payment = PaymentRecord(direction: "out", accountID: expense.accountID, amount: value, amountRON: value,
                                        docType: try InvoiceRules.docType(docType),
                                        day: try InvoiceRules.day(day, field: "day", default: String(Timestamp.local(w.now).prefix(10))),
                                        cashAccountID: cash.meta!.id)
            payment.expenseID = expense.meta!.id
            payment.docNumber = docNumber?.trimmed().nilIfEmpty
            payment.details = details?.trimmed().nilIfEmpty
            let supplier = try Ledger.partyAccount(.supplier, accountID: expense.accountID, in: w)
            payment.entryID = try Ledger.post(day: payment.day, kind: "payment.out",
                                              document: "\(payment.docType) \(payment.docNumber ?? "")".trimmed() + " · nr. " + expense.number,
                                              description: payment.details, [(supplier.meta!.id, value), (cash.meta!.id, -value)], in: w)
            return try w.insert(payment)
        }
    }

    /// Suppliers' invoices, newest first (of one supplier when named).
    public func expenses(supplier: String? = nil, limit: Int = 200, for actor: Actor) throws -> [ExpenseDetails] {
        try policy.authorize(actor, .view, .invoicing)
        return try read(for: actor) { r in
            var matching: [String: Value] = [:]
            if let supplier { matching["account_id"] = .int(try AccountRules.resolve(supplier, in: r).meta!.id) }
            let records = try r.fetchAll(ExpenseRecord.self, matching: matching, orderBy: ["day", "id"]).reversed().prefix(limit == 0 ? Int.max : limit)
            let accounts = Dictionary(uniqueKeysWithValues: try r.fetchAll(LedgerAccountRecord.self).map { ($0.meta!.id, $0) })
            return try records.compactMap { e in
                guard let account = try? AccountRules.resolve("#\(e.accountID)", in: r) else { return nil }
                let payments = try r.fetchAll(PaymentRecord.self, matching: ["expense_id": .int(e.meta!.id)], orderBy: ["day", "id"])
                let target = accounts[e.expenseAccountID]
                return ExpenseDetails(record: e, supplier: account.name, expenseAccount: target.map { "\($0.code) \($0.name)" } ?? "",
                                      payments: payments)
            }
        }
    }
}

/// The double-entry book-keeping: every entry's lines balance, and each
/// account's cached balance moves with them in the same transaction.
enum Ledger {
    /// The accounts a new base starts with (Romanian chart codes).
    static let defaults: [(LedgerKind, String, String)] = [
        (.revenue, "704", "Venituri din servicii prestate"), (.revenue, "707", "Venituri din vânzarea mărfurilor"),
        (.cash, "5121", "Conturi la bănci în lei"), (.cash, "5311", "Casa în lei"),
        (.expense, "628", "Alte cheltuieli cu serviciile executate de terți"), (.expense, "604", "Cheltuieli privind materialele nestocate"),
        (.expense, "626", "Cheltuieli poștale și taxe de telecomunicații"),
        (.vat, "4427", "TVA colectată"), (.vat, "4426", "TVA deductibilă"),
    ]

    static func ensureAccounts(in w: Writer) throws -> [LedgerAccountRecord] {
        let stored = try w.fetchAll(LedgerAccountRecord.self, orderBy: ["code"])
        guard stored.isEmpty else { return stored }
        for (kind, code, name) in defaults { _ = try w.insert(LedgerAccountRecord(kind: kind.rawValue, code: code, name: name)) }
        return try w.fetchAll(LedgerAccountRecord.self, orderBy: ["code"])
    }

    /// An account of a kind by its code or name (the first of the kind, in the order above, when none is named).
    static func account(_ ref: String?, kind: LedgerKind, in w: Writer) throws -> LedgerAccountRecord {
        let all = try ensureAccounts(in: w).filter { $0.kind == kind.rawValue && !$0.retired }
        guard let ref, !ref.trimmed().isEmpty else {
            let first = defaults.first { $0.0 == kind }.flatMap { d in all.first { $0.code == d.1 } } ?? all.first
            guard let first else {
                throw CoreError.refused(Localized(ro: "niciun cont de tip \(kind.label.ro) (crm ledger add)", en: "no \(kind.label.en) account (crm ledger add)"))
            }
            return first
        }
        let key = Fold.key(ref)
        guard let found = all.first(where: { $0.code == ref.trimmed() }) ?? all.first(where: { Fold.key($0.name) == key })
                ?? all.first(where: { Fold.key($0.name).hasPrefix(key) }) ?? all.first(where: { Fold.key($0.name).contains(key) }) else {
            throw CoreError.invalid([.init(field: "account", value: ref, reason: .invalidChoice(allowed: all.map { "\($0.code) \($0.name)" }))])
        }
        return found
    }

    static func vatAccount(collected: Bool, in w: Writer) throws -> LedgerAccountRecord {
        let code = collected ? "4427" : "4426"
        let all = try ensureAccounts(in: w)
        if let found = all.first(where: { $0.code == code }) { return found }
        return try w.insert(LedgerAccountRecord(kind: LedgerKind.vat.rawValue, code: code, name: collected ? "TVA colectată" : "TVA deductibilă"))
    }

    /// The client's (4111) or supplier's (401) account of a CRM account, made on first use.
    static func partyAccount(_ kind: LedgerKind, accountID: Int64, in w: Writer) throws -> LedgerAccountRecord {
        if let found = try w.fetchAll(LedgerAccountRecord.self, matching: ["account_id": .int(accountID), "kind": .text(kind.rawValue)]).first {
            return found
        }
        guard let account = try w.fetch(AccountRecord.self, id: accountID) else {
            throw CoreError.notFound(what: Localized(ro: "contul", en: "account"), ref: "#\(accountID)")
        }
        let code = (kind == .client ? "4111." : "401.") + (account.code ?? "#\(accountID)")
        return try w.insert(LedgerAccountRecord(kind: kind.rawValue, code: code, name: account.name, accountID: accountID))
    }

    /// The books are the whole company's: a user limited to zones sees only
    /// the statements of the clients and suppliers of those zones.
    static func checkWholeBooks(_ actor: Actor) throws {
        guard actor.zones != nil else { return }
        throw CoreError.refused(Localized(
            ro: "contabilitatea este a întregii firme: un utilizator limitat la zone vede doar fișele clienților și furnizorilor din zonele lui",
            en: "the books are the whole company's: a user limited to zones sees only the statements of their zones' clients and suppliers"))
    }

    static func checkVisible(_ account: LedgerAccountRecord, to actor: Actor, in r: Reader) throws {
        guard actor.zones != nil else { return }
        guard let owner = account.accountID, (try? AccountRules.resolve("#\(owner)", in: r)) != nil else { try checkWholeBooks(actor); return }
    }

    /// An account by its code, or a CRM account's client (else supplier) account.
    static func find(_ ref: String, in r: Reader) throws -> LedgerAccountRecord {
        let clean = ref.trimmed()
        if let found = try r.fetchAll(LedgerAccountRecord.self, matching: ["code": .text(clean)]).first { return found }
        if let account = try? AccountRules.resolve(clean, in: r) {
            let own = try r.fetchAll(LedgerAccountRecord.self, matching: ["account_id": .int(account.meta!.id)])
            if let found = own.first(where: { $0.kind == LedgerKind.client.rawValue }) ?? own.first { return found }
            throw CoreError.refused(Localized(ro: "«\(account.name)» nu are încă mișcări în contabilitate",
                                              en: "«\(account.name)» has no movements in the books yet"))
        }
        let key = Fold.key(clean)
        if let found = try r.fetchAll(LedgerAccountRecord.self).first(where: { Fold.key($0.name) == key }) { return found }
        throw CoreError.notFound(what: Localized(ro: "contul contabil", en: "ledger account"), ref: ref)
    }

    /// Posts an entry: each line's amount is a debit when positive, a credit
    /// when negative; they must add up to nothing. The accounts' balances move with it.
    static func post(day: String, kind: String, document: String, description: String?, _ lines: [(account: Int64, amount: Int64)],
                     in w: Writer) throws -> Int64 {
        let kept = lines.filter { $0.amount != 0 }
        guard kept.reduce(0, { $0 + $1.amount }) == 0, !kept.isEmpty else {
            throw CoreError.refused(Localized(ro: "nota contabilă nu este echilibrată (debit ≠ credit)", en: "the entry does not balance (debit ≠ credit)"))
        }
        let entry = try w.insert(LedgerEntryRecord(day: day, kind: kind, document: document, description: description))
        for (account, amount) in kept {
            _ = try w.insert(LedgerLineRecord(entryID: entry.meta!.id, ledgerAccountID: account, debit: max(0, amount), credit: max(0, -amount)))
            try move(account, by: amount, in: w)
        }
        return entry.meta!.id
    }

    /// Takes an entry out of the books (a payment deleted), its balances moved back.
    static func unpost(_ entryID: Int64, in w: Writer) throws {
        for line in try w.fetchAll(LedgerLineRecord.self, matching: ["entry_id": .int(entryID)]) {
            try move(line.ledgerAccountID, by: line.credit - line.debit, in: w)
            try w.delete(LedgerLineRecord.self, id: line.meta!.id)
        }
        if try w.fetch(LedgerEntryRecord.self, id: entryID) != nil { try w.delete(LedgerEntryRecord.self, id: entryID) }
    }

    private static func move(_ account: Int64, by amount: Int64, in w: Writer) throws {
        guard let record = try w.fetch(LedgerAccountRecord.self, id: account) else {
            throw CoreError.notFound(what: Localized(ro: "contul contabil", en: "ledger account"), ref: "#\(account)")
        }
        try w.update(LedgerAccountRecord.self, id: account, set: ["balance": .int(record.balance + amount)])
    }

    /// Înregistrare venit: client debit the total, revenue credit the net, VAT
    /// collected credit the VAT, in RON (a storno's negative amounts reverse it).
    static func postInvoice(_ invoice: InvoiceRecord, revenueAccountID: Int64, in w: Writer) throws -> Int64 {
        let client = try partyAccount(.client, accountID: invoice.accountID, in: w)
        var lines: [(Int64, Int64)] = [(client.meta!.id, invoice.totalRON), (revenueAccountID, -invoice.netRON)]
        if invoice.vatRON != 0 { lines.append((try vatAccount(collected: true, in: w).meta!.id, -invoice.vatRON)) }
        let party = Party.decode(invoice.client)
        return try post(day: invoice.day, kind: invoice.stornoOf == nil ? "invoice" : "storno", document: invoice.label,
                        description: party.name, lines, in: w)
    }

    /// Merging accounts: the others' client and supplier accounts join the survivor's (their lines moved, balances summed).
    static func mergeParties(from other: Int64, into survivor: Int64, in w: Writer) throws {
        for party in try w.fetchAll(LedgerAccountRecord.self, matching: ["account_id": .int(other)]) {
            if let kept = try w.fetchAll(LedgerAccountRecord.self, matching: ["account_id": .int(survivor), "kind": .text(party.kind)]).first {
                for line in try w.fetchAll(LedgerLineRecord.self, matching: ["ledger_account_id": .int(party.meta!.id)]) {
                    try w.update(LedgerLineRecord.self, id: line.meta!.id, set: ["ledger_account_id": .int(kept.meta!.id)])
                }
                try w.update(LedgerAccountRecord.self, id: kept.meta!.id, set: ["balance": .int(kept.balance + party.balance)])
                // Kept for the record, belonging to no account any more.
                try w.update(LedgerAccountRecord.self, id: party.meta!.id, set: ["balance": .int(0), "retired": .bool(true), "account_id": .null])
            } else {
                try w.update(LedgerAccountRecord.self, id: party.meta!.id, set: ["account_id": .int(survivor)])
            }
        }
    }
}
