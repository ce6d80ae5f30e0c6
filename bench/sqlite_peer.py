"""The peer for bench/demo.sh: SQLite itself, through Python's sqlite3 module.

insert N: N rows of 8 text columns in one transaction, one INSERT per row
          (executemany), no index, no journal; prints the seconds.
page DB:  the keyset first page (50 accounts ordered by name) on a crm
          database; prints the median milliseconds over 200 runs.
sorted DB COLUMN: the first page ordered by another column (median of 10).
search DB WORD: the first page of names containing WORD, by LIKE (median of 10).
opportunities DB: the Oportunități page's own queries, run bare: the stages'
          counts and the newest 31 opportunities with their accounts, then one
          stage's first 31; prints both medians (20 runs).
"""
import sqlite3
import sys
import time


def insert(n: int) -> None:
    db = sqlite3.connect(":memory:" if n < 0 else sys.argv[3])
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("CREATE TABLE t (a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT, g TEXT, h TEXT)")
    rows = ((f"Firma {i} SRL", f"CL{i:07d}", "Cluj-Napoca", "Cluj", f"+40264{i:06d}",
             f"office@firma{i}.ro", f"Strada Mihai Eminescu nr. {i}", f"RO49BTRL{i:016d}") for i in range(n))
    start = time.perf_counter()
    with db:
        db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    print(f"{time.perf_counter() - start:.1f}")


def median_ms(db, sql: str, args=(), repeat: int = 200) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        db.execute(sql, args).fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return samples[len(samples) // 2]


def page(path: str) -> None:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    print(f"{median_ms(db, 'SELECT * FROM account ORDER BY name_key, id LIMIT 50'):.3f}")


def sorted_page(path: str, column: str) -> None:
    """The first page ordered by another column, as SQLite runs it unaided."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sql = f"SELECT * FROM account ORDER BY ifnull({column}, ''), id LIMIT 50"
    print(f"{median_ms(db, sql, repeat=10):.3f}")


def search(path: str, word: str) -> None:
    """Names containing a word: SQLite's own LIKE (ASCII case folding only)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sql = "SELECT * FROM account WHERE name LIKE ? ORDER BY name_key, id LIMIT 50"
    print(f"{median_ms(db, sql, (f'%{word}%',), repeat=10):.3f}")


def opportunities(path: str) -> None:
    """What the page reads, as SQLite runs it with no program around it."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    counts = "SELECT stage_id, count(*) FROM work_item INDEXED BY work_item_kind_stage WHERE kind = 'opportunity' GROUP BY stage_id"
    rows = ("SELECT w.*, a.* FROM work_item w JOIN account a ON a.id = w.account_id WHERE +w.kind = 'opportunity' "
            "ORDER BY w.id DESC LIMIT 31")
    stage = db.execute("SELECT id FROM stage WHERE kind = 'opportunity' ORDER BY position LIMIT 1 OFFSET 2").fetchone()[0]
    staged = ("SELECT w.*, a.* FROM work_item w JOIN account a ON a.id = w.account_id WHERE w.kind = 'opportunity' "
              "AND w.stage_id = ? ORDER BY w.id DESC LIMIT 31")

    def both() -> None:
        db.execute(counts).fetchall()
        db.execute(rows).fetchall()

    samples = []
    for _ in range(20):
        start = time.perf_counter()
        both()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print(f"{samples[len(samples) // 2]:.3f} {median_ms(db, staged, (stage,), repeat=20):.3f}")


if __name__ == "__main__":
    if sys.argv[1] == "opportunities":
        opportunities(sys.argv[2])
        sys.exit(0)
    if sys.argv[1] == "insert":
        insert(int(sys.argv[2]))
    elif sys.argv[1] == "sorted":
        sorted_page(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "search":
        search(sys.argv[2], sys.argv[3])
    else:
        page(sys.argv[2])
