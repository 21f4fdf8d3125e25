import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// The course agenda: providers manage their own courses; anyone searches the agenda.
struct CourseRoutes {
    let store: RegisterStore
    /// The public agenda: on the read replica when there is one (`ReadReplica`).
    let reads: ReadReplica
    let workflows: CourseWorkflows

    struct CourseBody: Decodable {
        let title: String?
        let externalId: String?
        let format: String?
        let startDate: CivilDate?
        let endDate: CivilDate?
        let location: String?
        let contact: String?
        let accreditations: [AccreditationLine]?
        let providerId: UUID?
    }

    /// Checks a full set of course fields (create, or a patch merged over the stored course).
    static func fields(_ b: CourseBody, over existing: CourseRecord?, catalog: NormCatalog) throws -> CourseFields {
        var errors: [APIProblem.FieldError] = []
        let title = Text.required(b.title ?? existing?.title, "title", max: 300, into: &errors)
        var externalId = existing?.externalId
        if let raw = b.externalId {
            let t = raw.trimmingSpaces()
            if t.isEmpty || t.count > 100 {
                errors.append(.init(field: "externalId", message: "must be 1 to 100 characters"))
            } else {
                externalId = t
            }
        }
        let format = b.format ?? existing?.format
        if format == nil {
            errors.append(.init(field: "format", message: "is required"))
        } else if !["classroom", "elearning"].contains(format!) {
            errors.append(.init(field: "format", message: "must be classroom or elearning"))
        }
        let start = b.startDate ?? existing?.startDate
        if start == nil { errors.append(.init(field: "startDate", message: "is required")) }
        let end = b.endDate ?? existing?.endDate
        if let s = start, let e = end, e < s { errors.append(.init(field: "endDate", message: "must not be before startDate")) }
        let location = Text.optional(b.location ?? existing?.location, "location", into: &errors)
        let contact = Text.optional(b.contact ?? existing?.contact, "contact", into: &errors)
        let lines = b.accreditations ?? existing?.lines ?? []
        if lines.isEmpty { errors.append(.init(field: "accreditations", message: "a course needs at least one accreditation line")) }
        CourseRoutes.check(lines, field: "accreditations", catalog: catalog, into: &errors)
        guard errors.isEmpty, let format, let start else { throw APIProblem.validation(errors) }
        return CourseFields(
            title: title, externalId: externalId, format: format, startDate: start, endDate: end, location: location,
            contact: contact, lines: lines)
    }

    /// Accreditation lines (a course's, or as the register approves them): points > 0, ≤ 40, in steps of 0.5 (API.md,
    /// second round), and a norm, category and subject that exist. Each error names `field[i].member`.
    static func check(_ lines: [AccreditationLine], field: String, catalog: NormCatalog, into errors: inout [APIProblem.FieldError]) {
        for (i, line) in lines.enumerated() {
            if line.points.tenths <= 0 || line.points.tenths > 400 || line.points.tenths % 5 != 0 {
                errors.append(.init(field: "\(field)[\(i)].points", message: "must be more than 0 and at most 40, in steps of 0.5"))
            }
            guard let norm = catalog.norm(code: line.norm) else {
                errors.append(
                    .init(
                        field: "\(field)[\(i)].norm",
                        message: "no norm \(line.norm); published: \(catalog.norms.map(\.code).joined(separator: ", "))"))
                continue
            }
            guard let category = norm.category(line.category) else {
                errors.append(.init(field: "\(field)[\(i)].category", message: "norm \(norm.code) has no category \(line.category)"))
                continue
            }
            if let s = line.subject, !category.subjects.contains(where: { $0.code == s }) {
                errors.append(
                    .init(field: "\(field)[\(i)].subject", message: "category \(category.code) of norm \(norm.code) has no subject \(s)"))
            }
        }
    }

    /// The owner provider or an admin; anyone else does not see the course (404).
    static func owned(_ request: HTTPRequest, _ principal: Principal, _ store: RegisterStore) async throws -> CourseRecord {
        let id = try request.uuidParameter("id", "course")
        guard let course = try await store.course(id: id), !course.deleted,
            principal.isAdmin || RegisterAccess.providerId(principal) == course.providerId
        else { throw APIProblem.notFound("course") }
        return course
    }

    func register(_ routes: inout RouteBuilder) {
        let store = self.store, workflows = self.workflows, reads = self.reads

        routes.authed(.POST, "/v1/courses", roles: [.admin, .courseProvider]) { request, principal in
            let body = try APIJSON.decode(CourseBody.self, from: request)
            let providerId: UUID
            if principal.isAdmin {
                guard let id = body.providerId else {
                    throw APIProblem.validation([.init(field: "providerId", message: "admins name the course provider")])
                }
                providerId = id
            } else {
                if let id = body.providerId, id != principal.organization.id {
                    throw APIProblem.forbidden("providers create courses for themselves only")
                }
                providerId = principal.organization.id
            }
            let fields = try CourseRoutes.fields(body, over: nil, catalog: try await store.normCatalog())
            let course = try await workflows.createCourse(
                providerId: providerId, fields, byRegister: principal.isAdmin, by: principal.actor(request))
            return try APIJSON.response(CourseJSON(course), status: .created, location: "/v1/courses/\(course.id.lowercasedString)")
        }

        let authenticator = routes.authenticator
        routes.open(.GET, "/v1/courses") { request in
            var errors: [APIProblem.FieldError] = []
            var status = CourseListStatus.accredited
            if let text = request.query("status") {
                if let s = CourseListStatus(rawValue: text) {
                    status = s
                } else {
                    errors.append(.init(field: "status", message: "must be accredited, pending or refused"))
                }
            }
            var providerId: UUID?
            if let text = request.query("providerId") {
                providerId = UUID(uuidString: text)
                if providerId == nil { errors.append(.init(field: "providerId", message: "must be a UUID")) }
            }
            if let f = request.query("format"), !["classroom", "elearning"].contains(f) {
                errors.append(.init(field: "format", message: "must be classroom or elearning"))
            }
            var from: CivilDate?, to: CivilDate?
            do { from = try request.dateQuery("from") } catch let p as APIProblem { errors += p.errors ?? [] }
            do { to = try request.dateQuery("to") } catch let p as APIProblem { errors += p.errors ?? [] }
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            if status != .accredited {
                // Applications and refusals are not public: the owner provider sees its own, admins all.
                let principal = try await authenticator.principal(for: request)
                if !principal.isAdmin {
                    guard let own = RegisterAccess.providerId(principal) else {
                        throw APIProblem.forbidden("only course providers (their own) and admins list \(status.rawValue) courses")
                    }
                    if let asked = providerId, asked != own { throw APIProblem.forbidden("course providers list their own courses only") }
                    providerId = own
                }
            }
            let filter = CourseFilter(
                norm: request.query("norm"), category: request.query("category"), subject: request.query("subject"),
                format: request.query("format"), from: from, to: to,
                q: request.query("q").flatMap { $0.trimmingSpaces().isEmpty ? nil : $0 },
                providerId: providerId, externalId: request.query("externalId"), status: status)
            let pageRequest = try request.pageRequest()
            // The public agenda may lag (a replica); a provider's or an admin's own applications never do.
            let page =
                status == .accredited
                ? try await reads.read { try await $0.agenda(filter, page: pageRequest) }
                : try await store.agenda(filter, page: pageRequest)
            return try APIJSON.response(ListBody(items: page.items.map(CourseJSON.init), total: page.total, nextCursor: page.nextCursor))
        }

        routes.authed(.GET, "/v1/courses/:id", roles: [.admin, .courseProvider]) { request, principal in
            try APIJSON.response(CourseJSON(try await CourseRoutes.owned(request, principal, store)))
        }

        routes.authed(.PATCH, "/v1/courses/:id", roles: [.admin, .courseProvider]) { request, principal in
            let course = try await CourseRoutes.owned(request, principal, store)
            let body = try APIJSON.decode(CourseBody.self, from: request)
            if body.providerId != nil {
                throw APIProblem.validation([.init(field: "providerId", message: "a course does not change provider")])
            }
            let fields = try CourseRoutes.fields(body, over: course, catalog: try await store.normCatalog())
            let updated = try await workflows.updateCourse(
                id: course.id, fields, newLines: body.accreditations == nil ? nil : fields.lines, byRegister: principal.isAdmin,
                by: principal.actor(request))
            return try APIJSON.response(CourseJSON(updated))
        }

        routes.authed(.DELETE, "/v1/courses/:id", roles: [.admin, .courseProvider]) { request, principal in
            let course = try await CourseRoutes.owned(request, principal, store)
            try await workflows.deleteCourse(id: course.id, by: principal.actor(request))
            return HTTPResponse(status: .noContent)
        }

        registerReview(&routes)
    }
}
