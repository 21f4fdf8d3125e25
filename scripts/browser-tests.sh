#!/usr/bin/env bash
# browser-tests.sh: the client pages (issue 14) in headless Chromium (Selenium) and through html5lib,
# against the built server (SERVER_BIN, default .build/debug/kraamzorg-server).
# Installs what is missing on a fresh Debian machine: chromium and chromium-driver (apt), selenium and
# html5lib (pip). Uses a fresh database in the cluster of DATABASE_URL (or starts a throwaway cluster).
# Screenshots: .test-output/screenshots/ (gitignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
if [ -z "${DATABASE_URL:-}" ]; then exec "$here/with-test-postgres.sh" "$0" "$@"; fi

"$here/ensure-deps.sh" chromium chromium-driver
if ! python3 -c 'import selenium, html5lib' >/dev/null 2>&1; then
  echo "installing: selenium html5lib (pip)" >&2
  python3 -m pip --version >/dev/null 2>&1 || "$here/ensure-deps.sh" python3-pip
  python3 -m pip install -q selenium html5lib >/dev/null 2>&1 || python3 -m pip install -q --break-system-packages selenium html5lib
fi

# Our own database next to the other suites' data: no shared postcode areas.
# Created by the owner (DATABASE_OWNER_URL, with one role DATABASE_URL); the server migrates as the owner
# and serves as the request role, and the tests' own SQL runs as the request role too.
db="kraamzorg_browser_$$"
owner_url=${DATABASE_OWNER_URL:-$DATABASE_URL}
admin_url="${owner_url%/*}/postgres"
psql "$admin_url" -qAtc "CREATE DATABASE $db" >/dev/null
trap 'psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
export DATABASE_URL="${DATABASE_URL%/*}/$db"
[ -z "${DATABASE_OWNER_URL:-}" ] || export DATABASE_OWNER_URL="${DATABASE_OWNER_URL%/*}/$db"
export SERVER_BIN="${SERVER_BIN:-.build/debug/kraamzorg-server}"
timeout 300 python3 Tests/browser/run_browser_tests.py
