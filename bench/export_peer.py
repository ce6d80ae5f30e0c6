"""The peer for bench/export.sh: Python's openpyxl in write-only mode writing
the same rows crm exported (read from crm's CSV beforehand, not timed).
Usage: export_peer.py ROWS.csv OUT.xlsx  → prints the seconds spent writing."""
import csv
import datetime
import sys
import time

import openpyxl

rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
header, body = rows[0], rows[1:]


def typed(value: str):
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return datetime.date.fromisoformat(value)
    if value.isdigit() and len(value) < 6:
        return int(value)
    return value


body = [[typed(v) for v in r] for r in body]
start = time.perf_counter()
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("Conturi")
ws.append(header)
for r in body:
    ws.append(r)
wb.save(sys.argv[2])
print(f"{time.perf_counter() - start:.2f}")
