#!/usr/bin/env bash
# run-curl-tests.sh: the black-box scripts in Tests/curl against the built binary (needs DATABASE_URL).
set -uo pipefail
passed=0 failed=0
for t in Tests/curl/*.sh; do
  if bash "$t"; then passed=$((passed + 1)); echo "ok   $t"; else failed=$((failed + 1)); echo "FAIL $t"; fi
done
echo "curl: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
