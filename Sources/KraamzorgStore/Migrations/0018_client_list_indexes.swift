// Migration 0018 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0018_client_list_indexes = Migration(
        version: 18, name: "client_list_indexes",
        sql: #"""
            -- 0018 the client lists are filtered and paged in SQL (issue 23): an index for each way a viewer reaches a
            -- client, each ending in the list's order (due date, id) so a page reads a page.
            CREATE INDEX clients_insurer_due ON clients (insurer_id, due_date, id);
            CREATE INDEX clients_provider_due ON clients (enrolling_provider_id, due_date, id) WHERE enrolling_provider_id IS NOT NULL;
            CREATE INDEX clients_region_due ON clients (region_id, due_date, id);

            """#)
}
