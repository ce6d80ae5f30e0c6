import CRMStore
import CRMText
import Foundation

/// Turns what a person typed into a stored value, or says why it cannot.
/// Shared by every entry point, so a value means the same from the CLI, a form,
/// an import or a web form.
enum FieldRules {
    /// Trimmed text in the canonical Romanian form (ș ț with comma); empty is NULL.
    static func text(_ raw: String, field: String, max: Int, issues: inout [ValidationIssue]) -> Value {
        let s = Diacritics.canonical(raw.trimmed())
        if s.isEmpty { return .null }
        if s.count > max { issues.append(.init(field: field, value: "", reason: .tooLong(max: max))); return .null }
        return .text(s)
    }

    static func bool(_ raw: String) -> Bool? {
        switch Fold.key(raw) {
        case "1", "da", "d", "yes", "y", "true", "adevarat", "x": return true
        case "0", "nu", "n", "no", "false", "fals", "": return false
        default: return nil
        }
    }

    /// A decimal number written with a point or a comma, with optional thousands
    /// separators (space, or the other of point and comma): "1 234,50", "1,234.50".
    static func decimal(_ raw: String) -> Decimal? {
        var s = raw.trimmed().replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "\u{00A0}", with: "")
        guard !s.isEmpty else { return nil }
        let lastComma = s.lastIndex(of: ","), lastPoint = s.lastIndex(of: ".")
        if let c = lastComma, let p = lastPoint {
            if c > p { s = s.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".") }
            else { s = s.replacingOccurrences(of: ",", with: "") }
        } else if lastComma != nil {
            s = s.replacingOccurrences(of: ",", with: ".")
        }
        // A sign only in front: "100-200" is not a number (Decimal would read 100 and drop the rest).
        let body = s.first == "+" || s.first == "-" ? String(s.dropFirst()) : s
        guard body.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }), body.filter({ $0 == "." }).count <= 1,
              body.contains(where: \.isNumber) else { return nil }
        return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// YYYY-MM-DD or DD.MM.YYYY (also with / or -), checked against the calendar.
    static func date(_ raw: String) -> String? {
        let s = raw.trimmed()
        let parts = s.split(whereSeparator: { $0 == "-" || $0 == "." || $0 == "/" }).map(String.init)
        guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else { return nil }
        let (y, m, d) = parts[0].count == 4 ? (a, b, c) : (c, b, a)
        guard (1900...2200).contains(y), (1...12).contains(m) else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard (1...days).contains(d) else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// A date and time in the session's time zone — "YYYY-MM-DD HH:MM" or
    /// "DD.MM.YYYY HH:MM" (seconds optional) — as milliseconds since the
    /// epoch, UTC.
    static func dateTime(_ raw: String, in zone: TimeZone = .current) -> Int64? {
        let parts = raw.trimmed().split(whereSeparator: { $0 == " " || $0 == "T" }).map(String.init)
        guard parts.count == 2, let day = date(parts[0]) else { return nil }
        let time = parts[1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(time.count), time.allSatisfy({ $0 != nil }) else { return nil }
        let (h, m, s) = (time[0]!, time[1]!, time.count == 3 ? time[2]! : 0)
        guard (0...23).contains(h), (0...59).contains(m), (0...59).contains(s) else { return nil }
        let ymd = day.split(separator: "-").map { Int($0)! }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let date = calendar.date(from: DateComponents(year: ymd[0], month: ymd[1], day: ymd[2], hour: h, minute: m, second: s))
        else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// A custom column value by the column's type. Money is kept exact, as an
    /// integer number of bani (hundredths).
    static func custom(_ raw: String, column: CustomColumnRecord, issues: inout [ValidationIssue]) -> Value {
        let field = column.key
        let trimmed = raw.trimmed()
        if trimmed.isEmpty { return .null }
        switch CustomColumnType(rawValue: column.type) ?? .text {
        case .text:
            return text(trimmed, field: field, max: 2000, issues: &issues)
        case .number:
            guard let d = decimal(trimmed) else {
                issues.append(.init(field: field, value: raw, reason: .invalidNumber)); return .null
            }
            if d == d.rounded(0), let i = Int64(exactly: NSDecimalNumber(decimal: d).int64Value),
               Decimal(i) == d { return .int(i) }
            return .real(NSDecimalNumber(decimal: d).doubleValue)
        case .money:
            guard let d = decimal(trimmed), d.rounded(2) == d else {
                issues.append(.init(field: field, value: raw, reason: .invalidNumber)); return .null
            }
            return .int(NSDecimalNumber(decimal: d * 100).int64Value)
        case .date:
            guard let iso = date(trimmed) else {
                issues.append(.init(field: field, value: raw, reason: .invalidDate)); return .null
            }
            return .text(iso)
        case .bool:
            guard let b = bool(trimmed) else {
                issues.append(.init(field: field, value: raw, reason: .invalidBool)); return .null
            }
            return .bool(b)
        case .choice:
            let choices = CustomColumns.choices(of: column)
            guard let match = choices.first(where: { Fold.key($0) == Fold.key(trimmed) }) else {
                issues.append(.init(field: field, value: raw, reason: .invalidChoice(allowed: choices))); return .null
            }
            return .text(match)
        }
    }
}

/// Exact money: an integer number of bani (hundredths of the unit).
public enum Money {
    /// A whole number divided and rounded to the nearest, halves away from zero (the ban of a product or a rate).
    public static func divided(_ value: Int64, by divisor: Int64) -> Int64 {
        let (q, r) = value.magnitude.quotientAndRemainder(dividingBy: UInt64(divisor))
        let rounded = Int64(q) + (r * 2 >= UInt64(divisor) ? 1 : 0)
        return value < 0 ? -rounded : rounded
    }

    /// "1234.56", "-0.05": the amount with a decimal point and two decimals.
    public static func text(_ bani: Int64) -> String {
        let a = bani.magnitude
        return (bani < 0 ? "-" : "") + "\(a / 100)." + (a % 100 < 10 ? "0" : "") + "\(a % 100)"
    }
}

/// Quantities are kept in thousandths (three decimals), exact.
public enum Quantity {
    /// A quantity as written: 2, 1.5, 0.125 — no trailing zeros.
    public static func text(_ thousandths: Int64) -> String {
        let a = thousandths.magnitude
        let whole = a / 1000, rest = a % 1000
        let sign = thousandths < 0 ? "-" : ""
        guard rest != 0 else { return sign + "\(whole)" }
        var decimals = String(rest + 1000).dropFirst()
        while decimals.hasSuffix("0") { decimals.removeLast() }
        return sign + "\(whole).\(decimals)"
    }
}

extension Decimal {
    func rounded(_ scale: Int) -> Decimal {
        var input = self, output = Decimal()
        NSDecimalRound(&output, &input, scale, .plain)
        return output
    }
}

/// Reading custom column definitions.
public enum CustomColumns {
    public static func choices(of column: CustomColumnRecord) -> [String] {
        guard let text = column.choices, let data = text.data(using: .utf8),
              let list = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return list
    }

    /// The display text of a stored custom value.
    public static func display(_ value: Value, column: CustomColumnRecord?) -> String {
        switch (value, CustomColumnType(rawValue: column?.type ?? "text")) {
        case (.null, _): return ""
        case (.int(let bani), .money?):
            return Money.text(bani)
        case (.int(let i), .bool?): return i != 0 ? "da" : "nu"
        default: return value.text ?? ""
        }
    }
}

/// Calendar days as people type them.
public enum Days {
    /// YYYY-MM-DD from "2026-11-29" or "29.11.2026"; nil when it is no day.
    public static func parse(_ text: String) -> String? { FieldRules.date(text.trimmed()) }

    /// A day (YYYY-MM-DD) moved by some days (back when negative).
    public static func adding(_ days: Int, to iso: String) -> String { OfferRules.day(iso, plus: days) }
}
