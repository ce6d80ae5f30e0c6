/// Text from the database or from a file never reaches a terminal as it is: control
/// characters (escape sequences among them) and bidirectional overrides are replaced
/// by visible stand-ins, so a stored value cannot move the cursor, change colours or
/// reorder what is shown.
public enum Sanitize {
    /// One line of terminal text: every control character is shown as a control
    /// picture (ESC as ␛, tab as ␉, newline as ␤).
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsReplacement) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(needsReplacement(scalar) ? stand_in(scalar) : scalar)
        }
        return String(out)
    }

    /// Multi-line text: newlines are kept, everything else as in `line`.
    public static func block(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line(String($0).replacingCR()) }
            .joined(separator: "\n")
    }

    static func needsReplacement(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }

    static func stand_in(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s.value {
        case 0x0A: return "\u{2424}"                                  // ␤
        case 0x00...0x1F: return Unicode.Scalar(0x2400 + s.value)!    // ␀…␟ (␛ for ESC)
        case 0x7F: return "\u{2421}"                                  // ␡
        default: return "\u{FFFD}"
        }
    }
}

private extension String {
    func replacingCR() -> String {
        hasSuffix("\r") ? String(dropLast()) : self
    }
}
