import CRMCore
import CRMText
import TUIKit

/// The campaign template builder (CMP-3): the blocks in order on the left,
/// the message's text part on the right as recipients' mail programs show it
/// (the chosen block's lines lit). Ins adds a block (its kind chosen with a
/// digit), Enter or F4 edits the chosen one's settings, Del deletes it,
/// Shift+↑/↓ (or < and >) move it; the mouse chooses, drags a block to another
/// place, and a double click edits it. F2 saves the template by name; Esc
/// closes, asking first when there are unsaved changes.
struct BlockBuilder: Sendable {
    /// The template's name once it has one.
    var name: String?
    var blocks: [MailBlock]
    var cursor = 0
    var dirty = false
    var choosingKind = false
    var confirmingDiscard = false
    /// The block a mouse press went down on, for a drag.
    var pressed: Int?
    var message: String?

    enum Event: Equatable { case none, close, edit(Int, isNew: Bool), save }

    init(name: String?, blocks: [MailBlock]) {
        self.name = name
        self.blocks = blocks
    }

    static func label(_ kind: MailBlock.Kind) -> Localized {
        switch kind {
        case .title: return Localized(ro: "Titlu", en: "Title")
        case .text: return Localized(ro: "Text", en: "Text")
        case .image: return Localized(ro: "Imagine", en: "Image")
        case .button: return Localized(ro: "Buton", en: "Button")
        case .divider: return Localized(ro: "Despărțitor", en: "Divider")
        }
    }

    mutating func handle(_ key: Key) -> Event {
        message = nil
        if confirmingDiscard {
            confirmingDiscard = false
            return [.char("d"), .char("D"), .char("y"), .char("Y")].contains(key) ? .close : .none
        }
        if choosingKind {
            choosingKind = false
            if case .char(let c) = key, let n = c.wholeNumberValue, (1...MailBlock.Kind.allCases.count).contains(n) {
                return insert(MailBlock.Kind.allCases[n - 1])
            }
            return .none
        }
        switch key {
        case .escape:
            if dirty { confirmingDiscard = true; return .none }
            return .close
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, blocks.count - 1), cursor + 1)
        case .home, .pageUp: cursor = 0
        case .end, .pageDown: cursor = max(0, blocks.count - 1)
        case .insert, .char("a"), .char("A"): choosingKind = true
        case .enter, .function(4): if blocks.indices.contains(cursor) { return .edit(cursor, isNew: false) }
        case .delete:
            guard blocks.indices.contains(cursor) else { break }
            blocks.remove(at: cursor)
            cursor = min(cursor, max(0, blocks.count - 1))
            dirty = true
        case .shiftUp, .char("<"): move(from: cursor, to: cursor - 1)
        case .shiftDown, .char(">"): move(from: cursor, to: cursor + 1)
        case .function(2): return .save
        default: break
        }
        return .none
    }

    /// A new block of a kind after the chosen one, its settings to be filled.
    mutating func insert(_ kind: MailBlock.Kind) -> Event {
        let at = blocks.isEmpty ? 0 : cursor + 1
        blocks.insert(MailBlock(kind), at: at)
        cursor = at
        dirty = true
        return kind == .divider ? .none : .edit(at, isNew: true)
    }

    /// Moves a block to another place (the others close up around it).
    mutating func move(from: Int, to: Int) {
        guard blocks.indices.contains(from), blocks.indices.contains(to), from != to else { return }
        let block = blocks.remove(at: from)
        blocks.insert(block, at: to)
        cursor = to
        dirty = true
    }

    static func box(width: Int, height: Int) -> Rect {
        Rect.centred(width: min(width - 2, 120), height: max(10, height - 4), in: Rect(x: 0, y: 1, width: width, height: height - 2))
    }

    static func listWidth(_ box: Rect) -> Int { min(44, max(24, box.width * 2 / 5)) }

    /// The block under a screen row, if any.
    func block(atY y: Int, width: Int, height: Int) -> Int? {
        let box = Self.box(width: width, height: height)
        return ListWindow.rows(count: blocks.count, cursor: cursor, visible: box.height - 4, top: box.y + 1).first { $0.y == y }?.index
    }

    /// A click chooses a block (a press that is released on another block moves
    /// it there), a double click edits it, the wheel moves the choice.
    mutating func mouse(_ event: MouseEvent, width: Int, height: Int) -> Event {
        let box = Self.box(width: width, height: height)
        let onList = event.x > box.x && event.x < box.x + Self.listWidth(box)
        let index = onList ? block(atY: event.y, width: width, height: height) : nil
        switch event.kind {
        case .click:
            pressed = index
            if let index { cursor = index }
        case .release:
            defer { pressed = nil }
            if let from = pressed, let to = index ?? (onList && event.y >= box.y + 1 && !blocks.isEmpty ? blocks.count - 1 : nil), from != to {
                move(from: from, to: to)
            }
        case .doubleClick:
            pressed = nil
            if let index { cursor = index; return .edit(index, isNew: false) }
        case .wheelUp: cursor = max(0, cursor - 1)
        case .wheelDown: cursor = min(max(0, blocks.count - 1), cursor + 1)
        case .rightClick: break
        }
        return .none
    }

    /// A block in one line: its kind and its words (or its address).
    static func summary(_ block: MailBlock, language: Language) -> String {
        let words = block.text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        switch block.kind {
        case .divider: return label(.divider).text(language)
        case .image: return label(.image).text(language) + " · " + (words.isEmpty ? (block.image ?? "") : words)
        default: return label(block.kind).text(language) + " · " + words
        }
    }

    /// The text part, block by block, wrapped and aligned to `width`: each line with the block it belongs to.
    static func preview(_ blocks: [MailBlock], width: Int) -> [(line: String, block: Int)] {
        var out: [(String, Int)] = []
        for (index, block) in blocks.enumerated() {
            if index > 0 { out.append(("", index)) }
            for raw in BlockRenderer.text([block]).components(separatedBy: "\n") {
                for line in TextViewer.wrap(raw, width: max(10, width)) {
                    let room = max(0, width - DisplayWidth.of(line))
                    let pad = block.align == .center ? room / 2 : block.align == .right ? room : 0
                    out.append((String(repeating: " ", count: pad) + line, index))
                }
            }
        }
        return out
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        let box = Self.box(width: buffer.width, height: buffer.height)
        let panel = Style(foreground: .text, background: .panel)
        let muted = Style(foreground: .muted, background: .panel)
        let title = t("Șablon campanie", "Campaign template") + ": " + (name ?? t("nou", "new")) + (dirty ? " •" : "")
        buffer.box(box, style: panel, borderStyle: Style(foreground: .accent, background: .panel), title: title,
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        let left = Self.listWidth(box)
        let visible = box.height - 4
        if blocks.isEmpty {
            buffer.put(t("Niciun bloc: Ins adaugă unul", "No blocks: Ins adds one"), x: box.x + 2, y: box.y + 1, style: muted, maxWidth: left - 3)
        }
        for (index, y) in ListWindow.rows(count: blocks.count, cursor: cursor, visible: visible, top: box.y + 1) {
            let style = buffer.listRow(x: box.x + 1, y: y, width: left - 1, chosen: index == cursor, base: panel)
            buffer.put("\(index + 1). " + Self.summary(blocks[index], language: language), x: box.x + 2, y: y, style: style, maxWidth: left - 3)
        }
        for y in box.y + 1..<box.y + box.height - 2 { buffer.put("│", x: box.x + left, y: y, style: Style(foreground: .border, background: .panel)) }
        // The preview, scrolled so that the chosen block shows.
        let px = box.x + left + 2, pw = box.x + box.width - 2 - px
        let lines = Self.preview(blocks, width: pw)
        let first = lines.firstIndex { $0.block == cursor } ?? 0
        let last = lines.lastIndex { $0.block == cursor } ?? 0
        let top = max(0, min(first, max(0, last - visible + 1)))
        for (offset, entry) in lines.dropFirst(top).prefix(visible).enumerated() {
            let lit = entry.block == cursor
            buffer.put(entry.line, x: px, y: box.y + 1 + offset, style: lit ? Style(foreground: .primary, background: .panel, bold: true) : panel, maxWidth: pw)
        }
        let foot: String
        let warn = message != nil || confirmingDiscard
        if confirmingDiscard {
            foot = t("Modificări nesalvate: d le aruncă, orice altă tastă rămâne", "Unsaved changes: d discards them, any other key stays")
        } else if choosingKind {
            foot = t("Bloc nou: ", "New block: ") + MailBlock.Kind.allCases.enumerated().map { "\($0.offset + 1) \(Self.label($0.element).text(language))" }
                .joined(separator: " · ") + t(" · esc renunță", " · esc gives up")
        } else {
            foot = message ?? t("ins adaugă · enter/f4 modifică · del șterge · shift+↑↓ sau < > mută (și cu mausul) · f2 salvează · esc închide",
                                "ins adds · enter/f4 edits · del deletes · shift+↑↓ or < > move (the mouse drags too) · f2 saves · esc closes")
        }
        buffer.put(foot, x: box.x + 2, y: box.y + box.height - 2, style: Style(foreground: warn ? .warning : .muted, background: .panel),
                   maxWidth: box.width - 4)
    }
}
