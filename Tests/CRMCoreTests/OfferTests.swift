import CRMCore
import CRMStore
import Foundation
import Testing

/// Offers (OFF-2) in the core: exact lines and totals per VAT rate, numbering,
/// rights and zones, and what happens to them with their opportunity and account.
@Suite struct OfferTests {
    func prepared() throws -> (TestDatabase, String) {
        let db = try TestDatabase()
        try db.crm.addAccount(AccountInput(fields: [.code: "C1", .name: "Client SRL"]), by: db.admin)
        try db.crm.addProduct([.code: "S1", .name: "Consultanță", .unit: "oră", .price: "350", .vat: "21%"], by: db.admin)
        try db.crm.addProduct([.code: "B1", .name: "Carte", .price: "189", .vat: "11%"], by: db.admin)
        let item = try db.crm.addWorkItem(.opportunity, account: "C1", [.details: "Proiect"], by: db.admin)
        return (db, item.meta!.uuid.description)
    }

    @Test func linesAndTotalsAreExactPerVATRateAndNumbersFollowInTheSeries() throws {
        let (db, item) = try prepared()
        let offer = try db.crm.addOffer(to: item, lines: [
            OfferLineInput(product: "s1", quantity: "10", discount: "5"),
            OfferLineInput(product: "B1", quantity: "2"),
            OfferLineInput(name: "Montaj", unit: "oră", quantity: "2,5", price: "150"),
            OfferLineInput(name: "Șurub", quantity: "0.333", price: "0.10"),  // 0.0333 lei → 0.03
        ], day: "01.12.2026", validDays: 15, by: db.admin)
        #expect(offer.label == "OF-0001" && offer.day == "2026-12-01" && offer.validUntil == "2026-12-16" && offer.currency == "RON")
        let details = try db.crm.offer("of-0001", for: db.admin)
        #expect(details.lines.map(\.net) == [332_500, 37_800, 37_500, 3])
        #expect(details.lines[0].name == "Consultanță" && details.lines[0].unit == "oră" && details.lines[0].code == "S1")
        #expect(details.rateTotals.map(\.name) == ["21%", "11%"])
        #expect(details.rateTotals.map(\.net) == [370_003, 37_800] && details.rateTotals.map(\.vat) == [77_701, 4_158])
        #expect(offer.net == 407_803 && offer.vat == 81_859 && offer.total == 489_662)
        // The next one is number 2; a later change of the catalogue leaves the offer as it was.
        try db.crm.editProduct("S1", [.price: "400"], by: db.admin)
        let second = try db.crm.addOffer(to: item, lines: [OfferLineInput(product: "S1")], by: db.admin)
        #expect(second.label == "OF-0002" && second.net == 40_000)
        #expect(try db.crm.offer("OF-0001", for: db.admin).lines[0].unitPrice == 35_000)
        #expect(try db.crm.offers(item: item, for: db.admin).map(\.record.label) == ["OF-0002", "OF-0001"])
        // Bad lines: every problem named with its line; nothing is added.
        #expect {
            try db.crm.addOffer(to: item, lines: [OfferLineInput(product: "X9"), OfferLineInput(quantity: "0", price: "1"),
                                                  OfferLineInput(name: "A", quantity: "1", price: "1", discount: "120", vat: "7%")], by: db.admin)
        } throws: { error in
            guard case CoreError.invalid(let issues) = error else { return false }
            return issues.map(\.field) == ["lines[1].product", "lines[2].name", "lines[2].quantity", "lines[3].discount"]
        }
        #expect(throws: CoreError.self) { try db.crm.addOffer(to: item, lines: [], by: db.admin) }
        #expect(try db.crm.offers(for: db.admin).count == 2)
    }

    @Test func anOfferIsChangedWithItsNumberAndDateAndTotalsReckonedAgain() throws {
        let (db, item) = try prepared()
        let offer = try db.crm.addOffer(to: item, lines: [OfferLineInput(product: "S1", quantity: "2"), OfferLineInput(product: "B1")],
                                        day: "2026-12-01", validDays: 15, by: db.admin)
        let saved = try db.crm.offer(offer.label, for: db.admin)
        #expect(saved.validDays == 15)
        // Its lines as input again are the same lines; the catalogue's later price does not creep in.
        try db.crm.editProduct("S1", [.price: "999"], by: db.admin)
        let again = saved.lines.map(OfferLineInput.init)
        #expect(try db.crm.offerPreview(again, for: db.admin).lines.map(\.net) == saved.lines.map(\.net))
        // One line changed (1,5 hours at 10 % off), one removed; valid 30 days from its own date.
        var changed = again
        changed[0].quantity = "1,5"
        changed[0].discount = "10"
        let edited = try db.crm.editOffer(offer.label, lines: [changed[0]], validDays: 30, expectedVersion: saved.record.meta?.version,
                                          by: db.admin)
        #expect(edited.label == offer.label && edited.day == "2026-12-01" && edited.validUntil == "2026-12-31")
        #expect(edited.net == 47_250 && edited.vat == 9_923 && edited.total == 57_173)
        let details = try db.crm.offer(offer.label, for: db.admin)
        #expect(details.lines.count == 1 && details.lines[0].code == "S1" && details.lines[0].unitPrice == 35_000 && details.lines[0].quantity == 1_500)
        // A stale version is refused; a bad line changes nothing; someone without the right is refused.
        #expect(throws: CoreError.self) {
            try db.crm.editOffer(offer.label, validDays: 10, expectedVersion: saved.record.meta?.version, by: db.admin)
        }
        #expect(throws: CoreError.self) { try db.crm.editOffer(offer.label, lines: [OfferLineInput(quantity: "0")], by: db.admin) }
        #expect(try db.crm.offer(offer.label, for: db.admin).lines.count == 1)
        try db.crm.addUser(UserRecord(login: "ion", name: "Ion"), by: db.admin)
        try db.crm.setUserAccess("ion", rights: [Rights.name(.offers, .view), Rights.name(.opportunities, .view), Rights.name(.accounts, .view)],
                                 zones: nil, addresses: [], by: db.admin)
        let ion = try db.crm.actor(forLogin: "ion", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.editOffer(offer.label, validDays: 5, by: ion) }
        // The change is in the change log, with who made it.
        #expect(try db.crm.audit(limit: 50, for: db.admin).contains { $0.operation == "offer.edit" && $0.userID != nil && $0.entity == "offer" })
    }

    @Test func offersFollowTheirOpportunityAndHoldRightsAndZones() throws {
        let (db, item) = try prepared()
        let activity = try db.crm.addWorkItem(.activity, account: "C1", [:], by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.addOffer(to: activity.meta!.uuid.description, lines: [OfferLineInput(product: "S1")], by: db.admin) }
        try db.crm.addOffer(to: item, lines: [OfferLineInput(product: "S1")], by: db.admin)
        // A user without "offers: add" is refused; one limited to another zone does not see it.
        try db.crm.addZone(name: "Nord", by: db.admin)
        try db.crm.addZone(name: "Sud", by: db.admin)
        try db.crm.editAccount("C1", AccountInput(fields: [.zone: "Sud"]), by: db.admin)
        try db.crm.addUser(UserRecord(login: "ion", name: "Ion"), zones: ["Nord"], by: db.admin)
        let ion = try db.crm.actor(forLogin: "ion", by: db.admin)
        #expect(try db.crm.offers(for: ion).isEmpty)
        #expect(throws: CoreError.self) { _ = try db.crm.offer("OF-0001", for: ion) }
        try db.crm.setUserRights("ion", Rights.roles["citire"], by: db.admin)
        let reader = try db.crm.actor(forLogin: "ion", by: db.admin)
        #expect(throws: CoreError.self) { try db.crm.addOffer(to: item, lines: [OfferLineInput(product: "S1")], by: reader) }
        // Deleting the opportunity deletes its offers; so does deleting the account.
        try db.crm.addOffer(to: item, lines: [OfferLineInput(product: "B1")], by: db.admin)
        try db.crm.deleteWorkItem(item, by: db.admin)
        #expect(try db.crm.offers(for: db.admin).isEmpty)
        let other = try db.crm.addWorkItem(.opportunity, account: "C1", [:], by: db.admin)
        try db.crm.addOffer(to: other.meta!.uuid.description, lines: [OfferLineInput(product: "S1")], by: db.admin)
        try db.crm.deleteAccount("C1", by: db.admin)
        #expect(try db.crm.offers(for: db.admin).isEmpty)
    }
}
