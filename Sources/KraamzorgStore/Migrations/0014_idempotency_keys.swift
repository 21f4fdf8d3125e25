// Migration 0014 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0014_idempotency_keys = Migration(
        version: 14, name: "idempotency_keys",
        sql: #"""
            -- 0014 Idempotency-Key (API.md, integrator conventions): the first answer to a POST with a key, per
            -- membership, kept 24 hours, so a retry with the same key and body gets that answer again instead of a
            -- second effect. A row without a response is a request still running (or one that died: taken over after
            -- a while). The request hash is SHA-256 of method, target and body: the same key with another request is
            -- refused. Rows older than 24 hours are deleted when keys are claimed.
            CREATE TABLE idempotency_keys (
                membership_id     uuid NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
                key               text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
                request_hash      bytea NOT NULL CHECK (length(request_hash) = 32),
                response_status   integer CHECK (response_status BETWEEN 100 AND 599),
                response_headers  text,
                response_body     bytea,
                created_at        timestamptz NOT NULL,
                PRIMARY KEY (membership_id, key)
            );
            CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

            """#)
}
