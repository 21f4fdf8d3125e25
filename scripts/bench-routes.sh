#!/usr/bin/env bash
# bench-routes.sh [--growth] [routes.py options]: the route benchmarks of issue 23 (scripts/bench/routes.py) on a
# throwaway PostgreSQL, against the release build. `make bench` runs it plain; `make bench-scale` with --growth.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
"$here/ensure-deps.sh" wrk >&2
server=${SERVER_BIN:-.build/release/kraamzorg-server}
[ -x "$server" ] || { echo "build it first: swift build -c release --product kraamzorg-server (or set SERVER_BIN)" >&2; exit 1; }
exec "$here/with-test-postgres.sh" python3 "$here/bench/routes.py" --server "$server" "$@"
