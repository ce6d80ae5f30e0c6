#!/usr/bin/env bash
# Campaign sending (issue: e-mail campaigns): messages per second from
# `crm campaign run` (release build) to a local SMTP sink (Debian's aiosmtpd,
# writing a Maildir) at interval 0, over 1 and 4 connections; each recipient
# claimed in the database before its message leaves and marked after. The
# sink's count is checked against the campaign's. Goal: at least 200/s.
# Usage: bench/campaign.sh [RECIPIENTS]   (default 3000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" python3-aiosmtpd
n="${1:-3000}"
swift build -c release --product crm >&2
crm="$PWD/.build/release/crm"
out=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$out"' EXIT
echo "date=$(date -u +%F) machine=$(nproc) cores"
for connections in 1 4; do
    export CRM_DB="$out/c$connections.sqlite" CRM_LANG=en
    smtp=$(crm_free_port)
    /usr/bin/python3 Tests/CLITests/Readers/smtp_sink.py --port "$smtp" --maildir "$out/maildir$connections" >/dev/null 2>&1 &
    pids+=($!)
    "$crm" init >/dev/null
    "$crm" email settings --host 127.0.0.1 --port "$smtp" --security none --from vanzari@carpaticsoft.ro >/dev/null
    seq 1 "$n" | sed 's/.*/client&@exemplu.ro/' | xargs "$crm" maillist add-address Bench >/dev/null
    "$crm" campaign add Bench --list Bench --subject "Oferta de iarnă pentru {{client.contact}}" \
        --text "Bună ziua, vă prezentăm oferta noastră de iarnă: https://www.carpaticsoft.ro/iarna" --interval 0 >/dev/null
    "$crm" campaign start Bench >/dev/null
    start=$(date +%s.%N)
    "$crm" campaign run Bench --connections "$connections" >/dev/null
    end=$(date +%s.%N)
    received=$(ls "$out/maildir$connections/new" | wc -l)
    sent=$("$crm" campaign status Bench --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["sent"])')
    /usr/bin/python3 -c "print(f'connections=$connections recipients=$n sent=$sent received=$received seconds={$end-$start:.2f} messages/s={$n/($end-$start):.0f}')"
done
