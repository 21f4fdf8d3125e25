// Migration 0025 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0025_client_counts_and_bookings = Migration(
        version: 25, name: "client_counts_and_bookings",
        sql: #"""
            -- 0025 the `total` of a client list without counting her rows (issue 23): how many clients there are per
            -- combination of the columns the visibility rules and the plain filters look at (region, insurer, waitlist,
            -- status, enrolling provider), kept by statement triggers on clients. A list without a due date, urgency or
            -- postcode filter sums these (a few hundred rows) instead of counting every client the viewer may see.
            -- A statement's changes are added up per combination and written in key order, so statements lock the
            -- rows they share in the same order; a combination whose clients are all gone keeps its row with n = 0.
            CREATE TABLE client_counts (
                region_id              uuid NOT NULL,
                insurer_id             uuid NOT NULL,
                waitlist_id            uuid NOT NULL,
                status                 text NOT NULL,
                enrolling_provider_id  uuid,
                n                      bigint NOT NULL,
                CONSTRAINT client_counts_key UNIQUE NULLS NOT DISTINCT (region_id, insurer_id, waitlist_id, status, enrolling_provider_id)
            );

            -- Adds one statement's changes: +1 per new row, -1 per old row (an update that moves no client nets 0).
            CREATE FUNCTION client_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO client_counts AS k (region_id, insurer_id, waitlist_id, status, enrolling_provider_id, n)
                    SELECT region_id, insurer_id, waitlist_id, status, enrolling_provider_id, count(*) FROM new_rows
                    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
                    ON CONFLICT ON CONSTRAINT client_counts_key DO UPDATE SET n = k.n + excluded.n;
                ELSIF TG_OP = 'DELETE' THEN
                    INSERT INTO client_counts AS k (region_id, insurer_id, waitlist_id, status, enrolling_provider_id, n)
                    SELECT region_id, insurer_id, waitlist_id, status, enrolling_provider_id, -count(*) FROM old_rows
                    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
                    ON CONFLICT ON CONSTRAINT client_counts_key DO UPDATE SET n = k.n + excluded.n;
                ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO client_counts AS k (region_id, insurer_id, waitlist_id, status, enrolling_provider_id, n)
                    SELECT region_id, insurer_id, waitlist_id, status, enrolling_provider_id, sum(d)
                    FROM (SELECT *, 1 AS d FROM new_rows UNION ALL SELECT *, -1 AS d FROM old_rows) changes
                    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
                    ON CONFLICT ON CONSTRAINT client_counts_key DO UPDATE SET n = k.n + excluded.n;
                ELSE
                    DELETE FROM client_counts;
                END IF;
                RETURN NULL;
            END;
            $$;

            CREATE TRIGGER client_counts_insert AFTER INSERT ON clients REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION client_counts_apply();
            CREATE TRIGGER client_counts_update AFTER UPDATE ON clients REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION client_counts_apply();
            CREATE TRIGGER client_counts_delete AFTER DELETE ON clients REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION client_counts_apply();
            CREATE TRIGGER client_counts_truncate AFTER TRUNCATE ON clients
                FOR EACH STATEMENT EXECUTE FUNCTION client_counts_apply();

            INSERT INTO client_counts (region_id, insurer_id, waitlist_id, status, enrolling_provider_id, n)
            SELECT region_id, insurer_id, waitlist_id, status, enrolling_provider_id, count(*) FROM clients GROUP BY 1, 2, 3, 4, 5;

            -- The dossier watcher reads only bookings (WorkerCursors.bookings) and its cursor moves only over them: the
            -- bookings alone in feed order, so a pass reads the bookings after its cursor, not every other event since.
            CREATE INDEX events_bookings ON events (txid, seq) WHERE type = 'accreditation.booked';

            """#)
}
