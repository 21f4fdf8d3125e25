#!/usr/bin/env bash
# validate-openapi.sh: openapi.yaml must be a valid OpenAPI 3.1 document (openapi-spec-validator from PyPI), and
# every example in it valid against its schema, with one for every request body and 2xx response
# (scripts/check-openapi-examples.py, openapi-schema-validator from PyPI).
set -euo pipefail
if ! command -v openapi-spec-validator >/dev/null 2>&1; then
  python3 -m pip install -q openapi-spec-validator >/dev/null 2>&1 || true
fi
if command -v openapi-spec-validator >/dev/null 2>&1; then
  openapi-spec-validator openapi.yaml
else
  echo "warning: openapi-spec-validator could not be installed; openapi.yaml not validated" >&2
fi
if ! python3 -c 'import openapi_schema_validator, yaml' >/dev/null 2>&1; then
  python3 -m pip install -q openapi-schema-validator pyyaml >/dev/null 2>&1 \
    || python3 -m pip install -q --break-system-packages openapi-schema-validator pyyaml >/dev/null 2>&1 || true
fi
python3 "$(dirname "$0")/check-openapi-examples.py" openapi.yaml
