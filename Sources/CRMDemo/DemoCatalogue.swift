import CRMCore

/// The demo company's catalogue (nomenclator): what it sells, with prices
/// without VAT in lei — services, IT equipment, software, office supplies,
/// furniture, books (at the reduced rate).
enum DemoCatalogue {
    /// (category, code prefix, VAT rate, [(name, unit, price)])
    static let groups: [(category: String, prefix: String, vat: String, items: [(String, String, String)])] = [
        ("Servicii", "SRV", "21%", [
            ("Consultanță fiscală", "oră", "350"), ("Consultanță juridică", "oră", "420"), ("Audit financiar", "proiect", "12500"),
            ("Instalare și configurare echipamente", "oră", "180"), ("Mentenanță IT lunară", "lună", "1450"),
            ("Instruire utilizatori", "zi", "2200"), ("Dezvoltare software la comandă", "oră", "260"),
            ("Transport marfă în București", "cursă", "240"), ("Transport marfă național", "km", "4.80"),
            ("Servicii de contabilitate", "lună", "900"), ("Administrare salarii", "angajat/lună", "45"),
            ("Design grafic", "oră", "200"), ("Găzduire web anuală", "an", "600"), ("Reparații echipamente", "oră", "150"),
        ]),
        ("Echipamente IT", "IT", "21%", [
            ("Laptop 14\" i5, 16 GB, SSD 512 GB", "buc.", "3899"), ("Laptop 15,6\" i7, 32 GB, SSD 1 TB", "buc.", "6490"),
            ("Monitor 27\" QHD", "buc.", "1299"), ("Monitor 24\" Full HD", "buc.", "689"), ("Stație de andocare USB-C", "buc.", "749"),
            ("Imprimantă laser color A4", "buc.", "1850"), ("Multifuncțională laser mono A4", "buc.", "1190"),
            ("Server rack 1U", "buc.", "14900"), ("Switch 24 porturi gigabit", "buc.", "1390"), ("Router Wi-Fi 6", "buc.", "599"),
            ("UPS 1500 VA", "buc.", "1250"), ("Tastatură și mouse wireless", "set", "189"), ("Căști cu microfon", "buc.", "259"),
            ("Videoproiector Full HD", "buc.", "2790"), ("Hard disk extern 2 TB", "buc.", "389"),
        ]),
        ("Software", "SW", "21%", [
            ("Licență antivirus (1 an)", "licență", "129"), ("Licență suită de birou (1 an)", "licență", "499"),
            ("Licență program de contabilitate", "licență", "2400"), ("Abonament CRM (utilizator/lună)", "utilizator", "89"),
            ("Licență sistem de operare server", "licență", "4300"), ("Backup în cloud 1 TB (1 an)", "abonament", "780"),
        ]),
        ("Birotică", "BIR", "21%", [
            ("Hârtie copiator A4 80 g", "top", "25.50"), ("Toner negru pentru imprimantă laser", "buc.", "310"),
            ("Cartuș cerneală color", "buc.", "145"), ("Dosar plic cu buton", "buc.", "1.20"), ("Biblioraft A4 75 mm", "buc.", "11.90"),
            ("Pix cu gel albastru", "buc.", "3.50"), ("Marker permanent", "buc.", "6.40"), ("Post-it 76×76 mm", "set", "9.90"),
            ("Capsator metalic", "buc.", "34"), ("Calculator de birou", "buc.", "59"), ("Etichete autoadezive A4", "cutie", "48"),
        ]),
        ("Mobilier", "MOB", "21%", [
            ("Birou de lucru 140×70 cm", "buc.", "890"), ("Scaun ergonomic de birou", "buc.", "1150"),
            ("Dulap arhivare metalic", "buc.", "1640"), ("Masă de ședință 8 persoane", "buc.", "2950"),
            ("Corp mobil cu sertare", "buc.", "540"), ("Cuier metalic", "buc.", "170"),
        ]),
        ("Cărți și publicații", "CRT", "11%", [
            ("Codul fiscal comentat", "buc.", "189"), ("Ghidul contabilului", "buc.", "95"), ("Abonament revistă de specialitate (1 an)", "abonament", "360"),
        ]),
        ("Consumabile", "CON", "21%", [
            ("Cablu de rețea Cat6 (rolă 305 m)", "rolă", "620"), ("Cablu HDMI 2 m", "buc.", "35"), ("Baterii AA alcaline", "set", "22"),
            ("Soluție de curățat ecrane", "buc.", "18"), ("Prelungitor cu 5 prize", "buc.", "49"),
        ]),
    ]

    /// The catalogue as import rows, each product once, in a fixed order.
    static func rows() -> [(line: Int, values: [ProductField: String])] {
        var out: [(line: Int, values: [ProductField: String])] = []
        for group in groups {
            for (n, item) in group.items.enumerated() {
                out.append((out.count + 2, [.code: "\(group.prefix)-\(String(format: "%03d", n + 1))", .name: item.0, .unit: item.1,
                                            .price: item.2, .currency: "RON", .vat: group.vat, .category: group.category]))
            }
        }
        return out
    }
}
