// Migration 0012 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0012_organization_contact = Migration(
        version: 12, name: "organization_contact",
        sql: #"""
            -- 0012 (DOMAIN §7a) an organisation's contact details, shown to a client on her page and in her enrolment
            -- message (the enrolling provider), and on every client page (her region's coordinators' organisation).
            -- The API validates them (phone: digits, + and spaces; email; an http(s) URL); the checks here are bounds.
            ALTER TABLE organizations
                ADD COLUMN contact_phone    text CHECK (length(contact_phone) <= 40),
                ADD COLUMN contact_email    text CHECK (length(contact_email) <= 254),
                ADD COLUMN contact_website  text CHECK (length(contact_website) <= 500);

            """#)
}
