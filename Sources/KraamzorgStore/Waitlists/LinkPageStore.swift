import FoundationEssentials
import KraamzorgRules
import PostgresClient

/// What the client pages (issue 14) need beyond `ClientStore`: why a link no longer works (to say so
/// kindly), the care providers of a region (her optional preferences), and the key for form tokens.
/// Reads only; every change goes through `ClientWorkflows`, so the pages write the same audit events as the JSON routes.
public struct LinkPageStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public enum LinkState: Sendable, Equatable {
        case live
        case unknown
        case expired
        /// An invitation already accepted (or cancelled).
        case used
    }

    public func invitationState(tokenHash: [UInt8]) async throws -> LinkState {
        let rows = try await pool.query(
            """
            SELECT i.used_at IS NOT NULL OR c.status <> 'invited' AS used, i.expires_at <= now() AS expired
            FROM invitations i JOIN clients c ON c.id = i.client_id WHERE i.token_hash = \(tokenHash)
            """)
        guard let r = rows.first else { return .unknown }
        if try r.decode("used", as: Bool.self) { return .used }
        if try r.decode("expired", as: Bool.self) { return .expired }
        return .live
    }

    public func clientLinkState(tokenHash: [UInt8]) async throws -> LinkState {
        let rows = try await pool.query("SELECT expires_at <= now() AS expired FROM client_links WHERE token_hash = \(tokenHash)")
        guard let r = rows.first else { return .unknown }
        return try r.decode("expired", as: Bool.self) ? .expired : .live
    }

    /// Care providers serving the region, by name.
    public func careProviders(regionId: UUID) async throws -> [(id: UUID, name: String)] {
        try await pool.query(
            """
            SELECT o.id, o.name FROM provider_regions pr JOIN organizations o ON o.id = pr.provider_id
            WHERE pr.region_id = \(regionId) AND o.kind = 'careProvider' ORDER BY o.name, o.id
            """
        ).map { (try $0.decode("id", as: UUID.self), try $0.decode("name", as: String.self)) }
    }

    /// A coordinator of her region, as the pages show how to reach a person (DOMAIN §7a).
    public struct Coordinator: Sendable, Equatable {
        public let name: String
        public let email: String
        public let organizationName: String
        public let organizationContact: OrganizationContact
    }

    /// Who sends her pages and how to reach a person (DOMAIN §7a): her region, her inviting insurer, her region's
    /// coordinators; the enrolling provider's contact; when her birth was reported (for the 24 hours to undo it).
    /// No personal data of hers: names of organisations and of the coordinators who work for them.
    public struct Sender: Sendable {
        public let regionName: String
        public let insurerName: String
        public let coordinators: [Coordinator]
        public let providerContact: OrganizationContact?
        public let birthReportedAt: Date?
    }

    public func sender(clientId: UUID) async throws -> Sender? {
        let rows = try await pool.query(
            """
            SELECT c.region_id, r.name AS region_name, io.name AS insurer_name, c.birth_reported_at,
                   p.contact_phone, p.contact_email, p.contact_website, p.id AS provider_id
            FROM clients c JOIN regions r ON r.id = c.region_id JOIN organizations io ON io.id = c.insurer_id
            LEFT JOIN organizations p ON p.id = c.enrolling_provider_id
            WHERE c.id = \(clientId)
            """)
        guard let r = rows.first else { return nil }
        let regionId: UUID = try r.decode("region_id")
        let providerId: UUID? = try r.decode("provider_id")
        let coordinators = try await pool.query(
            """
            SELECT DISTINCT ON (lower(u.email)) u.name, lower(u.email) AS email, o.name AS org_name,
                   o.contact_phone, o.contact_email, o.contact_website
            FROM memberships mm JOIN users u ON u.id = mm.user_id JOIN organizations o ON o.id = mm.organization_id
            WHERE mm.role = 'coordinator' AND \(regionId) = ANY(mm.region_ids) AND mm.revoked_at IS NULL AND u.revoked_at IS NULL
            ORDER BY lower(u.email)
            """
        ).map {
            Coordinator(
                name: try $0.decode("name"), email: try $0.decode("email"), organizationName: try $0.decode("org_name"),
                organizationContact: OrganizationContact(
                    phone: try $0.decode("contact_phone"), email: try $0.decode("contact_email"), website: try $0.decode("contact_website"))
            )
        }
        return Sender(
            regionName: try r.decode("region_name"), insurerName: try r.decode("insurer_name"), coordinators: coordinators,
            providerContact: providerId == nil
                ? nil
                : OrganizationContact(
                    phone: try r.decode("contact_phone"), email: try r.decode("contact_email"), website: try r.decode("contact_website")),
            birthReportedAt: try r.decode("birth_reported_at"))
    }

    /// The due-date range of her waitlist (to say why a due date she gave is refused); no personal data.
    public func waitlistRange(clientId: UUID) async throws -> (dueFrom: CivilDate, dueTo: CivilDate)? {
        try await pool.query(
            "SELECT w.due_from, w.due_to FROM clients c JOIN waitlists w ON w.id = c.waitlist_id WHERE c.id = \(clientId)"
        ).first.map { (try $0.decode("due_from", as: CivilDate.self), try $0.decode("due_to", as: CivilDate.self)) }
    }

    /// The shared key for form tokens (migration 0005).
    public func pageSecret() async throws -> [UInt8] {
        try await pool.query("SELECT secret FROM page_secret WHERE id = 1")[0].decode("secret", as: [UInt8].self)
    }
}
