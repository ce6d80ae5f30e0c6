/// How many terminal columns text takes.
///
/// Swift exposes no East Asian Width property, and glibc's wcwidth depends on the
/// process locale, so the width is computed here from the Unicode ranges that
/// terminals draw two columns wide, per grapheme cluster: combining marks join their
/// base (0), wide and emoji clusters take 2, everything else 1.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        var total = 0
        for cluster in text { total += of(cluster) }
        return total
    }

    public static func of(_ cluster: Character) -> Int {
        let scalars = cluster.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) { return 0 }
        if scalars.count > 1 && scalars.contains(where: { $0.value == 0xFE0F || $0.value == 0x200D }) {
            return 2
        }
        if isWide(first.value) { return 2 }
        let cat = first.properties.generalCategory
        if cat == .nonspacingMark || cat == .enclosingMark || cat == .format { return 0 }
        if first.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// A line of text broken into lines at most `width` columns wide: at spaces
    /// where it can, inside a word longer than a line where it must.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = "", lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var rest = String(word)
            var restWidth = of(rest)
            if lineWidth > 0 && lineWidth + 1 + restWidth <= width {
                line += " " + rest
                lineWidth += 1 + restWidth
                continue
            }
            if lineWidth > 0 { lines.append(line) }
            while restWidth > width {
                let head = truncate(rest, to: width + 1).dropLast()
                let piece = head.isEmpty ? String(rest.prefix(1)) : String(head)
                lines.append(piece)
                rest = String(rest.dropFirst(piece.count))
                restWidth = of(rest)
            }
            (line, lineWidth) = (rest, restWidth)
        }
        if lineWidth > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Cuts text to at most `width` columns, ending with "…" when something was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        if width <= 0 { return "" }
        if of(text) <= width { return text }
        var out = ""
        var used = 0
        for cluster in text {
            let w = of(cluster)
            if used + w > width - 1 { break }
            out.append(cluster)
            used += w
        }
        return out + "…"
    }

    /// Pads with spaces to exactly `width` columns (truncating first if needed).
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let fill = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? fill + cut : cut + fill
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1,
             0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA,
             0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C,
             0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C,
             0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F004, 0x1F0CF, 0x1F18E,
             0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
             0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD,
             0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
