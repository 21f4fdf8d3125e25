#!/usr/bin/env python3
"""A Python client generated from openapi.yaml by openapi-python-client (PyPI), used for a short typed flow
against the live server: lists parse into typed items with attributes, a create returns the typed resource, a
problem parses as a Problem whose absolute type URI answers with its explanation page."""
import datetime
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from live_server import LiveServer  # noqa: E402


def generate():
    out = tempfile.mkdtemp(prefix="contract-client-")
    package = os.path.join(out, "kraamzorg_client")
    result = subprocess.run(
        ["openapi-python-client", "generate", "--path", "openapi.yaml", "--output-path", package, "--meta", "none", "--overwrite",
         "--config", os.path.join(os.path.dirname(__file__), "openapi-python-client.yml")],
        capture_output=True, text=True)
    if result.returncode != 0 or not os.path.isdir(package):
        raise SystemExit(f"openapi-python-client failed:\n{result.stdout[-5000:]}\n{result.stderr[-3000:]}")
    # Every response of the API must make it into the client: a warning means a response or model was dropped.
    dropped = [l for l in (result.stdout + result.stderr).splitlines() if l.startswith("WARNING") or "Unable to" in l]
    sys.path.insert(0, out)
    return out, dropped, result.stdout + result.stderr


def main():
    out, dropped, log = generate()
    failures = []
    server = LiveServer()
    try:
        insurer_token = server.seed()
        client_mod = importlib.import_module("kraamzorg_client")
        models = importlib.import_module("kraamzorg_client.models")
        api = lambda tag, name: importlib.import_module(f"kraamzorg_client.api.{tag}.{name}")  # noqa: E731
        anonymous = client_mod.Client(base_url=server.base)
        admin = client_mod.AuthenticatedClient(base_url=server.base, token=server.admin_token)
        insurer = client_mod.AuthenticatedClient(base_url=server.base, token=insurer_token)

        def check(condition, what):
            print(("ok   " if condition else "FAIL ") + what)
            if not condition:
                failures.append(what)

        # 1. The public norms: a typed list of typed norms.
        norms = api("register", "list_norms").sync(client=anonymous)
        check(isinstance(norms, models.NormList), f"GET /v1/norms parses as NormList (got {type(norms).__name__})")
        if isinstance(norms, models.NormList):
            check(len(norms.items) > 0 and all(isinstance(n, models.Norm) for n in norms.items), "norms.items are Norm objects")
            first = norms.items[0]
            check(isinstance(first.code, str) and isinstance(first.min_total_points, int), "a norm's code and minTotalPoints are typed")
            check(isinstance(first.applies_from, datetime.date), "a norm's appliesFrom is a date")
            check(norms.total == len(norms.items) and norms.next_cursor is None, "the envelope's total and nextCursor")

        # 2. Create an organisation (admin): the typed resource back.
        kind = models.NewOrganizationKind.CAREPROVIDER
        created = api("identity", "create_organization").sync(
            client=admin, body=models.NewOrganization(kind=kind, name="Kraamzorg Client Flow"))
        check(isinstance(created, models.Organization), f"POST /v1/organizations parses as Organization (got {type(created).__name__})")
        if isinstance(created, models.Organization):
            check(created.name == "Kraamzorg Client Flow" and created.kind == models.OrganizationKind.CAREPROVIDER, "its name and kind")
            check(isinstance(created.id, uuid.UUID) and isinstance(created.created_at, datetime.datetime), "its id and createdAt are typed")
            again = api("identity", "get_organization").sync(client=admin, id=created.id)
            check(isinstance(again, models.Organization) and again.id == created.id, "GET /v1/organizations/{id} finds it")

        # 3. Practitioners (admin): typed items.
        practitioners = api("register", "list_practitioners").sync(client=admin)
        check(isinstance(practitioners, models.PractitionerList), f"GET /v1/practitioners parses as PractitionerList (got {type(practitioners).__name__})")
        if isinstance(practitioners, models.PractitionerList):
            check(len(practitioners.items) >= 1 and all(isinstance(p, models.Practitioner) for p in practitioners.items), "items are Practitioner objects")
            anna = practitioners.items[0]
            check(anna.registration_number.startswith("KCKZ-") and isinstance(anna.registered, bool), "a practitioner's number and standing")

        # 4. Regions and waitlists as the insurer: typed lists.
        regions = api("waitlists", "list_regions").sync(client=insurer)
        check(isinstance(regions, models.RegionList) and all(isinstance(r, models.Region) for r in regions.items), "GET /v1/regions as the insurer: typed Regions")

        # 5. A problem: typed, with an absolute type URI that explains itself.
        missing = api("identity", "get_organization").sync_detailed(client=admin, id=uuid.uuid4())
        problem = missing.parsed
        check(missing.status_code == 404 and isinstance(problem, models.Problem), f"a 404 parses as Problem (got {type(problem).__name__})")
        if isinstance(problem, models.Problem):
            check(problem.type_ == f"{server.base}/problems/notFound", f"its type is absolute: {problem.type_}")
            with urllib.request.urlopen(problem.type_, timeout=10) as page:
                html = page.read().decode()
            check(page.status == 200 and "Niet gevonden" in html and "Not found" in html, "the type URI answers with its explanation page")

        check(not dropped, "openapi-python-client generated every response and model" + ("" if not dropped else f": {dropped[:5]}"))
    finally:
        server.stop()
        shutil.rmtree(out, ignore_errors=True)
    print(f"client flow: {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
