import Foundation
import Testing

/// `crm opportunity`, `crm activity`, `crm note`, `crm file`, `crm reminders`.
@Suite struct WorkItemCLITests {
    @Test func opportunitiesActivitiesNotesFilesAndRemindersFromTheCommandLine() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("demo", "--accounts", "50")
        let summary = try cli.ok("info", "--json").json()
        #expect(summary.first?["accounts"] as? Int == 50)
        let listed = try cli.ok("opportunity", "list", "--json", "--limit", "0").json().count
        #expect(summary.first?["opportunities"] as? Int == listed && listed > 0)
        #expect(try cli.ok("opportunity", "list", "--json", "--limit", "0").json().count > 0)  // the demo's

        try cli.ok("account", "add", "--name", "Oportun SRL", "--code", "OP1", "--zone", "Centru")
        let added = try cli.ok("opportunity", "add", "OP1", "--amount", "12 500,50", "--due", "20.12.2026", "--details", "Licențe software",
                               "--reminder", "2020-01-01 09:00", "--json").json()
        let uuid = try #require(added.first?["uuid"] as? String)
        #expect(added.first?["amount"] as? NSNumber == 12500.5 && added.first?["currency"] as? String == "RON")
        #expect(added.first?["stage"] as? String == "Prospectare" && added.first?["dueDate"] as? String == "2026-12-20")
        try cli.ok("opportunity", "stage", uuid, "ofertare", "--close", "2026-12-31")
        let shown = try cli.ok("opportunity", "show", uuid, "--json").json().first
        #expect(shown?["stage"] as? String == "Ofertare" && shown?["closeDate"] as? String == "2026-12-31")
        let bad = try cli.run(["opportunity", "edit", uuid, "--amount", "doisprezece", "--stage", "Livrare"])
        #expect(bad.status == 1 && bad.stderr.contains("amount:") && bad.stderr.contains("stage:") && bad.stderr.contains("Prospectare"))

        // A note with a file, the file back out.
        let file = cli.dir.appendingPathComponent("oferta.txt")
        try "Ofertă: 10 licențe".write(to: file, atomically: true, encoding: .utf8)
        try cli.ok("note", "add", "--item", uuid, "--type", "telefon", "--text", "Sunat, trimis oferta", "--file", file.path)
        let notes = try cli.ok("note", "list", "--account", "OP1", "--json").json()
        let files = try #require(notes.first?["files"] as? [[String: Any]])
        #expect(notes.first?["type"] as? String == "Telefon" && files.first?["name"] as? String == "oferta.txt")
        let back = cli.dir.appendingPathComponent("inapoi.txt").path
        try cli.ok("file", "get", try #require(files.first?["uuid"] as? String), "-o", back)
        #expect(try String(contentsOfFile: back, encoding: .utf8) == "Ofertă: 10 licențe")
        let again = try cli.run(["file", "get", try #require(files.first?["uuid"] as? String), "-o", back])
        #expect(again.status == 1 && again.stderr.contains("exists already"))
        // Note și fișiere: searched (text, account, file name; diacritics aside), filtered by type, exported.
        #expect(try cli.ok("note", "list", "--search", "OFERTĂ oportun", "--json").json().map { $0["account"] as? String } == ["Oportun SRL"])
        #expect(try cli.ok("note", "list", "--search", "oferta.txt", "--type", "telefon", "--json").json().count == 1)
        #expect(try cli.ok("note", "list", "--search", "oferta.txt", "--type", "E-mail", "--json").json().isEmpty)
        #expect(try cli.run(["note", "list", "--type", "Fax"]).stderr.contains("type:"))
        let exported = cli.dir.appendingPathComponent("note.csv").path
        try cli.ok("note", "list", "--search", "oportun", "-o", exported)
        let csv = try String(contentsOfFile: exported, encoding: .utf8)
        #expect(csv.hasPrefix("Date,Account,Type,Text,Files,By") && csv.contains("Oportun SRL,Telefon,\"Sunat, trimis oferta\",oferta.txt"))
        let missing = try cli.run(["note", "add", "--account", "OP1", "--text", "x", "--file", "/nonexistent/f.pdf"])
        #expect(missing.status == 1 && missing.stderr.contains("cannot read the file /nonexistent/f.pdf"))

        // The reminder, long due: listed, snoozed, dismissed for good.
        #expect(try cli.ok("reminders", "--due", "--json").json().contains { $0["uuid"] as? String == uuid })
        try cli.ok("reminders", "--snooze", uuid, "--for", "60")
        #expect(try !cli.ok("reminders", "--due", "--json").json().contains { $0["uuid"] as? String == uuid })
        try cli.ok("reminders", "--dismiss", uuid)
        #expect(try !cli.ok("reminders", "--json").json().contains { $0["uuid"] as? String == uuid })

        // The list searched, sorted and exported.
        try cli.ok("opportunity", "add", "OP1", "--amount", "99", "--details", "Mobilier birou")
        #expect(try cli.ok("opportunity", "list", "--search", "LICENTE oportun", "--json").json().map { $0["uuid"] as? String } == [uuid])
        let byAmount = try cli.ok("opportunity", "list", "--account", "OP1", "--sort", "amount", "--json").json()
        #expect(byAmount.compactMap { $0["details"] as? String } == ["Mobilier birou", "Licențe software"])
        #expect(try cli.ok("opportunity", "list", "--account", "OP1", "--sort", "amount", "--desc", "--json").json()
                .compactMap { $0["details"] as? String } == ["Licențe software", "Mobilier birou"])
        let sheet = cli.dir.appendingPathComponent("oportunitati.csv").path
        try cli.ok("opportunity", "list", "--account", "OP1", "-o", sheet)
        let rows = try String(contentsOfFile: sheet, encoding: .utf8)
        #expect(rows.hasPrefix("Account,Stage,Owner,Amount,Currency,Due date,Close date,Reminder,Details") && rows.contains("12500.50,RON,2026-12-20"))
        // Custom fields of opportunities (OPP-2).
        try cli.ok("column", "add", "--entity", "opportunity", "--label", "Probabilitate", "--type", "number")
        try cli.ok("opportunity", "edit", uuid, "--field", "probabilitate=75")
        let custom = try cli.ok("opportunity", "show", uuid, "--json").json().first?["custom"] as? [String: Any]
        #expect(custom?["probabilitate"] as? Int == 75)
        // Activities and the stages of each kind.
        let activity = try cli.ok("activity", "add", "OP1", "--type", "Vizită", "--details", "Instalare", "--json").json().first
        #expect(activity?["stage"] as? String == "Planificată" && activity?["type"] as? String == "Vizită")
        try cli.ok("opportunity", "stages", "--add", "Negociere", "--move", "Negociere", "--to", "4")
        let stages = try cli.ok("opportunity", "stages", "--json").json().map { $0["name"] as? String }
        #expect(stages == ["Prospectare", "Abordare", "Ofertare", "Negociere", "Comandă", "Câștigată", "Pierdută"])

        // A user without "opportunities: add" is refused by the command line too.
        let me = try #require(try cli.ok("user", "list", "--json").json().first { $0["unixLogin"] is String }?["login"] as? String)
        try cli.ok("user", "edit", "ioana.marin", "--admin", "yes")
        try cli.ok("user", "rights", me, "--role", "citire")
        try cli.ok("user", "edit", me, "--admin", "no")
        let refused = try cli.run(["opportunity", "add", "OP1", "--details", "Nu se poate"])
        #expect(refused.status == 1 && refused.stderr.contains("lacks the right to add in Opportunities"))
        #expect(try cli.run(["opportunity", "rm", uuid]).status == 1)
        #expect(try cli.ok("opportunity", "show", uuid, "--json").json().count == 1)
    }
}
