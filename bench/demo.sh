#!/usr/bin/env bash
# Figures for the foundation (issue: crm demo at one million accounts):
#   - time of `crm demo --accounts N` (release build) and the database size;
#   - a keyset-paged first page of 50 accounts ordered by name, measured inside crm;
#   - the peer: SQLite itself inserting N rows of 8 text columns (one INSERT per
#     row, no index, no journal), and the same first page read through it.
# Usage: bench/demo.sh [N]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" python3

n="${1:-1000000}"
swift build -c release --product crm >&2
crm="$PWD/.build/release/crm"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

t0=$(now)
"$crm" demo --db "$out/demo.sqlite" --accounts "$n" --quiet
t1=$(now)
demo_s=$(elapsed "$t0" "$t1")
size_mb=$(du -m "$out/demo.sqlite" | cut -f1)
page=$("$crm" bench --db "$out/demo.sqlite" --repeat 200 --limit 50)
page_ms=$(sed -nE 's/.*first_page_ms_median=([0-9.]+).*/\1/p' <<<"$page")
query_ms=$(sed -nE "s/.*keyset_query_ms_median=([0-9.]+).*/\1/p" <<<"$page")

# The peer: SQLite itself, one INSERT per row, through Debian's Python (its sqlite3
# module links the same system SQLite), and the same first page through it.
peer_s=$(/usr/bin/python3 bench/sqlite_peer.py insert "$n" "$out/peer.sqlite")
peer_page_ms=$(/usr/bin/python3 bench/sqlite_peer.py page "$out/demo.sqlite")

cpu=$(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
echo "date=$(date -u +%Y-%m-%d) cores=$(nproc) cpu=\"$cpu\""
echo "accounts=$n demo_seconds=$demo_s database_mb=$size_mb keyset_query_ms=$query_ms first_page_ms=$page_ms"
echo "peer_sqlite_insert_seconds=$peer_s peer_sqlite_first_page_ms=$peer_page_ms"
awk -v a="$demo_s" -v b="$peer_s" -v c="$query_ms" -v d="$peer_page_ms" \
    'BEGIN { printf "ratio_demo_to_sqlite_insert=%.1f ratio_keyset_query_to_sqlite=%.2f\n", a / b, c / d }'
