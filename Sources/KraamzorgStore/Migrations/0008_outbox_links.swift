// Migration 0008 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0008_outbox_links = Migration(
        version: 8, name: "outbox_links",
        sql: #"""
            -- 0008 link tokens at rest (DOMAIN §8, second round): an outbox message keeps its link (her invitation or
            -- client-link token) only while it waits to be sent. Sending it, or giving up on it, clears the link in the
            -- same UPDATE (OutboxDelivery); messages already sent or failed lose theirs now.
            UPDATE notifications SET link = NULL WHERE status <> 'pending' AND link IS NOT NULL;
            ALTER TABLE notifications ADD CONSTRAINT notifications_link_only_while_pending CHECK (status = 'pending' OR link IS NULL);

            """#)
}
