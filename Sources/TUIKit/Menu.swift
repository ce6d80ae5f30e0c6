import CRMText

/// One line of a menu: the action it runs, its label and the key that also runs it.
public struct MenuItem: Sendable, Equatable {
    public let action: String
    public let label: String
    public let hint: String
    public let enabled: Bool

    public init(action: String, label: String, hint: String = "", enabled: Bool = true) {
        self.action = action
        self.label = label
        self.hint = hint
        self.enabled = enabled
    }
}

/// What a menu asks its owner to do.
public enum MenuEvent: Sendable, Equatable {
    case none
    case close
    case run(String)
    /// Left or right: the menu bar opens its neighbour.
    case neighbour(Int)
}

/// A drop-down or context menu: a framed list at a position, the cursor on one
/// item. Up and down skip disabled items; Enter runs; Esc closes; a letter
/// runs the first item whose label starts with it.
public struct MenuList: Sendable, Equatable {
    public let items: [MenuItem]
    public private(set) var selected: Int
    public let x: Int
    public let y: Int

    public init(items: [MenuItem], x: Int, y: Int) {
        self.items = items
        self.x = x
        self.y = y
        selected = items.firstIndex(where: \.enabled) ?? 0
    }

    public mutating func handle(_ key: Key, cancel: Bool) -> MenuEvent {
        if cancel { return .close }
        switch key {
        case .up: step(-1)
        case .down: step(1)
        case .home: selected = items.firstIndex(where: \.enabled) ?? 0
        case .end: selected = items.lastIndex(where: \.enabled) ?? 0
        case .left: return .neighbour(-1)
        case .right: return .neighbour(1)
        case .enter, .char(" "):
            return items.indices.contains(selected) && items[selected].enabled ? .run(items[selected].action) : .none
        case .escape: return .close
        case .char(let c):
            let folded = Fold.key(String(c))
            if let hit = items.first(where: { $0.enabled && Fold.key($0.label).hasPrefix(folded) }) { return .run(hit.action) }
        default: break
        }
        return .none
    }

    private mutating func step(_ delta: Int) {
        guard items.contains(where: \.enabled) else { return }
        var i = selected
        repeat { i = (i + delta + items.count) % items.count } while !items[i].enabled
        selected = i
    }

    /// Where the menu is drawn on a screen of this size (moved in to fit).
    public func rect(screenWidth: Int, screenHeight: Int) -> Rect {
        let labels = items.map { DisplayWidth.of($0.label) }.max() ?? 0
        let hints = items.map { DisplayWidth.of($0.hint) }.max() ?? 0
        let width = min(screenWidth, labels + hints + 6)
        let height = min(screenHeight, items.count + 2)
        return Rect(x: max(0, min(x, screenWidth - width)), y: max(0, min(y, screenHeight - height)), width: width,
                    height: height)
    }

    /// The event for a click: an item runs it, outside the menu closes it.
    public mutating func click(x px: Int, y py: Int, screenWidth: Int, screenHeight: Int) -> MenuEvent {
        let box = rect(screenWidth: screenWidth, screenHeight: screenHeight)
        guard box.inner.contains(x: px, y: py) else { return .close }
        let index = py - box.y - 1
        guard items.indices.contains(index), items[index].enabled else { return .none }
        selected = index
        return .run(items[index].action)
    }

    public func render(into buffer: inout ScreenBuffer) {
        let box = rect(screenWidth: buffer.width, screenHeight: buffer.height)
        let style = Style(foreground: .text, background: .panel)
        buffer.box(box, style: style, borderStyle: Style(foreground: .border, background: .panel))
        for (line, item) in items.prefix(box.height - 2).enumerated() {
            let chosen = line == selected
            let rowStyle = chosen ? Style(foreground: .selection, background: .selection)
                : Style(foreground: item.enabled ? .text : .muted, background: .panel)
            buffer.fill(x: box.x + 1, y: box.y + 1 + line, width: box.width - 2, height: 1, style: rowStyle)
            buffer.put(item.label, x: box.x + 2, y: box.y + 1 + line, style: rowStyle, maxWidth: box.width - 4)
            let w = DisplayWidth.of(item.hint)
            buffer.put(item.hint, x: box.x + box.width - 2 - w, y: box.y + 1 + line,
                       style: chosen ? rowStyle : Style(foreground: .muted, background: .panel))
        }
    }
}

/// The rows of a scrolling list: which items show (the cursor's always), and
/// on which screen row each goes.
public enum ListWindow {
    public static func rows(count: Int, cursor: Int, visible: Int, top: Int, start: Int? = nil) -> [(index: Int, y: Int)] {
        let first = start ?? max(0, cursor - visible + 1)
        return (first..<max(first, count)).prefix(max(0, visible)).enumerated().map { (index: $0.element, y: top + $0.offset) }
    }
}

extension ScreenBuffer {
    /// Starts one row of a list: the chosen row filled in the selection's style,
    /// the others in `base`. Returns the style to write the row's text in.
    @discardableResult
    public mutating func listRow(x: Int, y: Int, width: Int, chosen: Bool, base: Style) -> Style {
        let style = chosen ? Style(foreground: .selection, background: .selection) : base
        fill(x: x, y: y, width: width, height: 1, style: style)
        return style
    }
}
