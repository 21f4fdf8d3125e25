#!/usr/bin/env bash
# Every JSON write route in openapi.yaml, with every number in its body set to an extreme value (huge,
# negative, fractional, beyond 64 bits), as an admin: the server answers each (4xx is fine) and still
# serves /healthz afterwards. Once, one such number trapped and stopped the process.
set -euo pipefail
bin=${SERVER_BIN:-.build/debug/kraamzorg-server}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token="extreme-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
ADMIN_TOKEN=$token PORT=$port LOG_LEVEL=error PUBLIC_RATE_LIMIT_PER_MINUTE=1000000 "$bin" >/dev/null 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.1; done
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install -q pyyaml >/dev/null 2>&1

python3 - "$port" "$token" "$pid" <<'PY'
import http.client, json, os, sys, yaml
port, token, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
spec = yaml.safe_load(open("openapi.yaml"))
extremes = [10**18, 1e308, -1e308, 2**64, -(2**63) - 1, 0.1, -1, 1e-320, 2**53 + 1]

def resolve(schema):
    while isinstance(schema, dict) and "$ref" in schema:
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema or {}

def body(schema, number, depth=0):
    schema = resolve(schema)
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            merged = {}
            for s in schema[key]:
                part = body(s, number, depth + 1)
                if isinstance(part, dict) and isinstance(merged, dict):
                    merged.update(part)
                else:
                    merged = part
            return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object" or "properties" in schema:
        if depth > 6:
            return {}
        return {name: body(sub, number, depth + 1) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [body(schema.get("items", {}), number, depth + 1)] if depth <= 6 else []
    if kind in ("integer", "number"):
        return number
    if kind == "boolean":
        return True
    if "enum" in schema:
        return schema["enum"][0]
    fmt = schema.get("format", "")
    if fmt == "date":
        return "2024-01-01"
    if fmt == "uuid":
        return "00000000-0000-4000-8000-000000000000"
    if fmt == "email":
        return "extreme@example.nl"
    return "x"

def alive():
    return os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().split()[2] != "Z"

sent, statuses = 0, {}
for path, item in spec["paths"].items():
    for method in ("post", "put", "patch"):
        op = item.get(method)
        if not op or "requestBody" not in op:
            continue
        content = op["requestBody"].get("content", {})
        media = next((m for m in content if "json" in m), None)
        if media is None:
            continue
        schema = content[media].get("schema", {})
        concrete = "/".join("00000000-0000-4000-8000-000000000000" if p.startswith("{") else p for p in path.split("/"))
        concrete = concrete.replace("/v1/norms/00000000-0000-4000-8000-000000000000", "/v1/norms/2023")
        for number in extremes:
            payload = json.dumps(body(schema, number))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request(method.upper(), concrete, body=payload,
                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            status = conn.getresponse().status
            conn.close()
            sent += 1
            statuses[status] = statuses.get(status, 0) + 1
            if not alive():
                sys.exit(f"the server stopped after {method.upper()} {path} with {number}")
print(f"extreme numbers: {sent} requests, answers {dict(sorted(statuses.items()))}")
if sent < 100:
    sys.exit("too few write operations found in openapi.yaml")
PY
[ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/healthz")" = 200 ]
