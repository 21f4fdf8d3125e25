// Migration 0015 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0015_webhooks_complete = Migration(
        version: 15, name: "webhooks_complete",
        sql: #"""
            -- 0015 webhooks complete (issue 22): subscriptions can be paused, changed and their secret rotated; pings and
            -- redeliveries; the client as she was when an event happened; automatic disabling after a week of failures.

            -- Rotation: a new salt (so a new derived secret); the previous salt signs too until previous_salt_expires_at.
            -- failing_since: the first failure since the last success (NULL while deliveries succeed).
            ALTER TABLE webhook_subscriptions
                ADD COLUMN active                   boolean NOT NULL DEFAULT true,
                ADD COLUMN previous_salt            text,
                ADD COLUMN previous_salt_expires_at timestamptz,
                ADD COLUMN failing_since            timestamptz,
                ADD COLUMN disabled_at              timestamptz,
                ADD COLUMN disabled_reason          text,
                ADD COLUMN updated_at               timestamptz NOT NULL DEFAULT now();

            -- A ping has no event; a redelivery repeats the event of an earlier delivery (a row of its own, so the log
            -- keeps both). Fan-out still makes one delivery per (subscription, event).
            ALTER TABLE webhook_deliveries
                ALTER COLUMN event_seq DROP NOT NULL,
                ADD COLUMN kind text NOT NULL DEFAULT 'event' CHECK (kind IN ('event', 'ping', 'redelivery')),
                ADD COLUMN redelivery_of uuid REFERENCES webhook_deliveries (id),
                ADD CONSTRAINT webhook_deliveries_event_present CHECK ((kind = 'ping') = (event_seq IS NULL));
            ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_subscription_id_event_seq_key;
            CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (subscription_id, event_seq) WHERE kind = 'event';
            CREATE INDEX webhook_deliveries_pending_by_subscription ON webhook_deliveries (subscription_id) WHERE status = 'pending';

            -- The client's state when the event happened (status, enrolment, dates: group-1 facts and ids, no personal
            -- field), so a delivery shows her as she was then, not as she is when it is sent.
            ALTER TABLE events ADD COLUMN client_state jsonb;

            -- The message to an organisation's managers when its subscription was disabled.
            ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
            ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (
                'invitation', 'placementConfirmation', 'providerNotice', 'enrolmentNotice', 'urgentBirthNotice', 'reminder',
                'weeklyUpdate', 'reviewOutcome', 'overdueReviews', 'webhookDisabled'));

            """#)
}
