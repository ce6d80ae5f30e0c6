import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Edits a text in the user's own editor ($VISUAL, else $EDITOR, else
/// Debian's `editor`, nano or vi) through a private temporary file. The
/// editor is started with `POSIX_SPAWN_RESETIDS`: whatever group the program
/// runs with, the editor gets the user's own (README: "Shared server").
public enum ExternalEditor {
    public struct Failure: Error, Sendable, Equatable {
        public let command: String
        public let detail: String
        public init(command: String, detail: String) { self.command = command; self.detail = detail }
    }

    /// The editor command a session would start.
    public static func command(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return ["/usr/bin/editor", "/usr/bin/nano", "/usr/bin/vi"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "vi"
    }

    /// The text as the editor left it (one final newline, which editors add, taken off).
    public static func edit(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let editor = command(environment: environment)
        let directory = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/crm-text-XXXXXX.txt".utf8CString)
        let fd = mkstemps(&template, 4)
        guard fd >= 0 else { throw Failure(command: editor, detail: String(cString: strerror(errno))) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { throw Failure(command: editor, detail: "write \(path)") }

        // Through the shell: an editor variable may carry arguments ("emacs -nw").
        let argv = ["/bin/sh", "-c", editor + " \"$1\"", "sh", path]
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
        // While the editor has the terminal, Ctrl+C and Ctrl+\ are its own (as system() does).
        let (interrupt, quit) = (signal(SIGINT, SIG_IGN), signal(SIGQUIT, SIG_IGN))
        defer { signal(SIGINT, interrupt); signal(SIGQUIT, quit) }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", nil, &attributes, &cArgs, environ)
        guard spawned == 0 else { throw Failure(command: editor, detail: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(command: editor, detail: "waitpid: " + String(cString: strerror(errno))) }
        }
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            throw Failure(command: editor, detail: exited ? (code == 127 ? "not found" : "exit status \(code)") : "killed by signal \(status & 0x7f)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(command: editor, detail: "the file is gone") }
        var edited = String(decoding: data, as: UTF8.self)
        if edited.hasSuffix("\n") { edited.removeLast() }
        return edited
    }
}
