import FoundationEssentials
import KraamzorgRules
import PostgresClient

/// Koppelen (DOMAIN §7a): finding the live account of an email, on the transaction that links it.
extension IdentityStore {
    /// The live user with this email (case-insensitive), locked until the transaction ends so she cannot be
    /// revoked halfway through linking.
    public static func liveUser(email: String, lock: Bool, on conn: PostgresConnection) async throws -> User? {
        try await conn.query(
            """
            SELECT \(unsafeRaw: IdentityColumns.user) FROM users u WHERE lower(u.email) = lower(\(email)) AND u.revoked_at IS NULL
            \(unsafeRaw: lock ? "FOR UPDATE" : "")
            """
        ).first.map(User.init(row:))
    }

    /// The live user with this id, locked like `liveUser(email:lock:on:)`.
    public static func liveUser(id: UUID, on conn: PostgresConnection) async throws -> User? {
        try await conn.query(
            "SELECT \(unsafeRaw: IdentityColumns.user) FROM users u WHERE u.id = \(id) AND u.revoked_at IS NULL FOR UPDATE"
        ).first.map(User.init(row:))
    }

    /// Whether she already has a live membership with this role in the organisation.
    public static func hasLiveMembership(userId: UUID, organizationId: UUID, role: Role, on conn: PostgresConnection) async throws -> Bool {
        !(try await conn.query(
            """
            SELECT 1 FROM memberships
            WHERE user_id = \(userId) AND organization_id = \(organizationId) AND role = \(role.rawValue) AND revoked_at IS NULL
            """
        ).isEmpty)
    }
}
