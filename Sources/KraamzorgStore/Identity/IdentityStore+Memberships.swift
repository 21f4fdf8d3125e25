#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
    /// Another membership (and its first token) for an existing, live user.
    public func addMembership(userId: UUID, _ new: NewMembership, tokenHash: [UInt8], tokenExpiresAt: Date,
                              by actor: AuditActor) async throws -> (Membership, TokenRecord) {
        try await pool.withTransaction { conn in
            let live = try await conn.query("SELECT 1 FROM users WHERE id = \(userId) AND revoked_at IS NULL")
            guard !live.isEmpty else { throw StoreError.notFound("user") }
            let membership = try await IdentityStore.insertMembership(new, userId: userId, on: conn)
            let token = try await IdentityStore.insertToken(membershipId: membership.id, hash: tokenHash, expiresAt: tokenExpiresAt, on: conn)
            try await AuditLog.record(.create, objectType: "membership", objectId: membership.id,
                                      details: membership.auditDetails, by: actor, on: conn)
            return (membership, token)
        }
    }

    public func hasLiveMembership(userId: UUID, organizationId: UUID) async throws -> Bool {
        !(try await pool.query("""
            SELECT 1 FROM memberships WHERE user_id = \(userId) AND organization_id = \(organizationId) AND revoked_at IS NULL
            """).isEmpty)
    }

    public func membership(id: UUID) async throws -> Membership? {
        let rows = try await pool.query("SELECT \(unsafeRaw: IdentityColumns.membership) FROM memberships m WHERE m.id = \(id) AND m.revoked_at IS NULL")
        return try rows.first.map(Membership.init(row:))
    }

    public func members(organizationId: UUID, page: PageRequest) async throws -> Page<MemberListing> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: IdentityColumns.membership), u.name AS user_name, u.email AS user_email,
                   (SELECT max(t.last_used_at) FROM api_tokens t WHERE t.membership_id = m.id) AS last_used_at
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organization_id = \(organizationId) AND m.revoked_at IS NULL
              AND (\(afterKey)::text IS NULL OR (u.name, m.id) > (\(afterKey), \(afterId)))
            ORDER BY u.name, m.id
            LIMIT \(page.limit + 1)
            """)
        let total = try await pool.query("""
            SELECT count(*) AS n FROM memberships WHERE organization_id = \(organizationId) AND revoked_at IS NULL
            """)[0].decode("n", as: Int.self)
        var items = try rows.map { row in
            MemberListing(membership: try Membership(row: row), userName: try row.decode("user_name"),
                          userEmail: try row.decode("user_email"), lastUsedAt: try row.decode("last_used_at"))
        }
        var next: String?
        if items.count > page.limit {
            items.removeLast()
            next = items.last.map { PageCursor(key: $0.userName, id: $0.membership.id).encoded }
        }
        return Page(items: items, total: total, nextCursor: next)
    }

    /// Changes AVG access, the manager flag or coordinator regions. Taking the manager flag from the
    /// organisation's last manager is refused, so nobody is locked out of managing it.
    public func updateMembership(id: UUID, _ changes: MembershipChanges, by actor: AuditActor) async throws -> Membership {
        try await pool.withTransaction { conn in
            let current = try await IdentityStore.lockMembership(id: id, on: conn)
            if changes.manager == false, current.manager {
                try await IdentityStore.refuseIfLastManager(current, on: conn)
            }
            if let regions = changes.regionIds, !regions.isEmpty, current.role != .coordinator {
                throw StoreError.refused([.init(field: "regionIds", message: "only coordinators have regions")])
            }
            let rows = try await conn.query("""
                UPDATE memberships m SET
                    avg_access = coalesce(\(changes.avgAccess), m.avg_access),
                    manager = coalesce(\(changes.manager), m.manager),
                    region_ids = coalesce(\(changes.regionIds), m.region_ids)
                WHERE m.id = \(id)
                RETURNING \(unsafeRaw: IdentityColumns.membership)
                """)
            let updated = try Membership(row: rows[0])
            var details: [String: String] = [:]
            if let v = changes.avgAccess { details["avgAccess"] = "\(current.avgAccess) -> \(v)" }
            if let v = changes.manager { details["manager"] = "\(current.manager) -> \(v)" }
            if let v = changes.regionIds { details["regionIds"] = v.map { $0.lowercasedString }.joined(separator: ",") }
            details["organizationId"] = current.organizationId.lowercasedString
            try await AuditLog.record(.update, objectType: "membership", objectId: id, details: details, by: actor, on: conn)
            return updated
        }
    }

    /// Ends a membership and every token of it at once.
    public func revokeMembership(id: UUID, by actor: AuditActor) async throws {
        try await pool.withTransaction { conn in
            let current = try await IdentityStore.lockMembership(id: id, on: conn)
            if current.manager { try await IdentityStore.refuseIfLastManager(current, on: conn) }
            _ = try await conn.execute("UPDATE memberships SET revoked_at = now() WHERE id = \(id)")
            _ = try await conn.execute("UPDATE api_tokens SET revoked_at = now() WHERE membership_id = \(id) AND revoked_at IS NULL")
            try await AuditLog.record(.delete, objectType: "membership", objectId: id, details: current.auditDetails, by: actor, on: conn)
        }
    }

    /// Locks the membership's organisation row first, so two managers removing each other take turns.
    static func lockMembership(id: UUID, on conn: PostgresConnection) async throws -> Membership {
        _ = try await conn.query("""
            SELECT 1 FROM organizations WHERE id = (SELECT organization_id FROM memberships WHERE id = \(id)) FOR UPDATE
            """)
        let rows = try await conn.query("""
            SELECT \(unsafeRaw: IdentityColumns.membership) FROM memberships m WHERE m.id = \(id) AND m.revoked_at IS NULL
            """)
        guard let row = rows.first else { throw StoreError.notFound("membership") }
        return try Membership(row: row)
    }

    static func refuseIfLastManager(_ membership: Membership, on conn: PostgresConnection) async throws {
        let others = try await conn.query("""
            SELECT count(*) AS n FROM memberships
            WHERE organization_id = \(membership.organizationId) AND manager AND revoked_at IS NULL AND id <> \(membership.id)
            """)[0].decode("n", as: Int.self)
        if others == 0 {
            throw StoreError.refused([.init(field: "manager", message: "this is the organisation's last manager; make someone else manager first")])
        }
    }
}

extension Membership {
    var auditDetails: [String: String] {
        ["organizationId": organizationId.lowercasedString, "role": role.rawValue, "avgAccess": String(avgAccess),
         "manager": String(manager), "userId": userId.lowercasedString]
    }
}
