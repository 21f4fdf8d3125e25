import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// A practitioner's periods: list, dossier, submission, review, direct extension/advance, certificates.
struct PeriodRoutes {
    let store: RegisterStore
    let workflows: RegisterWorkflows
    let clock: DutchClock

    /// `reason`: the refusal's (required for `refuse`, only there); `message`: the question of `requestInfo`, or a
    /// note with an approval.
    struct ReviewBody: Decodable { let decision: String; let message: String?; let reason: String? }
    struct SpecialBody: Decodable { let reason: String; let evidence: String }
    struct ExtensionBody: Decodable { let until: CivilDate; let reason: String; let specialCircumstances: SpecialBody? }
    struct AdvanceBody: Decodable { let nextStart: CivilDate; let reason: String }

    struct SubmissionJSON: Encodable { let submissionId: String; let period: PeriodJSON; let nextPeriod: PeriodJSON }
    struct ReviewJSON: Encodable { let period: PeriodJSON; let nextPeriod: PeriodJSON?; let certificate: CertificateJSON? }
    struct AdvanceJSON: Encodable { let period: PeriodJSON; let nextPeriod: PeriodJSON? }

    static func period(_ request: HTTPRequest, _ periods: [PeriodRecord]) throws -> PeriodRecord {
        let id = try request.uuidParameter("periodId", "period")
        guard let p = periods.first(where: { $0.id == id }) else { throw APIProblem.notFound("period") }
        return p
    }

    func register(_ routes: inout RouteBuilder) {
        let clock = self.clock
        let store = self.store, workflows = self.workflows

        routes.authed(.GET, "/v1/practitioners/:ref/periods", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let periods = try await store.periods(practitionerId: p.id)
            let changes = try await store.periodChanges(periodIds: periods.map(\.id))
            try await store.auditRead(objectType: "practitionerPeriods", objectId: p.id, by: principal.actor(request))
            let today = clock.today
            return try APIJSON.response(
                ListBody(items: periods.map { PeriodJSON($0, today: today, changes: changes) }, total: periods.count, nextCursor: nil))
        }

        routes.authed(.GET, "/v1/practitioners/:ref/periods/:periodId/dossier", roles: [.admin, .practitioner]) { request, principal in
            // One round trip for her record, periods and the dossier's facts; then the agenda and the audit event.
            // A bad asOf or period id is answered after the access check, as for every other route.
            let asOfQuery = Result { try request.dateQuery("asOf") }
            let wantsCurrent = request.pathParameters["periodId"] == "current"
            let periodId = request.pathParameters["periodId"].flatMap(UUID.init(uuidString:))
            let which: DossierPeriod = wantsCurrent ? .current : periodId.map(DossierPeriod.id) ?? .current  // an unreadable id: 404 below
            guard let ref = request.pathParameters["ref"],
                let facts = try await workflows.dossierFacts(ref: ref, period: which, asOf: (try? asOfQuery.get()) ?? workflows.today),
                principal.isAdmin || RegisterAccess.isSelf(principal, facts.practitioner.id)
            else { throw APIProblem.notFound("practitioner") }
            let p = facts.practitioner
            let asOf = try asOfQuery.get() ?? workflows.today
            let record: PeriodRecord
            if wantsCurrent {
                guard let current = PractitionerStanding.current(facts.periods, on: asOf) else {
                    throw APIProblem.notFound("current period")
                }
                record = current
            } else {
                record = try PeriodRoutes.period(request, facts.periods)
            }
            let dossier = try await workflows.dossier(facts, period: record, asOf: asOf)
            try await store.auditRead(
                objectType: "dossier", objectId: p.id, details: ["periodId": record.id.lowercasedString], by: principal.actor(request))
            return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: DossierJSON.bytes(dossier))
        }

        routes.authed(.POST, "/v1/practitioners/:ref/periods/:periodId/submission", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let periodId = try request.uuidParameter("periodId", "period")
            let result = try await workflows.submit(practitionerId: p.id, periodId: periodId, by: principal.actor(request))
            let today = workflows.today
            return try APIJSON.response(
                SubmissionJSON(
                    submissionId: result.submissionId.lowercasedString, period: PeriodJSON(result.period, today: today),
                    nextPeriod: PeriodJSON(result.next, today: today)),
                status: .created, location: "/v1/practitioners/\(p.id.lowercasedString)/periods/\(result.next.id.lowercasedString)/dossier")
        }

        routes.authed(.POST, "/v1/practitioners/:ref/periods/:periodId/review", roles: [.admin]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let periodId = try request.uuidParameter("periodId", "period")
            let body = try APIJSON.decode(ReviewBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let decision = RegisterStore.ReviewDecision(rawValue: body.decision)
            if decision == nil { errors.append(.init(field: "decision", message: "must be approve, requestInfo or refuse")) }
            let text = Text.optional(body.message, "message", max: 4000, into: &errors)
            let reason = Text.optional(body.reason, "reason", max: 4000, into: &errors)
            if decision == .requestInfo && text == nil { errors.append(.init(field: "message", message: "say what information is needed")) }
            if decision == .refuse && reason == nil { errors.append(.init(field: "reason", message: "is required: say why it is refused")) }
            if decision == .refuse && text != nil {
                errors.append(.init(field: "message", message: "a refusal has a reason, not a message"))
            }
            if decision != .refuse && reason != nil { errors.append(.init(field: "reason", message: "only a refusal has a reason")) }
            guard errors.isEmpty, let decision else { throw APIProblem.validation(errors) }
            let result = try await workflows.review(
                practitionerId: p.id, periodId: periodId, decision: decision, message: reason ?? text,
                by: principal.actor(request))
            let today = workflows.today
            return try APIJSON.response(
                ReviewJSON(
                    period: PeriodJSON(result.period, today: today), nextPeriod: result.next.map { PeriodJSON($0, today: today) },
                    certificate: result.certificate.map(CertificateJSON.init)))
        }

        routes.authed(.POST, "/v1/practitioners/:ref/periods/:periodId/extension", roles: [.admin]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let periodId = try request.uuidParameter("periodId", "period")
            let body = try APIJSON.decode(ExtensionBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let reason = Text.required(body.reason, "reason", max: 2000, into: &errors)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let special = body.specialCircumstances.map { SpecialCircumstances(reason: $0.reason, evidence: $0.evidence) }
            let updated = try await workflows.extend(
                practitionerId: p.id, periodId: periodId, until: body.until, special: special, reason: reason,
                by: principal.actor(request))
            let changes = try await store.periodChanges(periodIds: [updated.id])
            return try APIJSON.response(PeriodJSON(updated, today: workflows.today, changes: changes))
        }

        routes.authed(.POST, "/v1/practitioners/:ref/periods/:periodId/advance", roles: [.admin]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let periodId = try request.uuidParameter("periodId", "period")
            let body = try APIJSON.decode(AdvanceBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let reason = Text.required(body.reason, "reason", max: 2000, into: &errors)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let (previous, next) = try await workflows.advance(
                practitionerId: p.id, periodId: periodId, nextStart: body.nextStart, reason: reason,
                by: principal.actor(request))
            let today = workflows.today
            return try APIJSON.response(
                AdvanceJSON(period: PeriodJSON(previous, today: today), nextPeriod: next.map { PeriodJSON($0, today: today) }))
        }

        routes.authed(.GET, "/v1/practitioners/:ref/certificates", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let certificates = try await store.certificates(practitionerId: p.id)
            try await store.auditRead(objectType: "certificates", objectId: p.id, by: principal.actor(request))
            return try APIJSON.response(ListBody(items: certificates.map(CertificateJSON.init), total: certificates.count, nextCursor: nil))
        }

        routes.authed(.GET, "/v1/practitioners/:ref/certificate", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let certificates = try await store.certificates(practitionerId: p.id)
            let periods = try await store.periods(practitionerId: p.id)
            // The latest certificate of a live period.
            let live = Set(periods.filter { $0.period.status != .cancelled }.map(\.id))
            guard let current = certificates.last(where: { live.contains($0.periodId) }) else { throw APIProblem.notFound("certificate") }
            try await store.auditRead(objectType: "certificates", objectId: p.id, by: principal.actor(request))
            return try APIJSON.response(CertificateJSON(current))
        }
    }
}
