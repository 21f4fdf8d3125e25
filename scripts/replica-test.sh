#!/usr/bin/env bash
# replica-test.sh: the deployment of README "Several instances and a read replica", for real and thrown away after:
# a primary PostgreSQL, a streaming replica made from it with `pg_basebackup -R`, three instances of the built binary
# (DATABASE_URL on the primary, DATABASE_READ_URL on the replica, TRUSTED_PROXIES naming nginx) and nginx in front
# with the three as one upstream. Through nginx: an admin registers a practitioner (primary), the public looks her up
# (replica). Checked: the flow works on every instance, the replica's own transaction count grew by the public reads
# (pg_stat_database on the replica), every instance's /metrics counts them as served by the replica, /readyz says the
# replica is ready; then the replica is stopped and the lookups still answer (from the primary) while /readyz says
# "unavailable". Needs: swift build --product kraamzorg-server (SERVER_BIN), PostgreSQL server binaries, nginx.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/pg-common.sh"
bin=${SERVER_BIN:-$root/.build/debug/kraamzorg-server}
[ -x "$bin" ] || { echo "no server binary at $bin (swift build --product kraamzorg-server)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is not installed" >&2; exit 1; }

dir=$(mktemp -d /tmp/kraamzorg-replica.XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  stop_cluster "$dir/replica"
  stop_cluster "$dir/primary"
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$dir"/instance*.log "$dir"/nginx-error.log; do [ -f "$f" ] && tail -n 5 "$f" >&2; done; exit 1; }

# The primary: WAL for a streaming replica; the default pg_hba.conf lets local replication connections in (trust).
init_cluster "$dir/primary"
primary_port=$(free_port)
start_cluster "$dir/primary" "$primary_port" -c fsync=off -c wal_level=replica -c max_wal_senders=4
psql_primary() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$primary_port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_primary <<'SQL'
CREATE ROLE kraamzorg LOGIN;
CREATE ROLE kraamzorg_app LOGIN;
CREATE DATABASE kraamzorg OWNER kraamzorg;
SQL

# The replica: a base backup of the primary with -R (standby.signal and primary_conninfo written for us).
mkdir -p "$dir/replica"
chown postgres:postgres "$dir/replica"
chmod 700 "$dir/replica"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/replica/pgdata" -R -X stream
replica_port=$(free_port)
start_cluster "$dir/replica" "$replica_port" -c hot_standby=on
psql_replica() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$replica_port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
[ "$(psql_replica -c 'SELECT pg_is_in_recovery()')" = t ] || fail "the replica is not in recovery"

# Three instances; the first migrates (as the owner), the others find the database migrated.
admin=replica-test-admin-token
ports=()
for i in 1 2 3; do
  port=$(free_port)
  ports+=("$port")
  env DATABASE_URL="postgresql://kraamzorg_app@127.0.0.1:$primary_port/kraamzorg" \
    DATABASE_OWNER_URL="postgresql://kraamzorg@127.0.0.1:$primary_port/kraamzorg" \
    DATABASE_READ_URL="postgresql://kraamzorg_app@127.0.0.1:$replica_port/kraamzorg" \
    ADMIN_TOKEN=$admin TRUSTED_PROXIES=127.0.0.1/32 PORT="$port" WEBHOOK_SECRET_KEY=replica-test-webhook-key-0123456789abcdef \
    PUBLIC_RATE_LIMIT_PER_MINUTE=10000 LOOKUP_RATE_LIMIT_PER_MINUTE=10000 OPENAPI_PATH="$root/openapi.yaml" LOG_LEVEL=warn \
    "$bin" >"$dir/instance$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do curl -sf "localhost:$port/readyz" >/dev/null && break; sleep 0.1; done
  curl -sf "localhost:$port/readyz" >/dev/null || fail "instance $i did not get ready"
done

# nginx in front: one upstream of the three, keep-alive to them, X-Forwarded-For for TRUSTED_PROXIES.
nginx_port=$(free_port)
mkdir -p "$dir/nginx-tmp"
cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $dir/nginx-tmp/body;
  proxy_temp_path $dir/nginx-tmp/proxy;
  fastcgi_temp_path $dir/nginx-tmp/fastcgi;
  uwsgi_temp_path $dir/nginx-tmp/uwsgi;
  scgi_temp_path $dir/nginx-tmp/scgi;
  upstream kraamzorg {
    server 127.0.0.1:${ports[0]};
    server 127.0.0.1:${ports[1]};
    server 127.0.0.1:${ports[2]};
    keepalive 16;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://kraamzorg;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
EOF
nginx -c "$dir/nginx.conf" -p "$dir" &
pids+=($!)
base="http://127.0.0.1:$nginx_port"
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "$base/healthz" >/dev/null || fail "nginx does not answer"

replica_transactions() { psql_replica -d kraamzorg -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'kraamzorg'"; }
metric() { curl -s "localhost:$1/metrics" | awk -v k="db_lagging_reads_total{pool=\"$2\"}" '$1 == k { print $2 }'; }

# The flow, through nginx: practitioners registered by the admin (writes: the primary) ...
numbers=()
for name in Anna Bea Carla; do
  body=$(curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"firstName\":\"$name\",\"lastName\":\"de Vries\",\"email\":\"$name@example.nl\",\"periodStart\":\"2023-06-01\",\"diplomaObtainedOn\":\"2023-02-15\"}" \
    "$base/v1/practitioners") || fail "registering $name"
  numbers+=("$(python3 -c 'import json,sys; print(json.load(sys.stdin)["registrationNumber"])' <<<"$body")")
done
# ... written to the replica by streaming replication (waiting for the replay, not for a time) ...
lsn=$(psql_primary -c 'SELECT pg_current_wal_lsn()')
for _ in $(seq 1 100); do
  [ "$(psql_replica -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ] && break
  sleep 0.05
done
[ "$(psql_replica -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ] || fail "the replica did not replay the writes"

# ... and looked up by the public (reads that may lag: the replica), spread over the three instances.
before=$(replica_transactions)
lookups=0
for round in $(seq 1 5); do
  for n in "${numbers[@]}"; do
    out=$(curl -s -w '\n%{http_code}' "$base/v1/register/$n")
    [ "$(tail -n 1 <<<"$out")" = 200 ] || fail "lookup of $n: $out"
    grep -q '"registered":true' <<<"$out" || fail "lookup of $n does not say registered: $out"
    lookups=$((lookups + 1))
  done
done
# Sessions report their counts to pg_stat_database when idle, at most once a second (and within ~10 s): wait for them.
for _ in $(seq 1 150); do
  after=$(replica_transactions)
  [ $((after - before)) -ge "$lookups" ] && break
  sleep 0.1
done
[ $((after - before)) -ge "$lookups" ] || fail "the replica ran $((after - before)) transactions for $lookups public lookups"
# The statistics and the agenda take the same way (the store may answer them from a short cache of its own).
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/statistics")" = 200 ] || fail "statistics"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/courses")" = 200 ] || fail "course agenda"
lookups=$((lookups + 2))
served=0
for i in 0 1 2; do
  n=$(metric "${ports[$i]}" replica)
  [ "${n:-0}" -ge 1 ] || fail "instance $((i + 1)) served no read from the replica (nginx spreads requests over all three)"
  [ "$(metric "${ports[$i]}" primary)" = 0 ] || fail "instance $((i + 1)) served lagging reads from the primary"
  served=$((served + n))
done
[ "$served" -eq "$lookups" ] || fail "instances counted $served replica reads for $lookups"
# Authenticated reads of one's own data stay on the primary: the practitioner just written reads back at once.
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin" "$base/v1/practitioners/${numbers[0]}")" = 200 ] ||
  fail "the admin does not read back her own write"
curl -s "$base/readyz" | grep -q '"replica":"ready"' || fail "/readyz does not report the replica ready"

# The replica goes down: the lookups still answer (from the primary), /readyz says so and stays 200.
stop_cluster "$dir/replica"
for n in "${numbers[@]}" "${numbers[@]}"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/register/$n")" = 200 ] || fail "lookup of $n with the replica down"
done
ready=$(curl -s -w '\n%{http_code}' "$base/readyz")
[ "$(tail -n 1 <<<"$ready")" = 200 ] && grep -q '"replica":"unavailable"' <<<"$ready" || fail "/readyz with the replica down: $ready"
fallbacks=0
for i in 0 1 2; do fallbacks=$((fallbacks + $(metric "${ports[$i]}" primary))); done
[ "$fallbacks" -ge "${#numbers[@]}" ] || fail "only $fallbacks lookups were served by the primary while the replica was down"

echo "replica: ok ($lookups public reads on the replica over 3 instances behind nginx, $((after - before)) replica transactions; with the replica down $fallbacks reads on the primary)"
