import CRMCore
import Foundation
import Hummingbird
import NIOCore

/// The web forms' side of the service. GET `/f/TOKEN` shows the form (the
/// designer's "Accesează formular"); POST takes a submission
/// (`application/x-www-form-urlencoded`, at most 16 KiB) and answers it as a
/// page (or a 303 to the form's own success or error address) or, asked with
/// `Accept: application/json` (the snippet's script), as JSON; OPTIONS answers
/// the CORS preflight of the form's one site. A submission from another site's
/// page is refused when the form names its site; one address may send
/// `formRate` a minute. The core checks and stores it, in one transaction.
extension WebService {
    static let formPath = WebFormHTML.path
    static let maxFormBody = 16 * 1024

    func addForms(to router: Router<ServiceContext>) {
        let crm = self.crm
        let limiter = RateLimiter(perMinute: formRate)
        let forwarded = self.forwarded
        let queue = DispatchQueue(label: "crm.forms")
        /// The core's calls block on the file: they run off the event loops, one at a time.
        @Sendable func core<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
            try await withCheckedThrowingContinuation { done in queue.async { done.resume(with: Result { try body() }) } }
        }
        router.get("/f/:token") { _, context -> Response in
            let token = context.parameters.get("token") ?? ""
            guard let form = try await core({ try crm.webForm(token: token) }) else { return Self.notFound }
            var headers = Self.pageHeaders
            headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'self'"
            let html = WebFormHTML.page(form, action: Self.formPath + form.token)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.on("/f/:token", method: .options) { request, context -> Response in
            let token = context.parameters.get("token") ?? ""
            guard let form = try await core({ try crm.webForm(token: token) }) else { return Self.notFound }
            var headers = HTTPFields()
            headers[.vary] = "Origin"
            guard let origin = request.headers[.origin], origin == form.definition.site else {
                return Response(status: .forbidden, headers: headers)
            }
            headers[.accessControlAllowOrigin] = origin
            headers[.accessControlAllowMethods] = "POST"
            headers[.accessControlAllowHeaders] = "Content-Type, Accept"
            headers[.accessControlMaxAge] = "600"
            return Response(status: .noContent, headers: headers)
        }
        router.post("/f/:token") { request, context -> Response in
            var request = request
            let token = context.parameters.get("token") ?? ""
            guard let form = try await core({ try crm.webForm(token: token, choices: false) }) else { return Self.notFound }
            let answer = FormAnswer(request: request, form: form)
            // Another site's page may not send it when the form names its site; a script only from the site or the service.
            let origin = request.headers[.origin]
            if let origin, !answer.ownOrigins.contains(origin), origin != form.definition.site, form.definition.site != nil || answer.json {
                return answer.refused(.forbidden, "trimis de pe un alt site decât al formularului")
            }
            let address = Self.visitor(request, context, forwarded: forwarded)
            guard limiter.allow(address) else {
                var response = answer.refused(.tooManyRequests, "prea multe trimiteri de la această adresă; încercați din nou peste un minut")
                response.headers[.retryAfter] = "60"
                return response
            }
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let mime = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let charset = type.range(of: "charset=").map { String(type[$0.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: " \"")) }
            guard mime == "application/x-www-form-urlencoded", charset == nil || charset == "utf-8" else {
                return answer.refused(.unsupportedMediaType, "formularul se trimite ca application/x-www-form-urlencoded (UTF-8)")
            }
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maxFormBody {
                return answer.refused(.contentTooLarge, "formularul depășește \(Self.maxFormBody / 1024) KiB")
            }
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: Self.maxFormBody) } catch {
                return answer.refused(.contentTooLarge, "formularul depășește \(Self.maxFormBody / 1024) KiB")
            }
            guard let pairs = FormBody.parse(body) else {
                return answer.refused(.badRequest, "conținutul formularului nu poate fi citit (codare greșită)")
            }
            do {
                let receipt = try await core { try crm.submitWebForm(form, pairs) }
                return answer.accepted(receipt)
            } catch let rejection as WebFormRejection {
                return answer.rejected(rejection)
            }
        }
    }

    /// The visitor's address: the peer's, or with `forwarded` the one a local reverse proxy added last to X-Forwarded-For.
    static func visitor(_ request: Request, _ context: ServiceContext, forwarded: Bool) -> String {
        let peer = context.remoteAddress?.ipAddress ?? ""
        if forwarded, peer == "127.0.0.1" || peer == "::1",
           let last = request.headers[.init("X-Forwarded-For")!]?.split(separator: ",").last {
            return last.trimmingCharacters(in: .whitespaces)
        }
        return peer
    }

    static var pageHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        return headers
    }

}

/// How a submission is answered: as JSON to the snippet's script, else as a
/// page or a redirect to the form's own address.
struct FormAnswer {
    let json: Bool
    /// The service's own origins (the page at /f/TOKEN), from the Host it was asked by.
    let ownOrigins: Set<String>
    let site: String?
    let origin: String?
    let title: String
    let errorMessage: String

    init(request: Request, form: WebFormDetails) {
        let host = request.head.authority ?? ""
        json = request.headers[.accept]?.contains("application/json") ?? false
        ownOrigins = host.isEmpty ? [] : ["http://" + host, "https://" + host]
        site = form.definition.site
        origin = request.headers[.origin]
        title = form.definition.name
        errorMessage = form.definition.errorMessage
    }

    /// CORS: the form's site (or the service's own page) may read the answer.
    var corsHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.vary] = "Origin"
        if let origin, origin == site || ownOrigins.contains(origin) { headers[.accessControlAllowOrigin] = origin }
        return headers
    }

    func accepted(_ receipt: WebFormReceipt) -> Response {
        if json {
            var object: [String: Any] = ["ok": true, "message": receipt.message]
            if let url = receipt.redirect { object["redirect"] = url }
            return jsonResponse(.ok, object)
        }
        if let url = receipt.redirect { return redirect(url) }
        return page(.ok, WebFormHTML.result(title: title, message: receipt.message, issues: []))
    }

    func rejected(_ rejection: WebFormRejection) -> Response {
        if json {
            return jsonResponse(.unprocessableContent, ["ok": false, "message": rejection.message,
                                                         "errors": rejection.issues.map { ["field": $0.field, "label": $0.label, "text": $0.text] }])
        }
        if let url = rejection.redirect { return redirect(url) }
        return page(.unprocessableContent, WebFormHTML.result(title: title, message: rejection.message,
                                                              issues: rejection.issues.map { ($0.label, $0.text) }))
    }

    /// Refused before the core saw it (origin, rate, size, type, encoding): the form's error message and why.
    func refused(_ status: HTTPResponse.Status, _ reason: String) -> Response {
        if json { return jsonResponse(status, ["ok": false, "message": errorMessage, "errors": [["field": "", "label": "", "text": reason]]]) }
        return page(status, WebFormHTML.result(title: title, message: errorMessage, issues: [("", reason)]))
    }

    private func redirect(_ url: String) -> Response {
        var headers = corsHeaders
        headers[.location] = url
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    private func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        var headers = WebService.pageHeaders
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'"
        for field in corsHeaders { headers[field.name] = field.value }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private func jsonResponse(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        var headers = corsHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// An `application/x-www-form-urlencoded` body: its name=value pairs, "+" a
/// space and %XX a byte; nil for a body that is not valid UTF-8 once decoded.
enum FormBody {
    static func parse(_ body: ByteBuffer) -> [(name: String, value: String)]? {
        let bytes = body.readableBytesView
        guard !bytes.isEmpty else { return [] }
        var pairs: [(name: String, value: String)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let eq = part.firstIndex(of: UInt8(ascii: "="))
            guard let name = decode(part[part.startIndex..<(eq ?? part.endIndex)]),
                  let value = decode(eq.map { part[part.index(after: $0)...] } ?? part[part.endIndex...]) else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    static func decode<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while i != bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") { out.append(0x20) } else if b == UInt8(ascii: "%") {
                let h = bytes.index(after: i)
                guard h != bytes.endIndex, bytes.index(after: h) != bytes.endIndex,
                      let hi = hex(bytes[h]), let lo = hex(bytes[bytes.index(after: h)]) else { return nil }
                out.append(hi << 4 | lo)
                i = bytes.index(after: h)
            } else { out.append(b) }
            i = bytes.index(after: i)
        }
        return String(validating: out, as: UTF8.self)
    }
}

/// Submissions per address and minute (a fixed window), forgotten once old.
final class RateLimiter: @unchecked Sendable {
    let perMinute: Int
    private let lock = NSLock()
    private var seen: [String: (window: Int64, count: Int)] = [:]

    init(perMinute: Int) { self.perMinute = perMinute }

    func allow(_ address: String, now: Date = Date()) -> Bool {
        guard perMinute > 0 else { return true }
        let window = Int64(now.timeIntervalSince1970 / 60)
        return lock.withLock {
            if seen.count > 100_000 { seen = seen.filter { $0.value.window == window } }
            var entry: (window: Int64, count: Int) = seen[address].flatMap { $0.window == window ? $0 : nil } ?? (window, 0)
            entry.count += 1
            seen[address] = entry
            return entry.count <= perMinute
        }
    }
}
