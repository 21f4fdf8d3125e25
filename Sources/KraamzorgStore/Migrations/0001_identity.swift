// Migration 0001 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0001_identity = Migration(
        version: 1, name: "identity",
        sql: #"""
            -- Identity: organisations, users, memberships (user x organisation x role), API tokens, and the audit log.

            CREATE TABLE organizations (
                id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                kind        text NOT NULL CHECK (kind IN ('register', 'insurer', 'careProvider', 'courseProvider', 'ksv')),
                name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
                parent_id   uuid REFERENCES organizations (id),
                agb_code    text CHECK (agb_code ~ '^[0-9]{8}$'),
                kvk_number  text CHECK (kvk_number ~ '^[0-9]{8}$'),
                created_at  timestamptz NOT NULL DEFAULT now(),
                updated_at  timestamptz NOT NULL DEFAULT now(),
                -- Only an insurer has labels, and a label is itself an insurer (checked in the store, as it spans rows).
                CHECK (parent_id IS NULL OR kind = 'insurer'),
                CHECK (parent_id IS DISTINCT FROM id)
            );
            CREATE UNIQUE INDEX organizations_one_register ON organizations (kind) WHERE kind = 'register';
            CREATE INDEX organizations_parent ON organizations (parent_id) WHERE parent_id IS NOT NULL;

            -- The register itself: the organisation of admins (and of coordinators employed by the register).
            INSERT INTO organizations (kind, name) VALUES ('register', 'Kwaliteitsregister Kraamzorg');

            CREATE TABLE users (
                id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
                email       text NOT NULL CHECK (length(email) <= 254),
                created_at  timestamptz NOT NULL DEFAULT now(),
                revoked_at  timestamptz
            );
            -- One live user per email address, compared case-insensitively.
            CREATE UNIQUE INDEX users_email_live ON users (lower(email)) WHERE revoked_at IS NULL;

            CREATE TABLE memberships (
                id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                user_id          uuid NOT NULL REFERENCES users (id),
                organization_id  uuid NOT NULL REFERENCES organizations (id),
                role             text NOT NULL CHECK (role IN ('admin', 'courseProvider', 'practitioner', 'insurer', 'careProvider', 'coordinator')),
                avg_access       boolean NOT NULL DEFAULT false,
                manager          boolean NOT NULL DEFAULT false,
                practitioner_id  uuid,
                region_ids       uuid[] NOT NULL DEFAULT '{}',
                created_at       timestamptz NOT NULL DEFAULT now(),
                revoked_at       timestamptz
            );
            CREATE INDEX memberships_user ON memberships (user_id);
            CREATE INDEX memberships_organization ON memberships (organization_id) WHERE revoked_at IS NULL;
            -- A user holds a role in an organisation once at a time.
            CREATE UNIQUE INDEX memberships_live ON memberships (user_id, organization_id, role) WHERE revoked_at IS NULL;

            -- Tokens are credentials: only their SHA-256 is stored.
            CREATE TABLE api_tokens (
                id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                membership_id  uuid NOT NULL REFERENCES memberships (id),
                token_hash     bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
                label          text,
                created_at     timestamptz NOT NULL DEFAULT now(),
                -- NULL only for the ADMIN_TOKEN bootstrap token, which the operator controls through the environment.
                expires_at     timestamptz,
                last_used_at   timestamptz,
                revoked_at     timestamptz
            );
            CREATE INDEX api_tokens_membership ON api_tokens (membership_id);

            -- NEN 7513 style access log: append-only. The trigger below refuses every UPDATE and DELETE.
            CREATE TABLE audit_events (
                id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                at               timestamptz NOT NULL DEFAULT clock_timestamp(),
                action           text NOT NULL CHECK (action IN ('create', 'read', 'update', 'delete', 'search', 'export')),
                outcome          text NOT NULL DEFAULT 'success',
                user_id          uuid,
                user_name        text,
                organization_id  uuid,
                role             text,
                membership_id    uuid,
                object_type      text NOT NULL,
                object_id        uuid,
                client_id        uuid,
                request_id       text,
                details          jsonb NOT NULL DEFAULT '{}'
            );
            CREATE INDEX audit_events_client ON audit_events (client_id, at) WHERE client_id IS NOT NULL;
            CREATE INDEX audit_events_user ON audit_events (user_id, at);
            CREATE INDEX audit_events_object ON audit_events (object_type, object_id, at);

            CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit events cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
            END;
            $$;
            CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
            CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

            """#)
}
