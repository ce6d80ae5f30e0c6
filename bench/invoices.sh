#!/usr/bin/env bash
# Invoicing (issue: invoicing, payments and ledgers): 1,000 invoices issued from
# the demo's offers, each posted (Înregistrare venit) and paid (Înregistrare
# încasare) in its own transactions; then, over all of them, the Facturi page's
# first screen, the bank account's statement, one invoice's e-Factura XML and
# its PDF (medians). No peer is named for it.
# Usage: bench/invoices.sh [DATABASE]   (default: a new 1,000-account demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}"

crm_bench_database 1000 "$@"
echo "date=$(date -u +%F)"
"$crm" bench --db "$db" --invoices --repeat 1000
