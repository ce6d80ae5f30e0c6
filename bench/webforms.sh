#!/usr/bin/env bash
# Web forms (issue: web forms that capture leads): submissions per second taken
# by `crm serve` (release build) on loopback from wrk, every request a different
# visitor, while a terminal session (the real program in tmux, keys sent to it)
# adds notes to the same database. Then every answered submission is checked
# against the accounts made: none lost, none doubled. For reference, the
# service's /health on the same server (the HTTP floor: no parsing, no rules,
# no write).
# Usage: bench/webforms.sh [SECONDS] [ACCOUNTS]   (defaults 10, 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" wrk curl tmux sqlite3

seconds="${1:-10}"
crm_bench_database "${2:-100000}"
export CRM_DB="$db" CRM_LANG=en
pids=()
tmux_socket="crm-bench-$$"
trap 'kill "${pids[@]}" 2>/dev/null; tmux -L "$tmux_socket" kill-server 2>/dev/null; rm -rf "$out"' EXIT

# The search index built first, as a base in use has it (a new one is indexed by the first terminal session, in the background).
"$crm" index >/dev/null
# The demo's contact form, served without a rate limit (one address sends everything here).
token=$("$crm" form show "Formular contact" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
http=$(crm_free_port)
"$crm" serve --listen "127.0.0.1:$http" --quiet --no-campaigns --form-rate 0 >/dev/null &
pids+=($!)
crm_wait_http "http://127.0.0.1:$http/health"

# Every request a new visitor: thread and counter in the name and the address; the answers counted by status.
cat > "$out/submit.lua" <<'LUA'
local threads = {}
local counter = 1
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
function init(args)
  run = args[1] or "1"
  n = 0
  ok = 0
  refused = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
function request()
  n = n + 1
  local who = run .. "-" .. id .. "-" .. n
  local body = "firma=Firma+de+test+" .. who .. "+SRL&nume_si_prenume=Vizitator+%C8%98tef%C4%83nescu+" .. who ..
    "&e_mail=lead-" .. who .. "%40bench-formulare.ro&telefon=0722123456&judet=Cluj&mesaj=Bun%C4%83+ziua%2C+v%C4%83+rog+o+ofert%C4%83."
  return wrk.format(nil, nil, nil, body)
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else refused = refused + 1 end
end
function done(summary, latency, requests)
  local total_ok, total_refused = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_refused = total_refused + t:get("refused")
  end
  io.write(string.format("answered 200=%d other=%d\n", total_ok, total_refused))
end
LUA

count_notes() { sqlite3 "$db" "SELECT count(*) FROM note"; }
accounts_before=$(sqlite3 "$db" "SELECT count(*) FROM account")
echo "date=$(date -u +%F) machine=$(nproc) cores, $(uname -r); $accounts_before accounts"
submit() {
    result=$(wrk -t2 -c16 -d"${seconds}s" --latency -s "$out/submit.lua" "http://127.0.0.1:$http/f/$token" -- "$1")
    echo "$result" | grep -E "Requests/sec|Latency|50%|99%|requests in|answered"
    answered=$(( answered + $(echo "$result" | sed -nE 's/answered 200=([0-9]+).*/\1/p') ))
}
answered=0
echo "== crm serve alone: submissions of the contact form, each a new visitor, wrk -t2 -c16 -d${seconds}s =="
submit 1
# A terminal session writing meanwhile: Alt+N, Tab to the text, the text, Ctrl+S — again and again.
notes_before=$(count_notes)
crm_bench_writer "Notă scrisă în timpul trimiterilor"
echo "== the same while a terminal session adds notes (the program in tmux, keys sent to it) =="
submit 2
kill "$writer" 2>/dev/null || true
# Requests still in flight when wrk stopped may have been taken after it stopped counting: let the service finish them.
sleep 2
read -r made addresses < <(sqlite3 -separator ' ' "$db" \
    "SELECT count(DISTINCT a.id), count(DISTINCT lower(c.email)) FROM account a JOIN contact c ON c.account_id = a.id WHERE c.email LIKE 'lead-%@bench-formulare.ro'")
lost=$(sqlite3 "$db" "SELECT count(*) FROM web_submission s LEFT JOIN account a ON a.id = s.account_id WHERE s.outcome = 'created' AND a.id IS NULL")
notes=$(( $(count_notes) - notes_before ))
echo "in both: answered 200=$answered, accounts made=$made (in flight at the ends: at most 32 more), distinct addresses=$addresses, submissions without their account=$lost; notes the terminal session added meanwhile=$notes"
[ "$made" -ge "$answered" ] && [ "$made" -eq "$addresses" ] && [ "$lost" -eq 0 ] || { echo "error: lost or doubled accounts" >&2; exit 1; }
echo "$(sqlite3 "$db" 'PRAGMA integrity_check')"

echo "== crm serve: /health on the same server, wrk -t2 -c16 -d${seconds}s (the HTTP floor) =="
wrk -t2 -c16 -d"${seconds}s" --latency "http://127.0.0.1:$http/health" | grep -E "Requests/sec|Latency|50%|99%"
