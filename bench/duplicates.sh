#!/usr/bin/env bash
# The global duplicate scan on demo databases of 100,000 and 1,000,000 accounts.
# Usage: bench/duplicates.sh [DB_100K [DB_1M]]   (default: new demos)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}"

swift build -c release --product crm >&2
crm="$PWD/.build/release/crm"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for n in 100000 1000000; do
    if [ "$n" = 100000 ]; then db="${1:-$out/d100k.sqlite}"; else db="${2:-$out/d1m.sqlite}"; fi
    [ -e "$db" ] || "$crm" demo --db "$db" --accounts "$n" --quiet
    # The scan's own time (reading, hashing, sorting, comparing), as crm prints it.
    line=$(/usr/bin/time -f "process_seconds=%e peak_kb=%M" "$crm" duplicates --db "$db" --limit 1 2>&1 | tail -2 | tr '\n' ' ')
    echo "date=$(date -u +%F) accounts=$n $line"
done
