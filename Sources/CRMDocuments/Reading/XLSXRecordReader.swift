import CRMCore
import Foundation

/// The rows of an .xlsx file's first worksheet, read as a stream (ACC-7): the
/// sheet's XML is inflated on a thread of its own and parsed as it comes, a row
/// at a time, never held whole. Shared strings are kept packed in one byte
/// buffer; inline strings, numbers, booleans, formulas (their cached value),
/// error cells and dates (by the cell's number format, 1900 or 1904 system)
/// become text the core's validation reads; missing cells are empty.
public final class XLSXRecordReader: TableRecordReader {
    private let package: ZipPackage
    private let stream: PartStream
    private let sheet: XMLPullParser
    private let strings: SharedStrings
    private let dateStyles: [Bool]
    private let date1904: Bool
    private var finished = false

    public init(path: String) throws {
        let package = try ZipPackage(path: path)
        self.package = package
        let parts = try WorkbookParts(package)
        date1904 = parts.date1904
        strings = try parts.sharedStrings.map { try SharedStrings(package: package, part: $0) } ?? SharedStrings()
        dateStyles = try parts.styles.map { try Self.dateStyles(XMLPullParser(part: $0, bytes: package.bytes(of: $0))) } ?? []
        stream = try package.stream(of: parts.sheet)
        let stream = stream
        sheet = XMLPullParser(part: parts.sheet) { try stream.next() }
    }

    deinit { stream.close() }

    public var fraction: Double { stream.size == 0 ? 1 : min(1, Double(stream.delivered) / Double(stream.size)) }

    public func close() { stream.close() }

    public func next() throws -> TableRecord? {
        guard !finished else { return nil }
        var rowNumber = 0
        var fields: [String] = []
        var errors: [Int: String] = [:]
        var inRow = false
        var lastRow = 0
        // The cell being read.
        var column = -1
        var kind: CellKind = .number
        var style = 0
        var value: [UInt8] = []
        var inline: [UInt8] = []
        var target: Target = .none
        var inPhonetic = false
        while true {
            switch try sheet.next() {
            case .endOfDocument:
                finished = true
                return nil
            case .start:
                if sheet.isNamed("row") {
                    inRow = true
                    rowNumber = Self.integer(sheet.attributeBytes("r")) ?? (lastRow + 1)
                    fields.removeAll(keepingCapacity: true)
                    errors.removeAll()
                    column = -1
                } else if inRow && sheet.isNamed("c") {
                    column = Self.column(sheet.attributeBytes("r")) ?? (column + 1)
                    kind = CellKind(sheet.attributeBytes("t"))
                    style = Self.integer(sheet.attributeBytes("s")) ?? 0
                    value.removeAll(keepingCapacity: true)
                    inline.removeAll(keepingCapacity: true)
                } else if inRow && sheet.isNamed("v") {
                    target = .value
                } else if inRow && sheet.isNamed("t") && !inPhonetic {
                    target = .inline
                } else if inRow && sheet.isNamed("rPh") {
                    inPhonetic = true
                } else if sheet.isNamed("f") || sheet.isNamed("extLst") {
                    try sheet.skipElement()
                }
            case .text:
                switch target {
                case .value: try sheet.appendText(to: &value)
                case .inline: try sheet.appendText(to: &inline)
                case .none: break
                }
            case .end:
                if sheet.isNamed("v") || sheet.isNamed("t") {
                    target = .none
                } else if sheet.isNamed("rPh") {
                    inPhonetic = false
                } else if inRow && sheet.isNamed("c") {
                    guard column < 16_384 else { throw badCell(rowNumber) }
                    let text = try cellText(kind: kind, style: style, value: value, inline: inline, row: rowNumber)
                    if kind == .error {
                        errors[column] = text
                    }
                    if !text.isEmpty || kind == .error {
                        if fields.count <= column { fields.append(contentsOf: repeatElement("", count: column + 1 - fields.count)) }
                        fields[column] = kind == .error ? "" : text
                    }
                } else if sheet.isNamed("row") {
                    inRow = false
                    lastRow = rowNumber
                    if !fields.isEmpty || !errors.isEmpty {
                        return TableRecord(line: rowNumber, fields: fields, errors: errors)
                    }
                } else if sheet.isNamed("sheetData") {
                    finished = true
                    stream.close()
                    return nil
                }
            }
        }
    }

    private enum Target { case none, value, inline }

    private enum CellKind {
        case number, sharedString, inlineString, formulaString, boolean, error, isoDate

        init(_ t: ArraySlice<UInt8>?) {
            guard let t else { self = .number; return }
            switch String(decoding: t, as: UTF8.self) {
            case "s": self = .sharedString
            case "inlineStr": self = .inlineString
            case "str": self = .formulaString
            case "b": self = .boolean
            case "e": self = .error
            case "d": self = .isoDate
            default: self = .number
            }
        }
    }

    private func cellText(kind: CellKind, style: Int, value: [UInt8], inline: [UInt8], row: Int) throws -> String {
        switch kind {
        case .sharedString:
            guard let index = Self.integer(value[...]), let text = strings[index] else { throw badCell(row) }
            return text
        case .inlineString:
            return String(decoding: inline, as: UTF8.self)
        case .formulaString, .error:
            return String(decoding: value.isEmpty ? inline : value, as: UTF8.self)
        case .boolean:
            return value == [UInt8(ascii: "1")] ? "da" : (value.isEmpty ? "" : "nu")
        case .isoDate:
            let text = String(decoding: value, as: UTF8.self)
            return text.hasSuffix("T00:00:00") ? String(text.prefix(10)) : text
        case .number:
            guard !value.isEmpty else { return "" }
            let text = String(decoding: value, as: UTF8.self)
            if style < dateStyles.count, dateStyles[style], let serial = Double(text) {
                return SpreadsheetDate.text(serial: serial, date1904: date1904)
            }
            return Self.number(text)
        }
    }

    private func badCell(_ row: Int) -> CoreError {
        ZipPackage.damaged(package.path, Localized(ro: "rândul \(row) are o celulă greșită", en: "row \(row) has a bad cell"))
    }

    // MARK: - Values

    /// A number as Excel shows it in General format: up to 15 significant
    /// digits, no exponent for ordinary magnitudes, no trailing zeros.
    static func number(_ text: String) -> String {
        if text.utf8.count <= 15, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }) { return text }
        guard let double = Double(text) else { return text }
        var s = String(format: "%.15g", double)
        if s.contains("e") || s.contains("E") {
            guard abs(double) < 1e21, let decimal = Decimal(string: s) else { return s }
            s = "\(decimal)"
        }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    static func integer(_ bytes: ArraySlice<UInt8>?) -> Int? {
        guard let bytes, !bytes.isEmpty, bytes.count < 12 else { return nil }
        var n = 0
        for b in bytes {
            guard b >= 48 && b <= 57 else { return nil }
            n = n * 10 + Int(b - 48)
        }
        return n
    }

    /// The zero-based column of a reference such as "AB12".
    static func column(_ bytes: ArraySlice<UInt8>?) -> Int? {
        guard let bytes else { return nil }
        var n = 0, letters = 0
        for b in bytes {
            if b >= 65 && b <= 90 { n = n * 26 + Int(b - 64) } else if b >= 97 && b <= 122 { n = n * 26 + Int(b - 96) } else { break }
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : n - 1
    }

    /// For each cell style (the `s` of a cell), whether its number format shows a date.
    static func dateStyles(_ xml: XMLPullParser) throws -> [Bool] {
        var custom: [Int: Bool] = [:]
        var styles: [Bool] = []
        var inCellXfs = false
        while true {
            switch try xml.next() {
            case .endOfDocument: return styles
            case .start:
                if xml.isNamed("numFmt"), let id = try xml.attribute("numFmtId").flatMap({ Int($0) }) {
                    custom[id] = SpreadsheetDate.isDateFormat(try xml.attribute("formatCode") ?? "")
                } else if xml.isNamed("cellXfs") {
                    inCellXfs = true
                } else if inCellXfs && xml.isNamed("xf") {
                    let id = try xml.attribute("numFmtId").flatMap { Int($0) } ?? 0
                    styles.append(custom[id] ?? SpreadsheetDate.isBuiltinDate(id))
                    try xml.skipElement()
                }
            case .end:
                if xml.isNamed("cellXfs") { inCellXfs = false }
            case .text: break
            }
        }
    }
}

/// Where a workbook keeps its parts: found through the package's relations.
struct WorkbookParts {
    var sheet: String
    var sharedStrings: String?
    var styles: String?
    var date1904 = false

    init(_ package: ZipPackage) throws {
        var workbook = "xl/workbook.xml"
        if package.contains("_rels/.rels") {
            let rels = try Self.relations(package, "_rels/.rels", base: "")
            workbook = rels.first { $0.type.hasSuffix("/officeDocument") }?.target ?? workbook
        }
        guard package.contains(workbook) else {
            throw ZipPackage.damaged(package.path, Localized(ro: "nu conține un registru Excel (\(workbook))",
                                                             en: "holds no Excel workbook (\(workbook))"))
        }
        let base = workbook.split(separator: "/").dropLast().joined(separator: "/")
        let relsPath = (base.isEmpty ? "" : base + "/") + "_rels/" + workbook.split(separator: "/").last! + ".rels"
        let rels = package.contains(relsPath) ? try Self.relations(package, relsPath, base: base) : []
        var firstSheet: String?
        let xml = XMLPullParser(part: workbook, bytes: try package.bytes(of: workbook))
        loop: while true {
            switch try xml.next() {
            case .endOfDocument: break loop
            case .start:
                if xml.isNamed("workbookPr") {
                    let flag = try xml.attribute("date1904") ?? ""
                    date1904 = flag == "1" || flag == "true"
                } else if xml.isNamed("sheet"), firstSheet == nil {
                    let id = try xml.attribute("id")
                    firstSheet = rels.first { $0.id == id }?.target
                }
            default: break
            }
        }
        guard let firstSheet, package.contains(firstSheet) else {
            throw ZipPackage.damaged(package.path, Localized(ro: "registrul nu are nicio foaie de calcul", en: "the workbook has no worksheet"))
        }
        sheet = firstSheet
        sharedStrings = rels.first { $0.type.hasSuffix("/sharedStrings") }?.target.flatMapIfPresent(package)
        styles = rels.first { $0.type.hasSuffix("/styles") }?.target.flatMapIfPresent(package)
    }

    static func relations(_ package: ZipPackage, _ part: String, base: String) throws -> [(id: String, type: String, target: String)] {
        let xml = XMLPullParser(part: part, bytes: try package.bytes(of: part))
        var out: [(String, String, String)] = []
        while true {
            switch try xml.next() {
            case .endOfDocument: return out
            case .start where xml.isNamed("Relationship"):
                guard let id = try xml.attribute("Id"), let target = try xml.attribute("Target") else { continue }
                let type = try xml.attribute("Type") ?? ""
                out.append((id, type, resolve(target, base: base)))
            default: continue
            }
        }
    }

    /// A relation's target as a path inside the package.
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }
}

private extension String {
    func flatMapIfPresent(_ package: ZipPackage) -> String? { package.contains(self) ? self : nil }
}

/// The shared strings table, packed: every string's UTF-8 bytes end to end.
struct SharedStrings {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []

    init() {}

    init(package: ZipPackage, part: String) throws {
        let stream = try package.stream(of: part)
        defer { stream.close() }
        // The text is shorter than its XML: room for all of it at once, so that
        // the buffer never doubles (pages are only taken as they are written).
        bytes.reserveCapacity(Int(min(stream.size, UInt64(UInt32.max))))
        let xml = XMLPullParser(part: part) { try stream.next() }
        var inItem = false, inText = false, inPhonetic = false
        while true {
            switch try xml.next() {
            case .endOfDocument: return
            case .start:
                if xml.isNamed("sst"), let count = try xml.attribute("uniqueCount").flatMap({ Int($0) }), count < 1 << 28 {
                    ends.reserveCapacity(count)
                } else if xml.isNamed("si") { inItem = true } else if xml.isNamed("rPh") { inPhonetic = true } else if inItem && !inPhonetic && xml.isNamed("t") { inText = true }
            case .text:
                if inText { try xml.appendText(to: &bytes) }
            case .end:
                if xml.isNamed("t") {
                    inText = false
                } else if xml.isNamed("rPh") {
                    inPhonetic = false
                } else if xml.isNamed("si") {
                    inItem = false
                    guard bytes.count < UInt32.max else {
                        throw ZipPackage.damaged(package.path, Localized(ro: "tabelul de texte este prea mare", en: "the string table is too large"))
                    }
                    ends.append(UInt32(bytes.count))
                }
            }
        }
    }

    subscript(index: Int) -> String? {
        guard index >= 0 && index < ends.count else { return nil }
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return String(decoding: bytes[start..<Int(ends[index])], as: UTF8.self)
    }
}

/// Spreadsheet dates: serial day numbers in the 1900 or 1904 system, and the
/// number formats that show them.
enum SpreadsheetDate {
    /// Built-in number formats that are dates or times.
    static func isBuiltinDate(_ id: Int) -> Bool {
        (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)
    }

    /// Whether a format code shows a date or time: a d, m, y, h or s outside
    /// quoted text, escapes and [colour]/[$-locale] brackets.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracket = false, escaped = false
        for c in code.lowercased() {
            if escaped { escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            case "d", "m", "y", "h", "s":
                if !quoted && !bracket { return true }
            default: continue
            }
        }
        return false
    }

    /// "YYYY-MM-DD", with " HH:MM" (":SS" when not zero) when the serial has a time.
    static func text(serial: Double, date1904: Bool) -> String {
        var days = Int(serial.rounded(.down))
        let seconds = Int(((serial - Double(days)) * 86_400).rounded())
        let time = seconds == 0 ? "" : String(format: " %02d:%02d", seconds / 3600 % 24, seconds / 60 % 60)
            + (seconds % 60 == 0 ? "" : String(format: ":%02d", seconds % 60))
        if days == 0 && !date1904 && !time.isEmpty { return String(time.dropFirst()) }
        // Days since 1970-01-01. The 1900 system counts a 29 February 1900 that never was.
        if date1904 {
            days -= 24_107
        } else {
            if days < 60 { days += 1 }
            days -= 25_569
        }
        return Day(daysSince1970: days).text + time
    }

}
