#!/usr/bin/env bash
# The built binary serves /healthz and /readyz, answers an authenticated request with the
# ADMIN_TOKEN bootstrap, and on SIGTERM finishes and exits 0 with a "stopped" log line.
set -euo pipefail
bin=${SERVER_BIN:-.build/debug/kraamzorg-server}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
ADMIN_TOKEN=curl-test-token PORT=$port "$bin" >"$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.1; done

[ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/healthz")" = 200 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/readyz")" = 200 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer curl-test-token' "localhost:$port/v1/me")" = 200 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' "localhost:$port/v1/me")" = 401 ]

kill -TERM $pid
for _ in $(seq 1 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then echo "still running 30 s after SIGTERM"; exit 1; fi
wait $pid
grep -q '"msg":"stopped"' "$log"
