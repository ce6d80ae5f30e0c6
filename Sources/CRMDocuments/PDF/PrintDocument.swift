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
