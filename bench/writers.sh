#!/usr/bin/env bash
# Many users on one file: P processes (default 20) each adding W accounts
# (default 200), every add its own transaction, all at once on one database.
# Prints the wall time, the failures and the accounts found afterwards.
# Usage: bench/writers.sh [P] [W]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" python3 bc

swift build -c release --product crm >&2
crm="$PWD/.build/release/crm"
processes="${1:-20}"
writes="${2:-200}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$crm" init --db "$out/x.sqlite" > /dev/null
start=$(date +%s.%N)
for p in $(seq 1 "$processes"); do
    "$crm" bench --db "$out/x.sqlite" --writes "$writes" --tag "p$p" > "$out/p$p.out" 2> "$out/p$p.err" &
done
wait
end=$(date +%s.%N)
failures=$(cat "$out"/p*.out | awk '{s += $2} END {print s}')
accounts=$("$crm" info --db "$out/x.sqlite" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["accounts"])')
echo "date=$(date -u +%F) processes=$processes writes_each=$writes wall_s=$(echo "$end - $start" | bc -l | xargs printf "%.2f") failures=$failures accounts=$accounts expected=$((processes * writes)) writes_per_s=$(echo "$processes * $writes / ($end - $start)" | bc -l | xargs printf "%.0f")"
