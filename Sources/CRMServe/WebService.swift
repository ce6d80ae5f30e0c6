import CRMCore
import Foundation
import Hummingbird
import NIOCore

/// `crm serve`: the small HTTP service of the CRM. It answers the open pixel
/// and the click redirects of sent e-mails, the unsubscribe page and the web
/// forms (`WebService+Forms`); the tokens in tracking addresses are
/// signed (`TrackingSigner`), so a forged or changed one gets a bare 404 and
/// the redirect leads only to a link the message itself had. Hits are counted
/// in memory and written together every quarter of a second (and on
/// shutdown), so a burst of opens is a handful of writes. No personal data in
/// its log (no addresses, tokens or links) nor in its error pages; request
/// sizes are bounded; SIGTERM or SIGINT stop it gracefully.
public struct WebService: Sendable {
    public let crm: CRM
    public let host: String
    public let port: Int
    public let signer: TrackingSigner
    /// Where each request is logged (one line, no personal data); nil: not logged.
    public let log: (@Sendable (String) -> Void)?
    /// Submissions taken per minute from one address (0: no limit).
    public let formRate: Int
    /// Whether the visitor's address is read from X-Forwarded-For when the request comes from this machine (a reverse proxy).
    public let forwarded: Bool

    /// The longest request target taken, and the largest body (only an unsubscribe POST has one, and it is not read).
    public static let maxTarget = TrackingSigner.maxTokenLength + 64
    public static let maxBody = 1024

    public init(crm: CRM, host: String, port: Int, signer: TrackingSigner, log: (@Sendable (String) -> Void)?, formRate: Int = 20,
                forwarded: Bool = false) {
        self.crm = crm; self.host = host; self.port = port; self.signer = signer; self.log = log; self.formRate = formRate
        self.forwarded = forwarded
    }

    /// The 1×1 transparent GIF of the open pixel.
    static let pixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    /// Serves until SIGTERM or SIGINT; then the counted hits are written and it returns.
    public func run(onRunning: @escaping @Sendable () -> Void = {}) async throws {
        let recorder = HitRecorder(crm: crm)
        let app = Application(router: router(recorder), configuration: .init(address: .hostname(host, port: port), serverName: "crm"),
                              onServerRunning: { _ in onRunning() })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint]) }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    await recorder.flush()
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
        await recorder.flush()
    }

    func router(_ recorder: HitRecorder) -> Router<ServiceContext> {
        let router = Router(context: ServiceContext.self)
        router.add(middleware: Limits(log: log))
        let signer = self.signer
        router.get("/t/o/:token") { _, context -> Response in
            let token = context.parameters.get("token").map { $0.hasSuffix(".gif") ? String($0.dropLast(4)) : $0 } ?? ""
            guard case .open(let email)? = signer.verify(token) else { return Self.notFound }
            await recorder.add(TrackingHit(email: email, isClick: false, at: Self.now()))
            var headers = HTTPFields()
            headers[.contentType] = "image/gif"
            headers[.cacheControl] = "no-store, max-age=0"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Self.pixel)))
        }
        router.get("/t/c/:token") { _, context -> Response in
            guard case .click(let email, _, let url)? = signer.verify(context.parameters.get("token") ?? "") else { return Self.notFound }
            await recorder.add(TrackingHit(email: email, isClick: true, at: Self.now(), url: url))
            var headers = HTTPFields()
            headers[.location] = url
            headers[.cacheControl] = "no-store"
            headers[.init("Referrer-Policy")!] = "no-referrer"
            return Response(status: .found, headers: headers)
        }
        // Unsubscribing: the footer's link shows one button; the button, or a mail
        // client's one-click POST (RFC 8058), unsubscribes at once.
        router.get("/u/:token") { _, context -> Response in
            guard case .unsubscribe? = signer.verify(context.parameters.get("token") ?? "") else { return Self.notFound }
            return Self.page("Dezabonare / Unsubscribe", """
                <p>Nu mai doriți e-mailuri de la noi? / No more e-mails from us?</p>
                <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
                <button type="submit">Dezabonare / Unsubscribe</button></form>
                """)
        }
        let crm = self.crm
        router.post("/u/:token") { _, context -> Response in
            guard case .unsubscribe(let recipient)? = signer.verify(context.parameters.get("token") ?? ""),
                  (try crm.unsubscribe(recipient: recipient)) != nil else { return Self.notFound }
            return Self.page("Dezabonare / Unsubscribe", "<p>V-ați dezabonat. / You are unsubscribed.</p>")
        }
        router.get("/health") { _, _ -> Response in Self.plain(.ok, "ok\n") }
        addForms(to: router)
        return router
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A small page of the service: a title and what it says, nothing from the database.
    static func page(_ title: String, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let html = "<!doctype html><html lang=\"ro\"><head><meta charset=\"utf-8\"><title>\(title)</title></head><body>\(body)</body></html>\n"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// What every refused token gets: no hint of why.
    static var notFound: Response { plain(.notFound, "Not found\n") }
}

/// A request's context: the peer's address beside Hummingbird's own.
public struct ServiceContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// Bounds on what a request may be, and the access log: the method, the
/// route's kind (never its token), the status and the time taken.
struct Limits: RouterMiddleware {
    typealias Context = ServiceContext
    let log: (@Sendable (String) -> Void)?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        let length = request.headers[.contentLength].flatMap { Int($0) }
        let unsubscribing = request.uri.path.hasPrefix(TrackedHTML.unsubscribePath)
        let form = request.uri.path.hasPrefix(WebService.formPath)
        if request.method != .get && request.method != .head && !(request.method == .post && (unsubscribing || form))
            && !(request.method == .options && form) {
            var headers = HTTPFields()
            headers[.allow] = form ? "GET, HEAD, POST, OPTIONS" : unsubscribing ? "GET, HEAD, POST" : "GET, HEAD"
            response = Response(status: .methodNotAllowed, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Method not allowed\n")))
        } else if !form && ((length ?? 0) > (request.method == .post ? WebService.maxBody : 0) || request.headers[.transferEncoding] != nil) {
            response = WebService.plain(.contentTooLarge, "Request too large\n")
        } else if request.uri.description.utf8.count > WebService.maxTarget {
            response = WebService.plain(.uriTooLong, "Address too long\n")
        } else {
            do {
                response = try await next(request, context)
            } catch {
                // Unknown paths and anything unexpected: a bare page, the details nowhere.
                response = (error as? HTTPError)?.status == .notFound ? WebService.notFound
                    : WebService.plain(.internalServerError, "Server error\n")
            }
        }
        if let log {
            let path = request.uri.path
            let kind = path.hasPrefix(TrackedHTML.openPath) ? "open" : path.hasPrefix(TrackedHTML.clickPath) ? "click"
                : unsubscribing ? "unsubscribe" : form ? "form" : path == "/health" ? "health" : "other"
            let elapsed = ContinuousClock.now - started
            let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            log("\(ISO8601DateFormatter().string(from: Date())) \(request.method) \(kind) \(response.status.code) \(String(format: "%.2f", ms)) ms")
        }
        return response
    }
}

/// The hits seen since the last write, written together.
actor HitRecorder {
    let crm: CRM
    private var pending: [TrackingHit] = []

    init(crm: CRM) { self.crm = crm }

    /// The most hits held while the file cannot be written (about 50 MB); past it, new ones are counted as lost, and said so.
    static let limit = 1_000_000
    private var lost = 0

    func add(_ hit: TrackingHit) {
        guard pending.count < Self.limit else { lost += 1; return }
        pending.append(hit)
    }

    /// Writes what is pending; on a failure (the file busy past its timeout) it is kept for the next turn.
    func flush() {
        if lost > 0 {
            FileHandle.standardError.write(Data("crm serve: \(lost) hits could not be kept while the database was not writable\n".utf8))
            lost = 0
        }
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        do {
            try crm.recordTracking(batch)
        } catch {
            pending = batch + pending
            FileHandle.standardError.write(Data("crm serve: the hits could not be written yet (\(error)); retrying\n".utf8))
        }
    }
}
