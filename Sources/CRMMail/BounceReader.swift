import CRMCore
import Foundation

/// A delivery report (RFC 3464) read from a bounce message: for each failed
/// recipient its address, status and diagnostic, and — when the original
/// message or its headers came back attached — the X-CRM-Entry that names the
/// campaign recipient (or history e-mail) it was.
public struct Bounce: Sendable, Equatable {
    public var recipient: String?
    public var status: String
    public var action: String
    public var diagnostic: String?
    public var entry: String?

    /// 5.x.x: the address will not take mail (hard); 4.x.x or "delayed": for now (soft).
    public var isHard: Bool { status.hasPrefix("5") && action.lowercased() != "delayed" }
}

/// Reads bounce messages from a Maildir (new/ and cur/) or an mbox file,
/// written by hand: the few RFC 3464 fields needed, from any MTA's report
/// (multipart/report with message/delivery-status, the original attached as
/// message/rfc822 or text/rfc822-headers), and ordinary mail left out.
public enum BounceReader {
    /// Every message of a Maildir or mbox, as text.
    public static func messages(maildir: String? = nil, mbox: String? = nil) throws -> [String] {
        var out: [String] = []
        if let maildir {
            for sub in ["new", "cur"] {
                let dir = (maildir as NSString).appendingPathComponent(sub)
                for name in (try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted() ?? [] {
                    if let data = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent(name)) {
                        out.append(String(decoding: data, as: UTF8.self))
                    }
                }
            }
        }
        if let mbox {
            guard let data = FileManager.default.contents(atPath: mbox) else {
                throw MailError(Localized(ro: "fișierul mbox «\(mbox)» nu există sau nu se poate citi", en: "the mbox file «\(mbox)» does not exist or cannot be read"))
            }
            var current: [Substring] = []
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("From ") && (current.isEmpty || current.last == "") {
                    if !current.isEmpty { out.append(current.joined(separator: "\n")) }
                    current = []
                    continue
                }
                // mboxrd: ">From " lines were quoted.
                current.append(line.hasPrefix(">From ") ? line.dropFirst() : line)
            }
            if !current.isEmpty { out.append(current.joined(separator: "\n")) }
        }
        return out
    }

    /// The failed recipients a message reports; empty for a message that is not a delivery report.
    public static func bounces(in message: String) -> [Bounce] {
        let text = message.replacingOccurrences(of: "\r\n", with: "\n")
        guard let blank = text.range(of: "\n\n") else { return [] }
        let head = unfolded(String(text[..<blank.lowerBound]))
        let contentType = header("Content-Type", in: head)?.lowercased() ?? ""
        let subject = header("Subject", in: head)?.lowercased() ?? ""
        let isReport = contentType.contains("multipart/report") || text.lowercased().contains("content-type: message/delivery-status")
        guard isReport || subject.contains("undeliver") || subject.contains("delivery status") || subject.contains("returned mail") else { return [] }
        // The returned message's X-CRM-Entry, else the VERP address the report was sent back to.
        let entry = firstMatch(#"(?im)^X-CRM-Entry:\s*([0-9a-f-]{36})"#, in: text)
            ?? firstMatch(#"(?im)^(?:Delivered-To|X-Original-To|Envelope-To|To|Return-Path):[^\n]*?\+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@"#,
                          in: head)
        // The per-recipient fields of the delivery-status part: blocks that name a recipient.
        var out: [Bounce] = []
        for block in text.components(separatedBy: "\n\n") {
            let fields = unfolded(block)
            guard let recipient = header("Final-Recipient", in: fields) ?? header("Original-Recipient", in: fields),
                  let status = header("Status", in: fields) else { continue }
            let address = recipient.split(separator: ";").last.map { $0.trimmingCharacters(in: .whitespaces) }
            out.append(Bounce(recipient: address?.lowercased(), status: status.trimmingCharacters(in: .whitespaces),
                              action: header("Action", in: fields)?.trimmingCharacters(in: .whitespaces) ?? "failed",
                              diagnostic: header("Diagnostic-Code", in: fields), entry: entry))
        }
        // A report without delivery-status fields (some MTAs): the original's entry and a 5.x.x in its words.
        if out.isEmpty, let entry {
            let status = firstMatch(#"\b([45]\.\d{1,3}\.\d{1,3})\b"#, in: text) ?? "5.0.0"
            out.append(Bounce(recipient: nil, status: status, action: "failed", diagnostic: nil, entry: entry))
        }
        return out
    }

    static func unfolded(_ block: String) -> String {
        block.replacingOccurrences(of: "\n ", with: " ").replacingOccurrences(of: "\n\t", with: " ")
    }

    static func header(_ name: String, in block: String) -> String? {
        for line in block.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased() else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), match.numberOfRanges > 1,
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}
