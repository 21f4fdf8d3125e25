#!/usr/bin/env bash
# with-test-postgres.sh CMD...: starts a throwaway PostgreSQL, runs CMD with the database URLs set, removes it.
# Two roles, as in production (README, "Database roles"):
#   DATABASE_OWNER_URL  kraamzorg      owns kraamzorg_test (and may create the suites' own databases); migrates
#   DATABASE_URL        kraamzorg_app  what the service and the suites run as: the grants the migrator gives it
# Neither is a superuser. Also exports TEST_PG_DIR, TEST_PG_PORT and TEST_PG_BIN so tests can stop and start
# that cluster.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pg-common.sh"
dir=$(mktemp -d /tmp/kraamzorg-test-pg.XXXXXX)
chmod 755 "$dir"
cleanup() { stop_cluster "$dir/cluster"; rm -rf "$dir"; }
trap cleanup EXIT
# Trust authentication (loopback only, no passwords): the cluster lives as long as this run. The tests check
# what each role may do, not how it logs in; the `make run` cluster (local-postgres.sh) uses passwords.
init_cluster "$dir/cluster"
port=$(free_port)
# fsync off: this cluster is thrown away after the run, so speed matters more than surviving a crash.
# The `make run` cluster keeps fsync and full_page_writes on.
start_cluster "$dir/cluster" "$port" -c fsync=off
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -q >/dev/null <<'SQL'
CREATE ROLE kraamzorg LOGIN CREATEDB;
CREATE ROLE kraamzorg_app LOGIN;
SQL
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres -O kraamzorg kraamzorg_test
export DATABASE_URL="postgresql://kraamzorg_app@127.0.0.1:$port/kraamzorg_test"
export DATABASE_OWNER_URL="postgresql://kraamzorg@127.0.0.1:$port/kraamzorg_test"
export TEST_PG_DIR="$dir/cluster" TEST_PG_PORT="$port" TEST_PG_BIN="$PG_BIN"
"$@"
