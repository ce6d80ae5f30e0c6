import CRMCore
import Foundation

/// The shared-server arrangement (README: "Shared server"): the binary is
/// installed setgid `crm`, the database directory and file belong to that group
/// and nobody else may open them. The group is held back from the first
/// instruction and taken up only while the installation's own database is
/// opened (its file, journal and shared memory stay open afterwards), so that
/// every file a user names — an import, an export, a template — is opened with
/// the user's own rights, and every program started from here inherits no
/// trace of the group (after an exec the saved set-group-ID is the effective
/// group at that moment, the user's own). SQLite opens its files close-on-exec.
enum SharedInstall {
    /// The group the program was started setgid as; nil for an ordinary run.
    static let group: gid_t? = {
        let effective = getegid(), real = getgid()
        guard effective != real else { return nil }
        guard setegid(real) == 0 else {
            CRMCommand.fail("setegid: \(String(cString: strerror(errno)))")
        }
        return effective
    }()

    /// The installation's configuration, beside the binary: PREFIX/etc/crm/crm.conf.
    /// The binary's own path comes from the kernel, not from anything a user sets.
    static let configFile: String? = {
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let prefix = URL(fileURLWithPath: exe).deletingLastPathComponent().deletingLastPathComponent()
        let file = prefix.appendingPathComponent("etc/crm/crm.conf").path
        return FileManager.default.isReadableFile(atPath: file) ? file : nil
    }()

    /// The shared database the installation names (`database = PATH`).
    static let database: String? = {
        guard let configFile, let text = try? String(contentsOfFile: configFile, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "database", parts[1].hasPrefix("/") {
                return URL(fileURLWithPath: parts[1]).standardizedFileURL.path
            }
        }
        return nil
    }()

    /// Runs `body` (opening a database) with the group taken up, only when the
    /// path is the installation's shared database; any other file is opened
    /// with the user's own rights. Either way the group is then given up for
    /// good (real, effective and saved alike): a process opens one database.
    static func opening<T>(_ path: String, _ body: () throws -> T) throws -> T {
        guard let group else { return try body() }
        defer { dropForGood() }
        guard let database, URL(fileURLWithPath: path).standardizedFileURL.path == database else { return try body() }
        guard setegid(group) == 0 else {
            throw CLIError(message: Localized(ro: "nu pot prelua grupul bazei comune: \(String(cString: strerror(errno)))",
                                              en: "cannot take up the shared database's group: \(String(cString: strerror(errno)))"))
        }
        return try body()
    }

    /// Sets the effective and saved group IDs to the real one: from here on
    /// nothing in this process can take the group up again.
    private static func dropForGood() {
        let real = getgid()
        // With the real ID given, setregid sets the saved ID to the new effective one.
        guard setregid(real, real) == 0, getegid() == real else {
            CRMCommand.fail("setregid: \(String(cString: strerror(errno)))")
        }
        // Anyone but root (who may take any group anyway) must now be unable to take it up.
        if getuid() != 0, let group, setegid(group) == 0 {
            CRMCommand.fail(Localized(ro: "grupul \(group) a rămas la îndemână după renunțare; instalarea nu este sigură",
                                      en: "group \(group) could still be taken up after giving it up; the installation is not safe")
                .text(Language.fromEnvironment()))
        }
    }
}
