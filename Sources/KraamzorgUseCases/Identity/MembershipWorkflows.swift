import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// Memberships: the role a person has in one organisation. Each change in one transaction with its audit
/// event; the organisation's row is locked while its managers change, so nobody is locked out of managing it.
public struct MembershipWorkflows: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    /// Another membership (and its first token) for an existing, live user.
    public func addMembership(
        userId: UUID, _ new: NewMembership, tokenHash: [UInt8], tokenExpiresAt: Date,
        by actor: AuditActor
    ) async throws -> (Membership, TokenRecord) {
        try await pool.withTransaction { conn in
            guard try await IdentityStore.isLiveUser(id: userId, on: conn) else { throw StoreError.notFound("user") }
            let membership = try await MembershipWorkflows.addMembership(new, userId: userId, on: conn)
            let token = try await IdentityStore.insertToken(
                membershipId: membership.id, hash: tokenHash, expiresAt: tokenExpiresAt, on: conn)
            try await AuditLog.record(
                .create, objectType: "membership", objectId: membership.id,
                details: membership.auditDetails, by: actor, on: conn)
            return (membership, token)
        }
    }

    /// Changes AVG access, the manager flag or coordinator regions. Taking the manager flag from the
    /// organisation's last manager is refused, and only coordinators have regions.
    public func updateMembership(id: UUID, _ changes: MembershipChanges, by actor: AuditActor) async throws -> Membership {
        try await pool.withTransaction { conn in
            let current = try await IdentityStore.lockMembership(id: id, on: conn)
            if changes.manager == false, current.manager {
                try await MembershipWorkflows.refuseIfLastManager(current, on: conn)
            }
            if let regions = changes.regionIds, !regions.isEmpty, current.role != .coordinator {
                throw StoreError.refused([IdentityRefusals.regionsOnlyForCoordinators])
            }
            let updated = try await IdentityStore.updateMembership(id: id, changes, on: conn)
            var details: [String: String] = [:]
            if let v = changes.avgAccess { details["avgAccess"] = "\(current.avgAccess) -> \(v)" }
            if let v = changes.manager { details["manager"] = "\(current.manager) -> \(v)" }
            if let v = changes.regionIds { details["regionIds"] = v.map { $0.lowercasedString }.joined(separator: ",") }
            details["organizationId"] = current.organizationId.lowercasedString
            try await AuditLog.record(.update, objectType: "membership", objectId: id, details: details, by: actor, on: conn)
            return updated
        }
    }

    /// Ends a membership and every token of it at once; never the organisation's last manager's.
    public func revokeMembership(id: UUID, by actor: AuditActor) async throws {
        try await pool.withTransaction { conn in
            let current = try await IdentityStore.lockMembership(id: id, on: conn)
            if current.manager { try await MembershipWorkflows.refuseIfLastManager(current, on: conn) }
            try await IdentityStore.revokeMembership(id: id, on: conn)
            try await AuditLog.record(.delete, objectType: "membership", objectId: id, details: current.auditDetails, by: actor, on: conn)
        }
    }

    /// Checks a new membership against its organisation (none given: the register's), then writes it:
    /// the organisation's kind decides the roles it has, and exactly a practitioner membership names her
    /// register record. The first reason found is given.
    static func addMembership(_ new: NewMembership, userId: UUID, on conn: PostgresConnection) async throws -> Membership {
        let organization =
            if let id = new.organizationId {
                try await IdentityStore.organization(id: id, on: conn)
            } else {
                try await IdentityStore.registerOrganization(on: conn)
            }
        guard let organization else { throw StoreError.refused([IdentityRefusals.noSuchOrganization(field: "organizationId")]) }
        guard organization.kind.allows(new.role) else { throw StoreError.refused([IdentityRefusals.roleNotAllowed(in: organization.kind)]) }
        if new.role == .practitioner && new.practitionerId == nil {
            throw StoreError.refused([IdentityRefusals.practitionerMembershipNamesRecord])
        }
        if new.role != .practitioner && new.practitionerId != nil {
            throw StoreError.refused([IdentityRefusals.onlyPractitionerMembershipNamesRecord])
        }
        return try await IdentityStore.insertMembership(new, organizationId: organization.id, userId: userId, on: conn)
    }

    /// On a transaction that holds the organisation's lock (`IdentityStore.lockMembership`).
    static func refuseIfLastManager(_ membership: Membership, on conn: PostgresConnection) async throws {
        if try await IdentityStore.otherManagerCount(than: membership, on: conn) == 0 {
            throw StoreError.refused([IdentityRefusals.lastManager])
        }
    }
}

extension Membership {
    /// What the audit event of a new or ended membership records.
    var auditDetails: [String: String] {
        [
            "organizationId": organizationId.lowercasedString, "role": role.rawValue, "avgAccess": String(avgAccess),
            "manager": String(manager), "userId": userId.lowercasedString,
        ]
    }
}
