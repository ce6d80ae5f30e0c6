/// A numbering series of invoices: proforma or fiscal, a prefix, numbered on
/// and on or from 1 every year.
public struct DocSeriesRecord: Record, Equatable {
    public static let table = "doc_series"
    public static let columns = ["kind", "prefix", "yearly", "retired"]
    public var meta: RowMeta?
    public var kind: String
    public var prefix: String
    public var yearly: Bool
    public var retired: Bool

    public init(kind: String, prefix: String, yearly: Bool = false) {
        self.kind = kind; self.prefix = prefix; self.yearly = yearly; retired = false
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(kind: f.string("kind"), prefix: f.string("prefix"), yearly: f.bool("yearly"))
        retired = f.bool("retired")
        self.meta = meta
    }
    public var values: [Value] { [.text(kind), .text(prefix), .bool(yearly), .bool(retired)] }
}

/// An account of the books. Clients' and suppliers' belong to a CRM account;
/// `balance` is the cached sum of debits less credits (bani, RON).
public struct LedgerAccountRecord: Record, Equatable {
    public static let table = "ledger_account"
    public static let columns = ["kind", "code", "name", "account_id", "balance", "retired"]
    public var meta: RowMeta?
    public var kind: String
    public var code: String
    public var name: String
    public var accountID: Int64?
    public var balance: Int64
    public var retired: Bool

    public init(kind: String, code: String, name: String, accountID: Int64? = nil) {
        self.kind = kind; self.code = code; self.name = name; self.accountID = accountID; balance = 0; retired = false
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(kind: f.string("kind"), code: f.string("code"), name: f.string("name"), accountID: f.int("account_id"))
        balance = f.int("balance") ?? 0; retired = f.bool("retired")
        self.meta = meta
    }
    public var values: [Value] { [.text(kind), .text(code), .text(name), .optional(accountID), .int(balance), .bool(retired)] }
}

/// A proforma or fiscal invoice (a storno is a fiscal one with `stornoOf`).
/// Amounts in bani of its currency, and in RON at its rate; the client and the
/// supplier as they were on its day (JSON).
public struct InvoiceRecord: Record, Equatable {
    public static let table = "invoice"
    public static let columns = ["kind", "series", "year", "number", "day", "due_day", "account_id", "item_id", "offer_id", "storno_of",
                                 "currency", "rate", "net", "vat", "total", "net_ron", "vat_ron", "total_ron", "client", "supplier",
                                 "delegate", "delegate_id", "vehicle", "delivery_day", "notes", "revenue_account_id", "posted_entry_id"]
    public var meta: RowMeta?
    public var kind: String
    public var series: String
    /// The year a yearly series numbers in (0: numbered on and on).
    public var year: Int64
    public var number: Int64
    public var day: String
    public var dueDay: String
    public var accountID: Int64
    public var itemID: Int64?
    public var offerID: Int64?
    public var stornoOf: Int64?
    public var currency: String
    /// RON for one unit of the currency, in ten-thousandths.
    public var rate: Int64
    public var net: Int64
    public var vat: Int64
    public var total: Int64
    public var netRON: Int64
    public var vatRON: Int64
    public var totalRON: Int64
    public var client: String
    public var supplier: String
    public var delegate: String?
    public var delegateID: String?
    public var vehicle: String?
    public var deliveryDay: String?
    public var notes: String?
    public var revenueAccountID: Int64?
    public var postedEntryID: Int64?

    public init(kind: String, series: String, year: Int64, number: Int64, day: String, dueDay: String, accountID: Int64, currency: String,
                rate: Int64, client: String, supplier: String) {
        self.kind = kind; self.series = series; self.year = year; self.number = number; self.day = day; self.dueDay = dueDay
        self.accountID = accountID; self.currency = currency; self.rate = rate; self.client = client; self.supplier = supplier
        net = 0; vat = 0; total = 0; netRON = 0; vatRON = 0; totalRON = 0
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(kind: f.string("kind"), series: f.string("series"), year: f.int("year") ?? 0, number: f.int("number") ?? 0,
                  day: f.string("day"), dueDay: f.string("due_day"), accountID: f.int("account_id") ?? 0, currency: f.string("currency"),
                  rate: f.int("rate") ?? 10_000, client: f.string("client"), supplier: f.string("supplier"))
        itemID = f.int("item_id"); offerID = f.int("offer_id"); stornoOf = f.int("storno_of")
        net = f.int("net") ?? 0; vat = f.int("vat") ?? 0; total = f.int("total") ?? 0
        netRON = f.int("net_ron") ?? 0; vatRON = f.int("vat_ron") ?? 0; totalRON = f.int("total_ron") ?? 0
        delegate = f.text("delegate"); delegateID = f.text("delegate_id"); vehicle = f.text("vehicle"); deliveryDay = f.text("delivery_day")
        notes = f.text("notes"); revenueAccountID = f.int("revenue_account_id"); postedEntryID = f.int("posted_entry_id")
        self.meta = meta
    }
    public var values: [Value] {
        [.text(kind), .text(series), .int(year), .int(number), .text(day), .text(dueDay), .int(accountID), .optional(itemID),
         .optional(offerID), .optional(stornoOf), .text(currency), .int(rate), .int(net), .int(vat), .int(total), .int(netRON),
         .int(vatRON), .int(totalRON), .text(client), .text(supplier), .optional(delegate), .optional(delegateID), .optional(vehicle),
         .optional(deliveryDay), .optional(notes), .optional(revenueAccountID), .optional(postedEntryID)]
    }

    /// "FCT-0042", or "FCT-2026-0042" in a yearly series.
    public var label: String {
        let n = String(number)
        return series + "-" + (year > 0 ? "\(year)-" : "") + String(repeating: "0", count: max(0, 4 - n.count)) + n
    }
}

/// A line of an invoice: what was sold, as it was then. A storno's quantities are negative.
public struct InvoiceLineRecord: Record, Equatable {
    public static let table = "invoice_line"
    public static let columns = ["invoice_id", "position", "product_id", "code", "name", "unit", "quantity", "unit_price", "discount",
                                 "vat_name", "vat_percent", "vat_exempt", "net", "vat"]
    public var meta: RowMeta?
    public var invoiceID: Int64
    public var position: Int64
    public var productID: Int64?
    public var code: String?
    public var name: String
    public var unit: String
    /// Thousandths.
    public var quantity: Int64
    public var unitPrice: Int64
    /// Hundredths of a percent.
    public var discount: Int64
    public var vatName: String
    public var vatPercent: Int64
    public var vatExempt: Bool
    public var net: Int64
    /// The line's own VAT, rounded (shown on the line; the totals reckon it per rate).
    public var vat: Int64

    public init(invoiceID: Int64, position: Int64, name: String, unit: String, quantity: Int64, unitPrice: Int64, vatName: String,
                vatPercent: Int64, vatExempt: Bool) {
        self.invoiceID = invoiceID; self.position = position; self.name = name; self.unit = unit; self.quantity = quantity
        self.unitPrice = unitPrice; discount = 0; self.vatName = vatName; self.vatPercent = vatPercent; self.vatExempt = vatExempt
        net = 0; vat = 0
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(invoiceID: f.int("invoice_id") ?? 0, position: f.int("position") ?? 0, name: f.string("name"), unit: f.string("unit"),
                  quantity: f.int("quantity") ?? 0, unitPrice: f.int("unit_price") ?? 0, vatName: f.string("vat_name"),
                  vatPercent: f.int("vat_percent") ?? 0, vatExempt: f.bool("vat_exempt"))
        productID = f.int("product_id"); code = f.text("code"); discount = f.int("discount") ?? 0
        net = f.int("net") ?? 0; vat = f.int("vat") ?? 0
        self.meta = meta
    }
    public var values: [Value] {
        [.int(invoiceID), .int(position), .optional(productID), .optional(code), .text(name), .text(unit), .int(quantity), .int(unitPrice),
         .int(discount), .text(vatName), .int(vatPercent), .bool(vatExempt), .int(net), .int(vat)]
    }
}

/// A supplier's invoice (Factură cheltuială): its number, the amounts in RON, the expense account it is posted to.
public struct ExpenseRecord: Record, Equatable {
    public static let table = "expense"
    public static let columns = ["account_id", "number", "day", "due_day", "description", "net", "vat", "total", "expense_account_id",
                                 "posted_entry_id"]
    public var meta: RowMeta?
    public var accountID: Int64
    public var number: String
    public var day: String
    public var dueDay: String
    public var description: String?
    public var net: Int64
    public var vat: Int64
    public var total: Int64
    public var expenseAccountID: Int64
    public var postedEntryID: Int64?

    public init(accountID: Int64, number: String, day: String, dueDay: String, net: Int64, vat: Int64, expenseAccountID: Int64) {
        self.accountID = accountID; self.number = number; self.day = day; self.dueDay = dueDay; self.net = net; self.vat = vat
        total = net + vat; self.expenseAccountID = expenseAccountID
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(accountID: f.int("account_id") ?? 0, number: f.string("number"), day: f.string("day"), dueDay: f.string("due_day"),
                  net: f.int("net") ?? 0, vat: f.int("vat") ?? 0, expenseAccountID: f.int("expense_account_id") ?? 0)
        description = f.text("description"); total = f.int("total") ?? 0; postedEntryID = f.int("posted_entry_id")
        self.meta = meta
    }
    public var values: [Value] {
        [.int(accountID), .text(number), .text(day), .text(dueDay), .optional(description), .int(net), .int(vat), .int(total),
         .int(expenseAccountID), .optional(postedEntryID)]
    }
}

/// Money in against an invoice (încasare) or out against a supplier's invoice (plată).
public struct PaymentRecord: Record, Equatable {
    public static let table = "payment"
    public static let columns = ["direction", "invoice_id", "expense_id", "account_id", "amount", "amount_ron", "doc_type", "doc_number",
                                 "day", "details", "cash_account_id", "entry_id"]
    public var meta: RowMeta?
    public var direction: String
    public var invoiceID: Int64?
    public var expenseID: Int64?
    public var accountID: Int64
    /// In the document's currency.
    public var amount: Int64
    public var amountRON: Int64
    public var docType: String
    public var docNumber: String?
    public var day: String
    public var details: String?
    public var cashAccountID: Int64
    public var entryID: Int64?

    public init(direction: String, accountID: Int64, amount: Int64, amountRON: Int64, docType: String, day: String, cashAccountID: Int64) {
        self.direction = direction; self.accountID = accountID; self.amount = amount; self.amountRON = amountRON; self.docType = docType
        self.day = day; self.cashAccountID = cashAccountID
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(direction: f.string("direction"), accountID: f.int("account_id") ?? 0, amount: f.int("amount") ?? 0,
                  amountRON: f.int("amount_ron") ?? 0, docType: f.string("doc_type"), day: f.string("day"),
                  cashAccountID: f.int("cash_account_id") ?? 0)
        invoiceID = f.int("invoice_id"); expenseID = f.int("expense_id"); docNumber = f.text("doc_number"); details = f.text("details")
        entryID = f.int("entry_id")
        self.meta = meta
    }
    public var values: [Value] {
        [.text(direction), .optional(invoiceID), .optional(expenseID), .int(accountID), .int(amount), .int(amountRON), .text(docType),
         .optional(docNumber), .text(day), .optional(details), .int(cashAccountID), .optional(entryID)]
    }
}

/// A journal entry; its lines' debits equal their credits.
public struct LedgerEntryRecord: Record, Equatable {
    public static let table = "ledger_entry"
    public static let columns = ["day", "kind", "document", "description"]
    public var meta: RowMeta?
    public var day: String
    public var kind: String
    public var document: String
    public var description: String?

    public init(day: String, kind: String, document: String, description: String? = nil) {
        self.day = day; self.kind = kind; self.document = document; self.description = description
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(day: f.string("day"), kind: f.string("kind"), document: f.string("document"), description: f.text("description"))
        self.meta = meta
    }
    public var values: [Value] { [.text(day), .text(kind), .text(document), .optional(description)] }
}

public struct LedgerLineRecord: Record, Equatable {
    public static let table = "ledger_line"
    public static let columns = ["entry_id", "ledger_account_id", "debit", "credit"]
    public var meta: RowMeta?
    public var entryID: Int64
    public var ledgerAccountID: Int64
    public var debit: Int64
    public var credit: Int64

    public init(entryID: Int64, ledgerAccountID: Int64, debit: Int64, credit: Int64) {
        self.entryID = entryID; self.ledgerAccountID = ledgerAccountID; self.debit = debit; self.credit = credit
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(entryID: f.int("entry_id") ?? 0, ledgerAccountID: f.int("ledger_account_id") ?? 0, debit: f.int("debit") ?? 0,
                  credit: f.int("credit") ?? 0)
        self.meta = meta
    }
    public var values: [Value] { [.int(entryID), .int(ledgerAccountID), .int(debit), .int(credit)] }
}

/// An e-mail template (OFF-3): a subject and a body with placeholders.
public struct EmailTemplateRecord: Record, Equatable {
    public static let table = "email_template"
    public static let columns = ["name", "subject", "body", "retired"]
    public var meta: RowMeta?
    public var name: String
    public var subject: String
    public var body: String
    public var retired: Bool

    public init(name: String, subject: String, body: String) {
        self.name = name; self.subject = subject; self.body = body; retired = false
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), subject: f.string("subject"), body: f.string("body"))
        retired = f.bool("retired")
        self.meta = meta
    }
    public var values: [Value] { [.text(name), .text(subject), .text(body), .bool(retired)] }
}
