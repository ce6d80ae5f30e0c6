import Foundation

/// Finds the program's data folders (`sample-data`, `keymaps`, `themes`): the
/// environment variable given, else a folder of that name beside the source tree
/// the executable was built in, else `/usr/share/crm/NAME`.
public enum ResourceDirectory {
    public static func locate(_ name: String, containing file: String, variable: String,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let fm = FileManager.default
        if let explicit = environment[variable], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        if let exe = Bundle.main.executableURL { dir = exe.resolvingSymlinksInPath().deletingLastPathComponent() }
        for _ in 0..<8 {
            // Beside a source tree, or as installed: PREFIX/bin/crm and PREFIX/share/crm/NAME.
            for candidate in [dir.appendingPathComponent(name), dir.appendingPathComponent("share/crm").appendingPathComponent(name)] {
                if fm.fileExists(atPath: candidate.appendingPathComponent(file).path) { return candidate }
            }
            dir = dir.deletingLastPathComponent()
        }
        let system = URL(fileURLWithPath: "/usr/share/crm").appendingPathComponent(name)
        return fm.fileExists(atPath: system.appendingPathComponent(file).path) ? system : nil
    }
}
