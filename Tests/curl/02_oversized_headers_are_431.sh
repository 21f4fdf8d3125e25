#!/usr/bin/env bash
# A request whose headers exceed 16 KiB gets 431 and the connection is closed; the server keeps serving.
set -euo pipefail
bin=${SERVER_BIN:-.build/debug/kraamzorg-server}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PORT=$port LOG_LEVEL=warn "$bin" >/dev/null 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.1; done

big=$(head -c 20000 /dev/zero | tr '\0' 'a')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "localhost:$port/healthz")" = 431 ]
long=$(head -c 9000 /dev/zero | tr '\0' 'a')
[ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/$long")" = 414 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/healthz")" = 200 ]
