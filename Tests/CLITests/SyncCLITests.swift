import Foundation
import Testing

/// `crm sync` end to end, the real binary against the throwaway PostgreSQL
/// `./test` starts: a hub set up, a file pushed, a new replica cloned from it,
/// an edit going each way; and the refusals — a password in the address, a
/// wrong password — with a clear message, a non-zero exit and no password shown.
/// The test server ./test starts.
enum TestPostgres {
    static let address = ProcessInfo.processInfo.environment["CRM_TEST_POSTGRES"]
    static let password = ProcessInfo.processInfo.environment["CRM_TEST_POSTGRES_PASSWORD_FILE"]
        .flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
}

@Suite(.enabled(if: TestPostgres.address != nil, "needs the PostgreSQL that ./test starts (CRM_TEST_POSTGRES)"))
struct SyncCLITests {
    static var address: String? { TestPostgres.address }
    static var password: String { TestPostgres.password }

    /// A database of its own on the test server; its address.
    static func hub() throws -> String {
        let name = "crm_cli_" + UUID().uuidString.prefix(8).lowercased()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", address!, "-c", "CREATE DATABASE \(name)"]
        p.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": password]) { _, b in b }
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLI.CLIFailure(message: "psql could not make the hub's database") }
        return address!.replacingOccurrences(of: "/postgres", with: "/\(name)")
    }

    @Test func aFileIsPushedClonedAndEditsGoBothWays() throws {
        let url = try Self.hub()
        let env = ["PGPASSWORD": Self.password]
        let a = try CLI()
        defer { a.remove() }
        try a.ok("init")
        try a.ok("account", "add", "--name", "Sigma Logistic SRL", "--code", "S1", "--city", "Brăila")
        let login = try a.ok("user", "list", "--json").json().first?["login"] as? String ?? ""
        var r = try a.run(["sync", "init-hub", "--postgres", url], env: env)
        #expect(r.status == 0 && r.stdout.contains("The hub is ready"), "\(r.stderr)")
        r = try a.run(["sync", "--postgres", url], env: env)
        #expect(r.status == 0 && r.stdout.contains("Pushed: ") && !r.stdout.contains("Pushed: 0 "), "\(r.stdout) \(r.stderr)")
        r = try a.run(["sync", "status"])
        #expect(r.stdout.contains("Hub: " + url) && r.stdout.contains("To push: 0 changes"), "\(r.stdout)")

        // A new replica from the hub, then an edit there that comes back here (the address remembered).
        let bFile = a.dir.appendingPathComponent("laptop.sqlite").path
        r = try a.run(["sync", "clone", "--db", bFile, "--postgres", url, "--as", login], env: env)
        #expect(r.status == 0 && r.stdout.contains("New replica: \(bFile), as \(login)"), "\(r.stdout) \(r.stderr)")
        r = try a.run(["account", "edit", "S1", "--db", bFile, "--city", "Galați"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try a.run(["sync", "--db", bFile], env: env).status == 0)
        #expect(try a.run(["sync"], env: env).status == 0)
        let city = try a.ok("account", "show", "S1", "--json").json().first?["city"] as? String
        #expect(city == "Galați")
        #expect(try a.run(["sync", "conflicts"]).stdout.contains("No conflicts."))
        // A second clone into an existing file is refused, the file untouched.
        r = try a.run(["sync", "clone", "--db", bFile, "--postgres", url], env: env)
        #expect(r.status != 0 && r.stderr.contains("exists already"), "\(r.stderr)")
    }

    /// `crm sync --watch` as a background process: it receives another
    /// replica's push without being asked (the hub's NOTIFY), pushes an edit
    /// made in its own file, writes a line per round into its log, and stops
    /// on SIGTERM.
    @Test func aWatchingReplicaReceivesAndSendsWithoutBeingAsked() throws {
        let url = try Self.hub()
        let env = ["PGPASSWORD": Self.password]
        let a = try CLI()
        defer { a.remove() }
        try a.ok("init")
        try a.ok("account", "add", "--name", "Delta Agro SRL", "--code", "D1", "--city", "Arad")
        let login = try a.ok("user", "list", "--json").json().first?["login"] as? String ?? ""
        #expect(try a.run(["sync", "init-hub", "--postgres", url], env: env).status == 0)
        #expect(try a.run(["sync", "--postgres", url], env: env).status == 0)
        let bFile = a.dir.appendingPathComponent("birou.sqlite").path
        #expect(try a.run(["sync", "clone", "--db", bFile, "--postgres", url, "--as", login], env: env).status == 0)

        let out = a.dir.appendingPathComponent("watch.out"), err = a.dir.appendingPathComponent("watch.err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let watcher = Process()
        watcher.executableURL = CLI.binary
        watcher.arguments = ["sync", "--db", bFile, "--watch"]
        watcher.environment = ProcessInfo.processInfo.environment.merging(env.merging(["CRM_LANG": "en"]) { $1 }) { $1 }
        watcher.standardOutput = try FileHandle(forWritingTo: out)
        watcher.standardError = try FileHandle(forWritingTo: err)
        try watcher.run()
        defer { if watcher.isRunning { kill(watcher.processIdentifier, SIGKILL) } }
        func log() -> String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
        try EmailHistoryCLITests.waitUntil("the watcher has done its first round") { log().contains("Syncing continuously with") || !watcher.isRunning }

        // Another replica pushes: the watcher pulls it by itself.
        try a.ok("account", "edit", "D1", "--city", "Timișoara")
        #expect(try a.run(["sync"], env: env).status == 0)
        try EmailHistoryCLITests.waitUntil("the watcher has pulled the edit", seconds: 30) {
            (try a.ok("account", "show", "D1", "--db", bFile, "--json").json().first?["city"] as? String) == "Timișoara" || !watcher.isRunning
        }
        #expect(watcher.isRunning, "\((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        // An edit in the watched file: the watcher pushes it by itself; the other replica receives it at its next round.
        try a.ok("account", "edit", "D1", "--db", bFile, "--phone", "0256 123 456")
        try EmailHistoryCLITests.waitUntil("the watcher has pushed the edit", seconds: 30) {
            log().contains("Pushed: 1 changes") || !watcher.isRunning
        }
        #expect(try a.run(["sync"], env: env).status == 0)
        #expect(try a.ok("account", "show", "D1", "--json").json().first?["phone"] as? String == "+40256123456")
        #expect(log().contains("pulled: 1 (applied 1, older 0)"), "\(log())")

        // SIGTERM: the round in hand ends, then the program, with status 0.
        kill(watcher.processIdentifier, SIGTERM)
        try EmailHistoryCLITests.waitUntil("the watcher has stopped", seconds: 30) { !watcher.isRunning }
        #expect(watcher.terminationReason == .exit && watcher.terminationStatus == 0)
        #expect(try a.ok("sync", "status", "--db", bFile).stdout.contains("To push: 0 changes"))
    }

    @Test func aPasswordInTheAddressOrAWrongOneIsRefusedClearly() throws {
        let url = try Self.hub()
        let a = try CLI()
        defer { a.remove() }
        try a.ok("init")
        let withPassword = url.replacingOccurrences(of: "crm_admin@", with: "crm_admin:SecretPw9@")
        var r = try a.run(["sync", "--postgres", withPassword])
        #expect(r.status != 0 && r.stderr.contains("PGPASSWORD") && !r.stderr.contains("SecretPw9"), "\(r.stderr)")
        r = try a.run(["sync", "--postgres", url], env: ["PGPASSWORD": "not-the-password"])
        #expect(r.status != 0 && r.stderr.contains("connecting to the PostgreSQL hub") && !r.stderr.contains("not-the-password"), "\(r.stderr)")
        // Not a hub yet: what to do.
        r = try a.run(["sync", "--postgres", url], env: ["PGPASSWORD": Self.password])
        #expect(r.status != 0 && r.stderr.contains("crm sync init-hub"), "\(r.stderr)")
        #expect(try a.run(["sync", "status"]).stdout.contains("Last error: "))
    }
}
