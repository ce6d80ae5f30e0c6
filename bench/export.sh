#!/usr/bin/env bash
# Export of 100,000 accounts × 10 columns to .xlsx (and .csv) by crm, beside
# Python's openpyxl (write-only mode) writing the same rows, in one run.
# Usage: bench/export.sh [DATABASE]   (default: a new 100,000-account demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" python3-openpyxl bc gcc

crm_bench_database 100000 "$@"
columns=code,name,cui,city,county,phone,email,iban,custom.nr_angajati,custom.client_din

seconds() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l | xargs printf "%.2f"; }
# 100,000 rows: the whole demo, or the first 100,000 by name of a bigger base.
xlsx=$(seconds "$crm" export accounts --db "$db" -o "$out/crm.xlsx" --columns "$columns" --sort name)
csv=$(seconds "$crm" export accounts --db "$db" -o "$out/crm.csv" --columns "$columns" --sort name)
rows=$(($(wc -l < "$out/crm.csv") - 1))
peer=$(/usr/bin/python3 bench/export_peer.py "$out/crm.csv" "$out/peer.xlsx")
# The library's own floor: the same number of cells written from C.
gcc -O2 bench/xlsx_floor.c -o "$out/xlsx_floor" -lxlsxwriter -lz
floor=$(seconds "$out/xlsx_floor" "$out/floor.xlsx")
echo "date=$(date -u +%F) rows=$rows columns=10 crm_xlsx_s=$xlsx crm_csv_s=$csv peer_openpyxl_xlsx_s=$peer libxlsxwriter_from_c_s=$floor ratio=$(echo "$peer / $xlsx" | bc -l | xargs printf "%.1f") crm_xlsx_bytes=$(stat -c %s "$out/crm.xlsx") peer_bytes=$(stat -c %s "$out/peer.xlsx")"
