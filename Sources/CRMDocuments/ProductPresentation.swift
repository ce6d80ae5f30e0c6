import CRMCore
import CRMStore

/// The catalogue as the command line shows it.
public enum ProductPresentation {
    public static func json(_ d: ProductDetails) -> JSONDocument {
        let r = d.record
        return .object([
            ("uuid", .string(d.uuid)), ("code", .string(r.code)), ("name", .string(r.name)), ("description", .optional(r.description)),
            ("unit", .string(r.unit)), ("price", .number(Money.text(r.price))), ("currency", .string(r.currency)),
            ("vat", .string(d.vat.name)), ("vatPercent", .number(Money.text(d.vat.percent))), ("vatExempt", .bool(d.vat.exempt)),
            ("category", .optional(r.category)),
        ] + AccountPresentation.meta(r.meta, createdBy: d.createdBy, updatedBy: d.updatedBy))
    }

    public static func row(_ d: ProductDetails) -> [String] {
        [d.record.code, d.record.name, d.record.unit, Money.text(d.record.price), d.record.currency, d.vat.name, d.record.category ?? ""]
    }

    public static func headers(_ language: Language) -> [String] {
        [ProductField.code, .name, .unit, .price, .currency, .vat, .category].map { $0.label.text(language) }
    }
}
