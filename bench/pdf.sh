#!/usr/bin/env bash
# Offers to PDF (issue: offers and PDF documents), as `crm offer pdf` prints
# them — read with their lines, template, client and company, laid out, written:
# one offer of 50 lines (median), then 1,000 of the demo's offers one after
# another. No peer is named for it; the goal is < 100 ms and < 30 s.
# Usage: bench/pdf.sh [DATABASE]   (default: a new 1,000-account demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}"

crm_bench_database 1000 "$@"
echo "date=$(date -u +%F)"
"$crm" bench --db "$db" --pdf --limit 50 --repeat 1000
