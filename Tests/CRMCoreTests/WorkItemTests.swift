import CRMCore
import CRMStore
import CRMText
import Foundation
import GRDB
import Testing

/// Opportunities, activities, notes with files and reminders, in the core.
@Suite struct WorkItemTests {
    /// A database whose clock the test moves.
    final class Clocked {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-items-\(UUID().uuidString)")
        let time = LockedBox<Int64>(1_795_000_000_000)
        let crm: CRM
        let admin: Actor
        var path: String { dir.appendingPathComponent("crm.sqlite").path }

        init() throws {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let time = self.time
            let store = try Store.open(path: dir.appendingPathComponent("crm.sqlite").path, mode: .createIfMissing, clock: { time.value })
            crm = CRM(store: store)
            admin = try crm.initialize(unixLogin: "tester")
            try crm.addAccount(AccountInput(fields: [.code: "A1", .name: "Alfa SRL"]), by: admin)
        }

        deinit { try? FileManager.default.removeItem(at: dir) }

        func minutes(_ n: Int64) { time.set(time.value + n * 60_000) }
        /// The local "YYYY-MM-DD HH:MM" of a moment, as a person types a reminder.
        func local(_ millis: Int64) -> String { String(Timestamp.local(millis).prefix(16)) }
    }

    @Test func theItemTablePagesByKeysetInEveryOrderFiltersCountsAndExports() throws {
        let db = try Clocked()
        try db.crm.addAccount(AccountInput(fields: [.code: "B2", .name: "Beta SA"]), by: db.admin)
        // 37 opportunities: some without an amount or a close date, amounts repeating (ties broken by id).
        for n in 0..<37 {
            var input: [WorkItemField: String] = [.details: "Ofertă \(n)", .stage: n % 3 == 0 ? "Ofertare" : "Prospectare"]
            if n % 4 != 0 { input[.amount] = "\(n % 5 * 100)" }
            if n % 6 != 0 { input[.closeDate] = "2027-01-\(String(format: "%02d", n % 28 + 1))" }
            try db.crm.addWorkItem(.opportunity, account: n % 2 == 0 ? "A1" : "B2", input, by: db.admin)
            db.minutes(1)
        }
        try db.crm.addWorkItem(.activity, account: "A1", [.details: "Vizită"], by: db.admin)
        for column in WorkItemOrder.Column.allCases {
            for descending in [false, true] {
                let view = WorkItemView(.opportunity, order: WorkItemOrder(column, descending: descending))
                let all = try db.crm.workItems(view, limit: 0, for: db.admin)
                #expect(all.count == 37)
                // The whole list, forwards and backwards in pages of 5, is the same list.
                var forward: [WorkItemDetails] = try db.crm.workItems(view, limit: 5, for: db.admin)
                while let last = forward.last {
                    let more = try db.crm.workItems(view, at: .after(view.order.cursor(last.record)), limit: 5, for: db.admin)
                    if more.isEmpty { break }
                    forward += more
                }
                #expect(forward.map(\.uuid) == all.map(\.uuid), "\(column) \(descending)")
                var backward: [WorkItemDetails] = try db.crm.workItems(view, at: .last, limit: 5, for: db.admin)
                while let first = backward.first {
                    let more = try db.crm.workItems(view, at: .before(view.order.cursor(first.record)), limit: 5, for: db.admin)
                    if more.isEmpty { break }
                    backward = more + backward
                }
                #expect(backward.map(\.uuid) == all.map(\.uuid), "\(column) \(descending)")
                // An empty value first going up, last going down.
                if column == .amount {
                    #expect((descending ? all.last : all.first)?.record.amount == nil)
                    let amounts = all.compactMap(\.record.amount)
                    #expect(amounts == (descending ? amounts.sorted(by: >) : amounts.sorted()))
                }
            }
        }
        #expect(try db.crm.workItems(WorkItemView(.opportunity), limit: 1, for: db.admin).first?.record.details == "Ofertă 36")
        // A stage, a search and a filter on any column narrow the list; the counts agree.
        let offers = try db.crm.workItems(WorkItemView(.opportunity, stages: ["ofertare"]), limit: 0, for: db.admin)
        #expect(offers.count == 13 && offers.allSatisfy { $0.stage.name == "Ofertare" })
        let stages = try db.crm.stages(.opportunity)
        let counts = try db.crm.stageCounts(.opportunity, for: db.admin)
        #expect(counts[stages[2].meta!.id] == 13 && counts[stages[0].meta!.id] == 24 && counts.count == 2)
        let filter = try Filter.parse("amount >= 300 and account contains beta")
        let filtered = try db.crm.workItems(WorkItemView(.opportunity, filters: [filter]), limit: 0, for: db.admin)
        #expect(!filtered.isEmpty && filtered.allSatisfy { ($0.record.amount ?? 0) >= 30_000 && $0.account.name == "Beta SA" })
        #expect(try db.crm.count(WorkItemView(.opportunity, filters: [filter]), for: db.admin) == filtered.count)
        #expect(try db.crm.count(WorkItemView(.opportunity), cap: 10, for: db.admin) == 10)
        #expect(try db.crm.count(WorkItemView(.opportunity, search: "ofertă 3"), for: db.admin) == 10)
        #expect(try db.crm.count(WorkItemView(.opportunity, search: "OFERTA 36"), for: db.admin) == 1)
        #expect(throws: CoreError.self) { try db.crm.count(WorkItemView(.opportunity, filters: [try Filter.parse("city = Cluj")]), for: db.admin) }
        // The export path gives the same rows, as typed cells.
        let columns = try db.crm.workItemColumns(.opportunity, for: db.admin).filter { ["account", "stage", "amount", "close"].contains($0.id) }
        var rows: [[CellValue]] = []
        try db.crm.forEachRow(in: WorkItemView(.opportunity, filters: [filter]), columns: columns, for: db.admin) { rows.append($0); return true }
        #expect(rows == filtered.map { d in
            [.text("Beta SA"), .text(d.stage.name), d.record.amount.map(CellValue.money) ?? .empty, d.record.closeDate.map(CellValue.date) ?? .empty]
        })
    }

    @Test func anOpportunityMovesThroughItsStagesWithExactMoney() throws {
        let db = try Clocked()
        let stages = try db.crm.stages(.opportunity)
        #expect(stages.map(\.name) == ["Prospectare", "Abordare", "Ofertare", "Comandă", "Câștigată", "Pierdută"])
        #expect(stages.filter(\.isWon).map(\.name) == ["Câștigată"] && stages.filter(\.isLost).map(\.name) == ["Pierdută"])
        let item = try db.crm.addWorkItem(.opportunity, account: "A1", [.amount: "1.234,56", .details: "Vânzare produs x 100 bucăți",
                                                                         .dueDate: "15.12.2026"], by: db.admin)
        #expect(item.amount == 123_456 && item.currency == "RON" && item.dueDate == "2026-12-15" && item.ownerID == db.admin.id)
        let uuid = item.meta!.uuid.description
        #expect(try db.crm.workItem(uuid, for: db.admin).stage.name == "Prospectare")
        // Stage, close date and reminder: one change.
        let changes = try db.crm.editWorkItem(uuid, [.stage: "ofertare", .closeDate: "2026-12-20", .reminder: "2026-12-19 09:30"],
                                              by: db.admin)
        #expect(Set(changes.map(\.field)) == ["stage_id", "close_date", "reminder_at"])
        #expect(try db.crm.workItem(uuid, for: db.admin).stage.name == "Ofertare")
        // Bad values are refused, each with its reason, and nothing changes.
        #expect {
            try db.crm.editWorkItem(uuid, [.stage: "Livrare", .amount: "12,345", .reminder: "mâine"], by: db.admin)
        } throws: { error in
            Set((error as? CoreError)?.issues.map(\.field) ?? []) == ["stage", "amount", "reminder"]
        }
        #expect(try db.crm.workItem(uuid, for: db.admin).record.amount == 123_456)
        // The administrator's list of stages.
        try db.crm.addStage(.opportunity, name: "Negociere", by: db.admin)
        try db.crm.moveStage(.opportunity, "Negociere", to: 4, by: db.admin)
        try db.crm.retireStage(.opportunity, "Abordare", by: db.admin)
        #expect(try db.crm.stages(.opportunity).map(\.name) == ["Prospectare", "Ofertare", "Negociere", "Comandă", "Câștigată", "Pierdută"])
        #expect(try db.crm.workItems(.opportunity, stages: ["Ofertare"], for: db.admin).map(\.uuid) == [uuid])
        // Activities have their own stages and a type.
        let visit = try db.crm.addWorkItem(.activity, account: "A1", [.type: "Vizită", .details: "Verificare instalare"], by: db.admin)
        #expect(try db.crm.workItem(visit.meta!.uuid.description, for: db.admin).stage.name == "Planificată")
        #expect(try db.crm.workItems(.opportunity, for: db.admin).count == 1 && db.crm.workItems(.activity, for: db.admin).count == 1)
    }

    @Test func aReminderIsDueOnTimeSnoozedAndNeverShownAgainOnceDismissed() throws {
        let db = try Clocked()
        let start = db.time.value
        let item = try db.crm.addWorkItem(.opportunity, account: "A1", [.reminder: db.local(start + 2 * 60_000 + 60_000)], by: db.admin)
        let uuid = item.meta!.uuid.description
        #expect(try db.crm.reminders(due: true, for: db.admin).isEmpty)
        #expect(try db.crm.reminders(for: db.admin).map(\.uuid) == [uuid])  // pending, not yet due
        db.minutes(4)
        #expect(try db.crm.reminders(due: true, for: db.admin).map(\.uuid) == [uuid])
        // Snoozed ten minutes: gone, then back.
        try db.crm.snoozeReminder(uuid, until: db.time.value + 10 * 60_000, by: db.admin)
        #expect(try db.crm.reminders(due: true, for: db.admin).isEmpty)
        db.minutes(11)
        #expect(try db.crm.reminders(due: true, for: db.admin).map(\.uuid) == [uuid])
        // Dismissed: never again, however late.
        try db.crm.dismissReminder(uuid, by: db.admin)
        db.minutes(60 * 24 * 30)
        #expect(try db.crm.reminders(due: true, for: db.admin).isEmpty && db.crm.reminders(for: db.admin).isEmpty)
        // A new time sets it again.
        try db.crm.editWorkItem(uuid, [.reminder: db.local(db.time.value + 60_000)], by: db.admin)
        db.minutes(2)
        #expect(try db.crm.reminders(due: true, for: db.admin).map(\.uuid) == [uuid])
        // Another user's reminder is theirs: not listed for the administrator, and not theirs to dismiss.
        let ana = Actor(user: try db.crm.addUser(UserRecord(login: "ana", name: "Ana"), by: db.admin))
        #expect(throws: CoreError.self) { try db.crm.dismissReminder(uuid, by: ana) }
        #expect(try db.crm.reminders(due: true, for: ana).isEmpty)
        #expect(try db.crm.reminders(due: true, user: "tester", for: db.admin).count == 1)
        #expect(throws: CoreError.self) { _ = try db.crm.reminders(user: "tester", for: ana) }
    }

    @Test func filesAreStoredOnceByContentWithinTheSizeLimit() throws {
        let db = try Clocked()
        let item = try db.crm.addWorkItem(.opportunity, account: "A1", [:], by: db.admin)
        let pdf = NoteAttachment(name: "/tmp/oferta.pdf", data: Array("%PDF-1.4 oferta".utf8))
        try db.crm.addNote(item: item.meta!.uuid.description, type: "telefon", text: "Sunat, trimis oferta", files: [pdf], by: db.admin)
        try db.crm.addNote(account: "A1", type: "E-mail", text: "Aceeași ofertă, pe e-mail", files: [pdf], by: db.admin)
        let blobs = try DatabaseQueue(path: db.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM file_blob") }
        #expect(blobs == 1)
        let notes = try db.crm.notes(account: "A1", for: db.admin)
        #expect(notes.count == 2 && notes.allSatisfy { $0.files.map(\.name) == ["oferta.pdf"] })
        #expect(notes.last?.record.type == "Telefon")  // the type as the list spells it
        #expect(try db.crm.notes(item: item.meta!.uuid.description, for: db.admin).count == 1)
        let file = try db.crm.file(notes[0].files[0].uuid, for: db.admin)
        #expect(file.name == "oferta.pdf" && file.data == pdf.data)
        // Too big: refused, with nothing stored.
        let big = NoteAttachment(name: "mare.bin", data: [UInt8](repeating: 7, count: CRM.maxFileSize + 1))
        #expect {
            try db.crm.addNote(account: "A1", type: nil, text: "mare", files: [big], by: db.admin)
        } throws: { error in
            (error as? CoreError)?.issues.map(\.reason) == [.fileTooLarge(maxMB: 25)]
        }
        #expect(try db.crm.notes(account: "A1", for: db.admin).count == 2)
        #expect(throws: CoreError.self) { try db.crm.addNote(account: "A1", type: "Fax", text: "x", by: db.admin) }
        try db.crm.addNoteType("Fax", by: db.admin)
        try db.crm.addNote(account: "A1", type: "fax", text: "Trimis pe fax", by: db.admin)
        // Deleting the account takes its items and notes along; merging moves them.
        try db.crm.addAccount(AccountInput(fields: [.code: "A2", .name: "Alfa S.R.L."]), by: db.admin)
        try db.crm.addWorkItem(.activity, account: "A2", [:], by: db.admin)
        try db.crm.addNote(account: "A2", type: nil, text: "Notă pe dublură", by: db.admin)
        let merged = try db.crm.merge(try db.crm.mergePlan(survivor: "A1", others: ["A2"], for: db.admin), by: db.admin)
        #expect(try db.crm.notes(account: "A1", for: db.admin).count == 4 && db.crm.workItems(.activity, account: "A1", for: db.admin).count == 1)
        try db.crm.undoMerge(merged.operation, by: db.admin)
        #expect(try db.crm.notes(account: "A2", for: db.admin).count == 1)
        try db.crm.deleteAccount("A1", by: db.admin)
        #expect(try db.crm.notes(for: db.admin).count == 1 && db.crm.workItems(.opportunity, for: db.admin).isEmpty)
    }

    @Test func rightsAndZonesHoldForItemsAndNotes() throws {
        let db = try Clocked()
        for zone in ["Nord", "Sud"] { try db.crm.addZone(name: zone, by: db.admin) }
        try db.crm.editAccount("A1", AccountInput(fields: [.zone: "Sud"]), by: db.admin)
        try db.crm.addAccount(AccountInput(fields: [.code: "N1", .name: "Nord SRL", .zone: "Nord"]), by: db.admin)
        let south = try db.crm.addWorkItem(.opportunity, account: "A1", [.reminder: db.local(db.time.value)], by: db.admin)
        try db.crm.addNote(account: "A1", type: nil, text: "Doar pentru Sud", by: db.admin)
        try db.crm.addUser(UserRecord(login: "ion", name: "Ion", unixLogin: "ion"), zones: ["Nord"], by: db.admin)
        let ion = try db.crm.actor(unixLogin: "ion", from: nil)
        #expect(try db.crm.workItems(.opportunity, for: ion).isEmpty && db.crm.notes(for: ion).isEmpty)
        #expect(throws: CoreError.self) { _ = try db.crm.workItem(south.meta!.uuid.description, for: ion) }
        #expect(throws: CoreError.self) { try db.crm.addNote(item: south.meta!.uuid.description, type: nil, text: "x", by: ion) }
        try db.crm.addWorkItem(.opportunity, account: "N1", [:], by: ion)
        #expect(try db.crm.workItems(.opportunity, for: ion).count == 1)
        // Without "opportunities: add" the core refuses, whatever the entry point.
        try db.crm.setUserRights("ion", Rights.roles["citire"], by: db.admin)
        let reader = try db.crm.actor(unixLogin: "ion", from: nil)
        #expect {
            try db.crm.addWorkItem(.opportunity, account: "N1", [:], by: reader)
        } throws: { error in
            guard case CoreError.refused(let text) = error else { return false }
            return text.en.contains("lacks the right to add in Opportunities")
        }
        #expect(try db.crm.workItems(.opportunity, for: reader).count == 1)
        // An item follows its account into another zone (the database keeps the item's copy of it):
        // the table, its count and its stages' counts show it to the zone's users at once.
        func seen() throws -> (rows: Int, count: Int, stages: Int) {
            (try db.crm.workItems(WorkItemView(.opportunity), limit: 0, for: reader).count,
             try db.crm.count(WorkItemView(.opportunity, stages: ["Prospectare"]), for: reader),
             try db.crm.stageCounts(.opportunity, for: reader).values.reduce(0, +))
        }
        #expect(try seen() == (1, 1, 1))
        try db.crm.editAccount("A1", AccountInput(fields: [.zone: "Nord"]), by: db.admin)
        #expect(try seen() == (2, 2, 2))
        try db.crm.editAccount("A1", AccountInput(fields: [.zone: "Sud"]), by: db.admin)
        #expect(try seen() == (1, 1, 1))
    }

    @Test func opportunitiesHaveTheirOwnCustomFields() throws {
        let db = try Clocked()
        try db.crm.addCustomColumn(entity: "opportunity", label: "Probabilitate", type: .number, mandatory: true, by: db.admin)
        try db.crm.addCustomColumn(entity: "opportunity", label: "Cod ERP", type: .text, unique: true, by: db.admin)
        #expect(throws: CoreError.self) {
            try db.crm.addCustomColumn(entity: "opportunity", label: "Stage", type: .text, by: db.admin)  // a standard field's name
        }
        #expect {
            try db.crm.addWorkItem(.opportunity, account: "A1", [:], by: db.admin)
        } throws: { error in
            (error as? CoreError)?.issues.map(\.field) == ["probabilitate"]
        }
        let item = try db.crm.addWorkItem(.opportunity, account: "A1", [:], custom: ["probabilitate": "60", "Cod ERP": "E-1"], by: db.admin)
        let shown = try db.crm.workItem(item.meta!.uuid.description, for: db.admin)
        #expect(shown.custom.map(\.value) == [.int(60), .text("E-1")])
        #expect {
            try db.crm.addWorkItem(.opportunity, account: "A1", [:], custom: ["probabilitate": "10", "cod_erp": "E-1"], by: db.admin)
        } throws: { error in
            (error as? CoreError)?.issues.map(\.field) == ["cod_erp"]
        }
        // Activities do not have the opportunities' columns; a value for one is refused.
        #expect(throws: CoreError.self) { try db.crm.addWorkItem(.activity, account: "A1", [:], custom: ["probabilitate": "5"], by: db.admin) }
        try db.crm.editWorkItem(item.meta!.uuid.description, [:], custom: ["probabilitate": "80"], by: db.admin)
        #expect(try db.crm.workItem(item.meta!.uuid.description, for: db.admin).custom.first?.value == .int(80))
        #expect(throws: CoreError.self) { try db.crm.editWorkItem(item.meta!.uuid.description, [:], custom: ["probabilitate": ""], by: db.admin) }
    }

    @Test func amountsRemindersStagesAndFileNamesHoldUnderEdits() throws {
        let db = try Clocked()
        let item = try db.crm.addWorkItem(.opportunity, account: "A1", [.amount: "100", .currency: "eur"], by: db.admin)
        let uuid = item.meta!.uuid.description
        // A new amount keeps the item's currency; a sign inside a number is no number.
        try db.crm.editWorkItem(uuid, [.amount: "250,50"], by: db.admin)
        #expect(try db.crm.workItem(uuid, for: db.admin).record.amount == 25_050 && db.crm.workItem(uuid, for: db.admin).record.currency == "EUR")
        for bad in ["100-200", "1.234,56-", "--5", "+-1"] {
            #expect(throws: CoreError.self, "\(bad)") { try db.crm.editWorkItem(uuid, [.amount: bad], by: db.admin) }
        }
        // A dismissed reminder saved again at the same time stays dismissed; a pop-up's stale view is refused.
        let at = db.local(db.time.value + 60_000)
        try db.crm.editWorkItem(uuid, [.reminder: at], by: db.admin)
        let shown = try db.crm.workItem(uuid, for: db.admin).record.reminderAt
        try db.crm.editWorkItem(uuid, [.reminder: db.local(db.time.value + 120_000)], by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.dismissReminder(uuid, seen: shown, by: db.admin) }
        try db.crm.dismissReminder(uuid, by: db.admin)
        try db.crm.editWorkItem(uuid, [.reminder: db.local(db.time.value + 120_000)], by: db.admin)
        #expect(try db.crm.workItem(uuid, for: db.admin).record.reminderDone)
        // The last active stage cannot be retired.
        for stage in ["Planificată", "În lucru", "Rezolvată"] { try db.crm.retireStage(.activity, stage, by: db.admin) }
        #expect(throws: CoreError.self) { try db.crm.retireStage(.activity, "Anulată", by: db.admin) }
        // A file is never stored under a hidden file's name.
        try db.crm.addNote(account: "A1", type: nil, text: "x", files: [NoteAttachment(name: "/home/x/.profile", data: [1])], by: db.admin)
        #expect(try db.crm.notes(account: "A1", for: db.admin).first?.files.map(\.name) == ["profile"])
        // Typed % and _ are plain letters in a search.
        try db.crm.addNote(account: "A1", type: nil, text: "reducere 10% la plata_rapida", by: db.admin)
        #expect(try db.crm.notes(search: "10%", for: db.admin).count == 1 && db.crm.notes(search: "1_%", for: db.admin).isEmpty)
    }

    @Test func thePlanningCountsOpenWorkPerDayAndUser() throws {
        let db = try Clocked()
        let ana = try db.crm.addUser(UserRecord(login: "ana", name: "Ana"), by: db.admin)
        try db.crm.addWorkItem(.opportunity, account: "A1", [.dueDate: "2026-12-01"], by: db.admin)
        try db.crm.addWorkItem(.opportunity, account: "A1", [.dueDate: "2026-12-01", .owner: "ana"], by: db.admin)
        try db.crm.addWorkItem(.activity, account: "A1", [.dueDate: "2026-12-01"], by: db.admin)
        try db.crm.addWorkItem(.opportunity, account: "A1", [.dueDate: "2026-12-02", .stage: "Câștigată"], by: db.admin)  // over
        try db.crm.addWorkItem(.activity, account: "A1", [.dueDate: "2027-01-15"], by: db.admin)  // outside the range
        let plan = try db.crm.planning(from: "2026-12-01", to: "31.12.2026", for: db.admin)
        #expect(plan.map { "\($0.day) \($0.owner ?? "-") \($0.opportunities) \($0.activities)" }
                == ["2026-12-01 tester 1 1", "2026-12-01 ana 1 0"])
        #expect(try db.crm.planning(from: "2026-12-01", to: "2026-12-31", users: ["ana"], for: db.admin).map(\.opportunities) == [1])
        _ = ana
    }

    @Test func aNoteAddedAfterAMergeFollowsItsItemWhenTheMergeIsUndone() throws {
        let db = try Clocked()
        try db.crm.addAccount(AccountInput(fields: [.code: "A2", .name: "Alfa S.R.L."]), by: db.admin)
        let item = try db.crm.addWorkItem(.opportunity, account: "A2", [:], by: db.admin)
        let merged = try db.crm.merge(try db.crm.mergePlan(survivor: "A1", others: ["A2"], for: db.admin), by: db.admin)
        try db.crm.addNote(item: item.meta!.uuid.description, type: nil, text: "După unificare", by: db.admin)
        try db.crm.undoMerge(merged.operation, by: db.admin)
        #expect(try db.crm.workItem(item.meta!.uuid.description, for: db.admin).account.code == "A2")
        #expect(try db.crm.notes(account: "A2", for: db.admin).map(\.record.text) == ["După unificare"])
        #expect(try db.crm.notes(account: "A1", for: db.admin).isEmpty)
        try db.crm.deleteWorkItem(item.meta!.uuid.description, by: db.admin)  // no note left behind to stop it
    }
}
