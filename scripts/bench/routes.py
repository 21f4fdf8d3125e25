#!/usr/bin/env python3
"""Route benchmarks against their real ceiling (issue 23).

`make bench` (default): each database-backed route under wrk, alternating with pgbench -M prepared running
that route's own statements (captured from the server's session, see capture.py), for ROUNDS rounds; prints
medians and the ratio route/pgbench next to the goal.

`make bench-scale` (--growth): seeds 10 % of issue 23's size, copies it to a second database, seeds the other
90 % into the first, then measures p50/p99 of each route at low concurrency on both sizes side by side, prints
the ratio (goal <= 1.3), then times the daily jobs over the full size (goal < 60 s each).

Runs inside scripts/with-test-postgres.sh (DATABASE_URL, DATABASE_OWNER_URL, TEST_PG_DIR, TEST_PG_PORT).
"""
import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import capture  # noqa: E402
import seed  # noqa: E402


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# Every server started, stopped when the run ends however it ends.
STARTED = []


class Server:
    def __init__(self, binary: str, admin_token: str, work: str, extra_env: dict | None = None, name: str = "server"):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, ADMIN_TOKEN=admin_token, PORT=str(self.port), HOST="127.0.0.1", LOG_LEVEL="error",
                   PUBLIC_RATE_LIMIT_PER_MINUTE="1000000000", LOOKUP_RATE_LIMIT_PER_MINUTE="1000000000",
                   LOOKUP_NUMBERS_PER_MINUTE="1000000000", JOBS_INTERVAL_SECONDS="86400",
                   MAIL_DIR=os.path.join(work, "mail"), **(extra_env or {}))
        self.log = open(os.path.join(work, name + ".log"), "w")
        self.proc = subprocess.Popen([binary], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        STARTED.append(self)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/readyz", timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        raise SystemExit("server did not become ready; see " + self.log.name)

    def get(self, path: str, token: str | None = None) -> bytes:
        req = urllib.request.Request(self.base + path)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.read()

    def post(self, path: str, token: str) -> dict:
        req = urllib.request.Request(self.base + path, data=b"", method="POST")
        req.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(req, timeout=600) as r:
            return json.load(r)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def wrk(args: list) -> tuple:
    """(req/s, p50 ms, p99 ms)"""
    out = subprocess.run(["wrk", "--latency"] + args, capture_output=True, text=True, check=True).stdout
    rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec:")))

    def ms(label):
        text = next(line.split()[1] for line in out.splitlines() if line.strip().startswith(label))
        for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
            if text.endswith(unit):
                return float(text[: -len(unit)]) * factor
        return float(text)
    # Only 2xx answers count as served: a route that sheds load (503) is reported, not hidden in its req/s.
    failed = next((int(line.split()[-1]) for line in out.splitlines() if "Non-2xx" in line), 0)
    total = next((int(line.split()[0]) for line in out.splitlines() if " requests in " in line), 0)
    if failed:
        print(f"  wrk: {failed} of {total} answers were not 2xx", file=sys.stderr)
        rps *= (total - failed) / total if total else 0
    return rps, ms("50%"), ms("99%")


def pgbench(url: str, script: str, clients: int, duration: int) -> float:
    out = subprocess.run(["pgbench", "-n", "-M", "prepared", "-f", script, "-c", str(clients), "-j", "2", "-T", str(duration), url],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("pgbench failed:\n" + out.stderr[-2000:])
    return float(next(line.split()[2] for line in out.stdout.splitlines() if line.startswith("tps")))


def routes(tokens: dict, practitioners: int) -> list:
    """(name, path, token, lua, goal, vary): the routes issue 23 names; vary turns the captured statements into the
    reference's pgbench script when wrk's requests vary (the lookup's numbers)."""
    lookup_lua = ("math.randomseed(os.time())\nrequest = function()\n"
                  f"  return wrk.format('GET', string.format('/v1/register/KCKZ-%d', 2000000 + math.random(0, {practitioners - 1})))\nend\n")
    # The reference asks for the same numbers as wrk does: one number over and over is a cheaper workload (its rows stay
    # in the CPU's caches), so a fixed literal would make a ceiling this route never has.
    def lookup_reference(script: str) -> str:
        varied = script.replace("'KCKZ-2000001'", "('KCKZ-' || :k)")
        assert varied != script, "the lookup's captured statement no longer names KCKZ-2000001"
        return f"\\set k random(2000000, {2000000 + practitioners - 1})\n" + varied
    return [
        ("lookup", "/v1/register/KCKZ-2000001", None, lookup_lua, 0.6, lookup_reference),
        ("me", "/v1/me", tokens["insurer"][2], None, 0.6, None),
        # The same route on an instance without the token cache: what every request cost before it, and what a
        # request costs right after a revocation has emptied the caches (UNCACHED: measured on that instance).
        ("me, token cache off", "/v1/me", tokens["insurer"][2], None, 0.6, None),
        ("dossier", "/v1/practitioners/KCKZ-2000000/periods/current/dossier", "ADMIN", None, 0.4, None),
        ("clients (preferent insurer)", "/v1/clients?limit=50", tokens["insurer"][2], None, 0.4, None),
        ("clients (provider)", "/v1/clients?limit=50", tokens["provider"][2], None, 0.4, None),
        ("clients (coordinator)", "/v1/clients?limit=50", tokens["coordinator"][2], None, 0.4, None),
        # Measured against its reference like the others, but issue 23 sets the feed no goal.
        ("event feed", "/v1/events?limit=50", "ADMIN", None, None, None),
    ]


# Routes measured on a second instance started with TOKEN_CACHE_SECONDS=0 (not in the growth table).
UNCACHED = {"me, token cache off"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", default=".build/release/kraamzorg-server")
    ap.add_argument("--growth", action="store_true", help="bench-scale: 10 % then 100 % of issue 23's size")
    ap.add_argument("--fraction", type=float, default=1.0, help="bench-scale: the size to reach, as a fraction of issue 23's")
    ap.add_argument("--rounds", type=int, default=int(os.environ["ROUNDS"]) if "ROUNDS" in os.environ else None,
                    help="rounds per route (3; 5 with --growth, whose p99 needs them)")
    ap.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", 8)))
    ap.add_argument("--clients", type=int, default=int(os.environ.get("CLIENTS", 64)))
    ap.add_argument("--only", action="append", metavar="NAME",
                    help="bench only the route(s) named so (repeatable; e.g. --only lookup); the batch is then left out")
    a = ap.parse_args()
    a.rounds = a.rounds or (5 if a.growth else 3)
    owner = os.environ.get("DATABASE_OWNER_URL") or os.environ["DATABASE_URL"]
    app_url = os.environ["DATABASE_URL"]
    port, pgdir = os.environ["TEST_PG_PORT"], os.environ["TEST_PG_DIR"]
    work = tempfile.mkdtemp(prefix="bench-routes.")
    admin = "bench-" + secrets.token_hex(16)
    tokens = {"insurer": ("insurer", True, "ins-" + secrets.token_hex(16)),
              "provider": ("careProvider", True, "pro-" + secrets.token_hex(16)),
              "coordinator": ("coordinator", True, "coo-" + secrets.token_hex(16))}
    server = Server(a.server, admin, work)
    try:
        server.get("/v1/norms")  # the norms are seeded on first use
        seed.seed_fixed(owner, tokens)
        empty = seed.Size(0, 0, 0, 0, 0, 0)
        if a.growth:
            growth(server, owner, admin, tokens, work, a, empty)
        else:
            t = time.time()
            seed.seed(owner, seed.BENCH, empty)
            print(f"seeded {seed.BENCH} in {time.time() - t:.0f} s", file=sys.stderr)
            uncached = None
            if not a.only or UNCACHED & set(a.only):
                uncached = Server(a.server, admin, work, {"TOKEN_CACHE_SECONDS": "0"}, name="server-uncached")
            reference(server, uncached, app_url, port, pgdir, admin, tokens, work, a)
            if not a.only:
                batch(server, owner, admin)
    finally:
        for started in STARTED:
            started.stop()


def run_wrk(server, path, token, lua, work, connections, duration):
    args = ["-t2", f"-c{connections}", f"-d{duration}s"]
    if token:
        args += ["-H", f"Authorization: Bearer {token}"]
    if lua:
        script = os.path.join(work, "route.lua")
        with open(script, "w") as f:
            f.write(lua)
        args += ["-s", script]
    return wrk(args + [server.base + path])


def reference(cached, uncached, app_url, port, pgdir, admin, tokens, work, a):
    rows = []
    for name, path, token, lua, goal, vary in routes(tokens, seed.BENCH.practitioners):
        if a.only and name not in a.only:
            continue
        server = uncached if name in UNCACHED else cached
        token = admin if token == "ADMIN" else token
        for _ in range(3):
            server.get(path, token)
        # The log holds every session's statements: a background tick of the server (the delivery service, the
        # dossier watcher) can fall in the window. It only ever adds statements, so the shortest of three captures is the route's.
        stmts = min((capture.capture(port, os.path.join(pgdir, "postgres.log"), lambda: server.get(path, token)) for _ in range(3)),
                    key=len)
        script = os.path.join(work, "".join(ch if ch.isalnum() else "-" for ch in name) + ".sql")
        with open(script, "w") as f:
            script_text = capture.pgbench_script(stmts)
            f.write(vary(script_text) if vary and stmts else script_text)
        ours, ref, p99s = [], [], []
        for _ in range(a.rounds):
            rps, _, p99 = run_wrk(server, path, token, lua, work, a.clients, a.duration)
            ours.append(rps)
            p99s.append(p99)
            # A route answered without SQL (from the token cache, say) has no database ceiling.
            ref.append(pgbench(app_url, script, a.clients, a.duration) if stmts else float("nan"))
        r = statistics.median(o / p for o, p in zip(ours, ref)) if stmts else float("nan")
        rows.append((name, len(stmts), statistics.median(ours), statistics.median(p99s), statistics.median(ref), r, goal))
        print(f"{name}: {len(stmts)} statements; ours {ours} req/s, pgbench {ref} tps", file=sys.stderr)
        for s in stmts:
            print("  captured: " + " ".join(s.split())[:160], file=sys.stderr)
    print(f"\n{'route':30} {'stmts':>5} {'req/s':>9} {'p99 ms':>8} {'pgbench tps':>12} {'ratio':>6}  goal")
    for name, n, rps, p99, ref, r, goal in rows:
        target = "(none set)" if goal is None else f">= {goal}"
        mark = "no SQL" if n == 0 else ("" if goal is None else ("ok" if r >= goal else "BELOW"))
        print(f"{name:30} {n:>5} {rps:>9.0f} {p99:>8.2f} {ref:>12.0f} {r:>6.2f}  {target} {mark}")
    print(f"(medians of {a.rounds} alternating rounds, {a.clients} connections, {a.duration} s each; "
          "pgbench -M prepared on the statements the server ran for that route)")


def batch(server, owner, admin):
    """One POST /v1/accreditations of 10,000 completions (8 courses x 1,250 days) for KCKZ-2000600 (her period starts 2023-04-01)."""
    import datetime
    courses = seed.psql(owner, "SELECT id FROM courses WHERE title LIKE 'Bench %' ORDER BY title").split()
    start = datetime.date(2023, 4, 2)
    items = [{"courseId": courses[i % 8], "registrationNumber": "KCKZ-2000600",
              "completedOn": (start + datetime.timedelta(days=i // 8)).isoformat()} for i in range(10000)]
    req = urllib.request.Request(server.base + "/v1/accreditations", data=json.dumps({"items": items}).encode(), method="POST")
    req.add_header("Authorization", "Bearer " + admin)
    req.add_header("Content-Type", "application/json")
    t = time.time()
    with urllib.request.urlopen(req, timeout=600) as r:
        answer = json.load(r)
    took = time.time() - t
    booked = sum(1 for x in answer["results"] if x["status"] == 201)
    print(f"\nbatch of 10,000 completions: {took:.2f} s, {booked} booked (goal < 1 s)")


def growth(server, owner, admin, tokens, work, a, empty):
    """Both sizes measured side by side: 10 % is seeded and copied to a second database, the main one grows to 100 %,
    and each round measures a route on the 10 % instance and on the full one back to back (in alternating order). A
    round's ratio compares two measurements minutes apart at most; the table gives the median of the rounds' ratios,
    as `make bench` does against its references. (Measuring 10 % first and 100 % after the seeding compared windows
    15 minutes apart on this shared machine: the clients pages' p99 then swung 0.2-1.9x between runs.)"""
    port = os.environ["TEST_PG_PORT"]
    full = seed.FULL.scaled(a.fraction)
    small = full.scaled(0.1)
    # The load writes tens of GB of WAL: checkpoints every 8 GB rather than every 1 GB while seeding (a setting of
    # this throwaway cluster only).
    capture.superuser(port, "ALTER SYSTEM SET max_wal_size = '8GB'")
    capture.superuser(port, "SELECT pg_reload_conf()")
    t = time.time()
    seed.seed(owner, small, empty)
    print(f"seeded 10%: {small} in {time.time() - t:.0f} s", file=sys.stderr)
    # A database can only be copied while nobody is connected to it.
    server.stop()
    main_db = urllib.parse.urlsplit(owner).path.lstrip("/")
    copy_db = main_db + "_small"
    owner_role = urllib.parse.urlsplit(owner).username
    capture.superuser(port, f'CREATE DATABASE "{copy_db}" TEMPLATE "{main_db}" OWNER "{owner_role}" STRATEGY FILE_COPY')
    server = Server(a.server, admin, work, name="server-full")
    t = time.time()
    seed.seed(owner, full, small)
    print(f"seeded 100%: {full} in {time.time() - t:.0f} s", file=sys.stderr)
    small_env = {"DATABASE_URL": on_database(os.environ["DATABASE_URL"], copy_db),
                 "DATABASE_OWNER_URL": on_database(owner, copy_db)}
    server_small = Server(a.server, admin, work, small_env, name="server-small")
    # The load's dirty pages written out now, not by a checkpoint in the middle of a measurement.
    capture.superuser(port, "CHECKPOINT")
    rounds = {}
    sizes = [("10%", server_small, small), ("100%", server, full)]
    # Each route's wrk script per size: the lookup asks for numbers across the whole register of that size.
    scripts = {label: {r[0]: r[3] for r in routes(tokens, size.practitioners)} for label, _, size in sizes}
    for i in range(a.rounds):
        for name, path, token, _lua, _goal, _vary in routes(tokens, small.practitioners):
            if (a.only and name not in a.only) or name in UNCACHED:
                continue
            token = admin if token == "ADMIN" else token
            measured = {}
            for label, srv, _size in sizes if i % 2 == 0 else sizes[::-1]:
                srv.get(path, token)
                _, p50, p99 = run_wrk(srv, path, token, scripts[label][name], work, 8, a.duration)
                measured[label] = (p50, p99)
                print(f"  {label} {name}: p50 {p50:.2f} ms p99 {p99:.2f} ms", file=sys.stderr)
            rounds.setdefault(name, []).append(measured)
    print(f"\n{'route':30} {'p50 10%':>8} {'p50 100%':>9} {'ratio':>6} {'p99 10%':>8} {'p99 100%':>9} {'ratio':>6}  goal <= 1.3")
    for name, r in rounds.items():
        def median(label, k):
            return statistics.median(m[label][k] for m in r)
        r50 = statistics.median(m["100%"][0] / m["10%"][0] for m in r)
        r99 = statistics.median(m["100%"][1] / m["10%"][1] for m in r)
        ok = "ok" if r50 <= 1.3 and r99 <= 1.3 else "ABOVE"
        print(f"{name:30} {median('10%', 0):>8.2f} {median('100%', 0):>9.2f} {r50:>6.2f} "
              f"{median('10%', 1):>8.2f} {median('100%', 1):>9.2f} {r99:>6.2f}  {ok}")
        per_round = " ".join(f"{m['100%'][1] / m['10%'][1]:.2f}" for m in r)
        print(f"{'':30} p99 ratio per round: {per_round}")
    print(f"(wrk, 8 connections, {a.duration} s per route and size, {a.rounds} rounds, each measuring the route on both "
          f"sizes back to back; ratios are medians of the rounds' ratios; size 100% = {full})")
    print(f"\n{'daily job':20} {'seconds':>8}  goal < 60")
    for job in ("reminders", "retention", "weekly-update", "overdue-reviews"):
        seed.psql(owner, f"DELETE FROM job_runs WHERE job = '{job}'")
        t = time.time()
        out = server.post(f"/v1/jobs/{job}/run", admin)
        took = time.time() - t
        print(f"{job:20} {took:>8.1f}  {'ok' if took < 60 else 'ABOVE'}  {json.dumps(out.get('result', {}))}")


def on_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


if __name__ == "__main__":
    main()
