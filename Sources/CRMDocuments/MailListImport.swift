import CRMCore
import CRMText
import Foundation

/// A file of addresses (.xlsx or .csv) for an e-mail list (CMP-1), read by the
/// import engine's readers: a header row with an E-mail column (E-mail, Email,
/// Adresă e-mail) and optionally a name (Nume, Name, Persoană de contact), then
/// an address per row. Every bad row is named (row and value); with
/// `skipInvalid` the good ones are taken, else nothing is.
public enum MailListImport {
    public struct Rows: Sendable {
        public var addresses: [MailboxAddress] = []
        public var rejected: [(line: Int, value: String)] = []
    }

    static let emailHeaders: Set<String> = ["email", "e-mail", "adresa e-mail", "adresa email", "e-mail address", "email address", "mail"]
    static let nameHeaders: Set<String> = ["nume", "name", "persoana de contact", "contact", "nume complet", "full name"]

    public static func rows(path: String) throws -> Rows {
        let file = URL(fileURLWithPath: path).lastPathComponent
        let reader = try TableFiles.reader(path: path)
        defer { reader.close() }
        guard let header = try reader.next() else {
            throw CoreError.refused(Localized(ro: "«\(file)» este gol: prima linie numește coloanele (E-mail, Nume)",
                                              en: "«\(file)» is empty: the first row names the columns (E-mail, Name)"))
        }
        let keys = header.fields.map { Fold.key($0.trimmed()) }
        guard let emailColumn = keys.firstIndex(where: { emailHeaders.contains($0) }) else {
            throw CoreError.refused(Localized(ro: "«\(file)», rândul \(header.line): lipsește coloana E-mail (E-mail, Nume)",
                                              en: "«\(file)», row \(header.line): there is no E-mail column (E-mail, Name)"))
        }
        let nameColumn = keys.firstIndex { nameHeaders.contains($0) }
        var out = Rows()
        while let record = try reader.next() {
            let cell = { (i: Int) in i < record.fields.count ? record.fields[i].trimmed() : "" }
            let email = cell(emailColumn)
            if email.isEmpty && record.errors.isEmpty { continue }
            guard record.errors[emailColumn] == nil, let address = MailboxAddress.parse(email) else {
                out.rejected.append((record.line, record.errors[emailColumn] ?? email))
                continue
            }
            let name = nameColumn.map(cell).flatMap { $0.isEmpty ? nil : Diacritics.canonical($0) }
            out.addresses.append(MailboxAddress(address.email, name: name ?? address.name))
        }
        return out
    }
}
