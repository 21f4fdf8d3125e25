import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// A membership's first credential when it goes to the person by email instead of into the answer.
public struct EmailedCredential: Sendable {
    /// The token in plain text: it goes into the outbox message's link (cleared once sent), nowhere else.
    public let token: String
    public let hash: [UInt8]
    public let expiresAt: Date

    public init(token: String, hash: [UInt8], expiresAt: Date) {
        self.token = token
        self.hash = hash
        self.expiresAt = expiresAt
    }
}

/// Koppelen (DOMAIN §7a) and a manager adding a person: the new membership's credential reaches the person by
/// email (outbox kind `membershipCredential`), never the manager, so a manager never acts as someone who
/// already had an account, and `POST /v1/users` answers a manager the same whether or not the email had one.
extension IdentityWorkflows {
    /// Links the live account of `email` to the organisation with a new membership; nil when no live account
    /// has this email. 409 (`StoreError.conflict`) when she already has that role there.
    public func linkAccount(
        email: String, organizationId: UUID, membership new: NewMembership, credential: EmailedCredential, by actor: AuditActor
    ) async throws -> (User, Membership, TokenRecord)? {
        try await pool.withTransaction { conn in
            guard let user = try await IdentityStore.liveUser(email: email, lock: true, on: conn) else { return nil }
            let (membership, token) = try await IdentityWorkflows.link(
                user, organizationId: organizationId, new, credential, via: "koppelen", on: conn, by: actor)
            return (user, membership, token)
        }
    }

    /// A manager adds a person to her organisation: a new account, or (an account with this email exists) a new
    /// membership of that account, linked. Either way the credential is emailed to the person.
    public func addPerson(
        name: String, email: String, organizationId: UUID, membership new: NewMembership, credential: EmailedCredential,
        by actor: AuditActor
    ) async throws -> (User, Membership, TokenRecord) {
        try await pool.withTransaction { conn in
            if let existing = try await IdentityStore.liveUser(email: email, lock: true, on: conn) {
                let (membership, token) = try await IdentityWorkflows.link(
                    existing, organizationId: organizationId, new, credential, via: "POST /v1/users (existing account)", on: conn,
                    by: actor)
                return (existing, membership, token)
            }
            let user = try await IdentityStore.insertUser(name: name, email: email, on: conn)
            let (membership, token) = try await IdentityWorkflows.link(
                user, organizationId: organizationId, new, credential, via: "POST /v1/users", on: conn, by: actor)
            return (user, membership, token)
        }
    }

    /// A manager gives a colleague (a live user with a membership here) another membership: its credential is
    /// emailed to the colleague, so the manager never holds a token that acts as someone else.
    public func addColleagueMembership(
        userId: UUID, organizationId: UUID, membership new: NewMembership, credential: EmailedCredential, by actor: AuditActor
    ) async throws -> (User, Membership, TokenRecord) {
        try await pool.withTransaction { conn in
            guard let user = try await IdentityStore.liveUser(id: userId, on: conn) else { throw StoreError.notFound("user") }
            let (membership, token) = try await IdentityWorkflows.link(
                user, organizationId: organizationId, new, credential, via: "POST /v1/users/{id}/memberships", on: conn, by: actor)
            return (user, membership, token)
        }
    }

    /// The membership, its token (hash only) and the message carrying the token to her, with the audit event.
    static func link(
        _ user: User, organizationId: UUID, _ new: NewMembership, _ credential: EmailedCredential, via: String,
        on conn: PostgresConnection, by actor: AuditActor
    ) async throws -> (Membership, TokenRecord) {
        if try await IdentityStore.hasLiveMembership(userId: user.id, organizationId: organizationId, role: new.role, on: conn) {
            throw StoreError.conflict(IdentityRefusals.membershipExists)
        }
        var new = new
        new.organizationId = organizationId
        let membership = try await MembershipWorkflows.addMembership(new, userId: user.id, on: conn)
        let token = try await IdentityStore.insertToken(
            membershipId: membership.id, hash: credential.hash, expiresAt: credential.expiresAt, on: conn)
        let organization = try await IdentityStore.organization(id: organizationId, on: conn)
        let m = IdentityMessages.credential(
            organization: organization?.name ?? "uw organisatie", role: membership.role, avgAccess: membership.avgAccess,
            expiresOn: DutchTime.day(credential.expiresAt))
        try await Outbox.enqueue(
            .membershipCredential, to: user.email, clientId: nil, subject: m.subject, body: m.body, link: credential.token, on: conn)
        var details = membership.auditDetails
        details["via"] = via
        details["credential"] = "emailed to the person"
        try await AuditLog.record(.create, objectType: "membership", objectId: membership.id, details: details, by: actor, on: conn)
        return (membership, token)
    }
}
