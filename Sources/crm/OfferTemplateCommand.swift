import ArgumentParser
import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import TUIKit

/// The sections of a template on the command line: as text, or from files.
struct TemplateSectionOptions: ParsableArguments {
    @Option(help: "Antet (header): text with **bold**, *italic*, \"- \" list items, [centrat] / [dreapta] paragraphs, {{placeholders}}.")
    var header: String?
    @Option(help: "Text 1 (before the lines).") var text1: String?
    @Option(help: "Text 2 (after the totals).") var text2: String?
    @Option(help: "Subsol (the footer of every page).") var footer: String?
    @Option(name: .customLong("header-file"), help: "The header from this file.") var headerFile: String?
    @Option(name: .customLong("text1-file"), help: "Text 1 from this file.") var text1File: String?
    @Option(name: .customLong("text2-file"), help: "Text 2 from this file.") var text2File: String?
    @Option(name: .customLong("footer-file"), help: "The footer from this file.") var footerFile: String?
    @Option(help: "A PNG or JPEG logo printed at the top.") var logo: String?

    func sections() throws -> [OfferTemplateSection: String] {
        var out: [OfferTemplateSection: String] = [:]
        for (section, text, file) in [(OfferTemplateSection.header, header, headerFile), (.text1, text1, text1File), (.text2, text2, text2File),
                                      (.footer, footer, footerFile)] {
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError(message: Localized(ro: "nu pot citi fișierul \(file)", en: "cannot read the file \(file)"))
                }
                out[section] = String(decoding: data, as: UTF8.self)
            } else if let text {
                // Typed on one line: \n starts a new line.
                out[section] = text.replacingOccurrences(of: "\\n", with: "\n")
            }
        }
        return out
    }

    func logoBytes() throws -> [UInt8]? {
        guard let logo else { return nil }
        guard let data = FileManager.default.contents(atPath: logo) else {
            throw CLIError(message: Localized(ro: "nu pot citi fișierul \(logo)", en: "cannot read the file \(logo)"))
        }
        return [UInt8](data)
    }
}

/// `crm offer-template`: the offer templates (OFF-1).
struct OfferTemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offer-template",
        abstract: "Offer templates (Șabloane ofertă): Antet, Text 1, Text 2 and Subsol with placeholders, and a logo.",
        discussion: "Placeholders: " + TemplateText.placeholders.map { "{{\($0.name)}} (\($0.meaning.en))" }.joined(separator: ", ") + ".",
        subcommands: [List.self, Show.self, Add.self, Edit.self, Preview.self])

    struct List: ParsableCommand {
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Retired ones too.") var all = false
        func run() throws {
            let s = try Session.open(database)
            let templates = try s.crm.offerTemplates(includingRetired: all, for: s.actor)
            if output.json {
                s.printJSON(.array(templates.map { t in
                    .object([("name", .string(t.name)), ("retired", .bool(t.retired)), ("logo", .bool(t.logo != nil))]
                            + OfferTemplateSection.allCases.map { ($0.rawValue, .string($0.text(of: t))) })
                }))
                return
            }
            s.print(TextTable(headers: [s.t("Șablon", "Template"), s.t("Siglă", "Logo"), s.t("Retras", "Retired")],
                              rows: templates.map { [$0.name, $0.logo == nil ? "" : "PNG", $0.retired ? s.t("da", "yes") : ""] }).render())
        }
    }

    struct Show: ParsableCommand {
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The template's name.") var name: String
        func run() throws {
            let s = try Session.open(database)
            let template = try s.crm.offerTemplate(name, for: s.actor)
            for section in OfferTemplateSection.allCases {
                s.print("── " + section.label.text(s.lang) + " ──")
                s.print(section.text(of: template))
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a template (administrators).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Its name.") var name: String
        @OptionGroup var sections: TemplateSectionOptions
        func run() throws {
            let s = try Session.open(database)
            let added = try s.crm.addOfferTemplate(name, try sections.sections(), logo: try sections.logoBytes(), by: s.actor)
            s.print(s.t("Șablon adăugat: ", "Template added: ") + added.name)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a template's sections, name or logo, or retire it (administrators).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The template's name.") var name: String
        @OptionGroup var sections: TemplateSectionOptions
        @Option(help: "A new name.") var rename: String?
        @Flag(name: .customLong("no-logo"), help: "Remove the logo.") var noLogo = false
        @Flag(help: "Retire it: offers made with it keep it, new ones cannot choose it.") var retire = false
        @Flag(help: "Bring it back.") var restore = false
        func run() throws {
            let s = try Session.open(database)
            let logo = noLogo ? [] : try sections.logoBytes()
            let saved = try s.crm.editOfferTemplate(name, try sections.sections(), rename: rename, logo: logo,
                                                    retired: retire ? true : restore ? false : nil, by: s.actor)
            s.print(s.t("Șablon salvat: ", "Template saved: ") + saved.name)
        }
    }

    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a template with example values to a PDF: the company's details, a client, a few lines of the catalogue.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The template's name.") var name: String
        @Option(help: "The client shown (an account: code, CUI, UUID or name); else an example.") var client: String?
        @Option(name: [.customShort("o"), .customLong("output")], help: "The PDF file.") var file: String
        @Option(help: "Set the text in this font file (default DejaVu Sans).") var fontFile: String?
        func run() throws {
            let s = try Session.open(database)
            let template = try s.crm.offerTemplate(name, for: s.actor)
            let account = try client.map { try s.crm.account($0, for: s.actor) }
            let user = try s.crm.users().first { $0.meta?.id == s.actor.id }
            let document = TemplateBlocks.preview(template, logo: try s.crm.logo(of: template) ?? s.crm.companyLogo(),
                                                  company: try s.crm.companyProfile(), client: account, user: user,
                                                  products: try s.crm.products(limit: 5, for: s.actor), day: CalendarDate.today.iso,
                                                  language: s.lang)
            let pages = try PDFWriter(fontFile: fontFile).write(document, to: file)
            s.print(s.t("Exemplu scris: \(file) (pagini: \(pages))", "Example written: \(file) (pages: \(pages))"))
        }
    }
}
