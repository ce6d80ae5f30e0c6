import CRMCore
import Foundation

/// A document to print: A4 pages filled from the top with blocks, a table's
/// header row repeated on every page it runs onto, and a footer with the page
/// number on each page. Offers, invoices, price lists and the visit route are
/// written as one of these; `PDFWriter` lays it out and writes it.
public struct PrintDocument: Sendable {
    public var title: String
    public var blocks: [PrintBlock]
    /// The footer's left side (a company's name, a document's number); the
    /// right side is "Pagina N din M".
    public var footer: String
    public var language: Language

    public init(title: String, blocks: [PrintBlock] = [], footer: String = "", language: Language = .ro) {
        self.title = title
        self.blocks = blocks
        self.footer = footer
        self.language = language
    }
}

/// Text with light formatting: runs that are bold or italic or both.
public struct RichText: Sendable, Equatable {
    public struct Run: Sendable, Equatable {
        public var text: String
        public var bold: Bool
        public var italic: Bool
        public init(_ text: String, bold: Bool = false, italic: Bool = false) {
            self.text = text
            self.bold = bold
            self.italic = italic
        }
    }

    public var runs: [Run]

    public init(_ runs: [Run]) { self.runs = runs }
    public init(_ text: String, bold: Bool = false, italic: Bool = false) { runs = [Run(text, bold: bold, italic: italic)] }

    public var plain: String { runs.map(\.text).joined() }
}

public enum PrintAlignment: Sendable, Equatable { case left, centre, right }

/// One block of a page.
public enum PrintBlock: Sendable {
    /// A paragraph, wrapped to the page's width; `size` in points.
    case paragraph(RichText, size: Double = 9.5, alignment: PrintAlignment = .left)
    /// Paragraphs side by side in equal columns (the supplier and the client).
    case columns([RichText], size: Double = 9)
    /// A PNG or JPEG image, `width` points wide (its height follows), at the left, centre or right.
    case image(png: [UInt8], width: Double, alignment: PrintAlignment = .left)
    /// A table: its header row repeats on each page; a row never splits across pages.
    case table(PrintTable)
    /// Label and value pairs aligned on the right (totals); the last one bold when `emphasiseLast`.
    case totals([(label: String, value: String)], emphasiseLast: Bool = true)
    /// A line of text that is a link (a PDF link annotation over it).
    case link(String, url: String, size: Double = 9)
    /// A map drawn in vector: places, a path through some of them; `height` points tall, the page's width.
    case map(PrintMap, height: Double)
    /// Vertical room, in points.
    case space(Double)
    /// The next block starts on a new page.
    case pageBreak
}

public struct PrintTable: Sendable {
    public struct Column: Sendable {
        public var title: String
        /// Its share of the page's width (the shares of a table's columns are scaled to fill it).
        public var weight: Double
        public var alignment: PrintAlignment
        public init(_ title: String, weight: Double, alignment: PrintAlignment = .left) {
            self.title = title
            self.weight = weight
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]]
    public var size: Double

    public init(columns: [Column], rows: [[String]], size: Double = 8.5) {
        self.columns = columns
        self.rows = rows
        self.size = size
    }
}

/// A map to print, without tiles: marks placed by their coordinates (an
/// equirectangular projection around the middle latitude, fitted to the box),
/// a path drawn through some of them in order, and grey places around for
/// orientation.
public struct PrintMap: Sendable {
    public enum Kind: Sendable, Equatable { case start, stop, place }

    public struct Mark: Sendable {
        public var latitude: Double
        public var longitude: Double
        public var label: String
        public var kind: Kind
        public init(latitude: Double, longitude: Double, label: String, kind: Kind) {
            self.latitude = latitude; self.longitude = longitude; self.label = label; self.kind = kind
        }
    }

    public var marks: [Mark]
    /// The marks the path goes through, in order (their indexes).
    public var path: [Int]

    public init(marks: [Mark], path: [Int]) {
        self.marks = marks
        self.path = path
    }

    /// Where each mark falls in a box of this size: the start and stops fill it (a margin kept), places outside are left out.
    func project(width: Double, height: Double, margin: Double = 18) -> [(x: Double, y: Double)?] {
        let framed = marks.filter { $0.kind != .place }
        guard !framed.isEmpty else { return marks.map { _ in nil } }
        let mid = (framed.map(\.latitude).min()! + framed.map(\.latitude).max()!) / 2
        let k = cos(mid * .pi / 180)
        let xs = framed.map { $0.longitude * k }, ys = framed.map(\.latitude)
        let (x0, x1, y0, y1) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
        let span = max(x1 - x0, y1 - y0, 0.01)
        let scale = min((width - 2 * margin) / max(x1 - x0, span * 0.2), (height - 2 * margin) / max(y1 - y0, span * 0.2))
        let (cx, cy) = ((x0 + x1) / 2, (y0 + y1) / 2)
        return marks.map { m in
            let x = width / 2 + (m.longitude * k - cx) * scale, y = height / 2 - (m.latitude - cy) * scale
            return (0...width).contains(x) && (0...height).contains(y) ? (x, y) : nil
        }
    }
}
