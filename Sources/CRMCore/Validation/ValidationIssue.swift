/// Why one field's value was refused. A value, not a thrown string: every entry
/// point (CLI, forms, import, web forms, sync) shows it its own way.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case required
        case invalidCUI
        case invalidIBAN
        case invalidEmail
        case invalidPhone
        case invalidCountry
        case invalidKind
        case invalidBool
        case invalidNumber
        case invalidDate
        case invalidChoice(allowed: [String])
        case tooLong(max: Int)
        case unknownZone
        case unknownUser
        case unknownFolder
        case unknownField
        case duplicate(of: String)
        /// Taken by an account outside the zones the user works in (not named).
        case duplicateOutsideZones
        /// A spreadsheet cell holding an error (#N/A, #REF!…) instead of a value.
        case spreadsheetError
        case tooShort(min: Int)
        case invalidLogin
        case invalidAddress
        /// A zone (or an account) outside the zones the user works in.
        case outsideZones(allowed: [String])
        /// No zone, while users are limited to zones: an account without one
        /// would be seen by none of them.
        case zoneRequired
        case invalidDateTime
        case fileTooLarge(maxMB: Int)
        /// More than there is (what is left to pay, in words).
        case exceeds(Localized)
        /// Against a rule of the books, said in words.
        case rule(Localized)
    }

    /// The field's English name, as on the command line and in JSON.
    public let field: String
    public let value: String
    public let reason: Reason

    public init(field: String, value: String, reason: Reason) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    /// The field and why it was refused.
    public func message(_ lang: Language) -> String { "\(field): " + reason(lang) }

    /// Why the value was refused, without the field's name (for a page that names the field its own way).
    public func reason(_ lang: Language) -> String {
        let v = value.isEmpty ? "" : "«\(value)»"
        let text: Localized
        switch reason {
        case .required:
            text = .init(ro: "este obligatoriu; completați o valoare", en: "is required; fill in a value")
        case .invalidCUI:
            text = .init(ro: "\(v) nu este un CUI/CIF valid (2–10 cifre, ultima cifră de control; prefixul RO e opțional)",
                         en: "\(v) is not a valid CUI/CIF (2–10 digits, the last a check digit; the RO prefix is optional)")
        case .invalidIBAN:
            text = .init(ro: "\(v) nu este un IBAN valid (lungimea țării și cifrele de control mod 97)",
                         en: "\(v) is not a valid IBAN (country length and mod-97 check digits)")
        case .invalidEmail:
            text = .init(ro: "\(v) nu este o adresă de e-mail validă (nume@domeniu.ro)",
                         en: "\(v) is not a valid e-mail address (name@domain.com)")
        case .invalidPhone:
            text = .init(ro: "\(v) nu este un număr de telefon valid (de ex. 0722 123 456 sau +40 21 123 4567)",
                         en: "\(v) is not a valid phone number (e.g. 0722 123 456 or +40 21 123 4567)")
        case .invalidCountry:
            text = .init(ro: "\(v) nu este un cod de țară din două litere (RO, DE…)",
                         en: "\(v) is not a two-letter country code (RO, DE…)")
        case .invalidKind:
            text = .init(ro: "\(v) trebuie să fie company (firmă) sau person (persoană fizică)",
                         en: "\(v) must be company or person")
        case .invalidBool:
            text = .init(ro: "\(v) trebuie să fie da/nu (yes/no, 1/0)", en: "\(v) must be yes or no (da/nu, 1/0)")
        case .invalidNumber:
            text = .init(ro: "\(v) nu este un număr (folosiți punct sau virgulă zecimală)",
                         en: "\(v) is not a number (use a decimal point or comma)")
        case .invalidDate:
            text = .init(ro: "\(v) nu este o dată (AAAA-LL-ZZ sau ZZ.LL.AAAA)",
                         en: "\(v) is not a date (YYYY-MM-DD or DD.MM.YYYY)")
        case .invalidChoice(let allowed):
            text = .init(ro: "\(v) nu este în listă; alegeți una dintre: \(allowed.joined(separator: ", "))",
                         en: "\(v) is not in the list; choose one of: \(allowed.joined(separator: ", "))")
        case .tooLong(let max):
            text = .init(ro: "are mai mult de \(max) caractere", en: "is longer than \(max) characters")
        case .unknownZone:
            text = .init(ro: "\(v): zona nu există; vedeți zonele definite", en: "\(v): no such zone; see the defined zones")
        case .unknownUser:
            text = .init(ro: "\(v): utilizatorul nu există; folosiți login-ul unui utilizator",
                         en: "\(v): no such user; use a user's login")
        case .unknownFolder:
            text = .init(ro: "\(v): dosarul nu există; vedeți `crm folder list`",
                         en: "\(v): no such folder; see `crm folder list`")
        case .unknownField:
            text = .init(ro: "nu este un câmp cunoscut; vedeți `crm column list`",
                         en: "is not a known field; see `crm column list`")
        case .rule(let rule):
            text = v.isEmpty ? rule : .init(ro: "\(v): \(rule.ro)", en: "\(v): \(rule.en)")
        case .exceeds(let limit):
            text = .init(ro: "\(v) depășește \(limit.ro)", en: "\(v) exceeds \(limit.en)")
        case .duplicate(let other):
            text = .init(ro: "\(v) există deja la \(other); câmpul este unic",
                         en: "\(v) already exists on \(other); the field is unique")
        case .duplicateOutsideZones:
            text = .init(ro: "\(v) există deja la un cont din afara zonelor în care lucrați; câmpul este unic",
                         en: "\(v) already exists on an account outside the zones you work in; the field is unique")
        case .tooShort(let min):
            text = .init(ro: "trebuie să aibă cel puțin \(min) caractere", en: "must be at least \(min) characters long")
        case .invalidAddress:
            text = .init(ro: "\(v) nu este o adresă IP sau un interval CIDR (10.0.0.7, 192.168.1.0/24, 2001:db8::/32)",
                         en: "\(v) is not an IP address or CIDR range (10.0.0.7, 192.168.1.0/24, 2001:db8::/32)")
        case .invalidLogin:
            text = .init(ro: "\(v) nu este un login valid (litere mici, cifre, . _ -, cel mult 64)",
                         en: "\(v) is not a valid login (lower-case letters, digits, . _ -, at most 64)")
        case .outsideZones(let allowed):
            text = .init(ro: "\(v) este în afara zonelor în care lucrați (\(allowed.joined(separator: ", "))); alegeți una dintre ele",
                         en: "\(v) is outside the zones you work in (\(allowed.joined(separator: ", "))); choose one of them")
        case .invalidDateTime:
            text = .init(ro: "\(v) nu este o dată cu oră (AAAA-LL-ZZ OO:MM sau ZZ.LL.AAAA OO:MM, ora locală)",
                         en: "\(v) is not a date and time (YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM, local time)")
        case .fileTooLarge(let max):
            text = .init(ro: "\(v) are mai mult de \(max) MB; atașați un fișier mai mic (sau o legătură către el)",
                         en: "\(v) is larger than \(max) MB; attach a smaller file (or a link to it)")
        case .zoneRequired:
            text = .init(ro: "este obligatorie: utilizatorii sunt limitați la zone, iar un cont fără zonă nu l-ar vedea niciunul; alegeți o zonă",
                         en: "is required: users are limited to zones, and an account without one would be seen by none of them; choose a zone")
        case .spreadsheetError:
            text = .init(ro: "celula conține eroarea de calcul \(v); corectați formula sau scrieți valoarea",
                         en: "the cell holds the spreadsheet error \(v); fix the formula or type the value")
        }
        let body = text.text(lang)
        return body.hasPrefix(" ") ? String(body.dropFirst()) : body
    }

    public var description: String { message(.en) }
}
