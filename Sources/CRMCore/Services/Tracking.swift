import CSodium
import CRMStore
import CRMText
import Foundation

/// What a tracking address stands for: the open pixel of an e-mail, or one of
/// its links (the address it leads to is part of what is signed, so the
/// redirect leads only where the message's own link led).
public enum TrackingTarget: Sendable, Equatable {
    case open(email: String)
    case click(email: String, link: Int, url: String)
    /// A campaign recipient's unsubscribe address.
    case unsubscribe(recipient: String)

    public var email: String {
        switch self {
        case .open(let email), .click(let email, _, _), .unsubscribe(let email): return email
        }
    }
}

/// Signs and checks tracking tokens: the target, base64url, a dot, and its
/// HMAC-SHA-256 (libsodium) under a key derived from the database's secret key
/// file, so only those who may open the database can make one. A token changed
/// by one character, or made with another key, is refused.
public struct TrackingSigner: Sendable {
    private let key: [UInt8]

    /// The longest token taken (a link's address is inside it).
    public static let maxTokenLength = 4096

    public init(key secret: [UInt8]) {
        var derived = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        let context = Array("crm e-mail tracking v1".utf8)
        _ = sodium_init()
        crypto_auth_hmacsha256(&derived, context, UInt64(context.count), secret)
        key = derived
    }

    /// The signer of the database at `path` (its key file beside it, made on first use).
    public init(databasePath path: String) throws {
        self.init(key: try SecretKeyFile(path: path).key())
    }

    public func token(_ target: TrackingTarget) -> String {
        let payload: String
        switch target {
        case .open(let email): payload = "o\n" + email
        case .unsubscribe(let recipient): payload = "u\n" + recipient
        case .click(let email, let link, let url): payload = "c\n" + email + "\n" + String(link) + "\n" + url
        }
        let bytes = Array(payload.utf8)
        return Self.base64url(bytes) + "." + Self.base64url(mac(bytes))
    }

    /// The target of a genuine token; nil for a forged, changed or malformed one.
    public func verify(_ token: String) -> TrackingTarget? {
        guard token.utf8.count <= Self.maxTokenLength else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.bytes(base64url: parts[0]), let signature = Self.bytes(base64url: parts[1]),
              signature.count == Int(crypto_auth_hmacsha256_BYTES) else { return nil }
        let expected = mac(payload)
        guard sodium_memcmp(expected, signature, expected.count) == 0 else { return nil }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch fields.first {
        case "o" where fields.count == 2 && RowUUID(fields[1]) != nil:
            return .open(email: fields[1])
        case "u" where fields.count == 2 && RowUUID(fields[1]) != nil:
            return .unsubscribe(recipient: fields[1])
        case "c" where fields.count == 4 && RowUUID(fields[1]) != nil:
            guard let link = Int(fields[2]), TrackedHTML.isTrackable(fields[3]) else { return nil }
            return .click(email: fields[1], link: link, url: fields[3])
        default:
            return nil
        }
    }

    private func mac(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        var state = crypto_auth_hmacsha256_state()
        crypto_auth_hmacsha256_init(&state, key, key.count)
        crypto_auth_hmacsha256_update(&state, bytes, UInt64(bytes.count))
        crypto_auth_hmacsha256_final(&state, &out)
        return out
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func bytes(base64url text: Substring) -> [UInt8]? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        // One spelling per token: bits past the last byte must be zero.
        guard let bytes = Data(base64Encoded: standard).map({ [UInt8]($0) }), base64url(bytes) == text else { return nil }
        return bytes
    }
}

/// The HTML of a tracked e-mail: each web link led through `crm serve` (a
/// signed click address), and an open pixel at the end.
public enum TrackedHTML {
    /// The public paths of `crm serve`.
    public static let openPath = "/t/o/", clickPath = "/t/c/", unsubscribePath = "/u/"

    /// Whether a link is followed through the service: web addresses only
    /// (not mailto:, tel:, anchors), without spaces or control characters.
    public static func isTrackable(_ url: String) -> Bool {
        let lower = url.lowercased()
        return (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && url.count > 8 && url.utf8.count < 2048
            && !url.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    }

    public static func instrument(_ html: String, email: String, baseURL: String, signer: TrackingSigner) -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var out = "", rest = Substring(html), link = 0
        // href="…" or href='…', any case; the address taken as the browser would (entities decoded).
        while let found = rest.range(of: "href=", options: .caseInsensitive) {
            out += rest[..<found.upperBound]
            rest = rest[found.upperBound...]
            guard let quote = rest.first, quote == "\"" || quote == "'", let end = rest.dropFirst().firstIndex(of: quote) else { continue }
            let raw = String(rest[rest.index(after: rest.startIndex)..<end])
            let url = decodeEntities(raw)
            if isTrackable(url) {
                link += 1
                out += String(quote) + base + clickPath + signer.token(.click(email: email, link: link, url: url)) + String(quote)
            } else {
                out += rest[...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        out += rest
        let pixel = "<img src=\"\(base)\(openPath)\(signer.token(.open(email: email))).gif\" width=\"1\" height=\"1\" alt=\"\" style=\"border:0\">"
        if let close = out.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
            out.insert(contentsOf: pixel, at: close.lowerBound)
        } else {
            out += pixel
        }
        return out
    }

    /// A text message as HTML (so that it can carry the pixel): escaped, its
    /// paragraphs kept, its web addresses made links.
    public static func html(ofText text: String) -> String {
        let paragraphs = text.components(separatedBy: "\n\n").map { paragraph -> String in
            let lines = paragraph.components(separatedBy: "\n").map { line -> String in
                line.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
                    // An address stands between the punctuation around it: «(https://firma.ro/a).», «<https://firma.ro>».
                    let lead = word.prefix(while: { "(«\"'<[".contains($0) })
                    let body = word.dropFirst(lead.count)
                    let address = String(body.reversed().drop(while: { ".,;:!?)»\"'>]".contains($0) }).reversed())
                    guard isTrackable(address) else { return escape(String(word)) }
                    return escape(String(lead)) + "<a href=\"\(escape(address))\">\(escape(address))</a>" + escape(String(body.dropFirst(address.count)))
                }.joined(separator: " ")
            }
            return "<p>" + lines.joined(separator: "<br>\n") + "</p>"
        }
        return "<html><body>\n" + paragraphs.joined(separator: "\n") + "\n</body></html>\n"
    }

    /// Text made safe inside HTML (content or a quoted attribute).
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func decodeEntities(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
