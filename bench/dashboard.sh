#!/usr/bin/env bash
# The Tablou de bord (issue: dashboard, activity report, visit map) on the
# 1,000,000-account demo with its ~200,000 opportunities, in memory at 160×45:
# the page opened from Clienți with every panel read and drawn, each panel
# alone, and each panel's first drill-down drawn (the Oportunități page
# narrowed, or the rows window) — for an administrator and for a user limited
# to two of the eight zones. Then the visit route of a busy day.
# Usage: bench/dashboard.sh [DATABASE]   (default: a new 1,000,000-account demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" python3

crm_bench_database 1000000 "$@"
accounts=$("$crm" info --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["accounts"])')
echo "date=$(date -u +%F) accounts=$accounts"
"$crm" bench --db "$db" --dashboard --repeat 20
"$crm" bench --db "$db" --dashboard --repeat 20 --as andrei.popescu
day=$(date +%F)
start=$(date +%s%N)
"$crm" route --db "$db" --user andrei.popescu --date "$day" --json > "$out/route.json"
end=$(date +%s%N)
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("route_stops=%d route_unresolved=%d route_km=%s route_exact=%s route_ms=%s" % (len(r["stops"]), len(r["unresolved"]), r["lengthKm"], r["exact"], sys.argv[2]))' \
    "$out/route.json" "$(( (end - start) / 1000000 ))"
