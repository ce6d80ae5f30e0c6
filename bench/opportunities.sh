#!/usr/bin/env bash
# The Oportunități page (issue: opportunities, activities, notes, reminders) on
# the 1,000,000-account demo with its ~200,000 opportunities, in memory at
# 120×35: the first screen from Clienți, each stage chosen in the left pane, a
# page down and a sort — for an administrator and for a user limited to two of
# the eight zones. Beside it, the peer: SQLite itself running the page's bare
# queries from Python (stage counts + first rows; one stage's first rows).
# Usage: bench/opportunities.sh [DATABASE]   (default: a new 1,000,000-account demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" python3

crm_bench_database 1000000 "$@"
accounts=$("$crm" info --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["accounts"])')
echo "date=$(date -u +%F) accounts=$accounts"
"$crm" bench --db "$db" --opportunities --repeat 30
"$crm" bench --db "$db" --opportunities --repeat 30 --as andrei.popescu
read -r peer_first peer_stage < <(python3 bench/sqlite_peer.py opportunities "$db")
echo "peer_sqlite_counts_and_first_rows_ms_median=$peer_first peer_sqlite_stage_first_rows_ms_median=$peer_stage"
