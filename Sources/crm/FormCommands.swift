import ArgumentParser
import CRMCore
import CRMDocuments
import CRMText
import Foundation

/// `crm form`: web forms (ADM-3) — designed here or in Administrare → Formulare
/// web, pasted into the company site, received by `crm serve`.
struct FormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form",
        abstract: "Web forms: leads from the company site arrive as accounts (served by crm serve).",
        discussion: """
            A field is LABEL=TARGET[:TYPE][:required], e.g. "Firma=account.name:required", "E-mail=contact.email:email:required", \
            "Mesaj=account.notes:textarea". TARGET is account.FIELD (name, cui, email, phone, city, county, notes…), \
            contact.FIELD (name, role, phone, mobile, email, notes) or custom.KEY; TYPE is one of \
            \(WebFieldType.allCases.map(\.rawValue).joined(separator: ", ")). A predefined value is TARGET=VALUE, \
            e.g. "account.folder=Conturi/Lead-uri web", "account.owner=ana", "account.zone=Nord"; visitors never see it.
            """,
        subcommands: [Add.self, Edit.self, List.self, Show.self, HTML.self, Submissions.self, Renew.self, Remove.self])

    /// The options a form is made or changed with.
    struct Design: ParsableArguments {
        @Option(name: .customLong("field"), help: "A field: LABEL=TARGET[:TYPE][:required] (repeat; in order).") var fields: [String] = []
        @Option(name: .customLong("preset"), help: "A predefined value: TARGET=VALUE (repeat).") var presets: [String] = []
        @Option(help: "What a visitor reads after sending it.") var success: String?
        @Option(help: "What a visitor reads when it is refused.") var error: String?
        @Option(help: "Send the visitor to this address after a submission instead ('' clears).") var successURL: String?
        @Option(help: "Send the visitor to this address when it is refused instead ('' clears).") var errorURL: String?
        @Option(help: "The company site (https://www.firma.ro) whose pages send it; others are refused ('' clears).") var site: String?
        @Option(help: "A submission whose e-mail or CUI an account has: attach or reject.") var duplicates: String?
        @Option(help: "The user told of each submission in their terminal ('' : the account's owner).") var notify: String?

        func apply(to d: inout WebFormDefinition, crm: CRM) throws {
            if !fields.isEmpty {
                d.fields = try fields.map { spec in
                    var (field, typed) = try Self.field(spec)
                    // A type not given follows the column (a custom yes/no column is a checkbox…).
                    if !typed, let target = WebFormTarget(field.target) { field.type = try crm.defaultWebFieldType(target) }
                    return field
                }
            }
            if !presets.isEmpty { d.presets = try presets.map(Self.preset) }
            if let success { d.successMessage = success }
            if let error { d.errorMessage = error }
            if let successURL { d.successURL = successURL }
            if let errorURL { d.errorURL = errorURL }
            if let site { d.site = site }
            if let notify { d.notify = notify }
            if let duplicates {
                guard let p = WebFormDuplicates(rawValue: duplicates.lowercased()) else {
                    throw CLIError(message: Localized(ro: "--duplicates așteaptă attach sau reject", en: "--duplicates expects attach or reject"))
                }
                d.duplicates = p
            }
        }

        static func field(_ spec: String) throws -> (WebFormField, typed: Bool) {
            guard let eq = spec.firstIndex(of: "=") else {
                throw CLIError(message: Localized(ro: "câmpul «\(spec)» se scrie ETICHETĂ=ȚINTĂ[:TIP][:required], de ex. \"Firma=account.name:required\"",
                                                  en: "the field «\(spec)» is written LABEL=TARGET[:TYPE][:required], e.g. \"Firma=account.name:required\""))
            }
            let parts = spec[spec.index(after: eq)...].split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
            var type: WebFieldType?
            var required = false
            for extra in parts.dropFirst() {
                if ["required", "obligatoriu"].contains(extra.lowercased()) { required = true } else if let t = WebFieldType(rawValue: extra.lowercased()) {
                    type = t
                } else {
                    throw CLIError(message: Localized(
                        ro: "«\(extra)» în «\(spec)»: nici tip (\(WebFieldType.allCases.map(\.rawValue).joined(separator: ", "))), nici required",
                        en: "«\(extra)» in «\(spec)»: neither a type (\(WebFieldType.allCases.map(\.rawValue).joined(separator: ", "))) nor required"))
                }
            }
            return (WebFormField(label: String(spec[..<eq]), target: parts.first ?? "", type: type, required: required), type != nil)
        }

        static func preset(_ spec: String) throws -> WebFormPreset {
            guard let eq = spec.firstIndex(of: "=") else {
                throw CLIError(message: Localized(ro: "valoarea predefinită «\(spec)» se scrie ȚINTĂ=VALOARE, de ex. \"account.folder=Lead-uri\"",
                                                  en: "the predefined value «\(spec)» is written TARGET=VALUE, e.g. \"account.folder=Leads\""))
            }
            return WebFormPreset(target: String(spec[..<eq]), value: String(spec[spec.index(after: eq)...]))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Adăugare formular: a new form, with its unguessable address.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The form's name.") var name: String
        @OptionGroup var design: Design
        @Flag(help: "Made switched off (its address answers nothing until enabled).") var disabled = false
        func run() throws {
            let s = try Session.open(database)
            var d = WebFormDefinition(name: name)
            try design.apply(to: &d, crm: s.crm)
            d.enabled = !disabled
            let form = try s.crm.saveWebForm(d, by: s.actor)
            s.print(s.t("Formular adăugat: \(form.definition.name), adresa \(WebFormHTML.path)\(form.token)",
                        "Form added: \(form.definition.name), address \(WebFormHTML.path)\(form.token)"))
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a form: the options given (--field replaces every field, --preset every predefined value); its address stays.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The form.") var form: String
        @Option(help: "A new name.") var name: String?
        @OptionGroup var design: Design
        @Flag(inversion: .prefixedEnableDisable, help: "Switch the form on or off.") var enabled: Bool?
        @Flag(help: "Remove every predefined value.") var noPresets = false
        func run() throws {
            let s = try Session.open(database)
            var d = try s.crm.webForm(form, for: s.actor).definition
            try design.apply(to: &d, crm: s.crm)
            if noPresets { d.presets = [] }
            if let name { d.name = name }
            if let enabled { d.enabled = enabled }
            let saved = try s.crm.saveWebForm(d, replacing: form, by: s.actor)
            s.print(s.t("Formular salvat: ", "Form saved: ") + saved.definition.name)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The forms, their fields and submissions.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            let s = try Session.open(database)
            let forms = try s.crm.webForms(for: s.actor)
            if output.json { s.printJSON(.array(forms.map { FormCommand.json($0) })); return }
            s.print(TextTable(headers: [s.t("Formular", "Form"), s.t("Câmpuri", "Fields"), s.t("Înregistrări", "Submissions"),
                                        s.t("Ultima", "Last"), s.t("Activ", "Enabled"), s.t("Adresa", "Address")],
                              rows: forms.map { f in
                                  [f.definition.name, "\(f.definition.fields.count)", "\(f.submissions)", f.lastSubmission.map { Timestamp.local($0) } ?? "",
                                   f.definition.enabled ? s.t("da", "yes") : s.t("nu", "no"), WebFormHTML.path + f.token]
                              }).render())
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A form's settings, fields and predefined values.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The form.") var form: String
        func run() throws {
            let s = try Session.open(database)
            let f = try s.crm.webForm(form, for: s.actor)
            if output.json { s.printJSON(FormCommand.json(f)); return }
            let d = f.definition
            var lines = [
                d.name + (d.enabled ? "" : s.t(" (oprit)", " (disabled)")),
                s.t("Adresa: ", "Address: ") + WebFormHTML.path + f.token,
                s.t("Mesaj de succes: ", "Success message: ") + d.successMessage,
                s.t("Mesaj de eroare: ", "Error message: ") + d.errorMessage,
            ]
            if let u = d.successURL { lines.append(s.t("Adresă după succes: ", "Success address: ") + u) }
            if let u = d.errorURL { lines.append(s.t("Adresă după eroare: ", "Error address: ") + u) }
            lines.append(s.t("Site: ", "Site: ") + (d.site ?? s.t("oricare", "any")))
            lines.append(s.t("Duplicate: ", "Duplicates: ") + (s.lang == .ro ? d.duplicates.label.ro : d.duplicates.label.en))
            lines.append(s.t("Anunță: ", "Notifies: ") + (d.notify ?? s.t("responsabilul contului", "the account's owner")))
            lines.append(s.t("Înregistrări: ", "Submissions: ") + "\(f.submissions)")
            s.print(Sanitize.block(lines.joined(separator: "\n")) + "\n")
            s.print(TextTable(headers: [s.t("Câmp", "Field"), s.t("Nume în pagină", "Name in the page"), s.t("Coloană", "Column"),
                                        s.t("Tip", "Type"), s.t("Obligatoriu", "Required")],
                              rows: d.fields.map { [$0.label, $0.name, $0.target, $0.type.rawValue, $0.required ? s.t("da", "yes") : ""] }).render())
            if !d.presets.isEmpty {
                s.print(TextTable(headers: [s.t("Câmp predefinit", "Predefined field"), s.t("Valoare", "Value")],
                                  rows: d.presets.map { [$0.target, $0.value] }).render())
            }
        }
    }

    struct HTML: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "html", abstract: "Generează formular: the HTML to paste into the company site.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The form.") var form: String
        @Option(help: "The service's public address (default: the one crm serve --public-url recorded).") var base: String?
        @Option(name: [.customShort("o"), .long], help: "Write it to this file instead of standard output.") var output: String?
        func run() throws {
            let s = try Session.open(database)
            let f = try s.crm.webForm(form, for: s.actor)
            guard let base = try base ?? s.crm.trackingURL() else {
                throw CLIError(message: Localized(
                    ro: "adresa publică a serviciului nu e cunoscută: dați --base https://crm.firma.ro sau porniți crm serve --public-url …",
                    en: "the service's public address is not known: give --base https://crm.firma.ro or start crm serve --public-url …"))
            }
            let html = WebFormHTML.snippet(f, action: f.address(base: base))
            if let output {
                try NewFile.write(Array(html.utf8), to: output)
                s.print(s.t("Formular scris: \(output)", "Form written: \(output)"))
            } else {
                Swift.print(html, terminator: "")
            }
        }
    }

    struct Submissions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A form's submissions, newest first (-o: to .xlsx or .csv).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The form.") var form: String
        @Option(name: [.customShort("o"), .long], help: "Export to this .xlsx or .csv file.") var file: String?
        func run() throws {
            let s = try Session.open(database)
            let rows = try s.crm.submissions(ofForm: form, for: s.actor)
            if output.json {
                s.printJSON(.array(rows.map { r in
                    .object([("uuid", .string(r.uuid)), ("at", .string(Timestamp.iso(r.at))), ("account", .optional(r.accountUUID)),
                             ("accountName", .optional(r.accountName)), ("outcome", .string(r.attached ? "attached" : "created")),
                             ("summary", .string(r.summary))])
                }))
                return
            }
            let table = WebSubmissionTable(rows, language: s.lang)
            if let file {
                try table.export(to: file, language: s.lang)
                s.print(s.t("\(rows.count) înregistrări exportate în \(file)", "\(rows.count) submissions exported to \(file)"))
                return
            }
            s.print(TextTable(headers: table.headers, rows: table.rows).render())
        }
    }

    struct Renew: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A new address for a form (the old one stops answering): paste its HTML again.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The form.") var form: String
        func run() throws {
            let s = try Session.open(database)
            let token = try s.crm.renewWebFormAddress(form, by: s.actor)
            s.print(s.t("Adresa nouă: ", "New address: ") + WebFormHTML.path + token)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a form (the accounts it made stay).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The form.") var form: String
        func run() throws {
            let s = try Session.open(database)
            try s.crm.deleteWebForm(form, by: s.actor)
            s.print(s.t("Formular șters: ", "Form deleted: ") + form)
        }
    }

    static func json(_ f: WebFormDetails) -> JSONDocument {
        let d = f.definition
        return .object([
            ("name", .string(d.name)), ("token", .string(f.token)), ("path", .string(WebFormHTML.path + f.token)),
            ("enabled", .bool(d.enabled)), ("successMessage", .string(d.successMessage)), ("errorMessage", .string(d.errorMessage)),
            ("successURL", .optional(d.successURL)), ("errorURL", .optional(d.errorURL)), ("site", .optional(d.site)),
            ("duplicates", .string(d.duplicates.rawValue)), ("notify", .optional(d.notify)),
            ("fields", .array(d.fields.map { .object([("name", .string($0.name)), ("label", .string($0.label)), ("target", .string($0.target)),
                                                       ("type", .string($0.type.rawValue)), ("required", .bool($0.required))]) })),
            ("presets", .array(d.presets.map { .object([("target", .string($0.target)), ("value", .string($0.value))]) })),
            ("submissions", .int(Int64(f.submissions))),
        ])
    }
}
