import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// Organisations, users, memberships and tokens.
public struct IdentityStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    // MARK: tokens → principal

    /// The principal of a live token: not revoked, not expired, its membership and user not revoked. On the primary,
    /// batched with other token lookups (`sharedRead`): every request whose token is not in the cache makes one.
    public func principal(tokenHash: [UInt8]) async throws -> Principal? {
        let rows = try await pool.sharedRead(
            """
            SELECT t.id AS token_id, t.last_used_at, t.expires_at,
                   \(unsafeRaw: IdentityColumns.user), \(unsafeRaw: IdentityColumns.membership), \(unsafeRaw: IdentityColumns.organization)
            FROM api_tokens t
            JOIN memberships m ON m.id = t.membership_id
            JOIN users u ON u.id = m.user_id
            JOIN organizations o ON o.id = m.organization_id
            WHERE t.token_hash = \(tokenHash)
              AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
              AND m.revoked_at IS NULL AND u.revoked_at IS NULL
            """)
        guard let row = rows.first else { return nil }
        return Principal(
            tokenId: try row.decode("token_id"), user: try User(row: row), membership: try Membership(row: row),
            organization: try Organization(row: row), tokenLastUsedAt: try row.decode("last_used_at"),
            tokenExpiresAt: try row.decode("expires_at"))
    }

    /// Records use of a token. Callers do this at most once a minute per token, not on every request.
    public func touchToken(id: UUID) async throws {
        _ = try await pool.execute("UPDATE api_tokens SET last_used_at = now() WHERE id = \(id)")
    }

    /// Makes sure an admin membership with exactly this token exists (the `ADMIN_TOKEN` bootstrap).
    /// Idempotent: a restart with the same token changes nothing.
    public func bootstrapAdmin(tokenHash: [UInt8]) async throws {
        try await pool.withTransaction { conn in
            let existing = try await conn.query(
                """
                SELECT t.id FROM api_tokens t JOIN memberships m ON m.id = t.membership_id JOIN users u ON u.id = m.user_id
                WHERE t.token_hash = \(tokenHash) AND t.revoked_at IS NULL AND m.revoked_at IS NULL AND u.revoked_at IS NULL AND m.role = 'admin'
                """)
            if !existing.isEmpty { return }
            // The same hash may belong to a revoked token: take it out of the way first.
            _ = try await conn.execute("DELETE FROM api_tokens WHERE token_hash = \(tokenHash) AND revoked_at IS NOT NULL")
            let user = try await conn.query(
                """
                INSERT INTO users (name, email) VALUES ('Bootstrap admin', 'admin@register.invalid')
                ON CONFLICT (lower(email)) WHERE revoked_at IS NULL DO UPDATE SET name = EXCLUDED.name
                RETURNING id
                """)
            let userId: UUID = try user[0].decode("id")
            let membership = try await conn.query(
                """
                INSERT INTO memberships (user_id, organization_id, role, avg_access, manager)
                SELECT \(userId), id, 'admin', true, true FROM organizations WHERE kind = 'register'
                ON CONFLICT (user_id, organization_id, role) WHERE revoked_at IS NULL DO UPDATE SET avg_access = true
                RETURNING id
                """)
            let membershipId: UUID = try membership[0].decode("id")
            _ = try await conn.execute(
                """
                INSERT INTO api_tokens (membership_id, token_hash, label) VALUES (\(membershipId), \(tokenHash), 'ADMIN_TOKEN')
                """)
            try await AuditLog.record(
                .create, objectType: "membership", objectId: membershipId,
                details: ["source": "ADMIN_TOKEN"], by: .system, on: conn)
        }
    }

    // MARK: organisations

    public static func insertOrganization(_ new: NewOrganization, on conn: PostgresConnection) async throws -> Organization {
        let rows = try await conn.query(
            """
            INSERT INTO organizations AS o (kind, name, parent_id, agb_code, kvk_number, contact_phone, contact_email, contact_website)
            VALUES (\(new.kind.rawValue), \(new.name), \(new.parentId), \(new.agbCode), \(new.kvkNumber),
                    \(new.contact.phone), \(new.contact.email), \(new.contact.website))
            RETURNING \(unsafeRaw: IdentityColumns.organization)
            """)
        return try Organization(row: rows[0])
    }

    public static func organization(id: UUID, on conn: PostgresConnection) async throws -> Organization? {
        let rows = try await conn.query("SELECT \(unsafeRaw: IdentityColumns.organization) FROM organizations o WHERE o.id = \(id)")
        return try rows.first.map(Organization.init(row:))
    }

    /// The register's own organisation (where admins are members).
    public static func registerOrganization(on conn: PostgresConnection) async throws -> Organization? {
        let rows = try await conn.query("SELECT \(unsafeRaw: IdentityColumns.organization) FROM organizations o WHERE o.kind = 'register'")
        return try rows.first.map(Organization.init(row:))
    }

    public func organization(id: UUID) async throws -> Organization? {
        let rows = try await pool.query("SELECT \(unsafeRaw: IdentityColumns.organization) FROM organizations o WHERE o.id = \(id)")
        return try rows.first.map(Organization.init(row:))
    }

    /// Organisations by name; `only` restricts the list to one organisation (a member's own).
    public func organizations(kind: OrganizationKind?, only: UUID?, page: PageRequest) async throws -> Page<Organization> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: IdentityColumns.organization), count(*) OVER () AS total
            FROM organizations o
            WHERE (\(kind?.rawValue)::text IS NULL OR o.kind = \(kind?.rawValue))
              AND (\(only)::uuid IS NULL OR o.id = \(only))
              AND (\(afterKey)::text IS NULL OR (o.name, o.id) > (\(afterKey), \(afterId)))
            ORDER BY o.name, o.id
            LIMIT \(page.limit + 1)
            """)
        // The total counts the rows after the cursor; count separately so every page reports the same total.
        let totalRows = try await pool.query(
            """
            SELECT count(*) AS n FROM organizations o
            WHERE (\(kind?.rawValue)::text IS NULL OR o.kind = \(kind?.rawValue)) AND (\(only)::uuid IS NULL OR o.id = \(only))
            """)
        var items = try rows.map(Organization.init(row:))
        var next: String?
        if items.count > page.limit {
            items.removeLast()
            next = PageCursor(key: items[items.count - 1].name, id: items[items.count - 1].id).encoded
        }
        return Page(items: items, total: try totalRows[0].decode("n"), nextCursor: next)
    }

    public func updateOrganization(id: UUID, _ changes: OrganizationChanges, by actor: AuditActor) async throws -> Organization {
        try await pool.withTransaction { conn in
            let rows = try await conn.query(
                """
                UPDATE organizations o SET
                    name = coalesce(\(changes.name), o.name),
                    agb_code = CASE WHEN \(changes.agbCode != nil) THEN \(changes.agbCode ?? nil) ELSE o.agb_code END,
                    kvk_number = CASE WHEN \(changes.kvkNumber != nil) THEN \(changes.kvkNumber ?? nil) ELSE o.kvk_number END,
                    contact_phone = CASE WHEN \(changes.contact != nil) THEN \(changes.contact?.phone) ELSE o.contact_phone END,
                    contact_email = CASE WHEN \(changes.contact != nil) THEN \(changes.contact?.email) ELSE o.contact_email END,
                    contact_website = CASE WHEN \(changes.contact != nil) THEN \(changes.contact?.website) ELSE o.contact_website END,
                    updated_at = now()
                WHERE o.id = \(id)
                RETURNING \(unsafeRaw: IdentityColumns.organization)
                """)
            guard let row = rows.first else { throw StoreError.notFound("organization") }
            let org = try Organization(row: row)
            var fields: [String] = []
            if changes.name != nil { fields.append("name") }
            if changes.agbCode != nil { fields.append("agbCode") }
            if changes.kvkNumber != nil { fields.append("kvkNumber") }
            if changes.contact != nil { fields.append("contact") }
            try await AuditLog.record(
                .update, objectType: "organization", objectId: id,
                details: ["fields": fields.joined(separator: ",")], by: actor, on: conn)
            return org
        }
    }

    // MARK: users and memberships

    public static func insertUser(name: String, email: String, on conn: PostgresConnection) async throws -> User {
        let rows = try await conn.query(
            """
            INSERT INTO users AS u (name, email) VALUES (\(name), \(email))
            RETURNING \(unsafeRaw: IdentityColumns.user)
            """)
        return try User(row: rows[0])
    }

    /// Whether the user exists and is not revoked.
    public static func isLiveUser(id: UUID, on conn: PostgresConnection) async throws -> Bool {
        !(try await conn.query("SELECT 1 FROM users WHERE id = \(id) AND revoked_at IS NULL").isEmpty)
    }

    public static func insertMembership(_ new: NewMembership, organizationId: UUID, userId: UUID, on conn: PostgresConnection) async throws
        -> Membership
    {
        let rows = try await conn.query(
            """
            INSERT INTO memberships AS m (user_id, organization_id, role, avg_access, manager, practitioner_id, region_ids)
            VALUES (\(userId), \(organizationId), \(new.role.rawValue), \(new.avgAccess), \(new.manager), \(new.practitionerId), \(new.regionIds))
            RETURNING \(unsafeRaw: IdentityColumns.membership)
            """)
        return try Membership(row: rows[0])
    }

    public static func insertToken(membershipId: UUID, hash: [UInt8], expiresAt: Date?, on conn: PostgresConnection) async throws
        -> TokenRecord
    {
        let rows = try await conn.query(
            """
            INSERT INTO api_tokens (membership_id, token_hash, expires_at) VALUES (\(membershipId), \(hash), \(expiresAt))
            RETURNING id, membership_id, created_at, expires_at, last_used_at, revoked_at
            """)
        let r = rows[0]
        return TokenRecord(
            id: try r.decode("id"), membershipId: try r.decode("membership_id"), createdAt: try r.decode("created_at"),
            expiresAt: try r.decode("expires_at"), lastUsedAt: try r.decode("last_used_at"), revokedAt: try r.decode("revoked_at"))
    }

    public func user(id: UUID) async throws -> User? {
        let rows = try await pool.query("SELECT \(unsafeRaw: IdentityColumns.user) FROM users u WHERE u.id = \(id)")
        return try rows.first.map(User.init(row:))
    }

    /// Revokes a user, every membership and every token at once: the next request with any of them gets 401.
    public func revokeUser(id: UUID, by actor: AuditActor) async throws {
        try await pool.withTransaction { conn in
            let n = try await conn.execute("UPDATE users SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL")
            guard n == 1 else { throw StoreError.notFound("user") }
            _ = try await conn.execute("UPDATE memberships SET revoked_at = now() WHERE user_id = \(id) AND revoked_at IS NULL")
            _ = try await conn.execute(
                """
                UPDATE api_tokens SET revoked_at = now()
                WHERE revoked_at IS NULL AND membership_id IN (SELECT id FROM memberships WHERE user_id = \(id))
                """)
            try await AuditLog.record(.delete, objectType: "user", objectId: id, by: actor, on: conn)
        }
    }
}
