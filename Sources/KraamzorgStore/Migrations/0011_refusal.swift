// Migration 0011 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0011_refusal = Migration(
        version: 11, name: "refusal",
        sql: #"""
            -- 0011 refusal of a re-registration (issue 19, DOMAIN §2, §2a): a period may be refused, and a review may
            -- decide 'refuse' (its message is the reason she is told).
            ALTER TABLE registration_periods DROP CONSTRAINT registration_periods_status_check;
            ALTER TABLE registration_periods ADD CONSTRAINT registration_periods_status_check
                CHECK (status IN ('upcoming', 'active', 'submitted', 'infoRequested', 'approved', 'refused', 'cancelled'));
            ALTER TABLE reviews DROP CONSTRAINT reviews_decision_check;
            ALTER TABLE reviews ADD CONSTRAINT reviews_decision_check CHECK (decision IN ('approve', 'requestInfo', 'refuse'));
            ALTER TABLE reviews ADD CONSTRAINT reviews_refusal_has_reason CHECK (decision <> 'refuse' OR length(btrim(message)) > 0);

            """#)
}
