import CRMText

/// One terminal cell: a grapheme cluster and the columns it takes. The cell after
/// a wide character is its continuation (empty text, width 0).
public struct Cell: Sendable, Hashable {
    public var text: String
    public var width: UInt8
    public var style: Style

    public init(_ text: String = " ", width: UInt8 = 1, style: Style = .normal) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell()
    var isContinuation: Bool { width == 0 }
}

/// A changed stretch of one row: what the terminal has to be told.
public struct Run: Sendable, Equatable {
    public let x: Int
    public let y: Int
    public let cells: [Cell]

    /// The run's text as the terminal writes it (continuations add nothing).
    public var text: String { cells.map(\.text).joined() }
}

/// The whole screen as data. Widgets draw into it; the backend writes only what
/// differs from the previous frame.
public struct ScreenBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes one line of text from (x, y), at most `maxWidth` columns, clipped at
    /// the right edge. Control characters are shown as visible stand-ins; a wide
    /// character that does not fit whole becomes a space. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for cluster in Sanitize.line(text) {
            let w = DisplayWidth.of(cluster)
            if w == 0 { continue }
            if column + w > limit {
                if column < limit { clearWide(at: column, y: y); self[column, y] = Cell(" ", style: style); column += 1 }
                break
            }
            if column >= 0 {
                clearWide(at: column, y: y)
                self[column, y] = Cell(String(cluster), width: UInt8(w), style: style)
                if w == 2 {
                    clearWide(at: column + 1, y: y)
                    self[column + 1, y] = Cell("", width: 0, style: style)
                }
            }
            column += w
        }
        return column - x
    }

    /// Fills a rectangle with blanks of a style.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style) {
        for row in max(0, y)..<min(height, y + h) {
            for col in max(0, x)..<min(width, x + w) { self[col, row] = Cell(" ", style: style) }
        }
    }

    /// Overwriting half of a wide character blanks its other half.
    private mutating func clearWide(at x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        let cell = self[x, y]
        if cell.isContinuation, x > 0 { self[x - 1, y] = Cell(" ", style: self[x - 1, y].style) }
        if cell.width == 2, x + 1 < width { self[x + 1, y] = Cell(" ", style: cell.style) }
    }

    /// The rows as plain text, for tests.
    public var lines: [String] {
        (0..<height).map { y in (0..<width).map { self[$0, y].text }.joined() }
    }

    /// What changed since `old`: one run per stretch of changed cells in a row.
    /// Unchanged gaps of up to `join` cells between two changes are resent
    /// rather than paying for a cursor move. A different size changes everything.
    public func diff(from old: ScreenBuffer?, join: Int = 3) -> [Run] {
        guard let old, old.width == width, old.height == height else {
            return (0..<height).map { y in Run(x: 0, y: y, cells: Array(cells[(y * width)..<((y + 1) * width)])) }
        }
        var runs: [Run] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                guard self[x, y] != old[x, y] else { x += 1; continue }
                var start = x
                if self[start, y].isContinuation, start > 0 { start -= 1 }
                var end = x + 1
                var gap = 0
                var scan = end
                while scan < width {
                    if self[scan, y] != old[scan, y] { end = scan + 1; gap = 0 } else {
                        gap += 1
                        if gap > join { break }
                    }
                    scan += 1
                }
                if end < width, self[end, y].isContinuation { end += 1 }
                runs.append(Run(x: start, y: y, cells: Array(cells[(y * width + start)..<(y * width + end)])))
                x = end
            }
        }
        return runs
    }
}
