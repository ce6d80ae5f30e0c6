@preconcurrency import CNcurses
import CRMText
import Foundation
import TUIKit

/// The real terminal, through ncursesw: the only code that talks to curses.
/// It writes the runs it is given (the renderer sends only what changed) and
/// turns curses key codes into `Key`s. Without a UTF-8 locale it writes an ASCII
/// transliteration instead of letting curses drop the diacritics.
public final class CursesTerminal: Terminal {
    public let utf8: Bool
    private let theme: Theme
    private var pairs: [PairKey: Int32] = [:]
    private var ended = false

    private struct PairKey: Hashable {
        let foreground: TerminalColor
        let background: TerminalColor
    }

    public init(theme: Theme) {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "")
        utf8 = codeset == "UTF8"
        self.theme = theme
        initscr()
        raw()
        noecho()
        keypad(crm_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
        }
    }

    deinit { end() }

    /// Gives the terminal back to the shell.
    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
    }

    public var width: Int { Int(crm_cols()) }
    public var height: Int { Int(crm_lines()) }

    public func draw(_ runs: [Run]) {
        for run in runs {
            var x = run.x
            var i = 0
            while i < run.cells.count {
                let style = run.cells[i].style
                var text = ""
                var columns = 0
                var j = i
                while j < run.cells.count, run.cells[j].style == style {
                    text += run.cells[j].text
                    columns += Int(run.cells[j].width)
                    j += 1
                }
                apply(style)
                if utf8 {
                    var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                    wide.append(0)
                    mvaddwstr(Int32(run.y), Int32(x), wide)
                } else {
                    mvaddstr(Int32(run.y), Int32(x), Fold.ascii(text))
                }
                x += columns
                i = j
            }
        }
    }

    public func flush() { refresh() }

    public var isClosed: Bool { ended }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        timeout(Int32(timeoutMilliseconds))
        var code: wint_t = 0
        let result = get_wch(&code)
        if result == ERR { return nil }
        let value = Int32(bitPattern: code)
        if result == KEY_CODE_YES { return Self.special(value) }
        switch value {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 127, 8: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(value) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(bitPattern: value)) else { return nil }
            return .char(Character(scalar))
        }
    }

    private static func special(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize
        default:
            for n in 1...12 where code == crm_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    private func apply(_ style: Style) {
        let fg = theme[style.foreground], bg = theme[style.background]
        var attributes: Int32 = 0
        if fg.bold || style.bold { attributes |= crm_attr_bold() }
        if fg.underline || style.underline { attributes |= crm_attr_underline() }
        if fg.reverse != style.reverse { attributes |= crm_attr_reverse() }
        crm_set_style(attributes, pair(fg.color, bg.color))
    }

    private func pair(_ foreground: TerminalColor, _ background: TerminalColor) -> Int32 {
        let key = PairKey(foreground: foreground, background: background)
        if let known = pairs[key] { return known }
        func number(_ c: TerminalColor) -> Int32 {
            if case .indexed(let i) = c, Int32(i) < COLORS { return Int32(i) }
            return -1
        }
        let made = has_colors() ? alloc_pair(number(foreground), number(background)) : 0
        pairs[key] = max(0, made)
        return max(0, made)
    }
}
