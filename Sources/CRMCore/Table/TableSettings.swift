import CRMStore
import Foundation

/// How one user sees one table: the visible columns in their order, their
/// widths, whether the first column stays when the table scrolls sideways, and
/// the sort. Saved per user (the `table.NAME` setting, as JSON).
public struct TableSettings: Codable, Sendable, Equatable {
    public var columns: [String]
    public var widths: [String: Int]
    public var pinned: Bool
    public var sort: String
    public var descending: Bool

    public init(columns: [String], widths: [String: Int] = [:], pinned: Bool = true, sort: String = "name",
                descending: Bool = false) {
        self.columns = columns
        self.widths = widths
        self.pinned = pinned
        self.sort = sort
        self.descending = descending
    }

    public static let accounts = TableSettings(columns: AccountTable.defaultVisible)

    /// The settings with only columns that exist (a retired custom column
    /// disappears), never empty, and a sort the table can do.
    public func fitted(to available: [TableColumn]) -> TableSettings {
        var out = self
        let ids = Set(available.map(\.id))
        out.columns = columns.filter(ids.contains)
        if out.columns.isEmpty { out.columns = TableSettings.accounts.columns.filter(ids.contains) }
        out.widths = widths.filter { ids.contains($0.key) && $0.value >= 3 }
        if available.first(where: { $0.id == sort })?.order == nil { out.sort = "name"; out.descending = false }
        return out
    }

    /// The keyset order for the sort, among these columns.
    public func order(_ available: [TableColumn]) -> AccountOrder {
        guard var order = available.first(where: { $0.id == sort })?.order else { return AccountOrder(descending: descending) }
        order.descending = descending
        return order
    }

    /// The visible columns, in order.
    public func visible(_ available: [TableColumn]) -> [TableColumn] {
        columns.compactMap { id in available.first { $0.id == id } }
    }

    public func width(_ column: TableColumn) -> Int { widths[column.id] ?? column.width }
}

extension CRM {
    /// The columns of the accounts table, the custom ones included.
    public func accountColumns(for actor: Actor) throws -> [TableColumn] {
        AccountTable.columns(custom: try customColumns(entity: "account", for: actor))
    }

    /// A user's settings for a table (the defaults until the user changes them).
    public func tableSettings(_ table: String, for actor: Actor) throws -> TableSettings {
        let columns = try accountColumns(for: actor)
        guard let text = try settings(for: actor)["table." + table],
              let saved = try? JSONDecoder().decode(TableSettings.self, from: Data(text.utf8)) else {
            return TableSettings.accounts.fitted(to: columns)
        }
        return saved.fitted(to: columns)
    }

    public func saveTableSettings(_ table: String, _ settings: TableSettings, by actor: Actor) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let fitted = settings.fitted(to: try accountColumns(for: actor))
        try setSetting("table." + table, to: String(decoding: try encoder.encode(fitted), as: UTF8.self), by: actor)
    }
}
