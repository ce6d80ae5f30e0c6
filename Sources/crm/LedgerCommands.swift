import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore
import Foundation

/// `crm ledger`: the books (FIN-3, FIN-4) — accounts, statements, the trial balance, Corelare sold.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "The books: accounts, statements (Fișe), the trial balance, Corelare sold.",
        subcommands: [Accounts.self, AddAccount.self, StatementCommand.self, Balance.self, Reconcile.self])

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The accounts of the books with their balances.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this kind: client, supplier, revenue, expense, cash, vat.") var kind: String?
        func run() throws {
            let s = try Session.open(database)
            let k = try kind.map { try LedgerCommand.kind($0) }
            let all = try s.crm.ledgerAccounts(k, for: s.actor)
            if output.json {
                s.printJSON(.array(all.map { .object([("code", .string($0.code)), ("name", .string($0.name)), ("kind", .string($0.kind)),
                                                       ("balance", .number(Money.text($0.balance)))]) }))
                return
            }
            s.print(TextTable(headers: [s.t("Cont", "Code"), s.t("Denumire", "Name"), s.t("Tip", "Kind"), s.t("Sold", "Balance")],
                              rows: all.map { [$0.code, $0.name, (LedgerKind(rawValue: $0.kind)?.label.text(s.lang)) ?? $0.kind, Money.text($0.balance)] }).render())
        }
    }

    static func kind(_ text: String) throws -> LedgerKind {
        guard let k = LedgerKind(rawValue: text) else {
            throw CLIError(message: Localized(ro: "tipul: " + LedgerKind.allCases.map(\.rawValue).joined(separator: ", "),
                                              en: "the kind: " + LedgerKind.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        return k
    }

    struct AddAccount: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a revenue, expense or cash/bank account.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "revenue, expense or cash.") var kind: String
        @Argument(help: "The code (706, 6022, 5125…).") var code: String
        @Argument(help: "The name.") var name: String
        func run() throws {
            let s = try Session.open(database)
            let added = try s.crm.addLedgerAccount(try LedgerCommand.kind(kind), code: code, name: name, by: s.actor)
            s.print(s.t("Cont adăugat: ", "Account added: ") + added.code + " " + added.name)
        }
    }

    struct StatementCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "statement", abstract: "Fișa contului: an account's movements with the running balance (a ledger code, or a client's or supplier's code or name).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The account: 4111.CL0000042, 704, 5121, or a client's code, CUI or name.") var account: String
        @Option(help: "From this day.") var from: String?
        @Option(help: "To this day.") var to: String?
        func run() throws {
            let s = try Session.open(database)
            let st = try s.crm.statement(account, from: from, to: to, for: s.actor)
            if output.json {
                s.printJSON(.object([
                    ("account", .string(st.account.code)), ("name", .string(st.account.name)), ("from", .optional(st.from)), ("to", .optional(st.to)),
                    ("opening", .number(Money.text(st.opening))), ("debits", .number(Money.text(st.debits))),
                    ("credits", .number(Money.text(st.credits))), ("closing", .number(Money.text(st.closing))),
                    ("lines", .array(st.lines.map { l in
                        .object([("day", .string(l.day)), ("kind", .string(l.kind)), ("document", .string(l.document)),
                                 ("description", .optional(l.description)), ("debit", .number(Money.text(l.debit))),
                                 ("credit", .number(Money.text(l.credit))), ("balance", .number(Money.text(l.balance)))])
                    })),
                ]))
                return
            }
            s.print(st.account.code + " " + st.account.name + " · " + s.t("sold inițial ", "opening ") + Money.text(st.opening))
            s.print(TextTable(headers: [s.t("Data", "Day"), s.t("Document", "Document"), s.t("Explicații", "Details"), s.t("Debit", "Debit"),
                                        s.t("Credit", "Credit"), s.t("Sold", "Balance")],
                              rows: st.lines.map { [$0.day, $0.document, $0.description ?? "", $0.debit == 0 ? "" : Money.text($0.debit),
                                                    $0.credit == 0 ? "" : Money.text($0.credit), Money.text($0.balance)] }).render())
            s.print(s.t("Rulaj debit ", "Debits ") + Money.text(st.debits) + " · " + s.t("rulaj credit ", "credits ") + Money.text(st.credits)
                    + " · " + s.t("sold final ", "closing ") + Money.text(st.closing))
        }
    }

    struct Balance: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Balanța: every account's debits, credits and balance; total debits equal total credits.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            let s = try Session.open(database)
            let rows = try s.crm.ledgerBalance(for: s.actor)
            let debits = rows.reduce(0) { $0 + $1.debit }, credits = rows.reduce(0) { $0 + $1.credit }
            if output.json {
                s.printJSON(.object([
                    ("debits", .number(Money.text(debits))), ("credits", .number(Money.text(credits))),
                    ("accounts", .array(rows.map { r in
                        .object([("code", .string(r.account.code)), ("name", .string(r.account.name)), ("kind", .string(r.account.kind)),
                                 ("debit", .number(Money.text(r.debit))), ("credit", .number(Money.text(r.credit))),
                                 ("balance", .number(Money.text(r.balance)))])
                    })),
                ]))
                return
            }
            s.print(TextTable(headers: [s.t("Cont", "Code"), s.t("Denumire", "Name"), s.t("Debit", "Debit"), s.t("Credit", "Credit"), s.t("Sold", "Balance")],
                              rows: rows.map { [$0.account.code, $0.account.name, Money.text($0.debit), Money.text($0.credit), Money.text($0.balance)] }
                                  + [[s.t("Total", "Total"), "", Money.text(debits), Money.text(credits), Money.text(debits - credits)]]).render())
        }
    }

    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Corelare sold: the accounts' balances reckoned again from the journal; differences reported and set right.")
        @OptionGroup var database: DatabaseOptions
        func run() throws {
            let s = try Session.open(database)
            let found = try s.crm.reconcileBalances(by: s.actor)
            if found.isEmpty { s.print(s.t("Soldurile corespund jurnalului", "The balances agree with the journal")); return }
            for d in found {
                s.print(d.account.code + " " + d.account.name + ": " + s.t("era ", "was ") + Money.text(d.cached) + ", " + s.t("corect ", "right ")
                        + Money.text(d.actual))
            }
        }
    }
}

/// `crm expense`: suppliers' invoices (Factură cheltuială) and payments to suppliers (Înregistrare plată).
struct ExpenseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expense", abstract: "Suppliers' invoices posted to expense accounts, and payments to suppliers.",
        subcommands: [List.self, Add.self, Pay.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a supplier's invoice (posted at once: expense and VAT debit, supplier credit).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The supplier: code, CUI, name or UUID.") var supplier: String
        @Option(help: "The supplier's invoice number.") var number: String
        @Option(help: "Its day (default today).") var day: String?
        @Option(help: "Its due day (default its day).") var due: String?
        @Option(help: "The amount without VAT, RON.") var net: String
        @Option(help: "The VAT, RON (default 0).") var vat = "0"
        @Option(help: "The expense account (default 628; crm ledger accounts --kind expense).") var account: String?
        @Option(help: "What was bought.") var description: String?
        func run() throws {
            let s = try Session.open(database)
            let added = try s.crm.addExpense(supplier: supplier, number: number, day: day, dueDay: due, net: net, vat: vat, expenseAccount: account,
                                             description: description, by: s.actor)
            s.print(s.t("Factură de cheltuieli înregistrată: ", "Supplier invoice posted: ") + added.number + " · " + Money.text(added.total) + " RON · "
                    + (added.meta?.uuid.description ?? ""))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suppliers' invoices newest first, with what is paid.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Of this supplier.") var supplier: String?
        func run() throws {
            let s = try Session.open(database)
            let all = try s.crm.expenses(supplier: supplier, for: s.actor)
            if output.json {
                s.printJSON(.array(all.map { e in
                    .object([("uuid", .string(e.uuid)), ("supplier", .string(e.supplier)), ("number", .string(e.record.number)),
                             ("day", .string(e.record.day)), ("due", .string(e.record.dueDay)), ("net", .number(Money.text(e.record.net))),
                             ("vat", .number(Money.text(e.record.vat))), ("total", .number(Money.text(e.record.total))),
                             ("paid", .number(Money.text(e.paid))), ("account", .string(e.expenseAccount))])
                }))
                return
            }
            s.print(TextTable(headers: [s.t("Furnizor", "Supplier"), s.t("Număr", "Number"), s.t("Data", "Day"), s.t("Total", "Total"),
                                        s.t("Plătit", "Paid"), s.t("Cont", "Account"), "UUID"],
                              rows: all.map { [$0.supplier, $0.record.number, $0.record.day, Money.text($0.record.total), Money.text($0.paid),
                                               $0.expenseAccount, $0.uuid] }).render())
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Înregistrare plată: pay a supplier's invoice (all that is left unless --amount).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The supplier invoice's UUID (crm expense list).") var ref: String
        @Option(help: "The amount, RON.") var amount: String?
        @Option(help: "The document (default ordin de plată).") var doc = "ordin de plată"
        @Option(help: "The document's number.") var number: String?
        @Option(help: "The day (default today).") var day: String?
        @Option(help: "The cash or bank account (default 5121).") var cash: String?
        func run() throws {
            let s = try Session.open(database)
            let payment = try s.crm.payExpense(ref, amount: amount, docType: doc, docNumber: number, day: day, cashAccount: cash, by: s.actor)
            s.print(s.t("Plată înregistrată: ", "Payment recorded: ") + Money.text(payment.amount) + " RON")
        }
    }
}
