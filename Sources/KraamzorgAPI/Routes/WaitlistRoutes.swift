import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// Regions, waitlists, step 1 (availability) and step 2 (invitations), and the client's invitation link.
struct WaitlistRoutes {
    let waitlists: WaitlistStore
    let regions: RegionWorkflows
    let waitlistWorkflows: WaitlistWorkflows
    let workflows: ClientWorkflows
    let publicBaseURL: String
    let clock: DutchClock

    struct RegionBody: Decodable {
        let name: String?
        let postcodeRanges: [PostcodeRange]?
        let preferentInsurerIds: [UUID]?
        let clientInfo: String?
    }

    struct WaitlistBody: Decodable {
        let regionId: UUID?
        let name: String?
        let status: WaitlistStatus?
        let dueFrom: CivilDate?
        let dueTo: CivilDate?
    }

    struct InvitationBody: Decodable {
        let clientNumber: String
        let email: String
        let postcode: String
        let dueDate: CivilDate
        let insurerId: UUID?
    }

    struct AcceptBody: Decodable {
        let firstName: String
        let lastName: String
        let phone: String
        let postcode: String
        let dueDate: CivilDate
        let preferredProviderIds: [UUID]?
        let consent: Bool?
        let consentVersion: String?
    }

    static let readers: Set<Role> = [.admin, .coordinator, .insurer, .careProvider]

    func register(_ routes: inout RouteBuilder) {
        let clock = self.clock
        let waitlists = self.waitlists, regions = self.regions, waitlistWorkflows = self.waitlistWorkflows, workflows = self.workflows
        let base = self.publicBaseURL

        // MARK: regions

        routes.authed(.POST, "/v1/regions", roles: [.admin]) { request, principal in
            let body = try APIJSON.decode(RegionBody.self, from: request)
            let name = (body.name ?? "").trimmingSpaces()
            var errors = Validate.name(name, field: "name")
            if body.postcodeRanges?.isEmpty ?? true {
                errors.append(.init(field: "postcodeRanges", message: "must list at least one range"))
            }
            errors += WaitlistRoutes.clientInfoErrors(body.clientInfo)
            guard errors.isEmpty, let ranges = body.postcodeRanges else { throw APIProblem.validation(errors) }
            let region = try await regions.createRegion(
                NewRegion(
                    name: name, postcodeRanges: ranges, preferentInsurerIds: body.preferentInsurerIds ?? [],
                    clientInfo: body.clientInfo ?? ""),
                by: principal.actor(request))
            return try APIJSON.response(RegionJSON(region), status: .created, location: "/v1/regions/\(region.id.lowercasedString)")
        }

        routes.authed(.GET, "/v1/regions") { request, _ in
            let page = try await waitlists.regions(page: try request.pageRequest())
            return try APIJSON.response(ListBody(items: page.items.map(RegionJSON.init), total: page.total, nextCursor: page.nextCursor))
        }

        routes.authed(.GET, "/v1/regions/:id") { request, _ in
            let id = try request.uuidParameter("id", "region")
            guard let region = try await waitlists.region(id: id) else { throw APIProblem.notFound("region") }
            return try APIJSON.response(RegionJSON(region))
        }

        routes.authed(.PATCH, "/v1/regions/:id", roles: [.admin]) { request, principal in
            let id = try request.uuidParameter("id", "region")
            let body = try APIJSON.decode(RegionBody.self, from: request)
            let name = body.name?.trimmingSpaces()
            var errors: [APIProblem.FieldError] = []
            if let name { errors += Validate.name(name, field: "name") }
            if let r = body.postcodeRanges, r.isEmpty {
                errors.append(.init(field: "postcodeRanges", message: "must list at least one range"))
            }
            errors += WaitlistRoutes.clientInfoErrors(body.clientInfo)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let region = try await regions.updateRegion(
                id: id,
                RegionChanges(
                    name: name, postcodeRanges: body.postcodeRanges, preferentInsurerIds: body.preferentInsurerIds,
                    clientInfo: body.clientInfo),
                by: principal.actor(request))
            return try APIJSON.response(RegionJSON(region))
        }

        // MARK: waitlists

        routes.authed(.POST, "/v1/waitlists", roles: [.admin, .coordinator]) { request, principal in
            let body = try APIJSON.decode(WaitlistBody.self, from: request)
            let name = (body.name ?? "").trimmingSpaces()
            var errors = Validate.name(name, field: "name")
            if body.regionId == nil { errors.append(.init(field: "regionId", message: "is required")) }
            if body.status == nil { errors.append(.init(field: "status", message: "must be open or closed")) }
            if body.dueFrom == nil { errors.append(.init(field: "dueFrom", message: "is required")) }
            if body.dueTo == nil { errors.append(.init(field: "dueTo", message: "is required")) }
            var range: DueDateRange?
            if let f = body.dueFrom, let t = body.dueTo {
                do throws(DueDateRangeError) { range = try DueDateRange(dueFrom: f, dueTo: t) } catch {
                    errors.append(.init(field: "dueTo", message: error.message))
                }
            }
            guard errors.isEmpty, let regionId = body.regionId, let status = body.status, let range else {
                throw APIProblem.validation(errors)
            }
            try WaitlistRoutes.requireRegionRights(regionId, principal)
            let w = try await waitlistWorkflows.createWaitlist(
                regionId: regionId, name: name, status: status, dueDates: range, by: principal.actor(request))
            return try APIJSON.response(WaitlistJSON(w), status: .created, location: "/v1/waitlists/\(w.id.lowercasedString)")
        }

        // The parties of the waitlists read them (insurers and providers need their ids and ranges);
        // practitioners and course providers have no business there. Changes: admin and the region's coordinators.
        routes.authed(.GET, "/v1/waitlists", roles: WaitlistRoutes.readers) { request, _ in
            var regionId: UUID? = nil
            if let text = request.query("regionId") {
                guard let id = UUID(uuidString: text) else {
                    throw APIProblem.validation([.init(field: "regionId", message: "must be a region id")])
                }
                regionId = id
            }
            var status: WaitlistStatus?
            if let text = request.query("status") {
                guard let s = WaitlistStatus(rawValue: text) else {
                    throw APIProblem.validation([.init(field: "status", message: "must be open or closed")])
                }
                status = s
            }
            let page = try request.pageRequest()
            var after: (dueFrom: CivilDate, id: UUID)?
            if let cursor = page.after {
                guard let position = WaitlistStore.waitlistCursorPosition(cursor) else {
                    throw APIProblem.validation([.init(field: "cursor", message: "is not a cursor this API gave out")])
                }
                after = position
            }
            let found = try await waitlists.waitlists(regionId: regionId, status: status, limit: page.limit, after: after)
            return try APIJSON.response(
                ListBody(items: found.items.map(WaitlistJSON.init), total: found.total, nextCursor: found.nextCursor))
        }

        // Step 1 (literal path: wins over /v1/waitlists/:id).
        routes.authed(.GET, "/v1/waitlists/availability") { request, _ in
            var errors: [APIProblem.FieldError] = []
            var area: PC4?
            do throws(PostcodeError) { area = try PostcodeOrArea(parsing: request.query("postcode") ?? "").area } catch {
                errors.append(.init(field: "postcode", message: error.message))
            }
            let due = request.query("dueDate").flatMap { CivilDate(iso: $0) }
            if due == nil { errors.append(.init(field: "dueDate", message: "must be a date YYYY-MM-DD")) }
            guard errors.isEmpty, let area, let due else { throw APIProblem.validation(errors) }
            let (answer, _) = try await waitlists.availability(area: area, dueDate: due)
            return try APIJSON.response(AvailabilityJSON(answer))
        }

        routes.authed(.GET, "/v1/waitlists/:id", roles: WaitlistRoutes.readers) { request, _ in
            let id = try request.uuidParameter("id", "waitlist")
            guard let w = try await waitlists.waitlist(id: id) else { throw APIProblem.notFound("waitlist") }
            return try APIJSON.response(WaitlistJSON(w))
        }

        routes.authed(.PATCH, "/v1/waitlists/:id", roles: [.admin, .coordinator]) { request, principal in
            let id = try request.uuidParameter("id", "waitlist")
            let body = try APIJSON.decode(WaitlistBody.self, from: request)
            guard let existing = try await waitlists.waitlist(id: id) else { throw APIProblem.notFound("waitlist") }
            try WaitlistRoutes.requireRegionRights(existing.regionId, principal)
            var errors: [APIProblem.FieldError] = []
            let name = body.name?.trimmingSpaces()
            if let name { errors += Validate.name(name, field: "name") }
            if let r = body.regionId, r != existing.regionId {
                errors.append(.init(field: "regionId", message: "a waitlist cannot move to another region"))
            }
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let w = try await waitlistWorkflows.updateWaitlist(
                id: id, WaitlistChanges(name: name, status: body.status, dueFrom: body.dueFrom, dueTo: body.dueTo),
                by: principal.actor(request))
            return try APIJSON.response(WaitlistJSON(w))
        }

        // MARK: step 2: invitations

        routes.authed(.POST, "/v1/waitlists/:id/invitations", roles: [.admin, .coordinator, .insurer]) { request, principal in
            let waitlistId = try request.uuidParameter("id", "waitlist")
            let body = try APIJSON.decode(InvitationBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let number = ClientNumber(body.clientNumber)
            if number == nil || body.clientNumber.count > 64 {
                errors.append(.init(field: "clientNumber", message: "must be the insurer's client number (1–64 characters)"))
            }
            let email = EmailAddress.normalized(body.email)
            if email == nil { errors.append(.init(field: "email", message: "must be an email address")) }
            var postcode: PostcodeOrArea?
            do throws(PostcodeError) { postcode = try PostcodeOrArea(parsing: body.postcode) } catch {
                errors.append(.init(field: "postcode", message: error.message))
            }
            var insurerId = body.insurerId
            if principal.role == .insurer {
                // Acting for another insurer is a matter of rights, not of the body's shape: 403.
                if let given = body.insurerId, given != principal.organization.id {
                    throw APIProblem.forbidden("an insurer invites its own insured only (leave insurerId out)")
                }
                insurerId = principal.organization.id
            }
            guard errors.isEmpty, let number, let email, let postcode else { throw APIProblem.validation(errors) }
            // Whether the body must name the insurer depends on who calls, not on its shape: refused (422).
            guard let insurerId else {
                throw APIProblem.refused([.init(field: "insurerId", message: "is required unless you act for an insurer")])
            }
            guard let waitlist = try await waitlists.waitlist(id: waitlistId) else { throw APIProblem.notFound("waitlist") }
            let viewer = try await waitlists.viewer(for: principal)
            guard viewer.mayInvite(toRegion: waitlist.regionId.lowercasedString) else {
                // A coordinator of another region does not learn of this waitlist; one of its region without AVG
                // access, like an insurer member without it, is told why (DOMAIN §7a).
                if principal.role == .coordinator && !principal.membership.regionIds.contains(waitlist.regionId) {
                    throw APIProblem.notFound("waitlist")
                }
                throw APIProblem.forbidden("inviting a client means entering her email: it needs AVG access (group 2)")
            }
            let token = SecretToken.generate()
            let created = try await workflows.createInvitation(
                NewInvitation(
                    waitlistId: waitlistId, insurerId: insurerId, clientNumber: number, email: email, postcode: postcode,
                    dueDate: body.dueDate, tokenHash: SecretToken.hash(token), link: "\(base)/uitnodiging/\(token)"),
                invitedBy: principal.membership.id, by: principal.actor(request))
            return try APIJSON.response(
                InvitationJSON(
                    id: created.id.lowercasedString, clientId: created.clientId.lowercasedString,
                    waitlistId: created.waitlistId.lowercasedString, status: "invited", expiresAt: created.expiresAt),
                status: .created, location: "/v1/clients/\(created.clientId.lowercasedString)")
        }

        // MARK: the client's invitation link (the token is the credential)

        routes.open(.GET, "/v1/invitations/:token", options: RouteOptions(rateLimit: RouteClasses.clientLinks)) { request in
            let hash = try WaitlistRoutes.tokenHash(request, "invitation")
            guard let view = try await workflows.invitation(tokenHash: hash, actor: WaitlistRoutes.clientActor(request)) else {
                throw APIProblem.notFound("invitation")
            }
            return try APIJSON.response(InvitationViewJSON(view))
        }

        routes.open(.POST, "/v1/invitations/:token/accept", options: RouteOptions(rateLimit: RouteClasses.clientLinks)) { request in
            let hash = try WaitlistRoutes.tokenHash(request, "invitation")
            let body = try APIJSON.decode(AcceptBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let first = body.firstName.trimmingSpaces(), last = body.lastName.trimmingSpaces(), phone = body.phone.trimmingSpaces()
            errors += Validate.name(first, field: "firstName")
            errors += Validate.name(last, field: "lastName")
            if !WaitlistRoutes.isPhone(phone) {
                errors.append(.init(field: "phone", message: "must be a phone number (digits, spaces, +, -)"))
            }
            var postcode: Postcode?
            do throws(PostcodeError) { postcode = try Postcode(parsing: body.postcode) } catch {
                errors.append(.init(field: "postcode", message: error.message))
            }
            if body.consent != true {
                errors.append(.init(field: "consent", message: "must be true: without your consent you cannot be placed"))
            }
            guard errors.isEmpty, let postcode else { throw APIProblem.validation(errors) }
            if let v = body.consentVersion, v != Consent.currentVersion {
                throw APIProblem.conflict(
                    "the consent text changed (current version \(Consent.currentVersion)); read it again and accept that version")
            }
            let linkToken = SecretToken.generate()
            let placed = try await workflows.accept(
                tokenHash: hash,
                Acceptance(
                    firstName: first, lastName: last, phone: phone, postcode: postcode, dueDate: body.dueDate,
                    preferredProviderIds: body.preferredProviderIds ?? [], consentVersion: body.consentVersion ?? Consent.currentVersion,
                    linkTokenHash: SecretToken.hash(linkToken), linkURL: "\(base)/aanmelding/\(linkToken)"),
                actor: WaitlistRoutes.clientActor(request))
            return try APIJSON.response(OwnPlacementJSON(placed, clientInfo: nil, today: clock.today), status: .created)
        }
    }

    static func clientInfoErrors(_ text: String?) -> [APIProblem.FieldError] {
        guard let text, text.count > 20_000 else { return [] }
        return [.init(field: "clientInfo", message: "must be at most 20000 characters")]
    }

    static func requireRegionRights(_ regionId: UUID, _ principal: Principal) throws {
        guard principal.isAdmin || (principal.role == .coordinator && principal.membership.regionIds.contains(regionId)) else {
            throw APIProblem.forbidden("only admins and coordinators of this region manage its waitlists")
        }
    }

    static func tokenHash(_ request: HTTPRequest, _ what: String) throws -> [UInt8] {
        guard let token = request.pathParameters["token"], !token.isEmpty, token.utf8.count <= 256 else { throw APIProblem.notFound(what) }
        return SecretToken.hash(token)
    }

    /// The client acting through her link: no membership, logged as "client".
    static func clientActor(_ request: HTTPRequest) -> AuditActor {
        AuditActor(
            userId: nil, userName: "client (link)", organizationId: nil, role: "client", membershipId: nil, requestId: request.requestId)
    }

    static func isPhone(_ text: String) -> Bool {
        let digits = text.filter(\.isNumber).count
        return digits >= 8 && digits <= 15 && text.count <= 40
            && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || " +-()".unicodeScalars.contains($0) }
    }
}
