import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// Koppelen (DOMAIN §7a, the manual's "Gebruiker toevoegen"): `POST /v1/organizations/{id}/memberships` links
/// a person who already has an account, by email, to the organisation. The new membership's token goes to her
/// by email (outbox `membershipCredential`); the answer to the manager never holds it.
struct LinkingRoutes {
    let workflows: IdentityWorkflows

    struct LinkBody: Decodable {
        let email: String
        let role: String
        let avgAccess: Bool
        let manager: Bool?
        let regionIds: [UUID]?
    }

    func register(_ routes: inout RouteBuilder) {
        let workflows = self.workflows

        routes.authed(.POST, "/v1/organizations/:id/memberships") { request, principal in
            let orgId = try request.uuidParameter("id", "organization")
            // Only this organisation's managers (and admins) learn that the organisation exists here.
            guard principal.isAdmin || (principal.membership.manager && principal.organization.id == orgId) else {
                throw APIProblem.notFound("organization")
            }
            let body = try APIJSON.decode(LinkBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let email = EmailAddress.normalized(body.email)
            if email == nil { errors.append(.init(field: "email", message: "must be an email address")) }
            var role: Role?
            do { role = try Access.grantableRole(body.role, regionIds: body.regionIds, principal) } catch let p as APIProblem
                where p.errors != nil
            {
                errors += p.errors ?? []
            }
            guard errors.isEmpty, let role, let email else { throw APIProblem.validation(errors) }
            try Access.requireGrantable(avgAccess: body.avgAccess, regionIds: body.regionIds, practitionerId: nil, principal)
            if role == .practitioner { throw APIProblem.forbidden("only admins link an account to a practitioner") }
            let credential = LinkingRoutes.credential()
            guard
                let linked = try await workflows.linkAccount(
                    email: email, organizationId: orgId,
                    membership: NewMembership(
                        organizationId: orgId, role: role, avgAccess: body.avgAccess, manager: body.manager ?? false,
                        regionIds: body.regionIds ?? []),
                    credential: credential, by: principal.actor(request))
            else {
                // Admins may know which accounts exist (they list them); a manager learns only "not found".
                if principal.isAdmin { throw APIProblem.refused([IdentityRefusals.noAccountWithEmail]) }
                throw APIProblem.notFound("account with this email")
            }
            let (_, membership, token) = linked
            return try APIJSON.response(
                LinkedMembershipJSON(membership: MembershipJSON(membership), tokenExpiresAt: token.expiresAt, credentialSentTo: email),
                status: .created, location: "/v1/memberships/\(membership.id.lowercasedString)")
        }
    }

    /// A fresh token for a membership whose credential is emailed; only its hash is stored.
    static func credential() -> EmailedCredential {
        let token = SecretToken.generate()
        return EmailedCredential(token: token, hash: SecretToken.hash(token), expiresAt: TokenRoutes.expiry(days: TokenRoutes.defaultDays))
    }
}

/// A membership whose token went to the person by email: no secret in it.
struct LinkedMembershipJSON: Encodable {
    let membership: MembershipJSON
    let tokenExpiresAt: Date?
    /// Where the token went (the email she has the account under, as given).
    let credentialSentTo: String
}
