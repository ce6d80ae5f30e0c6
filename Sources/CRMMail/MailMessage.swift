import CRMCore
import CRMText
import Foundation

/// An address as a header shows it: a name (RFC 2047-encoded when it is not
/// plain ASCII) and the address itself.
public struct MailAddress: Sendable, Equatable {
    public var name: String?
    public var email: String

    public init(_ email: String, name: String? = nil) {
        self.email = email.trimmingCharacters(in: .whitespaces)
        self.name = name.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }

    /// "Ion Popescu <ion@firma.ro>" with the name encoded as a header needs it.
    var header: String {
        guard let name else { return email }
        let plain = name.allSatisfy { $0.isASCII && !"\"\\()<>@,;:[]".contains($0) && !$0.isNewline }
        return (plain ? name : MIME.encodedWord(name)) + " <\(email)>"
    }
}

/// A file attached to a message.
public struct MailAttachment: Sendable, Equatable {
    public var name: String
    public var contentType: String
    public var data: [UInt8]

    public init(name: String, contentType: String = "application/octet-stream", data: [UInt8]) {
        self.name = name
        self.contentType = contentType
        self.data = data
    }
}

/// An e-mail as sent: the parties, the subject, a text body (and an HTML
/// alternative), attachments, and the history entry it belongs to. `rendered`
/// gives the RFC 5322 / MIME bytes: UTF-8 headers as RFC 2047 encoded words,
/// multipart/alternative for text and HTML inside multipart/mixed for the
/// attachments, bodies and files in base64, CRLF line ends.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var replyTo: MailAddress?
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [MailAttachment]
    /// The history entry the message is, in the X-CRM-Entry header.
    public var entry: String?
    /// The envelope sender (SMTP MAIL FROM, sendmail -f) when it is not From's address: a campaign's VERP address.
    public var envelopeFrom: String?
    /// More headers, ASCII (List-Unsubscribe, List-Unsubscribe-Post…), name and value, in order.
    public var headers: [[String]] = []
    public var date: Date
    public var messageID: String

    public init(from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], replyTo: MailAddress? = nil, subject: String, text: String,
                html: String? = nil, attachments: [MailAttachment] = [], entry: String? = nil, date: Date = Date(), messageID: String? = nil) {
        self.from = from
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.entry = entry
        self.date = date
        let domain = from.email.split(separator: "@").last.map(String.init) ?? "crm.local"
        self.messageID = messageID ?? "<\(UUID().uuidString.lowercased())@\(domain)>"
    }

    /// Everyone the message goes to (To and Cc).
    public var recipients: [String] { (to + cc).map(\.email) }

    public func rendered() -> [UInt8] {
        var head: [(String, String)] = [
            ("Date", MIME.date(date)), ("From", from.header), ("To", to.map(\.header).joined(separator: ", ")),
        ]
        if !cc.isEmpty { head.append(("Cc", cc.map(\.header).joined(separator: ", "))) }
        if let replyTo { head.append(("Reply-To", replyTo.header)) }
        head.append(("Subject", MIME.header(subject)))
        head.append(("Message-ID", messageID))
        if let entry { head.append(("X-CRM-Entry", entry)) }
        head += headers.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
        head.append(("MIME-Version", "1.0"))
        var out = head.map { MIME.folded($0.0 + ": " + $0.1) }.joined()
        var body = MIME.Part.text(text, subtype: "plain")
        if let html { body = .multipart("alternative", [body, .text(html, subtype: "html")]) }
        if !attachments.isEmpty { body = .multipart("mixed", [body] + attachments.map(MIME.Part.file)) }
        out += body.rendered(boundaryIndex: 0)
        return Array(out.utf8)
    }
}

/// The pieces of MIME messages are made of.
enum MIME {
    indirect enum Part {
        case text(String, subtype: String)
        case file(MailAttachment)
        case multipart(String, [Part])

        /// The part's headers, a blank line, its body (CRLF line ends).
        func rendered(boundaryIndex: Int) -> String {
            switch self {
            case .text(let text, let subtype):
                let normal = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
                return "Content-Type: text/\(subtype); charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + base64Lines(Array(normal.utf8))
            case .file(let file):
                return "Content-Type: \(file.contentType); name=\"\(encodedWord(file.name))\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; filename*=UTF-8''\(percentEncoded(file.name))\r\n\r\n"
                    + base64Lines(file.data)
            case .multipart(let subtype, let parts):
                let boundary = "=_crm_\(boundaryIndex)_\(UUID().uuidString.prefix(8))"
                var out = "Content-Type: multipart/\(subtype); boundary=\"\(boundary)\"\r\n\r\n"
                for part in parts { out += "--\(boundary)\r\n" + part.rendered(boundaryIndex: boundaryIndex + 1) }
                return out + "--\(boundary)--\r\n"
            }
        }
    }

    /// A header value: as it is when plain ASCII, else RFC 2047 encoded words.
    static func header(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return clean.allSatisfy(\.isASCII) ? clean : encodedWord(clean)
    }

    /// "=?UTF-8?B?…?=" words of at most 75 characters, never splitting a character.
    static func encodedWord(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: " ")
    }

    /// A header line folded before 78 characters at spaces, CRLF-terminated.
    static func folded(_ line: String) -> String {
        guard line.count > 76 else { return line + "\r\n" }
        var out = "", current = ""
        for (index, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            // The header's name keeps its first word beside it.
            if index > 1 && !current.isEmpty && current.count + 1 + word.count > 76 {
                out += current + "\r\n"
                current = " " + word
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        return out + current + "\r\n"
    }

    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Data(bytes).base64EncodedString()
        var out = ""
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            out += encoded[index..<end] + "\r\n"
            index = end
        }
        return out
    }

    /// RFC 2231's %XX form of a file name.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-._~".contains(c)) { out.append(c) } else { out += String(format: "%%%02X", byte) }
        }
        return out
    }

    /// RFC 5322's date: "Sun, 29 Nov 2026 15:50:00 +0000".
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
