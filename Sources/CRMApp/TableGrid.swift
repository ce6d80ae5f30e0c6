import CRMCore
import CRMText
import TUIKit

/// A table on screen, the same for every entity: the header with the sort
/// marker, the pinned first column, the sideways scroll, the selected and the
/// marked rows, numbers and money on the right.
struct TableGrid<Row, Order: TableOrder> {
    let columns: [TableColumn<Row, Order>]
    let settings: TableSettings
    /// How many columns (after the pinned one) the table is scrolled sideways.
    let hscroll: Int

    /// Where each shown column goes in a table this wide: the pinned first column,
    /// then the others from the sideways scroll on, as many as fit; when all
    /// fit, the widest column takes the spare room.
    func layout(width: Int) -> [(column: TableColumn<Row, Order>, x: Int, width: Int)] {
        let visible = settings.visible(columns)
        guard !visible.isEmpty else { return [] }
        let usable = width - 2
        var chosen: [TableColumn<Row, Order>] = []
        if settings.pinned {
            chosen.append(visible[0])
            chosen += visible.dropFirst().dropFirst(min(hscroll, max(0, visible.count - 2)))
        } else {
            chosen = Array(visible.dropFirst(min(hscroll, visible.count - 1)))
        }
        // When not all fit, the widest column gives up room (down to 16) for the next ones.
        var widths = chosen.map { settings.width($0) }
        let needed = widths.reduce(0, +) + widths.count - 1
        if needed > usable - 2, let flex = widths.indices.max(by: { widths[$0] < widths[$1] }) {
            widths[flex] = max(min(16, widths[flex]), widths[flex] - (needed - (usable - 2)))
        }
        var out: [(TableColumn<Row, Order>, Int, Int)] = []
        var x = 2
        for (i, column) in chosen.enumerated() {
            let w = widths[i]
            if x + w > usable && !out.isEmpty { break }
            out.append((column, x, min(w, usable - x)))
            x += w + 1
        }
        let spare = usable - x + 1
        if spare > 0, out.count == chosen.count, let grow = out.indices.max(by: { out[$0].2 < out[$1].2 }) {
            out[grow].2 += spare
            for k in (grow + 1)..<out.count { out[k].1 += spare }
        }
        return out.map { (column: $0.0, x: $0.1, width: $0.2) }
    }

    /// Draws the header and the rows; `empty` stands in for rows when there are none.
    func render(into buffer: inout ScreenBuffer, area: Rect, rows: [Row], selected: Int, focused: Bool, language: Language,
                empty: String, isMarked: (Row) -> Bool = { _ in false }) {
        let placed = layout(width: area.width)
        let header = Style(foreground: focused ? .primary : .muted, bold: true)
        for (column, x, w) in placed {
            let sorted = column.id == settings.sort
            let label = column.label.text(language) + (sorted ? (settings.descending ? " ▼" : " ▲") : "")
            buffer.put(label, x: area.x + x, y: area.y, style: sorted ? Style(foreground: header.foreground, bold: true, underline: true) : header,
                       maxWidth: w)
        }
        if settings.columns.count > placed.count {
            buffer.put(hscroll > 0 ? "◂▸" : "▸", x: area.x + area.width - 2, y: area.y, style: Style(foreground: .accent, bold: true))
        }
        for (index, row) in rows.prefix(area.height - 1).enumerated() {
            let chosen = index == selected
            let marked = isMarked(row)
            var style = chosen ? Style(foreground: focused ? .selection : .text, background: focused ? .selection : .inactive) : Style()
            if marked && !chosen { style = Style(foreground: .accent, bold: true) }
            let y = area.y + 1 + index
            if chosen { buffer.fill(x: area.x, y: y, width: area.width, height: 1, style: style) }
            if marked { buffer.put("✓", x: area.x, y: y, style: Style(foreground: .accent, background: style.background, bold: true)) }
            for (column, x, w) in placed {
                let value = column.value(row)
                let text = value.display(language)
                let right: Bool
                switch value { case .number, .money: right = true; default: right = false }
                let shift = right ? max(0, w - DisplayWidth.of(text)) : 0
                buffer.put(text, x: area.x + x + shift, y: y, style: style, maxWidth: w - shift)
            }
        }
        if rows.isEmpty { buffer.put(empty, x: area.x + 2, y: area.y + 2, style: Style(foreground: .muted)) }
    }
}
