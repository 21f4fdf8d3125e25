import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// EHBO certificates and period requests (extension/advance asked by the practitioner): both carry an
/// uploaded document checked by its content.
struct RegisterFileRoutes {
    let store: RegisterStore
    let workflows: RegisterWorkflows
    let ehboWorkflows: EhboWorkflows
    let clock: DutchClock

    struct EhboBody: Decodable { let obtainedOn: CivilDate; let validUntil: CivilDate }
    struct EhboReviewBody: Decodable { let decision: String; let reason: String? }
    struct RequestBody: Decodable {
        let kind: String
        let periodId: UUID
        let until: CivilDate?
        let nextStart: CivilDate?
        let reason: String
        let specialCircumstances: Bool?
    }
    struct DecisionBody: Decodable { let decision: String; let message: String }

    /// The certificate, when the caller is an admin or its practitioner; else 404.
    static func ehbo(_ request: HTTPRequest, _ principal: Principal, _ store: RegisterStore) async throws -> EhboRecord {
        let id = try request.uuidParameter("id", "EHBO certificate")
        guard let e = try await store.ehbo(id: id), principal.isAdmin || RegisterAccess.isSelf(principal, e.practitionerId) else {
            throw APIProblem.notFound("EHBO certificate")
        }
        return e
    }

    static func periodRequest(_ request: HTTPRequest, _ principal: Principal, _ store: RegisterStore) async throws -> PeriodRequestRecord {
        let id = try request.uuidParameter("id", "period request")
        guard let r = try await store.periodRequest(id: id), principal.isAdmin || RegisterAccess.isSelf(principal, r.practitionerId) else {
            throw APIProblem.notFound("period request")
        }
        return r
    }

    func register(_ routes: inout RouteBuilder) {
        let clock = self.clock
        let store = self.store, workflows = self.workflows, ehboWorkflows = self.ehboWorkflows

        // MARK: EHBO certificates

        routes.authed(.POST, "/v1/practitioners/:ref/ehbo-certificates", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let body = try APIJSON.decode(EhboBody.self, from: request)
            guard body.validUntil >= body.obtainedOn else {
                throw APIProblem.validation([.init(field: "validUntil", message: "must not be before obtainedOn")])
            }
            guard body.obtainedOn <= clock.today else {
                throw APIProblem.validation([.init(field: "obtainedOn", message: "must not be in the future")])
            }
            let e = try await store.createEhbo(
                practitionerId: p.id, obtainedOn: body.obtainedOn, validUntil: body.validUntil, by: principal.actor(request))
            return try APIJSON.response(EhboJSON(e), status: .created, location: "/v1/ehbo-certificates/\(e.id.lowercasedString)")
        }

        routes.authed(.GET, "/v1/practitioners/:ref/ehbo-certificates", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let list = try await store.ehboCertificates(practitionerId: p.id)
            try await store.auditRead(objectType: "ehboCertificate", objectId: p.id, by: principal.actor(request))
            return try APIJSON.response(ListBody(items: list.map(EhboJSON.init), total: list.count, nextCursor: nil))
        }

        routes.authed(.PUT, "/v1/ehbo-certificates/:id/file", roles: [.admin, .practitioner], options: Upload.options) {
            request, principal in
            let e = try await RegisterFileRoutes.ehbo(request, principal, store)
            let contentType = try Upload.check(request)
            return try APIJSON.response(
                EhboJSON(
                    try await ehboWorkflows.putFile(
                        certificateId: e.id, bytes: request.body, contentType: contentType,
                        by: principal.actor(request))))
        }

        routes.authed(.GET, "/v1/ehbo-certificates/:id/file", roles: [.admin, .practitioner]) { request, principal in
            let e = try await RegisterFileRoutes.ehbo(request, principal, store)
            guard let file = try await store.ehboFile(id: e.id) else { throw APIProblem.notFound("file") }
            try await store.auditRead(objectType: "ehboCertificateFile", objectId: e.id, by: principal.actor(request))
            return HTTPResponse(
                status: .ok,
                headers: [
                    "Content-Type": file.contentType,
                    "Content-Disposition": "attachment; filename=\"ehbo-\(e.id.lowercasedString)\"",
                ], body: file.bytes)
        }

        routes.authed(.POST, "/v1/ehbo-certificates/:id/review", roles: [.admin]) { request, principal in
            let e = try await RegisterFileRoutes.ehbo(request, principal, store)
            let body = try APIJSON.decode(EhboReviewBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            if !["approve", "reject"].contains(body.decision) {
                errors.append(.init(field: "decision", message: "must be approve or reject"))
            }
            let reason = Text.optional(body.reason, "reason", max: 2000, into: &errors)
            if body.decision == "reject" && reason == nil { errors.append(.init(field: "reason", message: "a rejection says why")) }
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            return try APIJSON.response(
                EhboJSON(
                    try await ehboWorkflows.review(
                        certificateId: e.id, approve: body.decision == "approve", reason: reason,
                        by: principal.actor(request))))
        }

        // MARK: period requests

        routes.authed(.POST, "/v1/practitioners/:ref/period-requests", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let body = try APIJSON.decode(RequestBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            switch body.kind {
            case "extension":
                if body.until == nil { errors.append(.init(field: "until", message: "an extension names the new end")) }
                if body.nextStart != nil { errors.append(.init(field: "nextStart", message: "only for an advance")) }
            case "advance":
                if body.nextStart == nil { errors.append(.init(field: "nextStart", message: "an advance names the next period's start")) }
                if body.until != nil { errors.append(.init(field: "until", message: "only for an extension")) }
                if body.specialCircumstances == true {
                    errors.append(.init(field: "specialCircumstances", message: "only for an extension"))
                }
            default:
                errors.append(.init(field: "kind", message: "must be extension or advance"))
            }
            let reason = Text.required(body.reason, "reason", max: 4000, into: &errors)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let r = try await workflows.createPeriodRequest(
                practitionerId: p.id, periodId: body.periodId, kind: body.kind, until: body.until,
                nextStart: body.nextStart, reason: reason,
                specialCircumstances: body.specialCircumstances ?? false, by: principal.actor(request))
            return try APIJSON.response(PeriodRequestJSON(r), status: .created, location: "/v1/period-requests/\(r.id.lowercasedString)")
        }

        routes.authed(.PUT, "/v1/period-requests/:id/evidence", roles: [.admin, .practitioner], options: Upload.options) {
            request, principal in
            let r = try await RegisterFileRoutes.periodRequest(request, principal, store)
            let contentType = try Upload.check(request)
            return try APIJSON.response(
                PeriodRequestJSON(
                    try await workflows.addEvidence(
                        requestId: r.id, bytes: request.body, contentType: contentType,
                        by: principal.actor(request))))
        }

        routes.authed(.GET, "/v1/period-requests/:id/evidence", roles: [.admin, .practitioner]) { request, principal in
            let r = try await RegisterFileRoutes.periodRequest(request, principal, store)
            guard let file = try await store.evidence(requestId: r.id) else { throw APIProblem.notFound("evidence") }
            try await store.auditRead(objectType: "periodRequestEvidence", objectId: r.id, by: principal.actor(request))
            return HTTPResponse(status: .ok, headers: ["Content-Type": file.contentType], body: file.bytes)
        }

        routes.authed(.GET, "/v1/period-requests", roles: [.admin, .practitioner]) { request, principal in
            let status = request.query("status")
            if let status, !["open", "approved", "rejected"].contains(status) {
                throw APIProblem.validation([.init(field: "status", message: "must be open, approved or rejected")])
            }
            let own = principal.isAdmin ? nil : principal.membership.practitionerId
            if !principal.isAdmin && own == nil { throw APIProblem.forbidden("this membership names no practitioner") }
            let page = try await store.periodRequests(practitionerId: own, status: status, page: try request.pageRequest())
            try await store.auditRead(
                .search, objectType: "periodRequest", objectId: own,
                details: ["status": status ?? "", "results": String(page.items.count)],
                by: principal.actor(request))
            return try APIJSON.response(
                ListBody(items: page.items.map(PeriodRequestJSON.init), total: page.total, nextCursor: page.nextCursor))
        }

        routes.authed(.GET, "/v1/period-requests/:id", roles: [.admin, .practitioner]) { request, principal in
            let r = try await RegisterFileRoutes.periodRequest(request, principal, store)
            try await store.auditRead(objectType: "periodRequest", objectId: r.id, by: principal.actor(request))
            return try APIJSON.response(PeriodRequestJSON(r))
        }

        routes.authed(.POST, "/v1/period-requests/:id/decision", roles: [.admin]) { request, principal in
            let r = try await RegisterFileRoutes.periodRequest(request, principal, store)
            let body = try APIJSON.decode(DecisionBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            if !["approve", "reject"].contains(body.decision) {
                errors.append(.init(field: "decision", message: "must be approve or reject"))
            }
            let message = Text.required(body.message, "message", max: 4000, into: &errors)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            return try APIJSON.response(
                PeriodRequestJSON(
                    try await workflows.decidePeriodRequest(
                        id: r.id, approve: body.decision == "approve",
                        message: message, by: principal.actor(request))))
        }

        // MARK: reports

        routes.authed(.GET, "/v1/reports/:name", roles: [.admin]) { request, principal in
            let name = request.pathParameters["name"] ?? ""
            guard let table = try await store.report(name, today: clock.today) else { throw APIProblem.notFound("report") }
            try await store.auditRead(
                .export, objectType: "report", objectId: nil, details: ["name": name, "rows": String(table.rows.count)],
                by: principal.actor(request))
            if request.wantsCSV {
                func field(_ s: String) -> String {
                    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                        ? "\"" + s.replacingAll("\"", with: "\"\"") + "\"" : s
                }
                var csv = table.columns.joined(separator: ",") + "\r\n"
                for row in table.rows { csv += row.map(field).joined(separator: ",") + "\r\n" }
                return HTTPResponse(
                    status: .ok,
                    headers: [
                        "Content-Type": "text/csv; charset=utf-8",
                        "Content-Disposition": "attachment; filename=\"\(name).csv\"",
                    ], body: Array(csv.utf8))
            }
            let items = table.rows.map { row in Dictionary(uniqueKeysWithValues: zip(table.columns, row)) }
            struct ReportJSON: Encodable { let name: String; let columns: [String]; let items: [[String: String]]; let total: Int }
            return try APIJSON.response(ReportJSON(name: name, columns: table.columns, items: items, total: items.count))
        }
    }
}
