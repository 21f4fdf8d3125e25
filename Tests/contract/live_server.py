"""The built server on a free port against DATABASE_URL (a fresh database made by scripts/contract-tests.sh),
seeded through the API: an admin token (ADMIN_TOKEN) and an insurer membership's token, and a little of
everything the routes read (organisations, a region, a waitlist, a practitioner, a course)."""
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.admin_token = "contract-admin-token-0123456789abcdefghijklmnop"
        self.log = tempfile.NamedTemporaryFile(prefix="contract-server-", suffix=".log", delete=False)
        env = dict(os.environ)
        env.update({
            "PORT": str(self.port), "HOST": "127.0.0.1", "ADMIN_TOKEN": self.admin_token, "PUBLIC_BASE_URL": self.base,
            "WEBHOOK_ALLOW_PRIVATE": "1", "WEBHOOK_SECRET_KEY": "contract-tests-webhook-key-0123456789abcdef",
            "LOG_LEVEL": "warn", "JOBS_INTERVAL_SECONDS": "3600",
            # Generated tests send thousands of requests from one address: rate limits out of the way (429 is
            # documented where it can occur, and tested by the API suites).
            "PUBLIC_RATE_LIMIT_PER_MINUTE": "1000000", "LOOKUP_RATE_LIMIT_PER_MINUTE": "1000000",
            "CLIENT_LINK_RATE_LIMIT_PER_MINUTE": "1000000", "LOOKUP_NUMBERS_PER_MINUTE": "100000000",
            "DB_ACQUIRE_TIMEOUT_MS": "10000",
        })
        binary = os.environ.get("SERVER_BIN", ".build/debug/kraamzorg-server")
        self.process = subprocess.Popen([binary], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=1) as r:
                    if r.status == 200:
                        break
            except Exception:
                if self.process.poll() is not None:
                    raise SystemExit(f"server exited: {open(self.log.name).read()[-2000:]}")
                time.sleep(0.1)
        else:
            raise SystemExit("server did not become ready")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def call(self, method, path, body=None, token=None, expect=(200, 201)):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {token or self.admin_token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, text = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read()
        if status not in expect:
            raise SystemExit(f"seeding: {method} {path} -> {status}: {text[:500]!r}")
        return json.loads(text) if text else None

    def status(self, method, path, token=None):
        req = urllib.request.Request(self.base + path, method=method)
        req.add_header("Authorization", f"Bearer {token or self.admin_token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def seed(self):
        """Returns the insurer's token; the world stays in the database for the generated requests to find."""
        today = datetime.date.today()
        insurer = self.call("POST", "/v1/organizations", {"kind": "insurer", "name": "Contract Verzekeraar"})
        provider = self.call("POST", "/v1/organizations", {"kind": "careProvider", "name": "Contract Kraamzorg"})
        course_provider = self.call("POST", "/v1/organizations", {"kind": "courseProvider", "name": "Contract Opleider"})
        region = self.call("POST", "/v1/regions", {
            "name": "Contract regio", "postcodeRanges": [{"from": 8730, "to": 8739}], "preferentInsurerIds": [insurer["id"]]})
        self.call("PATCH", f"/v1/organizations/{provider['id']}", {"regionIds": [region["id"]]})
        waitlist = self.call("POST", "/v1/waitlists", {
            "regionId": region["id"], "name": "Contract lijst", "status": "open",
            "dueFrom": today.isoformat(), "dueTo": (today + datetime.timedelta(days=250)).isoformat()})
        user = self.call("POST", "/v1/users", {
            "name": "Ina Verzekeraar", "email": "ina@contract.example", "role": "insurer", "organizationId": insurer["id"],
            "avgAccess": True, "manager": True})
        practitioner = self.call("POST", "/v1/practitioners", {
            "firstName": "Anna", "lastName": "de Vries", "email": "anna@contract.example",
            "periodStart": today.replace(day=1).isoformat(), "diplomaObtainedOn": (today - datetime.timedelta(days=30)).isoformat()})
        course = self.call("POST", "/v1/courses", {
            "title": "Contract EHBO", "format": "classroom", "startDate": (today - datetime.timedelta(days=60)).isoformat(),
            "providerId": course_provider["id"],
            "accreditations": [{"norm": "2023", "category": "A", "subject": "ehbo-theorie", "points": 2}]})
        number = practitioner["registrationNumber"]
        accreditation = self.call("POST", "/v1/accreditations", {
            "courseId": course["id"], "registrationNumber": number, "completedOn": (today - datetime.timedelta(days=1)).isoformat()},
            expect=(200, 201))
        ehbo = self.call("POST", f"/v1/practitioners/{number}/ehbo-certificates", {
            "obtainedOn": (today - datetime.timedelta(days=10)).isoformat(),
            "validUntil": (today + datetime.timedelta(days=700)).isoformat()})
        period_request = self.call("POST", f"/v1/practitioners/{number}/period-requests", {
            "kind": "extension", "periodId": practitioner["currentPeriod"]["id"],
            "until": (today.replace(year=today.year + 4, day=1) + datetime.timedelta(days=30)).isoformat(), "reason": "Langdurig ziek"})
        invitation = self.call("POST", f"/v1/waitlists/{waitlist['id']}/invitations", {
            "clientNumber": "ZK-100001", "email": "client@contract.example", "postcode": "8731 AB",
            "dueDate": (today + datetime.timedelta(days=120)).isoformat(), "insurerId": insurer["id"]})
        webhook = self.call("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["*"], "organizationId": insurer["id"]})
        # What the generated requests' path parameters point at (run_schemathesis.py): real resources, so the
        # routes behind them are reached instead of answering 404 to a random id.
        self.resources = {
            r"^/v1/practitioners/\{ref\}": {"path.ref": practitioner["registrationNumber"], "path.periodId": "current"},
            r"^/v1/register/\{registrationNumber\}$": {"path.registrationNumber": practitioner["registrationNumber"]},
            r"^/v1/certificates/\{code\}$": {"path.code": (practitioner.get("certificate") or {}).get("verificationCode", "")},
            r"^/v1/courses/\{id\}": {"path.id": course["id"]},
            r"^/v1/regions/\{id\}": {"path.id": region["id"]},
            r"^/v1/waitlists/\{id\}": {"path.id": waitlist["id"]},
            r"^/v1/organizations/\{id\}": {"path.id": insurer["id"]},
            r"^/v1/accreditations/\{id\}$": {"path.id": accreditation["id"]},
            r"^/v1/ehbo-certificates/\{id\}": {"path.id": ehbo["id"]},
            r"^/v1/period-requests/\{id\}": {"path.id": period_request["id"]},
            r"^/v1/clients/\{id\}": {"path.id": invitation["clientId"]},
            r"^/v1/webhooks/\{id\}": {"path.id": webhook["id"]},
        }
        return user["token"]


if __name__ == "__main__":
    server = LiveServer()
    try:
        print(server.seed())
    finally:
        server.stop()
    sys.exit(0)
