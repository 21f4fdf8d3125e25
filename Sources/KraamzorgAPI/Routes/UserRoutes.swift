import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// `/v1/users` and `/v1/me`: people, the memberships they act through, and their first token.
struct UserRoutes {
    let identity: IdentityStore
    let workflows: IdentityWorkflows

    struct CreateBody: Decodable {
        let name: String
        let email: String
        let role: String
        let organizationId: UUID?
        let practitionerId: UUID?
        let avgAccess: Bool
        let manager: Bool?
        let regionIds: [UUID]?
    }

    func register(_ routes: inout RouteBuilder) {
        let identity = self.identity, workflows = self.workflows

        // Admins create anyone; a manager creates colleagues in her own organisation.
        routes.authed(.POST, "/v1/users") { request, principal in
            let body = try APIJSON.decode(CreateBody.self, from: request)
            let organizationId = body.organizationId ?? (principal.isAdmin ? nil : principal.organization.id)
            try Access.requireManager(of: organizationId, principal)
            var errors: [APIProblem.FieldError] = []
            let name = body.name.trimmingSpaces()
            errors += Validate.name(name, field: "name")
            let email = EmailAddress.normalized(body.email)
            if email == nil { errors.append(.init(field: "email", message: "must be an email address")) }
            var role: Role?
            do { role = try Access.grantableRole(body.role, regionIds: body.regionIds, principal) } catch let p as APIProblem
                where p.errors != nil
            {
                errors += p.errors ?? []
            }
            guard errors.isEmpty, let role, let email else { throw APIProblem.validation(errors) }
            try Access.requireGrantable(
                avgAccess: body.avgAccess, regionIds: body.regionIds, practitionerId: body.practitionerId, principal)

            if !principal.isAdmin, let organizationId {
                // A manager: the same answer whether or not the email already has an account (issue 21: no
                // oracle). An existing account is linked (koppelen); either way the token goes to the person by
                // email and never into this answer.
                let (user, membership, tokenRecord) = try await workflows.addPerson(
                    name: name, email: email, organizationId: organizationId,
                    membership: NewMembership(
                        organizationId: organizationId, role: role, avgAccess: body.avgAccess, manager: body.manager ?? false,
                        practitionerId: body.practitionerId, regionIds: body.regionIds ?? []),
                    credential: LinkingRoutes.credential(), by: principal.actor(request))
                let added = AddedPersonJSON(
                    id: user.id.lowercasedString, name: name, email: email, membership: MembershipJSON(membership),
                    tokenExpiresAt: tokenRecord.expiresAt, credentialSentTo: email)
                return try APIJSON.response(added, status: .created, location: "/v1/users/\(user.id.lowercasedString)")
            }
            let token = SecretToken.generate()
            let expiresAt = TokenRoutes.expiry(days: TokenRoutes.defaultDays)
            let (user, membership, tokenRecord) = try await workflows.createUser(
                name: name, email: email,
                membership: NewMembership(
                    organizationId: organizationId, role: role, avgAccess: body.avgAccess,
                    manager: body.manager ?? false, practitionerId: body.practitionerId,
                    regionIds: body.regionIds ?? []),
                tokenHash: SecretToken.hash(token), tokenExpiresAt: expiresAt, by: principal.actor(request))
            let created = CreatedUserJSON(
                id: user.id.lowercasedString, name: user.name, email: user.email,
                membership: MembershipJSON(membership), token: token, tokenExpiresAt: tokenRecord.expiresAt)
            return try APIJSON.response(
                created, status: .created, location: "/v1/users/\(user.id.lowercasedString)", showsASecret: true)
        }

        routes.authed(.DELETE, "/v1/users/:id", roles: [.admin]) { request, principal in
            let id = try request.uuidParameter("id", "user")
            try await identity.revokeUser(id: id, by: principal.actor(request))
            return HTTPResponse(status: .noContent)
        }

        // On the event loop's thread (`inline`): all it awaits is its token, from the cache or one shared read.
        routes.authed(.GET, "/v1/me", options: RouteOptions(inline: true)) { _, principal in
            try APIJSON.response(MeJSON(principal))
        }
    }
}

struct MembershipJSON: Encodable {
    let id: String
    let userId: String
    let organizationId: String
    let role: String
    let avgAccess: Bool
    let manager: Bool
    let practitionerId: String?
    let regionIds: [String]
    let createdAt: Date

    init(_ m: Membership) {
        id = m.id.lowercasedString
        userId = m.userId.lowercasedString
        organizationId = m.organizationId.lowercasedString
        role = m.role.rawValue
        avgAccess = m.avgAccess
        manager = m.manager
        practitionerId = m.practitionerId?.lowercasedString
        regionIds = m.regionIds.map(\.lowercasedString)
        createdAt = m.createdAt
    }
}

/// What a manager is told when she adds a person: the same for a new and an existing account. `name` is the
/// name as she gave it; the token went to `credentialSentTo` by email.
struct AddedPersonJSON: Encodable {
    let id: String
    let name: String
    let email: String
    let membership: MembershipJSON
    let tokenExpiresAt: Date?
    let credentialSentTo: String
}

/// The one response that carries a token's secret: it is shown here and never again.
struct CreatedUserJSON: Encodable {
    let id: String
    let name: String
    let email: String
    let membership: MembershipJSON
    let token: String
    let tokenExpiresAt: Date?
}

struct MeJSON: Encodable {
    struct UserPart: Encodable { let id: String; let name: String; let email: String }
    struct OrganizationPart: Encodable { let id: String; let kind: String; let name: String }
    struct TokenPart: Encodable { let id: String; let expiresAt: Date? }

    let user: UserPart
    let membership: MembershipJSON
    let organization: OrganizationPart
    let token: TokenPart

    init(_ p: Principal) {
        user = UserPart(id: p.user.id.lowercasedString, name: p.user.name, email: p.user.email)
        membership = MembershipJSON(p.membership)
        organization = OrganizationPart(
            id: p.organization.id.lowercasedString, kind: p.organization.kind.rawValue, name: p.organization.name)
        token = TokenPart(id: p.tokenId.lowercasedString, expiresAt: p.tokenExpiresAt)
    }
}
