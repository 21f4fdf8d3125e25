#!/usr/bin/env bash
# bench-http.sh: our server vs nginx on the same small JSON body, with the same wrk parameters.
#
#   scripts/bench-http.sh                    # .build/release/kraamzorg-server (inside with-test-postgres.sh)
#   SERVER_CMD=".build-http/release/HTTPBenchServer" scripts/bench-http.sh
#
# Environment:
#   SERVER_CMD   command that starts the server (it must honour PORT and HOST); default: the release binary
#   URL_PATH     path to request (default /healthz; the body should be {"status":"ok"})
#   WRK_ARGS     wrk parameters (default "-t2 -c64 -d10s --latency")
#   WARMUP       warm-up seconds per server (default 2)
#   ROUNDS       rounds of (ours, nginx), alternating, so a noisy moment on a shared machine hits both (default 3)
# Prints req/s, p50 and p99 for each (medians over the rounds), the median of the per-round ratios ours/nginx,
# and our VmRSS idle and after the load. Both servers write one access-log line per request: ours always
# does, and so does nginx unless told not to.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

"$here/ensure-deps.sh" wrk nginx >&2

URL_PATH=${URL_PATH:-/healthz}
WRK_ARGS=${WRK_ARGS:-"-t2 -c64 -d10s --latency"}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-3}
HOST=127.0.0.1

if [ -z "${SERVER_CMD:-}" ]; then
  SERVER_CMD="$root/.build/release/kraamzorg-server"
  [ -x "$SERVER_CMD" ] || { echo "build it first: swift build -c release (or set SERVER_CMD)" >&2; exit 1; }
  # The real server needs a database: run this script again inside a throwaway PostgreSQL.
  if [ -z "${DATABASE_URL:-}" ]; then
    exec "$here/with-test-postgres.sh" env SERVER_CMD="$SERVER_CMD" "$0" "$@"
  fi
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_for_port() {
  local port=$1
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listening on $port" >&2
  return 1
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# Runs wrk against a URL; prints "req/s p50 p99" (latencies in ms).
# CPU ticks (user + system) of the given processes, summed.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$total"
}

# Runs wrk against a URL while the given processes serve it; prints "req/s p50 p99 cpu-µs-per-request"
# (latencies in ms). CPU per request is steadier than req/s on a shared machine.
run_wrk() {
  local url=$1 out
  shift
  wrk -t1 -c16 -d"${WARMUP}s" "$url" >/dev/null 2>&1 || true
  local before after
  before=$(cpu_ticks "$@")
  # shellcheck disable=SC2086
  out=$(wrk $WRK_ARGS "$url")
  after=$(cpu_ticks "$@")
  echo "$out" >&2
  local rps p50 p99 requests
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $(python3 -c "print(($after - $before) * 1e6 / $(getconf CLK_TCK) / $requests)")"
}

to_ms() {
  python3 - "$1" <<'EOF'
import sys, re
v = sys.argv[1]
m = re.match(r"([0-9.]+)(us|ms|s|m)$", v)
if not m: print(v); sys.exit()
n, u = float(m.group(1)), m.group(2)
print(f"{n / 1000 if u == 'us' else n if u == 'ms' else n * 1000 if u == 's' else n * 60000:.3f}")
EOF
}

tmp=$(mktemp -d /tmp/bench-http.XXXXXX)
server_pid=""
nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- both servers up, then alternating rounds ----------------------------------
our_port=$(free_port)
PORT=$our_port HOST=$HOST bash -c "exec $SERVER_CMD" >"$tmp/server.log" 2>&1 &
server_pid=$!
wait_for_port "$our_port"
curl -fsS "http://$HOST:$our_port$URL_PATH" >/dev/null 2>&1 || echo "warning: $URL_PATH did not answer 2xx" >&2
sleep 0.5
rss_idle=$(rss_kb "$server_pid")

nginx_port=$(free_port)
mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log $tmp/nginx/logs/access.log;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen $HOST:$nginx_port;
    location = $URL_PATH {
      default_type application/json;
      return 200 '{"status":"ok"}';
    }
  }
}
EOF
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>"$tmp/nginx/stderr" &
nginx_pid=$!
wait_for_port "$nginx_port"

results="$tmp/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: ours ($SERVER_CMD on :$our_port)" >&2
  read -r our_rps our_p50 our_p99 our_cpu < <(run_wrk "http://$HOST:$our_port$URL_PATH" "$server_pid")
  echo "== round $round: nginx on :$nginx_port" >&2
  # nginx's work is done by its worker processes (children of the master started above).
  read -r ng_rps ng_p50 ng_p99 ng_cpu < <(run_wrk "http://$HOST:$nginx_port$URL_PATH" $(pgrep -P "$nginx_pid"))
  echo "$our_rps $our_p50 $our_p99 $ng_rps $ng_p50 $ng_p99 $our_cpu $ng_cpu" >>"$results"
done
rss_after=$(rss_kb "$server_pid")

echo
echo "wrk $WRK_ARGS $URL_PATH, $ROUNDS alternating rounds"
python3 - "$results" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
for r in rows:
    print(f"  round: ours {r[0]:10.0f} req/s {r[6]:5.1f} µs CPU/request   nginx {r[3]:10.0f} req/s {r[7]:5.1f} µs CPU/request   ratio {r[0] / r[3]:.2f}")
med = lambda i: statistics.median(r[i] for r in rows)
print(f"{'(medians)':9} {'req/s':>11} {'p50 ms':>10} {'p99 ms':>10}")
print(f"{'ours':9} {med(0):11.0f} {med(1):10.3f} {med(2):10.3f}")
print(f"{'nginx':9} {med(3):11.0f} {med(4):10.3f} {med(5):10.3f}")
print(f"ratio ours/nginx: {statistics.median(r[0] / r[3] for r in rows):.2f} (median of the rounds' ratios); p99 ours/nginx: {med(2) / med(5):.2f}")
print(f"CPU per request: ours {med(6):.1f} µs, nginx {med(7):.1f} µs (nginx/ours {med(7) / med(6):.2f})")
PY
echo "our VmRSS: idle ${rss_idle} kB, after load ${rss_after} kB"
