// Migration 0017 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0017_auth_notify = Migration(
        version: 17, name: "auth_notify_and_list_order",
        sql: #"""
            -- 0017 every change that can take a token's rights away notifies the channel kraamzorg_auth, in the changing
            -- transaction (so at its commit, and never for a change rolled back): each instance of the service listens
            -- on it and empties its in-memory token cache (KraamzorgAPI TokenCache). A token's own row notifies when it
            -- is revoked, expires differently, or is deleted (not when last_used_at is recorded); a membership, a user
            -- or an organisation notifies on every change, since a principal carries all of them. New rows need no
            -- notification: the cache never remembers that a token was unknown.
            CREATE FUNCTION notify_auth_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('kraamzorg_auth', TG_TABLE_NAME);
                RETURN NULL;
            END;
            $$;
            CREATE TRIGGER api_tokens_auth_change AFTER UPDATE ON api_tokens FOR EACH ROW
                WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
                      OR OLD.token_hash IS DISTINCT FROM NEW.token_hash OR OLD.membership_id IS DISTINCT FROM NEW.membership_id)
                EXECUTE FUNCTION notify_auth_change();
            CREATE TRIGGER api_tokens_auth_delete AFTER DELETE OR TRUNCATE ON api_tokens
                FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
            CREATE TRIGGER memberships_auth_change AFTER UPDATE OR DELETE OR TRUNCATE ON memberships
                FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
            CREATE TRIGGER users_auth_change AFTER UPDATE OR DELETE OR TRUNCATE ON users
                FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
            CREATE TRIGGER organizations_auth_change AFTER UPDATE OR DELETE OR TRUNCATE ON organizations
                FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();

            -- GET /v1/regions and GET /v1/waitlists page in SQL (keyset: ORDER BY key, id; LIMIT): their orders as indexes.
            CREATE INDEX IF NOT EXISTS regions_name_id ON regions (name, id);
            CREATE INDEX IF NOT EXISTS waitlists_due_from_id ON waitlists (due_from, id);
            CREATE INDEX IF NOT EXISTS waitlists_region_due_from_id ON waitlists (region_id, due_from, id);

            """#)
}
