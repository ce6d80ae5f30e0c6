import ArgumentParser
import CRMCore
import CRMDocuments

struct ContactFieldOptions: ParsableArguments {
    @Option(help: "Name.") var name: String?
    @Option(help: "Role (Funcție).") var role: String?
    @Option(help: "Phone.") var phone: String?
    @Option(help: "Mobile phone.") var mobile: String?
    @Option(help: "E-mail.") var email: String?
    @Option(help: "Notes.") var notes: String?

    var input: [ContactField: String] {
        var out: [ContactField: String] = [:]
        for (f, v) in [(ContactField.name, name), (.role, role), (.phone, phone), (.mobile, mobile), (.email, email), (.notes, notes)] {
            if let v { out[f] = v }
        }
        return out
    }
}

struct ContactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "Contact persons of an account; one may be primary (★).",
        subcommands: [List.self, Add.self, Edit.self, Remove.self, Primary.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an account's contacts, the primary one first.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The account (UUID, code, CUI, #id or exact name).") var account: String

        func run() throws {
            let s = try Session.open(database)
            let contacts = try s.crm.contacts(ofAccount: account, for: s.actor)
            if output.json { s.printJSON(.array(contacts.map { AccountPresentation.json($0) })); return }
            s.print(TextTable(
                headers: ["★", ContactField.name.label.text(s.lang), ContactField.role.label.text(s.lang),
                          ContactField.mobile.label.text(s.lang), ContactField.email.label.text(s.lang), "UUID"],
                rows: contacts.map { [$0.isPrimary ? "★" : "", $0.name, $0.role ?? "", $0.mobile ?? $0.phone ?? "",
                                      $0.email ?? "", $0.meta!.uuid.description] }).render())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a contact to an account.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The account.") var account: String
        @OptionGroup var fields: ContactFieldOptions
        @Flag(help: "Make it the primary contact.") var primary = false

        func run() throws {
            let s = try Session.open(database)
            let c = try s.crm.addContact(toAccount: account, fields.input, primary: primary, by: s.actor)
            if output.json { s.printJSON(.array([AccountPresentation.json(c)])); return }
            s.print(s.t("Contact adăugat: ", "Contact added: ") + "\(c.name) (\(c.meta!.uuid))")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a contact (an empty value clears a field).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The contact (UUID or #id).") var contact: String
        @OptionGroup var fields: ContactFieldOptions
        @Option(name: .customLong("expect-version"), help: "Refuse if the contact is no longer at this version.")
        var expectVersion: Int64?

        func run() throws {
            let s = try Session.open(database)
            let changes = try s.crm.editContact(contact, fields.input, expectedVersion: expectVersion, by: s.actor)
            s.printChanges(changes, updated: Localized(ro: "Contact modificat", en: "Contact updated"))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a contact.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The contact (UUID or #id).") var contact: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.deleteContact(contact, by: s.actor)
            s.print(s.t("Contact șters.", "Contact deleted."))
        }
    }

    struct Primary: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a contact its account's primary contact.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The contact (UUID or #id).") var contact: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.setPrimaryContact(contact, by: s.actor)
            s.print(s.t("Contact principal setat.", "Primary contact set."))
        }
    }
}
