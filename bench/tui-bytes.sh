#!/usr/bin/env bash
# Bytes the terminal interface writes for one cursor move and for one page down
# in the account table, on a 120×35 terminal (tmux pipe-pane counts them), and
# for a full redraw (after a resize to 119×35).
# Usage: bench/tui-bytes.sh [DATABASE]   (default: a new 100,000-account demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" tmux

swift build -c release --product crm >&2
crm="$PWD/.build/release/crm"
out=$(mktemp -d)
sock="crm-bench-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$out"' EXIT
db="${1:-$out/demo.sqlite}"
[ -e "$db" ] || "$crm" demo --db "$db" --accounts 100000 --quiet

tmux -L "$sock" new-session -d -x 120 -y 35 "env LANG=C.UTF-8 CRM_DB=$db XDG_CONFIG_HOME=/nonexistent $crm"
for _ in $(seq 1 200); do
    tmux -L "$sock" capture-pane -p | grep -q "conturi" && break
    sleep 0.05
done

# Waits until the program has written nothing for 300 ms; prints the bytes so far.
settle() {
    local last=-1 size
    while true; do
        size=$(stat -c %s "$out/bytes" 2>/dev/null || echo 0)
        [ "$size" = "$last" ] && break
        last=$size
        sleep 0.3
    done
    echo "$size"
}

measure() {  # KEYS… → bytes written in answer
    : > "$out/bytes"
    tmux -L "$sock" pipe-pane -o "cat >> $out/bytes"
    tmux -L "$sock" send-keys "$@"
    local n; n=$(settle)
    tmux -L "$sock" pipe-pane
    echo "$n"
}

move=$(measure Down)
page=$(measure PageDown)
# A resize makes the program draw the whole screen again.
: > "$out/bytes"
tmux -L "$sock" pipe-pane -o "cat >> $out/bytes"
tmux -L "$sock" resize-window -x 119 -y 35
full=$(settle)
tmux -L "$sock" pipe-pane
tmux -L "$sock" send-keys C-q
echo "date=$(date -u +%Y-%m-%d) terminal=120x35 cursor_move_bytes=$move page_down_bytes=$page full_redraw_bytes_119x35=$full"
