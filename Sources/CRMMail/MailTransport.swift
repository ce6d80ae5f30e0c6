import CCurl
import CRMCore
import Foundation

/// Why a message was not sent, in words a person can act on.
public struct MailError: Error, Sendable, Equatable {
    public let message: Localized
    /// The server's reply code when it answered (451, 550…); nil when it was not reached.
    public let reply: Int?
    public init(_ message: Localized, reply: Int? = nil) { self.message = message; self.reply = reply }

    /// A refusal for now (4xx: greylisting, throttling, a full queue) or no server reached: try again later.
    public var isTemporary: Bool { reply.map { (400..<500).contains($0) } ?? true }
}

/// How messages leave: an SMTP server (plain, STARTTLS or TLS, with or
/// without a login), or the local sendmail.
public enum MailTransport: Sendable, Equatable {
    public enum Security: String, Sendable, CaseIterable { case none, starttls, tls }

    case smtp(host: String, port: Int, security: Security, user: String?, password: String?, timeout: Int)
    case sendmail(path: String)

    /// Sends messages one after another over one connection (SMTP) — each
    /// one's outcome, in order.
    public func send(_ messages: [MailMessage]) -> [Result<Void, MailError>] {
        let session = session()
        return messages.map { session.send($0) }
    }

    /// A sending session: over SMTP one connection, reused for every message sent through it.
    public func session() -> MailSession { MailSession(self) }
}

/// Messages sent one after another through one transport (one SMTP connection, kept open between them).
public final class MailSession: @unchecked Sendable {
    private let transport: MailTransport
    private let smtp: SMTPSession?

    init(_ transport: MailTransport) {
        self.transport = transport
        if case .smtp(let host, let port, let security, let user, let password, let timeout) = transport {
            smtp = SMTPSession(host: host, port: port, security: security, user: user, password: password, timeout: timeout)
        } else {
            smtp = nil
        }
    }

    public func send(_ message: MailMessage) -> Result<Void, MailError> {
        if case .sendmail(let path) = transport { return Sendmail.send(message, path: path) }
        return smtp!.send(message)
    }
}

/// SMTP through libcurl: one easy handle for a batch, so the connection is reused.
final class SMTPSession {
    private let curl: UnsafeMutableRawPointer?
    private let url: String
    private let security: MailTransport.Security
    private let user: String?
    private let password: String?
    private let timeout: Int

    private static let global: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    init(host: String, port: Int, security: MailTransport.Security, user: String?, password: String?, timeout: Int) {
        _ = Self.global
        curl = curl_easy_init()
        url = (security == .tls ? "smtps://" : "smtp://") + host + ":" + String(port)
        self.security = security
        self.user = user
        self.password = password
        self.timeout = timeout
    }

    deinit { if let curl { curl_easy_cleanup(curl) } }

    /// The bytes being uploaded and how far the upload is.
    final class Upload {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    func send(_ message: MailMessage) -> Result<Void, MailError> {
        guard let curl else { return .failure(MailError(Localized(ro: "libcurl nu a pornit", en: "libcurl did not start"))) }
        guard !message.recipients.isEmpty else {
            return .failure(MailError(Localized(ro: "mesajul nu are destinatari", en: "the message has no recipients")))
        }
        let upload = Upload(message.rendered())
        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in message.recipients { recipients = curl_slist_append(recipients, "<\(address)>") }
        defer { curl_slist_free_all(recipients) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            crm_curl_string(curl, CURLOPT_URL, url)
            crm_curl_string(curl, CURLOPT_MAIL_FROM, "<\(message.envelopeFrom ?? message.from.email)>")
            crm_curl_list(curl, CURLOPT_MAIL_RCPT, recipients)
            if security == .starttls { crm_curl_long(curl, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
            if let user, !user.isEmpty { crm_curl_string(curl, CURLOPT_USERNAME, user) }
            if let password, !password.isEmpty { crm_curl_string(curl, CURLOPT_PASSWORD, password) }
            crm_curl_long(curl, CURLOPT_UPLOAD, 1)
            crm_curl_long(curl, CURLOPT_CONNECTTIMEOUT, timeout)
            crm_curl_long(curl, CURLOPT_TIMEOUT, timeout * 4)
            crm_curl_long(curl, CURLOPT_NOSIGNAL, 1)
            crm_curl_pointer(curl, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            crm_curl_pointer(curl, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque())
            crm_curl_reader(curl) { target, size, count, userdata in
                guard let target, let userdata else { return 0 }
                let upload = Unmanaged<SMTPSession.Upload>.fromOpaque(userdata).takeUnretainedValue()
                let room = size * count
                let n = min(room, upload.bytes.count - upload.offset)
                upload.bytes.withUnsafeBytes { raw in
                    if n > 0 { memcpy(target, raw.baseAddress! + upload.offset, n) }
                }
                upload.offset += n
                return n
            }
            return curl_easy_perform(curl)
        }
        guard code == CURLE_OK else {
            let said = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let detail = said.isEmpty ? String(cString: curl_easy_strerror(code)) : said
            let reply = crm_curl_response_code(curl)
            return .failure(MailError(Self.describe(code, detail: detail, url: url), reply: reply >= 200 ? reply : nil))
        }
        return .success(())
    }

    /// A libcurl failure in words: connection, login, refusal, timeout.
    static func describe(_ code: CURLcode, detail: String, url: String) -> Localized {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST:
            return Localized(ro: "nu s-a putut conecta la serverul de e-mail \(url) (\(detail)); verificați Setări e-mail",
                             en: "could not connect to the mail server \(url) (\(detail)); check the e-mail settings")
        case CURLE_LOGIN_DENIED:
            return Localized(ro: "serverul de e-mail a refuzat autentificarea (\(detail)); verificați utilizatorul și parola",
                             en: "the mail server refused the login (\(detail)); check the user and password")
        case CURLE_OPERATION_TIMEDOUT:
            return Localized(ro: "serverul de e-mail nu a răspuns la timp (\(detail))", en: "the mail server did not answer in time (\(detail))")
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION:
            return Localized(ro: "conexiunea securizată cu serverul de e-mail a eșuat (\(detail))",
                             en: "the secure connection to the mail server failed (\(detail))")
        default:
            return Localized(ro: "serverul de e-mail a refuzat mesajul (\(detail))", en: "the mail server refused the message (\(detail))")
        }
    }
}

/// The local sendmail (`sendmail -t -i`): the message on its input, its status the answer.
enum Sendmail {
    static func send(_ message: MailMessage, path: String) -> Result<Void, MailError> {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return .failure(MailError(Localized(ro: "nu există \(path); instalați un MTA sau folosiți un server SMTP",
                                                en: "there is no \(path); install an MTA or use an SMTP server")))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-t", "-i"] + (message.envelopeFrom.map { ["-f", $0] } ?? [])
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            return .failure(MailError(Localized(ro: "\(path) nu a pornit: \(error)", en: "\(path) did not start: \(error)")))
        }
        // A sendmail that ends before reading the whole message must not end this
        // program by SIGPIPE: the write fails instead, and its status says why.
        signal(SIGPIPE, SIG_IGN)
        try? input.fileHandleForWriting.write(contentsOf: Data(message.rendered()))
        try? input.fileHandleForWriting.close()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(MailError(Localized(ro: "\(path) a refuzat mesajul (\(process.terminationStatus)): \(said)",
                                                en: "\(path) refused the message (\(process.terminationStatus)): \(said)")))
        }
        return .success(())
    }
}
