import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// Organisations manage their own people: managers add, change and end memberships in their own
/// organisation; admins in any.
struct MembershipRoutes {
    let identity: IdentityStore
    let workflows: MembershipWorkflows
    let linking: IdentityWorkflows

    struct AddBody: Decodable {
        let role: String
        let organizationId: UUID?
        let practitionerId: UUID?
        let avgAccess: Bool
        let manager: Bool?
        let regionIds: [UUID]?
    }

    struct PatchBody: Decodable {
        let avgAccess: Bool?
        let manager: Bool?
        let regionIds: [UUID]?
    }

    func register(_ routes: inout RouteBuilder) {
        let identity = self.identity, workflows = self.workflows, linking = self.linking

        routes.authed(.POST, "/v1/users/:id/memberships") { request, principal in
            let userId = try request.uuidParameter("id", "user")
            let body = try APIJSON.decode(AddBody.self, from: request)
            let organizationId = body.organizationId ?? (principal.isAdmin ? nil : principal.organization.id)
            try Access.requireManager(of: organizationId, principal)
            let role = try Access.grantableRole(body.role, regionIds: body.regionIds, principal)
            try Access.requireGrantable(
                avgAccess: body.avgAccess, regionIds: body.regionIds, practitionerId: body.practitionerId, principal)
            guard try await identity.user(id: userId)?.revokedAt == nil else { throw APIProblem.notFound("user") }
            // A manager adds memberships only for her own colleagues, never for someone from elsewhere.
            if !principal.isAdmin, !(try await identity.hasLiveMembership(userId: userId, organizationId: principal.organization.id)) {
                throw APIProblem.notFound("user")
            }
            if !principal.isAdmin, let organizationId {
                // Issue 21: the token goes to the colleague by email, never to the manager.
                let (user, membership, record) = try await linking.addColleagueMembership(
                    userId: userId, organizationId: organizationId,
                    membership: NewMembership(
                        organizationId: organizationId, role: role, avgAccess: body.avgAccess, manager: body.manager ?? false,
                        practitionerId: body.practitionerId, regionIds: body.regionIds ?? []),
                    credential: LinkingRoutes.credential(), by: principal.actor(request))
                return try APIJSON.response(
                    LinkedMembershipJSON(
                        membership: MembershipJSON(membership), tokenExpiresAt: record.expiresAt, credentialSentTo: user.email),
                    status: .created, location: "/v1/memberships/\(membership.id.lowercasedString)")
            }
            let token = SecretToken.generate()
            let (membership, record) = try await workflows.addMembership(
                userId: userId,
                NewMembership(
                    organizationId: organizationId, role: role, avgAccess: body.avgAccess, manager: body.manager ?? false,
                    practitionerId: body.practitionerId, regionIds: body.regionIds ?? []),
                tokenHash: SecretToken.hash(token), tokenExpiresAt: TokenRoutes.expiry(days: TokenRoutes.defaultDays),
                by: principal.actor(request))
            return try APIJSON.response(
                CreatedMembershipJSON(membership: MembershipJSON(membership), token: token, tokenExpiresAt: record.expiresAt),
                status: .created, location: "/v1/memberships/\(membership.id.lowercasedString)", showsASecret: true)
        }

        routes.authed(.GET, "/v1/organizations/:id/memberships") { request, principal in
            let orgId = try request.uuidParameter("id", "organization")
            guard principal.isAdmin || (principal.membership.manager && principal.organization.id == orgId) else {
                throw APIProblem.notFound("organization")
            }
            guard try await identity.organization(id: orgId) != nil else { throw APIProblem.notFound("organization") }
            let page = try await identity.members(organizationId: orgId, page: try request.pageRequest())
            return try APIJSON.response(ListBody(items: page.items.map(MemberJSON.init), total: page.total, nextCursor: page.nextCursor))
        }

        routes.authed(.PATCH, "/v1/memberships/:id") { request, principal in
            let id = try request.uuidParameter("id", "membership")
            let body = try APIJSON.decode(PatchBody.self, from: request)
            guard let target = try await identity.membership(id: id), Access.manages(target, principal) else {
                throw APIProblem.notFound("membership")
            }
            try Access.requireGrantable(avgAccess: body.avgAccess, regionIds: body.regionIds, practitionerId: nil, principal)
            let updated = try await workflows.updateMembership(
                id: id, MembershipChanges(avgAccess: body.avgAccess, manager: body.manager, regionIds: body.regionIds),
                by: principal.actor(request))
            return try APIJSON.response(MembershipJSON(updated))
        }

        routes.authed(.DELETE, "/v1/memberships/:id") { request, principal in
            let id = try request.uuidParameter("id", "membership")
            guard let target = try await identity.membership(id: id), Access.manages(target, principal) else {
                throw APIProblem.notFound("membership")
            }
            try await workflows.revokeMembership(id: id, by: principal.actor(request))
            return HTTPResponse(status: .noContent)
        }
    }
}

/// Who may manage which organisation's people, and what they may hand out.
enum Access {
    /// Admins manage every membership; a manager those of her own organisation, except admins'.
    static func manages(_ target: Membership, _ principal: Principal) -> Bool {
        principal.isAdmin || (principal.membership.manager && principal.organization.id == target.organizationId && target.role != .admin)
    }

    /// `nil` organisation means "the register" for admins (who may do anything).
    static func requireManager(of organizationId: UUID?, _ principal: Principal) throws {
        guard principal.isAdmin || (principal.membership.manager && organizationId == principal.organization.id) else {
            throw APIProblem.forbidden("only admins, and managers for their own organisation, manage memberships")
        }
    }

    static func grantableRole(_ text: String, regionIds: [UUID]?, _ principal: Principal) throws -> Role {
        guard let role = Role(rawValue: text) else {
            throw APIProblem.validation([
                .init(field: "role", message: "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            ])
        }
        if let regionIds, !regionIds.isEmpty, role != .coordinator {
            throw APIProblem.validation([.init(field: "regionIds", message: "only coordinators have regions")])
        }
        if role == .admin && !principal.isAdmin { throw APIProblem.forbidden("only admins create admins") }
        return role
    }

    /// A manager never hands out more than she holds: no AVG access she lacks, no region outside her own,
    /// and no link to a practitioner's record (that is the register's act).
    static func requireGrantable(avgAccess: Bool?, regionIds: [UUID]?, practitionerId: UUID?, _ principal: Principal) throws {
        guard !principal.isAdmin else { return }
        if practitionerId != nil { throw APIProblem.forbidden("only admins link an account to a practitioner") }
        if avgAccess == true && !principal.membership.avgAccess {
            throw APIProblem.forbidden("you cannot grant AVG access that your own membership does not have")
        }
        if let regionIds, !Set(regionIds).isSubset(of: Set(principal.membership.regionIds)) {
            throw APIProblem.forbidden("you can only grant regions of your own membership")
        }
    }
}

struct CreatedMembershipJSON: Encodable {
    let membership: MembershipJSON
    let token: String
    let tokenExpiresAt: Date?
}

struct MemberJSON: Encodable {
    let membership: MembershipJSON
    let name: String
    let email: String
    let lastUsedAt: Date?

    init(_ m: MemberListing) {
        membership = MembershipJSON(m.membership)
        name = m.userName
        email = m.userEmail
        lastUsedAt = m.lastUsedAt
    }
}
