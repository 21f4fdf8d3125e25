#!/usr/bin/env bash
# local-postgres.sh: makes sure the development cluster under .data/ runs; prints its DATABASE_URL.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pg-common.sh"
root=$(cd "$here/.." && pwd)
dir="$root/.data/postgres"
port=${PGPORT_LOCAL:-55432}
if [ ! -d "$dir/pgdata" ]; then
  init_cluster "$dir"
fi
if ! as_pg "$PG_BIN/pg_ctl" -D "$dir/pgdata" status >/dev/null 2>&1; then
  # The cluster lives inside the work tree: the postgres user must be able to reach it.
  [ "$(id -u)" -eq 0 ] && chmod o+x "$root" "$root/.data" 2>/dev/null || true
  start_cluster "$dir" "$port"
fi
if ! as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='kraamzorg'" | grep -q 1; then
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE kraamzorg LOGIN" >/dev/null
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres -O kraamzorg kraamzorg
fi
echo "postgresql://kraamzorg@127.0.0.1:$port/kraamzorg"
