import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// The register's decision on a course application (DOMAIN §3a): register staff accredit it, with the lines as
/// approved (which may differ from the application), or refuse it with a reason.
extension CourseRoutes {
    struct ReviewBody: Decodable {
        let decision: String?
        let accreditations: [AccreditationLine]?
        let reason: String?
    }

    /// The decision a valid body asks for; 400 naming the field otherwise.
    static func decision(_ body: ReviewBody, catalog: NormCatalog) throws -> CourseWorkflows.Decision {
        var errors: [APIProblem.FieldError] = []
        let reason = Text.optional(body.reason, "reason", max: 2000, into: &errors)
        var decision: CourseWorkflows.Decision?
        switch body.decision {
        case nil:
            errors.append(.init(field: "decision", message: "is required: accredit or refuse"))
        case "accredit":
            if body.reason != nil { errors.append(.init(field: "reason", message: "only a refusal gives a reason")) }
            if let lines = body.accreditations {
                if lines.isEmpty {
                    errors.append(.init(field: "accreditations", message: "a course needs at least one accreditation line"))
                }
                CourseRoutes.check(lines, field: "accreditations", catalog: catalog, into: &errors)
            }
            decision = .accredit(lines: body.accreditations)
        case "refuse":
            if body.accreditations != nil {
                errors.append(.init(field: "accreditations", message: "only an accreditation gives lines"))
            }
            if let reason {
                decision = .refuse(reason: reason)
            } else {
                errors.append(.init(field: "reason", message: "a refusal says why"))
            }
        default:
            errors.append(.init(field: "decision", message: "must be accredit or refuse"))
        }
        guard errors.isEmpty, let decision else { throw APIProblem.validation(errors) }
        return decision
    }

    func registerReview(_ routes: inout RouteBuilder) {
        let store = self.store, workflows = self.workflows
        routes.authed(.POST, "/v1/courses/:id/review", roles: [.admin]) { request, principal in
            let id = try request.uuidParameter("id", "course")
            let body = try APIJSON.decode(ReviewBody.self, from: request)
            let decision = try CourseRoutes.decision(body, catalog: try await store.normCatalog())
            return try APIJSON.response(CourseJSON(try await workflows.review(courseId: id, decision, by: principal.actor(request))))
        }
    }
}
