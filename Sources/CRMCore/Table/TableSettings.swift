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

    public static let accounts = AccountTable.kind.defaults

    /// The settings with only columns that exist (a retired custom column
    /// disappears), never empty, and a sort the table can do.
    public func fitted<Row, Order>(to available: [TableColumn<Row, Order>], defaults: TableSettings) -> TableSettings {
        var out = self
        let ids = Set(available.map(\.id))
        out.columns = columns.filter(ids.contains)
        if out.columns.isEmpty { out.columns = defaults.columns.filter(ids.contains) }
        out.widths = widths.filter { ids.contains($0.key) && $0.value >= 3 }
        if available.first(where: { $0.id == sort })?.order == nil { out.sort = defaults.sort; out.descending = defaults.descending }
        return out
    }

    /// The keyset order for the sort, among these columns (the table's natural
    /// order when the sort names none).
    public func order<Row, Order>(_ available: [TableColumn<Row, Order>]) -> Order {
        var order = available.first(where: { $0.id == sort })?.order ?? Order.natural
        order.descending = descending
        return order
    }

    /// The visible columns, in order.
    public func visible<Row, Order>(_ available: [TableColumn<Row, Order>]) -> [TableColumn<Row, Order>] {
        columns.compactMap { id in available.first { $0.id == id } }
    }

    public func width<Row, Order>(_ column: TableColumn<Row, Order>) -> Int { widths[column.id] ?? column.width }
}

extension CRM {
    /// The columns of the accounts table, the custom ones included.
    public func accountColumns(for actor: Actor) throws -> [AccountColumn] {
        AccountTable.columns(custom: try customColumns(entity: "account", for: actor))
    }

    /// A user's settings for a table (the table's defaults until the user changes them).
    public func tableSettings<Row, Order>(_ table: TableKind, columns: [TableColumn<Row, Order>], for actor: Actor) throws -> TableSettings {
        guard let text = try settings(for: actor)["table." + table.name],
              let saved = try? JSONDecoder().decode(TableSettings.self, from: Data(text.utf8)) else {
            return table.defaults.fitted(to: columns, defaults: table.defaults)
        }
        return saved.fitted(to: columns, defaults: table.defaults)
    }

    public func saveTableSettings<Row, Order>(_ table: TableKind, _ settings: TableSettings, columns: [TableColumn<Row, Order>],
                                              by actor: Actor) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let fitted = settings.fitted(to: columns, defaults: table.defaults)
        try setSetting("table." + table.name, to: String(decoding: try encoder.encode(fitted), as: UTF8.self), by: actor)
    }
}
