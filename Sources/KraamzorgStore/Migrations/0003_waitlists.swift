// Migration 0003 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0003_waitlists = Migration(
        version: 3, name: "waitlists",
        sql: #"""
            -- Waitlists (code red, DOMAIN §7): regions by PC4 range, waitlists, invitations, clients, consent,
            -- client links, capacity, and the notifications outbox. Depends only on 0001 (identity).

            -- uuid equality inside a GiST exclusion constraint (waitlists per region).
            CREATE EXTENSION IF NOT EXISTS btree_gist;

            CREATE TABLE regions (
                id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
                -- The Q&A sent with a placement confirmation.
                client_info  text NOT NULL DEFAULT '' CHECK (length(client_info) <= 20000),
                created_at   timestamptz NOT NULL DEFAULT now(),
                updated_at   timestamptz NOT NULL DEFAULT now()
            );

            -- A PC4 belongs to at most one region: no two ranges overlap, in one region or across regions.
            CREATE TABLE region_postcode_ranges (
                region_id  uuid NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
                pc_from    integer NOT NULL CHECK (pc_from BETWEEN 1000 AND 9999),
                pc_to      integer NOT NULL CHECK (pc_to BETWEEN 1000 AND 9999),
                pcs        int4range GENERATED ALWAYS AS (int4range(pc_from, pc_to, '[]')) STORED,
                CHECK (pc_from <= pc_to),
                CONSTRAINT region_postcode_ranges_no_overlap EXCLUDE USING gist (pcs WITH &&)
            );
            CREATE INDEX region_postcode_ranges_region ON region_postcode_ranges (region_id);

            -- Per region an insurer is preferent or not (a label inherits its parent's standing, in the store).
            CREATE TABLE region_preferent_insurers (
                region_id   uuid NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
                insurer_id  uuid NOT NULL REFERENCES organizations (id),
                PRIMARY KEY (region_id, insurer_id)
            );
            CREATE INDEX region_preferent_insurers_insurer ON region_preferent_insurers (insurer_id);

            -- The regions a care provider serves.
            CREATE TABLE provider_regions (
                provider_id  uuid NOT NULL REFERENCES organizations (id),
                region_id    uuid NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
                PRIMARY KEY (provider_id, region_id)
            );
            CREATE INDEX provider_regions_region ON provider_regions (region_id);

            CREATE TABLE waitlists (
                id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                region_id   uuid NOT NULL REFERENCES regions (id),
                name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
                status      text NOT NULL CHECK (status IN ('open', 'closed')),
                due_from    date NOT NULL,
                due_to      date NOT NULL,
                created_at  timestamptz NOT NULL DEFAULT now(),
                updated_at  timestamptz NOT NULL DEFAULT now(),
                CHECK (due_from <= due_to),
                -- Within a region the due-date ranges do not overlap (closed lists too: they may reopen).
                CONSTRAINT waitlists_no_overlap EXCLUDE USING gist (region_id WITH =, daterange(due_from, due_to, '[]') WITH &&)
            );

            -- A client from her invitation on. Personal fields are NULL until she accepts, and again once erased.
            CREATE TABLE clients (
                id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                waitlist_id             uuid NOT NULL REFERENCES waitlists (id),
                region_id               uuid NOT NULL REFERENCES regions (id),
                insurer_id              uuid NOT NULL REFERENCES organizations (id),
                -- The insurer, or a label's parent: client numbers are unique per group while active.
                insurer_group_id        uuid NOT NULL REFERENCES organizations (id),
                client_number           text NOT NULL CHECK (length(client_number) BETWEEN 1 AND 64),
                status                  text NOT NULL CHECK (status IN ('invited', 'waiting', 'enrolled', 'withdrawn', 'birthReported')),
                due_date                date NOT NULL,
                postcode_area           integer NOT NULL CHECK (postcode_area BETWEEN 1000 AND 9999),
                postcode                text CHECK (postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'),
                email                   text CHECK (length(email) <= 254),
                first_name              text CHECK (length(first_name) <= 200),
                last_name               text CHECK (length(last_name) <= 200),
                phone                   text CHECK (length(phone) <= 40),
                preferred_provider_ids  uuid[] NOT NULL DEFAULT '{}',
                invited_at              timestamptz NOT NULL DEFAULT now(),
                invited_by              uuid REFERENCES memberships (id),
                placed_at               timestamptz,
                enrolled_at             timestamptz,
                enrolled_on             date,
                enrolling_provider_id   uuid REFERENCES organizations (id),
                enrolled_from_status    text CHECK (enrolled_from_status IN ('waiting', 'birthReported')),
                birth_reported_at       timestamptz,
                born_on                 date,
                withdrawn_at            timestamptz,
                withdrawal_reason       text,
                erased_at               timestamptz,
                updated_at              timestamptz NOT NULL DEFAULT now(),
                CHECK ((status = 'enrolled') = (enrolling_provider_id IS NOT NULL))
            );
            CREATE UNIQUE INDEX clients_active_number ON clients (insurer_group_id, client_number) WHERE status <> 'withdrawn';
            CREATE INDEX clients_waitlist ON clients (waitlist_id, due_date);
            CREATE INDEX clients_region ON clients (region_id, status, due_date);
            CREATE INDEX clients_due ON clients (due_date, id);

            -- Invitation links: only the SHA-256 of the token; 14 days; single use.
            CREATE TABLE invitations (
                id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                client_id   uuid NOT NULL REFERENCES clients (id),
                token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
                created_at  timestamptz NOT NULL DEFAULT now(),
                expires_at  timestamptz NOT NULL,
                used_at     timestamptz
            );
            CREATE INDEX invitations_client ON invitations (client_id);

            -- Consent with the version of the text she agreed to; withdrawal keeps the record.
            CREATE TABLE consents (
                id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                client_id     uuid NOT NULL REFERENCES clients (id),
                version       text NOT NULL,
                given_at      timestamptz NOT NULL DEFAULT now(),
                withdrawn_at  timestamptz
            );
            CREATE INDEX consents_client ON consents (client_id);

            -- The client's own link (confirmation mail): hashed; expires 90 days after her due date.
            CREATE TABLE client_links (
                id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                client_id   uuid NOT NULL REFERENCES clients (id),
                token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
                created_at  timestamptz NOT NULL DEFAULT now(),
                expires_at  timestamptz NOT NULL
            );
            CREATE INDEX client_links_client ON client_links (client_id);

            -- Places a care provider publishes per region and due-date ISO week.
            CREATE TABLE capacity (
                provider_id  uuid NOT NULL REFERENCES organizations (id),
                region_id    uuid NOT NULL REFERENCES regions (id),
                week         text NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
                week_start   date NOT NULL,
                places       integer NOT NULL CHECK (places BETWEEN 0 AND 100000),
                updated_at   timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (provider_id, region_id, week)
            );
            CREATE INDEX capacity_region_week ON capacity (region_id, week_start);

            -- The outbox: written in the transaction of the change that causes it; a job sends it.
            CREATE TABLE notifications (
                id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                kind             text NOT NULL CHECK (kind IN ('invitation', 'placementConfirmation', 'providerNotice', 'enrolmentNotice',
                                                               'urgentBirthNotice', 'reminder', 'weeklyUpdate', 'reviewOutcome', 'overdueReviews')),
                recipient        text NOT NULL,
                organization_id  uuid REFERENCES organizations (id),
                client_id        uuid REFERENCES clients (id),
                subject          text NOT NULL,
                body             text NOT NULL,
                link             text,
                status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
                attempts         integer NOT NULL DEFAULT 0,
                last_error       text,
                created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
                sent_at          timestamptz
            );
            CREATE INDEX notifications_pending ON notifications (created_at) WHERE status = 'pending';
            CREATE INDEX notifications_recipient ON notifications (lower(recipient), created_at);
            CREATE INDEX notifications_client ON notifications (client_id) WHERE client_id IS NOT NULL;

            """#)
}
