import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// Hand-backs (DOMAIN §7a), kept in `client_releases`: ids and the moment only.
public enum ClientReleases {
    /// Locks the provider's organisation row until the transaction ends, so two hand-backs of one provider
    /// take turns counting its recent hand-backs (the limit cannot be passed by releasing at once).
    /// `FOR NO KEY UPDATE` leaves foreign-key checks (`FOR KEY SHARE`) on the organisation free.
    public static func lockProvider(_ providerId: UUID, on conn: PostgresConnection) async throws {
        _ = try await conn.query("SELECT id FROM organizations WHERE id = \(providerId) FOR NO KEY UPDATE")
    }

    /// When the provider handed back clients since `since` (oldest first).
    public static func releases(by providerId: UUID, since: Date, on conn: PostgresConnection) async throws -> [Date] {
        try await conn.query(
            """
            SELECT released_at FROM client_releases WHERE provider_id = \(providerId) AND released_at > \(since) ORDER BY released_at
            """
        ).map { try $0.decode("released_at", as: Date.self) }
    }

    /// Whether this provider ever handed her back.
    public static func hasReleased(clientId: UUID, providerId: UUID, on conn: PostgresConnection) async throws -> Bool {
        !(try await conn.query(
            "SELECT 1 FROM client_releases WHERE client_id = \(clientId) AND provider_id = \(providerId) LIMIT 1"
        ).isEmpty)
    }

    public static func record(clientId: UUID, providerId: UUID, waitlistId: UUID, at: Date, on conn: PostgresConnection) async throws {
        _ = try await conn.execute(
            """
            INSERT INTO client_releases (client_id, provider_id, waitlist_id, released_at)
            VALUES (\(clientId), \(providerId), \(waitlistId), \(at))
            """)
    }

    /// The hand-backs on a waitlist in [start, end), with the provider's name (the caller counts what a
    /// recipient may see).
    public static func releases(waitlistId: UUID, from start: Date, to end: Date, on conn: PostgresConnection) async throws
        -> [ReleaseRecord]
    {
        try await conn.query(
            """
            SELECT r.client_id, o.id, o.name FROM client_releases r JOIN organizations o ON o.id = r.provider_id
            WHERE r.waitlist_id = \(waitlistId) AND r.released_at >= \(start) AND r.released_at < \(end)
            ORDER BY r.released_at, r.id
            """
        ).map { ReleaseRecord(clientId: try $0.decode("client_id"), providerId: try $0.decode("id"), providerName: try $0.decode("name")) }
    }
}

/// Hand-backs per provider, as a weekly update or report shows them.
public struct HandBackCount: Sendable, Hashable, Encodable {
    public let providerId: String
    public let providerName: String
    public let count: Int

    /// Per provider (most first, then by name), of the clients in `rows` that `viewer` may see (DOMAIN §7a:
    /// each recipient's counts respect its own visibility).
    public static func counts(_ releases: [ReleaseRecord], rows: [ClientRow], viewer: Viewer) -> [HandBackCount] {
        let visible = Set(rows.filter { viewer.canSee($0.facts) }.map(\.id))
        var counts: [UUID: (name: String, count: Int)] = [:]
        for r in releases where visible.contains(r.clientId) {
            counts[r.providerId, default: (r.providerName, 0)].count += 1
        }
        return counts.map { HandBackCount(providerId: $0.key.lowercasedString, providerName: $0.value.name, count: $0.value.count) }
            .sorted { ($1.count, $0.providerName, $0.providerId) < ($0.count, $1.providerName, $1.providerId) }
    }
}

/// One hand-back: whom, by which provider.
public struct ReleaseRecord: Sendable, Hashable {
    public let clientId: UUID
    public let providerId: UUID
    public let providerName: String
}

extension ClientStore {
    /// The hand-backs on a waitlist in [start, end), through the pool.
    public func releases(waitlistId: UUID, from start: Date, to end: Date) async throws -> [ReleaseRecord] {
        try await pool.withConnection { conn in try await ClientReleases.releases(waitlistId: waitlistId, from: start, to: end, on: conn) }
    }
}
