import Foundation
import HTTPServer
import KraamzorgRules
import KraamzorgStore

/// `/v1/organizations`: admins manage organisations; members read their own.
struct OrganizationRoutes {
    let identity: IdentityStore

    struct CreateBody: Decodable {
        let kind: String
        let name: String
        let parentId: UUID?
        let agbCode: String?
        let kvkNumber: String?
    }

    struct PatchBody: Decodable {
        let name: String?
        let agbCode: String??
        let kvkNumber: String??

        enum CodingKeys: String, CodingKey { case name, agbCode, kvkNumber }

        // Distinguishes an absent field (leave it) from an explicit null (clear it).
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            agbCode = c.contains(.agbCode) ? .some(try c.decodeNil(forKey: .agbCode) ? nil : try c.decode(String.self, forKey: .agbCode)) : nil
            kvkNumber = c.contains(.kvkNumber) ? .some(try c.decodeNil(forKey: .kvkNumber) ? nil : try c.decode(String.self, forKey: .kvkNumber)) : nil
        }
    }

    func register(_ routes: inout RouteBuilder) {
        let identity = self.identity

        routes.authed(.POST, "/v1/organizations", roles: [.admin]) { request, principal in
            let body = try APIJSON.decode(CreateBody.self, from: request)
            var errors: [Problem.FieldError] = []
            let kind = OrganizationKind(rawValue: body.kind)
            if kind == nil || !OrganizationKind.creatable.contains(kind!) {
                errors.append(.init(field: "kind", message: "must be one of \(OrganizationKind.creatable.map(\.rawValue).joined(separator: ", "))"))
            }
            let name = body.name.trimmingSpaces()
            errors += Validate.name(name, field: "name")
            errors += Validate.digits(body.agbCode, count: 8, field: "agbCode")
            errors += Validate.digits(body.kvkNumber, count: 8, field: "kvkNumber")
            guard errors.isEmpty, let kind else { throw Problem.validation(errors) }
            let org = try await identity.createOrganization(
                NewOrganization(kind: kind, name: name, parentId: body.parentId, agbCode: body.agbCode, kvkNumber: body.kvkNumber),
                by: principal.actor(request))
            return try APIJSON.response(OrganizationJSON(org), status: .created, location: "/v1/organizations/\(org.id.lowercased)")
        }

        routes.authed(.GET, "/v1/organizations") { request, principal in
            var kind: OrganizationKind?
            if let text = request.query("kind") {
                guard let k = OrganizationKind(rawValue: text) else {
                    throw Problem.validation([.init(field: "kind", message: "must be one of \(OrganizationKind.allCases.map(\.rawValue).joined(separator: ", "))")])
                }
                kind = k
            }
            // Members see their own organisation only.
            let only = principal.isAdmin ? nil : principal.organization.id
            let page = try await identity.organizations(kind: kind, only: only, page: try request.pageRequest())
            return try APIJSON.response(ListBody(items: page.items.map(OrganizationJSON.init), total: page.total, nextCursor: page.nextCursor))
        }

        routes.authed(.GET, "/v1/organizations/:id") { request, principal in
            let id = try request.uuidParameter("id", "organization")
            guard principal.isAdmin || principal.organization.id == id, let org = try await identity.organization(id: id) else {
                throw Problem.notFound("organization")
            }
            return try APIJSON.response(OrganizationJSON(org))
        }

        routes.authed(.PATCH, "/v1/organizations/:id", roles: [.admin]) { request, principal in
            let id = try request.uuidParameter("id", "organization")
            let body = try APIJSON.decode(PatchBody.self, from: request)
            var errors: [Problem.FieldError] = []
            let name = body.name?.trimmingSpaces()
            if let name { errors += Validate.name(name, field: "name") }
            errors += Validate.digits(body.agbCode ?? nil, count: 8, field: "agbCode")
            errors += Validate.digits(body.kvkNumber ?? nil, count: 8, field: "kvkNumber")
            guard errors.isEmpty else { throw Problem.validation(errors) }
            let org = try await identity.updateOrganization(
                id: id, OrganizationChanges(name: name, agbCode: body.agbCode, kvkNumber: body.kvkNumber), by: principal.actor(request))
            return try APIJSON.response(OrganizationJSON(org))
        }
    }
}

struct OrganizationJSON: Encodable {
    let id: String
    let kind: String
    let name: String
    let parentId: String?
    let agbCode: String?
    let kvkNumber: String?
    let createdAt: Date

    init(_ o: Organization) {
        id = o.id.lowercased
        kind = o.kind.rawValue
        name = o.name
        parentId = o.parentId?.lowercased
        agbCode = o.agbCode
        kvkNumber = o.kvkNumber
        createdAt = o.createdAt
    }
}

extension UUID {
    /// UUIDs go out in lower case, as PostgreSQL prints them.
    var lowercased: String { uuidString.lowercased() }
}
