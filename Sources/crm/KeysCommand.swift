import ArgumentParser
import CRMApp
import CRMCore
import Foundation
import TerminalBackend
import TUIKit

/// `crm keys`: shows the name of every key pressed and the action the key map
/// binds to it — to check a terminal, an SSH client or one's own key map.
/// `crm keys --actions` lists every action a key map may name.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Show the keys you press and the actions bound to them (ctrl+q quits); --actions lists the actions.")

    @Option(help: "Key map: default, vim or emacs (default: the user's setting).") var keymap: String?
    @Option(help: "Theme: default, dark, light, high-contrast, mono, or a path to a .toml file.") var theme: String?
    @Flag(help: "List the actions a key map can bind, with the keys bound to them, and exit.") var actions = false
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let ui = try Interface.prepare(database: database, theme: theme, keymap: keymap, needsDatabase: false)
        if actions {
            let lang = ui.appearance.language
            for action in Actions.all {
                let keys = (ui.keymap.keys(for: action.id, in: .browser) + ui.keymap.keys(for: action.id, in: .dialog))
                    .map(\.description)
                var seen: [String] = []
                for k in keys where !seen.contains(k) { seen.append(k) }
                print("\(action.id.padding(toLength: 22, withPad: " ", startingAt: 0)) \(seen.joined(separator: ", ").padding(toLength: 22, withPad: " ", startingAt: 0)) \(action.text.text(lang))")
            }
            return
        }
        var screen = KeyTester(keymap: ui.keymap, language: ui.appearance.language)
        let terminal = CursesTerminal(theme: ui.theme, monochrome: ui.monochrome)
        defer { terminal.end() }
        AppLoop.run(&screen, on: terminal)
    }
}

/// What the terminal interface starts with: the user's settings (saved in the
/// database) under the command line's, the key map with the user's file over
/// it, and the theme. Problems in the key map files are printed and shown, and
/// the program goes on with the defaults.
struct Interface {
    let session: Session?
    let resources: Resources
    let appearance: Appearance
    let keymap: Keymap
    let problems: [String]
    let theme: Theme
    let monochrome: Theme

    static func prepare(database: DatabaseOptions, theme: String?, keymap: String?, needsDatabase: Bool) throws -> Interface {
        let session = needsDatabase ? try Session.open(database) : try? Session.open(database)
        return try prepare(session: session, database: database, theme: theme, keymap: keymap)
    }

    static func prepare(session: Session?, database: DatabaseOptions, theme: String?, keymap: String?) throws -> Interface {
        let resources = try Resources.locate()
        let saved = session.flatMap { s in try? s.crm.settings(for: s.actor) } ?? [:]
        var appearance = Appearance(settings: saved, environment: Language.fromEnvironment())
        if let theme { appearance.theme = theme }
        if let keymap { appearance.keymap = keymap }
        var (map, problems) = resources.keymap(named: appearance.keymap)
        var palette: Theme
        do { palette = try resources.theme(named: appearance.theme) } catch {
            problems.append((error as? CoreError)?.message(appearance.language) ?? "\(error)")
            palette = try resources.theme(named: "default")
            appearance.theme = "default"
        }
        for problem in problems {
            FileHandle.standardError.write(Data(("crm: " + problem + "\n").utf8))
        }
        return Interface(session: session, resources: resources, appearance: appearance, keymap: map, problems: problems,
                         theme: palette, monochrome: try resources.theme(named: "mono"))
    }
}
