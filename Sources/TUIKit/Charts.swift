/// Charts drawn with text: Braille dots for lines and maps (2 × 4 dots a
/// cell), block characters for bars — shapes, not colours, so they read in
/// the mono theme too.
public struct BrailleCanvas: Sendable {
    public let columns: Int
    public let rows: Int
    private var cells: [UInt8]

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        cells = Array(repeating: 0, count: self.columns * self.rows)
    }

    /// Dots across and down.
    public var width: Int { columns * 2 }
    public var height: Int { rows * 4 }

    /// Sets the dot at (x, y), dots from the top left; outside the canvas nothing happens.
    public mutating func set(_ x: Int, _ y: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        cells[(y / 4) * columns + x / 2] |= bits[x % 2][y % 4]
    }

    /// A straight line of dots (Bresenham's).
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        var (x, y) = (x0, y0)
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x, y)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// The canvas as lines of Braille characters (an empty cell a blank one, U+2800).
    public var lines: [String] {
        (0..<rows).map { r in String(String.UnicodeScalarView((0..<columns).map { Unicode.Scalar(0x2800 + UInt32(cells[r * columns + $0]))! })) }
    }
}

public enum Bars {
    /// A bar `value / maximum` of `width` cells, in eighths of a cell (█ ▉ ▊ ▋ ▌ ▍ ▎ ▏).
    public static func horizontal(_ value: Double, maximum: Double, width: Int) -> String {
        guard maximum > 0, value > 0, width > 0 else { return "" }
        let eighths = Int((min(value, maximum) / maximum * Double(width * 8)).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let text = String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
        return text.isEmpty ? "▏" : text
    }
}
