"""Writes .xlsx files for the import tests, independently of crm.

    make_xlsx.py typed HEADER_CSV OUT     openpyxl: shared strings, numbers, a date, a boolean
    make_xlsx.py raw HEADER_CSV OUT       hand-written parts: inline strings, a formula with
                                          its cached value, an error cell, sparse cells, rich
                                          text, the 1904 date system, a DOCTYPE-free workbook
    make_xlsx.py bomb OUT                 a sheet that inflates a thousandfold (a zip bomb)
    make_xlsx.py badxml HEADER_CSV OUT    a sheet whose tags do not nest
    make_xlsx.py truncate IN OUT          the first half of a file

HEADER_CSV is a template written by `crm template accounts`: its header and example row.
"""
import csv
import datetime
import sys
import zipfile


def template(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1]


def typed(header_csv, out):
    from openpyxl import Workbook
    header, example = template(header_csv)
    wb = Workbook()
    ws = wb.active
    ws.title = "Conturi"
    ws.append(header)
    row = list(example)
    col = {h: i for i, h in enumerate(header)}
    row[col["Cod"]] = "XL1"
    row[col["Denumire"]] = "Țesătoria Șercaia SRL"
    row[col["CUI/CIF"]] = 14399840          # a number cell
    row[col["Plătitor TVA"]] = True         # a boolean cell
    row[col["Persoană de contact"]] = "Ana Pop"
    if "Nr. angajați" in col:
        row[col["Nr. angajați"]] = 42
    if "Client din" in col:
        row[col["Client din"]] = datetime.datetime(2021, 3, 15)
    if "Newsletter" in col:
        row[col["Newsletter"]] = False
    ws.append(row)
    second = list(example)
    second[col["Cod"]] = "XL2"
    second[col["Denumire"]] = "Al doilea rând SRL"
    second[col["CUI/CIF"]] = ""
    second[col["IBAN"]] = None
    second[col["Persoană de contact"]] = None
    ws.append(second)
    wb.save(out)


def column(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="true"/><sheets><sheet name="Conturi" sheetId="7" r:id="rIdSheet"/><sheet name="Altă foaie" sheetId="8" r:id="rIdOther"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdOther" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/other.xml"/><Relationship Id="rIdSheet" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/><Relationship Id="rIdY" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd&quot;/&quot;mm&quot;/&quot;yyyy"/><numFmt numFmtId="165" formatCode="&quot;lei&quot;\\ #,##0.00"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"><alignment horizontal="left"/></xf><xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>"""


def raw(header_csv, out):
    header, example = template(header_csv)
    col = {h: i for i, h in enumerate(header)}
    strings = []

    def shared(text):
        strings.append("<si><t>%s</t></si>" % esc(text))
        return str(len(strings) - 1)

    def cells(values, row):
        out = []
        for i, v in enumerate(values):
            if v is None:
                continue
            ref = "%s%d" % (column(i), row)
            kind, text = v
            if kind == "s":
                out.append('<c r="%s" t="s"><v>%s</v></c>' % (ref, shared(text)))
            elif kind == "inline":
                out.append('<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, esc(text)))
            elif kind == "rich":
                strings.append('<si><r><rPr><b/></rPr><t>%s</t></r><r><t xml:space="preserve">%s</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>'
                               % (esc(text[0]), esc(text[1])))
                out.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, len(strings) - 1))
            elif kind == "formula":
                out.append('<c r="%s" t="str"><f>CONCATENATE("J12/","345/2010")</f><v>%s</v></c>' % (ref, esc(text)))
            elif kind == "date":
                out.append('<c r="%s" s="1"><v>%s</v></c>' % (ref, text))
            elif kind == "error":
                out.append('<c r="%s" t="e"><f>1/0</f><v>%s</v></c>' % (ref, text))
            elif kind == "n":
                out.append('<c r="%s"><v>%s</v></c>' % (ref, text))
        return "".join(out)

    rows = []
    rows.append('<row r="1">%s</row>' % cells([("s", h) for h in header], 1))
    first = [None] * len(header)
    first[col["Cod"]] = ("inline", "RAW1")
    first[col["Denumire"]] = ("rich", ("Știința ", "& Arta SRL"))
    first[col["CUI/CIF"]] = ("n", "1.4399840E7")
    first[col["Nr. Reg. Com."]] = ("formula", "J12/345/2010")
    first[col["Oraș"]] = ("s", "Cluj-Napoca")
    first[col["Zonă"]] = ("s", "Nord-Vest")
    first[col["E-mail"]] = ("inline", "  office@arta.ro ")
    if "Client din" in col:
        # 1904 system: 43 904 days after 1 January 1904 is 15 March 2024.
        first[col["Client din"]] = ("date", "43904")
    if "Nr. angajați" in col:
        first[col["Nr. angajați"]] = ("n", "12.0")
    rows.append('<row r="2" spans="1:30">%s</row>' % cells(first, 2))
    # An empty row, then a row past a gap whose cells skip columns.
    rows.append('<row r="3"/>')
    second = [None] * len(header)
    second[col["Cod"]] = ("s", "RAW2")
    second[col["Denumire"]] = ("s", "Al doilea SRL")
    second[col["Oraș"]] = ("error", "#N/A")
    rows.append('<row r="5">%s</row>' % cells(second, 5))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetPr><tabColor rgb="FF00FF00"/></sheetPr><dimension ref="A1:Z5"/><sheetData>%s</sheetData>'
             '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>') % "".join(rows)
    sst = ('<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
           % (len(strings), len(strings), "".join(strings)))
    other = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not this sheet</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/strings.xml", sst)
        z.writestr("xl/worksheets/other.xml", other)
        z.writestr("xl/worksheets/data.xml", sheet)


def minimal(out, sheet):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.replace('<sheet name="Altă foaie" sheetId="8" r:id="rIdOther"/>', ""))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/strings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
        z.writestr("xl/worksheets/data.xml", sheet)


def bomb(out):
    head = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    minimal(out, head + " " * (100 << 20) + "</sheetData></worksheet>")


def badxml(header_csv, out):
    header, _ = template(header_csv)
    cells = "".join('<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (column(i), esc(h)) for i, h in enumerate(header))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">%s</row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>BAD1</t></c></is></row></sheetData></worksheet>') % cells
    minimal(out, sheet)


def truncate(src, out):
    data = open(src, "rb").read()
    open(out, "wb").write(data[: len(data) // 2])


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "typed":
        typed(sys.argv[2], sys.argv[3])
    elif mode == "raw":
        raw(sys.argv[2], sys.argv[3])
    elif mode == "bomb":
        bomb(sys.argv[2])
    elif mode == "badxml":
        badxml(sys.argv[2], sys.argv[3])
    elif mode == "truncate":
        truncate(sys.argv[2], sys.argv[3])
