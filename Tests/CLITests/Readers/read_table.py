"""Reads an exported table back, independently of crm: .xlsx with openpyxl,
.csv with Python's csv module. Prints JSON: {"rows": [[cell, ...], ...],
"frozen": "A2", "autofilter": "A1:E51", "bold_header": true, "formats": [...]}.
Cells keep their type: text, number, boolean, and dates as "YYYY-MM-DD"."""
import csv
import datetime
import json
import sys

path = sys.argv[1]
out = {}
if path.endswith(".xlsx"):
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    rows = []
    formats = {}
    for r in ws.iter_rows():
        row = []
        for c in r:
            v = c.value
            if isinstance(v, datetime.datetime):
                v = v.date().isoformat()
            row.append(v)
            if c.row == 2:
                formats[c.column - 1] = c.number_format
        rows.append(row)
    out["rows"] = rows
    out["frozen"] = ws.freeze_panes
    out["autofilter"] = ws.auto_filter.ref
    out["bold_header"] = all(c.font.b for c in ws[1])
    out["formats"] = formats
    out["widths"] = {k: v.width for k, v in ws.column_dimensions.items()}
else:
    raw = open(path, "rb").read()
    out["bom"] = raw.startswith(b"\xef\xbb\xbf")
    out["crlf"] = b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    out["rows"] = list(csv.reader(text.splitlines(keepends=True)))
print(json.dumps(out, ensure_ascii=False))
