# Shared by ./run, ./test and bench/: installs what is missing, quietly.
# Sourced, not run.

# Debian packages the build needs: the system SQLite (through GRDB), ncursesw,
# libxlsxwriter, libsodium, Pango over cairo, libcurl (SMTP) and the DejaVu fonts PDFs embed.
CRM_BUILD_PACKAGES=(libsqlite3-dev libncurses-dev libxlsxwriter-dev zlib1g-dev libsodium-dev libcairo2-dev libpango1.0-dev
                    libgdk-pixbuf-2.0-dev libcurl4-openssl-dev fonts-dejavu-core pkg-config)

crm_need_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing Debian packages: ${missing[*]}" >&2
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then sudo=(sudo); else
            echo "error: missing packages ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
            return 1
        fi
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

crm_need_swift() {
    if ! command -v swift >/dev/null; then
        for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
            [ -x "$dir/swift" ] && export PATH="$dir:$PATH" && return 0
        done
        echo "error: Swift 6.3 is not installed (swift not on PATH); install the toolchain from swift.org" >&2
        return 1
    fi
}

# For bench/: the release build of crm ($crm), a scratch folder removed on exit
# ($out), and the database to measure ($db): the one given, else a new demo of
# ACCOUNTS accounts. Usage: crm_bench_database ACCOUNTS [DATABASE]
crm_bench_database() {
    swift build -c release --product crm >&2
    crm="$PWD/.build/release/crm"
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    db="${2:-$out/demo.sqlite}"
    [ -e "$db" ] || "$crm" demo --db "$db" --accounts "$1" --quiet
}

# For bench/: the real program in tmux on $db, as a person at work: Alt+N, Tab to
# the text, TEXT, Ctrl+S — a note added again and again until the returned
# loop ($writer, also in $pids) is killed. Needs $crm, $db, $tmux_socket.
# Usage: crm_bench_writer TEXT
crm_bench_writer() {
    tmux -L "$tmux_socket" new-session -d -s w -x 140 -y 40 "env CRM_DB=$db CRM_LANG=ro LANG=C.UTF-8 XDG_CONFIG_HOME=/nonexistent $crm"
    for _ in $(seq 200); do tmux -L "$tmux_socket" capture-pane -p -t w | grep -q "conturi" && break; sleep 0.05; done
    ( while true; do
        tmux -L "$tmux_socket" send-keys -t w M-n
        sleep 0.1
        tmux -L "$tmux_socket" send-keys -t w Tab
        tmux -L "$tmux_socket" send-keys -t w -l "$1"
        tmux -L "$tmux_socket" send-keys -t w C-s
        sleep 0.1
      done ) &
    writer=$!
    pids+=("$writer")
}

# For bench/: a free loopback port, and waiting until an address answers.
crm_free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
crm_wait_http() { for _ in $(seq 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer at $1" >&2; exit 1; }
