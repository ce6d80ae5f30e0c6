import CRMCore
import CRMStore
import TUIKit

/// A product's fields as a form: the Produse page's dialog and a new product
/// made on the spot from Adăugare Ofertă. Field ids are `ProductField` names,
/// so the form's values go to the core as they are.
enum ProductForm {
    static func form(_ existing: ProductDetails?, rates: [String], withDescription: Bool, language: Language) -> Form {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let r = existing?.record
        var fields = [
            FormField(id: ProductField.code.rawValue, label: ProductField.code.label.text(language), value: r?.code ?? "", mandatory: true),
            FormField(id: ProductField.name.rawValue, label: ProductField.name.label.text(language), value: r?.name ?? "", mandatory: true),
            FormField(id: ProductField.unit.rawValue, label: ProductField.unit.label.text(language), value: r?.unit ?? "buc."),
            FormField(id: ProductField.price.rawValue, label: t("Preț fără TVA", "Price without VAT"), kind: .number,
                      value: r.map { Money.text($0.price) } ?? "", mandatory: true),
            FormField(id: ProductField.currency.rawValue, label: ProductField.currency.label.text(language), value: r?.currency ?? "RON"),
            FormField(id: ProductField.vat.rawValue, label: ProductField.vat.label.text(language),
                      kind: .choice(rates.map { FormField.Choice($0) }), value: existing?.vat.name ?? rates.first ?? ""),
            FormField(id: ProductField.category.rawValue, label: ProductField.category.label.text(language), value: r?.category ?? ""),
        ]
        if withDescription {
            fields.append(FormField(id: ProductField.description.rawValue, label: ProductField.description.label.text(language),
                                    kind: .multiline(rows: 4), value: r?.description ?? ""))
        }
        var form = Form(fields: fields)
        form.strings = language == .ro ? .romanian : .english
        return form
    }

    /// The values to save: every filled field of a new product, the changed ones of an existing one.
    static func input(_ form: Form, new: Bool) -> [ProductField: String] {
        var input: [ProductField: String] = [:]
        for field in new ? form.fields : form.changed {
            guard let f = ProductField(rawValue: field.id) else { continue }
            let value = field.value.trimmingCharacters(in: .whitespaces)
            // An empty field of a new product takes its default; of an existing one, it is cleared.
            if !new || !value.isEmpty || f == .code || f == .name { input[f] = value }
        }
        return input
    }
}
