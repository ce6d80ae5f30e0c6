import CRMCore
import Foundation

/// A streaming pull parser for the XML inside Office Open XML packages (the
/// parts of an .xlsx): elements, attributes, text, CDATA, the five predefined
/// entities and character references; comments and processing instructions
/// are skipped. It reads its input in chunks, keeps only the token being read,
/// and checks well-formedness as it goes (tag nesting, attribute syntax,
/// entities, one root, nothing cut off), so a damaged part is refused with the
/// part's name and the byte where it breaks. A DTD is refused outright: a
/// spreadsheet has none, and entity expansion is the classic XML bomb.
///
/// Names are reported without their namespace prefix (`r:id` is `id`).
final class XMLPullParser {
    enum Event: Equatable { case start, end, text, endOfDocument }

    /// The part being read, for messages.
    let part: String
    private let refill: () throws -> [UInt8]?
    private var buf: [UInt8] = []
    private var pos = 0
    private var dropped = 0
    private var exhausted = false

    // The current token.
    private var nameStart = 0, nameEnd = 0
    private var attributes: [(name: Range<Int>, value: Range<Int>)] = []
    private var textRange = 0..<0
    private var textIsRaw = false
    private var pendingEnd = false
    private var pendingPop = false

    // Open elements: their local names, end to end.
    private var stack: [UInt8] = []
    private var stackLengths: [Int] = []
    private var rootSeen = false

    /// Reads a whole part held in memory.
    convenience init(part: String, bytes: [UInt8]) {
        var given = false
        self.init(part: part) {
            if given { return nil }
            given = true
            return bytes
        }
    }

    /// Reads chunks from `refill` until it returns nil.
    init(part: String, refill: @escaping () throws -> [UInt8]?) {
        self.part = part
        self.refill = refill
    }

    /// How deep the current element is (the root is 1).
    var depth: Int { stackLengths.count }

    /// The next event. After `.start` of an empty element (`<x/>`) comes its `.end`.
    func next() throws -> Event {
        if pendingPop {
            pendingPop = false
            popName()
        }
        if pendingEnd {
            pendingEnd = false
            pendingPop = true
            return .end
        }
        while true {
            if pos >= buf.count, !(try fill()) {
                if !stackLengths.isEmpty {
                    throw error(Localized(ro: "se termină înainte de închiderea elementelor (fișier trunchiat)",
                                          en: "ends before its elements are closed (a truncated file)"))
                }
                if !rootSeen { throw error(Localized(ro: "nu conține niciun element", en: "holds no element")) }
                return .endOfDocument
            }
            if buf[pos] == UInt8(ascii: "<") {
                if let event = try tag() { return event }
            } else {
                guard let lt = try find(UInt8(ascii: "<"), from: pos) else {
                    // Only white space may follow the root.
                    if !onlySpace(pos..<buf.count) || !stackLengths.isEmpty {
                        throw error(Localized(ro: "se termină în mijlocul unui text (fișier trunchiat)",
                                              en: "ends in the middle of a text (a truncated file)"))
                    }
                    pos = buf.count
                    continue
                }
                if stackLengths.isEmpty {
                    guard onlySpace(pos..<lt) else {
                        throw error(Localized(ro: "text în afara elementului rădăcină", en: "text outside the root element"))
                    }
                    pos = lt
                    continue
                }
                textRange = pos..<lt
                textIsRaw = false
                pos = lt
                if buf[textRange].contains(UInt8(ascii: "&")) { _ = try decode(textRange) }
                return .text
            }
        }
    }

    /// Whether the current element's local name is `name`.
    func isNamed(_ name: StaticString) -> Bool {
        let length = nameEnd - nameStart
        guard length == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { expected in
            buf.withUnsafeBufferPointer { b in memcmp(b.baseAddress! + nameStart, expected.baseAddress!, length) == 0 }
        }
    }

    /// An attribute of the current start tag, by local name, entities decoded.
    func attribute(_ name: StaticString) throws -> String? {
        guard let range = attributeRange(name) else { return nil }
        return try decode(range)
    }

    /// An attribute's raw bytes (no entities expected: numbers, cell references).
    func attributeBytes(_ name: StaticString) -> ArraySlice<UInt8>? {
        attributeRange(name).map { buf[$0] }
    }

    /// The text of the current `.text` event, entities decoded.
    func text() throws -> String {
        textIsRaw ? try utf8(textRange) : try decode(textRange)
    }

    /// Appends the current text's decoded bytes to `out`.
    func appendText(to out: inout [UInt8]) throws {
        if textIsRaw || !buf[textRange].contains(UInt8(ascii: "&")) {
            out.append(contentsOf: buf[textRange])
        } else {
            out.append(contentsOf: Array(try decode(textRange).utf8))
        }
    }

    /// Skips to the end of the current element (called right after its `.start`).
    func skipElement() throws {
        let level = depth
        while true {
            let event = try next()
            if event == .end && depth == level { return }
            if event == .endOfDocument { return }
        }
    }

    // MARK: - Tokens

    /// Reads the markup at `pos`: returns an event, or nil for skipped markup.
    private func tag() throws -> Event? {
        guard try available(2) else { throw truncated() }
        switch buf[pos + 1] {
        case UInt8(ascii: "/"):
            guard let gt = try find(UInt8(ascii: ">"), from: pos) else { throw truncated() }
            var end = gt
            while end > pos + 2, isSpace(buf[end - 1]) { end -= 1 }
            let (s, e) = localName(pos + 2..<end)
            guard s < e, let top = stackLengths.last else {
                throw error(Localized(ro: "etichetă de închidere fără deschidere", en: "a closing tag without an opening one"))
            }
            let open = stack.count - top
            let same = e - s == top && buf[s..<e].elementsEqual(stack[open...])
            guard same else {
                throw error(Localized(
                    ro: "</\(String(decoding: buf[s..<e], as: UTF8.self))> închide <\(String(decoding: stack[open...], as: UTF8.self))>",
                    en: "</\(String(decoding: buf[s..<e], as: UTF8.self))> closes <\(String(decoding: stack[open...], as: UTF8.self))>"))
            }
            nameStart = s
            nameEnd = e
            pos = gt + 1
            pendingPop = true
            return .end
        case UInt8(ascii: "?"):
            guard let end = try find(sequence: Array("?>".utf8), from: pos + 2) else { throw truncated() }
            pos = end + 2
            return nil
        case UInt8(ascii: "!"):
            if try starts(with: "<!--") {
                guard let end = try find(sequence: Array("-->".utf8), from: pos + 4) else { throw truncated() }
                pos = end + 3
                return nil
            }
            if try starts(with: "<![CDATA[") {
                guard !stackLengths.isEmpty else {
                    throw error(Localized(ro: "CDATA în afara elementului rădăcină", en: "CDATA outside the root element"))
                }
                guard let end = try find(sequence: Array("]]>".utf8), from: pos + 9) else { throw truncated() }
                textRange = pos + 9..<end
                textIsRaw = true
                pos = end + 3
                return .text
            }
            if try starts(with: "<!DOCTYPE") {
                throw error(Localized(ro: "conține o declarație DOCTYPE, pe care un fișier Excel nu o are; refuzat din prudență",
                                      en: "has a DOCTYPE declaration, which an Excel file never has; refused for safety"))
            }
            throw error(Localized(ro: "marcaj necunoscut după «<!»", en: "unknown markup after «<!»"))
        default:
            return try startTag()
        }
    }

    private func startTag() throws -> Event {
        // The end of the tag: the first '>' outside quotes.
        var i = pos + 1
        var quote: UInt8 = 0
        var gt = -1
        while gt < 0 {
            if i >= buf.count {
                let offset = i - pos
                guard try fill() else { throw truncated() }
                i = pos + offset
            }
            let scan = buf.withUnsafeBufferPointer { Self.scanTag($0, from: i, quote: &quote) }
            switch scan {
            case .found(let at): gt = at
            case .more(let at): i = at
            case .lessThan(let inValue):
                throw error(inValue ? Localized(ro: "«<» în valoarea unui atribut", en: "«<» inside an attribute value")
                                    : Localized(ro: "etichetă neînchisă", en: "an unclosed tag"))
            }
        }
        let empty = buf[gt - 1] == UInt8(ascii: "/")
        let end = empty ? gt - 1 : gt
        let from = pos + 1
        var attributes = self.attributes
        self.attributes = []
        attributes.removeAll(keepingCapacity: true)
        let parsed = buf.withUnsafeBufferPointer { Self.parseTag($0, from: from, end: end, attributes: &attributes) }
        self.attributes = attributes
        guard let (s, e) = parsed.name else {
            throw error(Localized(ro: "nume de element lipsă sau greșit", en: "a missing or bad element name"))
        }
        guard parsed.attributesOK else { throw badAttributes() }
        if stackLengths.isEmpty {
            guard !rootSeen else {
                throw error(Localized(ro: "are mai multe elemente rădăcină", en: "has more than one root element"))
            }
            rootSeen = true
        }
        nameStart = s
        nameEnd = e
        stack.append(contentsOf: buf[s..<e])
        stackLengths.append(e - s)
        pos = gt + 1
        pendingEnd = empty
        return .start
    }

    private enum TagScan { case found(Int), more(Int), lessThan(inValue: Bool) }

    /// Looks for the '>' that ends a tag, outside quoted values.
    private static func scanTag(_ b: UnsafeBufferPointer<UInt8>, from: Int, quote: inout UInt8) -> TagScan {
        var i = from
        while i < b.count {
            let c = b[i]
            if quote != 0 {
                if c == quote { quote = 0 } else if c == UInt8(ascii: "<") { return .lessThan(inValue: true) }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: ">") {
                return .found(i)
            } else if c == UInt8(ascii: "<") {
                return .lessThan(inValue: false)
            }
            i += 1
        }
        return .more(i)
    }

    /// The element's local name and its attributes (name = "value", separated by white space).
    private static func parseTag(_ b: UnsafeBufferPointer<UInt8>, from: Int, end: Int,
                                 attributes: inout [(name: Range<Int>, value: Range<Int>)]) -> (name: (Int, Int)?, attributesOK: Bool) {
        var n = from
        while n < end, !isSpace(b[n]) { n += 1 }
        var s = from
        for k in from..<n where b[k] == UInt8(ascii: ":") { s = k + 1 }
        guard s < n, from < end, isNameStart(b[from]) else { return (nil, true) }
        var a = n
        while true {
            let before = a
            while a < end, isSpace(b[a]) { a += 1 }
            if a >= end { break }
            guard a > before else { return ((s, n), false) }
            let nameFrom = a
            while a < end, b[a] != UInt8(ascii: "="), !isSpace(b[a]) { a += 1 }
            let nameTo = a
            while a < end, isSpace(b[a]) { a += 1 }
            guard nameTo > nameFrom, a < end, b[a] == UInt8(ascii: "=") else { return ((s, n), false) }
            a += 1
            while a < end, isSpace(b[a]) { a += 1 }
            guard a < end, b[a] == UInt8(ascii: "\"") || b[a] == UInt8(ascii: "'") else { return ((s, n), false) }
            let q = b[a]
            let valueFrom = a + 1
            a = valueFrom
            while a < end, b[a] != q { a += 1 }
            guard a < end else { return ((s, n), false) }
            var local = nameFrom
            for k in nameFrom..<nameTo where b[k] == UInt8(ascii: ":") { local = k + 1 }
            attributes.append((local..<nameTo, valueFrom..<a))
            a += 1
        }
        return ((s, n), true)
    }

    private func popName() {
        let length = stackLengths.removeLast()
        stack.removeLast(length)
    }

    private func attributeRange(_ name: StaticString) -> Range<Int>? {
        let length = name.utf8CodeUnitCount
        return name.withUTF8Buffer { expected in
            for attribute in attributes where attribute.name.count == length {
                if buf[attribute.name].elementsEqual(expected) { return attribute.value }
            }
            return nil
        }
    }

    // MARK: - Text

    private func utf8(_ range: Range<Int>) throws -> String {
        guard let s = String(validating: buf[range], as: UTF8.self) else {
            throw error(Localized(ro: "conține text care nu este UTF-8", en: "holds text that is not UTF-8"))
        }
        return s
    }

    /// The text of `range` with its entities and character references decoded.
    private func decode(_ range: Range<Int>) throws -> String {
        guard let amp = buf[range].firstIndex(of: UInt8(ascii: "&")) else { return try utf8(range) }
        var out = [UInt8]()
        out.reserveCapacity(range.count)
        out.append(contentsOf: buf[range.lowerBound..<amp])
        var i = amp
        while i < range.upperBound {
            let c = buf[i]
            guard c == UInt8(ascii: "&") else {
                out.append(c)
                i += 1
                continue
            }
            guard let semi = buf[i..<range.upperBound].firstIndex(of: UInt8(ascii: ";")), semi - i <= 12 else { throw badEntity() }
            let entity = buf[(i + 1)..<semi]
            switch String(decoding: entity, as: UTF8.self) {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            case let reference where reference.hasPrefix("#"):
                let digits = reference.dropFirst()
                let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                guard let value, value != 0, let scalar = Unicode.Scalar(value) else { throw badEntity() }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw badEntity()
            }
            i = semi + 1
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw error(Localized(ro: "conține text care nu este UTF-8", en: "holds text that is not UTF-8"))
        }
        return s
    }

    // MARK: - Buffer

    /// Reads another chunk, dropping what was already read. False at the end.
    private func fill() throws -> Bool {
        guard !exhausted else { return false }
        while true {
            guard let chunk = try refill() else {
                exhausted = true
                return false
            }
            if chunk.isEmpty { continue }
            if pos > 0 {
                buf.removeSubrange(0..<pos)
                dropped += pos
                pos = 0
            }
            buf.append(contentsOf: chunk)
            return true
        }
    }

    private func available(_ n: Int) throws -> Bool {
        while buf.count - pos < n {
            guard try fill() else { return false }
        }
        return true
    }

    private func starts(with prefix: StaticString) throws -> Bool {
        guard try available(prefix.utf8CodeUnitCount) else { return false }
        return prefix.withUTF8Buffer { p in buf[pos..<(pos + p.count)].elementsEqual(p) }
    }

    /// The index of `byte` at or after `from`, reading more as needed.
    private func find(_ byte: UInt8, from: Int) throws -> Int? {
        var offset = from - pos
        while true {
            let start = pos + offset
            if start < buf.count {
                let found = buf.withUnsafeBufferPointer { b -> Int? in
                    guard let p = memchr(b.baseAddress! + start, Int32(byte), b.count - start) else { return nil }
                    return UnsafePointer(p.assumingMemoryBound(to: UInt8.self)) - b.baseAddress!
                }
                if let found { return found }
            }
            offset = buf.count - pos
            guard try fill() else { return nil }
        }
    }

    private func find(sequence: [UInt8], from: Int) throws -> Int? {
        var offset = from - pos
        while true {
            var i = pos + offset
            while i + sequence.count <= buf.count {
                if buf[i] == sequence[0] && buf[i..<(i + sequence.count)].elementsEqual(sequence) { return i }
                i += 1
            }
            offset = max(offset, i - pos)
            guard try fill() else { return nil }
        }
    }

    // MARK: - Characters

    private func localName(_ range: Range<Int>) -> (Int, Int) {
        var s = range.lowerBound
        for i in range where buf[i] == UInt8(ascii: ":") { s = i + 1 }
        return (s, range.upperBound)
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    private func isSpace(_ c: UInt8) -> Bool { Self.isSpace(c) }

    private static func isNameStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c >= 0x80
    }

    private func onlySpace(_ range: Range<Int>) -> Bool { buf[range].allSatisfy(isSpace) }

    // MARK: - Errors

    private func error(_ what: Localized) -> CoreError {
        let at = dropped + pos
        return CoreError.refused(Localized(ro: "fișierul Excel este deteriorat: partea \(part), octetul \(at): \(what.ro)",
                                           en: "the Excel file is damaged: part \(part), byte \(at): \(what.en)"))
    }

    private func truncated() -> CoreError {
        error(Localized(ro: "se termină în mijlocul unei etichete (fișier trunchiat)", en: "ends inside a tag (a truncated file)"))
    }

    private func badAttributes() -> CoreError {
        error(Localized(ro: "atribute scrise greșit", en: "badly written attributes"))
    }

    private func badEntity() -> CoreError {
        error(Localized(ro: "entitate necunoscută sau greșită după «&»", en: "an unknown or bad entity after «&»"))
    }
}
