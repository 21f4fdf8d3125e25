"""Seeding for the route benchmarks: plain SQL through psql as the owner (only the owner may ANALYZE).

Sizes are given as one `Size`; `seed(size, start)` adds rows numbered from `start` so the growth benchmark
can seed 10 % first and the other 90 % later. Everything is generated in PostgreSQL (generate_series).
"""
import dataclasses
import hashlib
import subprocess


@dataclasses.dataclass
class Size:
    practitioners: int
    accreditations_per_practitioner: int
    clients: int
    regions: int
    audit_events: int
    events: int
    # The start of practitioner n's period (SQL on the integer n of KCKZ-n).
    period_start: str = dataclasses.field(default="'2023-04-01'::date + (n % 1400)", repr=False)

    def scaled(self, fraction: float) -> "Size":
        return dataclasses.replace(
            self,
            practitioners=int(self.practitioners * fraction),
            clients=int(self.clients * fraction),
            audit_events=int(self.audit_events * fraction),
            events=int(self.events * fraction),
        )


# What issue 23 names for `make bench-scale` (100 %), and what `make bench` uses.
# Growth: four-year periods starting on every day of the last four years, so their ends fall on every day of the
# next four and each day's jobs find what a running register would (reminders due, periods just expired);
# KCKZ-2000000 (the dossier) is halfway through hers.
FULL = Size(practitioners=1_000_000, accreditations_per_practitioner=10, clients=200_000, regions=25,
            audit_events=20_000_000, events=1_000_000,
            period_start="current_date - 1460 + ((n - 2000000 + 730) % 1461)")
BENCH = Size(practitioners=100_000, accreditations_per_practitioner=3, clients=20_000, regions=25,
             audit_events=1_000_000, events=100_000)


def psql(url: str, sql: str) -> str:
    out = subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", url], input=sql, text=True, check=True,
                         capture_output=True)
    return out.stdout.strip()


def token_hash_sql(token: str) -> str:
    return "'\\x" + hashlib.sha256(token.encode()).hexdigest() + "'::bytea"


def seed_fixed(owner_url: str, tokens: dict) -> None:
    """The organisations, regions, waitlists, course provider, courses and members the routes act as."""
    members = []
    for role, (kind, avg, token) in tokens.items():
        members.append((role, kind, avg, token))
    sql = ["BEGIN;"]
    sql.append("""
        INSERT INTO organizations (kind, name) VALUES ('insurer', 'Bench verzekeraar'), ('insurer', 'Bench verzekeraar 2'),
               ('careProvider', 'Bench kraamzorg'), ('careProvider', 'Bench kraamzorg 2'), ('ksv', 'Bench KSV'),
               ('courseProvider', 'Bench opleider');
        INSERT INTO regions (name) SELECT 'Bench regio ' || r FROM generate_series(1, 25) r;
        INSERT INTO region_postcode_ranges (region_id, pc_from, pc_to)
            SELECT id, 1000 + 100 * n, 1000 + 100 * n + 99
            FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM regions WHERE name LIKE 'Bench regio %') r;
        INSERT INTO waitlists (region_id, name, status, due_from, due_to)
            SELECT id, 'Bench wachtlijst ' || name, 'open', '2020-01-01', '2099-12-31' FROM regions WHERE name LIKE 'Bench regio %';
        -- The first insurer is preferent in regions 1-5, the second in 6-25; the first provider serves 1-5.
        INSERT INTO region_preferent_insurers (region_id, insurer_id)
            SELECT r.id, o.id FROM regions r, organizations o
            WHERE r.name LIKE 'Bench regio %' AND o.name = CASE WHEN substring(r.name from 13)::int <= 5
                  THEN 'Bench verzekeraar' ELSE 'Bench verzekeraar 2' END;
        INSERT INTO provider_regions (provider_id, region_id)
            SELECT o.id, r.id FROM organizations o, regions r
            WHERE o.name = 'Bench kraamzorg' AND r.name IN ('Bench regio 1', 'Bench regio 2', 'Bench regio 3', 'Bench regio 4', 'Bench regio 5');
        INSERT INTO courses (provider_id, title, format, start_date, status, lines)
            SELECT o.id, 'Bench ' || g, 'classroom', '2020-01-01', 'pending',
                   '[{"norm":"2023","category":"C","subject":null,"points":0.5},{"norm":"2023","category":"A","subject":"ehbo-theorie","points":1},{"norm":"2019","category":"C","subject":null,"points":0.5}]'
            FROM organizations o, generate_series(1, 8) g WHERE o.name = 'Bench opleider';
        -- Accredited by the register (DOMAIN §3a): version 1 in force, every booking under it.
        INSERT INTO course_versions (course_id, version, status, lines, proposed_lines, decided_at)
            SELECT id, 1, 'accredited', lines, lines, now() FROM courses WHERE title LIKE 'Bench %';
        UPDATE courses SET status = 'accredited', accredited_version = 1 WHERE title LIKE 'Bench %';
    """)
    org_for = {"insurer": "Bench verzekeraar", "careProvider": "Bench kraamzorg", "coordinator": "Bench KSV"}
    for role, kind, avg, token in members:
        org = org_for[kind]
        sql.append(f"""
            WITH u AS (INSERT INTO users (name, email) VALUES ('Bench {role}', 'bench-{role}@example.nl') RETURNING id),
                 m AS (INSERT INTO memberships (user_id, organization_id, role, avg_access, manager, region_ids)
                       SELECT u.id, o.id, '{kind}', {str(avg).lower()}, false,
                              CASE WHEN '{kind}' = 'coordinator'
                                   THEN ARRAY(SELECT id FROM regions WHERE name = 'Bench regio 1') ELSE '{{}}'::uuid[] END
                       FROM u, organizations o WHERE o.name = '{org}' RETURNING id)
            INSERT INTO api_tokens (membership_id, token_hash, expires_at) SELECT m.id, {token_hash_sql(token)}, now() + interval '1 day' FROM m;
        """)
    sql.append("COMMIT;")
    psql(owner_url, "\n".join(sql))


def seed(owner_url: str, size: Size, start: Size) -> None:
    """Adds the rows numbered from `start` up to `size` (both counts of the same kinds)."""
    p0, p1 = start.practitioners, size.practitioners
    c0, c1 = start.clients, size.clients
    a0, a1 = start.audit_events, size.audit_events
    e0, e1 = start.events, size.events
    per = size.accreditations_per_practitioner
    psql(owner_url, f"""
        SET maintenance_work_mem = '1GB';
        BEGIN;
        -- Practitioners KCKZ-2000000...: periods spread over four years (`Size.period_start`).
        INSERT INTO practitioners (registration_number, first_name, last_name, email, diploma_obtained_on)
            SELECT 'KCKZ-' || (2000000 + g), 'Voornaam' || g, 'Achternaam' || g, 'p' || g || '@example.nl', '2019-01-01'
            FROM generate_series({p0}, {p1 - 1}) g;
        INSERT INTO registration_periods (practitioner_id, start_date, end_date, registered_on, norm_code, status)
            SELECT id, s, (s + interval '4 years' - interval '1 day')::date, s, '2023', 'active'
            FROM (SELECT id, {size.period_start} AS s
                  FROM (SELECT id, substring(registration_number from 6)::int AS n FROM practitioners) p
                  WHERE n BETWEEN {2000000 + p0} AND {2000000 + p1 - 1}) x;
        INSERT INTO certificates (practitioner_id, period_id, verification_code, registration_number, name, valid_from, valid_until, issued_on)
            SELECT p.id, rp.id, 'BENCH-' || p.registration_number, p.registration_number, p.first_name || ' ' || p.last_name,
                   rp.start_date, rp.end_date, rp.start_date
            FROM practitioners p JOIN registration_periods rp ON rp.practitioner_id = p.id
            WHERE substring(p.registration_number from 6)::int BETWEEN {2000000 + p0} AND {2000000 + p1 - 1};
        -- {per} completions each, within her period, on eight courses.
        INSERT INTO accreditations (course_id, course_version, practitioner_id, completed_on, recorded_on, late)
            SELECT c.id, 1, rp.practitioner_id, rp.start_date + 30 * k + 1, rp.start_date + 30 * k + 1, false
            FROM registration_periods rp
            JOIN practitioners p ON p.id = rp.practitioner_id
            CROSS JOIN generate_series(0, {per - 1}) k
            JOIN courses c ON c.title = 'Bench ' || (1 + k % 8)
            WHERE substring(p.registration_number from 6)::int BETWEEN {2000000 + p0} AND {2000000 + p1 - 1}
              AND rp.start_date + 30 * k + 1 <= current_date;
        -- The dossier benchmark's practitioner (KCKZ-2000000) has 30 completions in her current period.
        INSERT INTO accreditations (course_id, course_version, practitioner_id, completed_on, recorded_on, late)
            SELECT c.id, 1, rp.practitioner_id, rp.start_date + 7 * k + 2, rp.start_date + 7 * k + 2, false
            FROM registration_periods rp JOIN practitioners p ON p.id = rp.practitioner_id
            CROSS JOIN generate_series(0, 29) k JOIN courses c ON c.title = 'Bench ' || (1 + k % 8)
            WHERE p.registration_number = 'KCKZ-2000000' AND {p0} = 0;
        -- Clients over the 25 regions, insured half with each insurer, in every status.
        INSERT INTO clients (waitlist_id, region_id, insurer_id, insurer_group_id, client_number, status, due_date, postcode_area, postcode,
                             email, first_name, last_name, phone, placed_at, enrolling_provider_id, enrolled_on)
            SELECT w.id, w.region_id, i.id, i.id, 'B' || g, st, '2026-01-01'::date + (g % 500), rr.pc_from + (g % 100),
                   CASE WHEN st = 'withdrawn' THEN NULL ELSE (rr.pc_from + (g % 100))::text || 'AB' END,
                   CASE WHEN st = 'withdrawn' THEN NULL ELSE 'c' || g || '@example.nl' END,
                   CASE WHEN st = 'withdrawn' THEN NULL ELSE 'Cliënt' END, CASE WHEN st = 'withdrawn' THEN NULL ELSE 'B' || g END,
                   CASE WHEN st = 'withdrawn' THEN NULL ELSE '06 12345678' END, now() - (g % 300) * interval '1 day',
                   CASE WHEN st = 'enrolled' THEN pr.id END, CASE WHEN st = 'enrolled' THEN current_date - (g % 100) END
            FROM generate_series({c0}, {c1 - 1}) g
            CROSS JOIN LATERAL (SELECT (ARRAY['waiting','waiting','enrolled','birthReported','withdrawn'])[1 + g % 5] AS st) s
            JOIN waitlists w ON w.name = 'Bench wachtlijst Bench regio ' || (1 + g % 25)
            JOIN region_postcode_ranges rr ON rr.region_id = w.region_id
            JOIN organizations i ON i.name = CASE WHEN g % 2 = 0 THEN 'Bench verzekeraar' ELSE 'Bench verzekeraar 2' END
            JOIN organizations pr ON pr.name = CASE WHEN (1 + g % 25) <= 5 THEN 'Bench kraamzorg' ELSE 'Bench kraamzorg 2' END;
        -- The audit log over the last 24 months, each month in its own partition (as the service keeps them; the
        -- migration and the daily job only make this month's and the coming ones, so the past months are made here).
        SELECT audit_events_create_partition((date_trunc('month', now() AT TIME ZONE 'UTC') - m * interval '1 month')::date)
        FROM generate_series(0, 25) m;
        INSERT INTO audit_events (at, action, user_name, role, object_type, object_id, client_id, request_id)
            SELECT now() - (g % 730) * interval '1 day' - (g % 86400) * interval '1 second', 'read', 'Bench', 'insurer',
                   'client', gen_random_uuid(), NULL, 'bench-' || g
            FROM generate_series({a0}, {a1 - 1}) g;
        -- The event feed: approvals of the seeded practitioners' periods, as the review writes them.
        INSERT INTO events (type, practitioner_id, data)
            SELECT 'period.approved', p.id, jsonb_build_object('registrationNumber', p.registration_number)
            FROM generate_series({e0}, {e1 - 1}) g JOIN practitioners p ON p.registration_number = 'KCKZ-' || (2000000 + g % {max(p1, 1)});
        COMMIT;
        -- As a running database would be: visibility maps set (index-only scans) and statistics current, so the
        -- measurements do not race autovacuum over the rows just loaded.
        VACUUM (ANALYZE);
    """)
