import Foundation
import Testing

@Suite struct UserCLITests {
    @Test func usersAreAddedListedChangedAndDisabledByAnAdministrator() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        let added = try cli.run(["user", "add", "ana.pop", "--name", "Ana Pop", "--email", "ana@firma.ro", "--password-stdin"],
                                input: "parola-lunga-123\n")
        #expect(added.status == 0 && added.stdout.contains("User added: ana.pop"))
        let short = try cli.run(["passwd", "ana.pop", "--stdin"], input: "scurta\n")
        #expect(short.status == 1 && short.stderr.contains("password: must be at least 10 characters long"))
        #expect(try cli.run(["passwd", "ana.pop", "--stdin"], input: "alta-parola-lunga\n").status == 0)
        try cli.ok("user", "edit", "ana.pop", "--mobile", "0722 123 456", "--admin", "yes")
        try cli.ok("user", "disable", "ana.pop")
        let list = try cli.ok("user", "list", "--json").json()
        let ana = try #require(list.first { $0["login"] as? String == "ana.pop" })
        #expect(ana["mobile"] as? String == "+40722123456" && ana["admin"] as? Bool == true)
        #expect(ana["disabled"] as? Bool == true && ana["password"] as? Bool == true)
        let bad = try cli.run(["user", "add", "Ion Pop", "--name", "Ion"])
        #expect(bad.status == 1 && bad.stderr.contains("is not a valid login"))
        // The administrator `crm init` made (this Unix login) stays one while the only other is disabled.
        let admin = try #require(list.first { $0["admin"] as? Bool == true && $0["login"] as? String != "ana.pop" }?["login"] as? String)
        let last = try cli.run(["user", "edit", admin, "--admin", "no"])
        #expect(last.status == 1 && last.stderr.contains("last enabled administrator"))
        // The audit trail: what was done to users, newest first, the hash never shown.
        let audit = try cli.ok("audit", "--user", admin, "--entity", "user", "--json").json()
        #expect(audit.map { $0["operation"] as? String } .prefix(3) == ["user.disable", "user.edit", "user.edit"])
        #expect(audit.allSatisfy { ($0["new"] as? String)?.contains("argon2") != true })
        #expect(try cli.ok("audit", "--since", "2999-01-01", "--json").json().isEmpty)
        #expect(try cli.run(["audit", "--since", "ieri"]).status == 1)
    }

    @Test func aSessionFromAnAddressNotAllowedIsRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init")
        let admin = try #require(try cli.ok("user", "list", "--json").json().first?["login"] as? String)
        try cli.ok("ip", "add", "Sediu", "192.168.10.0/24")
        let bad = try cli.run(["ip", "add", "Rău", "10.0.0.300"])
        #expect(bad.status == 1 && bad.stderr.contains("is not an IP address or CIDR range"))
        try cli.ok("user", "ip", admin, "Sediu")
        let from = { (address: String) in ["SSH_CONNECTION": "\(address) 52100 192.168.10.1 22"] }
        #expect(try cli.run(["account", "list"], env: from("192.168.10.44")).status == 0)
        let away = try cli.run(["account", "list"], env: from("203.0.113.9"))
        #expect(away.status == 1 && away.stderr.contains("may not work from 203.0.113.9; allowed: Sediu"))
        // From the office the administrator lifts the restriction again.
        try cli.run(["user", "ip", admin], env: from("192.168.10.44"))
        #expect(try cli.run(["account", "list"], env: from("203.0.113.9")).status == 0)
    }
}

@Suite struct RightsCLITests {
    /// The Unix login running the tests stops being an administrator and keeps
    /// read-only rights: every command that would change or take data out is refused.
    @Test func aReadOnlyUserIsRefusedEveryOtherActionOnTheCommandLine() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "5")
        let me = try #require(try cli.ok("user", "list", "--json").json().first { $0["unixLogin"] is String }?["login"] as? String)
        let shown = try cli.ok("user", "rights", "ioana.marin", "--role", "citire", "--grant", "accounts.export")
        #expect(shown.stdout.contains("accounts.export") && shown.stdout.contains("accounts.view") && !shown.stdout.contains("accounts.add"))
        try cli.ok("user", "rights", "ioana.marin", "--default")
        // Subscriptions: the modules a user may open.
        #expect(try cli.ok("user", "modules", "ioana.marin", "accounts", "campaigns").stdout.contains("accounts, campaigns"))
        #expect(try cli.run(["user", "modules", "ioana.marin", "zbor"]).status == 1)
        #expect(try cli.ok("user", "modules", "ioana.marin", "--all").stdout.contains("every module"))
        // Someone else administers from now on; this login may only look.
        try cli.ok("user", "edit", "ioana.marin", "--admin", "yes")
        try cli.ok("user", "rights", me, "--role", "citire")
        try cli.ok("user", "edit", me, "--admin", "no")
        #expect(try cli.run(["account", "list"]).status == 0)
        let template = cli.dir.appendingPathComponent("t.csv").path
        try cli.ok("template", "accounts", "-o", template)
        let refusals: [[String]] = [
            ["account", "add", "--name", "Nou SRL"],
            ["account", "edit", "CL0000001", "--city", "Arad"],
            ["account", "rm", "CL0000001"],
            ["export", "accounts", "-o", cli.dir.appendingPathComponent("x.csv").path],
            ["import", "accounts", template],
            ["user", "rights", me, "--default"],
        ]
        for args in refusals {
            let r = try cli.run(args)
            #expect(r.status == 1 && r.stderr.contains(me), "\(args): \(r.stderr)")
        }
    }

    /// A user limited to a zone, through every listing path of the command line:
    /// lists, search, counts, folders, exports, duplicates, an account by
    /// reference, its contacts and history; and writes only in that zone.
    @Test func aZoneLimitedUserSeesOnlyTheirZoneEverywhere() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "80")
        let all = try cli.ok("account", "list", "--json", "--limit", "0").json()
        let outside = try #require(all.first { $0["zone"] as? String != "Vest" })
        let outsideCode = try #require(outside["code"] as? String)
        let vest = all.filter { $0["zone"] as? String == "Vest" }
        #expect(!vest.isEmpty)
        // Two look-alikes, one in Vest and one elsewhere, for the duplicates.
        try cli.ok("account", "add", "--name", "Zmeul Vest SRL", "--code", "ZV1", "--zone", "Vest", "--email", "zmeu@vest.ro")
        try cli.ok("account", "add", "--name", "Zmeul Vest S.R.L.", "--code", "ZV2", "--zone", "Vest", "--email", "zmeu@vest.ro")
        try cli.ok("account", "add", "--name", "Zmeul Est SRL", "--code", "ZE1", "--zone", "Centru", "--email", "zmeu@est.ro")
        try cli.ok("account", "add", "--name", "Zmeul Est S.R.L.", "--code", "ZE2", "--zone", "Centru", "--email", "zmeu@est.ro")
        // This login hands administration to another user and keeps only Vest.
        let me = try #require(try cli.ok("user", "list", "--json").json().first { $0["unixLogin"] is String }?["login"] as? String)
        try cli.ok("user", "edit", "ioana.marin", "--admin", "yes")
        #expect(try cli.ok("user", "zones", me, "vest").stdout.contains("Zones of \(me): Vest"))
        try cli.ok("user", "edit", me, "--admin", "no")

        let listed = try cli.ok("account", "list", "--json", "--limit", "0").json()
        #expect(listed.count == vest.count + 2 && listed.allSatisfy { $0["zone"] as? String == "Vest" })
        #expect(Set(try cli.ok("account", "list", "--json", "--search", "zmeul").json().compactMap { $0["code"] as? String }) == ["ZV1", "ZV2"])
        #expect(try cli.ok("info", "--json").json().first?["accounts"] as? Int == vest.count + 2)
        let folders = try cli.ok("folder", "list", "--json").json()
        #expect(folders.first { $0["path"] as? String == "Conturi" }?["totalAccounts"] as? Int == vest.count + 2)
        let csv = cli.dir.appendingPathComponent("x.csv").path
        try cli.ok("export", "accounts", "-o", csv)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        #expect(lines.count == vest.count + 2 && !lines.contains { $0.contains(outsideCode) })
        let pairs = try cli.ok("duplicates", "scan", "--json", "--limit", "0").json()
        let named = pairs.flatMap { [$0["firstName"] as? String, $0["secondName"] as? String] }.compactMap { $0 }
        #expect(named.contains("Zmeul Vest SRL") && !named.contains("Zmeul Est SRL"))
        for args in [["account", "show", outsideCode], ["contact", "list", outsideCode], ["account", "history", outsideCode],
                     ["duplicates", "scan", "--account", "ZE1"], ["account", "edit", outsideCode, "--city", "Arad"],
                     ["merge", "ZV1", "ZE1"]] {
            let r = try cli.run(args)
            #expect(r.status == 1 && r.stderr.contains("not found"), "\(args): \(r.stderr)")
        }
        let elsewhere = try cli.run(["account", "add", "--name", "Alt Loc SRL", "--zone", "Centru"])
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("outside the zones you work in (Vest)"))
        let none = try cli.run(["account", "add", "--name", "Alt Loc SRL"])
        #expect(none.status == 1 && none.stderr.contains("zone: is required"))
        try cli.ok("account", "add", "--name", "Alt Loc SRL", "--zone", "Vest")
    }
}
