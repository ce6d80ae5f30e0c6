import CRMCore
import CRMText
import TUIKit

/// A text to read in a window over the page: an e-mail from a history, a
/// template's preview. Up, down and the page keys scroll; Esc or Enter closes
/// it, back onto the dialog it was opened from when there is one.
struct TextViewer: Sendable {
    let title: String
    let lines: [String]
    var scroll = 0
    /// The dialog to return to.
    var back: Dialog?
    /// The keys it offers besides closing, shown at its foot.
    var hint: String

    enum Event: Equatable { case none, close, retry }
    /// A failed e-mail shown: R sends it again.
    var retryable = false

    init(title: String, text: String, hint: String, back: Dialog? = nil, retryable: Bool = false) {
        self.title = title
        // Long lines wrapped at 76 columns, as a mail client would show them.
        lines = text.components(separatedBy: "\n").flatMap { TextViewer.wrap($0, width: 76) }
        self.hint = hint
        self.back = back
        self.retryable = retryable
    }

    mutating func handle(_ key: Key, visible: Int) -> Event {
        let last = max(0, lines.count - visible)
        switch key {
        case .escape, .enter: return .close
        case .char("r"), .char("R"): return retryable ? .retry : .none
        case .up: scroll = max(0, scroll - 1)
        case .down: scroll = min(last, scroll + 1)
        case .pageUp: scroll = max(0, scroll - visible)
        case .pageDown: scroll = min(last, scroll + visible)
        case .home: scroll = 0
        case .end: scroll = last
        default: break
        }
        return .none
    }

    static func box(in buffer: ScreenBuffer) -> Rect {
        Rect.centred(width: min(buffer.width - 2, 84), height: max(6, buffer.height - 4), in: Rect(x: 0, y: 0, width: buffer.width, height: buffer.height))
    }

    /// How many lines show at once in a buffer of this size.
    static func visible(height: Int) -> Int { max(1, max(6, height - 4) - 4) }

    func render(into buffer: inout ScreenBuffer) {
        let box = Self.box(in: buffer)
        let panel = Style(foreground: .text, background: .panel)
        buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel), title: title,
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let visible = box.height - 4
        for (offset, line) in lines.dropFirst(scroll).prefix(visible).enumerated() {
            buffer.put(line, x: box.x + 2, y: box.y + 1 + offset, style: panel, maxWidth: box.width - 4)
        }
        let more = lines.count > visible ? "  \(scroll + 1)–\(min(lines.count, scroll + visible))/\(lines.count)" : ""
        buffer.put(hint + more, x: box.x + 2, y: box.y + box.height - 2, style: Style(foreground: .muted, background: .panel),
                   maxWidth: box.width - 4)
    }

    static func wrap(_ line: String, width: Int) -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        var out: [String] = [], current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            let next = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.of(next) > width && !current.isEmpty {
                out.append(current)
                current = String(word)
            } else {
                current = next
            }
        }
        out.append(current)
        return out
    }
}
