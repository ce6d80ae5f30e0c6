import CRMCore
import CRMStore
import CRMText
import Foundation

/// Reading an import file into rows the core checks (ACC-7). CSV here: the
/// delimiter (`,` `;` or tab) found in the header line, quotes per RFC 4180,
/// UTF-8 with or without a BOM, or the legacy Romanian encodings Windows-1250
/// and ISO-8859-2 (found from the bytes, or given).
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

    /// The text of a file: UTF-8 when it decodes as such (a BOM is dropped),
    /// else Windows-1250 when bytes 0x80–0x9F occur (printable there, control
    /// codes in ISO-8859-2), else ISO-8859-2.
    public static func text(of data: Data, encoding: Encoding? = nil) throws -> (String, Encoding) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let chosen: Encoding
        if let encoding {
            chosen = encoding
        } else if String(data: bytes, encoding: .utf8) != nil {
            chosen = .utf8
        } else {
            chosen = bytes.contains { (0x80...0x9F).contains($0) } ? .windows1250 : .iso88592
        }
        guard let text = String(data: bytes, encoding: chosen.foundation) else {
            throw CoreError.refused(Localized(ro: "fișierul nu este text în \(chosen.rawValue); încercați --encoding",
                                              en: "the file is not \(chosen.rawValue) text; try --encoding"))
        }
        return (text, chosen)
    }

    /// The records of a CSV text, with the line each starts on.
    public static func csvRecords(_ text: String) throws -> [(line: Int, fields: [String])] {
        let chars = Array(text.replacingOccurrences(of: "\r\n", with: "\n"))
        let headerEnd = chars.firstIndex(of: "\n") ?? chars.count
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for c in chars[..<headerEnd] {
            if c == "\"" { quoted.toggle() } else if !quoted, counts[c] != nil { counts[c]! += 1 }
        }
        let delimiter = counts.max { ($0.value, $0.key == "," ? 1 : 0) < ($1.value, $1.key == "," ? 1 : 0) }!.key
        var out: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var line = 1, start = 1
        var i = 0
        var inQuotes = false
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
            } else if c == delimiter {
                fields.append(field)
                field = ""
            } else if c == "\n" {
                fields.append(field)
                if !(fields.count == 1 && fields[0].isEmpty) { out.append((start, fields)) }
                fields = []
                field = ""
                line += 1
                start = line
            } else {
                field.append(c)
            }
            i += 1
        }
        guard !inQuotes else {
            throw CoreError.refused(Localized(ro: "rândul \(start): ghilimele neînchise", en: "row \(start): an unclosed quote"))
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            out.append((start, fields))
        }
        return out
    }

    /// Import rows from the records of a file with the template's header; a
    /// different header is refused, naming what was expected and what was found.
    public static func accountRows(_ records: [(line: Int, fields: [String])], custom: [CustomColumnRecord]) throws -> [ImportRow] {
        let expected = AccountTemplate.headers(custom: custom)
        guard let header = records.first else {
            throw CoreError.refused(Localized(ro: "fișierul este gol", en: "the file is empty"))
        }
        // Legacy files spell ş and ţ with a cedilla: the same letters.
        let found = header.fields.map { Diacritics.canonical($0.trimmingCharacters(in: .whitespaces)) }
        guard found == expected else {
            let missing = expected.filter { !found.contains($0) }, extra = found.filter { !expected.contains($0) }
            throw CoreError.refused(Localized(
                ro: "capul de tabel nu este al șablonului (crm template accounts): lipsesc [\(missing.joined(separator: ", "))], în plus [\(extra.joined(separator: ", "))]; se așteaptă: \(expected.joined(separator: ", ")); s-a găsit: \(found.joined(separator: ", "))",
                en: "the header is not the template's (crm template accounts): missing [\(missing.joined(separator: ", "))], extra [\(extra.joined(separator: ", "))]; expected: \(expected.joined(separator: ", ")); found: \(found.joined(separator: ", "))"))
        }
        let standard = AccountTemplate.fields
        return records.dropFirst().map { record in
            var row = ImportRow(line: record.line, input: AccountInput(), contact: [:], source: record.fields)
            for (i, raw) in record.fields.enumerated() where i < expected.count {
                let value = raw.trimmingCharacters(in: .whitespaces)
                if i < standard.count {
                    if let field = standard[i].field { if !value.isEmpty { row.input.fields[field] = value } }
                    if let contact = standard[i].contact, !value.isEmpty { row.contact[contact] = value }
                } else if !value.isEmpty {
                    row.input.custom[custom[i - standard.count].key] = value
                }
            }
            return row
        }
    }

    /// The rows an import refused, as the file had them, with a column that says
    /// why: fix them there and import the file again.
    public static func writeRejects(_ rows: [ImportRow], report: ImportReport, header: [String], to path: String,
                                    language: Language) throws {
        let reasons = Dictionary(report.rejected.map { ($0.line, $0.problems.map { $0.message(language) }.joined(separator: "; ")) },
                                 uniquingKeysWith: { a, _ in a })
        let labels = header + [Localized(ro: "Rândul", en: "Row").text(language), Localized(ro: "Motiv", en: "Reason").text(language)]
        let writer: TableFileWriter = try XLSXFileWriter(path: path, widths: labels.map { max(12, $0.count + 2) }, labels: labels,
                                                         sheet: Localized(ro: "Respinse", en: "Rejected").text(language))
        do {
            for row in rows {
                guard let reason = reasons[row.line] else { continue }
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
