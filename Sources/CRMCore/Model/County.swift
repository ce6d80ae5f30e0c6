import CRMText

/// Romania's counties and their ISO 3166-2:RO codes, which e-Factura wants for
/// every Romanian address (RO-B for Bucharest, whose city is then its sector).
public enum County {
    /// (name, code), the name as written with diacritics.
    public static let all: [(name: String, code: String)] = [
        ("Alba", "RO-AB"), ("Arad", "RO-AR"), ("Argeș", "RO-AG"), ("Bacău", "RO-BC"), ("Bihor", "RO-BH"),
        ("Bistrița-Năsăud", "RO-BN"), ("Botoșani", "RO-BT"), ("Brașov", "RO-BV"), ("Brăila", "RO-BR"), ("București", "RO-B"),
        ("Buzău", "RO-BZ"), ("Caraș-Severin", "RO-CS"), ("Călărași", "RO-CL"), ("Cluj", "RO-CJ"), ("Constanța", "RO-CT"),
        ("Covasna", "RO-CV"), ("Dâmbovița", "RO-DB"), ("Dolj", "RO-DJ"), ("Galați", "RO-GL"), ("Giurgiu", "RO-GR"),
        ("Gorj", "RO-GJ"), ("Harghita", "RO-HR"), ("Hunedoara", "RO-HD"), ("Ialomița", "RO-IL"), ("Iași", "RO-IS"),
        ("Ilfov", "RO-IF"), ("Maramureș", "RO-MM"), ("Mehedinți", "RO-MH"), ("Mureș", "RO-MS"), ("Neamț", "RO-NT"),
        ("Olt", "RO-OT"), ("Prahova", "RO-PH"), ("Satu Mare", "RO-SM"), ("Sălaj", "RO-SJ"), ("Sibiu", "RO-SB"),
        ("Suceava", "RO-SV"), ("Teleorman", "RO-TR"), ("Timiș", "RO-TM"), ("Tulcea", "RO-TL"), ("Vaslui", "RO-VS"),
        ("Vâlcea", "RO-VL"), ("Vrancea", "RO-VN"),
    ]

    private static let byKey: [String: String] = {
        var map: [String: String] = [:]
        for (name, code) in all {
            map[key(name)] = code
            map[key(code)] = code
            map[key(String(code.dropFirst(3)))] = code
        }
        map[key("Municipiul București")] = "RO-B"
        map[key("Bucuresti")] = "RO-B"
        return map
    }()

    private static func key(_ text: String) -> String {
        Fold.key(text).replacingOccurrences(of: "jud.", with: "").replacingOccurrences(of: "judetul", with: "")
            .filter { $0.isLetter }
    }

    /// The ISO code of a county written by name (diacritics, case, "jud." aside) or by code; nil if unknown.
    public static func code(_ text: String) -> String? {
        let k = key(text)
        return k.isEmpty ? nil : byKey[k]
    }

    /// A Bucharest address's sector ("SECTOR3"), from "Sector 3", "sect. 3", "S3" in its text; nil if none is named.
    public static func sector(in text: String) -> String? {
        let folded = Fold.key(text)
        for pattern in ["sectorul", "sector", "sect.", "sect", "sec.", "s."] {
            var rest = Substring(folded)
            while let range = rest.range(of: pattern) {
                let after = rest[range.upperBound...].drop { $0 == " " || $0 == "." }
                if let digit = after.first, ("1"..."6").contains(digit), after.dropFirst().first.map({ !$0.isNumber }) ?? true {
                    let before = rest[..<range.lowerBound].last
                    if before == nil || !(before!.isLetter) { return "SECTOR\(digit)" }
                }
                rest = rest[range.upperBound...]
            }
        }
        return nil
    }
}
