import Testing
@testable import TUIKit

@Suite struct FormTests {
    static func form() -> Form {
        Form(fields: [
            FormField(id: "name", label: "Denumire", value: "Țară SRL", mandatory: true),
            FormField(id: "kind", label: "Tip", kind: .choice([.init("company", "Persoană juridică"), .init("person", "Persoană fizică")]),
                      value: "company"),
            FormField(id: "vat", label: "Plătitor TVA", kind: .checkbox, value: "nu"),
            FormField(id: "since", label: "Client din", kind: .date, value: "2026-02-27"),
            FormField(id: "staff", label: "Angajați", kind: .number),
            FormField(id: "notes", label: "Observații", kind: .multiline(rows: 2)),
        ])
    }

    static let area = Rect(x: 0, y: 0, width: 40, height: 9)

    func render(_ form: Form) -> [String] {
        var buffer = ScreenBuffer(width: 40, height: 9)
        form.render(into: &buffer, area: Self.area)
        return buffer.lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
    }

    @Test func fieldsRenderAsLabelledLines() {
        #expect(render(Self.form()) == [
            "Denumire *    Țară SRL",
            "Tip           Persoană juridică        ▾",
            "Plătitor TVA  [ ]",
            "Client din    2026-02-27               ▦",
            "Angajați",
            "Observații",
            "",
            "",
            "",
        ])
    }

    @Test func typingNavigatingAndToggling() {
        var form = Self.form()
        for key: Key in [.end, .char("!"), .tab, .right, .tab, .char(" "), .tab, .tab] { _ = form.handle(key, action: key == .tab ? "field.next" : nil) }
        #expect(form.value("name") == "Țară SRL!")
        #expect(form.value("kind") == "person")
        #expect(form.value("vat") == "da")
        #expect(form.focusedField?.id == "staff")
        for key: Key in [.char("1"), .char("x"), .char("2"), .char(","), .char("5")] { _ = form.handle(key, action: nil) }
        #expect(form.value("staff") == "12,5")  // a number field refuses letters
        _ = form.handle(.tab, action: "field.next")
        for key: Key in [.char("a"), .enter, .char("b")] { _ = form.handle(key, action: nil) }
        #expect(form.value("notes") == "a\nb")
        #expect(form.isDirty)
        #expect(Set(form.changed.map(\.id)) == ["name", "kind", "vat", "staff", "notes"])
    }

    @Test func theChoiceListPopsUpAndALetterJumps() {
        var form = Self.form()
        form.focus = 1
        _ = form.handle(.function(3), action: "field.pick")
        #expect(form.popup == .choice(selected: 0))
        var buffer = ScreenBuffer(width: 40, height: 9)
        form.render(into: &buffer, area: Self.area)
        #expect(buffer.lines[3].contains("│ Persoană juridică") && buffer.lines[4].contains("│ Persoană fizică"))
        _ = form.handle(.down, action: nil)
        _ = form.handle(.enter, action: nil)
        #expect(form.popup == nil && form.value("kind") == "person")
        _ = form.handle(.char("p"), action: nil)  // a letter picks the next option starting with it
        #expect(form.value("kind") == "company")
    }

    @Test func theCalendarMovesByDayWeekAndMonth() {
        var form = Self.form()
        form.focus = 3
        _ = form.handle(.char(" "), action: nil)
        #expect(form.popup == .calendar(CalendarDate(year: 2026, month: 2, day: 27)))
        var buffer = ScreenBuffer(width: 40, height: 16)
        form.render(into: &buffer, area: Rect(x: 0, y: 0, width: 40, height: 16))
        #expect(buffer.lines[5].contains("februarie 2026"))
        #expect(buffer.lines[6].contains("Lu Ma Mi Jo Vi Sâ Du"))
        #expect(buffer.lines[7].hasSuffix("                  1 │  "))  // 1 February 2026 is a Sunday: the last column
        for key: Key in [.right, .right, .down, .pageDown, .enter] { _ = form.handle(key, action: nil) }
        // 27 Feb + 2 days = 1 Mar, + 7 = 8 Mar, + a month = 8 Apr
        #expect(form.value("since") == "2026-04-08")
        #expect(CalendarDate(year: 2024, month: 3, day: 1).adding(days: -1).iso == "2024-02-29")
        #expect(CalendarDate(year: 2026, month: 1, day: 31).adding(months: 1).iso == "2026-02-28")
        #expect(CalendarDate(year: 2026, month: 11, day: 29).weekday == 6)  // a Sunday
    }

    @Test func cancellingUnsavedChangesAsksFirst() {
        var form = Self.form()
        #expect(form.handle(.escape, action: "dialog.cancel") == .cancel)
        _ = form.handle(.char("x"), action: nil)
        #expect(form.handle(.escape, action: "dialog.cancel") == .none)
        #expect(form.confirmingDiscard)
        #expect(render(form).last == "Renunțați la modificări? d/n")
        #expect(form.handle(.char("n"), action: nil) == .none)
        #expect(form.value("name") == "Țară SRLx")
        _ = form.handle(.escape, action: "dialog.cancel")
        #expect(form.handle(.char("d"), action: nil) == .cancel)
    }

    @Test func errorsShowUnderTheFormAndFocusTheirField() {
        var form = Self.form()
        form.show(errors: ["since": "«2026-13-01» nu este o dată"])
        #expect(form.focusedField?.id == "since")
        #expect(render(form).last == "«2026-13-01» nu este o dată")
    }

    @Test func clicksFocusToggleAndPick() {
        var form = Self.form()
        form.click(x: 14, y: 2, in: Self.area)
        #expect(form.focus == 2 && form.value("vat") == "da")
        form.click(x: 20, y: 1, in: Self.area)
        #expect(form.popup == .choice(selected: 0))
        form.click(x: 16, y: 4, in: Self.area)  // the second line of the list
        #expect(form.popup == nil && form.value("kind") == "person")
    }

    @Test func menusSkipDisabledItemsAndRunByLetterOrClick() {
        var menu = MenuList(items: [MenuItem(action: "a.one", label: "Adăugare", hint: "ins"),
                                    MenuItem(action: "a.two", label: "Editare", enabled: false),
                                    MenuItem(action: "a.three", label: "Ștergere", hint: "del")], x: 5, y: 1)
        #expect(menu.handle(.down, cancel: false) == .none)
        #expect(menu.selected == 2)
        #expect(menu.handle(.char("s"), cancel: false) == .run("a.three"))
        #expect(menu.handle(.char("e"), cancel: false) == .none)
        #expect(menu.handle(.right, cancel: false) == .neighbour(1))
        var buffer = ScreenBuffer(width: 40, height: 8)
        menu.render(into: &buffer)
        #expect(buffer.lines[2].contains("Adăugare") && buffer.lines[2].contains("ins"))
        #expect(menu.click(x: 7, y: 2, screenWidth: 40, screenHeight: 8) == .run("a.one"))
        #expect(menu.click(x: 39, y: 7, screenWidth: 40, screenHeight: 8) == .close)
    }
}

import TerminalBackend

@Suite struct ColourFallbackTests {
    @Test func coloursATerminalLacksBecomeTheNearestItHas() {
        #expect(CursesTerminal.nearest(12, available: 8) == 4)     // bright blue → blue
        #expect(CursesTerminal.nearest(12, available: 256) == 12)
        #expect(CursesTerminal.nearest(25, available: 8) == 4)     // 0,1,3 in the cube → blue
        #expect(CursesTerminal.nearest(231, available: 8) == 7)    // white
        #expect(CursesTerminal.nearest(235, available: 8) == 0)    // dark grey → black
        #expect(CursesTerminal.nearest(252, available: 16) == 7)
        #expect(CursesTerminal.nearest(196, available: 8) == 1)    // red
    }
}
