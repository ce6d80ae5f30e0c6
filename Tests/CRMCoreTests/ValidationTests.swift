import Testing
@testable import CRMCore

@Suite struct CUITests {
    @Test(arguments: ["14399840", "RO14399840", "ro 5022670", "RO361579", "1590082", "13548146", "427320", "18547290"])
    func validCUIs(_ cui: String) {
        #expect(CUI.isValid(cui))
    }

    @Test(arguments: ["14399841", "RO123", "ABC", "0123456", "", "1", "12345678901", "RO-14399840", "1439984O"])
    func invalidCUIs(_ cui: String) {
        #expect(!CUI.isValid(cui))
    }

    @Test func prefixMarksVATPayer() {
        #expect(CUI.parse("RO14399840") == CUI.Parsed(digits: "14399840", hasROPrefix: true))
        #expect(CUI.parse(" 14399840 ") == CUI.Parsed(digits: "14399840", hasROPrefix: false))
    }
}

@Suite struct IBANTests {
    @Test(arguments: ["RO49AAAA1B31007593840000", "RO49 AAAA 1B31 0075 9384 0000", "ro49aaaa1b31007593840000",
                      "DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606"])
    func validIBANs(_ iban: String) {
        #expect(IBAN.isValid(iban))
    }

    @Test(arguments: ["RO49AAAA1B31007593840001", "RO49AAAA1B3100759384000", "RO4912341B31007593840000",
                      "DE89370400440532013001", "XX", "", "RO49AAAA1B31007593840000!"])
    func invalidIBANs(_ iban: String) {
        #expect(!IBAN.isValid(iban))
    }

    @Test func checkDigitsBuildValidIBANs() {
        let bban = "BTRL0000123456789012"
        #expect(IBAN.isValid("RO" + IBAN.checkDigits(country: "RO", bban: bban) + bban))
        #expect(IBAN.grouped("RO49AAAA1B31007593840000") == "RO49 AAAA 1B31 0075 9384 0000")
    }
}

@Suite struct ContactDataTests {
    @Test func emails() {
        #expect(Email.normalize(" Ion.Popescu@Firma.RO ") == "Ion.Popescu@firma.ro")
        #expect(Email.normalize("office@știință.ro") == "office@știință.ro")
        for bad in ["ion", "ion@", "@firma.ro", "ion@firma", "ion..p@firma.ro", "ion p@firma.ro", "ion@firma.r0", "a@b@c.ro"] {
            #expect(Email.normalize(bad) == nil, "\(bad)")
        }
    }

    @Test func romanianPhonesBecomeInternational() {
        #expect(Phone.normalize("0722 123 456") == "+40722123456")
        #expect(Phone.normalize("0040-722-123-456") == "+40722123456")
        #expect(Phone.normalize("+40 (722) 123.456") == "+40722123456")
        #expect(Phone.normalize("021 312 3456") == "+40213123456")
        #expect(Phone.normalize("0264/123456") == "+40264123456")
        #expect(Phone.normalize("+33 1 42 68 53 00") == "+33142685300")
    }

    @Test func badPhones() {
        for bad in ["12345", "0722 123 45", "0822123456", "07221234567", "telefon", "+40 722 12a 456", "+0 123"] {
            #expect(Phone.normalize(bad) == nil, "\(bad)")
        }
    }

    @Test func issuesSpeakBothLanguages() {
        let issue = ValidationIssue(field: "cui", value: "123", reason: .invalidCUI)
        #expect(issue.message(.ro).hasPrefix("cui: «123» nu este un CUI/CIF valid"))
        #expect(issue.message(.en).hasPrefix("cui: «123» is not a valid CUI/CIF"))
    }

    @Test func decimalsAndDates() {
        #expect(FieldRules.decimal("1 234,50") == Decimal(string: "1234.50"))
        #expect(FieldRules.decimal("1,234.50") == Decimal(string: "1234.50"))
        #expect(FieldRules.decimal("12a") == nil)
        #expect(FieldRules.date("29.02.2024") == "2024-02-29")
        #expect(FieldRules.date("2023-02-29") == nil)
        #expect(FieldRules.date("2026-11-29") == "2026-11-29")
    }
}

import Foundation

@Suite struct LanguageTests {
    @Test func chosenByEnvironment() {
        #expect(Language.fromEnvironment(["LANG": "en_US.UTF-8"]) == .en)
        #expect(Language.fromEnvironment(["LANG": "ro_RO.UTF-8"]) == .ro)
        #expect(Language.fromEnvironment(["LANG": "C"]) == .ro)
        #expect(Language.fromEnvironment(["CRM_LANG": "en", "LANG": "ro_RO.UTF-8"]) == .en)
        #expect(Language.fromEnvironment(["LC_ALL": "en_GB.UTF-8", "LANG": "ro_RO.UTF-8"]) == .en)
    }
}

/// Counties as e-Factura codes them, and a Bucharest address's sector.
@Suite struct CountyTests {
    @Test func countiesAreCodedWhicheverWayTheyAreWritten() {
        #expect(County.code("Cluj") == "RO-CJ" && County.code("jud. Argeș") == "RO-AG" && County.code("ARGES") == "RO-AG")
        #expect(County.code("Bistriţa-Năsăud") == "RO-BN" && County.code("Satu Mare") == "RO-SM" && County.code("RO-VN") == "RO-VN")
        #expect(County.code("București") == "RO-B" && County.code("Municipiul Bucuresti") == "RO-B" && County.code("B") == "RO-B")
        #expect(County.code("Atlantida") == nil && County.code("") == nil)
        #expect(County.all.count == 42 && Set(County.all.map(\.code)).count == 42)
    }

    @Test func aBucharestSectorIsReadFromTheAddress() {
        #expect(County.sector(in: "Bd. Unirii nr. 5, Sector 3") == "SECTOR3")
        #expect(County.sector(in: "Str. X 1, sect. 6, București") == "SECTOR6")
        #expect(County.sector(in: "Calea Victoriei 12, sectorul 1") == "SECTOR1")
        #expect(County.sector(in: "Str. Sectorului nr. 7") == nil)
        #expect(County.sector(in: "Str. Lungă 1, Sector 9") == nil && County.sector(in: "Str. Lungă 1") == nil)
    }
}
