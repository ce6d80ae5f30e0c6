#!/usr/bin/env bash
# Import of an N-row accounts .xlsx (default 100,000) written by openpyxl,
# beside openpyxl (read-only mode) merely reading the same file, in one run;
# with the reading alone, the .csv of the same rows, the peak memory, and
# SQLite's floor for storing the same rows (bench/import_floor.py).
# Usage: bench/import.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" python3-openpyxl bc time

swift build -c release --product crm >&2
crm="$PWD/.build/release/crm"
rows="${1:-100000}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 bench/import_file.py "$rows" "$out/conturi.xlsx"
/usr/bin/python3 bench/import_file.py "$rows" "$out/conturi.csv"
"$crm" init --db "$out/x.sqlite" > /dev/null
cp "$out/x.sqlite" "$out/c.sqlite"
cp "$out/x.sqlite" "$out/empty.sqlite"

# seconds and peak resident kilobytes of a command
measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
read -r xlsx_s xlsx_kb <<< "$(measure "$crm" import accounts --db "$out/x.sqlite" "$out/conturi.xlsx")"
read -r csv_s csv_kb <<< "$(measure "$crm" import accounts --db "$out/c.sqlite" "$out/conturi.csv")"
read -r read_s _ _ <<< "$("$crm" bench --db "$out/x.sqlite" --read "$out/conturi.xlsx")"
read -r peer_s _ <<< "$(/usr/bin/python3 bench/import_file.py --read "$out/conturi.xlsx")"
floor_s=$(/usr/bin/python3 bench/import_floor.py "$out/x.sqlite" "$out/empty.sqlite")
imported=$("$crm" info --db "$out/x.sqlite" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["accounts"])')
echo "date=$(date -u +%F) rows=$rows imported=$imported crm_import_xlsx_s=$xlsx_s crm_import_xlsx_peak_mb=$((xlsx_kb / 1024)) crm_import_csv_s=$csv_s crm_import_csv_peak_mb=$((csv_kb / 1024)) crm_read_xlsx_s=$read_s sqlite_floor_s=$floor_s peer_openpyxl_read_s=$peer_s ratio_import=$(echo "$peer_s / $xlsx_s" | bc -l | xargs printf "%.1f") ratio_read=$(echo "$peer_s / $read_s" | bc -l | xargs printf "%.1f") xlsx_bytes=$(stat -c %s "$out/conturi.xlsx")"
