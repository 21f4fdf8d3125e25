// Migration 0009 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0009_webhook_secrets = Migration(
        version: 9, name: "webhook_secrets",
        sql: #"""
            -- 0009 webhook secrets are derived, not stored (DOMAIN §8, second round): secret = HMAC-SHA256(server key,
            -- "webhook:" || id || ":" || secret_salt), the server key living outside the database (WEBHOOK_SECRET_KEY or
            -- its key file). The salt is 122 random bits from PostgreSQL's strong random source, one per subscription.
            -- Existing subscriptions get a salt here, so their secret changes (rotated): the old secret is dropped with
            -- its column, and signatures made with it stop; their owners subscribe again to be shown the new one.
            ALTER TABLE webhook_subscriptions
                ADD COLUMN secret_salt text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '') CHECK (length(secret_salt) >= 16);
            ALTER TABLE webhook_subscriptions DROP COLUMN secret;

            """#)
}
