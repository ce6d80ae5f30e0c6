/// What a cell means, not what colour it is (`selection` is the chosen row of the
/// focused pane, `inactive` that of the others): a theme maps each role to colours,
/// so widgets never name a colour and the mono theme stays readable.
public enum ColorRole: String, Sendable, CaseIterable, Hashable {
    case text, muted, primary, accent, surface, panel, selection, inactive, border, error, warning, success, visited, opened,
         clicked
}

/// How a cell is drawn: foreground and background roles and attributes.
public struct Style: Sendable, Hashable {
    public var foreground: ColorRole
    public var background: ColorRole
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(foreground: ColorRole = .text, background: ColorRole = .surface, bold: Bool = false,
                underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
    }

    public static let normal = Style()
}
