import ArgumentParser
import CRMApp
import CRMCore
import Foundation
import TerminalBackend
import TUIKit

/// `crm keys`: shows the name of every key pressed and the action the key map
/// binds to it — to check a terminal, an SSH client or one's own key map.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Show the keys you press and the actions bound to them (ctrl+q quits).")

    @Option(help: "Theme: default or mono, or a path to a .theme file.") var theme = "default"

    func run() throws {
        let keymap = try KeyBindings.load()
        let palette = try KeyBindings.theme(theme)
        var screen = KeyTester(keymap: keymap, language: Language.fromEnvironment())
        let terminal = CursesTerminal(theme: palette)
        defer { terminal.end() }
        AppLoop.run(&screen, on: terminal)
    }
}

/// The key map and themes from `keymaps/` and `themes/`, plus the user's own
/// key map (`$XDG_CONFIG_HOME/crm/keys`), whose lines override the defaults.
enum KeyBindings {
    static func load() throws -> Keymap {
        guard let dir = ResourceDirectory.locate("keymaps", containing: "default.keys", variable: "CRM_KEYMAPS") else {
            throw CLIError(message: Localized(ro: "nu găsesc keymaps/default.keys; dați dosarul în $CRM_KEYMAPS",
                                              en: "cannot find keymaps/default.keys; give its folder in $CRM_KEYMAPS"))
        }
        var map = try parse(dir.appendingPathComponent("default.keys"), into: Keymap())
        let env = ProcessInfo.processInfo.environment
        let config = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"] ?? "") + "/.config"
        let user = URL(fileURLWithPath: config).appendingPathComponent("crm/keys")
        if FileManager.default.fileExists(atPath: user.path) { map = try parse(user, into: map) }
        return map
    }

    static func theme(_ name: String) throws -> Theme {
        var url = URL(fileURLWithPath: name)
        if !name.contains("/") {
            guard let dir = ResourceDirectory.locate("themes", containing: "default.theme", variable: "CRM_THEMES") else {
                throw CLIError(message: Localized(ro: "nu găsesc themes/; dați dosarul în $CRM_THEMES",
                                                  en: "cannot find themes/; give its folder in $CRM_THEMES"))
            }
            url = dir.appendingPathComponent("\(name).theme")
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CLIError(message: Localized(ro: "nu pot citi tema \(url.path)", en: "cannot read theme \(url.path)"))
        }
        do { return try Theme(parsing: text, source: url.path) } catch let e as KeymapError {
            throw CLIError(message: Localized(ro: e.description, en: e.description))
        }
    }

    private static func parse(_ url: URL, into map: Keymap) throws -> Keymap {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CLIError(message: Localized(ro: "nu pot citi \(url.path)", en: "cannot read \(url.path)"))
        }
        var out = map
        do { try out.merge(parsing: text, source: url.path) } catch let e as KeymapError {
            throw CLIError(message: Localized(ro: e.description, en: e.description))
        }
        return out
    }
}
