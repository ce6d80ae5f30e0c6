import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts another program (an editor, the desktop's file opener) and waits for
/// it. Spawned with `POSIX_SPAWN_RESETIDS` — whatever group this program runs
/// with, the child gets the user's own (README: "Shared server") — and with the
/// default signal handlers; while it runs, Ctrl+C and Ctrl+\ are its own.
public enum ChildProcess {
    public struct Failure: Error, Sendable, Equatable {
        public let command: String
        public let detail: String
        public init(command: String, detail: String) { self.command = command; self.detail = detail }
    }

    /// Runs `argv` (the program looked up on PATH) to its end; a non-zero exit
    /// or a signal is a failure naming it.
    public static func run(_ argv: [String]) throws {
        let command = argv.joined(separator: " ")
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETSIGDEF))
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let (interrupt, quit) = (signal(SIGINT, SIG_IGN), signal(SIGQUIT, SIG_IGN))
        defer { signal(SIGINT, interrupt); signal(SIGQUIT, quit) }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, argv[0], nil, &attributes, &cArgs, environ)
        guard spawned == 0 else { throw Failure(command: command, detail: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(command: command, detail: "waitpid: " + String(cString: strerror(errno))) }
        }
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            throw Failure(command: command, detail: exited ? (code == 127 ? "not found" : "exit status \(code)") : "killed by signal \(status & 0x7f)")
        }
    }
}
