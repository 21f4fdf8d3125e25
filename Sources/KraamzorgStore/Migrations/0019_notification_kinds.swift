// Migration 0019 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0019_notification_kinds = Migration(
        version: 19, name: "notification_kinds",
        sql: #"""
            -- 0019 every outbox kind at once: 0013 (hand-backs, koppelen) and 0015 (webhooks switched off) each rewrote
            -- the list without the other's kinds, and 0015 runs last. `Outbox.Kind` in the store is the same list.
            ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
            ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (
                'invitation', 'placementConfirmation', 'providerNotice', 'enrolmentNotice', 'urgentBirthNotice', 'reminder',
                'weeklyUpdate', 'reviewOutcome', 'overdueReviews', 'releaseNotice', 'membershipCredential', 'webhookDisabled'));

            """#)
}
