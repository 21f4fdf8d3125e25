"""The reference for a route: the SQL statements the server itself ran for one request, as a pgbench script.

The benchmark turns on `log_min_duration_statement = 0` for a moment, makes the request, and reads the
statements back from the cluster's log: each `execute <name>: SQL` with its logged parameters put in as
literals, and each simple `statement: SQL` (BEGIN, COMMIT). Nothing is written by hand, so the reference
cannot drift from the route: it is the route's own SQL, audit insert and transaction included.
"""
import os
import re
import subprocess
import time

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] ", re.M)
EXECUTE = re.compile(r"^LOG:  duration: [\d.]+ ms  (?:execute [^:]+|statement): (.*)$", re.S)
PARAMS = re.compile(r"^DETAIL:  [Pp]arameters: (.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")


def superuser(port: str, sql: str) -> None:
    subprocess.run(["psql", "-qAt", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres", "-c", sql],
                   check=True, capture_output=True)


def entries(text: str):
    starts = [m for m in ENTRY.finditer(text)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        yield m.group(1), text[m.end():end].rstrip("\n")


def statements(log_text: str) -> list:
    """The executed statements in order, parameters inlined."""
    out = []
    pending = None
    for _pid, body in entries(log_text):
        m = EXECUTE.match(body)
        if m:
            if pending is not None:
                out.append(pending)
            pending = m.group(1).strip()
            continue
        p = PARAMS.match(body)
        if p and pending is not None:
            values = {int(n): v for n, v in PARAM.findall(p.group(1))}
            pending = re.sub(r"\$(\d+)", lambda x: values.get(int(x.group(1)), x.group(0)), pending)
    if pending is not None:
        out.append(pending)
    # Leave out the benchmark's own switching of the log (its psql session is logged too) and session set-up.
    skip = ("ALTER SYSTEM", "SELECT PG_RELOAD_CONF", "LISTEN", "UNLISTEN", "SET ", "SHOW ")
    return [s for s in out if not s.upper().startswith(skip)]


def capture(port: str, log_path: str, request) -> list:
    """Runs `request()` once with statement logging on; returns its statements."""
    superuser(port, "ALTER SYSTEM SET log_min_duration_statement = 0")
    superuser(port, "ALTER SYSTEM SET log_parameter_max_length = -1")
    superuser(port, "SELECT pg_reload_conf()")
    time.sleep(0.3)
    offset = os.path.getsize(log_path)
    request()
    time.sleep(0.3)
    superuser(port, "ALTER SYSTEM RESET log_min_duration_statement")
    superuser(port, "SELECT pg_reload_conf()")
    with open(log_path, encoding="utf-8", errors="replace") as f:
        f.seek(offset)
        text = f.read()
    return statements(text)


def pgbench_script(stmts: list) -> str:
    return "".join(s.rstrip().rstrip(";") + ";\n" for s in stmts)
