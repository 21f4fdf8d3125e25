// Migration 0016 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0016_audit_partitions = Migration(
        version: 16, name: "audit_partitions",
        sql: #"""
            -- 0016 the audit log is partitioned by month of `at` (UTC months): a query for a period reads its months only,
            -- and old months can later be detached and archived whole. The primary key becomes (id, at), as a
            -- partitioned table's keys must hold the partition key. The months come from audit_events_create_partitions
            -- (from this migration for the months that have events and the next three, then from every start of the
            -- service and the daily job `auditPartitions`); an event of a month without a partition of its own lands in
            -- audit_events_default, so an insert never fails. A month whose events are already in the default partition
            -- keeps them there (its partition is not made; the function says so with a NOTICE).
            --
            -- Append-only as before: the row trigger refusing UPDATE and DELETE is cloned onto every partition by
            -- PostgreSQL, each partition gets the TRUNCATE trigger of its own, and no role but the owner holds any
            -- privilege on a partition other than SELECT (audit_events_lock_partitions, also run after every grant):
            -- inserts go through audit_events, whose privileges are checked, and the request role can only read a
            -- partition directly (pg_dump as that role reads each one). The functions that make partitions run as their
            -- owner (SECURITY DEFINER), so a partition made by the daily job is the owner's too.
            ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;
            CREATE TABLE audit_events (LIKE audit_events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)
                PARTITION BY RANGE (at);
            CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
            CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

            -- Takes every privilege but SELECT on `partition` from every role but its owner.
            CREATE FUNCTION audit_events_lock_partition(partition regclass) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            DECLARE
                grantee oid;
            BEGIN
                FOR grantee IN
                    SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
                    WHERE c.oid = partition AND a.grantee <> c.relowner
                LOOP
                    IF grantee = 0 THEN
                        EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM PUBLIC', partition);
                    ELSE
                        EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM %s', partition, grantee::regrole);
                    END IF;
                END LOOP;
            END;
            $$;

            -- Every partition of audit_events locked (after grants ON ALL TABLES reached them too); returns how many.
            CREATE FUNCTION audit_events_lock_partitions() RETURNS integer
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            DECLARE
                partition regclass;
                n integer := 0;
            BEGIN
                FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'audit_events'::regclass LOOP
                    PERFORM audit_events_lock_partition(partition);
                    n := n + 1;
                END LOOP;
                RETURN n;
            END;
            $$;

            -- The partition of the UTC month that holds `day` (audit_events_YYYY_MM), unless it exists or the default
            -- partition already holds events of that month; true when it was made now.
            CREATE FUNCTION audit_events_create_partition(day date) RETURNS boolean
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            DECLARE
                first_day date := date_trunc('month', day)::date;
                name text := 'audit_events_' || to_char(first_day, 'YYYY_MM');
                low timestamptz := first_day::timestamp AT TIME ZONE 'UTC';
                high timestamptz := (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC';
            BEGIN
                IF to_regclass(name) IS NOT NULL THEN
                    RETURN false;
                END IF;
                IF to_regclass('audit_events_default') IS NOT NULL THEN
                    IF EXISTS (SELECT 1 FROM audit_events_default WHERE at >= low AND at < high) THEN
                        RAISE NOTICE 'audit events of % are in audit_events_default already: no partition of its own', name;
                        RETURN false;
                    END IF;
                END IF;
                EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)', name, low, high);
                EXECUTE format('CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON %I '
                               'FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()', name);
                PERFORM audit_events_lock_partition(name::regclass);
                RETURN true;
            END;
            $$;

            -- This month's partition and the next `months_ahead` months'; returns how many were made now.
            CREATE FUNCTION audit_events_create_partitions(months_ahead integer DEFAULT 3) RETURNS integer
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            DECLARE
                this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
                made integer := 0;
            BEGIN
                FOR i IN 0..greatest(0, least(months_ahead, 120)) LOOP
                    IF audit_events_create_partition((this_month + make_interval(months => i))::date) THEN
                        made := made + 1;
                    END IF;
                END LOOP;
                RETURN made;
            END;
            $$;

            -- The months that have events, then the coming ones, then the default partition; the events move over.
            DO $$
            DECLARE
                month date;
                definitions text[];
                definition text;
            BEGIN
                FOR month IN
                    SELECT DISTINCT date_trunc('month', at AT TIME ZONE 'UTC')::date FROM audit_events_unpartitioned ORDER BY 1
                LOOP
                    PERFORM audit_events_create_partition(month);
                END LOOP;
                PERFORM audit_events_create_partitions(3);
                CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;
                CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events_default
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
                PERFORM audit_events_lock_partition('audit_events_default');

                INSERT INTO audit_events SELECT * FROM audit_events_unpartitioned;

                -- The indexes the old table had (whichever migrations made them), now on the partitioned table.
                SELECT array_agg(indexdef ORDER BY indexname) INTO definitions FROM pg_indexes
                WHERE schemaname = 'public' AND tablename = 'audit_events_unpartitioned' AND indexname <> 'audit_events_pkey';
                DROP TABLE audit_events_unpartitioned;
                ALTER TABLE audit_events ADD CONSTRAINT audit_events_pkey PRIMARY KEY (id, at);
                FOREACH definition IN ARRAY coalesce(definitions, '{}') LOOP
                    EXECUTE replace(definition, ' ON public.audit_events_unpartitioned ', ' ON public.audit_events ');
                END LOOP;
            END;
            $$;

            """#)
}
