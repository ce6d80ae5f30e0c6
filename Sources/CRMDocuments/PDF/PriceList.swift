import CRMCore
import Foundation

/// The catalogue printed: Listă de prețuri — a heading, the date, then the
/// products with their unit, price without VAT, the VAT rate and the price with
/// VAT, grouped as the view orders them.
public enum PriceList {
    public static func document(_ products: [ProductDetails], title: String? = nil, company: CompanyProfile = CompanyProfile(),
                                logo: [UInt8]? = nil, day: String, language: Language) -> PrintDocument {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let heading = title ?? t("Listă de prețuri", "Price list")
        let table = PrintTable(columns: [
            .init(ProductField.code.label.text(language), weight: 12),
            .init(ProductField.name.label.text(language), weight: 41),
            .init(ProductField.unit.label.text(language), weight: 12),
            .init(t("Preț fără TVA", "Price without VAT"), weight: 14, alignment: .right),
            .init(t("TVA", "VAT"), weight: 7, alignment: .right),
            .init(t("Preț cu TVA", "Price with VAT"), weight: 14, alignment: .right),
        ], rows: products.map { d in
            let r = d.record
            return [r.code, r.name + (r.category.map { " · " + $0 } ?? ""), r.unit, Money.text(r.price) + " " + r.currency, d.vat.name,
                    Money.text(d.vat.gross(r.price)) + " " + r.currency]
        })
        var blocks: [PrintBlock] = []
        if let logo { blocks.append(.image(png: logo, width: 110)) }
        let supplier = company.lines(language)
        if let first = supplier.first {
            blocks.append(.paragraph(RichText([RichText.Run(first + "\n", bold: true), RichText.Run(supplier.dropFirst().joined(separator: "\n"))]),
                                     size: 8.5))
            blocks.append(.space(8))
        }
        blocks += [
            .paragraph(RichText(heading, bold: true), size: 16),
            .paragraph(RichText(t("Valabilă la data de \(day) · \(products.count) produse și servicii",
                                  "Valid on \(day) · \(products.count) products and services"), italic: true), size: 9),
            .space(6),
            .table(table),
        ]
        return PrintDocument(title: heading, blocks: blocks, footer: [company[.name], heading].compactMap { $0 }.joined(separator: " · "),
                             language: language)
    }

    /// Every product a view shows, printed to a PDF with the company's details
    /// and logo (the export right of the catalogue): how many products, how many pages.
    public static func write(_ view: ProductView, to path: String, fontFile: String? = nil, day: String, crm: CRM, actor: Actor,
                             language: Language) throws -> (products: Int, pages: Int) {
        try crm.policy.authorize(actor, .export, .offers)
        let products = try crm.products(view, limit: 0, for: actor)
        let printed = document(products, company: try crm.companyProfile(), logo: try crm.companyLogo(), day: day,
                               language: language)
        return (products.count, try PDFWriter(fontFile: fontFile).write(printed, to: path))
    }
}
