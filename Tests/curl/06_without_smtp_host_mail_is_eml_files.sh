#!/usr/bin/env bash
# The built binary without SMTP_HOST (as `make run` starts it) writes each outbox message as an .eml file into
# MAIL_DIR, with its headers and link, marks it sent, and still stops cleanly on SIGTERM.
set -euo pipefail
bin=${SERVER_BIN:-.build/debug/kraamzorg-server}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
dir=$(mktemp -d)
# A database of its own: the sender sends everything pending, and other suites leave messages behind.
db="kraamzorg_curl_eml_$$"
# Created by the owner (DATABASE_OWNER_URL, with one role DATABASE_URL); the server migrates as the owner
# and serves as the request role, as in production.
owner_url=${DATABASE_OWNER_URL:-$DATABASE_URL}
admin_url="${owner_url%/*}/postgres"
psql "$admin_url" -qAtc "CREATE DATABASE $db" >/dev/null
export DATABASE_URL="${DATABASE_URL%/*}/$db"
[ -z "${DATABASE_OWNER_URL:-}" ] || export DATABASE_OWNER_URL="${DATABASE_OWNER_URL%/*}/$db"
env -u SMTP_HOST ADMIN_TOKEN=curl-mail-token PORT=$port MAIL_DIR="$dir/mail" MAIL_FROM=noreply@kraamzorg.test \
  JOBS_INTERVAL_SECONDS=1 "$bin" >"$dir/log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -rf "$dir"; psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.1; done

B="localhost:$port"; A='Authorization: Bearer curl-mail-token'; J='Content-Type: application/json'
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
pc=$((8000 + RANDOM % 1000))
insurer=$(curl -sf -H "$A" -H "$J" -d '{"kind":"insurer","name":"Curl Verzekeraar"}' "$B/v1/organizations" | json '["id"]')
region=$(curl -sf -H "$A" -H "$J" -d "{\"name\":\"Curl regio\",\"postcodeRanges\":[{\"from\":$pc,\"to\":$pc}],\"preferentInsurerIds\":[\"$insurer\"]}" "$B/v1/regions" | json '["id"]')
due=$(date -d '+100 days' +%F)
waitlist=$(curl -sf -H "$A" -H "$J" -d "{\"regionId\":\"$region\",\"name\":\"Curl lijst\",\"status\":\"open\",\"dueFrom\":\"$(date +%F)\",\"dueTo\":\"$(date -d '+200 days' +%F)\"}" "$B/v1/waitlists" | json '["id"]')
curl -sf -H "$A" -H "$J" -d "{\"clientNumber\":\"C-1\",\"email\":\"client@example.nl\",\"postcode\":\"$pc AB\",\"dueDate\":\"$due\",\"insurerId\":\"$insurer\"}" \
  "$B/v1/waitlists/$waitlist/invitations" >/dev/null

for _ in $(seq 1 100); do ls "$dir/mail"/*.eml >/dev/null 2>&1 && break; sleep 0.1; done
[ "$(ls "$dir/mail" | grep -c '\.eml$')" = 1 ]
eml=$(ls "$dir"/mail/*.eml)
grep -q $'^To: client@example.nl\r$' "$eml"
grep -q $'^From: noreply@kraamzorg.test\r$' "$eml"
grep -q '^Message-ID: <' "$eml"
grep -q '/uitnodiging/' "$eml"
[ "$(stat -c %a "$eml")" = 600 ]
for _ in $(seq 1 50); do
  [ "$(curl -sf -H "$A" "$B/v1/notifications?kind=invitation&to=client@example.nl" | json '["items"][0]["status"]')" = sent ] && break; sleep 0.1
done
[ "$(curl -sf -H "$A" "$B/v1/notifications?kind=invitation&to=client@example.nl" | json '["items"][0]["status"]')" = sent ]
grep -q 'each message is written as an .eml file' "$dir/log"

kill -TERM $pid
for _ in $(seq 1 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then echo "still running 30 s after SIGTERM"; exit 1; fi
wait $pid
grep -q '"msg":"stopped"' "$dir/log"
