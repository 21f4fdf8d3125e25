#!/usr/bin/env python3
"""Every example in openapi.yaml must be valid against its schema, and every JSON request body and 2xx
response must have one (API.md, integrator conventions). Validates with openapi-schema-validator (OAS 3.1,
JSON Schema 2020-12, formats checked: date, date-time, uuid, email, uri). Exit 1 on any failure."""
import sys

import yaml
from openapi_schema_validator import OAS31Validator, oas31_format_checker

path = sys.argv[1] if len(sys.argv) > 1 else "openapi.yaml"
with open(path, encoding="utf-8") as f:
    doc = yaml.safe_load(f)
components = doc.get("components", {})
failures, checked = [], 0


def validate(where, schema, value):
    global checked
    checked += 1
    root = dict(schema)
    root["components"] = components  # so '#/components/...' refs resolve
    errors = sorted(OAS31Validator(root, format_checker=oas31_format_checker).iter_errors(value), key=lambda e: list(e.path))
    for e in errors[:5]:
        at = "/".join(str(x) for x in e.absolute_path) or "(root)"
        failures.append(f"{where}: example at {at}: {e.message[:300]}")


def media_examples(where, media):
    schema = media.get("schema")
    out = []
    if "example" in media:
        out.append(media["example"])
    for name, ex in (media.get("examples") or {}).items():
        if "$ref" in ex:
            ex = components["examples"][ex["$ref"].split("/")[-1]]
        if "value" in ex:
            out.append(ex["value"])
    for value in out:
        if schema is not None:
            validate(where, schema, value)
    return bool(out)


def needs_example(media_type, media):
    schema = media.get("schema") or {}
    return schema.get("format") != "binary"


for p, item in doc.get("paths", {}).items():
    for method, op in item.items():
        if method not in ("get", "put", "post", "patch", "delete"):
            continue
        name = f"{method.upper()} {p}"
        body = (op.get("requestBody") or {}).get("content", {})
        for mt, media in body.items():
            if not media_examples(f"{name} request {mt}", media) and needs_example(mt, media):
                failures.append(f"{name} request {mt}: no example")
        for status, response in op.get("responses", {}).items():
            if "$ref" in response:
                response = components["responses"][response["$ref"].split("/")[-1]]
            for mt, media in (response.get("content") or {}).items():
                has = media_examples(f"{name} {status} {mt}", media)
                if str(status).startswith("2") and not has and needs_example(mt, media):
                    failures.append(f"{name} {status} {mt}: no example")

# Examples inside schemas (a property's example, a schema's examples) must fit the schema they sit in.
def walk(where, schema):
    if not isinstance(schema, dict):
        return
    if "example" in schema and "$ref" not in schema:
        validate(where, schema, schema["example"])
    for value in schema.get("examples", []) if isinstance(schema.get("examples"), list) else []:
        validate(where, schema, value)
    for key, sub in (schema.get("properties") or {}).items():
        walk(f"{where}.{key}", sub)
    for key in ("items", "additionalProperties"):
        walk(f"{where}[]", schema.get(key))
    for key in ("allOf", "oneOf", "anyOf"):
        for i, sub in enumerate(schema.get(key, [])):
            walk(f"{where}/{key}[{i}]", sub)


for name, schema in components.get("schemas", {}).items():
    walk(f"components.schemas.{name}", schema)

for line in failures:
    print("FAIL", line)
print(f"openapi examples: {checked} checked, {len(failures)} failures")
sys.exit(1 if failures else 0)
