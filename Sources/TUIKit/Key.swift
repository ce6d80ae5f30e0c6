import Foundation

/// A key press, as the backend reports it and as key maps name it.
public enum Key: Sendable, Hashable, CustomStringConvertible {
    case char(Character)
    case ctrl(Character)
    case alt(Character)
    case function(Int)
    case up, down, left, right, home, end, pageUp, pageDown, insert, delete
    case shiftUp, shiftDown
    case enter, escape, tab, backTab, backspace
    /// The Menu (context menu) key.
    case menu
    case mouse(MouseEvent)
    case resize

    /// Parses a key map's name for a key: "a", "ctrl+f", "alt+x", "f2",
    /// "shift+tab", "pgdn", "space" (case-insensitive for names).
    public init?(name raw: String) {
        let name = raw.trimmingCharacters(in: .whitespaces)
        let lower = name.lowercased()
        if lower.hasPrefix("ctrl+"), name.count == 6, let c = lower.last { self = .ctrl(c); return }
        if lower.hasPrefix("alt+"), name.count == 5, let c = name.last { self = .alt(c); return }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { self = .function(n); return }
        // Shifted function keys come as F13–F24 (xterm and its kin).
        if lower.hasPrefix("shift+f"), let n = Int(lower.dropFirst(7)), (1...12).contains(n) { self = .function(n + 12); return }
        switch lower {
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "home": self = .home
        case "end": self = .end
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "ins", "insert": self = .insert
        case "del", "delete": self = .delete
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "shift+tab", "backtab": self = .backTab
        case "backspace": self = .backspace
        case "space": self = .char(" ")
        case "shift+up": self = .shiftUp
        case "shift+down": self = .shiftDown
        case "menu": self = .menu
        default:
            guard name.count == 1, let c = name.first else { return nil }
            self = .char(c)
        }
    }

    /// The name a key map and the help screen use.
    public var description: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "ctrl+\(c)"
        case .alt(let c): return "alt+\(c)"
        case .function(let n): return n > 12 ? "shift+f\(n - 12)" : "f\(n)"
        case .shiftUp: return "shift+up"
        case .shiftDown: return "shift+down"
        case .menu: return "menu"
        case .mouse(let m): return "mouse(\(m.kind) \(m.x),\(m.y))"
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        case .home: return "home"
        case .end: return "end"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .insert: return "ins"
        case .delete: return "del"
        case .enter: return "enter"
        case .escape: return "esc"
        case .tab: return "tab"
        case .backTab: return "shift+tab"
        case .backspace: return "backspace"
        case .resize: return "resize"
        }
    }
}

/// A mouse event at a screen cell.
public struct MouseEvent: Sendable, Hashable {
    /// `release`: the left button let go (where a drag ends); a `click` is its press.
    public enum Kind: Sendable, Hashable { case click, doubleClick, rightClick, wheelUp, wheelDown, release }
    public let kind: Kind
    public let x: Int
    public let y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
