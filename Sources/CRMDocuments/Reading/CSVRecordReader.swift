import CRMCore
import CRMText
import Foundation

/// The records of a CSV file, read as a stream of bytes (ACC-7): the delimiter
/// (`,` `;` or tab) is the one the header line uses most, outside quotes;
/// quotes per RFC 4180 (a quoted field may hold delimiters, line breaks and
/// doubled quotes); CRLF or LF line ends; UTF-8 with or without a BOM, or the
/// legacy Romanian single-byte encodings, Windows-1250 and ISO-8859-2, turned
/// into UTF-8 byte by byte. The encoding is given, or found in a first pass:
/// UTF-8 when every byte sequence is valid UTF-8, else Windows-1250 when bytes
/// 0x80–0x9F occur (letters there, control codes in ISO-8859-2), else ISO-8859-2.
public final class CSVRecordReader: TableRecordReader {
    public let encoding: TableImport.Encoding
    private let handle: FileHandle
    private let size: UInt64
    /// Bytes read so far (read by a progress bar on another thread).
    private let consumed = LockedBox<UInt64>(0)
    private let table: [[UInt8]]?
    private var chunk: [UInt8] = []
    private var index = 0
    private var exhausted = false
    private var delimiter: UInt8 = UInt8(ascii: ",")
    private var line = 1
    private var started = false

    public init(path: String, encoding given: TableImport.Encoding? = nil) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CoreError.refused(Localized(ro: "nu pot citi \(path)", en: "cannot read \(path)"))
        }
        self.handle = handle
        size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        encoding = try given ?? Self.detect(handle)
        try handle.seek(toOffset: 0)
        table = encoding == .utf8 ? nil : Self.table(encoding)
    }

    deinit { try? handle.close() }

    public var fraction: Double { size == 0 ? 1 : min(1, Double(consumed.value) / Double(size)) }

    public func close() { try? handle.close() }

    public func next() throws -> TableRecord? {
        if !started {
            started = true
            try refill()
            if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            delimiter = try findDelimiter()
        }
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var quotedField = false
        var start = line
        while true {
            if index >= chunk.count {
                try refill()
                if index >= chunk.count {
                    guard !inQuotes else {
                        throw CoreError.refused(Localized(ro: "rândul \(start): ghilimele neînchise până la sfârșitul fișierului",
                                                          en: "row \(start): a quote left open to the end of the file"))
                    }
                    if field.isEmpty && fields.isEmpty && !quotedField { return nil }
                    fields.append(String(decoding: field, as: UTF8.self))
                    return TableRecord(line: start, fields: fields)
                }
            }
            let c = chunk[index]
            index += 1
            if inQuotes {
                if c == UInt8(ascii: "\"") {
                    if try peek() == UInt8(ascii: "\"") {
                        field.append(c)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else if c == UInt8(ascii: "\r"), try peek() == UInt8(ascii: "\n") {
                    continue
                } else {
                    if c == UInt8(ascii: "\n") { line += 1 }
                    field.append(c)
                }
            } else if c == UInt8(ascii: "\"") && field.isEmpty {
                inQuotes = true
                quotedField = true
            } else if c == delimiter {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                quotedField = false
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                if c == UInt8(ascii: "\r"), try peek() == UInt8(ascii: "\n") { index += 1 }
                line += 1
                if fields.isEmpty && field.isEmpty && !quotedField {
                    start = line
                    continue
                }
                fields.append(String(decoding: field, as: UTF8.self))
                return TableRecord(line: start, fields: fields)
            } else {
                field.append(c)
            }
        }
    }

    /// The byte after the current one, reading on if needed.
    private func peek() throws -> UInt8? {
        if index >= chunk.count { try refill() }
        return index < chunk.count ? chunk[index] : nil
    }

    /// Reads the next block, keeping what is still unread, as UTF-8.
    private func refill() throws {
        guard !exhausted else { return }
        let data = try handle.read(upToCount: 1 << 20) ?? Data()
        if data.isEmpty { exhausted = true }
        consumed.set(consumed.value + UInt64(data.count))
        chunk.removeSubrange(0..<index)
        index = 0
        if let table {
            chunk.reserveCapacity(chunk.count + data.count * 2)
            for b in data { if b < 0x80 { chunk.append(b) } else { chunk.append(contentsOf: table[Int(b)]) } }
        } else {
            chunk.append(contentsOf: data)
        }
    }

    /// The delimiter the header line uses most (a comma on a tie).
    private func findDelimiter() throws -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var quoted = false
        var i = index
        while true {
            if i >= chunk.count {
                if exhausted { break }
                let offset = i - index
                try refill()
                i = index + offset
                continue
            }
            let c = chunk[i]
            if c == UInt8(ascii: "\"") { quoted.toggle() } else if !quoted {
                if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { break }
                if counts[c] != nil { counts[c]! += 1 }
            }
            i += 1
        }
        let comma = UInt8(ascii: ",")
        return counts.max { ($0.value, $0.key == comma ? 1 : 0) < ($1.value, $1.key == comma ? 1 : 0) }!.key
    }

    // MARK: - Encodings

    /// Finds the encoding from the bytes, reading the whole file once.
    static func detect(_ handle: FileHandle) throws -> TableImport.Encoding {
        var pending = 0
        var valid = true
        var c1Controls = false
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            for b in data {
                if b >= 0x80 && b <= 0x9F { c1Controls = true }
                guard valid else { continue }
                if pending > 0 {
                    if b & 0xC0 == 0x80 { pending -= 1 } else { valid = false }
                } else if b >= 0x80 {
                    switch b {
                    case 0xC2...0xDF: pending = 1
                    case 0xE0...0xEF: pending = 2
                    case 0xF0...0xF4: pending = 3
                    default: valid = false
                    }
                }
            }
            if !valid && c1Controls { break }
        }
        if valid && pending == 0 { return .utf8 }
        return c1Controls ? .windows1250 : .iso88592
    }

    /// The UTF-8 bytes of each byte of a single-byte encoding.
    static func table(_ encoding: TableImport.Encoding) -> [[UInt8]] {
        (0..<256).map { b in
            let s = String(data: Data([UInt8(b)]), encoding: encoding.foundation) ?? "\u{FFFD}"
            return Array(s.utf8)
        }
    }
}
