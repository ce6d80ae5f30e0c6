import CRMStore
import Foundation

/// A named filter as a user sees it: its own, or one an administrator shared.
public struct SavedFilter: Sendable, Equatable {
    public let name: String
    public let filter: Filter
    public let shared: Bool
    public let owner: String
}

extension CRM {
    /// The filters a user can apply to a table: their own, then the shared ones.
    public func savedFilters(_ table: String, for actor: Actor) throws -> [SavedFilter] {
        try policy.authorize(actor, .view, Self.module(ofTable: table))
        return try read { r in
            let users = Dictionary(uniqueKeysWithValues: try r.fetchAll(UserRecord.self).map { ($0.meta!.id, $0.login) })
            let rows = try r.fetchAll(SavedFilterRecord.self, matching: ["table_name": .text(table)], orderBy: ["name", "id"])
            return rows.filter { $0.userID == actor.id || $0.shared }
                .sorted { ($0.userID != actor.id ? 1 : 0, $0.name) < ($1.userID != actor.id ? 1 : 0, $1.name) }
                .compactMap { row in
                    guard let filter = try? JSONDecoder().decode(Filter.self, from: Data(row.definition.utf8)) else { return nil }
                    return SavedFilter(name: row.name, filter: filter, shared: row.shared, owner: users[row.userID] ?? "")
                }
        }
    }

    /// A filter by name: the user's own first, else a shared one.
    public func savedFilter(_ name: String, table: String, for actor: Actor) throws -> SavedFilter {
        let all = try savedFilters(table, for: actor)
        if let own = all.first(where: { $0.name == name && $0.owner == actor.login }) { return own }
        if let shared = all.first(where: { $0.name == name }) { return shared }
        throw CoreError.notFound(what: Localized(ro: "filtrul", en: "filter"), ref: name)
    }

    /// Saves (or replaces) a named filter; `shared` (everyone sees it) needs an
    /// administrator. The filter is checked against the table's columns first.
    public func saveFilter(_ name: String, table: String, _ filter: Filter, shared: Bool = false, by actor: Actor) throws {
        try policy.authorize(actor, shared ? .admin : .view, Self.module(ofTable: table))
        let clean = name.trimmingCharacters(in: .whitespaces)
        guard !clean.isEmpty else { throw CoreError.invalid([.init(field: "name", value: name, reason: .required)]) }
        if let kind = WorkItemKind.allCases.first(where: { WorkItemTable.kind($0).name == table }) {
            _ = try filter.sql(columns: try workItemColumns(kind, for: actor))
        } else {
            _ = try filter.sql(columns: try accountColumns(for: actor))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let definition = String(decoding: try encoder.encode(filter), as: UTF8.self)
        try write(actor, "filter.save") { w in
            let mine = try w.fetchAll(SavedFilterRecord.self, matching: ["user_id": .int(actor.id), "table_name": .text(table),
                                                                          "name": .text(clean)])
            if let row = mine.first {
                try w.update(SavedFilterRecord.self, id: row.meta!.id, set: ["definition": .text(definition), "shared": .bool(shared)])
            } else {
                try w.insert(SavedFilterRecord(userID: actor.id, tableName: table, name: clean, definition: definition, shared: shared))
            }
        }
    }

    /// The module whose table this is (its rights cover the table's filters).
    static func module(ofTable table: String) -> Module {
        WorkItemKind.allCases.first { WorkItemTable.kind($0).name == table }?.module ?? .accounts
    }

    /// Deletes one of the user's filters (a shared one: its owner or an administrator).
    public func deleteFilter(_ name: String, table: String, by actor: Actor) throws {
        try write(actor, "filter.delete") { w in
            let rows = try w.fetchAll(SavedFilterRecord.self, matching: ["table_name": .text(table), "name": .text(name)])
            guard let row = rows.first(where: { $0.userID == actor.id }) ?? rows.first(where: { $0.shared && actor.isAdmin }) else {
                throw CoreError.notFound(what: Localized(ro: "filtrul", en: "filter"), ref: name)
            }
            try w.delete(SavedFilterRecord.self, id: row.meta!.id)
        }
    }
}
