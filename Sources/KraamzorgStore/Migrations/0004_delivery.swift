// Migration 0004 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0004_delivery = Migration(
        version: 4, name: "delivery",
        sql: #"""
            -- 0004 delivery and jobs (issue 13): outbox leases and retries, domain events, webhooks, job runs.

            -- The outbox: a sender claims a row by setting claimed_until (a lease) under FOR UPDATE SKIP LOCKED;
            -- a crash between claim and send leaves the lease to run out, after which any instance retries it.
            ALTER TABLE notifications
                ADD COLUMN next_attempt_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
                ADD COLUMN claimed_until    timestamptz,
                ADD COLUMN claimed_by       uuid;
            DROP INDEX notifications_pending;
            CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';

            -- Domain events, written in the transaction of the change. Readers order by (txid, seq) and only read
            -- events whose transaction is older than every transaction still running, so a cursor never skips an
            -- event that commits late.
            CREATE TABLE events (
                seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id               uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
                txid             xid8 NOT NULL DEFAULT pg_current_xact_id(),
                type             text NOT NULL CHECK (type ~ '^[a-z]+\.[a-zA-Z]+$'),
                occurred_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
                client_id        uuid REFERENCES clients (id),
                -- Register events: the practitioner and, for accreditations, the course provider.
                practitioner_id  uuid,
                organization_id  uuid REFERENCES organizations (id),
                data             jsonb NOT NULL DEFAULT '{}'
            );
            CREATE INDEX events_order ON events (txid, seq);

            -- Webhook subscriptions per organisation. The signing secret is stored as given out (it must be
            -- known to sign), never returned after creation, and readable only by the service's database role.
            CREATE TABLE webhook_subscriptions (
                id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                organization_id  uuid NOT NULL REFERENCES organizations (id),
                url              text NOT NULL CHECK (length(url) <= 2000),
                event_types      text[] NOT NULL,
                secret           text NOT NULL,
                created_by       uuid REFERENCES memberships (id),
                created_at       timestamptz NOT NULL DEFAULT now(),
                deleted_at       timestamptz,
                -- Fan-out position in (txid, seq) order: events after it become deliveries.
                cursor_txid      xid8 NOT NULL DEFAULT pg_snapshot_xmin(pg_current_snapshot()),
                cursor_seq       bigint NOT NULL DEFAULT 0
            );
            CREATE INDEX webhook_subscriptions_org ON webhook_subscriptions (organization_id) WHERE deleted_at IS NULL;

            CREATE TABLE webhook_deliveries (
                id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (id),
                event_seq        bigint NOT NULL REFERENCES events (seq),
                status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
                attempts         integer NOT NULL DEFAULT 0,
                next_attempt_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
                claimed_until    timestamptz,
                claimed_by       uuid,
                last_status      integer,
                last_error       text,
                created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
                delivered_at     timestamptz,
                UNIQUE (subscription_id, event_seq)
            );
            CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

            -- One row per job and period (a day, an ISO week), inserted in the transaction that does the job's
            -- work, under an advisory lock on (job, period): a second instance waits on the lock, then finds the period done.
            CREATE TABLE job_runs (
                job          text NOT NULL,
                period_key   text NOT NULL,
                started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
                finished_at  timestamptz,
                trigger      text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
                result       jsonb NOT NULL DEFAULT '{}',
                PRIMARY KEY (job, period_key)
            );

            """#)
}
