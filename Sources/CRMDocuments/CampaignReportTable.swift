import CRMCore
import CRMStore
import CRMText

/// One list of a campaign's report as a table — the terminal's, the command
/// line's and the exported file's: a list of recipients, or those who clicked one link.
public struct CampaignReportTable: Sendable {
    public let title: String
    /// The sheet's name in Excel (no ':' or '/' there).
    let sheet: String
    public let headers: [String]
    public let rows: [[String]]
    static let widths = [32, 24, 10, 10, 10, 50]

    public init(_ report: CampaignReport, list: CampaignReportList, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        title = list.label.text(language)
        sheet = title
        headers = ["E-mail", t("Nume", "Name"), t("Stare", "State"), t("Deschideri", "Opens"), t("Clicuri", "Clicks"),
                   t("Răspunsul serverului", "Server's reply")]
        rows = report.members(list).map { [$0.email, $0.name ?? "", $0.state, "\($0.opens)", "\($0.clicks)", $0.reply ?? ""] }
    }

    /// Those who clicked one link, with their clicks on it.
    public init(_ report: CampaignReport, link url: String, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        title = t("Clic pe ", "Clicked ") + url
        sheet = t("Clic pe link", "Clicked the link")
        headers = ["E-mail", t("Nume", "Name"), t("Stare", "State"), t("Deschideri", "Opens"), t("Clicuri pe link", "Clicks on the link"),
                   t("Răspunsul serverului", "Server's reply")]
        rows = report.clickers(of: url).map { [$0.recipient.email, $0.recipient.name ?? "", $0.recipient.state, "\($0.recipient.opens)",
                                               "\($0.clicks)", $0.recipient.reply ?? ""] }
    }

    /// The links clicked: address, recipients who clicked, clicks.
    public static func links(_ report: CampaignReport, language: Language) -> (headers: [String], rows: [[String]]) {
        (["Link", language == .ro ? "Destinatari" : "Recipients", language == .ro ? "Clicuri" : "Clicks"],
         report.links.map { [$0.url, "\($0.recipients)", "\($0.clicks)"] })
    }

    /// Writes the table to an .xlsx or .csv file (whole, or nothing).
    public func export(to path: String, language: Language) throws {
        try TableExport.texts(rows, labels: headers, widths: Self.widths, sheet: sheet, to: path, language: language)
    }
}
