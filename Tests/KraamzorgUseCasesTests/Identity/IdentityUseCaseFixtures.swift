import FoundationEssentials
import Hashing
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient

/// Organisations and their people for the identity workflows, in this suite's own database.
enum IdentityUseCaseFixtures {
    static func pool() async throws -> PostgresPool { try await UseCaseDatabase.pool() }

    /// An admin acting with a request id of its own, so its audit events can be found.
    static func admin() -> AuditActor {
        AuditActor(
            userId: nil, userName: "Beheerder", organizationId: nil, role: "admin", membershipId: nil, requestId: "uc-\(UUID().uuidString)")
    }

    static func organization(_ kind: OrganizationKind, _ pool: PostgresPool) async throws -> Organization {
        try await IdentityWorkflows(pool: pool).createOrganization(
            NewOrganization(kind: kind, name: "Org \(UUID().uuidString.prefix(8))"), by: admin())
    }

    /// A new user with one membership of `new`; returns that membership.
    static func member(_ new: NewMembership, _ pool: PostgresPool) async throws -> Membership {
        let (_, membership, _) = try await IdentityWorkflows(pool: pool).createUser(
            name: "Test", email: email(), membership: new, tokenHash: SecretToken.hash(SecretToken.generate()),
            tokenExpiresAt: Date().addingTimeInterval(86_400), by: admin())
        return membership
    }

    static func email() -> String { "\(UUID().uuidString.lowercased())@example.nl" }

    static func count(_ pool: PostgresPool, _ query: PostgresQuery) async throws -> Int {
        try await pool.query(query)[0].decode("n", as: Int.self)
    }
}
