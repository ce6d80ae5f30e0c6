import CRMText
import Foundation
import Testing
@testable import TUIKit

@Suite struct ScreenBufferTests {
    @Test func writesTextByDisplayColumns() {
        var b = ScreenBuffer(width: 12, height: 2)
        #expect(b.put("Știință", x: 0, y: 0) == 7)
        #expect(b.put("中文ab", x: 0, y: 1) == 6)
        #expect(b.lines == ["Știință     ", "中文ab      "])
        #expect(b[1, 1].width == 0 && b[0, 1].width == 2)
    }

    @Test func clipsAtTheEdgeAndNeverSplitsAWideCharacter() {
        var b = ScreenBuffer(width: 5, height: 1)
        b.put("ab中文", x: 0, y: 0)
        #expect(b.lines == ["ab中 "])
        var c = ScreenBuffer(width: 6, height: 1)
        c.put("Denumire lungă", x: 1, y: 0, maxWidth: 3)
        #expect(c.lines == [" Den  "])
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = ScreenBuffer(width: 4, height: 1)
        b.put("中文", x: 0, y: 0)
        b.put("x", x: 1, y: 0)
        #expect(b.lines == [" x文"])
    }

    @Test func controlCharactersNeverReachTheBuffer() {
        var b = ScreenBuffer(width: 10, height: 1)
        b.put("a\u{1B}[2Jb", x: 0, y: 0)
        #expect(b.lines == ["a␛[2Jb    "])
        #expect(!b.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 } })
    }

    @Test func diffSendsOnlyWhatChanged() {
        var a = ScreenBuffer(width: 20, height: 3)
        a.put("Conturi", x: 0, y: 0)
        a.put("Alfa SRL", x: 0, y: 1)
        var b = a
        b.put("Beta", x: 0, y: 1)
        let runs = b.diff(from: a)
        #expect(runs.count == 1)
        #expect(runs[0].y == 1 && runs[0].x == 0 && runs[0].text == "Bet")  // "a" was already there
        #expect(b.diff(from: b).isEmpty)
        #expect(b.diff(from: nil).count == 3)
        #expect(b.diff(from: ScreenBuffer(width: 10, height: 3)).count == 3)
    }

    @Test func aStyleChangeIsAChange() {
        var a = ScreenBuffer(width: 10, height: 1)
        a.put("rând", x: 0, y: 0)
        var b = a
        b.put("rând", x: 0, y: 0, style: Style(background: .selection))
        #expect(b.diff(from: a).map(\.text) == ["rând"])
    }

    @Test func rendererKeepsTheTerminalEqualToTheFrame() {
        let terminal = MemoryTerminal(width: 30, height: 4)
        let renderer = Renderer(terminal: terminal)
        var frame = ScreenBuffer(width: 30, height: 4)
        frame.put("Conturi  Oportunități", x: 0, y: 0)
        renderer.render(frame)
        #expect(terminal.screen == frame)
        let full = terminal.drawnCells
        #expect(full == 120)
        frame.put(">", x: 0, y: 2)
        let runs = renderer.render(frame)
        #expect(runs.count == 1 && terminal.drawnCells - full == 1)
        #expect(terminal.screen == frame)
    }
}

@Suite struct KeymapAndThemeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func keyNamesRoundTrip() {
        for name in ["a", "ctrl+f", "alt+x", "f2", "up", "pgdn", "ins", "del", "enter", "esc", "tab", "shift+tab", "space", "/"] {
            #expect(Key(name: name)?.description == name, "\(name)")
        }
        #expect(Key(name: "CTRL+F") == .ctrl("f"))
        #expect(Key(name: "f13") == nil && Key(name: "ctrl+") == nil)
    }

    @Test func shiftedAndSpecialKeysHaveNames() {
        #expect(Key(name: "shift+f10") == .function(22))
        #expect(Key.function(22).description == "shift+f10")
        #expect(Key(name: "menu") == .menu && Key(name: "shift+up") == .shiftUp && Key(name: "shift+down") == .shiftDown)
    }

    @Test func contextBindingsWinOverGlobalOnesAndLaterFilesOverride() throws {
        var map = try Keymap(parsing: """
            [global]
            "ctrl+q" = "app.quit"
            "f1" = "help.show" # ajutor
            [browser]
            "ctrl+s" = "search.start"
            [dialog]
            "ctrl+s" = "dialog.save"
            """, source: "base")
        #expect(map.action(for: .ctrl("s"), in: .browser) == "search.start")
        #expect(map.action(for: .ctrl("s"), in: .dialog) == "dialog.save")
        #expect(map.action(for: .ctrl("q"), in: .dialog) == "app.quit")
        try map.merge(parsing: "[global]\n\"f1\" = \"palette.open\"\n", source: "user")
        #expect(map.action(for: .function(1), in: .browser) == "palette.open")
        #expect(map.keys(for: "app.quit", in: .browser) == [.ctrl("q")])
    }

    @Test func badKeymapsNameFileLineAndProblemAndChangeNothing() throws {
        let known: Set<String> = ["app.quit", "help.show"]
        var map = try Keymap(parsing: "[global]\n\"ctrl+q\" = \"app.quit\"", source: "base", actions: known)
        let cases: [(String, Int, String)] = [
            ("[global]\n\"f1\" = \"help.show\"\n\"f2\" = \"nu.exista\"", 3, "unknown action «nu.exista»"),
            ("[global]\n\"hyper+z\" = \"help.show\"", 2, "«hyper+z» is not a key name"),
            ("[global]\n\"pgdn\" = \"help.show\"\n\"pagedown\" = \"app.quit\"", 3, "same key as «pgdn» on line 2"),
            ("[global]\n\"f1\" = \"help.show\"\n\"f1\" = \"app.quit\"", 3, "written twice"),
            ("[nowhere]\n\"f1\" = \"help.show\"", 2, "unknown section [nowhere]"),
            ("\"f1\" = help.show", 1, "is not a value"),
        ]
        for (text, line, reason) in cases {
            do {
                try map.merge(parsing: text, source: "/home/u/.config/crm/keymap.toml", actions: known)
                Issue.record("accepted: \(text)")
            } catch let error as TOMLError {
                #expect(error.source == "/home/u/.config/crm/keymap.toml")
                #expect(error.line == line, "\(text)")
                #expect(error.reason.contains(reason), "\(error.reason)")
            }
        }
        // Nothing of a bad file was applied.
        #expect(map.action(for: .function(1)) == nil)
        #expect(map.action(for: .ctrl("q")) == "app.quit")
    }

    @Test func themesParse() throws {
        let theme = try Theme(parsing: "[colors]\nprimary = \"cyan bold\"\nselection = \"white on 24\"\nmuted = \"brightblack\"")
        #expect(theme[.primary] == Theme.Entry(color: .indexed(6), bold: true))
        #expect(theme[.selection] == Theme.Entry(color: .indexed(7), background: .indexed(24)))
        #expect(theme[.muted].color == .indexed(8))
        #expect(theme[.text].color == .default)
        let look = theme.resolve(Style(foreground: .selection, background: .selection))
        #expect(look.foreground == .indexed(7) && look.background == .indexed(24))
        #expect(throws: TOMLError.self) { try Theme(parsing: "[colors]\nprimary = \"purple\"") }
        #expect(throws: TOMLError.self) { try Theme(parsing: "[colors]\nnonsense = \"red\"") }
        #expect(throws: TOMLError.self) { try Theme(parsing: "[colors]\nprimary = \"red blinking\"") }
        #expect(throws: TOMLError.self) { try Theme(parsing: "primary = \"red\"") }
    }

    @Test func shippedThemesLoadAndMonoHasNoColours() throws {
        for name in ["default", "dark", "light", "high-contrast", "mono"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent("themes/\(name).toml"), encoding: .utf8)
            let theme = try Theme(parsing: text, source: name)
            let selection = theme.resolve(Style(foreground: .selection, background: .selection))
            // The selected row always stands out from normal text.
            #expect(selection.reverse || selection.background != theme.resolve(.normal).background, "\(name)")
        }
        let mono = try Theme(parsing: String(contentsOf: Self.root.appendingPathComponent("themes/mono.toml"), encoding: .utf8))
        #expect(mono.entries.values.allSatisfy { $0.color == .default && $0.background == nil })
        #expect(mono.resolve(Style(foreground: .text, background: .inactive)).underline)
    }
}
