import CRMCore
import CRMText
import Foundation
import ZIPFoundation

/// The zip container of an .xlsx file, read with ZIPFoundation, within limits:
/// no part may inflate beyond `maxPartSize`, nor beyond `maxRatio` times its
/// compressed size once past `ratioFloor` (a zip bomb is refused after reading
/// only its directory, or as soon as it inflates past what it declared), and
/// every part's CRC is checked.
final class ZipPackage: @unchecked Sendable {
    struct Limits: Sendable {
        var maxPartSize: UInt64 = 2 << 30
        var maxRatio: UInt64 = 200
        var ratioFloor: UInt64 = 16 << 20
        /// The most a part read whole (workbook, styles, relations) may hold.
        var maxSmallPart: UInt64 = 64 << 20
    }

    let path: String
    let limits: Limits
    private let archive: Archive

    init(path: String, limits: Limits = Limits()) throws {
        self.path = path
        self.limits = limits
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CoreError.refused(Localized(ro: "nu pot citi \(path)", en: "cannot read \(path)"))
        }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Self.damaged(path, Localized(ro: "nu este o arhivă zip întreagă (trunchiat sau alt format)",
                                               en: "not a whole zip archive (truncated, or another format)"))
        }
    }

    func contains(_ part: String) -> Bool { archive[part] != nil }

    /// A small part, whole.
    func bytes(of part: String) throws -> [UInt8] {
        var out: [UInt8] = []
        try read(part, limit: limits.maxSmallPart) { out.append(contentsOf: $0) }
        return out
    }

    /// A part in chunks, inflated on a thread of its own while the caller parses
    /// the chunks before; `close()` stops it early.
    func stream(of part: String) throws -> PartStream {
        guard let entry = archive[part] else { throw missing(part) }
        try check(entry, limit: limits.maxPartSize)
        return PartStream(package: self, part: part, size: entry.uncompressedSize)
    }

    fileprivate func read(_ part: String, limit: UInt64, chunk: (Data) throws -> Void) throws {
        guard let entry = archive[part] else { throw missing(part) }
        try check(entry, limit: limit)
        let declared = entry.uncompressedSize
        var total: UInt64 = 0
        let crc: CRC32
        do {
            crc = try archive.extract(entry, bufferSize: 256 << 10, skipCRC32: false) { data in
                total += UInt64(data.count)
                guard total <= declared else { throw ZipPackageStop.bomb }
                try chunk(data)
            }
        } catch ZipPackageStop.bomb {
            throw Self.damaged(path, Localized(ro: "partea \(part) se dezarhivează la mai mult decât declară (bombă zip)",
                                               en: "part \(part) inflates to more than it declares (a zip bomb)"))
        } catch ZipPackageStop.closed {
            return
        } catch let error as CoreError {
            throw error
        } catch {
            throw Self.damaged(path, Localized(ro: "partea \(part) nu se poate dezarhiva (\(error))",
                                               en: "part \(part) cannot be inflated (\(error))"))
        }
        guard total == declared, crc == entry.checksum else {
            throw Self.damaged(path, Localized(ro: "partea \(part) este deteriorată (lungime sau CRC greșite)",
                                               en: "part \(part) is damaged (a wrong length or CRC)"))
        }
    }

    private func check(_ entry: Entry, limit: UInt64) throws {
        let size = entry.uncompressedSize, packed = max(entry.compressedSize, 1)
        if size > limit || (size > limits.ratioFloor && size / packed > limits.maxRatio) {
            throw Self.damaged(path, Localized(
                ro: "partea \(entry.path) s-ar dezarhiva la \(size) octeți din \(entry.compressedSize) (bombă zip?); refuzat",
                en: "part \(entry.path) would inflate to \(size) bytes from \(entry.compressedSize) (a zip bomb?); refused"))
        }
    }

    private func missing(_ part: String) -> CoreError {
        Self.damaged(path, Localized(ro: "lipsește partea \(part)", en: "part \(part) is missing"))
    }

    static func damaged(_ path: String, _ what: Localized) -> CoreError {
        CoreError.refused(Localized(ro: "\(path): fișier Excel (.xlsx) greșit: \(what.ro)",
                                    en: "\(path): not a valid Excel (.xlsx) file: \(what.en)"))
    }
}

enum ZipPackageStop: Error { case bomb, closed }

/// One part inflating on its own thread, handed over in chunks.
final class PartStream: @unchecked Sendable {
    let size: UInt64
    private let producer: Producer<Data>
    /// Bytes handed over so far (read by a progress bar on another thread).
    private let count = LockedBox<UInt64>(0)
    var delivered: UInt64 { count.value }

    fileprivate init(package: ZipPackage, part: String, size: UInt64) {
        self.size = size
        producer = Producer(capacity: 8) { put in
            do {
                try package.read(part, limit: package.limits.maxPartSize) { data in
                    guard put(data) else { throw ZipPackageStop.closed }
                }
            } catch let error as CoreError {
                throw error
            } catch {
                throw ZipPackage.damaged(package.path, Localized(ro: "\(error)", en: "\(error)"))
            }
        }
    }

    /// The next chunk, nil at the end; a failure of the inflating side is thrown here.
    func next() throws -> [UInt8]? {
        guard let data = try producer.next() else { return nil }
        count.set(count.value + UInt64(data.count))
        return [UInt8](data)
    }

    /// Stops the inflating thread and waits for it.
    func close() { producer.stop() }
}
