import CGdkPixbuf
import CPangoCairo
import CRMCore
import Foundation

/// Lays out a `PrintDocument` on A4 pages and writes it as PDF through cairo,
/// with Pango setting the text (wrapping, bold and italic, every Romanian
/// letter) in DejaVu Sans or the font file given; the fonts are embedded.
/// Blocks fill the page from the top; one that does not fit starts the next
/// page, a table breaks between rows and repeats its header, and every page
/// gets the footer with "Pagina N din M". Written beside the target and renamed
/// when complete: a failure leaves no file.
public struct PDFWriter: Sendable {
    public static let pageWidth = 595.276, pageHeight = 841.89
    static let margin = 42.0, footerRoom = 28.0

    let family: String

    /// `fontFile`: a TrueType or OpenType file to set the text in (its family);
    /// without it DejaVu Sans.
    public init(fontFile: String? = nil) throws {
        if let fontFile {
            family = try Fonts.family(ofFile: fontFile)
        } else {
            family = "DejaVu Sans"
        }
    }

    /// Writes the document; returns how many pages it has.
    @discardableResult
    public func write(_ document: PrintDocument, to path: String) throws -> Int {
        let partial = TableExport.partialPath(path)
        guard let surface = cairo_pdf_surface_create(partial, Self.pageWidth, Self.pageHeight),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw TableExport.cannotWrite(path, "cairo")
        }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "crm")
        let cr = cairo_create(surface)!
        let setter = Typesetter(cr: cr, family: family)
        let pages = Paginator(setter: setter).pages(document.blocks)
        // A structure tag around the whole: cairo 1.16 then writes the structure tree its link annotations refer to.
        cairo_tag_begin(cr, "Document", "")
        for (index, page) in pages.enumerated() {
            for item in page { Painter(setter: setter).draw(item) }
            drawFooter(document, page: index + 1, of: pages.count, setter: setter)
            cairo_show_page(cr)
        }
        cairo_tag_end(cr, "Document")
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            try? FileManager.default.removeItem(atPath: partial)
            throw TableExport.cannotWrite(path, String(cString: cairo_status_to_string(status)))
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: partial)
            throw TableExport.cannotWrite(path, reason)
        }
        return pages.count
    }

    private func drawFooter(_ document: PrintDocument, page: Int, of count: Int, setter: Typesetter) {
        let y = Self.pageHeight - Self.margin - Self.footerRoom + 10
        let width = Self.pageWidth - 2 * Self.margin
        setter.rule(x: Self.margin, y: y - 4, width: width, grey: 0.6)
        let number = document.language == .ro ? "Pagina \(page) din \(count)" : "Page \(page) of \(count)"
        setter.show(RichText(document.footer), size: 7.5, x: Self.margin, y: y, width: width * 0.7, alignment: .left, grey: 0.35)
        setter.show(RichText(number), size: 7.5, x: Self.margin + width * 0.7, y: y, width: width * 0.3, alignment: .right, grey: 0.35)
    }
}

/// Where the text and rules go: one cairo context, Pango layouts over it. A
/// text measured while the pages are laid out is drawn from the same layout.
final class Typesetter: @unchecked Sendable {
    let cr: OpaquePointer
    let family: String
    static let scale = Double(crm_pango_scale())

    private struct Key: Hashable {
        let markup: String
        let size: Double
        let width: Double
        let alignment: Int
    }

    private var layouts: [Key: (layout: OpaquePointer, height: Double)] = [:]
    private var fonts: [Double: OpaquePointer] = [:]

    init(cr: OpaquePointer, family: String) {
        self.cr = cr
        self.family = family
    }

    deinit {
        for entry in layouts.values { g_object_unref(UnsafeMutableRawPointer(entry.layout)) }
        for font in fonts.values { pango_font_description_free(font) }
    }

    /// The layout of the text at this size and width, and its height in points.
    private func layout(_ text: RichText, size: Double, width: Double, alignment: PrintAlignment) -> (layout: OpaquePointer, height: Double) {
        let markup = Self.markup(text)
        let key = Key(markup: markup, size: size, width: width, alignment: alignment == .left ? 0 : alignment == .centre ? 1 : 2)
        if let known = layouts[key] { return known }
        let layout = pango_cairo_create_layout(cr)!
        let font: OpaquePointer
        if let known = fonts[size] {
            font = known
        } else {
            font = pango_font_description_new()!
            pango_font_description_set_family(font, family)
            pango_font_description_set_absolute_size(font, size * Self.scale)
            fonts[size] = font
        }
        pango_layout_set_font_description(layout, font)
        pango_layout_set_width(layout, Int32(width * Self.scale))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        switch alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .centre: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        pango_layout_set_markup(layout, markup, -1)
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        let entry = (layout, Double(h) / Self.scale)
        layouts[key] = entry
        return entry
    }

    /// The text's height set at this size and width, in points.
    func height(_ text: RichText, size: Double, width: Double, alignment: PrintAlignment = .left) -> Double {
        layout(text, size: size, width: width, alignment: alignment).height
    }

    /// Sets the text with its top-left corner at (x, y); returns its height.
    @discardableResult
    func show(_ text: RichText, size: Double, x: Double, y: Double, width: Double, alignment: PrintAlignment, grey: Double = 0,
              rgb: (Double, Double, Double)? = nil) -> Double {
        let (l, height) = layout(text, size: size, width: width, alignment: alignment)
        let colour = rgb ?? (grey, grey, grey)
        cairo_set_source_rgb(cr, colour.0, colour.1, colour.2)
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, l)
        return height
    }

    func rule(x: Double, y: Double, width: Double, grey: Double, thickness: Double = 0.5) {
        cairo_set_source_rgb(cr, grey, grey, grey)
        cairo_set_line_width(cr, thickness)
        cairo_move_to(cr, x, y)
        cairo_line_to(cr, x + width, y)
        cairo_stroke(cr)
    }

    func fill(x: Double, y: Double, width: Double, height: Double, grey: Double) {
        cairo_set_source_rgb(cr, grey, grey, grey)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    /// Pango markup for the runs: the text escaped, bold and italic as tags.
    static func markup(_ text: RichText) -> String {
        text.runs.map { run in
            var s = run.text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
            // Control characters other than line breaks and tabs have no place on paper.
            s = String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 == "\n" || $0 == "\t" || $0.value >= 0x20 && $0.value != 0x7F }))
            if run.italic { s = "<i>" + s + "</i>" }
            if run.bold { s = "<b>" + s + "</b>" }
            return s
        }.joined()
    }
}

/// One thing placed on a page, at its top.
enum PlacedItem {
    case paragraph(RichText, size: Double, alignment: PrintAlignment, y: Double)
    case columns([RichText], size: Double, y: Double)
    case image(ImageSurface, width: Double, alignment: PrintAlignment, y: Double)
    case tableRows(PrintTable, rows: Range<Int>, heights: [Double], headerHeight: Double, y: Double)
    case totals([(label: String, value: String)], emphasiseLast: Bool, y: Double)
    case link(String, url: String, size: Double, y: Double)
    case map(PrintMap, height: Double, y: Double)
}

/// Splits the blocks into pages.
struct Paginator {
    let setter: Typesetter
    var top: Double { PDFWriter.margin }
    var bottom: Double { PDFWriter.pageHeight - PDFWriter.margin - PDFWriter.footerRoom }
    var width: Double { PDFWriter.pageWidth - 2 * PDFWriter.margin }
    static let cellPadding = 3.0

    func pages(_ blocks: [PrintBlock]) -> [[PlacedItem]] {
        var pages: [[PlacedItem]] = [[]]
        var y = top
        func newPage() { pages.append([]); y = top }
        func place(_ item: PlacedItem, height: Double) {
            if y + height > bottom && !pages[pages.count - 1].isEmpty { newPage() }
            pages[pages.count - 1].append(Self.moved(item, to: y))
            y += height
        }
        for block in blocks {
            switch block {
            case .paragraph(let text, let size, let alignment):
                place(.paragraph(text, size: size, alignment: alignment, y: 0), height: setter.height(text, size: size, width: width) + size * 0.4)
            case .columns(let texts, let size):
                let columnWidth = width / Double(max(1, texts.count)) - 8
                let height = texts.map { setter.height($0, size: size, width: columnWidth) }.max() ?? 0
                place(.columns(texts, size: size, y: 0), height: height + size * 0.4)
            case .image(let png, let width, let alignment):
                guard let image = ImageSurface(image: png) else { continue }
                let height = width * Double(image.height) / Double(max(1, image.width))
                place(.image(image, width: width, alignment: alignment, y: 0), height: height + 6)
            case .table(let table):
                let widths = Self.columnWidths(table, width: width)
                let alignments = table.columns.map(\.alignment)
                let headerHeight = rowHeight(table.columns.map { RichText($0.title, bold: true) }, widths: widths, alignments: alignments,
                                             size: table.size)
                let heights = table.rows.map { row in
                    rowHeight(row.prefix(table.columns.count).map { RichText($0) }, widths: widths, alignments: alignments, size: table.size)
                }
                var start = 0
                while start < table.rows.count || (start == 0 && table.rows.isEmpty) {
                    // Room for the header and at least one row, else a new page.
                    if y + headerHeight + (heights.first.map { _ in heights[start] } ?? 0) > bottom && !pages[pages.count - 1].isEmpty { newPage() }
                    var end = start
                    var used = headerHeight
                    while end < table.rows.count && (y + used + heights[end] <= bottom || end == start) {
                        used += heights[end]
                        end += 1
                    }
                    pages[pages.count - 1].append(.tableRows(table, rows: start..<end, heights: Array(heights[start..<end]),
                                                             headerHeight: headerHeight, y: y))
                    y += used + 4
                    if table.rows.isEmpty { break }
                    start = end
                    if start < table.rows.count { newPage() }
                }
            case .totals(let pairs, let emphasise):
                let height = Double(pairs.count) * 14 + 4
                place(.totals(pairs, emphasiseLast: emphasise, y: 0), height: height)
            case .link(let text, let url, let size):
                place(.link(text, url: url, size: size, y: 0), height: setter.height(RichText(text), size: size, width: width) + size * 0.4)
            case .map(let map, let height):
                place(.map(map, height: height, y: 0), height: height + 8)
            case .space(let points):
                y = min(bottom, y + points)
            case .pageBreak:
                if !pages[pages.count - 1].isEmpty { newPage() }
            }
        }
        return pages
    }

    func rowHeight(_ cells: [RichText], widths: [Double], alignments: [PrintAlignment], size: Double) -> Double {
        cells.indices.map { i in
            setter.height(cells[i], size: size, width: widths[min(i, widths.count - 1)] - 2 * Self.cellPadding,
                          alignment: alignments[min(i, alignments.count - 1)])
        }.max().map { $0 + 2 * Self.cellPadding } ?? size + 2 * Self.cellPadding
    }

    static func columnWidths(_ table: PrintTable, width: Double) -> [Double] {
        let total = table.columns.map(\.weight).reduce(0, +)
        return table.columns.map { width * $0.weight / max(total, 0.0001) }
    }

    static func moved(_ item: PlacedItem, to y: Double) -> PlacedItem {
        switch item {
        case .paragraph(let t, let s, let a, _): return .paragraph(t, size: s, alignment: a, y: y)
        case .columns(let t, let s, _): return .columns(t, size: s, y: y)
        case .image(let i, let w, let a, _): return .image(i, width: w, alignment: a, y: y)
        case .tableRows(let t, let r, let h, let hh, _): return .tableRows(t, rows: r, heights: h, headerHeight: hh, y: y)
        case .totals(let p, let e, _): return .totals(p, emphasiseLast: e, y: y)
        case .link(let t, let u, let s, _): return .link(t, url: u, size: s, y: y)
        case .map(let m, let h, _): return .map(m, height: h, y: y)
        }
    }
}

/// Draws what the paginator placed.
struct Painter {
    let setter: Typesetter
    var left: Double { PDFWriter.margin }
    var width: Double { PDFWriter.pageWidth - 2 * PDFWriter.margin }

    func draw(_ item: PlacedItem) {
        switch item {
        case .paragraph(let text, let size, let alignment, let y):
            setter.show(text, size: size, x: left, y: y, width: width, alignment: alignment)
        case .columns(let texts, let size, let y):
            let columnWidth = width / Double(max(1, texts.count))
            for (i, text) in texts.enumerated() {
                setter.show(text, size: size, x: left + Double(i) * columnWidth, y: y, width: columnWidth - 8, alignment: .left)
            }
        case .image(let image, let w, let alignment, let y):
            let x = alignment == .left ? left : alignment == .right ? left + width - w : left + (width - w) / 2
            image.draw(on: setter.cr, x: x, y: y, width: w)
        case .tableRows(let table, let rows, let heights, let headerHeight, let y):
            let widths = Paginator.columnWidths(table, width: width)
            let pad = Paginator.cellPadding
            setter.fill(x: left, y: y, width: width, height: headerHeight, grey: 0.88)
            var x = left
            for (column, w) in zip(table.columns, widths) {
                setter.show(RichText(column.title, bold: true), size: table.size, x: x + pad, y: y + pad, width: w - 2 * pad,
                            alignment: column.alignment)
                x += w
            }
            var rowY = y + headerHeight
            setter.rule(x: left, y: rowY, width: width, grey: 0.3, thickness: 0.8)
            for (offset, index) in rows.enumerated() {
                x = left
                for (c, (column, w)) in zip(table.columns, widths).enumerated() {
                    let cell = c < table.rows[index].count ? table.rows[index][c] : ""
                    setter.show(RichText(cell), size: table.size, x: x + pad, y: rowY + pad, width: w - 2 * pad, alignment: column.alignment)
                    x += w
                }
                rowY += heights[offset]
                setter.rule(x: left, y: rowY, width: width, grey: 0.8)
            }
        case .link(let text, let url, let size, let y):
            // A link annotation over the text (cairo's tags, PDF 1.5).
            let escaped = url.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            cairo_tag_begin(setter.cr, "Link", "uri='\(escaped)'")
            setter.show(RichText(text), size: size, x: left, y: y, width: width, alignment: .left, rgb: (0.05, 0.3, 0.75))
            cairo_tag_end(setter.cr, "Link")
        case .map(let map, let height, let y):
            drawMap(map, x: left, y: y, width: width, height: height)
        case .totals(let pairs, let emphasise, let y):
            let boxWidth = width * 0.45
            let x = left + width - boxWidth
            for (i, pair) in pairs.enumerated() {
                let bold = emphasise && i == pairs.count - 1
                let rowY = y + Double(i) * 14
                if bold { setter.rule(x: x, y: rowY - 1, width: boxWidth, grey: 0.3, thickness: 0.8) }
                setter.show(RichText(pair.label, bold: bold), size: 9, x: x, y: rowY + 1, width: boxWidth * 0.55, alignment: .left)
                setter.show(RichText(pair.value, bold: bold), size: 9, x: x + boxWidth * 0.55, y: rowY + 1, width: boxWidth * 0.45, alignment: .right)
            }
        }
    }
}

/// An image kept for drawing (the same image on every page it is placed on):
/// a PNG decoded by cairo, another format (a JPEG) by gdk-pixbuf.
final class ImageSurface: @unchecked Sendable {
    let surface: OpaquePointer
    let width: Int32
    let height: Int32

    convenience init?(image bytes: [UInt8]) {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { self.init(png: bytes) } else { self.init(decoding: bytes) }
    }

    /// Any format gdk-pixbuf reads, copied into a cairo surface (premultiplied ARGB).
    init?(decoding bytes: [UInt8]) {
        guard let loader = gdk_pixbuf_loader_new() else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(loader)) }
        var error: UnsafeMutablePointer<GError>?
        let wrote = bytes.withUnsafeBufferPointer { gdk_pixbuf_loader_write(loader, $0.baseAddress, gsize($0.count), &error) }
        let closed = gdk_pixbuf_loader_close(loader, &error)
        if let error { g_error_free(error) }
        guard wrote != 0, closed != 0, let pixbuf = gdk_pixbuf_loader_get_pixbuf(loader) else { return nil }
        let w = gdk_pixbuf_get_width(pixbuf), h = gdk_pixbuf_get_height(pixbuf)
        let channels = Int(gdk_pixbuf_get_n_channels(pixbuf)), stride = Int(gdk_pixbuf_get_rowstride(pixbuf))
        let alpha = gdk_pixbuf_get_has_alpha(pixbuf) != 0
        guard channels >= 3, let pixels = gdk_pixbuf_get_pixels(pixbuf),
              let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h), cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else { return nil }
        cairo_surface_flush(s)
        let target = cairo_image_surface_get_data(s)!
        let targetStride = Int(cairo_image_surface_get_stride(s))
        for y in 0..<Int(h) {
            let row = pixels + y * stride
            let out = UnsafeMutableRawPointer(target + y * targetStride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<Int(w) {
                let p = row + x * channels
                let a = alpha ? UInt32(p[3]) : 255
                // Cairo's pixels are native-endian 32-bit ARGB with the colour multiplied by alpha.
                let r = UInt32(p[0]) * a / 255, g = UInt32(p[1]) * a / 255, b = UInt32(p[2]) * a / 255
                out[x] = a << 24 | r << 16 | g << 8 | b
            }
        }
        cairo_surface_mark_dirty(s)
        surface = s
        width = w
        height = h
    }

    init?(png: [UInt8]) {
        final class Source { var bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
        let source = Source(png)
        let unmanaged = Unmanaged.passRetained(source)
        defer { unmanaged.release() }
        let read: cairo_read_func_t = { closure, data, length in
            let source = Unmanaged<Source>.fromOpaque(closure!).takeUnretainedValue()
            let n = Int(length)
            guard source.offset + n <= source.bytes.count, let data else { return CAIRO_STATUS_READ_ERROR }
            source.bytes.withUnsafeBufferPointer { buffer in
                data.update(from: buffer.baseAddress! + source.offset, count: n)
            }
            source.offset += n
            return CAIRO_STATUS_SUCCESS
        }
        guard let s = cairo_image_surface_create_from_png_stream(read, unmanaged.toOpaque()),
              cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else { return nil }
        surface = s
        width = cairo_image_surface_get_width(s)
        height = cairo_image_surface_get_height(s)
    }

    deinit { cairo_surface_destroy(surface) }

    func draw(on cr: OpaquePointer, x: Double, y: Double, width w: Double) {
        let factor = w / Double(max(1, width))
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, factor, factor)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
    }
}

/// Fonts the user names by file.
enum Fonts {
    /// Adds a font file to those the process can use and returns its family.
    static func family(ofFile path: String) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CoreError.refused(Localized(ro: "fișierul de font «\(path)» nu există sau nu se poate citi",
                                              en: "the font file «\(path)» does not exist or cannot be read"))
        }
        var count: Int32 = 0
        guard let pattern = FcFreeTypeQuery(path, 0, nil, &count) else {
            throw CoreError.refused(Localized(ro: "«\(path)» nu este un font TrueType sau OpenType", en: "«\(path)» is not a TrueType or OpenType font"))
        }
        defer { FcPatternDestroy(pattern) }
        var value: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(pattern, FC_FAMILY, 0, &value) == FcResultMatch, let value else {
            throw CoreError.refused(Localized(ro: "fontul «\(path)» nu își spune familia", en: "the font «\(path)» names no family"))
        }
        let family = String(cString: value)
        _ = FcConfigAppFontAddFile(FcConfigGetCurrent(), path)
        return family
    }
}

extension Painter {
    /// A map: a frame, grey places for orientation, the path in blue, the stops
    /// numbered in circles and the start as a square.
    func drawMap(_ map: PrintMap, x: Double, y: Double, width: Double, height: Double) {
        let cr = setter.cr
        let at = map.project(width: width, height: height)
        cairo_save(cr)
        cairo_rectangle(cr, x, y, width, height)
        cairo_clip(cr)
        cairo_set_source_rgb(cr, 0.97, 0.98, 1)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
        for (mark, p) in zip(map.marks, at) where mark.kind == .place {
            guard let p else { continue }
            cairo_set_source_rgb(cr, 0.65, 0.65, 0.65)
            // A text shown leaves a current point: a new path, or the arc would start with a line from it.
            cairo_new_path(cr)
            cairo_arc(cr, x + p.x, y + p.y, 1.6, 0, 2 * .pi)
            cairo_fill(cr)
            setter.show(RichText(mark.label), size: 6, x: x + p.x + 3, y: y + p.y - 4, width: 90, alignment: .left, grey: 0.55)
        }
        let path = map.path.compactMap { i in at.indices.contains(i) ? at[i] : nil }
        if let first = path.first {
            cairo_set_source_rgb(cr, 0.1, 0.35, 0.8)
            cairo_set_line_width(cr, 1.6)
            cairo_new_path(cr)
            cairo_move_to(cr, x + first.x, y + first.y)
            for p in path.dropFirst() { cairo_line_to(cr, x + p.x, y + p.y) }
            cairo_stroke(cr)
        }
        for (mark, p) in zip(map.marks, at) where mark.kind != .place {
            guard let p else { continue }
            cairo_new_path(cr)
            if mark.kind == .start {
                cairo_set_source_rgb(cr, 0.75, 0.15, 0.1)
                cairo_rectangle(cr, x + p.x - 6, y + p.y - 6, 12, 12)
                cairo_fill(cr)
            } else {
                cairo_set_source_rgb(cr, 1, 1, 1)
                cairo_arc(cr, x + p.x, y + p.y, 7, 0, 2 * .pi)
                cairo_fill_preserve(cr)
                cairo_set_source_rgb(cr, 0.1, 0.35, 0.8)
                cairo_set_line_width(cr, 1.2)
                cairo_stroke(cr)
            }
            let number = mark.kind == .start ? "P" : mark.label
            setter.show(RichText(number, bold: true), size: 6.5, x: x + p.x - 7, y: y + p.y - 4.5, width: 14, alignment: .centre,
                        grey: mark.kind == .start ? 1 : 0.1)
        }
        cairo_restore(cr)
        cairo_set_source_rgb(cr, 0.5, 0.5, 0.5)
        cairo_set_line_width(cr, 0.6)
        cairo_new_path(cr)
        cairo_rectangle(cr, x, y, width, height)
        cairo_stroke(cr)
    }
}
