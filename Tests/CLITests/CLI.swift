import Foundation

/// Runs the built `crm` binary, as a person or a script would.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The output as one JSON object.
        func json(object: Bool) throws -> [String: Any] {
            guard let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw CLIFailure(message: "not a JSON object: \(stdout)")
            }
            return value
        }

        func json() throws -> [[String: Any]] {
            guard let array = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]] else {
                throw CLIFailure(message: "not a JSON array: \(stdout)")
            }
            return array
        }
    }

    struct CLIFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// The executable next to the test bundle (both are built into the same folder).
    static let binary: URL = {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("crm"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("crm"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/crm"))
        return candidates.first { fm.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    let dir: URL
    var db: String { dir.appendingPathComponent("crm.sqlite").path }
    var language = "en"

    /// A child that ends before reading what a test writes to it must fail that test, not end the whole run by SIGPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    init() throws {
        _ = Self.ignoreBrokenPipes
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    func run(_ args: [String], env extra: [String: String] = [:], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["CRM_DB"] = db
        env["CRM_LANG"] = language
        for (k, v) in extra { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and insists on success.
    @discardableResult
    func ok(_ args: String...) throws -> Result { try ok(args) }

    @discardableResult
    func ok(_ args: [String]) throws -> Result {
        let r = try run(args)
        guard r.status == 0 else { throw CLIFailure(message: "crm \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)") }
        return r
    }
}
