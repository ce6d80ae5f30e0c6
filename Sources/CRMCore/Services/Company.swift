import CRMStore
import CRMText
import Foundation

/// The company using the CRM (Setări firmă): what its offers, invoices and
/// price lists say about the supplier, and its logo.
public struct CompanyProfile: Sendable, Equatable, Codable {
    public enum Field: String, Sendable, CaseIterable {
        case name, cui, vatPayer, tradeRegister, address, city, county, phone, email, website, iban, bank

        public var label: Localized {
            switch self {
            case .name: return .init(ro: "Denumire", en: "Name")
            case .cui: return .init(ro: "CUI/CIF", en: "Tax ID (CUI)")
            case .vatPayer: return .init(ro: "Plătitor TVA", en: "VAT payer")
            case .tradeRegister: return .init(ro: "Nr. Reg. Com.", en: "Trade register no.")
            case .address: return .init(ro: "Adresă", en: "Address")
            case .city: return .init(ro: "Oraș", en: "City")
            case .county: return .init(ro: "Județ", en: "County")
            case .phone: return .init(ro: "Telefon", en: "Phone")
            case .email: return .init(ro: "E-mail", en: "E-mail")
            case .website: return .init(ro: "Web", en: "Website")
            case .iban: return .init(ro: "IBAN", en: "IBAN")
            case .bank: return .init(ro: "Bancă", en: "Bank")
            }
        }
    }

    public var values: [String: String] = [:]
    /// The logo's content hash (the file is a stored blob), if there is one.
    public var logo: String?

    public init() {}

    public subscript(_ field: Field) -> String? {
        get { values[field.rawValue].flatMap { $0.isEmpty ? nil : $0 } }
        set { values[field.rawValue] = newValue }
    }

    public var vatPayer: Bool { self[.vatPayer] == "da" }

    /// The CUI as documents print it: with RO for a VAT payer.
    public var fiscalCode: String? { self[.cui].map { vatPayer ? "RO" + $0 : $0 } }

    /// The supplier's block of a document: name, codes, address, bank.
    public func lines(_ language: Language) -> [String] {
        func t(_ ro: String, _ en: String) -> String { language == .ro ? ro : en }
        var out: [String] = []
        if let name = self[.name] { out.append(name) }
        let codes = [fiscalCode.map { t("CUI ", "Tax ID ") + $0 }, self[.tradeRegister]].compactMap { $0 }
        if !codes.isEmpty { out.append(codes.joined(separator: " · ")) }
        let place = [self[.address], self[.city], self[.county].map { t("jud. ", "county ") + $0 }].compactMap { $0 }
        if !place.isEmpty { out.append(place.joined(separator: ", ")) }
        let contact = [self[.phone], self[.email], self[.website]].compactMap { $0 }
        if !contact.isEmpty { out.append(contact.joined(separator: " · ")) }
        let bank = [self[.iban].map { IBAN.grouped($0) }, self[.bank]].compactMap { $0 }
        if !bank.isEmpty { out.append(bank.joined(separator: " · ")) }
        return out
    }
}

/// What a logo may be: a PNG or a JPEG file (an empty one removes it).
public enum Logo {
    public static func isImage(_ bytes: [UInt8]) -> Bool {
        bytes.isEmpty || bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) || bytes.starts(with: [0xFF, 0xD8, 0xFF])
    }
}

extension CRM {
    static let companySetting = "company"

    /// The company's profile (empty until an administrator fills it in).
    public func companyProfile() throws -> CompanyProfile {
        guard let text = try read({ try $0.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.companySetting)]).first?.value }),
              let profile = try? JSONDecoder().decode(CompanyProfile.self, from: Data(text.utf8)) else { return CompanyProfile() }
        return profile
    }

    /// Changes the given fields of the profile (administrators), checked as an
    /// account's are (CUI check digit, IBAN, e-mail); `logo`: a PNG or JPEG file's bytes
    /// (stored once by content), or an empty array to remove it.
    @discardableResult
    public func setCompanyProfile(_ changes: [CompanyProfile.Field: String], logo: [UInt8]? = nil, by actor: Actor) throws -> CompanyProfile {
        try policy.authorize(actor, .admin, .administration)
        var profile = try companyProfile()
        var issues: [ValidationIssue] = []
        for (field, raw) in changes {
            let trimmed = raw.trimmed()
            if trimmed.isEmpty { profile[field] = nil; continue }
            switch field {
            case .cui:
                guard let parsed = CUI.parse(trimmed) else { issues.append(.init(field: "cui", value: raw, reason: .invalidCUI)); continue }
                profile[.cui] = parsed.digits
                if parsed.hasROPrefix && changes[.vatPayer] == nil { profile[.vatPayer] = "da" }
            case .vatPayer:
                guard let flag = FieldRules.bool(trimmed) else { issues.append(.init(field: "vatPayer", value: raw, reason: .invalidBool)); continue }
                profile[.vatPayer] = flag ? "da" : "nu"
            case .iban:
                guard let iban = IBAN.normalize(trimmed) else { issues.append(.init(field: "iban", value: raw, reason: .invalidIBAN)); continue }
                profile[.iban] = iban
            case .email:
                guard let email = Email.normalize(trimmed) else { issues.append(.init(field: "email", value: raw, reason: .invalidEmail)); continue }
                profile[.email] = email
            default:
                guard case .text(let text) = FieldRules.text(trimmed, field: field.rawValue, max: 200, issues: &issues) else { continue }
                profile[field] = text
            }
        }
        if let logo, !Logo.isImage(logo) {
            issues.append(.init(field: "logo", value: "", reason: .invalidChoice(allowed: ["PNG", "JPEG"])))
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return try write(actor, "company.set") { w in
            if let logo {
                profile.logo = logo.isEmpty ? nil : NoteRules.sha256(logo)
                if !logo.isEmpty { _ = try NoteRules.storeBlob(logo, in: w) }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let text = String(decoding: try encoder.encode(profile), as: UTF8.self)
            if let row = try w.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.companySetting)]).first {
                try w.update(AppSettingRecord.self, id: row.meta!.id, set: ["value": .text(text)])
            } else {
                try w.insert(AppSettingRecord(name: Self.companySetting, value: text))
            }
            return profile
        }
    }

    /// The company's logo (PNG or JPEG bytes), if it has one.
    public func companyLogo() throws -> [UInt8]? {
        guard let hash = try companyProfile().logo else { return nil }
        return try read { r in try r.blobID(hash: hash).flatMap { try r.fetch(FileBlobRecord.self, id: $0)?.data } }
    }
}
