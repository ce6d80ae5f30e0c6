import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Edits a text in the user's own editor ($VISUAL, else $EDITOR, else
/// Debian's `editor`, nano or vi) through a private temporary file, started
/// as every child is (`ChildProcess`).
public enum ExternalEditor {
    public typealias Failure = ChildProcess.Failure

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
        do {
            try ChildProcess.run(["/bin/sh", "-c", editor + " \"$1\"", "sh", path])
        } catch let failure as ChildProcess.Failure {
            throw Failure(command: editor, detail: failure.detail)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(command: editor, detail: "the file is gone") }
        var edited = String(decoding: data, as: UTF8.self)
        if edited.hasSuffix("\n") { edited.removeLast() }
        return edited
    }
}
