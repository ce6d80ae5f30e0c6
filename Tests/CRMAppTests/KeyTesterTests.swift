import CRMCore
import Testing
import TUIKit
@testable import CRMApp

@Suite struct KeyTesterTests {
    let keymap = try! Keymap(parsing: "\"ctrl+q\" = \"app.quit\"\n\"ctrl+f\" = \"search.start\"\n\"f1\" = \"help.show\"",
                             source: "test")

    @Test func keysAreLoggedWithTheirActionsUntilQuit() {
        let terminal = MemoryTerminal(width: 50, height: 8)
        terminal.keys = [.ctrl("f"), .char("x"), .function(1), .ctrl("q"), .char("n")]
        var screen = KeyTester(keymap: keymap, language: .en)
        AppLoop.run(&screen, on: terminal)
        #expect(screen.log == ["ctrl+f → search.start", "x → (unbound)", "f1 → help.show", "ctrl+q → app.quit"])
        #expect(terminal.keys == [.char("n")])
        let lines = terminal.screen.lines.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines[0] == "crm keys — press keys; ctrl+q quits")
        #expect(Array(lines[2...4]) == ["ctrl+f → search.start", "x → (unbound)", "f1 → help.show"])
    }

    @Test func onlyTheNewestLinesFitAndRomanianIsTheDefault() {
        var screen = KeyTester(keymap: keymap, language: .ro)
        for c in "abcdef" { _ = screen.update(.char(c)) }
        var buffer = ScreenBuffer(width: 40, height: 5)
        screen.render(into: &buffer)
        let lines = buffer.lines.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines == ["crm keys — apăsați taste; ctrl+q iese", "", "d → (nelegată)", "e → (nelegată)", "f → (nelegată)"])
    }

    @Test func aResizeRedrawsEverythingAndKeepsTheLog() {
        let terminal = MemoryTerminal(width: 40, height: 6)
        terminal.keys = [.char("a")]
        var screen = KeyTester(keymap: keymap, language: .en)
        AppLoop.run(&screen, on: terminal)
        terminal.resize(width: 60, height: 6)
        terminal.keys.append(.ctrl("q"))
        AppLoop.run(&screen, on: terminal)
        #expect(screen.log == ["a → (unbound)", "ctrl+q → app.quit"])
        #expect(terminal.screen.lines[2].hasPrefix("a → (unbound)"))
        #expect(terminal.screen.width == 60)
    }
}

import Foundation
