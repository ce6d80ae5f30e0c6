import CRMCore
import CRMText
import Foundation
import TUIKit

/// Tablou de bord: the user's panels in a grid — a month's calendar of work
/// falling due, the sales funnel, the user actions, the portfolios, the
/// balances, the budget, the top sales, the visit map — each one's numbers
/// selectable. Tab (and Shift+Tab) move between panels, the arrows between a
/// panel's numbers; Enter opens the rows behind the chosen one, E exports the
/// panel to Excel, S changes its settings, O arranges the panels, R reckons the
/// balances again (corelare sold), P prints the visit map to PDF.
struct DashboardPage: Sendable {
    var settings: DashboardSettings
    /// The panels shown, in order (those the user may see).
    var panels: [DashboardPanel]
    /// Each panel's data, or why it could not be read.
    var data: [DashboardPanel: Result<PanelData, PanelFailure>] = [:]
    var focus = 0
    /// The chosen cell of the focused panel: its row and column.
    var row = 0
    var column = 0
    /// Arranging the panels: the cursor in the list, the order and what is hidden being edited.
    var arranging: Arrangement?

    struct PanelFailure: Error, Sendable { let message: String }

    struct Arrangement: Sendable {
        var order: [DashboardPanel]
        var hidden: Set<DashboardPanel>
        var cursor = 0
    }

    enum Event: Equatable {
        case none
        case drill(DrillDown)
        case export(DashboardPanel)
        case settings(DashboardPanel)
        case saveLayout(order: [DashboardPanel], hidden: Set<DashboardPanel>)
        case reconcile
        /// The visit map printed to PDF.
        case printRoute
        /// The key is not the dashboard's: the page's (menus, other pages, quit).
        case pass
    }

    var panel: DashboardPanel? { panels.indices.contains(focus) ? panels[focus] : nil }

    var focusedData: PanelData? {
        guard let panel, case .success(let d)? = data[panel] else { return nil }
        return d
    }

    /// The columns of numbers a panel's cursor moves over (the first, a name or a day, is not one of them unless alone).
    static func selectable(_ d: PanelData) -> [Int] {
        let width = d.rows.first?.count ?? 0
        let withDrill = (0..<width).filter { c in d.rows.contains { $0.indices.contains(c) && $0[c].drill != nil } }
        return withDrill.isEmpty ? [max(0, width - 1)] : withDrill
    }

    mutating func handle(_ key: Key) -> Event {
        if var a = arranging {
            switch key {
            case .escape: arranging = nil; return .none
            case .up: a.cursor = max(0, a.cursor - 1)
            case .down: a.cursor = min(a.order.count - 1, a.cursor + 1)
            case .home, .pageUp: a.cursor = 0
            case .end, .pageDown: a.cursor = a.order.count - 1
            case .char(" "):
                let p = a.order[a.cursor]
                if a.hidden.remove(p) == nil { a.hidden.insert(p) }
            case .shiftUp, .char("<"):
                if a.cursor > 0 { a.order.swapAt(a.cursor, a.cursor - 1); a.cursor -= 1 }
            case .shiftDown, .char(">"):
                if a.cursor < a.order.count - 1 { a.order.swapAt(a.cursor, a.cursor + 1); a.cursor += 1 }
            case .enter, .function(2), .ctrl("s"):
                arranging = nil
                return .saveLayout(order: a.order, hidden: a.hidden)
            default: break
            }
            arranging = a
            return .none
        }
        switch key {
        case .tab: moveFocus(1)
        case .backTab: moveFocus(-1)
        case .up, .down, .left, .right, .home, .end, .pageUp, .pageDown:
            guard let d = focusedData, !d.rows.isEmpty else { return key == .left || key == .right ? .none : .pass }
            let columns = Self.selectable(d)
            let at = columns.firstIndex(of: column) ?? 0
            switch key {
            case .up: row = max(0, row - 1)
            case .down: row = min(d.rows.count - 1, row + 1)
            case .pageUp: row = max(0, row - 7)
            case .pageDown: row = min(d.rows.count - 1, row + 7)
            case .home: row = 0
            case .end: row = d.rows.count - 1
            case .left: column = columns[max(0, at - 1)]
            default: column = columns[min(columns.count - 1, at + 1)]
            }
        case .enter:
            guard let d = focusedData, d.rows.indices.contains(row) else { return .none }
            let cells = d.rows[row]
            if let drill = (cells.indices.contains(column) ? cells[column].drill : nil) ?? cells.compactMap(\.drill).first { return .drill(drill) }
        case .char("e"), .char("E"): return panel.map { .export($0) } ?? .none
        case .char("s"), .char("S"): return panel.map { .settings($0) } ?? .none
        case .char("o"), .char("O"):
            arranging = Arrangement(order: settings.order + DashboardPanel.allCases.filter { !settings.order.contains($0) }, hidden: settings.hidden)
        case .char("r"), .char("R"): return panel == .balance || panel == .budget ? .reconcile : .none
        case .char("p"), .char("P"): return panel == .visits ? .printRoute : .none
        default: return .pass
        }
        return .none
    }

    mutating func moveFocus(_ delta: Int) {
        guard !panels.isEmpty else { return }
        focus = (focus + delta + panels.count) % panels.count
        row = 0
        column = focusedData.map { Self.selectable($0).first ?? 0 } ?? 0
    }

    // MARK: - Drawing

    /// The least height of a panel's box; the rows of boxes shown share the page's height.
    static let boxHeight = 11

    /// How many panels side by side on a screen this wide.
    static func perRow(width: Int) -> Int { width >= 150 ? 3 : width >= 90 ? 2 : 1 }

    /// Where each panel's box goes in the area, scrolled so that the focused one shows.
    func boxes(in area: Rect) -> [(panel: Int, rect: Rect)] {
        let per = Self.perRow(width: area.width)
        let w = area.width / per
        let rowsNeeded = (panels.count + per - 1) / per
        let visibleRows = max(1, min(rowsNeeded, area.height / Self.boxHeight))
        let h = area.height / visibleRows
        let focusRow = focus / per
        let firstRow = max(0, focusRow - visibleRows + 1)
        var out: [(Int, Rect)] = []
        for (i, _) in panels.enumerated() {
            let r = i / per - firstRow
            guard r >= 0, r < visibleRows else { continue }
            let c = i % per
            out.append((i, Rect(x: area.x + c * w, y: area.y + r * h, width: c == per - 1 ? area.width - c * w : w,
                                height: r == visibleRows - 1 ? area.height - r * h : h)))
        }
        return out
    }

    func render(into buffer: inout ScreenBuffer, area: Rect, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let base = Style(foreground: .text, background: .surface)
        buffer.fill(x: area.x, y: area.y, width: area.width, height: area.height, style: base)
        if panels.isEmpty {
            buffer.put(t("Niciun panou afișat: O le alege", "No panels shown: O chooses them"), x: area.x + 2, y: area.y + 1,
                       style: Style(foreground: .muted, background: .surface))
        }
        for (index, rect) in boxes(in: area) {
            let panel = panels[index]
            let focused = index == focus
            let inner = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
            var title = panel.title.text(language)
            if case .success(let d)? = data[panel] { title += " · " + Self.interval(d, language: language) }
            buffer.box(rect, style: base, borderStyle: Style(foreground: focused ? .accent : .border, background: .surface, bold: focused),
                       title: title, titleStyle: Style(foreground: focused ? .primary : .text, background: .surface, bold: true))
            switch data[panel] {
            case .failure(let failure)?:
                buffer.put(failure.message, x: inner.x + 1, y: inner.y, style: Style(foreground: .error, background: .surface), maxWidth: inner.width - 2)
            case .success(let d)?:
                drawPanel(d, in: inner, into: &buffer, focused: focused, language: language)
            case nil:
                buffer.put("…", x: inner.x + 1, y: inner.y, style: Style(foreground: .muted, background: .surface))
            }
        }
        if let a = arranging { drawArrangement(a, into: &buffer, area: area, language: language) }
    }

    static func interval(_ d: PanelData, language: Language) -> String {
        func short(_ day: String) -> String { String(day.dropFirst(8).prefix(2)) + "." + String(day.dropFirst(5).prefix(2)) + "." + String(day.prefix(4)) }
        if d.panel == .balance { return language == .ro ? "acum" : "now" }
        return d.from == d.to ? short(d.from) : short(d.from) + "–" + short(d.to)
    }

    private func cellStyle(_ chosen: Bool, base: Style) -> Style {
        chosen ? Style(foreground: .selection, background: .selection) : base
    }

    private func drawPanel(_ d: PanelData, in r: Rect, into buffer: inout ScreenBuffer, focused: Bool, language: Language) {
        let text = Style(foreground: .text, background: .surface), muted = Style(foreground: .muted, background: .surface)
        let rows = r.height - (d.note == nil ? 0 : 1)
        switch d.panel {
        case .planning:
            drawCalendar(d, in: r, into: &buffer, focused: focused, language: language)
        case .forecast:
            // The funnel: each stage a centred bar as wide as its count.
            let maximum = d.rows.map { $0[1].value ?? 0 }.max() ?? 0
            let labelWidth = min(18, r.width / 3)
            let barRoom = max(4, r.width - labelWidth - 16)
            for (i, cells) in d.rows.prefix(rows).enumerated() {
                let chosen = focused && i == row
                let y = r.y + i
                buffer.put(cells[0].text, x: r.x + 1, y: y, style: cellStyle(chosen, base: text), maxWidth: labelWidth - 1)
                let bar = Bars.horizontal(cells[1].value ?? 0, maximum: maximum, width: barRoom)
                let pad = (barRoom - DisplayWidth.of(bar)) / 2
                buffer.put(bar, x: r.x + labelWidth + pad, y: y, style: Style(foreground: .accent, background: .surface))
                buffer.put(cells[1].text + " · " + cells[2].text, x: r.x + labelWidth + barRoom + 1, y: y, style: chosen ? cellStyle(true, base: text) : muted,
                           maxWidth: r.width - labelWidth - barRoom - 1)
            }
        case .sales:
            let maximum = d.rows.map { $0[3].value ?? 0 }.max() ?? 0
            let labelWidth = min(24, r.width / 3)
            for (i, cells) in d.rows.prefix(rows).enumerated() {
                let chosen = focused && i == row
                buffer.put("\(i + 1). " + cells[0].text, x: r.x + 1, y: r.y + i, style: cellStyle(chosen, base: text), maxWidth: labelWidth)
                let room = max(4, r.width - labelWidth - 16)
                buffer.put(Bars.horizontal(cells[3].value ?? 0, maximum: maximum, width: room), x: r.x + labelWidth + 2, y: r.y + i,
                           style: Style(foreground: .accent, background: .surface))
                buffer.put(cells[3].text, x: r.x + r.width - 14, y: r.y + i, style: muted, maxWidth: 14)
            }
            if d.rows.isEmpty { buffer.put(language == .ro ? "Nicio vânzare în interval" : "No sales in the interval", x: r.x + 1, y: r.y, style: muted) }
        case .visits:
            drawVisits(d, in: r, into: &buffer, focused: focused, language: language)
        default:
            drawTable(d, in: Rect(x: r.x, y: r.y, width: r.width, height: rows), into: &buffer, focused: focused, language: language)
        }
        if let note = d.note {
            buffer.put(note.text(language), x: r.x + 1, y: r.y + r.height - 1, style: muted, maxWidth: r.width - 2)
        }
    }

    /// A table: the header, then the rows, numbers right-aligned, the chosen cell lit.
    private func drawTable(_ d: PanelData, in r: Rect, into buffer: inout ScreenBuffer, focused: Bool, language: Language) {
        let text = Style(foreground: .text, background: .surface), muted = Style(foreground: .muted, background: .surface)
        let headers = d.headers.map { $0.text(language) }
        // Numbers as wide as they need (headers cut to 9), the first column the rest (a name, at most 24).
        var widths = headers.enumerated().map { i, h in i == 0 ? DisplayWidth.of(h) : min(9, DisplayWidth.of(h)) }
        for cells in d.rows { for (i, c) in cells.enumerated() where i < widths.count { widths[i] = max(widths[i], min(i == 0 ? 24 : 14, DisplayWidth.of(c.text))) } }
        let rest = widths.dropFirst().reduce(0) { $0 + $1 + 1 }
        widths[0] = max(8, min(widths[0], r.width - 2 - rest))
        var x = r.x + 1
        for (i, h) in headers.enumerated() where x < r.x + r.width - 1 {
            let w = widths[i]
            buffer.put(i == 0 ? h : String(repeating: " ", count: max(0, w - DisplayWidth.of(h))) + h, x: x, y: r.y, style: Style(foreground: .muted, background: .surface, bold: true),
                       maxWidth: min(w, r.x + r.width - 1 - x))
            x += w + 1
        }
        let visible = r.height - 1
        let first = focused ? max(0, row - visible + 1) : 0
        if d.rows.isEmpty { buffer.put("—", x: r.x + 1, y: r.y + 1, style: muted) }
        for (offset, cells) in d.rows.dropFirst(first).prefix(visible).enumerated() {
            let index = first + offset
            x = r.x + 1
            for (i, c) in cells.enumerated() where i < widths.count && x < r.x + r.width - 1 {
                let w = widths[i]
                let chosen = focused && index == row && i == column
                let shown = i == 0 ? c.text : String(repeating: " ", count: max(0, w - DisplayWidth.of(c.text))) + c.text
                buffer.put(shown, x: x, y: r.y + 1 + offset, style: cellStyle(chosen, base: c.drill == nil && i > 0 ? muted : text),
                           maxWidth: min(w, r.x + r.width - 1 - x))
                x += w + 1
            }
        }
    }

    /// A month: the weeks as rows, each day with how many items fall due (opportunities + activities).
    private func drawCalendar(_ d: PanelData, in r: Rect, into buffer: inout ScreenBuffer, focused: Bool, language: Language) {
        guard let first = Day(d.from), let last = Day(d.to) else { return }
        let names = language == .ro ? ["Lu", "Ma", "Mi", "Jo", "Vi", "Sâ", "Du"] : ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
        let cell = max(5, min(9, (r.width - 2) / 7))
        for (i, n) in names.enumerated() {
            buffer.put(n, x: r.x + 1 + i * cell, y: r.y, style: Style(foreground: .muted, background: .surface, bold: true))
        }
        let chosenDay = d.rows.indices.contains(row) ? d.rows[row][0].text : nil
        var counts: [String: Int] = [:]
        for cells in d.rows { counts[cells[0].text] = Int(cells[1].value ?? 0) + Int(cells[2].value ?? 0) }
        var day = first
        var week = 0
        while day <= last {
            let col = day.weekday - 1
            let n = counts[day.text]
            let label = String(format: "%2d", day.day) + (n.map { ":\($0)" } ?? "")
            let chosen = focused && day.text == chosenDay
            let style = chosen ? Style(foreground: .selection, background: .selection)
                : n != nil ? Style(foreground: .accent, background: .surface, bold: true) : Style(foreground: .muted, background: .surface)
            buffer.put(label, x: r.x + 1 + col * cell, y: r.y + 1 + week, style: style, maxWidth: cell - 1)
            if col == 6 { week += 1 }
            day = day.adding(days: 1)
        }
        let total = counts.values.reduce(0, +)
        buffer.put((language == .ro ? "scadente în lună: " : "due this month: ") + "\(total)", x: r.x + 1, y: r.y + r.height - 1,
                   style: Style(foreground: .muted, background: .surface), maxWidth: r.width - 2)
    }

    /// The route on a Braille map (stops numbered, the start P) beside the stops in order.
    private func drawVisits(_ d: PanelData, in r: Rect, into buffer: inout ScreenBuffer, focused: Bool, language: Language) {
        let muted = Style(foreground: .muted, background: .surface), text = Style(foreground: .text, background: .surface)
        guard let plan = d.route else { return }
        guard !plan.stops.isEmpty else {
            buffer.put(language == .ro ? "Nicio vizită în interval (S alege utilizatorii, ziua, tipurile)"
                                       : "No visits in the interval (S chooses the users, the day, the types)", x: r.x + 1, y: r.y, style: muted,
                       maxWidth: r.width - 2)
            return
        }
        let mapWidth = min(r.width / 2, 40)
        let rows = r.height - (d.note == nil ? 0 : 1)
        var canvas = BrailleCanvas(columns: mapWidth, rows: rows)
        let points = [plan.start] + plan.stops.map(\.point)
        let placed = Self.project(points, width: canvas.width, height: canvas.height)
        let path = placed + (plan.returning && !plan.stops.isEmpty ? [placed[0]] : [])
        for (a, b) in zip(path, path.dropFirst()) { canvas.line(a.x, a.y, b.x, b.y) }
        for (i, line) in canvas.lines.enumerated() { buffer.put(line, x: r.x + 1, y: r.y + i, style: Style(foreground: .accent, background: .surface)) }
        for (i, p) in placed.enumerated() {
            let label = i == 0 ? "P" : "\(i)"
            buffer.put(label, x: min(r.x + mapWidth, r.x + 1 + p.x / 2), y: r.y + min(rows - 1, p.y / 4), style: Style(foreground: .primary, background: .surface, bold: true))
        }
        let lx = r.x + mapWidth + 2, lw = r.width - mapWidth - 3
        let first = focused ? max(0, row - rows + 2) : 0
        for (offset, cells) in d.rows.dropFirst(first).prefix(rows - 1).enumerated() {
            let index = first + offset
            buffer.put("\(cells[0].text). \(cells[1].text) · \(cells[3].text) km", x: lx, y: r.y + offset,
                       style: cellStyle(focused && index == row, base: text), maxWidth: lw)
        }
        buffer.put(String(format: language == .ro ? "%.1f km în linie dreaptă" : "%.1f km as the crow flies", plan.length), x: lx, y: r.y + rows - 1,
                   style: muted, maxWidth: lw)
    }

    /// Points in dots of a canvas: an equirectangular projection fitted to it (a margin of a dot).
    static func project(_ points: [GeoPoint], width: Int, height: Int) -> [(x: Int, y: Int)] {
        guard !points.isEmpty else { return [] }
        let mid = (points.map(\.latitude).min()! + points.map(\.latitude).max()!) / 2
        let k = cos(mid * .pi / 180)
        let xs = points.map { $0.longitude * k }, ys = points.map(\.latitude)
        let (x0, x1, y0, y1) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
        // A dot is about as wide as it is tall (a cell is half as wide as it is high, with 2 × 4 dots).
        let scale = min(Double(width - 3) / max(x1 - x0, 1e-6), Double(height - 3) / max(y1 - y0, 1e-6))
        let (ox, oy) = ((Double(width) - (x1 - x0) * scale) / 2, (Double(height) - (y1 - y0) * scale) / 2)
        return points.map { p in
            (Int((ox + (p.longitude * k - x0) * scale).rounded()), Int((oy + (y1 - p.latitude) * scale).rounded()))
        }
    }

    private func drawArrangement(_ a: Arrangement, into buffer: inout ScreenBuffer, area: Rect, language: Language) {
        let box = Rect.centred(width: 56, height: a.order.count + 5, in: area)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel),
                   title: language == .ro ? "Setări tablou de bord" : "Dashboard settings", titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        for (i, p) in a.order.enumerated() {
            let style = buffer.listRow(x: box.x + 1, y: box.y + 1 + i, width: box.width - 2, chosen: i == a.cursor, base: panel)
            buffer.put((a.hidden.contains(p) ? "[ ] " : "[x] ") + p.title.text(language), x: box.x + 2, y: box.y + 1 + i, style: style)
        }
        buffer.put(language == .ro ? "spațiu afișează/ascunde · shift+↑↓ sau < > mută · enter salvează · esc renunță"
                                   : "space shows/hides · shift+↑↓ or < > move · enter saves · esc gives up",
                   x: box.x + 2, y: box.y + box.height - 2, style: Style(foreground: .muted, background: .panel), maxWidth: box.width - 4)
    }
}
