// Migration 0007 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0007_event_log_references = Migration(
        version: 7, name: "event_log_references",
        sql: #"""
            -- 0007 the event log keeps the organisation an event concerns as a plain id, like practitioner_id and like
            -- audit_events: it is a record of what happened, written in the transaction of the change (which already
            -- checked the organisation), and a foreign key check per row cost a 10,000-item push ~150 ms.
            ALTER TABLE events DROP CONSTRAINT IF EXISTS events_organization_id_fkey;
            """#)
}
