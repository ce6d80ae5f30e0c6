import ArgumentParser
import CRMCore
import CRMDocuments
import Foundation

/// `crm company`: Setări firmă — the supplier on offers, invoices and price lists.
struct CompanyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "company", abstract: "The company's profile (Setări firmă): name, CUI, address, bank, logo — printed on documents.",
        subcommands: [Show.self, Set.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            let s = try Session.open(database)
            let profile = try s.crm.companyProfile()
            if output.json {
                s.printJSON(.array([.object(CompanyProfile.Field.allCases.map { ($0.rawValue, .optional(profile[$0])) }
                                            + [("logo", .bool(profile.logo != nil))])]))
                return
            }
            s.print(RecordSheet(CompanyProfile.Field.allCases.map { ($0.label.text(s.lang), profile[$0] ?? "") }
                                + [(s.t("Siglă", "Logo"), profile.logo == nil ? "—" : s.t("da (PNG)", "yes (PNG)"))]).render())
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change the profile (administrators); \"\" clears a field.")
        @OptionGroup var database: DatabaseOptions
        @Option var name: String?
        @Option(help: "CUI/CIF, with RO for a VAT payer.") var cui: String?
        @Option(name: .customLong("vat-payer"), help: "da/nu (yes/no).") var vatPayer: String?
        @Option(name: .customLong("trade-register"), help: "Nr. Reg. Com., e.g. J40/1234/2001.") var tradeRegister: String?
        @Option var address: String?
        @Option var city: String?
        @Option var county: String?
        @Option var phone: String?
        @Option var email: String?
        @Option var website: String?
        @Option var iban: String?
        @Option var bank: String?
        @Option(help: "A PNG or JPEG file: the logo printed on documents.") var logo: String?
        @Flag(name: .customLong("no-logo"), help: "Remove the logo.") var noLogo = false

        func run() throws {
            let s = try Session.open(database)
            let given: [(CompanyProfile.Field, String?)] = [(.name, name), (.cui, cui), (.vatPayer, vatPayer), (.tradeRegister, tradeRegister),
                                                            (.address, address), (.city, city), (.county, county), (.phone, phone),
                                                            (.email, email), (.website, website), (.iban, iban), (.bank, bank)]
            var image: [UInt8]? = noLogo ? [] : nil
            if let logo {
                guard let data = FileManager.default.contents(atPath: logo) else {
                    throw CLIError(message: Localized(ro: "nu pot citi fișierul \(logo)", en: "cannot read the file \(logo)"))
                }
                image = [UInt8](data)
            }
            try s.crm.setCompanyProfile(Dictionary(uniqueKeysWithValues: given.compactMap { f, v in v.map { (f, $0) } }), logo: image, by: s.actor)
            s.print(s.t("Profilul firmei a fost salvat", "The company's profile was saved"))
        }
    }
}
