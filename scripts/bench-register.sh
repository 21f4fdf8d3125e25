#!/usr/bin/env bash
# bench-register.sh: the register under load (issue 10's benchmark).
#
#   - GET /v1/register/{number} (public lookup) against 100,000 seeded practitioners, random numbers
#   - the dossier of a practitioner with 30 accreditations (admin token)
#   - pgbench with the lookup's own SELECT, same client count (the ceiling for the lookup)
#   - one POST /v1/accreditations with 10,000 items
#
# Environment: SERVER_CMD (default .build/release/kraamzorg-server), CLIENTS (64), DURATION (10 s).
# Runs inside a throwaway PostgreSQL unless DATABASE_URL is set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
"$here/ensure-deps.sh" wrk >&2

SERVER_CMD=${SERVER_CMD:-"$root/.build/release/kraamzorg-server"}
[ -x "$SERVER_CMD" ] || { echo "build it first: swift build -c release --product kraamzorg-server (or set SERVER_CMD)" >&2; exit 1; }
if [ -z "${DATABASE_URL:-}" ]; then
  exec "$here/with-test-postgres.sh" env SERVER_CMD="$SERVER_CMD" "$0" "$@"
fi
CLIENTS=${CLIENTS:-64}
DURATION=${DURATION:-10}
HOST=127.0.0.1
work=$(mktemp -d /tmp/bench-register.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
token="bench-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

ADMIN_TOKEN=$token PORT=$port HOST=$HOST LOG_LEVEL=error PUBLIC_RATE_LIMIT_PER_MINUTE=1000000000 \
  OPENAPI_PATH="$root/openapi.yaml" "$SERVER_CMD" >"${SERVER_LOG:-$work/server.log}" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 200); do
  curl -sf "http://$HOST:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
base="http://$HOST:$port"
# The norms are seeded on first use.
curl -sf "$base/v1/norms" >/dev/null

echo "seeding 100,000 practitioners..." >&2
# Seeded as the owner: only the owner may ANALYZE (the request role may not), and plans need the statistics.
psql -q -v ON_ERROR_STOP=1 "${DATABASE_OWNER_URL:-$DATABASE_URL}" <<'SQL'
INSERT INTO practitioners (registration_number, first_name, last_name, email, diploma_obtained_on)
SELECT 'KCKZ-2' || lpad(g::text, 5, '0'), 'Voornaam' || g, 'Achternaam' || g, 'p' || g || '@example.nl', '2023-01-01'
FROM generate_series(0, 99999) g;
INSERT INTO registration_periods (practitioner_id, start_date, end_date, registered_on, norm_code, status)
SELECT id, '2023-06-01', '2027-05-31', '2023-06-01', '2023', 'active' FROM practitioners;
INSERT INTO certificates (practitioner_id, period_id, verification_code, registration_number, name, valid_from, valid_until, issued_on)
SELECT p.id, rp.id, 'BENCH-' || p.registration_number, p.registration_number, p.first_name || ' ' || p.last_name, rp.start_date, rp.end_date, rp.start_date
FROM practitioners p JOIN registration_periods rp ON rp.practitioner_id = p.id;
INSERT INTO organizations (kind, name) VALUES ('courseProvider', 'Bench opleider');
INSERT INTO courses (provider_id, title, format, start_date, lines, status)
SELECT o.id, 'Bench ' || g, 'classroom', '2023-01-01',
       '[{"norm":"2023","category":"C","subject":null,"points":0.5},{"norm":"2023","category":"A","subject":"ehbo-theorie","points":1}]',
       'pending'
FROM organizations o, generate_series(1, 8) g WHERE o.name = 'Bench opleider';
-- Accredited by the register (DOMAIN §3a): version 1 in force.
INSERT INTO course_versions (course_id, version, status, lines, proposed_lines, decided_at)
SELECT id, 1, 'accredited', lines, lines, now() FROM courses WHERE title LIKE 'Bench %';
UPDATE courses SET status = 'accredited', accredited_version = 1 WHERE title LIKE 'Bench %';
-- 30 accreditations for KCKZ-200000 (the dossier benchmark), booked under version 1.
INSERT INTO accreditations (course_id, course_version, practitioner_id, completed_on, recorded_on, late)
SELECT (SELECT id FROM courses WHERE title = 'Bench ' || (1 + g % 8)), 1,
       (SELECT id FROM practitioners WHERE registration_number = 'KCKZ-200000'),
       '2023-07-01'::date + g * 20, '2023-07-01'::date + g * 20, false
FROM generate_series(0, 29) g;
ANALYZE practitioners, registration_periods, certificates, organizations, courses, course_versions, accreditations;
SQL

# The batch: 10,000 completions for KCKZ-200001 (8 courses x 1,250 days), pushed by an admin by courseId.
psql -qAt "$DATABASE_URL" -c "SELECT id FROM courses WHERE title LIKE 'Bench %' ORDER BY title" >"$work/courses.txt"
python3 - "$work/courses.txt" "$work/batch.json" <<'PY'
import datetime, json, sys
courses = open(sys.argv[1]).read().split()
start = datetime.date(2023, 6, 1)
items = [{"courseId": courses[i % 8], "registrationNumber": "KCKZ-200001",
          "completedOn": (start + datetime.timedelta(days=i // 8)).isoformat()} for i in range(10000)]
json.dump({"items": items}, open(sys.argv[2], "w"))
PY

cat >"$work/lookup.lua" <<'LUA'
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format("/v1/register/KCKZ-2%05d", math.random(0, 99999)))
end
LUA
# The lookup's own SELECT (RegisterStore.lookup(number:)), for pgbench.
cat >"$work/lookup.sql" <<'SQL'
\set n random(0, 99999)
SELECT p.id, p.registration_number, p.first_name, p.last_name, p.email, p.date_of_birth::text, p.diploma_obtained_on::text, p.reentrant,
       p.entry_deadline::text, p.struck_off_on::text, p.struck_off_reason, p.deregistered_on::text, p.created_at,
       (SELECT coalesce(json_agg(json_build_array(rp.id, rp.start_date, rp.end_date, rp.extended_until, rp.registered_on, rp.norm_code, rp.status)
                                 ORDER BY rp.start_date), '[]')::text FROM registration_periods rp WHERE rp.practitioner_id = p.id) AS periods,
       (SELECT coalesce(json_agg(json_build_array(c.id, c.period_id, c.verification_code, c.valid_from, c.valid_until, c.annotations, c.issued_on, c.name)
                                 ORDER BY c.valid_from, c.created_at), '[]')::text FROM certificates c WHERE c.practitioner_id = p.id) AS certificates
FROM practitioners p WHERE p.registration_number = 'KCKZ-2' || lpad(:n::text, 5, '0');
SQL

threads=2
wrk_run() {  # prints "req/s p99(ms)"
  local out
  out=$(wrk -t$threads -c"$CLIENTS" -d"${DURATION}s" --latency "$@")
  echo "$out" >&2
  local rps p99
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  echo "$rps $p99"
}

wrk -t1 -c8 -d2s -s "$work/lookup.lua" "$base" >/dev/null 2>&1 || true
read -r lookup_rps lookup_p99 < <(wrk_run -s "$work/lookup.lua" "$base")
dossier_url="$base/v1/practitioners/KCKZ-200000/periods/current/dossier"
curl -sf -H "Authorization: Bearer $token" "$dossier_url" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["accreditations"]) == 30, len(d["accreditations"])'
read -r dossier_rps dossier_p99 < <(wrk_run -H "Authorization: Bearer $token" "$dossier_url")
pg_tps=$(pgbench -n -f "$work/lookup.sql" -c "$CLIENTS" -j $threads -T "$DURATION" "$DATABASE_URL" 2>/dev/null | awk '/^tps/ {print $3; exit}')
batch=$(curl -s -o "$work/batch-out.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data-binary @"$work/batch.json" "$base/v1/accreditations")
booked=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(sum(1 for x in r if x["status"] == 201))' "$work/batch-out.json")

python3 - "$lookup_rps" "$lookup_p99" "$dossier_rps" "$dossier_p99" "$pg_tps" "$batch" "$booked" "$CLIENTS" <<'PY'
import sys
lookup, lp99, dossier, dp99, pg, batch, booked, clients = sys.argv[1:9]
lookup, dossier, pg = float(lookup), float(dossier), float(pg)
status, seconds = batch.split()
print(f"register lookup   {lookup:10.0f} req/s  p99 {lp99:>8}   {lookup/pg:.2f}x pgbench (goal >= 0.6)")
print(f"dossier (30 acc.) {dossier:10.0f} req/s  p99 {dp99:>8}   {dossier/pg:.2f}x pgbench (goal >= 0.3)")
print(f"pgbench same SELECT {pg:8.0f} tps    ({clients} clients)")
print(f"batch of 10,000   {float(seconds):10.3f} s  (HTTP {status}, {booked} booked; goal < 1 s)")
PY
