#!/usr/bin/env bash
# local-postgres.sh: makes sure the development cluster under .data/ runs, with the service's two roles
# (README, "Database roles"), and prints for `eval`:
#   export DATABASE_URL=…        kraamzorg_app: requests and jobs; owns nothing, only INSERT and SELECT on audit_events
#   export DATABASE_OWNER_URL=…  kraamzorg: owns the database and its tables; the service migrates with it
# Each role's password is made once and kept in .data/<role>.password (mode 600). Logins are SCRAM-SHA-256
# over TCP on 127.0.0.1 only; the postgres superuser connects only through the cluster's own Unix socket
# (peer). fsync and full_page_writes stay on: this cluster keeps your data across crashes.
# An older cluster under .data/ (trust authentication, fsync off, one role) is brought up to this on the next run.
#
# local-postgres.sh stop: stops the cluster.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pg-common.sh"
root=$(cd "$here/.." && pwd)
data="$root/.data"
dir="$data/postgres"
port=${PGPORT_LOCAL:-55432}
owner=kraamzorg app=kraamzorg_app db=kraamzorg

if [ "${1:-}" = stop ]; then
  stop_cluster "$dir"
  exit 0
fi

mkdir -p "$data"
# password ROLE: the password of ROLE, made once (48 hex digits) and readable by this OS user only.
password() {
  local file="$data/$1.password"
  if [ ! -s "$file" ]; then
    (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$file")
  fi
  chmod 600 "$file"
  cat "$file"
}
owner_password=$(password "$owner")
app_password=$(password "$app")

if [ ! -d "$dir/pgdata" ]; then
  init_cluster "$dir"   # its pg_hba.conf is replaced below, before the first start
fi
# The cluster lives inside the work tree: the postgres user must be able to reach it.
[ "$(id -u)" -eq 0 ] && chmod o+x "$root" "$data" 2>/dev/null || true

# Who may log in, and how (written on every run, so older clusters get it too).
cluster_user=$(as_pg id -un)
as_pg tee "$dir/pgdata/pg_hba.conf" >/dev/null <<EOF
# Written by scripts/local-postgres.sh on every run: change that script, not this file.
# TYPE  DATABASE  USER      ADDRESS        METHOD
# The superuser: only over this cluster's Unix socket (in .data/postgres, mode 700), as the OS user running it.
local   all       postgres                 peer map=cluster_admin
# Everyone else (the service's two roles, you with psql): passwords, SCRAM-SHA-256, over TCP on loopback.
host    all       all       127.0.0.1/32   scram-sha-256
host    all       all       ::1/128        scram-sha-256
EOF
as_pg tee "$dir/pgdata/pg_ident.conf" >/dev/null <<EOF
# Written by scripts/local-postgres.sh: the OS user running the cluster may connect as the postgres superuser.
cluster_admin   $cluster_user   postgres
EOF

if as_pg "$PG_BIN/pg_ctl" -D "$dir/pgdata" status >/dev/null 2>&1; then
  as_pg "$PG_BIN/pg_ctl" -D "$dir/pgdata" reload >/dev/null
else
  start_cluster "$dir" "$port"
fi

admin() { as_pg "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# Durable. A cluster started by an older version of this script ran with fsync off: restart it.
admin >/dev/null <<'SQL'
ALTER SYSTEM SET fsync = on;
ALTER SYSTEM SET full_page_writes = on;
ALTER SYSTEM SET password_encryption = 'scram-sha-256';
SELECT pg_reload_conf();
SQL
if [ "$(admin -c "SELECT current_setting('fsync') || current_setting('full_page_writes')")" != onon ]; then
  stop_cluster "$dir"
  start_cluster "$dir" "$port"
fi

# The two roles (neither a superuser) and their passwords, sent on standard input, never on a command line.
admin >/dev/null <<SQL
SET password_encryption = 'scram-sha-256';
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$owner') THEN CREATE ROLE $owner; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$app') THEN CREATE ROLE $app; END IF;
END \$\$;
ALTER ROLE $owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$owner_password';
ALTER ROLE $app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$app_password';
SQL
if [ -z "$(admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
  as_pg "$PG_BIN/createdb" -h "$dir" -p "$port" -U postgres -O "$owner" "$db"
fi
admin >/dev/null <<SQL
REVOKE ALL ON DATABASE $db FROM PUBLIC;
GRANT CONNECT ON DATABASE $db TO $app;
SQL

echo "export DATABASE_URL='postgresql://$app:$app_password@127.0.0.1:$port/$db'"
echo "export DATABASE_OWNER_URL='postgresql://$owner:$owner_password@127.0.0.1:$port/$db'"
