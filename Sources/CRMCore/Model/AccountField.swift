/// The standard account fields (ACC-2): English name (CLI option, JSON key),
/// Romanian and English labels.
public enum AccountField: String, CaseIterable, Sendable {
    case code, name, kind, cui, tradeRegister, vatPayer, address, city, county, country, zone, phone, mobile,
         email, website, iban, bank, owner, folder, tags, notes, coordinates

    public var label: Localized {
        switch self {
        case .code: return .init(ro: "Cod", en: "Code")
        case .name: return .init(ro: "Denumire", en: "Name")
        case .kind: return .init(ro: "Tip", en: "Kind")
        case .cui: return .init(ro: "CUI/CIF", en: "Tax ID (CUI)")
        case .tradeRegister: return .init(ro: "Nr. Reg. Com.", en: "Trade register no.")
        case .vatPayer: return .init(ro: "Plătitor TVA", en: "VAT payer")
        case .address: return .init(ro: "Adresă", en: "Address")
        case .city: return .init(ro: "Oraș", en: "City")
        case .county: return .init(ro: "Județ", en: "County")
        case .country: return .init(ro: "Țară", en: "Country")
        case .zone: return .init(ro: "Zonă", en: "Zone")
        case .phone: return .init(ro: "Telefon", en: "Phone")
        case .mobile: return .init(ro: "Mobil", en: "Mobile")
        case .email: return .init(ro: "E-mail", en: "E-mail")
        case .website: return .init(ro: "Website", en: "Website")
        case .iban: return .init(ro: "IBAN", en: "IBAN")
        case .bank: return .init(ro: "Bancă", en: "Bank")
        case .owner: return .init(ro: "Responsabil", en: "Owner")
        case .folder: return .init(ro: "Dosar", en: "Folder")
        case .tags: return .init(ro: "Etichete", en: "Tags")
        case .notes: return .init(ro: "Observații", en: "Notes")
        case .coordinates: return .init(ro: "Coordonate GPS", en: "GPS coordinates")
        }
    }

    /// The stored column (zone, owner and folder are stored as references).
    public var column: String {
        switch self {
        case .tradeRegister: return "trade_register"
        case .vatPayer: return "vat_payer"
        case .zone: return "zone_id"
        case .owner: return "owner_id"
        case .folder: return "folder_id"
        default: return rawValue
        }
    }

    public var maxLength: Int {
        switch self {
        case .notes: return 20_000
        case .address: return 500
        case .name: return 250
        default: return 200
        }
    }
}

/// The contact fields (ACC-3).
public enum ContactField: String, CaseIterable, Sendable {
    case name, role, phone, mobile, email, notes

    public var label: Localized {
        switch self {
        case .name: return .init(ro: "Nume", en: "Name")
        case .role: return .init(ro: "Funcție", en: "Role")
        case .phone: return .init(ro: "Telefon", en: "Phone")
        case .mobile: return .init(ro: "Mobil", en: "Mobile")
        case .email: return .init(ro: "E-mail", en: "E-mail")
        case .notes: return .init(ro: "Observații", en: "Notes")
        }
    }

    public var maxLength: Int { self == .notes ? 20_000 : 200 }
}

/// Custom column types (ACC-9).
public enum CustomColumnType: String, CaseIterable, Sendable {
    case text, number, money, date, bool, choice

    public var label: Localized {
        switch self {
        case .text: return .init(ro: "text", en: "text")
        case .number: return .init(ro: "număr", en: "number")
        case .money: return .init(ro: "sumă", en: "money")
        case .date: return .init(ro: "dată", en: "date")
        case .bool: return .init(ro: "da/nu", en: "yes/no")
        case .choice: return .init(ro: "listă", en: "choice list")
        }
    }
}
