import Foundation

/// A calendar day (YYYY-MM-DD): the program's one day arithmetic — offers'
/// validity, demo dates, spreadsheet serial days, the dashboard's intervals.
public struct Day: Sendable, Equatable, Comparable {
    public let year: Int, month: Int, day: Int

    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    public init?(_ text: String) {
        let p = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, (1...12).contains(p[1]), p[2] >= 1 else { return nil }
        self.init(year: p[0], month: p[1], day: p[2])
        guard day <= daysInMonth else { return nil }
    }

    public var text: String { String(format: "%04d-%02d-%02d", year, month, day) }

    var daysInMonth: Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian; the one day arithmetic of the program).
    public var daysSince1970: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSince1970 z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    public func adding(days n: Int) -> Day { Day(daysSince1970: daysSince1970 + n) }

    /// 1 Monday … 7 Sunday.
    public var weekday: Int { ((daysSince1970 % 7) + 7 + 3) % 7 + 1 }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
