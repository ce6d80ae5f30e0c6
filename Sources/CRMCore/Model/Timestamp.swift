import Foundation

/// Stored times are milliseconds since the Unix epoch, UTC; shown as ISO 8601 with "Z".
public enum Timestamp {
    public static func iso(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
}
