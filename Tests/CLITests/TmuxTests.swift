import Foundation
import Testing

/// The real binary in a real terminal: tmux runs it, send-keys types, and
/// capture-pane reads the screen. Every wait is for a condition, with a deadline.
final class TmuxSession {
    let socket = "crm-test-\(UUID().uuidString.prefix(8))"
    let name = "t"

    init(command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        // The tmux server daemonises from the first client and would inherit every
        // descriptor of it, among them the one Foundation watches to see a child
        // end: start that client with only the standard descriptors open.
        let env = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import os, sys; os.closerange(3, 65536); os.execvp(sys.argv[1], sys.argv[1:])",
                       "tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                       "env \(env) \(command)"]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLI.CLIFailure(message: "tmux did not start") }
    }

    deinit { _ = try? status(["kill-server"]) }

    private func status(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux", "-L", socket] + args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux", "-L", socket] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    private func hasSession() -> Bool { (try? status(["has-session", "-t", name])) == 0 }

    /// Waits until the screen satisfies `condition`; fails with the last screen.
    func waitFor(_ what: String, timeout: TimeInterval = 10, _ condition: (String) -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return }
            usleep(20_000)
        }
        throw CLI.CLIFailure(message: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// Quits the program with ctrl+q and waits until it has gone.
    func quit() throws {
        try send("C-q")
        try waitForExit()
    }

    func waitForExit(timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !hasSession() { return }
            usleep(20_000)
        }
        throw CLI.CLIFailure(message: "the program did not exit")
    }
}

@Suite(.serialized) struct TerminalTests {
    static let tmuxAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

    @Test(.enabled(if: tmuxAvailable)) func keysAreNamedAndBoundThroughTheKeymap() throws {
        let session = try TmuxSession(command: CLI.binary.path + " keys",
                                      environment: ["LANG": "C.UTF-8", "CRM_LANG": "en", "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the title") { $0.contains("crm keys — press keys; ctrl+q quits") }
        try session.send("C-f")
        try session.send("F1")
        try session.send("x")
        try session.waitFor("three keys") { $0.contains("ctrl+f → search.start") && $0.contains("f1 → help.show") && $0.contains("x → (unbound)") }
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func withoutAUTF8LocaleTheScreenIsTransliterated() throws {
        let session = try TmuxSession(command: CLI.binary.path + " keys",
                                      environment: ["LANG": "C", "LC_ALL": "C", "CRM_LANG": "ro", "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the title") { $0.contains("crm keys - apasati taste; ctrl+q iese") }
        try session.send("Up")
        try session.waitFor("the key") { $0.contains("up -> cursor.up") }
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func aUsersKeymapOverridesTheDefault() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let config = cli.dir.appendingPathComponent("config/crm")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "x = search.start\n".write(to: config.appendingPathComponent("keys"), atomically: true, encoding: .utf8)
        let session = try TmuxSession(command: CLI.binary.path + " keys",
                                      environment: ["LANG": "C.UTF-8", "CRM_LANG": "en",
                                                    "XDG_CONFIG_HOME": cli.dir.appendingPathComponent("config").path])
        try session.waitFor("the title") { $0.contains("press keys") }
        try session.send("x")
        try session.waitFor("the rebound key") { $0.contains("x → search.start") }
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func theClientsPageOpensFollowsTheCursorAndQuits() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "120")
        let first = try cli.ok("account", "list", "--limit", "2", "--json").json().compactMap { $0["name"] as? String }
        let session = try TmuxSession(command: CLI.binary.path, width: 120, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the Clienți page") {
            $0.contains("Dosare") && $0.contains("Conturi") && $0.contains(first[0]) && $0.contains("120 conturi")
        }
        try session.send("Down")
        // The details pane (first line under the title) follows the selection.
        try session.waitFor("the second account's details") { $0.split(separator: "\n").dropFirst().first?.contains(first[1]) == true }
        try session.quit()
    }

    @Test(.enabled(if: tmuxAvailable)) func anAccountAddedThroughTheDialogReachesTheDatabase() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "30")
        let session = try TmuxSession(command: CLI.binary.path, width: 120, height: 35,
                                      environment: ["CRM_DB": cli.db, "LANG": "C.UTF-8", "CRM_LANG": "ro",
                                                    "XDG_CONFIG_HOME": "/nonexistent"])
        try session.waitFor("the Clienți page") { $0.contains("30 conturi") }
        try session.send("IC")
        try session.waitFor("the dialog") { $0.contains("Adăugare cont") }
        try session.send("-l", "Ţara Nouă SRL")
        try session.send("C-s")
        try session.waitFor("the saved account") { $0.contains("Cont salvat: Țara Nouă SRL") }
        try session.quit()
        let saved = try cli.ok("account", "show", "Țara Nouă SRL", "--json").json()
        #expect(saved.first?["folder"] as? String == "Conturi")
    }
}
