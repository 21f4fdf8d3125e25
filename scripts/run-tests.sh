#!/usr/bin/env bash
# run-tests.sh: runs each test module in its own process, after one build.
# Separate processes keep CPU-bound suites (rules properties, parser fuzzing) from starving the
# I/O suites' timers on a 2-core machine. Every module runs even when one fails; the exit code says
# whether all passed.
set -uo pipefail
modules=(DatesAndIDsTests OutboundSocketsTests KraamzorgRulesTests HashingTests JSONOutputTests JSONInputTests HTTPServerTests PostgresClientTests KraamzorgJobsTests KraamzorgUseCasesTests KraamzorgAPITests)
failed=()
for module in "${modules[@]}"; do
  echo "=== $module"
  swift test --skip-build --filter "^$module\." || failed+=("$module")
done
echo "=== Tests/curl (black-box, the built binary)"
scripts/run-curl-tests.sh || failed+=(curl)
echo "=== scripts/replica-test.sh (a streaming replica and three instances behind nginx)"
scripts/replica-test.sh || failed+=(replica)
echo "=== Tests/browser (client pages: headless Chromium via Selenium, html5lib)"
scripts/browser-tests.sh || failed+=(browser)
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all test modules passed: ${modules[*]} curl replica browser"
