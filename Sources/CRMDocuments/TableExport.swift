import CRMCore
import CRMText
import CXlsxWriter
import Foundation

/// The file formats a table exports to.
public enum ExportFormat: String, Sendable, CaseIterable {
    case xlsx, csv

    /// The format a file name asks for (by its extension), if any.
    public init?(path: String) {
        self.init(rawValue: URL(fileURLWithPath: path).pathExtension.lowercased())
    }
}

/// Writes a table, row after row, to a file. Nothing is at the final path
/// until `finish` succeeds: rows go to a temporary file beside it, renamed at
/// the end, and `abandon` removes it — an export never leaves half a file.
protocol TableFileWriter: AnyObject {
    func row(_ cells: [CellValue]) throws
    func finish() throws
    func abandon()
}

/// Exports the accounts a view shows, with the given columns in their order,
/// exactly as the table shows them. `progress` hears (done, total) after every
/// batch; returning false cancels and leaves no file.
public enum TableExport {
    @discardableResult
    public static func accounts(_ view: AccountView, columns: [AccountColumn], format: ExportFormat, to path: String,
                                excelBOM: Bool = false, crm: CRM, actor: Actor, language: Language,
                                progress: (Int, Int) -> Bool = { _, _ in true }) throws -> Int {
        try stream(columns: columns, total: try crm.count(view, for: actor), sheet: Localized(ro: "Conturi", en: "Accounts"),
                   format: format, to: path, excelBOM: excelBOM, language: language, progress: progress) { body in
            try crm.forEachRow(in: view, columns: columns, for: actor, body)
        }
    }

    /// Exports the opportunities or activities a view shows, as `accounts` does.
    @discardableResult
    public static func workItems(_ view: WorkItemView, columns: [WorkItemColumn], format: ExportFormat, to path: String,
                                 excelBOM: Bool = false, crm: CRM, actor: Actor, language: Language,
                                 progress: (Int, Int) -> Bool = { _, _ in true }) throws -> Int {
        try stream(columns: columns, total: try crm.count(view, for: actor), sheet: view.kind.plural,
                   format: format, to: path, excelBOM: excelBOM, language: language, progress: progress) { body in
            try crm.forEachRow(in: view, columns: columns, for: actor, body)
        }
    }

    /// Exports the catalogue a view shows, as `accounts` does.
    @discardableResult
    public static func products(_ view: ProductView, columns: [ProductColumn], format: ExportFormat, to path: String,
                                excelBOM: Bool = false, crm: CRM, actor: Actor, language: Language,
                                progress: (Int, Int) -> Bool = { _, _ in true }) throws -> Int {
        try stream(columns: columns, total: try crm.count(view, for: actor), sheet: Localized(ro: "Produse", en: "Products"),
                   format: format, to: path, excelBOM: excelBOM, language: language, progress: progress) { body in
            try crm.forEachRow(in: view, columns: columns, for: actor, body)
        }
    }

    public static func invoices(_ view: InvoiceView, columns: [InvoiceColumn], format: ExportFormat, to path: String,
                                excelBOM: Bool = false, crm: CRM, actor: Actor, language: Language,
                                progress: (Int, Int) -> Bool = { _, _ in true }) throws -> Int {
        try stream(columns: columns, total: try crm.count(view, for: actor), sheet: Localized(ro: "Facturi", en: "Invoices"),
                   format: format, to: path, excelBOM: excelBOM, language: language, progress: progress) { body in
            try crm.forEachRow(in: view, columns: columns, for: actor, body)
        }
    }

    /// Writes the rows `read` produces (it calls its argument with each row's
    /// cells until that returns false) under the columns' labels: a second
    /// thread reads rows in batches while this one writes them.
    static func stream<Row, Order>(columns: [TableColumn<Row, Order>], total: Int, sheet: Localized, format: ExportFormat, to path: String,
                                   excelBOM: Bool, language: Language, progress: (Int, Int) -> Bool,
                                   read: @escaping @Sendable (([CellValue]) throws -> Bool) throws -> Void) throws -> Int {
        let writer = try Self.writer(format, path: path, labels: columns.map { $0.label.text(language) }, widths: columns.map(\.width),
                                     sheet: sheet.text(language), excelBOM: excelBOM, language: language)
        let batches = Producer<[[CellValue]]>(capacity: 8) { put in
            var batch: [[CellValue]] = []
            batch.reserveCapacity(1000)
            try read { cells in
                batch.append(cells)
                guard batch.count == 1000 else { return true }
                defer { batch.removeAll(keepingCapacity: true) }
                return put(batch)
            }
            if !batch.isEmpty { _ = put(batch) }
        }
        var done = 0
        do {
            while let batch = try batches.next() {
                for cells in batch { try writer.row(cells) }
                done += batch.count
                guard progress(done, total) else { throw CoreError.cancelled }
            }
            try writer.finish()
        } catch {
            batches.stop()
            writer.abandon()
            throw error
        }
        return done
    }

    static func writer(_ format: ExportFormat, path: String, labels: [String], widths: [Int], sheet: String, excelBOM: Bool,
                       language: Language) throws -> TableFileWriter {
        switch format {
        case .csv: return try CSVFileWriter(path: path, header: labels, bom: excelBOM, language: language)
        case .xlsx: return try XLSXFileWriter(path: path, widths: widths, labels: labels, sheet: sheet)
        }
    }

    /// Texts already in hand to the .xlsx or .csv file the path names (a report's list).
    public static func texts(_ rows: [[String]], labels: [String], widths: [Int], sheet: String, to path: String,
                             language: Language) throws {
        guard let format = ExportFormat(path: path) else {
            throw CoreError.invalid([.init(field: "file", value: path, reason: .rule(Localized(ro: "un fișier .xlsx sau .csv", en: "an .xlsx or .csv file")))])
        }
        try Self.rows(rows.map { $0.map(CellValue.text) }, labels: labels, widths: widths, sheet: sheet, format: format, to: path, language: language)
    }

    /// Exports rows already in hand (a list such as Note și fișiere): all of
    /// them or, on any error, no file.
    public static func rows(_ rows: [[CellValue]], labels: [String], widths: [Int], sheet: String, format: ExportFormat,
                            to path: String, excelBOM: Bool = false, language: Language) throws {
        let writer = try Self.writer(format, path: path, labels: labels, widths: widths, sheet: sheet, excelBOM: excelBOM, language: language)
        do {
            for cells in rows { try writer.row(cells) }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// The temporary file an export writes before it is complete.
    static func partialPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
    }

    static func cannotWrite(_ path: String, _ detail: String) -> CoreError {
        CoreError.refused(Localized(ro: "nu pot scrie \(path): \(detail); alegeți un dosar în care aveți drept de scriere",
                                    en: "cannot write \(path): \(detail); choose a folder you can write to"))
    }
}

/// CSV per RFC 4180: comma-separated, CRLF line ends, a field quoted when it
/// holds a comma, a quote or a line break (quotes doubled), UTF-8, optionally
/// with the byte-order mark Excel needs to read UTF-8. Numbers with a point,
/// dates as YYYY-MM-DD, yes/no in the interface's language.
final class CSVFileWriter: TableFileWriter {
    private let path: String
    private let partial: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let language: Language

    init(path: String, header: [String], bom: Bool, language: Language) throws {
        self.path = path
        self.language = language
        partial = TableExport.partialPath(path)
        guard FileManager.default.createFile(atPath: partial, contents: nil), let handle = FileHandle(forWritingAtPath: partial) else {
            throw TableExport.cannotWrite(path, String(cString: strerror(errno)))
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 16)
        if bom { buffer += [0xEF, 0xBB, 0xBF] }
        try line(header)
    }

    func row(_ cells: [CellValue]) throws {
        try line(cells.map { cell in
            switch cell {
            case .number(let d): return "\(d)"
            default: return cell.display(language)
            }
        })
    }

    private func line(_ fields: [String]) throws {
        for (i, field) in fields.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            if field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                buffer.append(0x22)
                for byte in field.utf8 {
                    if byte == 0x22 { buffer.append(0x22) }
                    buffer.append(byte)
                }
                buffer.append(0x22)
            } else {
                buffer += field.utf8
            }
        }
        buffer += [0x0D, 0x0A]
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        do { try handle.write(contentsOf: buffer) } catch { throw TableExport.cannotWrite(path, error.localizedDescription) }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        try flush()
        try handle.close()
        guard rename(partial, path) == 0 else { throw TableExport.cannotWrite(path, String(cString: strerror(errno))) }
    }

    func abandon() {
        try? handle.close()
        unlink(partial)
    }
}

/// .xlsx through libxlsxwriter in constant-memory mode (rows stream to disk):
/// a bold header row, frozen, with an autofilter; column widths from the
/// table's; numbers and money as numbers with a format, dates as Excel dates,
/// yes/no as booleans.
final class XLSXFileWriter: TableFileWriter {
    private let path: String
    private let partial: String
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    private let dateFormat: UnsafeMutablePointer<lxw_format>
    private let moneyFormat: UnsafeMutablePointer<lxw_format>
    private let columnCount: Int
    private var nextRow: UInt32 = 1

    /// A name Excel takes for a sheet: none of [ ] : * ? / \, not quoted, at most 31 characters, not empty.
    static func sheetName(_ name: String) -> String {
        let clean = String(name.map { "[]:*?/\\".contains($0) ? " " : $0 }).trimmingCharacters(in: CharacterSet(charactersIn: "' "))
        return clean.isEmpty ? "Sheet1" : String(clean.prefix(31))
    }

    init(path: String, widths: [Int], labels: [String], sheet name: String) throws {
        self.path = path
        partial = TableExport.partialPath(path)
        columnCount = labels.count
        // libxlsxwriter checks the folder only at the end: check it now.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard access(folder, W_OK) == 0 else { throw TableExport.cannotWrite(path, String(cString: strerror(errno))) }
        var options = lxw_workbook_options()
        options.constant_memory = 1
        guard let workbook = workbook_new_opt(partial, &options), let sheet = workbook_add_worksheet(workbook, Self.sheetName(name)) else {
            throw TableExport.cannotWrite(path, "libxlsxwriter")
        }
        self.workbook = workbook
        self.sheet = sheet
        let bold = workbook_add_format(workbook)!
        format_set_bold(bold)
        dateFormat = workbook_add_format(workbook)!
        format_set_num_format(dateFormat, "dd.mm.yyyy")
        moneyFormat = workbook_add_format(workbook)!
        format_set_num_format(moneyFormat, "#,##0.00")
        for i in labels.indices {
            let width = Double(max(widths[i], min(40, labels[i].count + 2)))
            worksheet_set_column(sheet, lxw_col_t(i), lxw_col_t(i), width, nil)
            worksheet_write_string(sheet, 0, lxw_col_t(i), labels[i], bold)
        }
        worksheet_freeze_panes(sheet, 1, 0)
    }

    func row(_ cells: [CellValue]) throws {
        let r = nextRow
        for (i, cell) in cells.enumerated() {
            let c = lxw_col_t(i)
            switch cell {
            case .empty: break
            case .text(let s): worksheet_write_string(sheet, r, c, s, nil)
            case .number(let d): worksheet_write_number(sheet, r, c, NSDecimalNumber(decimal: d).doubleValue, nil)
            case .money(let bani): worksheet_write_number(sheet, r, c, Double(bani) / 100, moneyFormat)
            case .bool(let b): worksheet_write_boolean(sheet, r, c, b ? 1 : 0, nil)
            case .date(let iso):
                let parts = iso.split(separator: "-").compactMap { Int32($0) }
                if parts.count == 3 {
                    var day = lxw_datetime(year: parts[0], month: parts[1], day: parts[2], hour: 0, min: 0, sec: 0)
                    worksheet_write_datetime(sheet, r, c, &day, dateFormat)
                } else {
                    worksheet_write_string(sheet, r, c, iso, nil)
                }
            }
        }
        nextRow += 1
    }

    func finish() throws {
        if columnCount > 0 { worksheet_autofilter(sheet, 0, 0, nextRow - 1, lxw_col_t(columnCount - 1)) }
        let result = workbook_close(workbook)
        workbook = nil
        guard result == LXW_NO_ERROR else {
            unlink(partial)
            throw TableExport.cannotWrite(path, String(cString: lxw_strerror(result)))
        }
        guard rename(partial, path) == 0 else { throw TableExport.cannotWrite(path, String(cString: strerror(errno))) }
    }

    func abandon() {
        if let workbook { workbook_close(workbook) }
        workbook = nil
        unlink(partial)
    }
}


