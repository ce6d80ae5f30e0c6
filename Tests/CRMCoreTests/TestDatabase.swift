import CRMCore
import CRMStore
import Foundation

/// A fresh database in a temporary folder, with an administrator.
final class TestDatabase {
    /// The project's `sample-data/` folder.
    static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-data")

    let dir: URL
    let path: String
    let store: Store
    let crm: CRM
    let admin: Actor

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("crm.sqlite").path
        store = try Store.open(path: path, mode: .createIfMissing)
        crm = CRM(store: store)
        admin = try crm.initialize(unixLogin: "tester", name: "Test Admin")
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: dir)
    }

    /// An ordinary (non-administrator) user.
    func user(_ login: String) throws -> Actor {
        Actor(user: try crm.addUser(UserRecord(login: login, name: login.capitalized), by: admin))
    }
}

extension CoreError {
    var issues: [ValidationIssue] {
        if case .invalid(let list) = self { return list }
        return []
    }
}
