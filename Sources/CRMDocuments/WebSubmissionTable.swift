import CRMCore
import Foundation

/// A web form's submissions as a table — the terminal's, the command line's
/// and the exported file's: when, which account (new or reached), what was sent.
public struct WebSubmissionTable: Sendable {
    public let headers: [String]
    public let rows: [[String]]
    static let widths = [17, 28, 16, 24, 60]

    public init(_ submissions: [WebSubmissionDetails], language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        headers = [t("Primit", "Received"), t("Cont", "Account"), t("Rezultat", "Outcome"), t("Formular", "Form"), t("Date trimise", "Sent")]
        rows = submissions.map { s in
            [Timestamp.local(s.at), s.accountName ?? t("(șters sau în altă zonă)", "(deleted or in another zone)"),
             s.attached ? t("atașat contului existent", "attached to the existing account") : t("cont nou", "new account"),
             s.form, s.summary.replacingOccurrences(of: "\n", with: "; ")]
        }
    }

    /// Writes the table to an .xlsx or .csv file (whole, or nothing).
    public func export(to path: String, language: Language) throws {
        try TableExport.texts(rows, labels: headers, widths: Self.widths, sheet: language == .ro ? "Înregistrări" : "Submissions", to: path, language: language)
    }
}
