import Foundation

/// What the first 100 bytes of a file say, read without opening it as a database,
/// so that a foreign, damaged or newer file is refused before anything can touch it.
struct FileProbe {
    enum Kind: Equatable {
        case missing
        case empty
        case notSQLite
        case sqlite(applicationID: Int32, userVersion: Int, pageCount: UInt32)
    }

    static func inspect(path: String) throws -> Kind {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return .missing }
        if isDir.boolValue { return .notSQLite }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.cannotOpen(path: path, detail: "cannot read the file (permissions?)")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        if header.isEmpty { return .empty }
        let magic = Array("SQLite format 3\0".utf8)
        guard header.count == 100, Array(header[0..<16]) == magic else { return .notSQLite }
        func be32(_ at: Int) -> UInt32 {
            header[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        return .sqlite(applicationID: Int32(bitPattern: be32(68)), userVersion: Int(Int32(bitPattern: be32(60))),
                       pageCount: be32(28))
    }
}
