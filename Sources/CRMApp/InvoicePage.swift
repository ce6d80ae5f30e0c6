import CRMCore
import CRMDocuments
import CRMStore
import TUIKit

/// The Facturi page: where invoices stand, with their counts, on the left (all
/// of them first), the invoices' table in the middle on the shared engine, the
/// selected invoice with its payments on the right.
struct InvoicePage: TablePage {
    var columns: [InvoiceColumn]
    var table: TableSettings
    var window = KeysetWindow<InvoiceDetails>()
    var hscroll = 0
    var filter: Filter?
    var filterName: String?
    var viewCount: Int?
    var statusCounts: [InvoiceStatus: Int] = [:]
    /// 0: every invoice; n: `Self.statuses[n - 1]`.
    var statusIndex = 0
    /// The chosen payment of the selected invoice (right pane).
    var paymentIndex = 0

    /// The left pane's rows, in the order one works through them.
    static let statuses: [InvoiceStatus] = [.proforma, .unpaid, .partial, .overdue, .paid, .cancelled, .storno]

    init(crm: CRM, actor: Actor) throws {
        columns = try crm.invoiceColumns(for: actor)
        table = try crm.tableSettings(InvoiceTable.kind, columns: columns, for: actor)
    }

    var tableKind: TableKind { InvoiceTable.kind }
    var module: Module { .invoicing }
    var fieldsEntity: String? { nil }
    var status: InvoiceStatus? { Self.statuses.indices.contains(statusIndex - 1) ? Self.statuses[statusIndex - 1] : nil }
    var selectedInvoice: InvoiceDetails? { window.current }
    var selectedPayment: PaymentRecord? {
        guard let invoice = selectedInvoice, invoice.payments.indices.contains(paymentIndex) else { return nil }
        return invoice.payments[paymentIndex]
    }
    /// How many invoices the chosen status (or every status) holds.
    var total: Int { status.map { statusCounts[$0] ?? 0 } ?? statusCounts.values.reduce(0, +) }

    func view(search: String?) -> InvoiceView {
        InvoiceView(status: status, search: search, filters: filter.map { [$0] } ?? [], order: order)
    }

    func rows(_ crm: CRM, _ actor: Actor, search: String?, at position: PagePosition, limit: Int) throws -> [InvoiceDetails] {
        try crm.invoices(view(search: search), at: position, limit: limit, for: actor)
    }

    func count(_ crm: CRM, _ actor: Actor, search: String?, cap: Int) throws -> Int {
        try crm.count(view(search: search), cap: cap, for: actor)
    }

    func cursor(_ row: InvoiceDetails, _ order: InvoiceOrder) -> PageCursor { order.cursor(row.record) }
    func uuid(of row: InvoiceDetails) -> String { row.uuid }
    func position(of uuid: String, crm: CRM, actor: Actor) -> PagePosition? {
        (try? crm.invoice(uuid, for: actor)).map { .from(order.cursor($0.record)) }
    }

    func exportJob(to path: String, search: String?, excelBOM: Bool, crm: CRM, actor: Actor, language: Language) -> Job? {
        guard let format = ExportFormat(path: path) else { return nil }
        let (view, columns) = (view(search: search), table.visible(columns))
        return Job(title: Localized(ro: "Export în \(path)", en: "Exporting to \(path)")) { progress in
            let n = try TableExport.invoices(view, columns: columns, format: format, to: path, excelBOM: excelBOM, crm: crm, actor: actor,
                                             language: language, progress: progress)
            return Localized(ro: "\(n) facturi exportate în \(path)", en: "\(n) invoices exported to \(path)")
        }
    }
}
