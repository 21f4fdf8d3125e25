#!/usr/bin/env bash
# check-format.sh: fails when any Swift file differs from `swift format` with the checked-in .swift-format
# (line length 140). `make format` rewrites the files; `make test` runs this first.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests Benchmarks)
if ! swift format lint --strict --recursive --parallel "${paths[@]}"; then
  echo "formatting differs: run 'make format'" >&2
  exit 1
fi
