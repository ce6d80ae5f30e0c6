#!/usr/bin/env bash
# E-mail tracking (issue: e-mail, tracking and crm serve): requests per second
# and latency of the open pixel of a real sent e-mail, served by `crm serve`
# (release build) on loopback and loaded by wrk, while a terminal session (the
# real program in tmux, keys sent to it) adds notes to the same database, one
# after another. Then every request is checked to have been counted on the e-mail. For reference, the same GIF served as a static
# file by nginx on the same machine (what no bookkeeping costs).
# Usage: bench/tracking.sh [SECONDS]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" python3-aiosmtpd wrk nginx-light curl tmux

seconds="${1:-10}"
crm_bench_database 1000
export CRM_DB="$db" CRM_LANG=en
pids=()
tmux_socket="crm-bench-$$"
trap 'kill "${pids[@]}" 2>/dev/null; tmux -L "$tmux_socket" kill-server 2>/dev/null; rm -rf "$out"' EXIT

# The SMTP sink, the service, and one e-mail sent through them.
smtp=$(crm_free_port)
/usr/bin/python3 Tests/CLITests/Readers/smtp_sink.py --port "$smtp" --maildir "$out/maildir" >/dev/null 2>&1 &
pids+=($!)
http=$(crm_free_port)
"$crm" email settings --host 127.0.0.1 --port "$smtp" --security none --from vanzari@carpaticsoft.ro >/dev/null
"$crm" serve --listen "127.0.0.1:$http" --public-url "http://127.0.0.1:$http" --quiet >/dev/null &
pids+=($!)
crm_wait_http "http://127.0.0.1:$http/health"
client=$("$crm" account list --limit 1 --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["uuid"])')
for _ in $(seq 100); do [ -e "$out/maildir/new" ] && break; sleep 0.05; done
"$crm" email send --client "$client" --to ana@client.ro --subject "Ofertă" --text "Bună ziua, vedeți https://www.carpaticsoft.ro" >/dev/null
pixel=$(/usr/bin/python3 - "$out/maildir" <<'PY'
import mailbox, re, sys, email.policy
box = mailbox.Maildir(sys.argv[1], factory=None)
m = email.message_from_bytes(box.get_bytes(list(box.keys())[0]), policy=email.policy.default)
print(re.search(r'http://[^"]+/t/o/[^"]+\.gif', m.get_body(("html",)).get_content()).group(0))
PY
)
id=$("$crm" email list --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

# A terminal session writing while the pixel is loaded: Alt+N, Tab to the text, the text, Ctrl+S — again and again.
count_notes() { "$crm" note list --limit 0 --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
notes_before=$(count_notes)
crm_bench_writer "Notă scrisă în timpul încărcării"
echo "date=$(date -u +%F) machine=$(nproc) cores, $(uname -r)"
echo "== crm serve: the open pixel of one e-mail, wrk -t2 -c64 -d${seconds}s, a terminal session adding notes =="
result=$(wrk -t2 -c64 -d"${seconds}s" --latency "$pixel")
echo "$result" | grep -E "Requests/sec|Latency|50%|99%|requests in"
kill "$writer" 2>/dev/null || true
requests=$(echo "$result" | awk '/requests in/ {print $1}')
sleep 1
opens=$("$crm" email show "$id" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["opens"])')
notes=$(( $(count_notes) - notes_before ))
echo "counted opens=$opens of requests=$requests (wrk counts only answered ones); notes the terminal session added meanwhile=$notes"

# The floor: nginx serving the same 43-byte GIF as a static file.
# (nginx's workers run as another user: the folder is made readable to them.)
mkdir -p "$out/nginx"
chmod 755 "$out" "$out/nginx"
printf 'GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b' > "$out/nginx/p.gif"
static=$(crm_free_port)
cat > "$out/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $out/nginx; proxy_temp_path $out/nginx; fastcgi_temp_path $out/nginx; uwsgi_temp_path $out/nginx; scgi_temp_path $out/nginx;
    server { listen 127.0.0.1:$static; root $out/nginx; }
}
CONF
/usr/sbin/nginx -c "$out/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
crm_wait_http "http://127.0.0.1:$static/p.gif"
echo "== nginx: the same GIF as a static file (no signature, no count), wrk -t2 -c64 -d${seconds}s =="
wrk -t2 -c64 -d"${seconds}s" --latency "http://127.0.0.1:$static/p.gif" | grep -E "Requests/sec|Latency|50%|99%"
