# Shared by the PostgreSQL scripts: where the binaries are and how to run them as the postgres user.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PG_BIN" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }

# PostgreSQL refuses to run as root: run its tools as the postgres OS user when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# init_cluster DIR [INITDB OPTIONS...]: a new cluster owned by postgres, with its own socket dir (DIR, mode 700).
# Authentication: the options given, else trust (the throwaway test clusters; local-postgres.sh writes its own
# pg_hba.conf before the first start).
init_cluster() {
  local dir=$1
  shift
  [ $# -gt 0 ] || set -- --auth=trust
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  chmod 700 "$dir"
  as_pg "$PG_BIN/initdb" -D "$dir/pgdata" -U postgres "$@" -E UTF8 --locale=C.UTF-8 >/dev/null
}

# start_cluster DIR PORT [SERVER OPTIONS...]: on 127.0.0.1:PORT and a socket in DIR. Durable (fsync and
# full_page_writes as configured, on by default) unless the caller passes e.g. `-c fsync=off`.
start_cluster() {
  local dir=$1 port=$2
  shift 2
  as_pg "$PG_BIN/pg_ctl" -D "$dir/pgdata" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 $*" start >/dev/null
}

stop_cluster() {
  local dir=$1
  as_pg "$PG_BIN/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null 2>&1 || true
}
