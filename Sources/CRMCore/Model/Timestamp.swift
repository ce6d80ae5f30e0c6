import Foundation

/// Stored times are milliseconds since the Unix epoch, UTC; shown as ISO 8601 with "Z".
public enum Timestamp {
    public static func iso(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }

    /// The moment in the session's time zone, to the minute, the zone named:
    /// "2026-11-29 10:32 EET".
    public static func local(_ millis: Int64, in zone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        let name = zone.abbreviation(for: date) ?? zone.identifier
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)) \(name)"
    }

    /// The first millisecond of a day (YYYY-MM-DD) in the session's time zone.
    public static func startOfDay(_ day: String, in zone: TimeZone = .current) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let p = day.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, let date = calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2])) else { return 0 }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
