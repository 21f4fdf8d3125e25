#!/usr/bin/env bash
# 4,300 idle sockets from one address (127.0.0.1): past its cap (MAX_CONNECTIONS_PER_ADDRESS, 256) that
# address is answered 503 with Retry-After, while a client from another address (127.0.0.2) is served.
set -euo pipefail
bin=${SERVER_BIN:-.build/debug/kraamzorg-server}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HOST=127.0.0.1 PORT=$port LOG_LEVEL=error "$bin" >/dev/null 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.1; done

python3 - "$port" <<'PY'
import resource, socket, sys, time
port = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 10000), hard))
held = []
for _ in range(4300):
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    held.append(s)
time.sleep(0.5)

def get(source, send=True):
    s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    if send:  # a refused connection is answered at once and closed: a request sent after that would reset it
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    s.close()
    return data.decode("latin-1")

other = get("127.0.0.2")
same = get("127.0.0.1", send=False)
print("from 127.0.0.2:", other.split("\r\n")[0], "| from 127.0.0.1:", same.split("\r\n")[0])
assert other.startswith("HTTP/1.1 200"), other[:200]
assert same.startswith("HTTP/1.1 503") and "Retry-After:" in same, same[:300]
for s in held:
    s.close()
PY
