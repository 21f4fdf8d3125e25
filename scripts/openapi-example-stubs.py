#!/usr/bin/env python3
# openapi-example-stubs.py FILE: adds a schema-valid example to every JSON request body and 2xx response of FILE that has
# none (values by field name and format). A starting point for a new route: edit the example to be realistic, then
# scripts/check-openapi-examples.py validates it. Not run by make test. --refresh: also remakes the examples their
# schema no longer accepts (after a field was added).
import re, sys, yaml, json, uuid, copy
p = sys.argv[1]
text = open(p).read()
doc = yaml.safe_load(text)
S = doc["components"]["schemas"]
def res(s):
    while "$ref" in s: s = S[s["$ref"].split("/")[-1]]
    return s
ids = {}
def uid(name):
    if name not in ids: ids[name] = str(uuid.uuid5(uuid.NAMESPACE_URL, "kraamzorg/" + name + str(len(ids))))
    return ids[name]
NAMES = {
 "registrationNumber": "KCKZ-200123", "postcode": "8731 AB", "postcodeArea": "8731", "phone": "+31 6 12345678",
 "firstName": "Anna", "lastName": "de Vries", "name": "Anna de Vries", "email": "anna.devries@example.nl", "to": "anna.devries@example.nl",
 "clientNumber": "ZK-104233", "title": "Borstvoeding in de praktijk", "externalId": "BV-2026-03", "location": "Utrecht",
 "contact": "opleidingen@example.nl", "reason": "Langdurig ziek geweest (verklaring bijgevoegd)", "message": "Graag de werkgeversverklaring nog uploaden.",
 "norm": "2023", "code": "2023", "category": "A", "subject": "borstvoeding", "week": "2026-W10", "dueWeek": "2026-W10",
 "verificationCode": "ABCD-EFGH-JKLM", "token": "q3Vx0kQ9yS7bN2cF5hJ8mL1pR4tW6zA0dE3gK7nP9sU", "secret": "whsec_8f2c1d0e9b7a6c5d4e3f2a1b0c9d8e7f",
 "url": "https://hooks.example.nl/kraamzorg", "consentVersion": "2025-01", "consentText": "Ik geef toestemming dat mijn gegevens worden gedeeld met de kraamzorgaanbieders in mijn regio.",
 "waitlistName": "Twente 2026", "regionName": "Twente", "providerName": "Kraamzorg Twente", "courseTitle": "Borstvoeding in de praktijk",
 "statement": "WGV-2025-0042", "label": "Lactatiekundige", "agbCode": "01234567", "kvkNumber": "12345678", "clientInfo": "Vragen? Bel 0800-1234.",
 "detail": "name is required", "field": "name", "requestId": "3f2a9c0d1b7e4a56", "job": "weekly-update", "period": "2026-W10",
 "objectType": "client", "outcome": "success", "role": "insurer", "userName": "Jan Jansen", "organization": "Zorgverzekeraar Oost",
 "lastError": "connection refused", "practitionerName": "Anna de Vries", "body": "Beste Anna, …", "subject": "Uw uitnodiging voor de wachtlijst",
 "link": "https://register.example/uitnodiging/…", "contentType": "application/pdf", "text": "Een organisatie met meer dan drie bedden levert zelf.",
 "evidence": "verklaring-bedrijfsarts.pdf", "struckOffReason": "Tuchtrechtelijke maatregel", "decisionMessage": "Akkoord.", "reviewReason": "Onleesbare scan",
}
DATES = {"dueDate": "2026-05-14", "bornOn": "2026-05-10", "dueFrom": "2026-03-01", "dueTo": "2026-08-31", "startDate": "2025-01-01",
 "endDate": "2029-12-31", "effectiveEndDate": "2029-12-31", "validFrom": "2025-01-01", "validUntil": "2029-12-31", "obtainedOn": "2025-02-01",
 "periodStart": "2025-01-01", "registeredOn": "2025-01-01", "appliesFrom": "2023-01-01", "dateOfBirth": "1990-04-12", "completedOn": "2026-02-10",
 "until": "2030-03-31", "nextStart": "2029-10-01", "on": "2026-03-01", "asOf": "2026-03-01", "issuedOn": "2025-01-01", "diplomaObtainedOn": "2024-06-30",
 "date": "2026-03-01", "windowOpensOn": "2029-10-01", "entryDeadline": "2025-05-01", "submittedOn": "2029-10-15", "firstUncoveredDate": "2027-02-01"}
INTS = {"year": 2026, "hours": 1200, "places": 4, "total": 1, "status": 200, "pregnancyWeek": 30, "attempts": 1, "lastStatus": 200,
 "minTotalPoints": 80, "minPoints": 20, "minCompletions": 1, "minDistinctCourses": 2, "careHoursPerYear": 200, "version": 1, "fileSize": 184320,
 "size": 184320, "waiting": 12, "urgent": 2, "enrolled": 9, "newPlacements": 3, "beds": 5, "totalBeds": 5, "bedsTotal": 5, "from": 8730, "to": 8739,
 "expiresInDays": 365, "normVersion": 1, "completions": 1, "distinctCourses": 2, "completionsShort": 1, "coursesShort": 1}
def ex(s, name="", depth=0):
    if name is True: name = "on"
    name = str(name)
    if "$ref" in s:
        rname = s["$ref"].split("/")[-1]; s = S[rname]
        if "$ref" in s: return ex(s, name, depth)
    if "example" in s: return s["example"]
    if "examples" in s: return s["examples"][0]
    if "const" in s: return s["const"]
    if "allOf" in s:
        out = {}
        for part in s["allOf"]: out.update(ex(part, name, depth))
        return out
    for k in ("oneOf", "anyOf"):
        if k in s:
            branches = [b for b in s[k] if b.get("type") != "null"]
            return ex(branches[0], name, depth)
    t = s.get("type")
    if isinstance(t, list): t = [x for x in t if x != "null"][0]
    if "enum" in s: return [e for e in s["enum"] if e is not None][0]
    if t == "object" or "properties" in s:
        out = {}
        for k, v in s.get("properties", {}).items():
            if k is True: k = "on"
            if depth > 6 and k not in s.get("required", []): continue
            out[k] = ex(v, k, depth + 1)
        ap = s.get("additionalProperties")
        if isinstance(ap, dict) and not s.get("properties"):
            out["A" if name != "details" else "clientId"] = ex(ap, name, depth + 1)
        return out
    if t == "array":
        n = max(1, s.get("minItems", 1))
        return [ex(s.get("items", {}), name[:-1] if name.endswith("s") else name, depth + 1) for _ in range(n)]
    if t == "integer":
        v = INTS.get(name, s.get("minimum", 1))
        if "minimum" in s: v = max(v, s["minimum"])
        if "maximum" in s: v = min(v, s["maximum"])
        return v
    if t == "number":
        return {"points": 2.5, "pointsShort": 2.5, "totalPoints": 42.5, "minPoints": 20, "minTotalPoints": 80}.get(name, 2.5)
    if t == "boolean": return True
    if t == "string":
        f = s.get("format")
        if f == "uuid" or name.endswith("Id") or name == "id": return uid(name) if f == "uuid" or name.endswith("Id") or name == "id" else None
        if f == "date": return DATES.get(name, "2026-03-01")
        if f == "date-time": return "2026-03-01T09:30:00Z"
        if f == "email": return NAMES.get(name, "anna.devries@example.nl")
        if f == "binary": return None
        if name in DATES: return DATES[name]
        if name in NAMES: return NAMES[name]
        if s.get("pattern") == '^[0-9]{4}-W[0-9]{2}$': return "2026-W10"
        if s.get("pattern") == '^[0-9]{8}$': return "01234567"
        return {"week": "2026-W10"}.get(name, "tekst")
    return None
TEXT = {"text/csv": "Wachtlijst;Week;Wachtend\r\nTwente 2026;2026-W10;12\r\n", "text/plain": "# HELP http_requests_total Requests by route and status.\n",
        "application/yaml": "openapi: 3.1.0\n", "text/html": "<!doctype html><html lang=\"nl\">…</html>", "text/css": "body { font-family: system-ui; }"}
REFRESH = "--refresh" in sys.argv


def valid(schema, value):
    from openapi_schema_validator import OAS31Validator, oas31_format_checker
    root = dict(schema or {})
    root["components"] = doc.get("components", {})
    return not any(True for _ in OAS31Validator(root, format_checker=oas31_format_checker).iter_errors(value))


lines = text.split("\n")
out = []; path = None; method = None; where = None; i = 0; added = 0
while i < len(lines):
    l = lines[i]
    m = re.match(r"^  (/\S*):\s*$", l)
    if m: path = m.group(1); where = None
    m = re.match(r"^    (get|post|put|patch|delete):\s*$", l)
    if m: method = m.group(1); where = None
    if re.match(r"^      requestBody:", l): where = ("req",)
    m = re.match(r"^        '(\d{3})':", l)
    if m: where = ("resp", m.group(1))
    if re.match(r"^components:", l): path = None
    m = re.match(r"^(\s+)([a-z]+/[a-z0-9+.-]+):\s*$", l)
    if m and path and method and where and (where[0] == "req" or where[1].startswith("2")):
        ind = m.group(1); mt = m.group(2)
        out.append(l); i += 1
        block = []
        while i < len(lines) and (len(lines[i]) - len(lines[i].lstrip()) > len(ind)):
            block.append(lines[i]); i += 1
        out.extend(block)
        op = doc["paths"][path][method]
        media = (op["requestBody"] if where[0] == "req" else op["responses"][where[1]])["content"][mt]
        if any(b.strip().startswith("example:") or b.strip().startswith("examples:") for b in block):
            if not (REFRESH and "example" in media and not valid(media.get("schema"), media["example"])): continue
            # --refresh: an example its schema no longer accepts (a field added since) is made again.
            del out[len(out) - len(block):]
            j = 0
            while j < len(block):
                if block[j].strip().startswith("example:"):
                    depth = len(block[j]) - len(block[j].lstrip())
                    j += 1
                    while j < len(block) and (len(block[j]) - len(block[j].lstrip()) > depth or not block[j].strip()): j += 1
                    continue
                out.append(block[j]); j += 1
        if mt in ("application/json", "application/problem+json", "application/x-www-form-urlencoded"):
            val = ex(media["schema"])
        elif mt in TEXT: val = TEXT[mt]
        else: continue
        if val is None: continue
        sub = ind + "  "
        dumped = yaml.safe_dump(val, sort_keys=False, allow_unicode=True, width=130, default_flow_style=None).rstrip("\n")
        if isinstance(val, (dict, list)) and val:
            out.append(sub + "example:")
            out.extend(sub + "  " + x for x in dumped.split("\n"))
        else:
            out.append(sub + "example: " + json.dumps(val, ensure_ascii=False))
        added += 1
        continue
    out.append(l); i += 1
open(p, "w").write("\n".join(out))
print("added", added)
