import CRMText
import Foundation

/// One field of a dialog form. Every kind keeps its value as text (what the core
/// validates): a checkbox is "da" or "nu", a choice its option's value, a date
/// YYYY-MM-DD.
public struct FormField: Sendable, Equatable {
    public struct Choice: Sendable, Equatable {
        public let value: String
        public let label: String
        public init(_ value: String, _ label: String? = nil) {
            self.value = value
            self.label = label ?? value
        }
    }

    public enum Kind: Sendable, Equatable {
        case text
        /// Several lines; Enter starts a new line.
        case multiline(rows: Int)
        /// Digits, sign, decimal comma or point.
        case number
        /// A date, typed or picked from a calendar.
        case date
        /// One of a list, picked from a pop-up list.
        case choice([Choice])
        case checkbox
        /// Text shown as dots (a password).
        case secret
    }

    public let id: String
    public var label: String
    public var kind: Kind
    public var editor: TextField
    public var error: String?
    public var mandatory: Bool

    public init(id: String, label: String, kind: Kind = .text, value: String = "", mandatory: Bool = false) {
        self.id = id
        self.label = label
        self.kind = kind
        self.mandatory = mandatory
        editor = TextField(kind == .checkbox ? (FormField.isOn(value) ? "da" : "nu") : value)
    }

    public var value: String { editor.text }
    public var isOn: Bool { FormField.isOn(editor.text) }

    static func isOn(_ text: String) -> Bool {
        ["da", "yes", "true", "1", "x"].contains(Fold.key(text).trimmingCharacters(in: .whitespaces))
    }

    /// Rows the field takes in the form.
    public var rows: Int { if case .multiline(let n) = kind { return max(1, n) } else { return 1 } }

    public var choices: [Choice] { if case .choice(let list) = kind { return list } else { return [] } }

    /// What the field shows: a choice's label, a checkbox's box, else the text.
    public var display: String {
        switch kind {
        case .choice(let list): return list.first { $0.value == value }?.label ?? value
        case .checkbox: return isOn ? "[x]" : "[ ]"
        case .secret: return String(repeating: "•", count: value.count)
        default: return value
        }
    }
}

/// What a form asks its owner to do after a key.
public enum FormEvent: Sendable, Equatable {
    case none
    case save
    /// Closed without saving (after a yes when something had changed).
    case cancel
    /// A key the form does not use, for the dialog around it.
    case unhandled(Key, String?)
}

/// The fields of a dialog: focus, editing, the choice list and the calendar that
/// pop up over a field, and the question before unsaved changes are dropped.
/// State only; `render` draws it and `handle` changes it.
public struct Form: Sendable, Equatable {
    public enum Popup: Sendable, Equatable {
        case choice(selected: Int)
        case calendar(CalendarDate)
    }

    public private(set) var fields: [FormField]
    public var focus = 0
    public private(set) var popup: Popup?
    public private(set) var confirmingDiscard = false
    /// A problem that belongs to no field (a refusal, a concurrent change).
    public var message: String?
    /// The form's own words, in the interface's language.
    public var strings = FormStrings.romanian
    private var original: [String]
    private var scroll = 0

    public init(fields: [FormField]) {
        self.fields = fields
        original = fields.map(\.value)
    }

    public var isDirty: Bool { fields.map(\.value) != original }
    public var focusedField: FormField? { fields.indices.contains(focus) ? fields[focus] : nil }

    public func value(_ id: String) -> String { fields.first { $0.id == id }?.value ?? "" }

    /// Replaces a field's text (a completed file path), the cursor at its end.
    public mutating func set(_ id: String, _ text: String) {
        guard let i = fields.firstIndex(where: { $0.id == id }) else { return }
        fields[i].editor = TextField(text)
    }

    /// What a field held when the form was opened.
    public func originalValue(_ id: String) -> String {
        fields.firstIndex { $0.id == id }.map { original[$0] } ?? ""
    }

    /// Takes these values (by field id) as what the form was opened with: the
    /// record as another session saved it meanwhile.
    public mutating func rebase(_ values: [String: String]) {
        for i in fields.indices { if let value = values[fields[i].id] { original[i] = value } }
    }

    /// The fields whose value differs from what the form was opened with.
    public var changed: [FormField] { fields.enumerated().filter { $0.element.value != original[$0.offset] }.map(\.element) }

    /// Puts the core's messages under their fields and focuses the first one.
    public mutating func show(errors: [String: String], message: String? = nil) {
        for i in fields.indices { fields[i].error = errors[fields[i].id] }
        self.message = message
        if let first = fields.firstIndex(where: { $0.error != nil }) { focus = first }
    }

    // MARK: - Keys

    public mutating func handle(_ key: Key, action: String?) -> FormEvent {
        if confirmingDiscard {
            confirmingDiscard = false
            return [.char("d"), .char("D"), .char("y"), .char("Y")].contains(key) ? .cancel : .none
        }
        if let popup { handlePopup(popup, key, action); return .none }
        switch action {
        case "dialog.save": return .save
        case "dialog.cancel":
            if isDirty { confirmingDiscard = true; return .none }
            return .cancel
        case "field.next": move(1); return .none
        case "field.previous": move(-1); return .none
        case "field.pick": openPopup(); return .none
        default: break
        }
        guard fields.indices.contains(focus) else { return .unhandled(key, action) }
        var field = fields[focus]
        defer { fields[focus] = field }
        switch field.kind {
        case .multiline:
            if field.editor.handleMultiline(key) { field.error = nil; return .none }
        case .checkbox:
            if key == .char(" ") || key == .char("x") || key == .char("X") {
                field.editor = TextField(field.isOn ? "nu" : "da"); field.error = nil; return .none
            }
        case .choice(let list):
            let index = list.firstIndex { $0.value == field.value } ?? -1
            switch key {
            case .char(" "): openPopup(); return .none
            case .left where !list.isEmpty:
                field.editor = TextField(list[max(0, index - 1)].value); field.error = nil; return .none
            case .right where !list.isEmpty:
                field.editor = TextField(list[min(list.count - 1, index + 1)].value); field.error = nil; return .none
            case .char(let c):
                // A letter picks the next option that starts with it.
                let folded = Fold.key(String(c))
                let order = list.indices.map { (index + 1 + $0) % list.count }
                if let hit = order.first(where: { Fold.key(list[$0].label).hasPrefix(folded) }) {
                    field.editor = TextField(list[hit].value); field.error = nil
                }
                return .none
            default: break
            }
        case .number:
            if case .char(let c) = key, !(c.isNumber || c == "," || c == "." || c == "-" || c == " ") { return .none }
            if field.editor.handle(key) { field.error = nil; return .none }
        case .date:
            if key == .char(" ") { openPopup(); return .none }
            if case .char(let c) = key, !(c.isNumber || c == "-" || c == "." || c == "/") { return .none }
            if field.editor.handle(key) { field.error = nil; return .none }
        case .text, .secret:
            if field.editor.handle(key) { field.error = nil; return .none }
        }
        switch key {
        case .down, .enter: move(1); return .none
        case .up: move(-1); return .none
        default: return .unhandled(key, action)
        }
    }

    private mutating func move(_ delta: Int) {
        guard !fields.isEmpty else { return }
        focus = (focus + delta + fields.count) % fields.count
    }

    public mutating func openPopup() {
        guard let field = focusedField else { return }
        switch field.kind {
        case .choice(let list) where !list.isEmpty:
            popup = .choice(selected: list.firstIndex { $0.value == field.value } ?? 0)
        case .date:
            popup = .calendar(CalendarDate(iso: field.value) ?? CalendarDate.today)
        default: break
        }
    }

    private mutating func handlePopup(_ open: Popup, _ key: Key, _ action: String?) {
        switch open {
        case .choice(let selected):
            let list = fields[focus].choices
            switch key {
            case .up: popup = .choice(selected: max(0, selected - 1))
            case .down: popup = .choice(selected: min(list.count - 1, selected + 1))
            case .home: popup = .choice(selected: 0)
            case .end: popup = .choice(selected: list.count - 1)
            case .enter, .char(" "):
                fields[focus].editor = TextField(list[selected].value)
                fields[focus].error = nil
                popup = nil
            case .escape: popup = nil
            case .char(let c):
                let folded = Fold.key(String(c))
                if let hit = list.indices.map({ (selected + 1 + $0) % list.count })
                    .first(where: { Fold.key(list[$0].label).hasPrefix(folded) }) { popup = .choice(selected: hit) }
            default: if action == "dialog.cancel" { popup = nil }
            }
        case .calendar(let day):
            switch key {
            case .left: popup = .calendar(day.adding(days: -1))
            case .right: popup = .calendar(day.adding(days: 1))
            case .up: popup = .calendar(day.adding(days: -7))
            case .down: popup = .calendar(day.adding(days: 7))
            case .pageUp: popup = .calendar(day.adding(months: -1))
            case .pageDown: popup = .calendar(day.adding(months: 1))
            case .home: popup = .calendar(CalendarDate(year: day.year, month: day.month, day: 1))
            case .end: popup = .calendar(CalendarDate(year: day.year, month: day.month, day: day.daysInMonth))
            case .char("t"), .char("T"), .char("a"), .char("A"): popup = .calendar(.today)
            case .enter, .char(" "):
                fields[focus].editor = TextField(day.iso)
                fields[focus].error = nil
                popup = nil
            case .escape: popup = nil
            default: if action == "dialog.cancel" { popup = nil }
            }
        }
    }

    // MARK: - Mouse

    /// A click at a cell of the area the form was drawn in: focuses the field there,
    /// toggles a checkbox, opens a choice list; inside an open pop-up, picks.
    public mutating func click(x: Int, y: Int, in area: Rect) {
        if let popup, let box = popupRect(in: area) {
            if box.contains(x: x, y: y), case .choice = popup {
                let list = fields[focus].choices
                let index = y - box.y - 1 + choiceScroll(box: box)
                if list.indices.contains(index) {
                    fields[focus].editor = TextField(list[index].value)
                    fields[focus].error = nil
                    self.popup = nil
                }
                return
            }
            self.popup = nil
        }
        for (index, row) in layout(in: area) where y >= row && y < row + fields[index].rows {
            focus = index
            switch fields[index].kind {
            case .checkbox where x >= area.x + labelWidth(area) + 1:
                fields[index].editor = TextField(fields[index].isOn ? "nu" : "da")
            case .choice, .date:
                if x >= area.x + labelWidth(area) + 1 { openPopup() }
            default: break
            }
            return
        }
    }

    // MARK: - Drawing

    public func labelWidth(_ area: Rect) -> Int { min(20, max(8, area.width / 3)) }

    /// The first row of each visible field, scrolled so that the focused one shows.
    public func layout(in area: Rect) -> [(Int, Int)] {
        let available = area.height - 1  // the last row holds the field's message
        var start = min(scroll, focus)
        func fits(_ from: Int) -> Bool {
            fields[from...focus].reduce(0) { $0 + $1.rows } <= available
        }
        while start < focus && !fits(start) { start += 1 }
        var out: [(Int, Int)] = []
        var row = area.y
        for index in start..<fields.count {
            if row + fields[index].rows > area.y + available { break }
            out.append((index, row))
            row += fields[index].rows
        }
        return out
    }

    /// Keeps the scroll position between frames (call after handling keys).
    public mutating func settle(in area: Rect) {
        if let first = layout(in: area).first { scroll = first.0 }
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, focused: Bool = true) {
        let panel = Style(foreground: .text, background: .panel)
        let labelWidth = labelWidth(area)
        let inputWidth = area.width - labelWidth - 1
        for (index, row) in layout(in: area) {
            let field = fields[index]
            let current = index == focus && focused
            let label = field.label + (field.mandatory ? " *" : "")
            buffer.put(label, x: area.x, y: row,
                       style: Style(foreground: field.error != nil ? .error : (current ? .primary : .muted), background: .panel,
                                    bold: current), maxWidth: labelWidth)
            let input = Style(foreground: .text, background: .surface, underline: true)
            let x = area.x + labelWidth + 1
            switch field.kind {
            case .multiline(let rows):
                field.editor.renderLines(into: &buffer, x: x, y: row, width: inputWidth, rows: rows, style: input,
                                         focused: current)
            case .checkbox:
                buffer.fill(x: x, y: row, width: inputWidth, height: 1, style: panel)
                buffer.put(field.display, x: x, y: row, style: Style(foreground: .text, background: .panel, reverse: current))
            case .choice:
                buffer.fill(x: x, y: row, width: inputWidth, height: 1, style: input)
                buffer.put(field.display, x: x, y: row, style: Style(foreground: .text, background: .surface, underline: true,
                                                                     reverse: current), maxWidth: inputWidth - 2)
                buffer.put("▾", x: x + inputWidth - 1, y: row, style: Style(foreground: .accent, background: .surface))
            case .date:
                field.editor.render(into: &buffer, x: x, y: row, width: inputWidth - 2, style: input, focused: current)
                buffer.put("▦", x: x + inputWidth - 1, y: row, style: Style(foreground: .accent, background: .surface))
            case .text, .number:
                field.editor.render(into: &buffer, x: x, y: row, width: inputWidth, style: input, focused: current)
            case .secret:
                field.editor.masked.render(into: &buffer, x: x, y: row, width: inputWidth, style: input, focused: current)
            }
        }
        let problem = focusedField?.error ?? message ?? fields.compactMap(\.error).first
        buffer.fill(x: area.x, y: area.y + area.height - 1, width: area.width, height: 1, style: panel)
        if let problem {
            buffer.put(problem, x: area.x, y: area.y + area.height - 1,
                       style: Style(foreground: .error, background: .panel, bold: true), maxWidth: area.width)
        }
        renderPopup(into: &buffer, area: area)
        if confirmingDiscard {
            let text = strings.discard
            buffer.fill(x: area.x, y: area.y + area.height - 1, width: area.width, height: 1,
                        style: Style(foreground: .warning, background: .panel, bold: true))
            buffer.put(text, x: area.x, y: area.y + area.height - 1,
                       style: Style(foreground: .warning, background: .panel, bold: true), maxWidth: area.width)
        }
    }

    public func popupRect(in area: Rect) -> Rect? {
        guard let popup, let (_, row) = layout(in: area).first(where: { $0.0 == focus }) else { return nil }
        let x = area.x + labelWidth(area) + 1
        switch popup {
        case .choice:
            let list = fields[focus].choices
            let width = min(area.width - labelWidth(area) - 1, max(12, (list.map { DisplayWidth.of($0.label) }.max() ?? 0) + 4))
            let height = min(list.count + 2, 12)
            let below = row + 1 + height <= area.y + area.height + 1
            return Rect(x: x, y: below ? row + 1 : max(0, row - height), width: width, height: height)
        case .calendar:
            let below = row + 1 + 10 <= area.y + area.height + 1
            return Rect(x: x, y: below ? row + 1 : max(0, row - 10), width: 24, height: 10)
        }
    }

    private func choiceScroll(box: Rect) -> Int {
        guard case .choice(let selected) = popup else { return 0 }
        return max(0, selected - (box.height - 3))
    }

    private func renderPopup(into buffer: inout ScreenBuffer, area: Rect) {
        guard let popup, let box = popupRect(in: area) else { return }
        let style = Style(foreground: .text, background: .panel)
        buffer.box(box, style: style, borderStyle: Style(foreground: .accent, background: .panel))
        switch popup {
        case .choice(let selected):
            let list = fields[focus].choices
            let start = choiceScroll(box: box)
            for (line, index) in (start..<list.count).prefix(box.height - 2).enumerated() {
                let chosen = index == selected
                let rowStyle = chosen ? Style(foreground: .selection, background: .selection) : style
                buffer.fill(x: box.x + 1, y: box.y + 1 + line, width: box.width - 2, height: 1, style: rowStyle)
                buffer.put(list[index].label.isEmpty ? "—" : list[index].label, x: box.x + 2, y: box.y + 1 + line,
                           style: rowStyle, maxWidth: box.width - 4)
            }
        case .calendar(let day):
            buffer.put(strings.months[day.month - 1] + " \(day.year)", x: box.x + 2, y: box.y + 1, style: Style(foreground: .primary, background: .panel, bold: true))
            buffer.put(strings.weekdays, x: box.x + 2, y: box.y + 2, style: Style(foreground: .muted, background: .panel))
            let first = CalendarDate(year: day.year, month: day.month, day: 1)
            let offset = first.weekday  // 0 = Monday
            for d in 1...day.daysInMonth {
                let cell = offset + d - 1
                let text = d < 10 ? " \(d)" : "\(d)"
                let chosen = d == day.day
                buffer.put(text, x: box.x + 2 + (cell % 7) * 3, y: box.y + 3 + cell / 7,
                           style: chosen ? Style(foreground: .selection, background: .selection) : style)
            }
        }
    }
}

/// A rectangle of cells.
public struct Rect: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < x + width && py >= y && py < y + height }

    /// The rectangle inside a one-cell border.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: max(0, width - 2), height: max(0, height - 2)) }

    /// A rectangle of this size centred in `outer`.
    public static func centred(width: Int, height: Int, in outer: Rect) -> Rect {
        let w = min(width, outer.width), h = min(height, outer.height)
        return Rect(x: outer.x + (outer.width - w) / 2, y: outer.y + (outer.height - h) / 2, width: w, height: h)
    }
}

extension ScreenBuffer {
    /// A filled box with a single-line border and an optional title on the top edge.
    public mutating func box(_ rect: Rect, style: Style, borderStyle: Style, title: String? = nil, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height, style: style)
        let line = String(repeating: "─", count: rect.width - 2)
        put("┌" + line + "┐", x: rect.x, y: rect.y, style: borderStyle)
        put("└" + line + "┘", x: rect.x, y: rect.y + rect.height - 1, style: borderStyle)
        for row in (rect.y + 1)..<(rect.y + rect.height - 1) {
            put("│", x: rect.x, y: row, style: borderStyle)
            put("│", x: rect.x + rect.width - 1, y: row, style: borderStyle)
        }
        if let title {
            put(" " + title + " ", x: rect.x + 2, y: rect.y, style: titleStyle ?? borderStyle, maxWidth: rect.width - 4)
        }
    }
}

/// A day of the Gregorian calendar, for the date picker.
public struct CalendarDate: Sendable, Hashable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = min(max(1, day), CalendarDate.days(year, month))
    }

    /// YYYY-MM-DD or DD.MM.YYYY.
    public init?(iso text: String) {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "." || $0 == "/" }).compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let (y, m, d) = String(text.prefix(4)).allSatisfy(\.isNumber) ? (parts[0], parts[1], parts[2]) : (parts[2], parts[1], parts[0])
        guard (1...12).contains(m), (1...CalendarDate.days(y, m)).contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Today in the computer's local time zone.
    public static var today: CalendarDate {
        var t = time(nil)
        var parts = tm()
        localtime_r(&t, &parts)
        return CalendarDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    }

    static func days(_ y: Int, _ m: Int) -> Int {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][max(0, min(11, m - 1))]
    }

    public var daysInMonth: Int { CalendarDate.days(year, month) }
    public var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }

    /// 0 for Monday … 6 for Sunday.
    public var weekday: Int {
        let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        let sunday0 = (y + y / 4 - y / 100 + y / 400 + t[month - 1] + day) % 7
        return (sunday0 + 6) % 7
    }

    public func adding(days n: Int) -> CalendarDate {
        var (y, m, d) = (year, month, day + n)
        while d < 1 {
            m -= 1
            if m < 1 { m = 12; y -= 1 }
            d += CalendarDate.days(y, m)
        }
        while d > CalendarDate.days(y, m) {
            d -= CalendarDate.days(y, m)
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        return CalendarDate(year: y, month: m, day: d)
    }

    public func adding(months n: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + n
        return CalendarDate(year: total / 12, month: total % 12 + 1, day: day)
    }
}

/// The words a form shows by itself.
public struct FormStrings: Sendable, Equatable {
    public var discard: String
    public var weekdays: String
    public var months: [String]

    public static let romanian = FormStrings(
        discard: "Renunțați la modificări? d/n",
        weekdays: "Lu Ma Mi Jo Vi Sâ Du",
        months: ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie",
                 "octombrie", "noiembrie", "decembrie"])

    public static let english = FormStrings(
        discard: "Discard the changes? y/n",
        weekdays: "Mo Tu We Th Fr Sa Su",
        months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"])
}
