import CRMCore
import Foundation

/// Writes a file that must not exist yet (a note's file saved by a person):
/// created with O_EXCL, so that nothing already there — a shell's start-up
/// file, another person's work — is ever overwritten, not even by a race.
public enum NewFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let exists = errno == EEXIST
            let detail = String(cString: strerror(errno))
            throw CoreError.refused(exists
                ? Localized(ro: "\(path) există deja; alegeți alt nume (nu se scrie peste un fișier)",
                            en: "\(path) exists already; choose another name (no file is written over)")
                : Localized(ro: "nu pot scrie \(path): \(detail); alegeți un dosar în care aveți drept de scriere",
                            en: "cannot write \(path): \(detail); choose a folder you may write to"))
        }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                unlink(path)
                throw CoreError.refused(Localized(ro: "nu pot scrie \(path): \(String(cString: strerror(errno)))",
                                                  en: "cannot write \(path): \(String(cString: strerror(errno)))"))
            }
            offset += n
        }
    }
}
