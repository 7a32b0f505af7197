#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server, then stop the server.
#
#   scripts/with-postgres.sh COMMAND [ARG...]
#
# Starts a fresh cluster (Debian's postgresql package) in a temporary folder,
# listening on a unix socket only (no TCP port), exports its base URL as
# CAREOPS_TEST_PG (postgresql+psycopg://postgres@/postgres?host=SOCKET_DIR),
# runs COMMAND, and stops the server by its pid and removes the folder
# afterwards, whether COMMAND passed or failed. The exit code is COMMAND's.
# As root (CI), the server runs as the `postgres` system user, because initdb
# refuses to run as root.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$initdb" ]; then
    echo "with-postgres: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql" >&2
    exit 1
fi
bin=$(dirname "$initdb")

if [ "$(id -u)" -eq 0 ]; then
    # /tmp, not $TMPDIR: the postgres user must reach the folder, and a socket path has at most 107 bytes.
    dir=$(mktemp -d /tmp/careops-pg.XXXXXX)
    chown postgres: "$dir"
    as_server() { (cd "$dir" && runuser -u postgres -- "$@"); }
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/careops-pg.XXXXXX")
    as_server() { (cd "$dir" && "$@"); }
fi
data="$dir/data"
sock="$dir/sock"
as_server mkdir -m 700 "$sock"

pid=""
stop() {
    local rc=$?
    if [ -z "$pid" ] && [ -f "$data/postmaster.pid" ]; then
        pid=$(head -n 1 "$data/postmaster.pid")
    fi
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -INT "$pid" 2>/dev/null || true  # "fast" shutdown: end sessions, then exit
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -QUIT "$pid" 2>/dev/null || true  # "immediate" shutdown
            sleep 1
        fi
    fi
    rm -rf "$dir"
    exit "$rc"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_server "$bin/initdb" --pgdata="$data" --username=postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

# A throwaway server: no durability needed, so no fsync; unix socket only.
as_server "$bin/pg_ctl" start --pgdata="$data" --wait --timeout=60 --log="$dir/server.log" --silent \
    -o "-c listen_addresses= -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    || { cat "$dir/server.log" >&2; exit 1; }
pid=$(head -n 1 "$data/postmaster.pid")

export CAREOPS_TEST_PG="postgresql+psycopg://postgres@/postgres?host=$sock"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') (pid $pid) at $CAREOPS_TEST_PG" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
