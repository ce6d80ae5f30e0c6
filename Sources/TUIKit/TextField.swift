import CRMText

/// The state of a one-line text field: its text and the cursor, in characters.
public struct TextField: Sendable, Equatable {
    public private(set) var text: String
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
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
}
