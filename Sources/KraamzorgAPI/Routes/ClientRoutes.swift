import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// `/v1/clients`: lists and placements, every row and field decided by the visibility rules.
struct ClientRoutes {
    let waitlists: WaitlistStore
    let clients: ClientStore
    let workflows: ClientWorkflows
    let clock: DutchClock

    struct ReasonBody: Decodable { let reason: String }
    struct BirthBody: Decodable { let bornOn: CivilDate }

    func register(_ routes: inout RouteBuilder) {
        let clock = self.clock
        let waitlists = self.waitlists, clients = self.clients, workflows = self.workflows

        routes.authed(.GET, "/v1/clients") { request, principal in
            let page = try request.pageRequest()
            var errors: [APIProblem.FieldError] = []
            var filter = ClientFilter()
            if let s = request.query("status") {
                if let st = ClientStatus(rawValue: s), st != .invited {
                    filter.status = st
                } else {
                    errors.append(.init(field: "status", message: "must be waiting, enrolled, withdrawn or birthReported"))
                }
            }
            if let w = request.query("waitlistId") {
                if let id = UUID(uuidString: w) {
                    filter.waitlistId = id
                } else {
                    errors.append(.init(field: "waitlistId", message: "must be a waitlist id"))
                }
            }
            for (name, keyPath) in [("dueFrom", \ClientFilter.dueFrom), ("dueTo", \ClientFilter.dueTo)] {
                if let text = request.query(name) {
                    if let d = CivilDate(iso: text) {
                        filter[keyPath: keyPath] = d
                    } else {
                        errors.append(.init(field: name, message: "must be a date YYYY-MM-DD"))
                    }
                }
            }
            var urgent: Bool?
            if let u = request.query("urgent") {
                if u == "true" {
                    urgent = true
                } else if u == "false" {
                    urgent = false
                } else {
                    errors.append(.init(field: "urgent", message: "must be true or false"))
                }
            }
            let contains = request.query("postcodeContains").map { $0.filter { !$0.isWhitespace }.uppercased() }
            if let c = contains, c.isEmpty || c.count > 6 {
                errors.append(.init(field: "postcodeContains", message: "must be 1–6 characters of a postcode"))
            }
            guard errors.isEmpty else { throw APIProblem.validation(errors) }

            let viewer = try await waitlists.viewer(for: principal)
            let today = clock.today
            let query = ClientListQuery(filter: filter, urgent: urgent, postcodeContains: contains, today: today, page: page)
            if SpreadsheetCSV.wanted(request) {
                // The whole filtered list, not a page (up to the export's bound).
                var whole = query
                whole.page = .whole(upTo: ClientExport.maxRows)
                let all = try await clients.page(for: viewer, whole)
                return try await ClientExport.response(
                    all.rows.compactMap { $0.record.view(for: viewer, on: today) }, total: all.total, viewer: viewer, today: today,
                    principal: principal, request: request, clients: clients)
            }
            let found = try await clients.page(for: viewer, query)
            // The SQL chose the rows; the rules choose each row's fields.
            let slice = found.rows.compactMap { $0.record.view(for: viewer, on: today) }
            try await clients.audit(
                .search, clientIds: slice.compactMap { UUID(uuidString: $0.id) }, details: ["route": "GET /v1/clients"],
                by: principal.actor(request))
            return try APIJSON.response(ListBody(items: slice, total: found.total, nextCursor: found.next?.encoded))
        }

        routes.authed(.GET, "/v1/clients/:id") { request, principal in
            let (row, viewer) = try await ClientRoutes.visible(request, principal, waitlists, clients)
            try await clients.audit(.read, clientIds: [row.id], by: principal.actor(request))
            return try APIJSON.response(row.record.view(for: viewer, on: clock.today))
        }

        routes.authed(.POST, "/v1/clients/:id/enrolment", roles: [.careProvider]) { request, principal in
            let id = try request.uuidParameter("id", "client")
            let viewer = try await waitlists.viewer(for: principal)
            let enrolled = try await workflows.enrol(
                clientId: id, viewer: viewer, providerId: principal.organization.id, by: principal.actor(request))
            guard let view = enrolled.record.view(for: viewer, on: clock.today) else { throw APIProblem.notFound("client") }
            return try APIJSON.response(view, status: .created, location: "/v1/clients/\(id.lowercasedString)")
        }

        routes.authed(.POST, "/v1/clients/:id/release", roles: [.careProvider]) { request, principal in
            let id = try request.uuidParameter("id", "client")
            let body = try APIJSON.decode(ReasonBody.self, from: request)
            let reason = body.reason.trimmingSpaces()
            let errors = Validate.name(reason, field: "reason", max: 1000)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let viewer = try await waitlists.viewer(for: principal)
            let released: ClientRow
            do {
                released = try await workflows.release(
                    clientId: id, viewer: viewer, providerId: principal.organization.id, reason: reason,
                    by: principal.actor(request))
            } catch let limit as ReleaseLimitReached {
                throw APIProblem(
                    status: .tooManyRequests, title: "Too many hand-backs", detail: limit.message, kind: .tooManyHandBacks,
                    headers: [
                        "Retry-After": String(limit.retryAfterSeconds), "RateLimit-Limit": String(limit.limit),
                        "RateLimit-Remaining": "0", "RateLimit-Reset": String(limit.retryAfterSeconds),
                    ])
            }
            // After the release she is visible again as a waiting client (group 1) if the provider serves the region.
            if let view = released.record.view(for: viewer, on: clock.today) { return try APIJSON.response(view) }
            return try APIJSON.response(["id": id.lowercasedString, "status": released.status.rawValue])
        }

        routes.authed(.POST, "/v1/clients/:id/withdrawal", roles: [.coordinator, .admin]) { request, principal in
            let (row, viewer) = try await ClientRoutes.visible(request, principal, waitlists, clients)
            let body = try APIJSON.decode(ReasonBody.self, from: request)
            let reason = body.reason.trimmingSpaces()
            let errors = Validate.name(reason, field: "reason", max: 1000)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            guard viewer.mayActForClient(row.facts) else {
                throw APIProblem.forbidden("only coordinators of her region and admins act for a client")
            }
            let out = try await workflows.withdraw(clientId: row.id, reason: reason, consentWithdrawn: false, by: principal.actor(request))
            return try APIJSON.response(out.record.view(for: viewer, on: clock.today))
        }

        routes.authed(.POST, "/v1/clients/:id/birth", roles: [.coordinator, .admin]) { request, principal in
            let (row, viewer) = try await ClientRoutes.visible(request, principal, waitlists, clients)
            let body = try ClientRoutes.birth(request, today: clock.today)
            guard viewer.mayActForClient(row.facts) else {
                throw APIProblem.forbidden("only coordinators of her region and admins act for a client")
            }
            let out = try await workflows.reportBirth(clientId: row.id, bornOn: body.bornOn, by: principal.actor(request))
            return try APIJSON.response(out.record.view(for: viewer, on: clock.today))
        }

        // Her coordinator corrects a birth report (DOMAIN §7a): the date, or the report undone (no 24-hour limit).
        routes.authed(.PATCH, "/v1/clients/:id/birth", roles: [.coordinator, .admin]) { request, principal in
            let (row, viewer) = try await ClientRoutes.visible(request, principal, waitlists, clients)
            let body = try ClientRoutes.birth(request, today: clock.today)
            guard viewer.mayActForClient(row.facts) else {
                throw APIProblem.forbidden("only coordinators of her region and admins act for a client")
            }
            let out = try await workflows.correctBirthDate(clientId: row.id, bornOn: body.bornOn, by: principal.actor(request))
            return try APIJSON.response(out.record.view(for: viewer, on: clock.today))
        }

        routes.authed(.DELETE, "/v1/clients/:id/birth", roles: [.coordinator, .admin]) { request, principal in
            let (row, viewer) = try await ClientRoutes.visible(request, principal, waitlists, clients)
            guard viewer.mayActForClient(row.facts) else {
                throw APIProblem.forbidden("only coordinators of her region and admins act for a client")
            }
            let out = try await workflows.undoBirth(clientId: row.id, by: .coordinator, actor: principal.actor(request))
            return try APIJSON.response(out.record.view(for: viewer, on: clock.today))
        }
    }

    /// The client if the caller may know she exists (else 404), with the caller's viewer.
    /// A reported birth's date: a date, not in the future.
    static func birth(_ request: HTTPRequest, today: CivilDate) throws -> BirthBody {
        let body = try APIJSON.decode(BirthBody.self, from: request)
        guard body.bornOn <= today else { throw APIProblem.validation([.init(field: "bornOn", message: "must not be in the future")]) }
        return body
    }

    static func visible(_ request: HTTPRequest, _ principal: Principal, _ waitlists: WaitlistStore, _ clients: ClientStore) async throws
        -> (ClientRow, Viewer)
    {
        let id = try request.uuidParameter("id", "client")
        let viewer = try await waitlists.viewer(for: principal)
        guard let row = try await clients.client(id: id), viewer.canSee(row.facts) else { throw APIProblem.notFound("client") }
        return (row, viewer)
    }
}

/// The client's own link: `/v1/client-links/{token}` (the token is the credential).
struct ClientLinkRoutes {
    let clients: ClientStore
    let workflows: ClientWorkflows
    let clock: DutchClock

    struct WithdrawalBody: Decodable { let reason: String? }
    struct CorrectionBody: Decodable {
        let phone: String?
        let dueDate: CivilDate?
    }

    func register(_ routes: inout RouteBuilder) {
        let clock = self.clock
        let clients = self.clients, workflows = self.workflows

        @Sendable func clientId(_ request: HTTPRequest) async throws -> UUID {
            let hash = try WaitlistRoutes.tokenHash(request, "client link")
            guard let id = try await clients.clientId(linkTokenHash: hash) else { throw APIProblem.notFound("client link") }
            return id
        }

        routes.open(.GET, "/v1/client-links/:token", options: RouteOptions(rateLimit: RouteClasses.clientLinks)) { request in
            let id = try await clientId(request)
            let (row, region) = try await workflows.ownView(clientId: id, actor: WaitlistRoutes.clientActor(request))
            return try APIJSON.response(OwnPlacementJSON(row, clientInfo: region.clientInfo, today: clock.today))
        }

        routes.open(.POST, "/v1/client-links/:token/birth", options: RouteOptions(rateLimit: RouteClasses.clientLinks)) { request in
            let id = try await clientId(request)
            let body = try APIJSON.decode(ClientRoutes.BirthBody.self, from: request)
            guard body.bornOn <= clock.today else {
                throw APIProblem.validation([.init(field: "bornOn", message: "must not be in the future")])
            }
            let row = try await workflows.reportBirth(clientId: id, bornOn: body.bornOn, by: WaitlistRoutes.clientActor(request))
            return try APIJSON.response(OwnPlacementJSON(row, clientInfo: nil, today: clock.today))
        }

        // Her corrections (DOMAIN §7a): phone and/or due date; a due date outside her waitlist's range → 422 with
        // the reason (her coordinator is told).
        routes.open(.PATCH, "/v1/client-links/:token", options: RouteOptions(rateLimit: RouteClasses.clientLinks)) { request in
            let id = try await clientId(request)
            let body = try APIJSON.decode(CorrectionBody.self, from: request)
            let phone = body.phone?.trimmingSpaces()
            var errors: [APIProblem.FieldError] = []
            if phone == nil && body.dueDate == nil {
                errors.append(.init(field: "phone", message: "give phone, dueDate or both"))
            }
            if let phone, !WaitlistRoutes.isPhone(phone) {
                errors.append(.init(field: "phone", message: "must be a phone number (8 to 15 digits)"))
            }
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let row = try await workflows.correct(
                clientId: id, phone: phone, dueDate: body.dueDate, by: WaitlistRoutes.clientActor(request))
            return try APIJSON.response(OwnPlacementJSON(row, clientInfo: nil, today: clock.today))
        }

        // Her birth report undone, within 24 hours of it (after that: 409, her coordinator can correct it).
        routes.open(.DELETE, "/v1/client-links/:token/birth", options: RouteOptions(rateLimit: RouteClasses.clientLinks)) { request in
            let id = try await clientId(request)
            let row = try await workflows.undoBirth(clientId: id, by: .client, actor: WaitlistRoutes.clientActor(request))
            return try APIJSON.response(OwnPlacementJSON(row, clientInfo: nil, today: clock.today))
        }

        routes.open(.POST, "/v1/client-links/:token/withdrawal", options: RouteOptions(rateLimit: RouteClasses.clientLinks)) { request in
            let id = try await clientId(request)
            let body = request.body.isEmpty ? WithdrawalBody(reason: nil) : try APIJSON.decode(WithdrawalBody.self, from: request)
            let reason = (body.reason ?? "").trimmingSpaces()
            guard reason.count <= 1000 else {
                throw APIProblem.validation([.init(field: "reason", message: "must be at most 1000 characters")])
            }
            let row = try await workflows.withdraw(
                clientId: id, reason: reason.isEmpty ? "withdrawn by the client" : reason,
                consentWithdrawn: true, by: WaitlistRoutes.clientActor(request))
            return try APIJSON.response(OwnPlacementJSON(row, clientInfo: nil, today: clock.today))
        }

        routes.open(.GET, "/v1/client-links/:token/access-log", options: RouteOptions(rateLimit: RouteClasses.clientLinks)) { request in
            let id = try await clientId(request)
            let entries = try await workflows.accessLog(clientId: id, actor: WaitlistRoutes.clientActor(request))
            return try APIJSON.response(ListBody(items: entries.map(AccessLogJSON.init), total: entries.count, nextCursor: nil))
        }
    }
}

/// One line of her access log: newest first, without her own views; `who` names the organisation and role as
/// she recognises them (Dutch), `times` counts identical accesses within an hour.
struct AccessLogJSON: Encodable {
    let at: Date
    let action: String
    let organization: String?
    let role: String?
    let who: String
    let times: Int

    init(_ e: AccessLogEntry) {
        at = e.at
        action = e.action
        organization = e.organizationName
        role = e.role
        who = e.who
        times = e.times
    }
}
