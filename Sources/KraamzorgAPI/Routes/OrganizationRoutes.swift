import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// `/v1/organizations`: admins manage organisations; members read their own.
struct OrganizationRoutes {
    let identity: IdentityStore
    let workflows: IdentityWorkflows
    let waitlists: WaitlistStore
    let regions: RegionWorkflows

    struct CreateBody: Decodable {
        let kind: String
        let name: String
        let parentId: UUID?
        let agbCode: String?
        let kvkNumber: String?
        let regionIds: [UUID]?
        let preferentRegionIds: [UUID]?
        let contact: ContactJSON?
    }

    struct PatchBody: Decodable {
        let name: String?
        let agbCode: String??
        let kvkNumber: String??
        let regionIds: [UUID]?
        let preferentRegionIds: [UUID]?
        /// Replaces the whole contact; `{}` clears it.
        let contact: ContactJSON?

        enum CodingKeys: String, CodingKey { case name, agbCode, kvkNumber, regionIds, preferentRegionIds, contact }

        // Distinguishes an absent field (leave it) from an explicit null (clear it).
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            agbCode =
                c.contains(.agbCode) ? .some(try c.decodeNil(forKey: .agbCode) ? nil : try c.decode(String.self, forKey: .agbCode)) : nil
            kvkNumber =
                c.contains(.kvkNumber)
                ? .some(try c.decodeNil(forKey: .kvkNumber) ? nil : try c.decode(String.self, forKey: .kvkNumber)) : nil
            regionIds = try c.decodeIfPresent([UUID].self, forKey: .regionIds)
            preferentRegionIds = try c.decodeIfPresent([UUID].self, forKey: .preferentRegionIds)
            contact = try c.decodeIfPresent(ContactJSON.self, forKey: .contact)
        }
    }

    /// Waitlist regions: a care provider serves `regionIds`, an insurer is preferent in `preferentRegionIds`.
    static func regionErrors(kind: OrganizationKind, regionIds: [UUID]?, preferentRegionIds: [UUID]?) -> [APIProblem.FieldError] {
        var errors: [APIProblem.FieldError] = []
        if regionIds != nil && kind != .careProvider {
            errors.append(.init(field: "regionIds", message: "only care providers serve regions"))
        }
        if preferentRegionIds != nil && kind != .insurer {
            errors.append(.init(field: "preferentRegionIds", message: "only insurers are preferent in regions"))
        }
        return errors
    }

    func register(_ routes: inout RouteBuilder) {
        let identity = self.identity, workflows = self.workflows, waitlists = self.waitlists, regions = self.regions

        @Sendable func json(_ org: Organization) async throws -> OrganizationJSON {
            var out = OrganizationJSON(org)
            if org.kind == .careProvider || org.kind == .insurer {
                let (served, preferent) = try await waitlists.organizationRegions(id: org.id)
                if org.kind == .careProvider { out.regionIds = served.map(\.lowercasedString) }
                if org.kind == .insurer { out.preferentRegionIds = preferent.map(\.lowercasedString) }
            }
            return out
        }

        routes.authed(.POST, "/v1/organizations", roles: [.admin]) { request, principal in
            let body = try APIJSON.decode(CreateBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let kind = OrganizationKind(rawValue: body.kind)
            if kind == nil || !OrganizationKind.creatable.contains(kind!) {
                errors.append(
                    .init(field: "kind", message: "must be one of \(OrganizationKind.creatable.map(\.rawValue).joined(separator: ", "))"))
            }
            let name = body.name.trimmingSpaces()
            errors += Validate.name(name, field: "name")
            errors += Validate.digits(body.agbCode, count: 8, field: "agbCode")
            errors += Validate.digits(body.kvkNumber, count: 8, field: "kvkNumber")
            let contact = body.contact?.validated(&errors) ?? .none
            if let kind {
                errors += OrganizationRoutes.regionErrors(
                    kind: kind, regionIds: body.regionIds, preferentRegionIds: body.preferentRegionIds)
            }
            guard errors.isEmpty, let kind else { throw APIProblem.validation(errors) }
            try await regions.validateRegions(
                (body.regionIds ?? []) + (body.preferentRegionIds ?? []), field: body.regionIds != nil ? "regionIds" : "preferentRegionIds")
            let org = try await workflows.createOrganization(
                NewOrganization(
                    kind: kind, name: name, parentId: body.parentId, agbCode: body.agbCode, kvkNumber: body.kvkNumber, contact: contact),
                by: principal.actor(request))
            try await regions.setOrganizationRegions(
                id: org.id, served: body.regionIds, preferent: body.preferentRegionIds, by: principal.actor(request))
            return try APIJSON.response(try await json(org), status: .created, location: "/v1/organizations/\(org.id.lowercasedString)")
        }

        routes.authed(.GET, "/v1/organizations") { request, principal in
            var kind: OrganizationKind?
            if let text = request.query("kind") {
                guard let k = OrganizationKind(rawValue: text) else {
                    throw APIProblem.validation([
                        .init(field: "kind", message: "must be one of \(OrganizationKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    ])
                }
                kind = k
            }
            // Members see their own organisation only.
            let only = principal.isAdmin ? nil : principal.organization.id
            let page = try await identity.organizations(kind: kind, only: only, page: try request.pageRequest())
            return try APIJSON.response(
                ListBody(items: page.items.map(OrganizationJSON.init), total: page.total, nextCursor: page.nextCursor))
        }

        routes.authed(.GET, "/v1/organizations/:id") { request, principal in
            let id = try request.uuidParameter("id", "organization")
            guard principal.isAdmin || principal.organization.id == id, let org = try await identity.organization(id: id) else {
                throw APIProblem.notFound("organization")
            }
            return try APIJSON.response(try await json(org))
        }

        routes.authed(.PATCH, "/v1/organizations/:id", roles: [.admin]) { request, principal in
            let id = try request.uuidParameter("id", "organization")
            let body = try APIJSON.decode(PatchBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let name = body.name?.trimmingSpaces()
            if let name { errors += Validate.name(name, field: "name") }
            errors += Validate.digits(body.agbCode ?? nil, count: 8, field: "agbCode")
            errors += Validate.digits(body.kvkNumber ?? nil, count: 8, field: "kvkNumber")
            let contact = body.contact?.validated(&errors)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            // Which lists an organisation has depends on its stored kind: a rule about the state, so 422 (refused).
            if body.regionIds != nil || body.preferentRegionIds != nil {
                guard let existing = try await identity.organization(id: id) else { throw APIProblem.notFound("organization") }
                let refusals = OrganizationRoutes.regionErrors(
                    kind: existing.kind, regionIds: body.regionIds, preferentRegionIds: body.preferentRegionIds)
                guard refusals.isEmpty else { throw APIProblem.refused(refusals.map { .init(field: $0.field, message: $0.message) }) }
            }
            try await regions.validateRegions(
                (body.regionIds ?? []) + (body.preferentRegionIds ?? []), field: body.regionIds != nil ? "regionIds" : "preferentRegionIds")
            let org = try await identity.updateOrganization(
                id: id, OrganizationChanges(name: name, agbCode: body.agbCode, kvkNumber: body.kvkNumber, contact: contact),
                by: principal.actor(request))
            try await regions.setOrganizationRegions(
                id: org.id, served: body.regionIds, preferent: body.preferentRegionIds, by: principal.actor(request))
            return try APIJSON.response(try await json(org))
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
    /// How a client reaches it (DOMAIN §7a); always present, its parts only when set.
    let contact: ContactJSON
    /// Care providers: the waitlist regions served. Insurers: the regions where preferent.
    var regionIds: [String]?
    var preferentRegionIds: [String]?

    init(_ o: Organization) {
        id = o.id.lowercasedString
        kind = o.kind.rawValue
        name = o.name
        parentId = o.parentId?.lowercasedString
        agbCode = o.agbCode
        kvkNumber = o.kvkNumber
        createdAt = o.createdAt
        contact = ContactJSON(o.contact)
    }
}
