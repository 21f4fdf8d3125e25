import FoundationEssentials
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

    /// The shared key for form tokens (migration 0005).
    public func pageSecret() async throws -> [UInt8] {
        try await pool.query("SELECT secret FROM page_secret WHERE id = 1")[0].decode("secret", as: [UInt8].self)
    }
}
