import CRMCore
import CRMStore
import Foundation

/// The accounts import template (ACC-7): the fixed columns an import reads, in
/// order, with Romanian headers (README: "The import template"), then the custom
/// columns in use; a header row and one example row.
public enum AccountTemplate {
    /// The standard columns, in the template's order: the account's fields, then
    /// its primary contact.
    public static let fields: [(header: String, field: AccountField?, contact: ContactField?)] = {
        var out: [(String, AccountField?, ContactField?)] = AccountField.allCases.map { ($0.label.ro, $0, nil) }
        out += [("Persoană de contact", nil, .name), ("Funcție contact", nil, .role), ("Telefon contact", nil, .phone),
                ("Mobil contact", nil, .mobile), ("E-mail contact", nil, .email)]
        return out
    }()

    public static func headers(custom: [CustomColumnRecord]) -> [String] {
        fields.map(\.header) + custom.map(\.label)
    }

    /// A filled-in example: a company that passes every check.
    public static func example(custom: [CustomColumnRecord], owner: String, zone: String?) -> [CellValue] {
        let values: [AccountField: String] = [
            .code: "CL9000001", .name: "Știința Nouă SRL", .kind: "company", .cui: "RO14399840", .tradeRegister: "J12/345/2010",
            .vatPayer: "da", .address: "Strada Memorandumului nr. 28", .city: "Cluj-Napoca", .county: "Cluj", .country: "RO",
            .zone: zone ?? "", .phone: "0264 123 456", .mobile: "0722 123 456", .email: "office@stiintanoua.ro",
            .website: "www.stiintanoua.ro", .iban: "RO49AAAA1B31007593840000", .bank: "Banca Transilvania", .owner: owner,
            .folder: CRM.rootFolderName, .tags: "Client", .notes: "",
        ]
        let contact: [ContactField: String] = [.name: "Ioana Marin", .role: "Director", .phone: "0264 123 457", .mobile: "0744 555 666",
                                                .email: "ioana.marin@stiintanoua.ro"]
        var row: [CellValue] = fields.map { f in
            if let field = f.field { return CellValue(text: values[field]) }
            return CellValue(text: f.contact.flatMap { contact[$0] })
        }
        for column in custom {
            switch CustomColumnType(rawValue: column.type) {
            case .number?: row.append(.number(25))
            case .money?: row.append(.money(125_050))
            case .date?: row.append(.date("2024-03-01"))
            case .bool?: row.append(.bool(true))
            case .choice?: row.append(CellValue(text: CustomColumns.choices(of: column).first))
            default: row.append(.empty)
            }
        }
        return row
    }

    /// Writes the template (.xlsx or .csv, by the name).
    public static func write(to path: String, crm: CRM, actor: Actor) throws {
        guard let format = ExportFormat(path: path) else {
            throw CoreError.refused(Localized(ro: "numiți fișierul .xlsx sau .csv", en: "name the file .xlsx or .csv"))
        }
        let custom = try crm.customColumns(entity: "account", for: actor)
        let headers = headers(custom: custom)
        let zone = try crm.zones(for: actor).first?.name
        let writer: TableFileWriter
        switch format {
        case .csv: writer = try CSVFileWriter(path: path, header: headers, bom: false, language: .ro)
        case .xlsx: writer = try XLSXFileWriter(path: path, widths: headers.map { max(12, $0.count + 2) }, labels: headers, sheet: "Conturi")
        }
        do {
            try writer.row(example(custom: custom, owner: actor.login, zone: zone))
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }
}
