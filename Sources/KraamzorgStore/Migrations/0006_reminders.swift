// Migration 0006 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0006_reminders = Migration(
        version: 6, name: "reminders",
        sql: #"""
            -- 0006 practitioner reminders (issue 13): each reminder once per period and kind, whichever instance and day sends it.
            CREATE TABLE reminders_sent (
                period_id  uuid NOT NULL REFERENCES registration_periods (id),
                kind       text NOT NULL CHECK (kind IN ('threeMonths', 'eightWeeks', 'oneDay')),
                due_on     date NOT NULL,
                sent_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
                PRIMARY KEY (period_id, kind)
            );

            -- dossier.complete: recorded once per period, by whichever instance sees the booking that completed it.
            CREATE TABLE dossier_completions (
                period_id     uuid PRIMARY KEY REFERENCES registration_periods (id),
                completed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
            );

            -- Positions of event-stream readers inside the service (one row each, locked while it works).
            CREATE TABLE worker_cursors (
                name  text PRIMARY KEY,
                txid  xid8 NOT NULL DEFAULT '0',
                seq   bigint NOT NULL DEFAULT 0
            );

            """#)
}
