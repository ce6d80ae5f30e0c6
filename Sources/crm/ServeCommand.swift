import ArgumentParser
import CRMCore
import CRMMail
import CRMServe
import Foundation

/// `crm serve`: the HTTP service — e-mail tracking (open pixel, click redirects), unsubscribing, web forms.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The HTTP service: e-mail tracking (open pixel, signed click redirects), unsubscribing, web forms' submissions.",
        discussion: """
            It listens on loopback by default; put it behind a TLS reverse proxy (nginx, Caddy) that answers at --public-url. \
            Given --public-url, it records it, so that e-mails sent from then on carry tracked links and the open pixel \
            (--no-track clears it); without it, the address recorded before stays. Web forms (crm form) answer at /f/TOKEN: \
            one address may send --form-rate submissions a minute; behind a reverse proxy on this machine, --forwarded reads \
            the visitor's address from X-Forwarded-For. SIGTERM or SIGINT stop it gracefully, writing the hits counted so far.
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address and port to listen on.") var listen = "127.0.0.1:8080"
    @Option(help: "The address the world reaches it at, e.g. https://crm.firma.ro (recorded for the e-mails sent from now on).") var publicURL: String?
    @Flag(help: "Stop tracking the e-mails sent from now on (the public address is cleared) and exit.") var noTrack = false
    @Flag(help: "No access log on standard error.") var quiet = false
    @Flag(help: "Do not send the running campaigns (then crm campaign run does).") var noCampaigns = false
    @Option(help: "Web form submissions taken per minute from one address (0: no limit).") var formRate = 20
    @Flag(help: "Behind a reverse proxy on this machine: the visitor's address is the last of X-Forwarded-For.") var forwarded = false

    func run() throws {
        // A stop is asked by SIGTERM or SIGINT, even when the starting process had them blocked.
        var stops = sigset_t()
        sigemptyset(&stops)
        sigaddset(&stops, SIGTERM)
        sigaddset(&stops, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
        let crm = try Session.crm(database)
        if noTrack {
            try crm.setTrackingURL(nil, by: nil)
            print(Language.fromEnvironment() == .ro ? "E-mailurile nu mai sunt urmărite." : "E-mails are no longer tracked.")
            return
        }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65535).contains(port) else {
            throw CLIError(message: Localized(ro: "--listen așteaptă ADRESĂ:PORT, de ex. 127.0.0.1:8080", en: "--listen expects HOST:PORT, e.g. 127.0.0.1:8080"))
        }
        let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if let publicURL { try crm.setTrackingURL(publicURL, by: nil) }
        let recorded = try crm.trackingURL()
        let write: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let log = quiet ? nil : write
        let server = WebService(crm: crm, host: host, port: port, signer: try TrackingSigner(databasePath: crm.store.path), log: log,
                                formRate: max(0, formRate), forwarded: forwarded)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let campaigns = noCampaigns ? nil : CampaignSenders(crm: crm, log: write)
        campaigns?.start()
        let listenText = listen
        Task {
            do {
                try await server.run(onRunning: {
                    let address = recorded.map { "public at \($0)" } ?? "no public address recorded (--public-url): e-mails are not tracked"
                    FileHandle.standardOutput.write(Data("crm serve: listening on \(listenText), \(address)\n".utf8))
                })
            } catch {
                outcome.set(error)
            }
            done.signal()
        }
        done.wait()
        // Stopping: the campaigns' senders end after the message in hand.
        campaigns?.stop()
        if let error = outcome.error {
            throw CLIError(message: Localized(ro: "serviciul nu a putut porni pe \(listen): \(error)", en: "the service could not start on \(listen): \(error)"))
        }
        print("crm serve: stopped")
    }

    /// The running campaigns sent from the service: every two seconds it looks
    /// for campaigns started (or resumed) and sends each on its own thread,
    /// as the user who started it; stopping waits for the messages in hand.
    final class CampaignSenders: @unchecked Sendable {
        let crm: CRM
        let log: @Sendable (String) -> Void
        private let lock = NSLock()
        private var active: Set<String> = []
        /// Campaigns whose uncertain recipients were reported already (once is enough).
        private var warned: Set<String> = []
        private var stopping = false
        private let group = DispatchGroup()

        init(crm: CRM, log: @escaping @Sendable (String) -> Void) { self.crm = crm; self.log = log }

        var isStopping: Bool { lock.withLock { stopping } }

        func start() {
            let thread = Thread { [self] in
                while !isStopping {
                    for (name, sender) in (try? crm.runningCampaigns()) ?? [] {
                        let fresh = lock.withLock { stopping ? false : active.insert(name).inserted }
                        guard fresh else { continue }
                        group.enter()
                        Thread { [self] in
                            defer { lock.withLock { _ = active.remove(name) }; group.leave() }
                            do {
                                let summary = try CampaignRunner(crm: crm, actor: sender).run(name, log: { line in
                                    if line.contains("crm campaign resolve"), !self.lock.withLock({ self.warned.insert(name).inserted }) { return }
                                    self.log("crm serve: campaign «\(name)»: " + line)
                                }, shouldStop: { self.isStopping })
                                if summary.sent + summary.deferred + summary.bounced > 0 || summary.finished {
                                    log("crm serve: campaign «\(name)»: \(summary.sent) sent, \(summary.deferred) deferred, \(summary.bounced) bounced"
                                        + (summary.finished ? ", finished" : ""))
                                }
                            } catch {
                                log("crm serve: campaign «\(name)» stopped: \(error)")
                            }
                        }.start()
                    }
                    for _ in 0..<20 where !isStopping { usleep(100_000) }
                }
            }
            thread.start()
        }

        func stop() {
            lock.withLock { stopping = true }
            group.wait()
        }
    }

    /// How the service ended, handed from its task to the waiting command.
    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: (any Error)?
        func set(_ error: any Error) { lock.withLock { stored = error } }
        var error: (any Error)? { lock.withLock { stored } }
    }
}
