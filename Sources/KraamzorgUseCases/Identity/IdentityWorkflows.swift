import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// Organisations and the people who act for them, each change in one transaction with its audit event.
/// The store only runs the SQL; the wording of every refusal is in `IdentityRefusals`.
public struct IdentityWorkflows: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    /// A new organisation. A parent makes it a label: only an insurer has labels (insurers themselves),
    /// and a label has no labels of its own.
    public func createOrganization(_ new: NewOrganization, by actor: AuditActor) async throws -> Organization {
        try await pool.withTransaction { conn in
            if let parentId = new.parentId {
                guard let parent = try await IdentityStore.organization(id: parentId, on: conn) else {
                    throw StoreError.refused([IdentityRefusals.noSuchOrganization(field: "parentId")])
                }
                guard parent.kind == .insurer, new.kind == .insurer, parent.parentId == nil else {
                    throw StoreError.refused([IdentityRefusals.labelsOnlyUnderInsurers])
                }
            }
            let org = try await IdentityStore.insertOrganization(new, on: conn)
            try await AuditLog.record(
                .create, objectType: "organization", objectId: org.id,
                details: ["kind": org.kind.rawValue, "name": org.name], by: actor, on: conn)
            return org
        }
    }

    /// A user with a first membership (checked as `MembershipWorkflows` checks every membership) and its
    /// first token, in one transaction.
    public func createUser(
        name: String, email: String, membership new: NewMembership, tokenHash: [UInt8], tokenExpiresAt: Date,
        by actor: AuditActor
    ) async throws -> (User, Membership, TokenRecord) {
        try await pool.withTransaction { conn in
            let user = try await IdentityStore.insertUser(name: name, email: email, on: conn)
            let membership = try await MembershipWorkflows.addMembership(new, userId: user.id, on: conn)
            let token = try await IdentityStore.insertToken(
                membershipId: membership.id, hash: tokenHash, expiresAt: tokenExpiresAt, on: conn)
            try await AuditLog.record(
                .create, objectType: "user", objectId: user.id,
                details: [
                    "membershipId": membership.id.lowercasedString, "role": membership.role.rawValue,
                    "organizationId": membership.organizationId.lowercasedString,
                    "avgAccess": String(membership.avgAccess),
                ],
                by: actor, on: conn)
            return (user, membership, token)
        }
    }
}
