import CRMText
import TUIKit

/// A window of groups and their rows: the groups (with their counts) on the
/// left, the chosen group's rows as a table on the right. Up and down move in
/// the focused side, Tab (or left/right) moves the focus, the wheel scrolls
/// and a click chooses; Enter on a row shows its last cell whole in the foot line; keys
/// it does not use are handed back to its owner — the e-mail lists, a
/// campaign's report.
struct GroupedTable: Sendable {
    struct Group: Sendable, Equatable {
        let title: String
        let count: Int
    }

    var title: String
    var groups: [Group]
    var group = 0
    var headers: [String] = []
    var rows: [[String]] = []
    var row = 0
    var rowsFocused = false
    /// The keys the owner offers, shown at the foot when there is no message.
    var hint: String
    var message: String?

    enum Event: Equatable {
        case none, close
        /// Another group was chosen: its rows are to be loaded.
        case groupChanged
        /// A key for the owner.
        case key(Key)
    }

    var selectedRow: [String]? { rows.indices.contains(row) ? rows[row] : nil }

    mutating func handle(_ key: Key, height: Int) -> Event {
        message = nil
        let visible = Self.visibleRows(height: height)
        switch key {
        case .escape: return .close
        case .enter where rowsFocused:
            // The row's first and last cells whole in the foot line: the last column (a server's reply) is the one cut.
            if let cells = selectedRow, let first = cells.first, let last = cells.last, let header = headers.last {
                message = first + " · " + header + ": " + (last.isEmpty ? "—" : last)
            }
        case .tab, .backTab: rowsFocused = !rowsFocused && !rows.isEmpty
        case .right: rowsFocused = !rows.isEmpty
        case .left: rowsFocused = false
        case .up, .down, .pageUp, .pageDown, .home, .end:
            let step: Int
            switch key {
            case .up: step = -1
            case .down: step = 1
            case .pageUp: step = -visible
            case .pageDown: step = visible
            case .home: step = Int.min / 2
            default: step = Int.max / 2
            }
            return move(step)
        default: return .key(key)
        }
        return .none
    }

    /// Moves the cursor of the focused side.
    mutating func move(_ step: Int) -> Event {
        if rowsFocused {
            row = max(0, min(max(0, rows.count - 1), row + step))
            return .none
        }
        let before = group
        group = max(0, min(max(0, groups.count - 1), group + step))
        if group != before { row = 0; return .groupChanged }
        return .none
    }

    static func box(width: Int, height: Int) -> Rect {
        Rect.centred(width: min(width - 2, 130), height: max(8, height - 4), in: Rect(x: 0, y: 1, width: width, height: height - 2))
    }

    static func visibleRows(height: Int) -> Int { max(1, max(8, height - 4) - 5) }

    func groupsWidth(_ box: Rect) -> Int { min(36, max(18, box.width / 3)) }

    /// A click chooses a group or a row (and focuses its side); the wheel scrolls the side under it.
    mutating func mouse(_ event: MouseEvent, width: Int, height: Int) -> Event {
        let box = Self.box(width: width, height: height)
        let left = groupsWidth(box)
        let visible = Self.visibleRows(height: height)
        let onGroups = event.x < box.x + left
        switch event.kind {
        case .wheelUp, .wheelDown:
            rowsFocused = !onGroups && !rows.isEmpty
            return move(event.kind == .wheelUp ? -3 : 3)
        case .click, .doubleClick:
            if onGroups {
                let index = ListWindow.rows(count: groups.count, cursor: group, visible: visible + 1, top: box.y + 1)
                    .first { $0.y == event.y }?.index
                rowsFocused = false
                guard let index else { return .none }
                let before = group
                group = index
                if before != group { row = 0; return .groupChanged }
            } else {
                let index = ListWindow.rows(count: rows.count, cursor: row, visible: visible, top: box.y + 2).first { $0.y == event.y }?.index
                guard let index else { return .none }
                rowsFocused = true
                row = index
                if event.kind == .doubleClick { return .key(.enter) }
            }
        default: break
        }
        return .none
    }

    func render(into buffer: inout ScreenBuffer) {
        let box = Self.box(width: buffer.width, height: buffer.height)
        let panel = Style(foreground: .text, background: .panel)
        let muted = Style(foreground: .muted, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel), title: title,
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let left = groupsWidth(box)
        let visible = Self.visibleRows(height: buffer.height)
        for (index, y) in ListWindow.rows(count: groups.count, cursor: group, visible: visible + 1, top: box.y + 1) {
            let g = groups[index]
            let style = buffer.listRow(x: box.x + 1, y: y, width: left - 1, chosen: index == group,
                                       base: !rowsFocused || index != group ? panel : Style(foreground: .primary, background: .panel, bold: true))
            let count = " \(g.count)"
            buffer.put(g.title, x: box.x + 2, y: y, style: style, maxWidth: left - 3 - count.count)
            buffer.put(count, x: box.x + left - 1 - count.count, y: y, style: style)
        }
        for y in box.y + 1..<box.y + box.height - 2 { buffer.put("│", x: box.x + left, y: y, style: Style(foreground: .border, background: .panel)) }
        // The rows: column widths from the headers and the rows shown, the last taking the rest.
        let x0 = box.x + left + 2, room = box.x + box.width - 2 - x0
        var widths = headers.map { DisplayWidth.of($0) }
        for cells in rows.prefix(200) {
            for (i, cell) in cells.enumerated() where i < widths.count { widths[i] = max(widths[i], min(40, DisplayWidth.of(cell))) }
        }
        func line(_ cells: [String], y: Int, style: Style) {
            var x = x0
            for (i, cell) in cells.enumerated() where i < widths.count && x < x0 + room {
                let w = i == widths.count - 1 ? x0 + room - x : min(widths[i], x0 + room - x)
                buffer.put(cell, x: x, y: y, style: style, maxWidth: w)
                x += w + 2
            }
        }
        line(headers, y: box.y + 1, style: Style(foreground: .muted, background: .panel, bold: true))
        if rows.isEmpty { buffer.put("—", x: x0, y: box.y + 2, style: muted) }
        for (index, y) in ListWindow.rows(count: rows.count, cursor: row, visible: visible, top: box.y + 2) {
            let style = buffer.listRow(x: x0 - 1, y: y, width: room + 1, chosen: rowsFocused && index == row, base: panel)
            line(rows[index], y: y, style: style)
        }
        buffer.put(message ?? hint, x: box.x + 2, y: box.y + box.height - 2,
                   style: Style(foreground: message == nil ? .muted : .warning, background: .panel), maxWidth: box.width - 4)
    }
}
