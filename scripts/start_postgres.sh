#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on a free loopback port, for the tests marked `postgres`.
#
#   eval "$(bash scripts/start_postgres.sh)"      # exports HIKESHI_TEST_POSTGRES_URL and HIKESHI_TEST_POSTGRES_DIR
#   bash scripts/start_postgres.sh --stop DIR     # stops that cluster and deletes DIR
#
# Installs Debian's postgresql when no server binaries are present (needs root). initdb and pg_ctl refuse to
# run as root, so as root the cluster is created and run by the `postgres` OS user. Everything but the two
# `export` lines goes to stderr, so the output can be eval'ed.
set -euo pipefail

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-}" = "--stop" ]; then
    dir="${2:?usage: start_postgres.sh --stop DIR}"
    bin="$(cat "$dir/bindir")"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
    rm -rf "$dir"
    exit 0
fi

find_bindir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin="$(find_bindir)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "start_postgres.sh: PostgreSQL is not installed and this user cannot apt-get install it" >&2
        exit 1
    fi
    echo "start_postgres.sh: installing Debian's postgresql ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >&2 \
        || apt-get install -y -qq --no-install-recommends postgresql >&2
    bin="$(find_bindir)"
fi

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/hikeshi-pg.XXXXXX")"
echo "$bin" > "$dir/bindir"
if [ "$(id -u)" = 0 ]; then
    chown -R postgres "$dir"
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

# C.UTF-8 makes Japanese characters "alphanumeric" to pg_trgm, so the trigram index covers them.
as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres hikeshi_test >&2

echo "start_postgres.sh: $("$bin/pg_ctl" --version | sed "s/^pg_ctl //") on 127.0.0.1:$port ($dir)" >&2
echo "export HIKESHI_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$port/hikeshi_test"
echo "export HIKESHI_TEST_POSTGRES_DIR=$dir"
