#!/usr/bin/env bash
# readme-walkthrough.sh: runs the README's walkthrough (every ```sh block marked `<!-- walkthrough -->`), in
# order, as one bash script with `set -euo pipefail`, against the built server (SERVER_BIN, default
# .build/debug/kraamzorg-server) started as `ADMIN_TOKEN=secret WEBHOOK_ALLOW_PRIVATE=1 make run` would be: no SMTP_HOST, so mail is
# written as .eml files under .data/mail of the working directory (a fresh temporary one), on a free port and a
# fresh database in the cluster of DATABASE_URL (DATABASE_OWNER_URL). `localhost:8080` in the blocks becomes that
# port. Every curl in those blocks must check its status: `curl -f…` (a success) or `expect STATUS curl …`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
if [ -z "${DATABASE_URL:-}" ]; then exec "$here/with-test-postgres.sh" "$0" "$@"; fi
repo=$(pwd)
bin=${SERVER_BIN:-.build/debug/kraamzorg-server}
case $bin in /*) ;; *) bin="$repo/$bin" ;; esac
[ -x "$bin" ] || { echo "no server binary at $bin (swift build --product kraamzorg-server)" >&2; exit 1; }

work=$(mktemp -d /tmp/kraamzorg-readme.XXXXXX)
script="$work/walkthrough.sh"
# The blocks: the lines between "```sh" and "```" right after a `<!-- walkthrough -->` line.
python3 - README.md "$script" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"^<!-- walkthrough -->\n```sh\n(.*?)^```$", text, flags=re.S | re.M)
if text.count("<!-- walkthrough -->") != len(blocks) or not blocks:
    sys.exit("readme-walkthrough: a <!-- walkthrough --> mark is not followed by a ```sh block")
# Each curl command (joined over its continuation lines) must check its status.
unchecked, curls = [], 0
for b in blocks:
    for cmd in re.sub(r"\\\n", " ", b).split("\n"):
        code = cmd.split("#", 1)[0] if not cmd.lstrip().startswith("#") else ""
        for m in re.finditer(r"(?:^|[\s(|;&])curl\s+(\S+)", code):
            curls += 1
            checked = m.group(1).startswith("-f") or re.search(r"expect \d{3}$", code[: m.start() + 1].rstrip())
            if not checked:
                unchecked.append(cmd.strip())
if unchecked:
    sys.exit("readme-walkthrough: curl without a status check (use curl -f… or expect STATUS curl …):\n  " + "\n  ".join(unchecked))
with open(sys.argv[2], "w") as out:
    out.write("set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n")
    for i, b in enumerate(blocks, 1):
        out.write(f"echo '--- README walkthrough block {i}/{len(blocks)}' >&2\n{b}\n")
print(f"readme-walkthrough: {len(blocks)} blocks, {curls} curl commands", file=sys.stderr)
PY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
sed -i "s/localhost:8080/localhost:$port/g" "$script"

db="kraamzorg_readme_$$"
owner_url=${DATABASE_OWNER_URL:-$DATABASE_URL}
admin_url="${owner_url%/*}/postgres"
psql "$admin_url" -qAtc "CREATE DATABASE $db" >/dev/null
export DATABASE_URL="${DATABASE_URL%/*}/$db"
[ -z "${DATABASE_OWNER_URL:-}" ] || export DATABASE_OWNER_URL="${DATABASE_OWNER_URL%/*}/$db"
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cd "$work"
env -u SMTP_HOST -u MAIL_DIR ADMIN_TOKEN=secret WEBHOOK_ALLOW_PRIVATE=1 PORT=$port HOST=127.0.0.1 OPENAPI_PATH="$repo/openapi.yaml" \
  WEBHOOK_SECRET_KEY_FILE="$work/.data/webhook-secret.key" JOBS_INTERVAL_SECONDS=1 "$bin" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "localhost:$port/healthz" >/dev/null || { echo "the server did not start:" >&2; tail -20 "$work/server.log" >&2; exit 1; }

start=$(date +%s.%N)
mkdir -p "$repo/.test-output"
rc=0
env -u MAIL_DIR TMPDIR="$work" timeout 300 bash "$script" >"$work/out.log" 2>&1 || rc=$?
cp "$work/out.log" "$repo/.test-output/readme-walkthrough.log"
if [ "$rc" -eq 0 ]; then
  requests=$(grep -c '"msg":"request"' "$work/server.log" || true)
  echo "readme-walkthrough: passed in $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s ($requests requests; output in .test-output/readme-walkthrough.log)"
else
  echo "readme-walkthrough: FAILED (exit $rc); the last lines of its output:" >&2
  tail -40 "$work/out.log" >&2
  echo "--- server log (last lines):" >&2
  tail -10 "$work/server.log" >&2
  exit 1
fi
