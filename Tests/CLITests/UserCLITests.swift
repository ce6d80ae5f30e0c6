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
}
