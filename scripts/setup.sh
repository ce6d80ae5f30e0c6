# Shared by ./run, ./test and bench/: installs what is missing, quietly.
# Sourced, not run.

# Debian packages the build needs: the system SQLite (through GRDB), ncursesw,
# libxlsxwriter, libsodium, Pango over cairo, libcurl (SMTP), libpq (sync) and the DejaVu fonts PDFs embed.
CRM_BUILD_PACKAGES=(libsqlite3-dev libncurses-dev libxlsxwriter-dev zlib1g-dev libsodium-dev libcairo2-dev libpango1.0-dev
                    libgdk-pixbuf-2.0-dev libcurl4-openssl-dev libpq-dev fonts-dejavu-core pkg-config)

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

# A throwaway PostgreSQL 15 for the sync tests and benchmark: initdb in a
# temporary folder (as the postgres user when run as root), a password for
# its superuser crm_admin, listening on a free loopback port only. Exports
# CRM_TEST_POSTGRES (the address, no password) and CRM_TEST_POSTGRES_PASSWORD_FILE;
# crm_stop_postgres stops it and removes the folder.
CRM_PG_BIN=/usr/lib/postgresql/15/bin
crm_start_postgres() {
    crm_pg_dir=$(mktemp -d /tmp/crm-pg.XXXXXX)
    chmod 0755 "$crm_pg_dir"
    local port as=()
    port=$(crm_free_port)
    /usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(18))' > "$crm_pg_dir/password"
    chmod 0644 "$crm_pg_dir/password"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$crm_pg_dir"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$CRM_PG_BIN/initdb" -D "$crm_pg_dir/data" -U crm_admin -A scram-sha-256 --pwfile="$crm_pg_dir/password" \
        -E UTF8 --locale=C.UTF-8 > "$crm_pg_dir/initdb.log" 2>&1 || { cat "$crm_pg_dir/initdb.log" >&2; return 1; }
    "${as[@]}" "$CRM_PG_BIN/pg_ctl" -D "$crm_pg_dir/data" -l "$crm_pg_dir/server.log" -w -t 60 \
        -o "-p $port -k $crm_pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" start > /dev/null || { cat "$crm_pg_dir/server.log" >&2; return 1; }
    export CRM_TEST_POSTGRES="postgresql://crm_admin@127.0.0.1:$port/postgres" CRM_TEST_POSTGRES_PASSWORD_FILE="$crm_pg_dir/password"
}
crm_stop_postgres() {
    [ -n "${crm_pg_dir:-}" ] || return 0
    local as=()
    [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
    "${as[@]}" "$CRM_PG_BIN/pg_ctl" -D "$crm_pg_dir/data" -m immediate stop > /dev/null 2>&1
    rm -rf "$crm_pg_dir"
    crm_pg_dir=""
}
