import CRMCore
import CRMDocuments
import CRMStore
import Foundation
import Testing
import TUIKit
@testable import CRMApp

@Suite struct MergeViewTests {
    @Test func aPairFromTheDuplicatesViewIsMergedSideBySideAndUndone() throws {
        let db = try DemoDatabase(accounts: 20)
        let first = try db.crm.addAccount(AccountInput(fields: [.name: "AAA Unire Test SRL", .city: "Arad", .zone: "Vest"]), by: db.admin)
        let second = try db.crm.addAccount(AccountInput(fields: [.name: "S.C. AAA UNIRE TEST S.R.L.", .city: "Deva", .zone: "Vest",
                                                                  .email: "office@unire.ro"]), by: db.admin)
        try db.crm.addContact(toAccount: second.meta!.uuid.description, [.name: "Ilie Unire"], by: db.admin)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 35)
        db.more(&browser, terminal, [.home, .ctrl("p")] + type("identificare duplicate") + [.enter, .char("u")])
        guard case .merge(let view)? = browser.overlay else { Issue.record("no merge view"); return }
        #expect(view.plan.accounts.map { $0.record.meta!.id } == [first.meta!.id, second.meta!.id])
        #expect(terminal.text.contains("Unificare duplicate") && terminal.text.contains("AAA Unire Test SRL")
                && terminal.text.contains("S.C. AAA UNIRE TEST S.R.L.") && terminal.text.contains("1 contacte"))
        // The rows are the fields that differ; the newer city (Deva) is proposed, → (wrapping) takes the first one.
        let cityRow = try #require(view.rows.firstIndex { view.plan.fields[$0].name == "city" })
        #expect(view.plan.fields[view.rows[cityRow]].chosen == 1)
        db.more(&browser, terminal, Array(repeating: .down, count: cityRow) + [.right])
        guard case .merge(let moved)? = browser.overlay else { Issue.record("the merge view closed"); return }
        #expect(moved.plan.fields[moved.rows[cityRow]].chosen == 0)
        db.more(&browser, terminal, [.enter])
        #expect(browser.overlay == nil)
        #expect(terminal.text.contains("1 conturi unite în"))
        let merged = try db.crm.account(first.meta!.uuid.description, for: db.admin)
        #expect(merged.record.city == "Arad" && merged.record.email == "office@unire.ro")
        #expect(try db.crm.contacts(ofAccount: first.meta!.uuid.description, for: db.admin).map(\.name) == ["Ilie Unire"])
        // Undo from the palette: the second account is back, with its contact.
        db.more(&browser, terminal, [.ctrl("p")] + type("anulare unificare") + [.enter])
        #expect(terminal.text.contains("a fost anulată"))
        #expect(try db.crm.account(second.meta!.uuid.description, for: db.admin).record.city == "Deva")
        #expect(try db.crm.contacts(ofAccount: second.meta!.uuid.description, for: db.admin).map(\.name) == ["Ilie Unire"])
    }

    @Test func selectedAccountsAreMergedIntoTheOneUnderTheCursor() throws {
        let db = try DemoDatabase(accounts: 10)
        let names = try db.names()
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 35)
        // Fewer than two selected: a hint, no view.
        db.more(&browser, terminal, [.ctrl("p")] + type("unificare duplicate") + [.enter])
        #expect(browser.overlay == nil && terminal.text.contains("cel puțin două conturi"))
        db.more(&browser, terminal, [.char(" "), .char(" "), .up, .ctrl("p")] + type("unificare duplicate") + [.enter])
        guard case .merge(let view)? = browser.overlay else { Issue.record("no merge view"); return }
        #expect(view.plan.accounts.map(\.record.name) == [names[1], names[0]])
        db.more(&browser, terminal, [.function(2)])
        #expect(try db.names().count == names.count - 1)
    }
}

@Suite struct ImportDialogTests {
    @Test func pathCompletionFillsTheCommonPartAndListsTheChoices() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-complete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("date"), withIntermediateDirectories: true)
        for name in ["conturi-2024.xlsx", "conturi-2025.csv", "contracte.pdf"] {
            FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data())
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let (text, candidates) = PathCompletion.complete(dir.path + "/cont", extensions: ["xlsx", "csv"])
        #expect(text == dir.path + "/conturi-202" && candidates == ["conturi-2024.xlsx", "conturi-2025.csv"])
        #expect(PathCompletion.complete(dir.path + "/da", extensions: ["xlsx"]).text == dir.path + "/date/")
        #expect(PathCompletion.complete(dir.path + "/x", extensions: ["xlsx"]).candidates.isEmpty)
    }

    /// A CSV with the template's columns: the example row changed into `rows` accounts.
    func file(_ db: DemoDatabase, rows: Int, bad: Int? = nil) throws -> String {
        let template = db.dir.appendingPathComponent("T.csv").path
        try AccountTemplate.write(to: template, crm: db.crm, actor: db.admin)
        let lines = try String(contentsOfFile: template, encoding: .utf8).split(separator: "\r\n").map(String.init)
        let example = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var text = lines[0] + "\r\n"
        for i in 0..<rows {
            var fields = example
            fields[0] = "TI\(i)"
            fields[1] = "Import Ecran \(i) SRL"
            fields[3] = ""
            fields[13] = i == bad ? "nu-e-email" : "office\(i)@ecran.ro"
            text += fields.joined(separator: ",") + "\r\n"
        }
        let path = db.dir.appendingPathComponent("import-ecran.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func importDataShowsAPreviewThenImportsWithProgress() throws {
        let db = try DemoDatabase(accounts: 10)
        let path = try file(db, rows: 30)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 35)
        db.more(&browser, terminal, [.ctrl("p")] + type("import date") + [.enter, .ctrl("u")] + type(path) + [.function(2)])
        guard case .importPreview(let preview)? = browser.overlay else { Issue.record("no preview: \(terminal.text)"); return }
        #expect(preview.rows.count == 8 && preview.rows[0].fields[1] == "Import Ecran 0 SRL")
        #expect(terminal.text.contains("Import date: import-ecran.csv") && terminal.text.contains("Import Ecran 7 SRL")
                && terminal.text.contains("duplicatele se sar"))
        // Esc goes back to the dialog with the same choices; F2 and Enter import.
        db.more(&browser, terminal, [.escape])
        guard case .dialog(let dialog)? = browser.overlay else { Issue.record("no dialog"); return }
        #expect(dialog.form.value("file") == path)
        db.more(&browser, terminal, [.function(2), .enter])
        #expect(browser.overlay == nil)
        #expect(terminal.text.contains("30 adăugate, 0 actualizate, 0 sărite, 0 refuzate"))
        #expect(try db.names().filter { $0.hasPrefix("Import Ecran") }.count == 30)
    }

    @Test func aRefusedImportChangesNothingAndWritesTheBadRowsWithReasons() throws {
        let db = try DemoDatabase(accounts: 10)
        let path = try file(db, rows: 12, bad: 5)
        let before = try db.names()
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 160, height: 35)
        db.more(&browser, terminal, [.ctrl("p")] + type("import date") + [.enter, .ctrl("u")] + type(path) + [.function(2), .enter])
        #expect(terminal.text.contains("1 rânduri greșite; nu s-a importat nimic"))
        #expect(try db.names() == before)
        let rejects = db.dir.appendingPathComponent("import-ecran-respinse.xlsx").path
        #expect(FileManager.default.fileExists(atPath: rejects))
        // A file that is not there: the dialog says so under the field.
        db.more(&browser, terminal, [.ctrl("p")] + type("import date") + [.enter, .ctrl("u")] + type(path + ".nu") + [.function(2)])
        #expect(terminal.text.contains("Fișierul nu există"))
    }

    @Test func theTemplateIsSavedFromTheInterface() throws {
        let db = try DemoDatabase(accounts: 5)
        let target = db.dir.appendingPathComponent("sablon.xlsx").path
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 35)
        db.more(&browser, terminal, [.ctrl("p")] + type("salvare sablon") + [.enter, .ctrl("u")] + type(target) + [.function(2)])
        #expect(terminal.text.contains("Șablon scris"))
        let records = try TableFiles.reader(path: target)
        #expect(try records.next()?.fields.prefix(3) == ["Cod", "Denumire", "Tip"])
    }
}

@Suite struct SignInScreenTests {
    @Test func aPersonSignsInWithUserAndPasswordAndSeesWhyNot() throws {
        let db = try DemoDatabase(accounts: 5)
        try db.crm.addUser(login: "ana.pop", name: "Ana Pop", password: "parola-lunga-1", by: db.admin)
        var screen = SignInScreen(crm: db.crm, language: .ro, source: nil)
        let terminal = MemoryTerminal(width: 100, height: 30)
        terminal.keys = type("ana.pop") + [.enter] + type("gresita-lunga") + [.enter]
        AppLoop.run(&screen, on: terminal)
        #expect(screen.actor == nil)
        #expect(terminal.text.contains("crm — Autentificare") && terminal.text.contains("utilizator sau parolă greșite"))
        #expect(!terminal.text.contains("gresita"))  // the password shows as dots
        terminal.keys = type("parola-lunga-1") + [.enter]
        AppLoop.run(&screen, on: terminal)
        #expect(screen.actor?.login == "ana.pop")
    }
}

@Suite struct OthersChangesTests {
    @Test func anotherSessionsChangeReloadsThePageKeepingTheCursor() throws {
        let db = try DemoDatabase(accounts: 20)
        var browser = db.browser()
        let terminal = MemoryTerminal(width: 120, height: 35)
        db.more(&browser, terminal, [.down, .down, .down])
        let selected = try #require(browser.selectedAccount?.record.meta?.uuid)
        _ = browser.idle()
        #expect(browser.externalReloads == 0)
        // Another process (its own connection) adds an account that sorts first.
        let other = CRM(store: try Store.open(path: db.dir.appendingPathComponent("crm.sqlite").path, mode: .existing))
        let admin = try other.actor(unixLogin: "tester", from: nil)
        try other.addAccount(AccountInput(fields: [.name: "AAAA Alt Proces SRL", .zone: "Vest"]), by: admin)
        _ = browser.idle()
        #expect(browser.externalReloads == 1)
        #expect(browser.selectedAccount?.record.meta?.uuid == selected)
        db.more(&browser, terminal, [.home])
        #expect(browser.selectedAccount?.record.name == "AAAA Alt Proces SRL")
        // Under an open dialog nothing moves.
        try other.addAccount(AccountInput(fields: [.name: "AAAB Alt Proces SRL", .zone: "Vest"]), by: admin)
        browser.overlay = .help(scroll: 0)
        _ = browser.idle()
        #expect(browser.externalReloads == 1)
    }
}
