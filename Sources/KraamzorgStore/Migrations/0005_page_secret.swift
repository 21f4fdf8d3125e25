// Migration 0005 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0005_page_secret = Migration(
        version: 5, name: "page_secret",
        sql: #"""
            -- Client pages (issue 14): the key for the form tokens (CSRF) of the invitation and placement pages.
            -- One row, made once here from PostgreSQL's strong random source, so every instance signs and checks
            -- forms with the same key. PAGE_SECRET in the environment takes precedence when set.
            CREATE TABLE page_secret (
                id      integer PRIMARY KEY CHECK (id = 1),
                secret  bytea NOT NULL CHECK (length(secret) >= 32)
            );
            INSERT INTO page_secret (id, secret)
            VALUES (1, decode(replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

            """#)
}
