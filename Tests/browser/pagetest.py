"""Shared helpers for the client-page tests: start the built server, call the JSON API, fetch pages."""
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirect)


class Server:
    """The built kraamzorg-server on a free port against DATABASE_URL, with an admin token."""

    def __init__(self, binary, database_url, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.admin_token = "browser-admin-" + uuid.uuid4().hex
        self.database_url = database_url
        env = dict(os.environ, DATABASE_URL=database_url, ADMIN_TOKEN=self.admin_token, PORT=str(self.port),
                   HOST="127.0.0.1", PUBLIC_BASE_URL=self.base, LOG_LEVEL="warn")
        self.log = open(log_path, "w")
        self.process = subprocess.Popen([binary], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {log_path}")
            try:
                if self.request("GET", "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not start within 60 s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def request(self, method, path, body=None, headers=None):
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with _opener.open(req, timeout=30) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def api(self, method, path, payload=None, token=None):
        headers = {"Authorization": f"Bearer {token or self.admin_token}"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        r = self.request(method, path, body, headers)
        if r.status >= 300:
            raise AssertionError(f"{method} {path}: {r.status} {r.text}")
        return r.json() if r.body else None

    def form(self, path, fields, headers=None):
        """POST an HTML form (application/x-www-form-urlencoded); fields is a list of (name, value)."""
        body = urllib.parse.urlencode(fields).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, body, h)

    def sql(self, statement):
        subprocess.run(["psql", self.database_url, "-qAtc", statement], check=True, capture_output=True)

    def sql_value(self, statement, *params):
        """One value from a query; params are bound by psql (-v), never pasted into the SQL text."""
        args = ["psql", self.database_url, "-qAt"]
        for i, p in enumerate(params):
            args += ["-v", f"p{i}={p}"]
        out = subprocess.run(args, input=statement, check=True, capture_output=True, text=True)
        return out.stdout.strip()


class World:
    """A region in code red with a waitlist, an insurer and two care providers, made through the JSON API."""

    _next_pc4 = 5000

    def __init__(self, server, client_info="Vraag: Wanneer hoor ik iets?\nAntwoord: Zodra een kraamzorgaanbieder u inschrijft.\n\nVraag: Kosten?\nAntwoord: Die vallen onder uw basisverzekering."):
        self.server = server
        pc4 = World._next_pc4
        World._next_pc4 += 20
        self.pc4 = pc4
        self.insurer_id = server.api("POST", "/v1/organizations", {"kind": "insurer", "name": f"Zorgverzekeraar {pc4}"})["id"]
        self.region = server.api("POST", "/v1/regions", {
            "name": f"Noord {pc4}", "postcodeRanges": [{"from": pc4, "to": pc4 + 19}],
            "preferentInsurerIds": [self.insurer_id], "clientInfo": client_info})
        today = time.strftime("%Y-%m-%d")
        self.waitlist = server.api("POST", "/v1/waitlists", {
            "regionId": self.region["id"], "name": f"Wachtlijst Noord {pc4}", "status": "open",
            "dueFrom": today, "dueTo": _add_days(250)})
        self.providers = [server.api("POST", "/v1/organizations", {"kind": "careProvider", "name": name, "regionIds": [self.region["id"]]})
                          for name in (f"Kraamzorg De Wieg {pc4}", f"Kraamzorg Het Nest {pc4}")]
        # The region's coordinators work for the KSV, whose contact is in the footer of her pages (DOMAIN §7a).
        self.ksv = server.api("POST", "/v1/organizations", {
            "kind": "ksv", "name": f"KSV Noord {pc4}",
            "contact": {"phone": "050 123 45 67", "email": f"wachtlijst-{pc4}@ksv-noord.example", "website": "https://ksv-noord.example"}})
        self.coordinator_email = f"petra-{pc4}-{uuid.uuid4().hex[:6]}@ksv-noord.example"
        self.coordinator = server.api("POST", "/v1/users", {
            "name": "Petra Jansen", "email": self.coordinator_email, "role": "coordinator", "avgAccess": True,
            "organizationId": self.ksv["id"], "regionIds": [self.region["id"]]})
        self.insurer_name = f"Zorgverzekeraar {pc4}"

    @property
    def postcode(self):
        return f"{self.pc4} AB"

    def invite(self, due_in_days=100):
        email = f"client-{uuid.uuid4().hex[:8]}@example.nl"
        created = self.server.api("POST", f"/v1/waitlists/{self.waitlist['id']}/invitations", {
            "clientNumber": "CN-" + uuid.uuid4().hex[:8], "email": email, "postcode": self.postcode,
            "dueDate": _add_days(due_in_days), "insurerId": self.insurer_id})
        return created["clientId"], self.outbox_link(email, "invitation")

    def outbox_link(self, email, kind):
        """The link in the newest outbox message of `kind` to `email`, read from the database: the API
        shows admins the outbox with link tokens redacted."""
        link = self.server.sql_value(
            "SELECT link FROM notifications WHERE lower(recipient) = lower(:'p0') AND kind = :'p1' ORDER BY created_at DESC LIMIT 1",
            email, kind)
        assert link, f"no {kind} notification for {email}"
        return urllib.parse.urlparse(link).path

    def provider_user(self, index=0):
        """A token of a member of provider `index` with AVG access (to enrol her)."""
        return self.server.api("POST", "/v1/users", {
            "name": "Planner", "email": f"planner-{uuid.uuid4().hex[:8]}@kraamzorg.example", "role": "careProvider",
            "avgAccess": True, "organizationId": self.providers[index]["id"]})["token"]

    def placed(self, first_name="Anna"):
        """A client placed through the JSON route; returns (client id, path of her placement link)."""
        client_id, invitation_path = self.invite()
        token = invitation_path.rsplit("/", 1)[1]
        self.server.api("POST", f"/v1/invitations/{token}/accept", {
            "firstName": first_name, "lastName": "de Vries", "phone": "06 12345678", "postcode": self.postcode,
            "dueDate": _add_days(100), "consent": True})
        email = self.server.api("GET", f"/v1/clients/{client_id}")["email"]
        return client_id, self.outbox_link(email, "placementConfirmation")


def _add_days(n):
    return time.strftime("%Y-%m-%d", time.localtime(time.time() + n * 86400))


def form_token(html):
    import re
    m = re.search(r'name="_form" value="([^"]+)"', html)
    assert m, "no form token in the page"
    return m.group(1)
