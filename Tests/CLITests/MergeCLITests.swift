import Foundation
import Testing

@Suite struct MergeCLITests {
    @Test func mergeTakesAFieldOnRequestAndUndoBringsTheAccountsBack() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        try cli.ok("account", "add", "--code", "K1", "--name", "Delta SRL", "--city", "Arad")
        try cli.ok("account", "add", "--code", "K2", "--name", "Delta S.R.L.", "--city", "Oradea", "--email", "office@delta.ro")
        try cli.ok("contact", "add", "K2", "--name", "Maria Delta")
        // The accounts as listed, bookkeeping of the last write aside.
        func accounts() throws -> String {
            let list = try cli.ok("account", "list", "--limit", "0", "--json").json().map { a in
                a.filter { !["updatedAt", "updatedBy", "version"].contains($0.key) }
            }
            return String(decoding: try JSONSerialization.data(withJSONObject: list, options: [.sortedKeys]), as: UTF8.self)
        }
        let before = try accounts()
        let dry = try cli.ok("merge", "K1", "K2", "--take", "city=K1", "--dry-run")
        #expect(dry.stdout.contains("▶ Arad") && dry.stdout.contains("Dry run: nothing was changed."))
        let r = try cli.ok("merge", "K1", "K2", "--take", "city=K1")
        #expect(r.stdout.contains("1 accounts merged into «Delta S.R.L.», 1 contacts moved"))
        let id = try #require(r.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines)
        let merged = try #require(try cli.ok("account", "show", "K1", "--json").json().first)
        #expect(merged["city"] as? String == "Arad" && merged["email"] as? String == "office@delta.ro")
        #expect(try cli.ok("contact", "list", "K1").stdout.contains("Maria Delta"))
        #expect(try cli.run(["account", "show", "K2"]).status == 1)
        let bad = try cli.run(["merge", "K1", "--take", "x=K1"])
        #expect(bad.status != 0)
        try cli.ok("merge", "--undo", id)
        #expect(try accounts() == before)
        #expect(try cli.ok("contact", "list", "K2").stdout.contains("Maria Delta"))
        let again = try cli.run(["merge", "--undo", id])
        #expect(again.status == 1 && again.stderr.contains("was undone already"))
    }
}
