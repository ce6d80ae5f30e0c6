import Foundation
import GRDB

/// The entity tables the change log can name, by table.
public enum Entities {
    public static let all: [any Record.Type] = [
        UserRecord.self, ZoneRecord.self, UserSettingRecord.self, FieldRuleRecord.self, DuplicateDismissalRecord.self,
        SavedFilterRecord.self, UserZoneRecord.self, FolderRecord.self, AccountRecord.self, ContactRecord.self,
        CustomColumnRecord.self, IPRuleRecord.self, UserIPRuleRecord.self, AppSettingRecord.self,
        UserRightRecord.self, UserModuleRecord.self, StageRecord.self, WorkItemRecord.self, NoteTypeRecord.self,
        NoteRecord.self, FileBlobRecord.self, NoteFileRecord.self, VATRateRecord.self, ProductRecord.self,
        OfferTemplateRecord.self, OfferRecord.self, OfferLineRecord.self, DocSeriesRecord.self, LedgerAccountRecord.self,
        InvoiceRecord.self, InvoiceLineRecord.self, ExpenseRecord.self, PaymentRecord.self, LedgerEntryRecord.self, LedgerLineRecord.self,
        EmailTemplateRecord.self, EmailRecord.self, EmailFileRecord.self, MailListRecord.self, MailListMemberRecord.self,
        SuppressionRecord.self, CampaignRecord.self, CampaignRecipientRecord.self, BlockTemplateRecord.self,
        CampaignClickRecord.self, WebFormRecord.self, WebSubmissionRecord.self,
    ]

    static func type(_ table: String) -> (any Record.Type)? { all.first { $0.table == table } }

    /// Each entity's columns that hold another row's id, and that row's table
    /// (besides `created_by`/`updated_by`, which every entity has): between
    /// replicas these travel as the referenced row's UUID (docs/sync.md). A
    /// test holds it to the schema's foreign keys.
    public static let references: [String: [String: String]] = [
        "account": ["folder_id": "folder", "owner_id": "user", "zone_id": "zone"],
        "campaign": ["list_id": "mail_list"],
        "campaign_click": ["campaign_id": "campaign", "recipient_id": "campaign_recipient"],
        "campaign_recipient": ["account_id": "account", "campaign_id": "campaign"],
        "contact": ["account_id": "account"],
        "email": ["account_id": "account", "item_id": "work_item", "offer_id": "offer"],
        "email_file": ["blob_id": "file_blob", "email_id": "email"],
        "expense": ["account_id": "account", "expense_account_id": "ledger_account"],
        "folder": ["parent_id": "folder"],
        "invoice": ["account_id": "account", "item_id": "work_item", "offer_id": "offer", "revenue_account_id": "ledger_account", "storno_of": "invoice"],
        "invoice_line": ["invoice_id": "invoice", "product_id": "product"],
        "ledger_account": ["account_id": "account"],
        "ledger_line": ["entry_id": "ledger_entry", "ledger_account_id": "ledger_account"],
        "mail_list_member": ["account_id": "account", "list_id": "mail_list"],
        "note": ["account_id": "account", "item_id": "work_item"],
        "note_file": ["blob_id": "file_blob", "note_id": "note"],
        "offer": ["item_id": "work_item", "template_id": "offer_template"],
        "offer_line": ["offer_id": "offer", "product_id": "product"],
        "payment": ["account_id": "account", "cash_account_id": "ledger_account", "expense_id": "expense", "invoice_id": "invoice"],
        "product": ["vat_rate_id": "vat_rate"],
        "saved_filter": ["user_id": "user"],
        "user_ip_rule": ["ip_rule_id": "ip_rule", "user_id": "user"],
        "user_module": ["user_id": "user"],
        "user_right": ["user_id": "user"],
        "user_setting": ["user_id": "user"],
        "user_zone": ["user_id": "user", "zone_id": "zone"],
        "web_form": ["notify_id": "user"],
        "web_submission": ["account_id": "account", "form_id": "web_form", "notify_id": "user"],
        "work_item": ["account_id": "account", "owner_id": "user", "stage_id": "stage"],
    ]
}

/// One operation as the change log holds it.
public struct OperationRecord: Sendable, Equatable {
    public let id: Int64
    public let at: Int64
    public let userID: Int64?
    public let name: String
    public let undoneBy: Int64?
}

extension Reader {
    public func operation(id: Int64) throws -> OperationRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, at, user_id, name, undone_by FROM operation WHERE id = ?"),
                                         arguments: [id]) else { return nil }
        return OperationRecord(id: row["id"], at: row["at"], userID: row["user_id"], name: row["name"], undoneBy: row["undone_by"])
    }

    /// The last operation of this name by this user (or anyone) not yet undone.
    public func lastOperation(named name: String, userID: Int64?) throws -> OperationRecord? {
        let id = try Int64.fetchOne(db, sql: """
            SELECT id FROM operation WHERE name = ? AND undone_by IS NULL AND (? IS NULL OR user_id = ?) ORDER BY id DESC LIMIT 1
            """, arguments: [name, userID, userID])
        return try id.flatMap { try operation(id: $0) }
    }
}

extension Writer {
    /// Undoes one operation from its change-log entries, newest first: an
    /// insert is deleted, an update gets its old values back, a delete is
    /// inserted again with its id, UUID and creation. The undo is itself an
    /// operation (every step logged) and the undone one is marked so. Refused
    /// when a later operation changed any of the same rows, or when it was
    /// undone already: nothing is changed then.
    public func undo(operation id: Int64) throws {
        guard let target = try operation(id: id) else { throw StoreError.rowNotFound(entity: "operation", id: id) }
        if let by = target.undoneBy { throw StoreError.alreadyUndone(operation: id, by: by) }
        let entries = try Row.fetchAll(db, sql: """
            SELECT entity, row_uuid, row_id, op, field, old_value FROM change_log WHERE operation_id = ? ORDER BY id DESC
            """, arguments: [id])
        // Rows a later operation touched (other than this undo) cannot go back without losing that change.
        if let later = try Row.fetchOne(db, sql: """
            SELECT c.entity, c.row_id, c.operation_id FROM change_log c
            WHERE c.row_uuid IN (SELECT row_uuid FROM change_log WHERE operation_id = ?) AND c.operation_id > ? AND c.operation_id <> ?
            ORDER BY c.operation_id LIMIT 1
            """, arguments: [id, id, operationID]) {
            throw StoreError.changedSince(operation: id, entity: later["entity"], rowID: later["row_id"], by: later["operation_id"])
        }
        for entry in entries {
            let table: String = entry["entity"]
            guard let type = Entities.type(table) else { throw StoreError.sqlite(detail: "unknown entity \(table) in the change log") }
            let rowID: Int64 = entry["row_id"]
            let uuidBytes: Data = entry["row_uuid"]
            switch entry["op"] as String {
            case "insert":
                try delete(type, id: rowID)
            case "update":
                let field: String = entry["field"]
                // The log keeps no secret values to put back.
                if Writer.secretColumns.contains(field) { continue }
                let old = Reader.value(entry["old_value"] as DatabaseValue)
                try update(type, id: rowID, set: [field: old])
            default:
                let snapshot: String = entry["old_value"]
                try restore(type, id: rowID, uuid: RowUUID(bytes: [UInt8](uuidBytes)), snapshot: snapshot)
            }
        }
        try db.execute(sql: "UPDATE operation SET undone_by = ? WHERE id = ?", arguments: [operationID, id])
    }

    /// Inserts a deleted row again from its change-log snapshot, with its id and UUID.
    private func restore<R: Record>(_ type: R.Type, id: Int64, uuid: RowUUID, snapshot: String) throws {
        var values = try CustomValues.decode(snapshot)
        let createdAt = values.removeValue(forKey: "created_at")?.int ?? now
        let createdBy = values.removeValue(forKey: "created_by")?.int
        let version = values.removeValue(forKey: "version")?.int ?? 1
        var row: [String: Value] = [:]
        for column in R.columns where !R.derivedColumns.contains(column) { row[column] = values[column] ?? .null }
        R.derive(&row)
        let columns = ["id", "uuid", "created_at", "created_by", "updated_at", "updated_by", "version"] + R.columns
        let sql = "INSERT INTO \(R.table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        let args: [Value] = [.int(id), .blob(uuid.bytes), .int(createdAt), .optional(createdBy), .int(now), .optional(userID),
                             .int(version + 1)] + R.columns.map { row[$0] ?? .null }
        try db.execute(sql: sql, arguments: arguments(args))
        try logRestore(R.table, uuid: uuid, rowID: id)
        if R.table == AccountRecord.table {
            try refreshSearch(accountIDs: [id])
        } else if R.table == ContactRecord.table, let account = row["account_id"]?.int {
            try refreshSearch(accountIDs: [account])
        }
    }
}
