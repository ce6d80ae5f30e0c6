import CRMCore

/// The named actions keys are bound to, with what they do in both languages:
/// one table for the dispatcher, the footer and the help screen.
public enum Actions {
    public static let descriptions: [(id: String, text: Localized)] = [
        ("help.show", Localized(ro: "Ajutor: tastele și ce fac", en: "Help: the keys and what they do")),
        ("app.quit", Localized(ro: "Ieșire din program", en: "Quit")),
        ("focus.next", Localized(ro: "Panoul următor", en: "Next pane")),
        ("focus.previous", Localized(ro: "Panoul anterior", en: "Previous pane")),
        ("cursor.up", Localized(ro: "Rândul de sus", en: "Row up")),
        ("cursor.down", Localized(ro: "Rândul de jos", en: "Row down")),
        ("cursor.page_up", Localized(ro: "Pagina anterioară", en: "Page up")),
        ("cursor.page_down", Localized(ro: "Pagina următoare", en: "Page down")),
        ("cursor.first", Localized(ro: "Primul rând", en: "First row")),
        ("cursor.last", Localized(ro: "Ultimul rând", en: "Last row")),
        ("record.add", Localized(ro: "Adăugare cont", en: "Add account")),
        ("record.open", Localized(ro: "Deschidere (dosar sau cont)", en: "Open (folder or account)")),
        ("record.edit", Localized(ro: "Editare cont", en: "Edit account")),
        ("record.delete", Localized(ro: "Ștergere cont", en: "Delete account")),
        ("dialog.save", Localized(ro: "Salvare (în dialog)", en: "Save (in a dialog)")),
        ("dialog.cancel", Localized(ro: "Anulare / închidere", en: "Cancel / close")),
    ]

    public static func description(_ id: String, _ language: Language) -> String? {
        descriptions.first { $0.id == id }?.text.text(language)
    }
}
