#!/usr/bin/env bash
# The account table's first page in each order the Clienți page offers, and the
# footer search, on a demo database; beside each, SQLite itself running the
# same query from Python (the peer).
# Usage: bench/table.sh [DATABASE]   (default: a new 1,000,000-account demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" python3

crm_bench_database 1000000 "$@"

# The search index, if the demo has not got it yet (a bulk load fills it afterwards).
"$crm" index --db "$db" >&2
echo "date=$(date -u +%F) accounts=$("$crm" info --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["accounts"])')"
for order in name code city; do
    repeat=200; [ "$order" = name ] || repeat=10
    ours=$("$crm" bench --db "$db" --repeat "$repeat" --limit 50 --order "$order")
    if [ "$order" = name ]; then peer=$(python3 bench/sqlite_peer.py page "$db"); else peer=$(python3 bench/sqlite_peer.py sorted "$db" "$order"); fi
    echo "$ours peer_sqlite_ms_median=$peer"
done
for word in agr pop stiinta; do
    ours=$("$crm" bench --db "$db" --repeat 20 --limit 50 --search "$word")
    peer=$(python3 bench/sqlite_peer.py search "$db" "$word")
    echo "$ours peer_sqlite_like_ms_median=$peer"
done
# The Clienți page in memory, 120×35: first screen, page down, a 3-letter search.
for word in agr pop ion; do "$crm" bench --db "$db" --screen --repeat 30 --search "$word"; done
# The same page for a user limited to two of the demo's eight zones (ADM-2).
for word in agr pop ion; do "$crm" bench --db "$db" --screen --repeat 30 --search "$word" --as andrei.popescu; done
