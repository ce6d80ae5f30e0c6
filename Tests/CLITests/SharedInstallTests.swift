import Foundation
import Testing

/// The shared-server installation (`./install --shared`), with real Unix users.
/// Run by `./test` as root: it installs into a temporary prefix first and
/// names it in CRM_SHARED_PREFIX and CRM_SHARED_DATA.
enum SharedInstallation {
    static let environment = ProcessInfo.processInfo.environment
    static let prefix = environment["CRM_SHARED_PREFIX"] ?? ""
    static let data = environment["CRM_SHARED_DATA"] ?? ""
    static let installed = getuid() == 0 && !prefix.isEmpty && !data.isEmpty
        && FileManager.default.isExecutableFile(atPath: prefix + "/bin/crm")
}

@Suite(.enabled(if: SharedInstallation.installed, "needs root and the installation ./test makes"), .serialized)
struct SharedInstallTests {
    static let prefix = SharedInstallation.prefix
    static let data = SharedInstallation.data

    var crm: String { Self.prefix + "/bin/crm" }
    var database: String { Self.data + "/crm.sqlite" }

    /// Runs a program as a Unix user (root: nil), in a clean environment: no
    /// CRM_DB, so the installation's database is the default.
    @discardableResult
    func run(_ args: [String], as user: String?, env extra: [String: String] = [:]) throws -> CLI.Result {
        let home = user.map { "/home/\($0)" } ?? "/root"
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME": home, "LANG": "C.UTF-8", "CRM_LANG": "en"]
        for (k, v) in extra { env[k] = v }
        let clean = ["env", "-i"] + env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", user ?? "root", "--"] + clean + args
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                          stderr: String(decoding: e, as: UTF8.self))
    }

    func attributes(_ path: String) throws -> (mode: Int, group: String, owner: String) {
        let a = try FileManager.default.attributesOfItem(atPath: path)
        return ((a[.posixPermissions] as? NSNumber)?.intValue ?? 0, a[.groupOwnerAccountName] as? String ?? "",
                a[.ownerAccountName] as? String ?? "")
    }

    @Test func mappedUsersWorkThroughTheProgramAndNobodyOpensTheFileDirectly() throws {
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        let (mapped, stranger) = ("crm\(tag)a", "crm\(tag)b")
        for user in [mapped, stranger] {
            let added = try run(["useradd", "--create-home", "--shell", "/bin/sh", user], as: nil)
            #expect(added.status == 0, "\(added.stderr)")
        }
        defer { for user in [mapped, stranger] { _ = try? run(["userdel", "--remove", user], as: nil) } }

        // The arrangement: a setgid binary without the Swift runtime as a shared
        // library, a group-only directory and file.
        let binary = try attributes(crm)
        #expect(binary.mode == 0o2755 && binary.group == "crm" && binary.owner == "root")
        #expect(try run(["ldd", crm], as: nil).stdout.contains("libswiftCore") == false)
        #expect(try attributes(Self.data).mode == 0o2770 && attributes(Self.data).group == "crm")
        #expect(try attributes(database).mode == 0o660 && attributes(database).group == "crm")

        // The administrator (root, who installed) maps one of them.
        let add = try run([crm, "user", "add", mapped, "--name", "Utilizator Mapat", "--unix-login", mapped], as: nil)
        #expect(add.status == 0, "\(add.stderr)")

        // The mapped user works through the program, on the installation's database.
        let info = try run([crm, "info", "--json"], as: mapped)
        #expect(info.status == 0 && info.stdout.contains("\"user\": \"\(mapped)\"") && info.stdout.contains(database), "\(info.stderr)")
        let added = try run([crm, "account", "add", "--name", "Comun \(tag) SRL", "--city", "Arad"], as: mapped)
        #expect(added.status == 0, "\(added.stderr)")
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: database + suffix) {
            let file = try attributes(database + suffix)
            #expect(file.mode == 0o660 && file.group == "crm", "\(suffix): \(file)")
        }

        // Files the user names are opened with the user's own rights.
        let export = "/home/\(mapped)/conturi.csv"
        #expect(try run([crm, "export", "accounts", "-o", export], as: mapped).status == 0)
        #expect(try attributes(export).group != "crm" && attributes(export).owner == mapped)
        #expect(try String(contentsOfFile: export, encoding: .utf8).contains("Comun \(tag) SRL"))
        let intoData = try run([crm, "export", "accounts", "-o", Self.data + "/scos.csv"], as: mapped)
        #expect(intoData.status == 1 && !FileManager.default.fileExists(atPath: Self.data + "/scos.csv"))
        // A database the user names elsewhere is theirs alone: no group rights there.
        let own = try run([crm, "init", "--db", "/home/\(mapped)/propriu.sqlite"], as: mapped)
        let ownGroup = try attributes("/home/\(mapped)/propriu.sqlite").group
        #expect(own.status == 0 && ownGroup != "crm", "\(own.stderr)")

        // The one nobody mapped is refused, and cannot make themselves an administrator.
        let refused = try run([crm, "account", "list"], as: stranger)
        #expect(refused.status == 1 && refused.stderr.contains("no CRM user is mapped to the Unix login «\(stranger)»"), "\(refused.stderr)")
        let takeover = try run([crm, "init", "--db", database], as: stranger)
        #expect(takeover.status == 1 && takeover.stderr.contains("ask an administrator to add you"), "\(takeover.stderr)")

        // Neither can open the database file directly.
        for user in [mapped, stranger] {
            let direct = try run(["sqlite3", database, "SELECT count(*) FROM user"], as: user)
            #expect(direct.status != 0 && direct.stdout.isEmpty, "\(user): \(direct.stdout)")
            let copy = try run(["cat", database], as: user)
            #expect(copy.status != 0 && copy.stdout.isEmpty)
        }

        // The mapped user opens the terminal interface through the installed binary,
        // and writes a note in their editor: it runs with their own groups, none of crm's.
        let editor = "/home/\(mapped)/editor.sh"
        try "#!/bin/sh\nprintf 'grupuri: %s\\n' \"$(id -Gn)\" >> \"$1\"\nprintf 'efectiv: %s\\n' \"$(id -gn)\" >> \"$1\"\n"
            .write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)
        let session = try TmuxSession(command: "runuser -u \(mapped) -- env -i PATH=/usr/bin:/bin HOME=/home/\(mapped) LANG=C.UTF-8 CRM_LANG=ro TERM=xterm-256color VISUAL=\(editor) \(crm)",
                                      width: 120, height: 35)
        try session.waitFor("the Clienți page") { $0.contains("Comun \(tag) SRL") }
        try session.send("IC")
        try session.waitFor("the dialog") { $0.contains("Adăugare cont") && $0.contains("Denumire *") }
        try session.type("Notă \(tag) SRL")
        try session.send(contentsOf: Array(repeating: "Tab", count: 20))
        try session.send("F4")
        try session.waitFor("the note back from the editor") { $0.contains("efectiv:") }
        try session.send("C-s")
        try session.waitFor("the saved account") { $0.contains("Cont salvat: Notă \(tag) SRL") }
        try session.quit()
        let shown = try run([crm, "account", "show", "Notă \(tag) SRL", "--json"], as: mapped)
        let notes = try #require(try shown.json().first?["notes"] as? String)
        let groups = notes.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        #expect(notes.contains("efectiv: ") && !groups.contains("crm"), "\(notes)")
    }
}
