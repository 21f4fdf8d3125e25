-- 0006 practitioner reminders (issue 13): each reminder once per period and kind, whichever instance and day sends it.
CREATE TABLE reminders_sent (
    period_id  uuid NOT NULL REFERENCES registration_periods (id),
    kind       text NOT NULL CHECK (kind IN ('threeMonths', 'eightWeeks', 'oneDay')),
    due_on     date NOT NULL,
    sent_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (period_id, kind)
);
