"""Writes an accounts import file with the template's columns, with openpyxl
(write-only mode) for .xlsx or the csv module for .csv: N realistic Romanian
companies with valid CUIs and IBANs, a primary contact each.

    python3 bench/import_file.py N OUT.xlsx|OUT.csv
    python3 bench/import_file.py --shared N OUT.xlsx  # the same rows in a shared strings table, as Excel writes them
    python3 bench/import_file.py --read FILE.xlsx   # the peer: openpyxl read-only, every cell read
"""
import csv
import random
import sys
import time

HEADER = ["Cod", "Denumire", "Tip", "CUI/CIF", "Nr. Reg. Com.", "Plătitor TVA", "Adresă", "Oraș", "Județ", "Țară",
          "Zonă", "Telefon", "Mobil", "E-mail", "Website", "IBAN", "Bancă", "Responsabil", "Dosar", "Etichete",
          "Observații", "Persoană de contact", "Funcție contact", "Telefon contact", "Mobil contact", "E-mail contact"]

WORDS = ["Agro", "Construct", "Trans", "Tehno", "Pan", "Dacia", "Carpați", "Mureș", "Someș", "Olt", "Prut", "Bega",
         "Ștefan", "Vlad", "Țara", "Lumina", "Soare", "Cetate", "Codru", "Brad", "Stejar", "Tei", "Izvor", "Delta"]
TAILS = ["Serv", "Com", "Prod", "Impex", "Consult", "Logistic", "Design", "Invest", "Grup", "Tech", "Med", "Bau"]
FORMS = ["SRL", "SRL", "SRL", "SA", "PFA", "SRL-D"]
CITIES = [("Cluj-Napoca", "Cluj"), ("București", "București"), ("Iași", "Iași"), ("Timișoara", "Timiș"),
          ("Brașov", "Brașov"), ("Constanța", "Constanța"), ("Oradea", "Bihor"), ("Sibiu", "Sibiu"),
          ("Târgu Mureș", "Mureș"), ("Craiova", "Dolj"), ("Galați", "Galați"), ("Ploiești", "Prahova")]
STREETS = ["Memorandumului", "Republicii", "Mihai Viteazu", "Ștefan cel Mare", "Avram Iancu", "Libertății", "Unirii"]
FIRST = ["Ioana", "Andrei", "Maria", "Mihai", "Elena", "Ștefan", "Ana", "Cristian", "Raluca", "Tudor", "Irina", "Radu"]
LAST = ["Popescu", "Ionescu", "Pop", "Marin", "Stan", "Dumitrescu", "Constantin", "Țurcan", "Munteanu", "Șerban"]
BANKS = [("BTRL", "Banca Transilvania"), ("RNCB", "BCR"), ("BRDE", "BRD"), ("INGB", "ING Bank")]
ROLES = ["Director", "Contabil", "Achiziții", "Administrator", "Vânzări"]


def cui(n):
    digits = str(n)
    weights = "753217532"[-(len(digits)):]
    total = sum(int(d) * int(w) for d, w in zip(digits, weights))
    return digits + str(total * 10 % 11 % 10)


def iban(bank, account):
    body = bank + account + "RO00"
    numeric = "".join(str(int(c, 36)) for c in body)
    check = 98 - int(numeric) % 97
    return "RO%02d%s%s" % (check, bank, account)


def fold(s):
    table = str.maketrans("ăâîșțşţĂÂÎȘȚ", "aaiststAAIST")
    return s.translate(table).lower()


def rows(n):
    rnd = random.Random(42)
    for i in range(n):
        name = "%s %s%s %s" % (rnd.choice(WORDS), rnd.choice(WORDS), rnd.choice(TAILS), rnd.choice(FORMS))
        city, county = rnd.choice(CITIES)
        bank, bank_name = rnd.choice(BANKS)
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        domain = fold(name.split(" ")[1]) + str(i) + ".ro"
        yield ["IM%07d" % (i + 1), name, "company", "RO" + cui(1_000_000 + i * 7), "J%02d/%d/20%02d" % (i % 40 + 1, i % 9000 + 1, i % 24),
               "da" if i % 3 else "nu", "Strada %s nr. %d" % (rnd.choice(STREETS), i % 200 + 1), city, county, "RO", "",
               "02%02d %03d %03d" % (i % 70 + 30, i % 1000, (i * 7) % 1000), "07%02d %03d %03d" % (i % 60 + 20, (i * 3) % 1000, i % 1000),
               "office@" + domain, "www." + domain, iban(bank, "%016d" % (i * 97 + 11)), bank_name, "", "", "Client" if i % 2 else "Prospect",
               "", first + " " + last, rnd.choice(ROLES), "", "07%02d %03d %03d" % (i % 50 + 40, i % 1000, (i * 11) % 1000),
               fold(first) + "." + fold(last) + "@" + domain]


def write(n, out):
    if out.endswith(".csv"):
        with open(out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for row in rows(n):
                w.writerow(row)
        return
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Conturi")
    ws.append(HEADER)
    for row in rows(n):
        ws.append(row)
    wb.save(out)


def write_shared(n, out):
    """The same rows as Excel and LibreOffice store them: every text once, in
    the shared strings table, cells pointing to it; written part by part."""
    import zipfile
    from xml.sax.saxutils import escape
    index = {}
    strings = []

    def ref(text):
        i = index.get(text)
        if i is None:
            i = index[text] = len(strings)
            strings.append(text)
        return i

    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet %s><sheetData>' % ns).encode())
            for r, row in enumerate([HEADER] + list(rows(n)), start=1):
                cells = "".join('<c r="%s%d" t="s"><v>%d</v></c>' % (col(i), r, ref(v)) for i, v in enumerate(row) if v != "")
                f.write(('<row r="%d">%s</row>' % (r, cells)).encode())
            f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst %s count="%d" uniqueCount="%d">'
                     % (ns, len(strings), len(strings))).encode())
            for s in strings:
                f.write(("<si><t>%s</t></si>" % escape(s)).encode())
            f.write(b"</sst>")
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % rel)
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook %s xmlns:r="%s"><sheets><sheet name="Conturi" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>' % (rel, rel))


def read(path):
    from openpyxl import load_workbook
    start = time.perf_counter()
    wb = load_workbook(path, read_only=True)
    cells = 0
    for row in wb.worksheets[0].iter_rows(values_only=True):
        cells += sum(1 for v in row if v is not None)
    wb.close()
    print("%.3f %d" % (time.perf_counter() - start, cells))


if __name__ == "__main__":
    if sys.argv[1] == "--read":
        read(sys.argv[2])
    elif sys.argv[1] == "--shared":
        write_shared(int(sys.argv[2]), sys.argv[3])
    else:
        write(int(sys.argv[1]), sys.argv[2])
