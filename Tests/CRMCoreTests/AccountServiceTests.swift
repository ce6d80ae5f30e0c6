import CRMStore
import CRMText
import Foundation
import Testing
@testable import CRMCore

@Suite struct AccountServiceTests {
    @Test func addNormalisesAndValidates() throws {
        let db = try TestDatabase()
        let input = AccountInput(fields: [
            .name: "  Ştiinţa Aplicată SRL ", .cui: "ro 14399840", .email: "Office@Stiinta.RO", .phone: "0264 123 456",
            .iban: "ro49 aaaa 1b31 0075 9384 0000", .city: "Cluj-Napoca", .county: "Cluj",
        ])
        let saved = try db.crm.addAccount(input, by: db.admin)
        #expect(saved.name == "Știința Aplicată SRL")
        #expect(saved.cui == "14399840")
        #expect(saved.vatPayer)
        #expect(saved.email == "Office@stiinta.ro")
        #expect(saved.phone == "+40264123456")
        #expect(saved.iban == "RO49AAAA1B31007593840000")
        #expect(saved.meta?.createdBy == db.admin.id)
        #expect(saved.meta?.version == 1)
        let details = try db.crm.account("RO14399840", for: db.admin)
        #expect(details.folderPath == "Conturi")
        #expect(details.text(.cui) == "RO14399840")
    }

    @Test func invalidFieldsAreReportedTogether() throws {
        let db = try TestDatabase()
        let input = AccountInput(fields: [.name: "X", .cui: "123", .iban: "RO00XXXX", .email: "nope", .phone: "12"])
        let error = #expect(throws: CoreError.self) { try db.crm.addAccount(input, by: db.admin) }
        let fields = Set(error?.issues.map(\.field) ?? [])
        #expect(fields == ["cui", "iban", "email", "phone"])
        #expect(try db.crm.accountCount(for: db.admin) == 0)
    }

    @Test func nameIsRequiredAndCodeUnique() throws {
        let db = try TestDatabase()
        let missing = #expect(throws: CoreError.self) { try db.crm.addAccount(AccountInput(fields: [.city: "Iași"]), by: db.admin) }
        #expect(missing?.issues.first?.reason == .required)
        try db.crm.addAccount(AccountInput(fields: [.name: "A", .code: "C1"]), by: db.admin)
        let dup = #expect(throws: CoreError.self) {
            try db.crm.addAccount(AccountInput(fields: [.name: "B", .code: "C1"]), by: db.admin)
        }
        #expect(dup?.issues.first?.reason == .duplicate(of: "A"))
    }

    @Test func editChangesOnlyGivenFieldsAndChecksVersion() throws {
        let db = try TestDatabase()
        let a = try db.crm.addAccount(AccountInput(fields: [.name: "Alfa SRL", .city: "Arad"]), by: db.admin)
        let ref = a.meta!.uuid.description
        let (edited, changes) = try db.crm.editAccount(ref, AccountInput(fields: [.city: "Deva", .name: "Alfa SRL"]),
                                                        expectedVersion: 1, by: db.admin)
        #expect(changes.map(\.field) == ["city"])
        #expect(edited.city == "Deva")
        #expect(edited.meta?.version == 2)
        let stale = #expect(throws: CoreError.self) {
            try db.crm.editAccount(ref, AccountInput(fields: [.city: "Brad"]), expectedVersion: 1, by: db.admin)
        }
        #expect(stale == .store(.staleVersion(entity: "account", id: a.meta!.id, expected: 1, found: 2)))
        let (_, none) = try db.crm.editAccount(ref, AccountInput(fields: [.city: "Deva"]), by: db.admin)
        #expect(none.isEmpty)
        let (cleared, _) = try db.crm.editAccount(ref, AccountInput(fields: [.city: ""]), by: db.admin)
        #expect(cleared.city == nil)
    }

    @Test func resolveByCodeCUINameAndReportAmbiguity() throws {
        let db = try TestDatabase()
        try db.crm.addAccount(AccountInput(fields: [.name: "Beta SA", .code: "B-1", .cui: "5022670"]), by: db.admin)
        try db.crm.addAccount(AccountInput(fields: [.name: "Gama SRL", .cui: "361579"]), by: db.admin)
        try db.crm.addAccount(AccountInput(fields: [.name: "Gama SRL"]), by: db.admin)
        #expect(try db.crm.account("B-1", for: db.admin).record.name == "Beta SA")
        #expect(try db.crm.account("RO5022670", for: db.admin).record.name == "Beta SA")
        #expect(try db.crm.account("beta sa", for: db.admin).record.code == "B-1")
        #expect(throws: CoreError.self) { try db.crm.account("Gama SRL", for: db.admin) }
        #expect(throws: CoreError.notFound(what: Localized(ro: "contul", en: "account"), ref: "Nimic")) {
            try db.crm.account("Nimic", for: db.admin)
        }
    }

    @Test func keysetPagesCoverEveryAccountOnceInRomanianOrder() throws {
        let db = try TestDatabase()
        let names = ["Zorile", "Țara", "Tudor", "Ștefan", "Sorin", "Îndrăzneala", "Ion", "Âna", "Ăsta", "Ana", "Ana"]
        for n in names { try db.crm.addAccount(AccountInput(fields: [.name: n]), by: db.admin) }
        var seen: [String] = []
        var cursor: PageCursor?
        repeat {
            let page = try db.crm.accounts(folder: nil, at: cursor.map(PagePosition.after) ?? .first, limit: 3, for: db.admin)
            seen += page.accounts.map(\.record.name)
            cursor = page.next
        } while cursor != nil
        #expect(seen == ["Ana", "Ana", "Ăsta", "Âna", "Ion", "Îndrăzneala", "Sorin", "Ștefan", "Tudor", "Țara", "Zorile"])
        // Backwards: the last page, then the one before it.
        let last = try db.crm.accounts(folder: nil, at: .last, limit: 3, for: db.admin).accounts
        #expect(last.map(\.record.name) == ["Tudor", "Țara", "Zorile"])
        let before = try db.crm.accounts(folder: nil, at: .before(PageCursor(key: SortKey.romanian("Tudor"), id: last[0].record.meta!.id)),
                                         limit: 3, for: db.admin).accounts
        #expect(before.map(\.record.name) == ["Îndrăzneala", "Sorin", "Ștefan"])
    }

    @Test(arguments: [AccountOrder.Column.name, .code, .city], [false, true])
    func keysetPagesInAnyOrderAndDirectionCoverEveryAccountOnce(column: AccountOrder.Column, descending: Bool) throws {
        let db = try TestDatabase()
        let rows: [(String, String?, String?)] = [("Zorile", "C9", "Arad"), ("Țara", nil, "Brașov"), ("Tudor", "C1", nil),
                                                  ("Ana", "C5", "Arad"), ("Ana", "C2", "Zalău"), ("Ion", nil, "Arad"), ("Ăsta", "C3", "Deva")]
        for (name, code, city) in rows {
            var fields: [AccountField: String] = [.name: name]
            if let code { fields[.code] = code }
            if let city { fields[.city] = city }
            try db.crm.addAccount(AccountInput(fields: fields), by: db.admin)
        }
        let order = AccountOrder(column, descending: descending)
        // Descending runs go through the column's own index, ascending ones without it: the same pages either way.
        if descending { try db.crm.prepare(order, for: db.admin) }
        let all = try db.crm.accounts(folder: nil, limit: 0, for: db.admin).accounts
        let expected = all.sorted {
            let (a, b) = (order.key(of: $0.record), order.key(of: $1.record))
            let (i, j) = ($0.record.meta!.id, $1.record.meta!.id)
            return descending ? (a, i) > (b, j) : (a, i) < (b, j)
        }.map { $0.record.meta!.id }
        var seen: [Int64] = []
        var cursor: PageCursor?
        repeat {
            let page = try db.crm.accounts(folder: nil, at: cursor.map(PagePosition.after) ?? .first, limit: 2, order: order, for: db.admin)
            seen += page.accounts.map { $0.record.meta!.id }
            cursor = page.next
        } while cursor != nil
        #expect(seen == expected)
        // Backwards from the end, page by page, gives the same list.
        var back: [Int64] = []
        var page = try db.crm.accounts(folder: nil, at: .last, limit: 2, order: order, for: db.admin).accounts
        while let first = page.first {
            back = page.map { $0.record.meta!.id } + back
            page = try db.crm.accounts(folder: nil, at: .before(first.cursor(order)), limit: 2, order: order, for: db.admin).accounts
        }
        #expect(back == expected)
    }

    @Test func customColumnsAreTypedMandatoryAndUnique() throws {
        let db = try TestDatabase()
        try db.crm.addCustomColumn(entity: "account", label: "Nr. angajați", type: .number, by: db.admin)
        try db.crm.addCustomColumn(entity: "account", label: "Capital", type: .money, by: db.admin)
        try db.crm.addCustomColumn(entity: "account", label: "Sursă", type: .choice, choices: ["Web", "Târg"], by: db.admin)
        try db.crm.addCustomColumn(entity: "account", label: "Cod ERP", type: .text, mandatory: true, unique: true, by: db.admin)
        let a = try db.crm.addAccount(AccountInput(fields: [.name: "A"], custom: [
            "nr_angajati": "42", "Capital": "1.234,56", "sursa": "targ", "cod_erp": "E1",
        ]), by: db.admin)
        let custom = try CustomValues.decode(a.custom)
        #expect(custom == ["nr_angajati": .int(42), "capital": .int(123456), "sursa": .text("Târg"), "cod_erp": .text("E1")])
        let details = try db.crm.account("A", for: db.admin)
        #expect(details.custom.map { CustomColumns.display($0.value, column: $0.column) } == ["42", "1234.56", "Târg", "E1"])

        let bad = #expect(throws: CoreError.self) {
            try db.crm.addAccount(AccountInput(fields: [.name: "B"], custom: ["nr_angajati": "mulți", "sursa": "Radio", "nu_exista": "1"]), by: db.admin)
        }
        #expect(Set(bad?.issues.map(\.field) ?? []) == ["nr_angajati", "sursa", "nu_exista", "cod_erp"])
        let dup = #expect(throws: CoreError.self) {
            try db.crm.addAccount(AccountInput(fields: [.name: "C"], custom: ["cod_erp": "E1"]), by: db.admin)
        }
        #expect(dup?.issues.first?.reason == .duplicate(of: "A"))
        let user = try db.user("vanzator")
        #expect(throws: CoreError.self) { try db.crm.addCustomColumn(entity: "account", label: "X", type: .text, by: user) }
    }

    @Test func deleteRemovesContactsToo() throws {
        let db = try TestDatabase()
        let a = try db.crm.addAccount(AccountInput(fields: [.name: "A"]), by: db.admin)
        try db.crm.addContact(toAccount: "A", [.name: "Ion Pop"], primary: true, by: db.admin)
        try db.crm.deleteAccount(a.meta!.uuid.description, by: db.admin)
        #expect(try db.crm.accountCount(for: db.admin) == 0)
        #expect(try db.store.read { try $0.count(ContactRecord.self) } == 0)
    }
}

@Suite struct FilterCoreTests {
    @Test func theWhereSyntaxReadsEveryOperator() throws {
        let f = try Filter.parse("city = \"Cluj-Napoca\" and custom.nr_angajati >= 10 and name ~ stiinta and code ^= CL "
                                 + "and email is not empty and notes is empty and custom.sursa in (\"Târg\", Telefon) "
                                 + "and created after 2026-01-01 and custom.client_din between 2020-01-01 .. 2020-12-31")
        #expect(f.combine == .all)
        #expect(f.criteria == [
            Criterion("city", .equals, ["Cluj-Napoca"]), Criterion("custom.nr_angajati", .atLeast, ["10"]),
            Criterion("name", .contains, ["stiinta"]), Criterion("code", .startsWith, ["CL"]), Criterion("email", .notEmpty),
            Criterion("notes", .empty), Criterion("custom.sursa", .inList, ["Târg", "Telefon"]),
            Criterion("created", .after, ["2026-01-01"]), Criterion("custom.client_din", .between, ["2020-01-01", "2020-12-31"]),
        ])
        #expect(try Filter.parse("city = Arad or city = Deva").combine == .any)
        for bad in ["city", "city = ", "city = a and b = c or d = e", "city === a", "city in (a, b", "= a", "city = \"open"] {
            #expect(throws: CoreError.self, "\(bad)") { try Filter.parse(bad) }
        }
    }

    @Test func filtersSelectByTypeAndFoldDiacritics() throws {
        let db = try TestDatabase()
        try db.crm.addCustomColumn(entity: "account", label: "Angajați", type: .number, by: db.admin)
        try db.crm.addCustomColumn(entity: "account", label: "Din", type: .date, by: db.admin)
        for (name, city, staff, since) in [("Alfa", "Brașov", "5", "2020-03-01"), ("Beta", "Bistrița", "50", "2021-07-15"),
                                           ("Gama", "Brasov", "500", ""), ("Delta", "", "", "2019-12-31")] {
            var custom: [String: String] = [:]
            if !staff.isEmpty { custom["angajati"] = staff }
            if !since.isEmpty { custom["din"] = since }
            try db.crm.addAccount(AccountInput(fields: [.name: name, .city: city], custom: custom), by: db.admin)
        }
        func names(_ where: String) throws -> [String] {
            try db.crm.accounts(AccountView(filters: [try Filter.parse(`where`)]), limit: 0, for: db.admin).accounts.map(\.record.name)
        }
        #expect(try names("city = brasov") == ["Alfa", "Gama"])
        #expect(try names("city ^= b and custom.angajati > 10") == ["Beta", "Gama"])
        #expect(try names("custom.angajati between 5 .. 50") == ["Alfa", "Beta"])
        #expect(try names("custom.din before 2020-06-01") == ["Alfa", "Delta"])
        #expect(try names("city is empty or custom.din after 2021-01-01") == ["Beta", "Delta"])
        #expect(try names("city in (Bistrița, Brașov)") == ["Alfa", "Beta", "Gama"])
        #expect(try names("created after 2000-01-01").count == 4)
        #expect(try db.crm.count(AccountView(filters: [try Filter.parse("custom.angajati >= 50")]), for: db.admin) == 2)
        #expect(throws: CoreError.self) { try names("custom.angajati > mulți") }
        #expect(throws: CoreError.self) { try names("nu_exista = 1") }
    }

    @Test func namedFiltersArePrivateUnlessAnAdministratorSharesThem() throws {
        let db = try TestDatabase()
        let user = Actor(user: try db.crm.addUser(UserRecord(login: "ana", name: "Ana"), by: db.admin))
        try db.crm.saveFilter("mari", table: "accounts", try Filter.parse("custom.x = 1 or city = Arad").withoutUnknown, by: user)
        try db.crm.saveFilter("arad", table: "accounts", try Filter.parse("city = Arad"), shared: true, by: db.admin)
        try db.crm.saveFilter("al meu", table: "accounts", try Filter.parse("city = Deva"), by: db.admin)
        #expect(try db.crm.savedFilters("accounts", for: user).map(\.name) == ["mari", "arad"])
        #expect(try db.crm.savedFilters("accounts", for: db.admin).map(\.name) == ["al meu", "arad"])
        #expect(throws: CoreError.self) { try db.crm.saveFilter("x", table: "accounts", Filter(), shared: true, by: user) }
        #expect(throws: CoreError.self) { try db.crm.deleteFilter("arad", table: "accounts", by: user) }
        try db.crm.deleteFilter("mari", table: "accounts", by: user)
        #expect(try db.crm.savedFilters("accounts", for: user).map(\.name) == ["arad"])
    }
}

extension Filter {
    /// Test helper: the criteria on columns every database has.
    var withoutUnknown: Filter { Filter(combine: combine, criteria: criteria.filter { !$0.column.hasPrefix("custom.") }) }
}

@Suite struct FieldRuleTests {
    @Test func mandatoryAndUniqueFieldsAreEnforcedOnEveryWrite() throws {
        let db = try TestDatabase()
        let a = try db.crm.addAccount(AccountInput(fields: [.name: "Alfa", .email: "office@alfa.ro"]), by: db.admin)
        try db.crm.addAccount(AccountInput(fields: [.name: "Beta", .email: "office@beta.ro"]), by: db.admin)
        try db.crm.setFieldRule(entity: "account", field: "email", mandatory: true, unique: true, by: db.admin)
        #expect(throws: CoreError.invalid([.init(field: "email", value: "Office@alfa.ro", reason: .duplicate(of: "Alfa"))])) {
            try db.crm.addAccount(AccountInput(fields: [.name: "Gama", .email: "Office@Alfa.ro"]), by: db.admin)
        }
        #expect(throws: CoreError.invalid([.init(field: "email", value: "", reason: .required)])) {
            try db.crm.addAccount(AccountInput(fields: [.name: "Delta"]), by: db.admin)
        }
        #expect(throws: CoreError.self) {
            try db.crm.editAccount(a.meta!.uuid.description, AccountInput(fields: [.email: ""]), by: db.admin)
        }
        // Editing another field of a row that keeps its own value is fine.
        try db.crm.editAccount(a.meta!.uuid.description, AccountInput(fields: [.city: "Arad"]), by: db.admin)
        // Only administrators set rules; a field with repeated values cannot become unique.
        let user = Actor(user: try db.crm.addUser(UserRecord(login: "ana", name: "Ana"), by: db.admin))
        #expect(throws: CoreError.self) { try db.crm.setFieldRule(entity: "account", field: "city", mandatory: true, unique: false, by: user) }
        try db.crm.addAccount(AccountInput(fields: [.name: "Epsilon", .email: "e@x.ro", .city: "Arad"]), by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.setFieldRule(entity: "account", field: "city", mandatory: false, unique: true, by: db.admin) }
        #expect(try db.crm.fieldRules(entity: "account", for: user).map(\.field) == ["email"])
    }

    @Test func aRetiredColumnKeepsItsValuesAndComesBack() throws {
        let db = try TestDatabase()
        try db.crm.addCustomColumn(entity: "account", label: "Sursă", type: .text, by: db.admin)
        let a = try db.crm.addAccount(AccountInput(fields: [.name: "Alfa"], custom: ["sursa": "Târg"]), by: db.admin)
        try db.crm.retireCustomColumn(entity: "account", key: "sursa", by: db.admin)
        #expect(try db.crm.customColumns(entity: "account", for: db.admin).isEmpty)
        #expect(try db.crm.accountColumns(for: db.admin).allSatisfy { $0.id != "custom.sursa" })
        #expect(try db.crm.account(a.meta!.uuid.description, for: db.admin).custom.isEmpty)
        #expect(throws: CoreError.self) {
            try db.crm.addAccount(AccountInput(fields: [.name: "Beta"], custom: ["sursa": "Web"]), by: db.admin)
        }
        try db.crm.retireCustomColumn(entity: "account", key: "Sursă", retired: false, by: db.admin)
        try db.crm.renameCustomColumn(entity: "account", key: "sursa", to: "Sursa contactului", by: db.admin)
        let back = try db.crm.account(a.meta!.uuid.description, for: db.admin)
        #expect(back.custom.map(\.column.label) == ["Sursa contactului"] && back.custom.first?.value == .text("Târg"))
    }
}

@Suite struct SearchTests {
    @Test func theSearchFindsEveryFieldByPrefixWithoutDiacriticsAndFollowsEveryWrite() throws {
        let db = try TestDatabase()
        let a = try db.crm.addAccount(AccountInput(fields: [.name: "Știință și Țară SRL", .code: "ST01", .cui: "RO14399840", .city: "Brașov",
                                                           .email: "office@sitara.ro", .phone: "0268 111 222"]), by: db.admin)
        let b = try db.crm.addAccount(AccountInput(fields: [.name: "Alfa Construct SRL", .city: "Cluj-Napoca"]), by: db.admin)
        func found(_ text: String) throws -> [String] {
            try db.crm.accounts(AccountView(search: text), limit: 0, for: db.admin).accounts.map(\.record.name)
        }
        for query in ["stiinta", "ŞTIINŢĂ", "știi ța", "st01", "ro1439", "14399840", "brasov", "sitara", "0268111", "+40268", "40268111222"] {
            #expect(try found(query) == ["Știință și Țară SRL"], "\(query)")
        }
        #expect(try found("srl") == ["Alfa Construct SRL", "Știință și Țară SRL"])
        #expect(try found("iinta").isEmpty)  // words match from their start
        // Contacts are part of their account's document, and every write keeps it current.
        let c = try db.crm.addContact(toAccount: b.meta!.uuid.description, [.name: "Ioana Vlădescu", .mobile: "0722 333 444"], by: db.admin)
        #expect(try found("vladescu") == ["Alfa Construct SRL"])
        #expect(try found("0722333") == ["Alfa Construct SRL"])
        try db.crm.editContact(c.meta!.uuid.description, [.name: "Ioana Marin"], by: db.admin)
        #expect(try found("vladescu").isEmpty && found("marin") == ["Alfa Construct SRL"])
        try db.crm.deleteContact(c.meta!.uuid.description, by: db.admin)
        #expect(try found("marin").isEmpty)
        try db.crm.editAccount(a.meta!.uuid.description, AccountInput(fields: [.city: "Sibiu"]), by: db.admin)
        #expect(try found("brasov").isEmpty && found("sibiu") == ["Știință și Țară SRL"])
        try db.crm.deleteAccount(a.meta!.uuid.description, by: db.admin)
        #expect(try found("stiinta").isEmpty)
        #expect(try db.crm.count(AccountView(search: "alfa"), for: db.admin) == 1)
    }

    @Test func aBulkLoadedBaseIsIndexedAfterwardsAndSearchableMeanwhile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bulk.sqlite").path
        let store = try Store.createForBulkLoad(path: path)
        let crm = CRM(store: store)
        let admin = try crm.initialize(unixLogin: "tester")
        for name in ["Ștefan Pop PFA", "Agro Țara SRL", "Beta Tur SRL"] { try crm.addAccount(AccountInput(fields: [.name: name]), by: admin) }
        try store.finishBulkLoad()
        let reopened = CRM(store: try Store.open(path: path))
        #expect(try reopened.searchIndexState() == SearchIndexState(indexed: 0, total: 3))
        // Before the index: the names still answer.
        #expect(try reopened.accounts(AccountView(search: "tara"), limit: 0, for: admin).accounts.map(\.record.name) == ["Agro Țara SRL"])
        var reports: [Int] = []
        try reopened.buildSearchIndex(chunk: 2) { indexed, _ in reports.append(indexed); return true }
        #expect(reports == [2, 3])
        #expect(try reopened.searchIndexState().complete)
        #expect(try reopened.accounts(AccountView(search: "stef"), limit: 0, for: admin).accounts.map(\.record.name) == ["Ștefan Pop PFA"])
        // New accounts join at once.
        try reopened.addAccount(AccountInput(fields: [.name: "Gama Țesături SRL"]), by: admin)
        #expect(try reopened.accounts(AccountView(search: "tesat"), limit: 0, for: admin).accounts.count == 1)
    }
}

@Suite struct CustomColumnTableTests {
    @Test func customColumnsSortByTheirTypeAndTheirTextIsSearched() throws {
        let db = try TestDatabase()
        try db.crm.addCustomColumn(entity: "account", label: "Angajați", type: .number, by: db.admin)
        try db.crm.addCustomColumn(entity: "account", label: "Sursă", type: .text, by: db.admin)
        for (name, staff, source) in [("Alfa", "100", "Târg de carte"), ("Beta", "20", "Recomandare"), ("Gama", "", "Telefon"),
                                      ("Delta", "3", "")] {
            var custom: [String: String] = [:]
            if !staff.isEmpty { custom["angajati"] = staff }
            if !source.isEmpty { custom["sursa"] = source }
            try db.crm.addAccount(AccountInput(fields: [.name: name], custom: custom), by: db.admin)
        }
        let columns = try db.crm.accountColumns(for: db.admin)
        let staff = try #require(columns.first { $0.id == "custom.angajati" }?.order)
        func names(_ order: AccountOrder, limit: Int = 2) throws -> [String] {
            // Two rows a page, so the keyset cursor carries the custom value.
            var out: [String] = []
            var position = PagePosition.first
            while true {
                let page = try db.crm.accounts(AccountView(order: order), at: position, limit: limit, for: db.admin)
                out += page.accounts.map(\.record.name)
                guard let next = page.next else { return out }
                position = .after(next)
            }
        }
        // Numbers as numbers (20 before 100), the empty one first.
        #expect(try names(staff) == ["Gama", "Delta", "Beta", "Alfa"])
        var descending = staff
        descending.descending = true
        try db.crm.prepare(descending, for: db.admin)
        #expect(try names(descending) == ["Alfa", "Beta", "Delta", "Gama"])
        let source = try #require(columns.first { $0.id == "custom.sursa" }?.order)
        // Text by its characters (the Romanian order is the name's alone).
        #expect(try names(source) == ["Delta", "Beta", "Gama", "Alfa"])
        // The text of custom values is searched too.
        #expect(try db.crm.accounts(AccountView(search: "targ carte"), limit: 0, for: db.admin).accounts.map(\.record.name) == ["Alfa"])
    }
}

@Suite struct ShortSearchTests {
    @Test func oneOrTwoLettersMatchTheStartOfTheNameWhateverItsDiacritics() throws {
        let db = try TestDatabase()
        for name in ["Ăsta SRL", "Âna Pop", "Ana Ion", "Ion Ana", "Ștefan Dan", "Stan Bogdan", "Sorin Stan", "Țara SA", "Tudor SA"] {
            try db.crm.addAccount(AccountInput(fields: [.name: name]), by: db.admin)
        }
        func found(_ text: String) throws -> [String] {
            try db.crm.accounts(AccountView(search: text), limit: 0, for: db.admin).accounts.map(\.record.name)
        }
        #expect(try found("a") == ["Ana Ion", "Ăsta SRL", "Âna Pop"])
        #expect(try found("st") == ["Stan Bogdan", "Ștefan Dan"])
        #expect(try found("Ș") == ["Sorin Stan", "Stan Bogdan", "Ștefan Dan"])
        #expect(try found("ta") == ["Țara SA"])
        // From three letters on, every word of every field.
        #expect(try found("sta") == ["Sorin Stan", "Stan Bogdan"])
    }
}

@Suite struct DuplicateTests {
    @Test func theScanFindsSharedValuesAndSimilarNamesAndForgetsDismissedPairs() throws {
        let db = try TestDatabase()
        func add(_ name: String, _ fields: [AccountField: String] = [:]) throws -> String {
            var all = fields
            all[.name] = name
            return try db.crm.addAccount(AccountInput(fields: all), by: db.admin).meta!.uuid.description
        }
        let alfa = try add("S.C. Alfa Construct S.R.L.", [.cui: "RO14399840"])
        let alfa2 = try add("ALFA CONSTRUCT SRL")
        let beta = try add("Beta Trans SRL", [.email: "office@beta.ro", .phone: "0264 111 222"])
        let beta2 = try add("Transporturi Rapide SA", [.email: "Office@beta.ro"])
        let beta3 = try add("Gama SRL", [.mobile: "0264111222"])
        _ = try add("Delta Food SRL", [.cui: "14399840"])  // the same CUI as Alfa, without RO
        _ = try add("Zeta Software SRL")
        let pairs = try db.crm.duplicates(for: db.admin)
        func pair(_ a: String, _ b: String) -> DuplicatePair? {
            pairs.first { Set([$0.first, $0.second]) == Set([a, b]) }
        }
        #expect(pair(alfa, alfa2)?.reasons == [.name] && pair(alfa, alfa2)?.score == 1)
        #expect(pair(beta, beta2)?.reasons == [.email])
        #expect(pair(beta, beta3)?.reasons == [.phone])
        #expect(pairs.contains { $0.reasons == [.cui] && Set([$0.firstName, $0.secondName]) == ["S.C. Alfa Construct S.R.L.", "Delta Food SRL"] })
        #expect(!pairs.contains { $0.firstName.hasPrefix("Zeta") || $0.secondName.hasPrefix("Zeta") })
        // One account's duplicates, then a dismissed pair is not proposed again.
        #expect(Set(try db.crm.duplicates(of: beta, for: db.admin).flatMap { [$0.first, $0.second] }) == [beta, beta2, beta3])
        try db.crm.dismissDuplicate(beta2, beta, by: db.admin)
        #expect(try db.crm.duplicates(for: db.admin).allSatisfy { Set([$0.first, $0.second]) != Set([beta, beta2]) })
        #expect(try db.crm.duplicates(of: beta, for: db.admin).count == 1)
    }
}
