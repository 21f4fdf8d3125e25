// Migration 0024 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0024_event_trace = Migration(
        version: 24, name: "event_trace",
        sql: #"""
            -- 0024 W3C trace context: an event written by a request that carried a valid `traceparent` keeps it, so
            -- webhook deliveries made because of that request pass it on. The request's transactions set the
            -- transaction-local setting `kraamzorg.traceparent`; events written elsewhere (jobs) have none.
            ALTER TABLE events
                ADD COLUMN traceparent text
                    DEFAULT nullif(current_setting('kraamzorg.traceparent', true), '')
                    CHECK (traceparent IS NULL OR traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');

            """#)
}
