import CRMText

/// The state of a one-line text field: its text and the cursor, in characters.
public struct TextField: Sendable, Equatable {
    public private(set) var text: String
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    /// The same field with every character shown as a dot (a password).
    public var masked: TextField {
        var out = TextField(String(repeating: "•", count: text.count))
        out.cursor = cursor
        return out
    }

    /// Applies an editing key; returns false for keys a field does not handle.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c):
            let i = text.index(text.startIndex, offsetBy: cursor)
            text.insert(c, at: i)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            let i = text.index(text.startIndex, offsetBy: cursor - 1)
            text.remove(at: i)
            cursor -= 1
        case .delete:
            guard cursor < text.count else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("u"): text = ""; cursor = 0
        default: return false
        }
        return true
    }

    /// Draws the field `width` columns wide, scrolled so that the cursor shows;
    /// the cursor cell is drawn reversed when `focused`.
    public func render(into buffer: inout ScreenBuffer, x: Int, y: Int, width: Int, style: Style, focused: Bool) {
        buffer.fill(x: x, y: y, width: width, height: 1, style: style)
        let chars = Array(text)
        var start = 0
        while DisplayWidth.of(String(chars[start..<cursor])) >= width { start += 1 }
        buffer.put(String(chars[start...]), x: x, y: y, style: style, maxWidth: width)
        guard focused else { return }
        let column = x + DisplayWidth.of(String(chars[start..<cursor]))
        if column < x + width {
            let under = cursor < chars.count ? String(chars[cursor]) : " "
            var cursorStyle = style
            cursorStyle.reverse.toggle()
            buffer.put(under, x: column, y: y, style: cursorStyle)
        }
    }

    /// Editing keys of a multi-line field: Enter starts a line, up and down move
    /// between lines (false at the first or last line, so focus can leave).
    public mutating func handleMultiline(_ key: Key) -> Bool {
        let chars = Array(text)
        let lineStart = (chars[..<cursor].lastIndex(of: "\n")).map { $0 + 1 } ?? 0
        let column = cursor - lineStart
        switch key {
        case .enter:
            return handle(.char("\n"))
        case .up:
            guard lineStart > 0 else { return false }
            let previousStart = (chars[..<(lineStart - 1)].lastIndex(of: "\n")).map { $0 + 1 } ?? 0
            cursor = min(previousStart + column, lineStart - 1)
            return true
        case .down:
            guard let end = chars[cursor...].firstIndex(of: "\n") else { return false }
            let nextEnd = chars[(end + 1)...].firstIndex(of: "\n") ?? chars.count
            cursor = min(end + 1 + column, nextEnd)
            return true
        case .home:
            cursor = lineStart
            return true
        case .end:
            cursor = chars[cursor...].firstIndex(of: "\n") ?? chars.count
            return true
        default:
            return handle(key)
        }
    }

    /// Draws a multi-line field `rows` lines high, scrolled to the cursor's line.
    public func renderLines(into buffer: inout ScreenBuffer, x: Int, y: Int, width: Int, rows: Int, style: Style,
                            focused: Bool) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let before = Array(text)[..<cursor]
        let cursorLine = before.filter { $0 == "\n" }.count
        let cursorColumn = cursor - ((before.lastIndex(of: "\n")).map { $0 + 1 } ?? 0)
        let first = max(0, cursorLine - rows + 1)
        for row in 0..<rows {
            let index = first + row
            let line = lines.indices.contains(index) ? lines[index] : ""
            var field = TextField(line)
            field.cursor = index == cursorLine ? min(cursorColumn, line.count) : 0
            field.render(into: &buffer, x: x, y: y + row, width: width, style: style, focused: focused && index == cursorLine)
        }
    }
}
