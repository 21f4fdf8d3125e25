import FoundationEssentials
import PostgresClient

/// The notifications outbox. Every write goes through the connection of the change that causes it,
/// so a message exists exactly when its change committed. A message's `link` (a client's token) is kept
/// only while it is pending: `OutboxDelivery` clears it when the message is sent or given up on.
public enum Outbox {
    public enum Kind: String, Sendable, CaseIterable {
        case invitation, placementConfirmation, providerNotice, enrolmentNotice, urgentBirthNotice
        case reminder, weeklyUpdate, reviewOutcome, overdueReviews
        /// A hand-back (release), to her and her region's coordinators (DOMAIN §7a).
        case releaseNotice
        /// A membership's credential, to the person a manager linked (koppelen), never to the manager.
        case membershipCredential
        case webhookDisabled
    }

    /// One message to one address.
    public static func enqueue(
        _ kind: Kind, to recipient: String, clientId: UUID?, subject: String, body: String,
        link: String? = nil, on conn: PostgresConnection
    ) async throws {
        _ = try await conn.execute(
            """
            INSERT INTO notifications (kind, recipient, client_id, subject, body, link)
            VALUES (\(kind.rawValue), \(recipient), \(clientId), \(subject), \(body), \(link))
            """)
    }

    /// One message per live member of each organisation. An organisation without members gets one
    /// failed row naming it, so admins see that nobody could be told (without the link: it is never sent).
    public static func enqueueToOrganizations(
        _ kind: Kind, _ organizationIds: [UUID], clientId: UUID?, subject: String, body: String,
        link: String? = nil, on conn: PostgresConnection
    ) async throws {
        guard !organizationIds.isEmpty else { return }
        _ = try await conn.execute(
            """
            INSERT INTO notifications (kind, recipient, organization_id, client_id, subject, body, link, status, last_error)
            SELECT \(kind.rawValue), coalesce(m.email, 'organization:' || o.id::text), o.id, \(clientId), \(subject), \(body),
                   CASE WHEN m.email IS NOT NULL THEN \(link)::text END,
                   CASE WHEN m.email IS NULL THEN 'failed' ELSE 'pending' END,
                   CASE WHEN m.email IS NULL THEN 'the organisation has no members to tell' END
            FROM organizations o
            LEFT JOIN LATERAL (
                SELECT DISTINCT lower(u.email) AS email FROM memberships mm JOIN users u ON u.id = mm.user_id
                WHERE mm.organization_id = o.id AND mm.revoked_at IS NULL AND u.revoked_at IS NULL
            ) m ON true
            WHERE o.id = ANY(\(Array(Set(organizationIds)))::uuid[])
            """)
    }

    /// How many messages of `kind` the outbox holds (sent or not).
    public static func count(_ kind: Kind, on conn: PostgresConnection) async throws -> Int {
        try await conn.query("SELECT count(*)::bigint AS n FROM notifications WHERE kind = \(kind.rawValue)")[0].decode("n", as: Int.self)
    }

    /// One message per coordinator of the region.
    public static func enqueueToCoordinators(
        _ kind: Kind, regionId: UUID, clientId: UUID?, subject: String, body: String,
        on conn: PostgresConnection
    ) async throws {
        _ = try await conn.execute(
            """
            INSERT INTO notifications (kind, recipient, organization_id, client_id, subject, body)
            SELECT DISTINCT ON (lower(u.email)) \(kind.rawValue), lower(u.email), mm.organization_id, \(clientId), \(subject), \(body)
            FROM memberships mm JOIN users u ON u.id = mm.user_id
            WHERE mm.role = 'coordinator' AND \(regionId) = ANY(mm.region_ids) AND mm.revoked_at IS NULL AND u.revoked_at IS NULL
            """)
    }
}
