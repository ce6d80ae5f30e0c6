import CRMCore
import CRMText
import Foundation

/// A catalogue file (.xlsx or .csv) turned into the rows `CRM.importProducts`
/// checks: a header row naming the columns (Cod, Denumire, U.M., Preț unitar,
/// Monedă, Cotă TVA, Categorie, Descriere — or their English names, in any
/// order), then a product per row. The same for `crm product import` and the
/// Produse page's Import.
public enum ProductImport {
    public typealias Rows = [(line: Int, values: [ProductField: String])]

    /// The file's rows; a file that cannot be read as a whole is refused,
    /// naming the file, the row and the column.
    public static func rows(path: String) throws -> Rows {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let reader = try TableFiles.reader(path: path)
        defer { reader.close() }
        guard let header = try reader.next() else {
            throw CoreError.refused(Localized(ro: "«\(name)» este gol: prima linie numește coloanele (Cod, Denumire…)",
                                              en: "«\(name)» is empty: the first row names the columns (Code, Name…)"))
        }
        let fields = header.fields.map(ProductField.init(header:))
        let unknown = zip(header.fields, fields).filter { !$0.0.trimmed().isEmpty && $0.1 == nil }.map(\.0)
        guard unknown.isEmpty, fields.contains(.code), fields.contains(.name) else {
            let names = unknown.map { "«\($0)»" }.joined(separator: ", ")
            throw CoreError.refused(Localized(
                ro: "«\(name)», rândul \(header.line): " + (unknown.isEmpty ? "" : "coloane necunoscute \(names); ")
                    + "se cer Cod și Denumire, apoi oricare dintre U.M., Preț unitar, Monedă, Cotă TVA, Categorie, Descriere",
                en: "«\(name)», row \(header.line): " + (unknown.isEmpty ? "" : "unknown columns \(names); ")
                    + "Code and Name are needed, then any of Unit, Unit price, Currency, VAT rate, Category, Description"))
        }
        var rows: Rows = []
        while let record = try reader.next() {
            guard record.fields.contains(where: { !$0.trimmed().isEmpty }) else { continue }
            if let (column, error) = record.errors.min(by: { $0.key < $1.key }) {
                throw CoreError.refused(Localized(ro: "«\(name)», rândul \(record.line), coloana \(column + 1): \(error); nu s-a importat nimic",
                                                  en: "«\(name)», row \(record.line), column \(column + 1): \(error); nothing was imported"))
            }
            var values: [ProductField: String] = [:]
            for (i, field) in fields.enumerated() {
                guard let field else { continue }
                let cell = i < record.fields.count ? record.fields[i] : ""
                // An empty cell leaves an optional field as it is (its default for a new product).
                if !cell.trimmed().isEmpty || field == .code || field == .name { values[field] = cell }
            }
            rows.append((record.line, values))
        }
        return rows
    }

    /// Writes the import template (.xlsx or .csv, by the name): the columns in
    /// the interface's language, and one example product on the first VAT rate.
    public static func writeTemplate(to path: String, rates: [String], language: Language) throws {
        guard let format = ExportFormat(path: path) else {
            throw CoreError.refused(Localized(ro: "numiți fișierul .xlsx sau .csv", en: "name the file .xlsx or .csv"))
        }
        let fields: [ProductField] = [.code, .name, .unit, .price, .currency, .vat, .category, .description]
        let example: [CellValue] = [.text("SRV-001"), .text(language == .ro ? "Instalare și configurare" : "Installation and set-up"),
                                    .text("ore"), .money(25_000), .text("RON"), CellValue(text: rates.first), .text("Servicii"), .empty]
        try TableExport.rows([example], labels: fields.map { $0.label.text(language) }, widths: [12, 36, 8, 12, 8, 10, 16, 40],
                             sheet: language == .ro ? "Produse" : "Products", format: format, to: path, language: language)
    }

    /// What an import did, in one line, and each skipped row on its own.
    public static func summary(_ result: (added: Int, updated: Int, rejected: [ImportReport.Rejected]), language: Language) -> [String] {
        let ro = language == .ro
        var first = ro ? "\(result.added) produse adăugate, \(result.updated) modificate" : "\(result.added) products added, \(result.updated) changed"
        if !result.rejected.isEmpty {
            first += ro ? ", \(result.rejected.count) rânduri greșite sărite" : ", \(result.rejected.count) bad rows skipped"
        }
        return [first] + result.rejected.map { row in
            (ro ? "rândul \(row.line): " : "row \(row.line): ") + row.problems.map { $0.message(language) }.joined(separator: "; ")
        }
    }
}
