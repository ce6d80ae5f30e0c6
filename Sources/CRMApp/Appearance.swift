import CRMCore
import CRMText
import Foundation
import TUIKit

/// The key maps and themes shipped in `keymaps/` and `themes/`, and the user's
/// own key map (`$XDG_CONFIG_HOME/crm/keymap.toml`), read the same way by the
/// program, `crm keys` and the tests.
public struct Resources: Sendable {
    public static let keymapNames = ["default", "vim", "emacs"]
    public static let themeNames = ["default", "dark", "light", "high-contrast", "mono"]

    public let keymaps: URL
    public let themes: URL
    public let userKeymap: URL?

    public init(keymaps: URL, themes: URL, userKeymap: URL?) {
        self.keymaps = keymaps
        self.themes = themes
        self.userKeymap = userKeymap
    }

    /// The folders beside the program (or named by $CRM_KEYMAPS and $CRM_THEMES).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Resources {
        guard let keymaps = ResourceDirectory.locate("keymaps", containing: "default.toml", variable: "CRM_KEYMAPS",
                                                     environment: environment),
              let themes = ResourceDirectory.locate("themes", containing: "default.toml", variable: "CRM_THEMES",
                                                    environment: environment) else {
            throw CoreError.refused(Localized(ro: "nu găsesc keymaps/ și themes/; dați dosarele în $CRM_KEYMAPS și $CRM_THEMES",
                                              en: "cannot find keymaps/ and themes/; give their folders in $CRM_KEYMAPS and $CRM_THEMES"))
        }
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? "") + "/.config"
        return Resources(keymaps: keymaps, themes: themes,
                         userKeymap: URL(fileURLWithPath: config).appendingPathComponent("crm/keymap.toml"))
    }

    /// A shipped key map with the user's file over it. A problem in either file
    /// is reported (file, line, what) and leaves the shipped default in force.
    public func keymap(named name: String) -> (Keymap, [String]) {
        var problems: [String] = []
        let chosen = Resources.keymapNames.contains(name) ? name : "default"
        if chosen != name { problems.append("keymap «\(name)»: unknown; using default") }
        func load(_ file: String) -> Keymap? {
            let url = keymaps.appendingPathComponent("\(file).toml")
            do {
                return try Keymap(parsing: try String(contentsOf: url, encoding: .utf8), source: url.path, actions: Actions.ids)
            } catch {
                problems.append("\(error)")
                return nil
            }
        }
        var map = load(chosen) ?? (chosen == "default" ? Keymap() : load("default") ?? Keymap())
        if let user = userKeymap, FileManager.default.fileExists(atPath: user.path) {
            do {
                try map.merge(parsing: try String(contentsOf: user, encoding: .utf8), source: user.path, actions: Actions.ids)
            } catch {
                problems.append("\(error)")
            }
        }
        return (map, problems)
    }

    /// A theme by name, or from a path to a .toml file.
    public func theme(named name: String) throws -> Theme {
        let url = name.contains("/") ? URL(fileURLWithPath: name) : themes.appendingPathComponent("\(name).toml")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CoreError.refused(Localized(ro: "nu pot citi tema \(url.path) (teme: \(Resources.themeNames.joined(separator: ", ")))",
                                              en: "cannot read theme \(url.path) (themes: \(Resources.themeNames.joined(separator: ", ")))"))
        }
        do { return try Theme(parsing: text, source: url.path) } catch {
            throw CoreError.refused(Localized(ro: "\(error)", en: "\(error)"))
        }
    }
}

/// What a user chose for the interface, saved per user in the database.
public struct Appearance: Sendable, Equatable {
    public var theme: String
    public var keymap: String
    public var language: Language

    public init(theme: String = "default", keymap: String = "default", language: Language = .ro) {
        self.theme = theme
        self.keymap = keymap
        self.language = language
    }

    /// The user's saved settings over the defaults (language: from the environment).
    public init(settings: [String: String], environment language: Language) {
        self.init(theme: settings["theme"] ?? "default", keymap: settings["keymap"] ?? "default",
                  language: settings["language"].flatMap(Language.init(rawValue:)) ?? language)
    }
}
