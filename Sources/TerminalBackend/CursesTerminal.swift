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
    /// False on monochrome terminals (TERM=vt100) and with NO_COLOR set: every
    /// theme then gives way to `monochrome`, attributes only.
    public let colors: Bool
    private var theme: Theme
    private let monochrome: Theme
    private var pairs: [PairKey: Int32] = [:]
    private var ended = false
    private let menuKey: Int32
    private var lastClick: (x: Int, y: Int, at: UInt64)?

    private struct PairKey: Hashable {
        let foreground: TerminalColor
        let background: TerminalColor
    }

    public init(theme: Theme, monochrome: Theme) {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "")
        utf8 = codeset == "UTF8"
        initscr()
        raw()
        noecho()
        keypad(crm_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        colors = has_colors() && !noColor
        if colors {
            start_color()
            use_default_colors()
        }
        self.monochrome = monochrome
        self.theme = colors ? theme : monochrome
        menuKey = crm_define_menu_key()
        _ = crm_mouse_start()
        // Killed or interrupted: give the terminal back, then die of the same signal.
        for sig in [SIGTERM, SIGINT, SIGHUP, SIGQUIT] {
            signal(sig) { received in
                endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    public func setTheme(_ theme: Theme) {
        self.theme = colors ? theme : monochrome
        clear()
    }

    deinit { end() }

    /// Gives the terminal back to the shell.
    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
    }

    public func suspend(_ body: () -> Void) {
        def_prog_mode()
        endwin()
        body()
        reset_prog_mode()
        clear()
        refresh()
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
        if result == KEY_CODE_YES {
            if value == crm_key_mouse() { return mouse() }
            if value == menuKey { return .menu }
            return Self.special(value)
        }
        switch value {
        case 10, 13: return .enter
        case 27:
            // ESC and a key at once: the key with Alt (Meta sends ESC first).
            timeout(0)
            var next: wint_t = 0
            let follow = get_wch(&next)
            if follow == OK, let scalar = Unicode.Scalar(UInt32(next)), next >= 32, next != 127 {
                return .alt(Character(scalar))
            }
            // Whatever came after goes back as it came: a function key (Home…) as a
            // key code, anything else as a character.
            if follow == KEY_CODE_YES { ungetch(Int32(bitPattern: next)) } else if follow != ERR { unget_wch(wchar_t(bitPattern: next)) }
            return .escape
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
        case KEY_SR: return .shiftUp
        case KEY_SF: return .shiftDown
        default:
            for n in 1...24 where code == crm_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// A mouse report as a key; two left presses on one cell within 400 ms are a double click.
    private func mouse() -> Key? {
        var x: Int32 = 0, y: Int32 = 0
        let button = crm_mouse_read(&x, &y)
        let (cx, cy) = (Int(x), Int(y))
        switch button {
        case 1:
            let now = DispatchTime.now().uptimeNanoseconds
            if let last = lastClick, last.x == cx, last.y == cy, now - last.at < 400_000_000 {
                lastClick = nil
                return .mouse(MouseEvent(.doubleClick, x: cx, y: cy))
            }
            lastClick = (cx, cy, now)
            return .mouse(MouseEvent(.click, x: cx, y: cy))
        case 3: return .mouse(MouseEvent(.rightClick, x: cx, y: cy))
        case 4: return .mouse(MouseEvent(.wheelUp, x: cx, y: cy))
        case 5: return .mouse(MouseEvent(.wheelDown, x: cx, y: cy))
        case 6: return .mouse(MouseEvent(.release, x: cx, y: cy))
        default: return nil
        }
    }

    private func apply(_ style: Style) {
        let look = theme.resolve(style)
        var attributes: Int32 = 0
        if look.bold { attributes |= crm_attr_bold() }
        if look.underline { attributes |= crm_attr_underline() }
        if look.reverse { attributes |= crm_attr_reverse() }
        crm_set_style(attributes, colors ? pair(look.foreground, look.background) : 0)
    }

    private func pair(_ foreground: TerminalColor, _ background: TerminalColor) -> Int32 {
        let key = PairKey(foreground: foreground, background: background)
        if let known = pairs[key] { return known }
        func number(_ c: TerminalColor) -> Int32 {
            guard case .indexed(let i) = c else { return -1 }
            return Int32(CursesTerminal.nearest(i, available: Int(COLORS)))
        }
        let made = alloc_pair(number(foreground), number(background))
        pairs[key] = max(0, made)
        return max(0, made)
    }

    /// A palette index the terminal can show: bright colours become their basic
    /// ones on 8-colour terminals, the 256-colour cube and greys their nearest
    /// basic colour.
    public static func nearest(_ index: Int, available: Int) -> Int {
        if index < available { return index }
        if index < 16 { return index - 8 }
        if index >= 232 { return index >= 244 ? 7 : 0 }
        let cube = index - 16
        let (r, g, b) = (cube / 36, cube / 6 % 6, cube % 6)
        return (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0)
    }
}
