import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// A member as her organisation's managers see her.
public struct MemberListing: Sendable {
    public let membership: Membership
    public let userName: String
    public let userEmail: String
    /// The latest use of any of the membership's tokens.
    public let lastUsedAt: Date?
}

public struct MembershipChanges: Sendable {
    public var avgAccess: Bool?
    public var manager: Bool?
    public var regionIds: [UUID]?

    public init(avgAccess: Bool? = nil, manager: Bool? = nil, regionIds: [UUID]? = nil) {
        self.avgAccess = avgAccess
        self.manager = manager
        self.regionIds = regionIds
    }
}

extension IdentityStore {
    public func hasLiveMembership(userId: UUID, organizationId: UUID) async throws -> Bool {
        !(try await pool.query(
            """
            SELECT 1 FROM memberships WHERE user_id = \(userId) AND organization_id = \(organizationId) AND revoked_at IS NULL
            """
        ).isEmpty)
    }

    public func membership(id: UUID) async throws -> Membership? {
        let rows = try await pool.query(
            "SELECT \(unsafeRaw: IdentityColumns.membership) FROM memberships m WHERE m.id = \(id) AND m.revoked_at IS NULL")
        return try rows.first.map(Membership.init(row:))
    }

    public func members(organizationId: UUID, page: PageRequest) async throws -> Page<MemberListing> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: IdentityColumns.membership), u.name AS user_name, u.email AS user_email,
                   (SELECT max(t.last_used_at) FROM api_tokens t WHERE t.membership_id = m.id) AS last_used_at
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organization_id = \(organizationId) AND m.revoked_at IS NULL
              AND (\(afterKey)::text IS NULL OR (u.name, m.id) > (\(afterKey), \(afterId)))
            ORDER BY u.name, m.id
            LIMIT \(page.limit + 1)
            """)
        let total = try await pool.query(
            """
            SELECT count(*) AS n FROM memberships WHERE organization_id = \(organizationId) AND revoked_at IS NULL
            """)[0].decode("n", as: Int.self)
        var items = try rows.map { row in
            MemberListing(
                membership: try Membership(row: row), userName: try row.decode("user_name"),
                userEmail: try row.decode("user_email"), lastUsedAt: try row.decode("last_used_at"))
        }
        var next: String?
        if items.count > page.limit {
            items.removeLast()
            next = items.last.map { PageCursor(key: $0.userName, id: $0.membership.id).encoded }
        }
        return Page(items: items, total: total, nextCursor: next)
    }

    /// Writes the changed fields (nil: unchanged) and returns the membership as it now is.
    public static func updateMembership(id: UUID, _ changes: MembershipChanges, on conn: PostgresConnection) async throws -> Membership {
        let rows = try await conn.query(
            """
            UPDATE memberships m SET
                avg_access = coalesce(\(changes.avgAccess), m.avg_access),
                manager = coalesce(\(changes.manager), m.manager),
                region_ids = coalesce(\(changes.regionIds), m.region_ids)
            WHERE m.id = \(id)
            RETURNING \(unsafeRaw: IdentityColumns.membership)
            """)
        guard let row = rows.first else { throw StoreError.notFound("membership") }
        return try Membership(row: row)
    }

    /// Ends a membership and every token of it at once.
    public static func revokeMembership(id: UUID, on conn: PostgresConnection) async throws {
        _ = try await conn.execute("UPDATE memberships SET revoked_at = now() WHERE id = \(id)")
        _ = try await conn.execute("UPDATE api_tokens SET revoked_at = now() WHERE membership_id = \(id) AND revoked_at IS NULL")
    }

    /// Locks the membership's organisation row first, so two managers removing each other take turns.
    public static func lockMembership(id: UUID, on conn: PostgresConnection) async throws -> Membership {
        _ = try await conn.query(
            """
            SELECT 1 FROM organizations WHERE id = (SELECT organization_id FROM memberships WHERE id = \(id)) FOR UPDATE
            """)
        let rows = try await conn.query(
            """
            SELECT \(unsafeRaw: IdentityColumns.membership) FROM memberships m WHERE m.id = \(id) AND m.revoked_at IS NULL
            """)
        guard let row = rows.first else { throw StoreError.notFound("membership") }
        return try Membership(row: row)
    }

    /// The live managers of the membership's organisation other than this membership.
    public static func otherManagerCount(than membership: Membership, on conn: PostgresConnection) async throws -> Int {
        try await conn.query(
            """
            SELECT count(*) AS n FROM memberships
            WHERE organization_id = \(membership.organizationId) AND manager AND revoked_at IS NULL AND id <> \(membership.id)
            """)[0].decode("n", as: Int.self)
    }
}
