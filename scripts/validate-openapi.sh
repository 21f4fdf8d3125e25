#!/usr/bin/env bash
# validate-openapi.sh: openapi.yaml must be a valid OpenAPI 3.1 document (openapi-spec-validator from PyPI).
set -euo pipefail
if ! command -v openapi-spec-validator >/dev/null 2>&1; then
  python3 -m pip install -q openapi-spec-validator >/dev/null 2>&1 || true
fi
if command -v openapi-spec-validator >/dev/null 2>&1; then
  openapi-spec-validator openapi.yaml
else
  echo "warning: openapi-spec-validator could not be installed; openapi.yaml not validated" >&2
fi
