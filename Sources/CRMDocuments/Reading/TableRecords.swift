import CRMCore
import Foundation

/// One row of a table file: its row number in the file (the line of a CSV
/// record's start, Excel's row number), its cells as text, and the cells that
/// hold a spreadsheet error (#N/A, #REF!…) instead of a value.
public struct TableRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
    public var errors: [Int: String]

    public init(line: Int, fields: [String], errors: [Int: String] = [:]) {
        self.line = line
        self.fields = fields
        self.errors = errors
    }
}

/// A table file read one record at a time, so that a file of any size is read
/// in bounded memory (ACC-7): the import engine and anything else that reads
/// tables (e-mail lists later) pull records from one of these.
public protocol TableRecordReader: AnyObject {
    /// The next record with any non-empty cell; nil at the end.
    func next() throws -> TableRecord?
    /// How far through the file, from 0 to 1 (for a progress bar).
    var fraction: Double { get }
    /// Releases the file (and any thread reading it) early.
    func close()
}

public enum TableFiles {
    /// A reader for an .xlsx or .csv file, chosen by its name.
    public static func reader(path: String, encoding: TableImport.Encoding? = nil) throws -> TableRecordReader {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "xlsx", "xlsm": return try XLSXRecordReader(path: path)
        case "csv", "txt", "tsv": return try CSVRecordReader(path: path, encoding: encoding)
        default:
            throw CoreError.refused(Localized(ro: "«\(path)»: se importă fișiere .xlsx sau .csv",
                                              en: "«\(path)»: .xlsx or .csv files are imported"))
        }
    }
}
