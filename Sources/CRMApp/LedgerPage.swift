import CRMCore
import CRMStore
import TUIKit

/// The Contabilitate page: the accounts of the books — cash and bank,
/// revenue, expenses, VAT, suppliers — with their balances on the left, the
/// chosen account's statement (Fișa contului) for a period in the middle, its
/// totals on the right. Clients' statements are in their own history pane.
struct LedgerPage: Sendable {
    var accounts: [LedgerAccountRecord] = []
    var accountIndex = 0
    /// The statement's period (either end open).
    var from: String?
    var to: String?
    var statement: Statement?
    var lineIndex = 0

    /// The kinds the page lists, in this order.
    static let kinds: [LedgerKind] = [.cash, .revenue, .expense, .vat, .supplier]

    init(crm: CRM, actor: Actor) throws {
        accounts = try Self.listed(crm, actor)
    }

    static func listed(_ crm: CRM, _ actor: Actor) throws -> [LedgerAccountRecord] {
        let all = try crm.ledgerAccounts(for: actor)
        return kinds.flatMap { kind in all.filter { $0.kind == kind.rawValue } }
    }

    var account: LedgerAccountRecord? { accounts.indices.contains(accountIndex) ? accounts[accountIndex] : nil }
}
