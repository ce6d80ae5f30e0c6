import CRMStore

extension CRM {
    // MARK: - Per-user settings (theme, key map, language of the terminal interface)

    /// The names a setting may have, and what each accepts: the interface's
    /// theme, key map and language, and a table's settings (`table.accounts`).
    public static let settingNames: Set<String> = ["theme", "keymap", "language", "table.accounts", "table.opportunities", "table.activities", "table.products"]

    /// The user's own settings.
    public func settings(for actor: Actor) throws -> [String: String] {
        try read { r in
            Dictionary(try r.fetchAll(UserSettingRecord.self, matching: ["user_id": .int(actor.id)]).map { ($0.name, $0.value) },
                       uniquingKeysWith: { a, _ in a })
        }
    }

    /// Saves one of the user's settings (every user may change their own).
    public func setSetting(_ name: String, to value: String, by actor: Actor) throws {
        guard CRM.settingNames.contains(name) else {
            throw CoreError.invalid([.init(field: "name", value: name, reason: .invalidChoice(allowed: CRM.settingNames.sorted()))])
        }
        if name == "language", Language(rawValue: value) == nil {
            throw CoreError.invalid([.init(field: "language", value: value,
                                           reason: .invalidChoice(allowed: Language.allCases.map(\.rawValue)))])
        }
        try write(actor, "setting.set") { w in
            let existing = try w.fetchAll(UserSettingRecord.self, matching: ["user_id": .int(actor.id), "name": .text(name)])
            if let row = existing.first {
                if row.value != value { try w.update(UserSettingRecord.self, id: row.meta!.id, set: ["value": .text(value)]) }
            } else {
                try w.insert(UserSettingRecord(userID: actor.id, name: name, value: value))
            }
        }
    }
}
