import CRMCore
import CRMDocuments
import CRMStore
import CRMText
import Foundation
import TUIKit

/// The options of an import ("Import date") and the first rows of its file,
/// shown before anything is written: Enter imports, Esc goes back to the dialog.
struct ImportPreview: Sendable {
    struct Options: Sendable, Equatable {
        var path: String
        var folder: String?
        var onDuplicate: DuplicatePolicy
        var skipInvalid: Bool
        var dryRun: Bool
    }

    let options: Options
    let header: [String]
    let rows: [TableRecord]
    let encoding: String?

    enum Event: Equatable { case none, back, start }

    /// Reads the header (checked against the template) and the first rows.
    static func load(_ options: Options, custom: [CustomColumnRecord], count: Int = 8) throws -> ImportPreview {
        let records = try TableFiles.reader(path: options.path)
        defer { records.close() }
        let reader = try AccountRowReader(records, custom: custom)
        var rows: [TableRecord] = []
        while rows.count < count, let row = try reader.next() {
            rows.append(TableRecord(line: row.line, fields: row.source))
        }
        return ImportPreview(options: options, header: reader.header, rows: rows,
                             encoding: (records as? CSVRecordReader)?.encoding.rawValue)
    }

    func handle(_ key: Key, action: String?) -> Event {
        if action == "dialog.cancel" || key == .escape { return .back }
        if action == "dialog.save" || key == .enter { return .start }
        return .none
    }

    func render(into buffer: inout ScreenBuffer, language: Language) {
        let area = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
        let box = Rect.centred(width: min(buffer.width - 2, 140), height: min(rows.count + 9, buffer.height - 4), in: area)
        let panel = Style(foreground: .text, background: .panel)
        let name = URL(fileURLWithPath: options.path).lastPathComponent
        buffer.box(box, style: panel, borderStyle: Style(foreground: .border, background: .panel),
                   title: Localized(ro: "Import date: \(name)", en: "Import: \(name)").text(language),
                   titleStyle: Style(foreground: .primary, background: .panel, bold: true))
        // The columns that fit, each as wide as its widest shown text (within reason).
        var x = box.x + 2
        let right = box.x + box.width - 2
        var columns: [(index: Int, x: Int, width: Int)] = [(-1, x, 6)]
        x += 7
        for (i, title) in header.enumerated() {
            let widest = ([title] + rows.map { $0.fields.indices.contains(i) ? $0.fields[i] : "" }).map(DisplayWidth.of).max() ?? 4
            let width = min(max(4, widest), 24)
            guard x + width <= right else { break }
            columns.append((i, x, width))
            x += width + 1
        }
        let head = Style(foreground: .muted, background: .panel, bold: true)
        for column in columns {
            let text = column.index < 0 ? Localized(ro: "Rând", en: "Row").text(language) : header[column.index]
            buffer.put(Sanitize.line(text), x: column.x, y: box.y + 1, style: head, maxWidth: column.width)
        }
        for (n, row) in rows.enumerated() {
            let y = box.y + 2 + n
            guard y < box.y + box.height - 4 else { break }
            for column in columns {
                let text = column.index < 0 ? String(row.line)
                    : row.fields.indices.contains(column.index) ? row.fields[column.index] : ""
                buffer.put(Sanitize.line(text), x: column.x, y: y, style: panel, maxWidth: column.width)
            }
        }
        let hidden = header.count - (columns.count - 1)
        var facts = [Localized(ro: "\(header.count) coloane ca în șablon", en: "\(header.count) columns as in the template").text(language)]
        if hidden > 0 { facts.append(Localized(ro: "\(hidden) nu încap aici", en: "\(hidden) not shown here").text(language)) }
        if let encoding { facts.append(encoding) }
        let policy: Localized
        switch options.onDuplicate {
        case .skip: policy = Localized(ro: "duplicatele se sar", en: "duplicates are skipped")
        case .update: policy = Localized(ro: "duplicatele se actualizează", en: "duplicates are updated")
        case .create: policy = Localized(ro: "duplicatele se adaugă", en: "duplicates are added")
        }
        facts.append(policy.text(language))
        if options.skipInvalid { facts.append(Localized(ro: "rândurile greșite se sar", en: "bad rows are skipped").text(language)) }
        if options.dryRun { facts.append(Localized(ro: "probă: nu se scrie nimic", en: "dry run: nothing is written").text(language)) }
        buffer.put(facts.joined(separator: " · "), x: box.x + 2, y: box.y + box.height - 3,
                   style: Style(foreground: .muted, background: .panel), maxWidth: box.width - 4)
        buffer.put(Localized(ro: "enter importă (esc îl oprește și nu rămâne nimic scris) · esc înapoi",
                             en: "enter imports (esc stops it and nothing stays written) · esc back").text(language),
                   x: box.x + 2, y: box.y + box.height - 2, style: Style(foreground: .accent, background: .panel), maxWidth: box.width - 4)
    }
}

/// File name completion for a path typed in a dialog: the longest common
/// continuation of the names that match, and those names (folders end in /).
enum PathCompletion {
    /// Completes a typed path: folders, and files with one of `extensions` (nil: any file).
    static func complete(_ typed: String, extensions: Set<String>?) -> (text: String, candidates: [String]) {
        let expanded = (typed as NSString).expandingTildeInPath
        let folder: String, prefix: String
        if expanded.hasSuffix("/") {
            folder = expanded
            prefix = ""
        } else {
            folder = (expanded as NSString).deletingLastPathComponent.isEmpty ? "." : (expanded as NSString).deletingLastPathComponent
            prefix = (expanded as NSString).lastPathComponent
        }
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }
        var candidates: [String] = []
        for name in names.sorted() {
            var isFolder: ObjCBool = false
            _ = fm.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            if isFolder.boolValue {
                candidates.append(name + "/")
            } else if extensions.map({ $0.contains((name as NSString).pathExtension.lowercased()) }) ?? true {
                candidates.append(name)
            }
        }
        guard let first = candidates.first else { return (typed, []) }
        var common = first
        for c in candidates.dropFirst() {
            while !c.hasPrefix(common) { common.removeLast() }
        }
        let base = expanded.hasSuffix("/") ? expanded : (folder == "." && !expanded.hasPrefix("./") ? "" : folder + (folder.hasSuffix("/") ? "" : "/"))
        return (base + common, candidates)
    }
}
