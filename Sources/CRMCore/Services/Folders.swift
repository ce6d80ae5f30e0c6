import Foundation
import CRMStore
import CRMText

/// A folder with its place in the tree and its account counts.
public struct FolderNode: Sendable, Equatable {
    public let record: FolderRecord
    /// "Conturi/Clienți/Cluj"
    public let path: String
    /// Accounts directly in the folder, and in it with all its sub-folders.
    public let accountCount: Int
    public let totalCount: Int
    public var id: Int64 { record.meta!.id }
    public var depth: Int { record.depth }
}

/// The folder tree (ACC-1): a root "Conturi" and at most four levels below it.
extension CRM {
    public static let maxFolderDepth = 4

    /// All folders, depth-first in name order, with paths and counts.
    public func folderTree(for actor: Actor) throws -> [FolderNode] {
        try policy.authorize(actor, .view, .accounts)
        return try read(for: actor) { r in try FolderIndex(r).nodes(counts: try r.accountCountsByFolder()) }
    }

    /// The folder at a path ("Conturi/A/B" or "A/B"; case and diacritics ignored).
    public func folder(path: String) throws -> FolderRecord {
        try read { try FolderIndex($0).resolve(path) }
    }

    @discardableResult
    public func addFolder(name: String, parent parentPath: String, by actor: Actor) throws -> FolderNode {
        try policy.authorize(actor, .add, .accounts)
        let clean = try folderName(name)
        return try write(actor, "folder.add") { w in
            let index = try FolderIndex(w)
            let parent = try index.resolve(parentPath)
            guard parent.depth < CRM.maxFolderDepth else { throw CRM.tooDeep(index.path(of: parent) + "/" + clean) }
            try index.ensureFreeName(clean, in: parent.meta!.id, except: nil)
            let saved = try w.insert(FolderRecord(parentID: parent.meta!.id, name: clean, depth: parent.depth + 1))
            return FolderNode(record: saved, path: index.path(of: parent) + "/" + clean, accountCount: 0, totalCount: 0)
        }
    }

    public func renameFolder(path: String, to name: String, by actor: Actor) throws {
        try policy.authorize(actor, .edit, .accounts)
        let clean = try folderName(name)
        try write(actor, "folder.rename") { w in
            let index = try FolderIndex(w)
            let folder = try index.resolve(path)
            guard let parentID = folder.parentID else { throw CRM.rootUntouchable }
            try index.ensureFreeName(clean, in: parentID, except: folder.meta!.id)
            try w.update(FolderRecord.self, id: folder.meta!.id, set: ["name": .text(clean)])
        }
    }

    /// Moves a folder with everything below it under another folder.
    public func moveFolder(path: String, to parentPath: String, by actor: Actor) throws {
        try policy.authorize(actor, .edit, .accounts)
        try write(actor, "folder.move") { w in
            let index = try FolderIndex(w)
            let folder = try index.resolve(path)
            let target = try index.resolve(parentPath)
            guard folder.parentID != nil else { throw CRM.rootUntouchable }
            let subtree = try w.folderSubtree(folder.meta!.id)
            if subtree.contains(target.meta!.id) {
                throw CoreError.refused(Localized(
                    ro: "nu se poate muta dosarul «\(index.path(of: folder))» în el însuși sau într-un subdosar al lui",
                    en: "cannot move folder «\(index.path(of: folder))» into itself or one of its sub-folders"))
            }
            let shift = target.depth + 1 - folder.depth
            let deepest = subtree.compactMap { index.byID[$0]?.depth }.max() ?? folder.depth
            guard deepest + shift <= CRM.maxFolderDepth else {
                throw CRM.tooDeep(index.path(of: target) + "/" + folder.name + (deepest > folder.depth ? "/…" : ""))
            }
            try index.ensureFreeName(folder.name, in: target.meta!.id, except: folder.meta!.id)
            try w.update(FolderRecord.self, id: folder.meta!.id,
                         set: ["parent_id": .int(target.meta!.id), "depth": .int(Int64(target.depth + 1))])
            // Descendants follow, parents before children, so each one's depth rule holds.
            if shift != 0 {
                for id in subtree.dropFirst().sorted(by: { index.byID[$0]!.depth < index.byID[$1]!.depth }) {
                    try w.update(FolderRecord.self, id: id, set: ["depth": .int(Int64(index.byID[id]!.depth + shift))])
                }
            }
        }
    }

    /// Deletes a folder and its sub-folders. Their accounts must go somewhere:
    /// if there are any, `moveAccountsTo` names the folder that receives them.
    /// Returns the number of accounts moved.
    @discardableResult
    public func deleteFolder(path: String, moveAccountsTo targetPath: String?, by actor: Actor,
                             progress: (Int, Int) -> Bool = { _, _ in true }) throws -> Int {
        try policy.authorize(actor, .delete, .accounts)
        return try write(actor, "folder.delete") { w in
            let index = try FolderIndex(w)
            let folder = try index.resolve(path)
            guard folder.parentID != nil else { throw CRM.rootUntouchable }
            let subtree = try w.folderSubtree(folder.meta!.id)
            let accounts = try subtree.flatMap { try w.fetchAll(AccountRecord.self, matching: ["folder_id": .int($0)]) }
            // Other zones' accounts are not the user's to move (nor to count).
            guard accounts.allSatisfy(w.isVisible) else {
                throw CoreError.refused(Localized(
                    ro: "dosarul «\(index.path(of: folder))» conține și conturi din afara zonelor în care lucrați; un administrator îl poate șterge",
                    en: "folder «\(index.path(of: folder))» also holds accounts outside the zones you work in; an administrator can delete it"))
            }
            if !accounts.isEmpty {
                guard let targetPath else {
                    throw CoreError.refused(Localized(
                        ro: "dosarul «\(index.path(of: folder))» conține \(accounts.count) conturi; spuneți unde merg (--move-to DOSAR)",
                        en: "folder «\(index.path(of: folder))» holds \(accounts.count) accounts; say where they go (--move-to FOLDER)"))
                }
                let target = try index.resolve(targetPath)
                guard !subtree.contains(target.meta!.id) else {
                    throw CoreError.refused(Localized(
                        ro: "conturile nu pot fi mutate într-un dosar care se șterge",
                        en: "the accounts cannot go to a folder that is being deleted"))
                }
                for (done, account) in accounts.enumerated() {
                    try w.update(AccountRecord.self, id: account.meta!.id, set: ["folder_id": .int(target.meta!.id)])
                    guard progress(done + 1, accounts.count) else { throw CoreError.cancelled }
                }
            }
            for id in subtree.sorted(by: { index.byID[$0]!.depth > index.byID[$1]!.depth }) {
                try w.delete(FolderRecord.self, id: id)
            }
            return accounts.count
        }
    }

    private func folderName(_ raw: String) throws -> String {
        var issues: [ValidationIssue] = []
        let v = FieldRules.text(raw, field: "folder", max: 100, issues: &issues)
        guard issues.isEmpty, case .text(let name) = v else {
            throw CoreError.invalid(issues.isEmpty ? [.init(field: "folder", value: raw, reason: .required)] : issues)
        }
        guard !name.contains("/") else {
            throw CoreError.refused(Localized(ro: "numele dosarului nu poate conține «/»",
                                              en: "a folder name cannot contain «/»"))
        }
        return name
    }

    static func tooDeep(_ path: String) -> CoreError {
        .refused(Localized(
            ro: "«\(path)» ar depăși \(maxFolderDepth) niveluri de dosare sub «\(rootFolderName)»; alegeți un dosar mai sus",
            en: "«\(path)» would exceed \(maxFolderDepth) folder levels below «\(rootFolderName)»; choose a folder higher up"))
    }

    static let rootUntouchable = CoreError.refused(Localized(
        ro: "dosarul rădăcină «\(rootFolderName)» nu poate fi redenumit, mutat sau șters",
        en: "the root folder «\(rootFolderName)» cannot be renamed, moved or deleted"))
}

/// All folders of the database in memory (there are at most a few hundred).
struct FolderIndex {
    let byID: [Int64: FolderRecord]
    let children: [Int64: [FolderRecord]]
    let root: FolderRecord

    init(_ r: Reader) throws {
        let all = try r.fetchAll(FolderRecord.self, orderBy: ["depth", "name_key"])
        var byID: [Int64: FolderRecord] = [:]
        var children: [Int64: [FolderRecord]] = [:]
        for f in all {
            byID[f.meta!.id] = f
            if let p = f.parentID { children[p, default: []].append(f) }
        }
        guard let root = all.first(where: { $0.parentID == nil }) else {
            throw CoreError.refused(Localized(ro: "baza de date nu are dosarul rădăcină; rulați `crm init`",
                                              en: "the database has no root folder; run `crm init`"))
        }
        self.byID = byID
        self.children = children
        self.root = root
    }

    func path(of folder: FolderRecord) -> String {
        var names = [folder.name]
        var current = folder
        while let p = current.parentID, let parent = byID[p] {
            names.append(parent.name)
            current = parent
        }
        return names.reversed().joined(separator: "/")
    }

    func resolve(_ path: String) throws -> FolderRecord {
        var segments = path.split(separator: "/").map { $0.trimmed() }.filter { !$0.isEmpty }
        if let first = segments.first, Fold.key(first) == Fold.key(root.name) { segments.removeFirst() }
        var current = root
        for segment in segments {
            guard let next = children[current.meta!.id]?.first(where: { Fold.key($0.name) == Fold.key(segment) }) else {
                throw CoreError.invalid([.init(field: "folder", value: path, reason: .unknownFolder)])
            }
            current = next
        }
        return current
    }

    func ensureFreeName(_ name: String, in parentID: Int64, except: Int64?) throws {
        let key = Fold.key(name)
        if let clash = children[parentID]?.first(where: { Fold.key($0.name) == key && $0.meta!.id != except }) {
            throw CoreError.refused(Localized(
                ro: "există deja dosarul «\(path(of: clash))»; alegeți alt nume",
                en: "folder «\(path(of: clash))» already exists; choose another name"))
        }
    }

    func nodes(counts: [Int64: Int]) -> [FolderNode] {
        var out: [FolderNode] = []
        func total(_ f: FolderRecord) -> Int {
            (counts[f.meta!.id] ?? 0) + (children[f.meta!.id] ?? []).reduce(0) { $0 + total($1) }
        }
        func visit(_ f: FolderRecord, _ prefix: String) {
            let p = prefix.isEmpty ? f.name : prefix + "/" + f.name
            out.append(FolderNode(record: f, path: p, accountCount: counts[f.meta!.id] ?? 0, totalCount: total(f)))
            for c in children[f.meta!.id] ?? [] { visit(c, p) }
        }
        visit(root, "")
        return out
    }
}
