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

    @Test func laterBindingsWinAndErrorsNameTheLine() throws {
        var map = try Keymap(parsing: "ctrl+q = app.quit\nf1 = help.show # ajutor\n")
        try map.merge(parsing: "\nf1 = palette.open\n", source: "user")
        #expect(map.action(for: .function(1)) == "palette.open")
        #expect(map.keys(for: "app.quit") == [.ctrl("q")])
        #expect(throws: KeymapError(source: "x", line: 2, text: "hyper+z = a.b", reason: "unknown key «hyper+z»")) {
            try Keymap(parsing: "f2 = a.b\nhyper+z = a.b", source: "x")
        }
        #expect(throws: KeymapError.self) { try Keymap(parsing: "f2 =", source: "x") }
    }

    @Test func themesParse() throws {
        let theme = try Theme(parsing: "primary = cyan bold\nselection = 24 reverse\nmuted = brightblack")
        #expect(theme[.primary] == Theme.Entry(color: .indexed(6), bold: true))
        #expect(theme[.selection] == Theme.Entry(color: .indexed(24), reverse: true))
        #expect(theme[.muted].color == .indexed(8))
        #expect(theme[.text].color == .default)
        #expect(throws: KeymapError.self) { try Theme(parsing: "primary = purple") }
        #expect(throws: KeymapError.self) { try Theme(parsing: "nonsense = red") }
        #expect(throws: KeymapError.self) { try Theme(parsing: "primary = red blinking") }
    }

    @Test func shippedKeymapsAndThemesLoad() throws {
        let keys = try String(contentsOf: Self.root.appendingPathComponent("keymaps/default.keys"), encoding: .utf8)
        let map = try Keymap(parsing: keys, source: "default.keys")
        #expect(map.action(for: .ctrl("q")) == "app.quit")
        for name in ["default", "mono"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent("themes/\(name).theme"), encoding: .utf8)
            let theme = try Theme(parsing: text, source: name)
            #expect(theme[.selection].reverse || theme[.selection].color != .default)
        }
        let mono = try Theme(parsing: String(contentsOf: Self.root.appendingPathComponent("themes/mono.theme"), encoding: .utf8))
        #expect(mono.entries.values.allSatisfy { $0.color == .default })
    }
}
