#!/usr/bin/env python3
"""schemathesis (PyPI) against openapi.yaml and the live server, as an admin and as an insurer, with every check
(enabled in Tests/contract/schemathesis.toml, with the exclusions it names),
for a bounded number of cases; any finding fails the step. Prints cases, time and findings by check.

Reproduce by hand (server running, tokens at hand):
  st --config-file Tests/contract/schemathesis.toml run openapi.yaml --url http://127.0.0.1:PORT \
     -H 'Authorization: Bearer TOKEN' --max-examples 8 --seed 22 --phases examples,coverage,fuzzing
"""
import collections
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(__file__))
from live_server import LiveServer  # noqa: E402

MAX_EXAMPLES = os.environ.get("CONTRACT_MAX_EXAMPLES", "8")
SEED = os.environ.get("CONTRACT_SEED", "22")
OUT = os.environ.get("CONTRACT_OUTPUT", ".test-output/schemathesis")


def run(server, who, token):
    os.makedirs(OUT, exist_ok=True)
    junit = os.path.join(OUT, f"{who}.xml")
    command = [
        "st", "--config-file", "Tests/contract/schemathesis.toml", "--no-color",
        "run", "openapi.yaml", "--url", server.base, "-H", f"Authorization: Bearer {token}",
        "--phases", "examples,coverage,fuzzing", "--max-examples", MAX_EXAMPLES, "--seed", SEED,
        "--workers", "2", "--report", "junit", "--report-junit-path", junit, "--suppress-health-check", "all",
        "--request-timeout", "30",
        # The HTML pages take form posts and answer HTML (tested by Tests/browser); their form schemas are documentation.
        "--exclude-path-regex", "^/(uitnodiging|aanmelding)/",
    ]
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.time() - started
    with open(os.path.join(OUT, f"{who}.log"), "w") as f:
        f.write(result.stdout + result.stderr)
    cases = re.search(r"(\d+) generated", result.stdout)
    findings = collections.Counter()
    try:
        for case in ET.parse(junit).getroot().iter("testcase"):
            for failure in list(case.iter("failure")) + list(case.iter("error")):
                text = (failure.get("message") or "") + (failure.text or "")
                for name in re.findall(r"^\s*(?:- |\d+\. )?([A-Z][A-Za-z -]+)$", text, re.M)[:1] or ["(see log)"]:
                    findings[name.strip()] += 1
    except (FileNotFoundError, ET.ParseError):
        pass
    summary = re.findall(r"^.*(?:passed|failed|errored|skipped).*$", result.stdout, re.M)
    print(f"schemathesis as {who}: {cases.group(1) if cases else '?'} cases in {elapsed:.0f} s, exit {result.returncode}")
    for line in summary[-6:]:
        print("   ", line.strip())
    if result.returncode != 0:
        print(result.stdout[-12000:])
        print(result.stderr[-3000:])
    return result.returncode == 0


def main():
    server = LiveServer()
    try:
        insurer = server.seed()
        ok_admin = run(server, "admin", server.admin_token)
        ok_insurer = run(server, "insurer", insurer)
    finally:
        server.stop()
    sys.exit(0 if ok_admin and ok_insurer else 1)


if __name__ == "__main__":
    main()
