import CRMText

/// A table for people reading a terminal: columns aligned by display width
/// (diacritics, wide characters), long cells cut with "…", every cell sanitised.
public struct TextTable: Sendable {
    public var headers: [String]
    public var rows: [[String]]
    public var maxColumnWidth: Int
    public var rightAligned: Set<Int>

    public init(headers: [String], rows: [[String]] = [], maxColumnWidth: Int = 40, rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.maxColumnWidth = maxColumnWidth
        self.rightAligned = rightAligned
    }

    public func render() -> String {
        let clean = rows.map { $0.map { Sanitize.line($0) } }
        let widths = headers.indices.map { i in
            min(maxColumnWidth, ([headers[i]] + clean.map { i < $0.count ? $0[i] : "" }).map(DisplayWidth.of).max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            headers.indices.map { i in
                DisplayWidth.pad(i < cells.count ? cells[i] : "", to: widths[i], alignRight: rightAligned.contains(i))
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var out = [line(headers.map { Sanitize.line($0) }), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += clean.map(line)
        return out.joined(separator: "\n")
    }
}

/// Label: value lines for one record.
public struct RecordSheet: Sendable {
    public var pairs: [(String, String)]
    public init(_ pairs: [(String, String)]) { self.pairs = pairs }

    public func render() -> String {
        let width = pairs.map { DisplayWidth.of($0.0) }.max() ?? 0
        return pairs.map { label, value in
            let lines = Sanitize.block(value).split(separator: "\n", omittingEmptySubsequences: false)
            let first = DisplayWidth.pad(Sanitize.line(label), to: width) + "  " + (lines.first.map(String.init) ?? "")
            return ([first] + lines.dropFirst().map { String(repeating: " ", count: width + 2) + $0 })
                .joined(separator: "\n").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
