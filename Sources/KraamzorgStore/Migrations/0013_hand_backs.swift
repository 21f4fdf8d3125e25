// Migration 0013 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0013_hand_backs = Migration(
        version: 13, name: "hand_backs",
        sql: #"""
            -- 0013 hand-backs (DOMAIN §7a): every release is kept, so the provider that handed her back can never
            -- enrol her again, a provider's releases per 24 hours can be counted, and the weekly update counts them
            -- per provider. Ids and the moment only: no personal data (the reason is free text about her, not kept).
            CREATE TABLE client_releases (
                id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                client_id    uuid NOT NULL REFERENCES clients (id),
                provider_id  uuid NOT NULL REFERENCES organizations (id),
                waitlist_id  uuid NOT NULL REFERENCES waitlists (id),
                released_at  timestamptz NOT NULL
            );
            CREATE INDEX client_releases_provider_time ON client_releases (provider_id, released_at);
            CREATE INDEX client_releases_client ON client_releases (client_id, provider_id);
            CREATE INDEX client_releases_waitlist_time ON client_releases (waitlist_id, released_at);

            -- Two more kinds of message: a hand-back (to her and her coordinators), and the credential of a membership
            -- a manager linked to an existing account (koppelen), which goes to the person, never to the manager.
            ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_kind_check;
            ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (
                'invitation', 'placementConfirmation', 'providerNotice', 'enrolmentNotice', 'urgentBirthNotice', 'reminder',
                'weeklyUpdate', 'reviewOutcome', 'overdueReviews', 'releaseNotice', 'membershipCredential'));

            """#)
}
