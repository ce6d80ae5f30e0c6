"""SQLite's own floor for storing an import: the rows a `crm import` stored
(accounts, contacts, the change log, the search documents) copied into a new
copy of the empty database by INSERT ... SELECT in one transaction, with the
same pragmas (WAL, synchronous=NORMAL, foreign keys) and the same indexes.
No reading, no checking, no per-row statement: what remains is SQLite writing
these rows, their indexes and the full-text index.

    python3 bench/import_floor.py IMPORTED.sqlite EMPTY.sqlite   # prints seconds
"""
import os
import shutil
import sqlite3
import sys
import tempfile
import time

imported, empty = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp()
target = os.path.join(work, "floor.sqlite")
shutil.copy(empty, target)
db = sqlite3.connect(target, isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = NORMAL")
db.execute("PRAGMA foreign_keys = ON")
db.execute("ATTACH ? AS imported", (imported,))
start = time.monotonic()
db.execute("BEGIN IMMEDIATE")
for table in ["operation", "account", "contact", "change_log"]:
    columns = ",".join(row[1] for row in db.execute(f"PRAGMA imported.table_info({table})"))
    db.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM imported.{table} "
               f"WHERE id > (SELECT coalesce(max(id), 0) FROM main.{table}) ORDER BY id")
db.execute("INSERT INTO main.account_search (rowid, body) SELECT rowid, body FROM imported.account_search")
db.execute("COMMIT")
print("%.2f" % (time.monotonic() - start))
db.close()
shutil.rmtree(work)
