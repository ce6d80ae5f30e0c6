import ArgumentParser
import CRMCore
import CRMDocuments
import Foundation

/// `crm merge SURVIVOR OTHER...`: duplicates merged into one account, and undone.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge duplicate accounts into the first one (Unificare duplicate), or undo a merge.",
        discussion: """
            Each field keeps the most recently updated non-empty value unless --take says otherwise; \
            contacts move to the surviving account; the others are deleted. The merge is one \
            operation in the change log: `crm merge --undo ID` (or --undo alone: your last merge) \
            brings everything back as it was.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The surviving account, then the ones merged into it (code, CUI, UUID, #id or name).")
    var accounts: [String] = []
    @Option(name: .customLong("take"), help: "FIELD=ACCOUNT: take this field's value from that account (repeatable).")
    var take: [String] = []
    @Flag(name: .customLong("dry-run"), help: "Show the plan, change nothing.") var dryRun = false
    @Flag(help: "Undo a merge: the operation ID given, or your last merge.") var undo = false

    func run() throws {
        let s = try Session.open(database)
        if undo {
            guard accounts.count <= 1 else {
                throw CLIError(message: Localized(ro: "--undo primește cel mult un număr de operațiune", en: "--undo takes at most one operation number"))
            }
            let id = try accounts.first.map { ref -> Int64 in
                guard let id = Int64(ref.hasPrefix("#") ? String(ref.dropFirst()) : ref) else {
                    throw CLIError(message: Localized(ro: "«\(ref)» nu este un număr de operațiune", en: "«\(ref)» is not an operation number"))
                }
                return id
            }
            let undone = try s.crm.undoMerge(id, by: s.actor)
            s.print(s.t("Unificarea #\(undone) a fost anulată: conturile și persoanele de contact sunt ca înainte.",
                        "Merge #\(undone) undone: the accounts and contacts are as they were."))
            return
        }
        guard accounts.count >= 2 else {
            throw CLIError(message: Localized(ro: "dați contul care rămâne și cel puțin un cont de unit cu el",
                                              en: "give the account that stays and at least one account to merge into it"))
        }
        var plan = try s.crm.mergePlan(survivor: accounts[0], others: Array(accounts.dropFirst()), for: s.actor)
        for item in take {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let field = plan.fields.firstIndex(where: { $0.name == parts[0] || $0.key == parts[0] }) else {
                let names = plan.fields.map(\.name).joined(separator: ", ")
                throw CLIError(message: Localized(ro: "--take «\(item)»: scrieți CÂMP=CONT; câmpuri: \(names)",
                                                  en: "--take «\(item)»: write FIELD=ACCOUNT; fields: \(names)"))
            }
            let chosen = try s.crm.account(parts[1], for: s.actor).record.meta!.id
            guard let index = plan.accounts.firstIndex(where: { $0.record.meta!.id == chosen }) else {
                throw CLIError(message: Localized(ro: "--take «\(item)»: contul nu este unul dintre cele unificate",
                                                  en: "--take «\(item)»: that account is not one of those merged"))
            }
            plan.fields[field].chosen = index
        }
        let headers = [s.t("Câmp", "Field")] + plan.accounts.map { $0.record.code ?? "#\($0.record.meta!.id)" } + [s.t("Rămâne", "Kept")]
        let rows = plan.fields.filter { $0.differs }.map { f in
            [f.label.text(s.lang)] + f.shown.enumerated().map { $0.offset == f.chosen ? "▶ " + $0.element : $0.element } + [f.shown[f.chosen]]
        }
        if output.json && dryRun {
            s.printJSON(.object([
                ("accounts", .array(plan.accounts.map { .string($0.record.meta!.uuid.description) })),
                ("fields", .array(plan.fields.filter { $0.differs }.map { f in
                    .object([("field", .string(f.name)), ("values", .array(f.shown.map { .string($0) })), ("chosen", .int(Int64(f.chosen)))])
                })),
            ]))
        } else if !output.json {
            s.print(TextTable(headers: headers, rows: rows).render())
            s.print(s.t("Persoane de contact: ", "Contacts: ") + plan.contacts.map(String.init).joined(separator: " + "))
        }
        if dryRun {
            if !output.json { s.print(s.t("Probă: nimic nu s-a schimbat.", "Dry run: nothing was changed.")) }
            return
        }
        let result = try s.crm.merge(plan, by: s.actor)
        if output.json {
            s.printJSON(.object([("operation", .int(result.operation)), ("survivor", .string(result.survivor.meta!.uuid.description)),
                                 ("merged", .int(Int64(result.merged))), ("contactsMoved", .int(Int64(result.contactsMoved)))]))
            return
        }
        s.print(s.t("Unificarea #\(result.operation): \(result.merged) conturi unite în «\(result.survivor.name)», \(result.contactsMoved) persoane de contact mutate. Anulare: crm merge --undo \(result.operation)",
                    "Merge #\(result.operation): \(result.merged) accounts merged into «\(result.survivor.name)», \(result.contactsMoved) contacts moved. Undo: crm merge --undo \(result.operation)"))
    }
}
