#!/usr/bin/env bash
# with-test-postgres.sh CMD...: starts a throwaway PostgreSQL, runs CMD with DATABASE_URL set, removes it.
# Also exports TEST_PG_DIR, TEST_PG_PORT and TEST_PG_BIN so tests can stop and start that cluster.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pg-common.sh"
dir=$(mktemp -d /tmp/kraamzorg-test-pg.XXXXXX)
chmod 755 "$dir"
cleanup() { stop_cluster "$dir/cluster"; rm -rf "$dir"; }
trap cleanup EXIT
init_cluster "$dir/cluster"
port=$(free_port)
start_cluster "$dir/cluster" "$port"
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE kraamzorg LOGIN SUPERUSER" >/dev/null
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres -O kraamzorg kraamzorg_test
export DATABASE_URL="postgresql://kraamzorg@127.0.0.1:$port/kraamzorg_test"
export TEST_PG_DIR="$dir/cluster" TEST_PG_PORT="$port" TEST_PG_BIN="$PG_BIN"
"$@"
