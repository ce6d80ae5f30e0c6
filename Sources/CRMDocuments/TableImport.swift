import CRMCore
import CRMStore
import CRMText
import Foundation

/// Turning a table file into rows the core checks (ACC-7): the file's reader
/// (`TableFiles.reader`: .xlsx or .csv), its header checked against the
/// template, each record mapped onto the template's fields.
public enum TableImport {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8 = "utf-8", windows1250 = "windows-1250", iso88592 = "iso-8859-2"

        var foundation: String.Encoding {
            switch self {
            case .utf8: return .utf8
            case .windows1250: return .windowsCP1250
            case .iso88592: return .isoLatin2
            }
        }
    }
}

/// Import rows pulled one at a time from a table file with the accounts
/// template's header: each column found by its header, in any order, a
/// template column the file lacks (an older template's) left empty; a header
/// the template does not have, or twice, is refused when the file is opened,
/// naming what was expected and what was found.
public final class AccountRowReader {
    public let records: TableRecordReader
    /// The file's header, as it was.
    public let header: [String]
    private let custom: [CustomColumnRecord]
    private let expected: [String]
    /// For each column of the file, its place in the template.
    private let places: [Int]

    public init(_ records: TableRecordReader, custom: [CustomColumnRecord]) throws {
        self.records = records
        self.custom = custom
        let expected = AccountTemplate.headers(custom: custom)
        self.expected = expected
        guard let first = try records.next() else {
            throw CoreError.refused(Localized(ro: "fișierul este gol", en: "the file is empty"))
        }
        header = first.fields
        // Legacy files spell ş and ţ with a cedilla: the same letters.
        var found = first.fields.map { Diacritics.canonical($0.trimmed()) }
        while found.last?.isEmpty == true { found.removeLast() }
        let places = found.map { expected.firstIndex(of: $0) ?? -1 }
        self.places = places
        guard !places.isEmpty, !places.contains(-1), Set(places).count == places.count else {
            let missing = expected.filter { !found.contains($0) }
            let extra = found.filter { !expected.contains($0) } + found.enumerated().filter { i, h in found[..<i].contains(h) }.map { $0.element }
            throw CoreError.refused(Localized(
                ro: "capul de tabel nu este al șablonului (crm template accounts): lipsesc [\(missing.joined(separator: ", "))], în plus [\(extra.joined(separator: ", "))]; se așteaptă: \(expected.joined(separator: ", ")); s-a găsit: \(found.joined(separator: ", "))",
                en: "the header is not the template's (crm template accounts): missing [\(missing.joined(separator: ", "))], extra [\(extra.joined(separator: ", "))]; expected: \(expected.joined(separator: ", ")); found: \(found.joined(separator: ", "))"))
        }
    }

    /// The next row, nil at the end of the file.
    public func next() throws -> ImportRow? {
        guard let record = try records.next() else { return nil }
        let standard = AccountTemplate.fields
        var row = ImportRow(line: record.line, input: AccountInput(), contact: [:], source: record.fields)
        for (column, raw) in record.fields.enumerated() where column < places.count {
            let value = raw.trimmed()
            guard !value.isEmpty else { continue }
            let i = places[column]
            if i < standard.count {
                if let field = standard[i].field { row.input.fields[field] = value }
                if let contact = standard[i].contact { row.contact[contact] = value }
            } else {
                row.input.custom[custom[i - standard.count].key] = value
            }
        }
        for (i, code) in record.errors.sorted(by: { $0.key < $1.key }) {
            let column = i < places.count ? expected[places[i]] : Self.columnName(i)
            row.issues.append(ValidationIssue(field: column, value: code, reason: .spreadsheetError))
            if row.source.count <= i { row.source += Array(repeating: "", count: i + 1 - row.source.count) }
            row.source[i] = code
        }
        return row
    }

    /// A spreadsheet column's letters ("A", "AB").
    static func columnName(_ index: Int) -> String {
        var n = index + 1, out = ""
        while n > 0 {
            out = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + out
            n = (n - 1) / 26
        }
        return out
    }
}

extension TableImport {
    /// The rows an import refused, as the file had them, with a column that says
    /// why: fix them there and import the file again.
    public static func writeRejects(_ rejected: [ImportReport.Rejected], header: [String], to path: String, language: Language) throws {
        let labels = header + [Localized(ro: "Rândul", en: "Row").text(language), Localized(ro: "Motiv", en: "Reason").text(language)]
        let writer: TableFileWriter = try XLSXFileWriter(path: path, widths: labels.map { max(12, $0.count + 2) }, labels: labels,
                                                         sheet: Localized(ro: "Respinse", en: "Rejected").text(language))
        do {
            for row in rejected {
                let reason = row.problems.map { $0.message(language) }.joined(separator: "; ")
                let cells = header.indices.map { CellValue(text: row.source.indices.contains($0) ? row.source[$0] : nil) }
                try writer.row(cells + [.number(Decimal(row.line)), .text(reason)])
            }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }
}
