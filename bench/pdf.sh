#!/usr/bin/env bash
# The document engine (issue: offers and PDF documents): an offer-shaped PDF of
# 50 lines from the demo's catalogue — the parties side by side, the lines
# table, the totals, text — one document's median time, then 1,000 written one
# after another. No peer is named for it; the goal is < 100 ms and < 30 s.
# Usage: bench/pdf.sh [DATABASE]   (default: a new 1,000-account demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}"

crm_bench_database 1000 "$@"
echo "date=$(date -u +%F)"
"$crm" bench --db "$db" --pdf --limit 50 --repeat 1000
