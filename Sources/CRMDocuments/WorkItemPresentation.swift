import CRMCore
import CRMStore

/// Opportunities, activities and notes as the command line shows them.
public enum WorkItemPresentation {
    public static func json(_ d: WorkItemDetails) -> JSONDocument {
        let r = d.record
        var pairs: [(String, JSONDocument)] = [
            ("uuid", .string(d.uuid)), ("kind", .string(r.kind)),
            ("account", .string(d.account.name)), ("accountCode", .optional(d.account.code)),
            ("stage", .string(d.stage.name)), ("won", .bool(d.stage.isWon)), ("lost", .bool(d.stage.isLost)),
            ("owner", .optional(d.owner)),
        ]
        if d.kind == .activity { pairs.append(("type", .optional(r.type))) }
        if d.kind == .opportunity {
            pairs.append(("amount", r.amount.map { .number(Money.text($0)) } ?? .null))
            pairs.append(("currency", .optional(r.currency)))
            pairs.append(("dueDate", .optional(r.dueDate)))
        }
        pairs += [("closeDate", .optional(r.closeDate)), ("details", .optional(r.details)),
                  ("reminder", r.reminderAt.map { .string(Timestamp.iso($0)) } ?? .null), ("reminderDismissed", .bool(r.reminderDone)),
                  ("custom", .object(d.custom.map { ($0.column.key, AccountPresentation.customJSON($0.value, $0.column)) }))]
        pairs += AccountPresentation.meta(r.meta, createdBy: d.createdBy, updatedBy: nil)
        return .object(pairs)
    }

    /// One line of a table: what, on which account, how far, for how much, when.
    /// An opportunity or activity list as a spreadsheet: the labels, and each
    /// item's typed cells (money as money, dates as dates).
    public static func exportLabels(_ kind: WorkItemKind, _ language: Language) -> [String] {
        var labels = [Localized(ro: "Cont", en: "Account"), WorkItemField.stage.label, WorkItemField.owner.label]
        labels += kind == .opportunity ? [WorkItemField.amount.label, WorkItemField.currency.label, WorkItemField.dueDate.label]
            : [WorkItemField.type.label]
        labels += [WorkItemField.closeDate.label, WorkItemField.reminder.label, WorkItemField.details.label]
        return labels.map { $0.text(language) }
    }

    public static func exportRow(_ d: WorkItemDetails) -> [CellValue] {
        let r = d.record
        var cells: [CellValue] = [.text(d.account.name), .text(d.stage.name), CellValue(text: d.owner)]
        cells += d.kind == .opportunity ? [r.amount.map(CellValue.money) ?? .empty, CellValue(text: r.currency), r.dueDate.map(CellValue.date) ?? .empty]
            : [CellValue(text: r.type)]
        cells += [r.closeDate.map(CellValue.date) ?? .empty, CellValue(text: r.reminderAt.map { Timestamp.local($0) }), CellValue(text: r.details)]
        return cells
    }

    /// Note și fișiere as a table: the labels, and each note's cells.
    public static func noteLabels(_ language: Language) -> [String] {
        [Localized(ro: "Data", en: "Date"), Localized(ro: "Cont", en: "Account"), Localized(ro: "Tip", en: "Type"),
         Localized(ro: "Text", en: "Text"), Localized(ro: "Fișiere", en: "Files"), Localized(ro: "De", en: "By")].map { $0.text(language) }
    }

    public static func noteRow(_ n: NoteDetails) -> [String] {
        [n.record.meta.map { Timestamp.local($0.createdAt) } ?? "", n.account, n.record.type ?? "", n.record.text,
         n.files.map(\.name).joined(separator: ", "), n.createdBy ?? ""]
    }

    public static func row(_ d: WorkItemDetails) -> [String] {
        let r = d.record
        let amount = r.amount.map { Money.text($0) + " " + (r.currency ?? "") } ?? ""
        return [d.account.name, d.stage.name, d.kind == .activity ? (r.type ?? "") : amount, d.owner ?? "",
                r.closeDate ?? r.dueDate ?? "", r.reminderAt.map { Timestamp.local($0) } ?? "", r.details ?? "", d.uuid]
    }

    public static func json(_ n: NoteDetails) -> JSONDocument {
        var pairs: [(String, JSONDocument)] = [("uuid", .string(n.record.meta?.uuid.description ?? "")), ("account", .string(n.account)),
                                               ("type", .optional(n.record.type)), ("text", .string(n.record.text))]
        pairs.append(("files", .array(n.files.map {
            .object([("uuid", .string($0.uuid)), ("name", .string($0.name)), ("size", .int($0.size)), ("mime", .optional($0.mime))])
        })))
        pairs += AccountPresentation.meta(n.record.meta, createdBy: n.createdBy, updatedBy: nil)
        return .object(pairs)
    }
}
