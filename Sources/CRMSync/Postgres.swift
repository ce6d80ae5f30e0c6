import CLibPQ
import CRMText
import Foundation

/// What PostgreSQL (or the way to it) refused, with its SQLSTATE when it has one.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let sqlState: String?

    public var description: String { message }
}

/// One connection to PostgreSQL through libpq. Text in, text out: every
/// parameter and value goes as text, as libpq's text protocol has it. Not
/// shared between threads.
public final class PostgresConnection {
    private let conn: OpaquePointer

    /// Connects to `url` (a libpq URI or key=value string: TLS by its
    /// `sslmode`), with the password given here (else PGPASSWORD or ~/.pgpass,
    /// as libpq looks them up), giving up after `timeout` seconds.
    public init(url: String, password: String? = nil, timeout: Int = 10) throws {
        var keys = ["dbname", "connect_timeout", "application_name"]
        var values = [url, String(timeout), "crm"]
        if let password { keys.append("password"); values.append(password) }
        let k = keys.map { strdup($0) }
        let v = values.map { strdup($0) }
        defer { (k + v).forEach { free($0) } }
        var kp: [UnsafePointer<CChar>?] = k.map { UnsafePointer($0) } + [nil]
        var vp: [UnsafePointer<CChar>?] = v.map { UnsafePointer($0) } + [nil]
        guard let conn = PQconnectdbParams(&kp, &vp, 1) else {
            throw PostgresError(message: "out of memory connecting to PostgreSQL", sqlState: nil)
        }
        self.conn = conn
        guard PQstatus(conn) == CONNECTION_OK else {
            // deinit closes it: every stored property is set.
            throw PostgresError(message: Self.clean(String(cString: PQerrorMessage(conn))), sqlState: nil)
        }
        _ = try execute("SET client_encoding = 'UTF8'")
        // Notices ("… does not exist, skipping") are not for the person at the terminal.
        _ = try execute("SET client_min_messages = warning")
    }

    deinit { PQfinish(conn) }

    /// The server process serving this connection.
    public var backendPID: Int32 { PQbackendPID(conn) }

    /// Runs one statement with text parameters ($1, $2…; nil: NULL); returns its rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        let result = PQexecParams(conn, sql, Int32(parameters.count), nil, &pointers, nil, nil, 0)
        defer { PQclear(result) }
        return try rows(result)
    }

    /// Sends rows to a `COPY … FROM STDIN` (text format: tab-separated, `\N` for NULL, see `copyField`).
    public func copy(_ sql: String, data: String) throws {
        let start = PQexec(conn, sql)
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            _ = try rows(start)
            throw PostgresError(message: "PostgreSQL did not start the copy", sqlState: nil)
        }
        PQclear(start)
        var bytes = Array(data.utf8)
        let sent = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { PQputCopyData(conn, $0, Int32(buffer.count)) }
        }
        guard sent == 1, PQputCopyEnd(conn, nil) == 1 else { throw connectionError() }
        while let result = PQgetResult(conn) {
            defer { PQclear(result) }
            _ = try rows(result)
        }
    }

    /// A field of a COPY row in text format.
    public static func copyField(_ value: String?) -> String {
        guard let value else { return "\\N" }
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for ch in value.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Waits up to `seconds` for a notification on a channel this connection
    /// listens on; returns the channels that notified (empty: none came).
    public func waitForNotifications(seconds: Double) throws -> [String] {
        var channels = try drainNotifications()
        if !channels.isEmpty { return channels }
        var fd = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
        let ready = poll(&fd, 1, Int32(seconds * 1000))
        if ready < 0 && errno != EINTR { throw PostgresError(message: String(cString: strerror(errno)), sqlState: nil) }
        if ready > 0 {
            guard PQconsumeInput(conn) == 1 else { throw connectionError() }
            channels = try drainNotifications()
        }
        return channels
    }

    private func drainNotifications() throws -> [String] {
        var channels: [String] = []
        while let notify = PQnotifies(conn) {
            channels.append(String(cString: notify.pointee.relname))
            PQfreemem(notify)
        }
        return channels
    }

    private func rows(_ result: OpaquePointer?) throws -> [[String?]] {
        guard let result else { throw connectionError() }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_COPY_IN else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            var message = String(cString: PQresultErrorMessage(result))
            if message.isEmpty { message = String(cString: PQerrorMessage(conn)) }
            throw PostgresError(message: Self.clean(message), sqlState: state)
        }
        let (n, m) = (PQntuples(result), PQnfields(result))
        var out: [[String?]] = []
        out.reserveCapacity(Int(n))
        for r in 0..<n {
            var row: [String?] = []
            row.reserveCapacity(Int(m))
            for c in 0..<m {
                row.append(PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c)))
            }
            out.append(row)
        }
        return out
    }

    private func connectionError() -> PostgresError {
        PostgresError(message: Self.clean(String(cString: PQerrorMessage(conn))), sqlState: nil)
    }

    /// libpq's message on one line, without its "ERROR:" prefix and control characters.
    static func clean(_ message: String) -> String {
        let oneLine = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        var text = Sanitize.line(oneLine)
        for prefix in ["ERROR:  ", "FATAL:  "] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        return text.isEmpty ? "the connection to PostgreSQL failed" : text
    }

    /// The address with any password in it replaced, for messages and logs.
    public static func redacted(_ url: String) -> String {
        // URI form: scheme://user:password@host…
        if let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") {
            let userInfo = url[scheme.upperBound..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                return String(url[..<colon]) + ":***" + String(url[at...])
            }
        }
        // key=value form, and a password= query parameter.
        var out = url
        while let range = out.range(of: "password=", options: .caseInsensitive) {
            let end = out[range.upperBound...].firstIndex(where: { $0 == "&" || $0 == " " }) ?? out.endIndex
            if out[range.upperBound..<end] == "***" { break }
            out.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return out
    }

    /// Whether the address carries a password (refused: it would show in the process list and the shell's history).
    public static func hasPassword(_ url: String) -> Bool { redacted(url) != url }
}
