import FoundationEssentials
import HTTPServer
import JSONInput
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases

/// Completions pushed by course providers (PE-online style): one, or a batch of up to 10,000, each item on its own.
struct AccreditationRoutes {
    let store: RegisterStore
    let completions: CompletionWorkflows

    static let maxItems = 10_000

    /// One item, read field by field so a bad item is reported on its own instead of failing the batch: a field of
    /// the wrong type, and a field a completion does not have (claimed from the strict decoder, so the batch is not
    /// refused for it), are this item's 400. A key twice in an item is still the whole body's 400 (the reader's).
    struct Item: Decodable {
        var item: PushItem?
        var errors: [APIProblem.FieldError] = []

        enum CodingKeys: String, CodingKey, CaseIterable { case courseId, externalId, registrationNumber, completedOn }

        init(from decoder: any Decoder) throws {
            guard let c = try? decoder.container(keyedBy: CodingKeys.self) else {
                errors = [.init(field: "(item)", message: "must be an object")]
                return
            }
            var typeErrors = Set<String>()
            func string(_ key: CodingKeys) -> String? {
                guard c.contains(key) else { return nil }
                if (try? c.decodeNil(forKey: key)) == true { return nil }
                guard let s = try? c.decode(String.self, forKey: key) else {
                    errors.append(.init(field: key.stringValue, message: "must be a string"))
                    typeErrors.insert(key.stringValue)
                    return nil
                }
                return s
            }
            let courseText = string(.courseId), externalId = string(.externalId)
            let number = string(.registrationNumber), dateText = string(.completedOn)
            var courseId: UUID?
            if let courseText {
                courseId = UUID(uuidString: courseText)
                if courseId == nil { errors.append(.init(field: "courseId", message: "must be a UUID")) }
            }
            if courseText == nil && externalId == nil && !typeErrors.contains("courseId") && !typeErrors.contains("externalId") {
                errors.append(.init(field: "courseId", message: "give courseId or externalId"))
            }
            if courseText != nil && externalId != nil {
                errors.append(.init(field: "externalId", message: "give courseId or externalId, not both"))
            }
            if let e = externalId, e.trimmingSpaces().isEmpty || e.count > 100 {
                errors.append(.init(field: "externalId", message: "must be 1 to 100 characters"))
            }
            var canonical: String?
            if let number {
                canonical = RegistrationNumber.canonical(number)
                if !RegistrationNumber.isValid(canonical!) {
                    errors.append(.init(field: "registrationNumber", message: "must be KCKZ- followed by 4 to 8 digits"))
                }
            } else if !typeErrors.contains("registrationNumber") {
                errors.append(.init(field: "registrationNumber", message: "is required"))
            }
            var date: CivilDate?
            if let dateText {
                date = CivilDate(iso: dateText)
                if date == nil { errors.append(.init(field: "completedOn", message: "must be a date YYYY-MM-DD")) }
            } else if !typeErrors.contains("completedOn") {
                errors.append(.init(field: "completedOn", message: "is required"))
            }
            for key in (decoder as? any StrictDecoder)?.claimUnknownKeys() ?? [] {
                errors.append(.init(field: key, message: APIProblem.unknownFieldMessage))
            }
            if errors.isEmpty, let canonical, let date {
                item = PushItem(
                    courseId: courseId, externalId: externalId?.trimmingSpaces(), registrationNumber: canonical, completedOn: date)
            }
        }
    }

    struct Body: Decodable {
        var items: [Item]?
        var single: Item?

        enum Keys: String, CodingKey { case items }

        /// With `items`, a completion's own fields beside it would be ignored: refused, named.
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            if c.contains(.items) {
                let single = try decoder.container(keyedBy: Item.CodingKeys.self)
                if let stray = Item.CodingKeys.allCases.first(where: single.contains) {
                    throw DecodingError.dataCorruptedError(
                        forKey: stray, in: single,
                        debugDescription: "belongs in each item when the body has items")
                }
                items = try c.decode([Item].self, forKey: .items)
            } else {
                single = try Item(from: decoder)
            }
        }
    }

    struct ItemProblem: Encodable {
        let kind: ProblemType?
        let type: String
        let title: String
        let status: Int
        let detail: String
        let errors: [APIProblem.FieldError]

        private enum CodingKeys: String, CodingKey { case type, title, status, detail, errors }

        /// `typeBase` is `PUBLIC_BASE_URL`: the type is absolute, as in every other problem.
        static func from(_ status: Int, _ errors: [APIProblem.FieldError], typeBase: String = "") -> ItemProblem {
            let title: String
            switch status {
            case 400: title = "Invalid request"
            case 403: title = "Forbidden"
            case 404: title = "Not Found"
            case 422: title = "Refused by a rule"
            default: title = HTTPStatus(code: status).reasonPhrase
            }
            let kind = ProblemType.forStatus(status)
            return ItemProblem(
                kind: kind, type: kind?.uri(base: typeBase) ?? "about:blank", title: title, status: status,
                detail: errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "),
                errors: errors)
        }

        var problem: APIProblem { APIProblem(status: HTTPStatus(code: status), title: title, detail: detail, kind: kind, errors: errors) }
    }

    /// One item's result in the batch answer; nil members are left out. The answer is written by hand
    /// (`write(to:)`, AccreditationBatchJSON.swift); this conformance is what a test holds that writer to.
    struct ResultJSON: Encodable {
        let status: Int
        let accreditation: AccreditationJSON?
        let problem: ItemProblem?
        // Dry run only.
        let practitionerName: String?
        let late: Bool?
        let duplicate: Bool?
    }

    static func result(_ item: Item, _ outcome: PushOutcome?, dryRun: Bool, typeBase: String = "") -> ResultJSON {
        if !item.errors.isEmpty {
            return ResultJSON(
                status: 400, accreditation: nil, problem: .from(400, item.errors, typeBase: typeBase), practitionerName: nil, late: nil,
                duplicate: nil)
        }
        guard let o = outcome else {
            return ResultJSON(
                status: 500, accreditation: nil, problem: .from(500, [], typeBase: typeBase), practitionerName: nil, late: nil,
                duplicate: nil)
        }
        if let p = o.problem {
            return ResultJSON(
                status: p.status, accreditation: nil,
                problem: .from(p.status, [.init(field: p.field, message: p.message, code: o.problemCode)], typeBase: typeBase),
                practitionerName: o.practitionerName, late: nil, duplicate: nil)
        }
        return ResultJSON(
            status: o.status, accreditation: o.view.map(AccreditationJSON.init), problem: nil,
            practitionerName: dryRun ? o.practitionerName : nil, late: dryRun ? o.late : nil,
            duplicate: dryRun ? (o.status == 200) : nil)
    }

    func register(_ routes: inout RouteBuilder) {
        let store = self.store, completions = self.completions, typeBase = routes.problemTypeBase

        routes.authed(.POST, "/v1/accreditations", roles: [.admin, .courseProvider], options: RouteOptions(bodyLimit: 8 * 1024 * 1024)) {
            request, principal in
            let dryRunText = request.query("dryRun")
            guard dryRunText == nil || dryRunText == "true" || dryRunText == "false" else {
                throw APIProblem.validation([.init(field: "dryRun", message: "must be true or false")])
            }
            let dryRun = dryRunText == "true"
            let body = try APIJSON.decode(Body.self, from: request)
            let items = body.items ?? body.single.map { [$0] } ?? []
            if body.items != nil {
                guard !items.isEmpty, items.count <= AccreditationRoutes.maxItems else {
                    throw APIProblem.validation([.init(field: "items", message: "send 1 to \(AccreditationRoutes.maxItems) items")])
                }
            }
            let caller: PushCaller = principal.isAdmin ? .admin : .provider(principal.organization.id)
            let outcomes = try await completions.push(items.map(\.item), caller: caller, dryRun: dryRun, by: principal.actor(request))
            let results = zip(items, outcomes).map { AccreditationRoutes.result($0, $1, dryRun: dryRun, typeBase: typeBase) }

            if let single = body.single, !dryRun {
                let r = results[0]
                if let problem = r.problem {
                    _ = single
                    throw problem.problem
                }
                let location = r.accreditation.map { "/v1/accreditations/\($0.id)" }
                return try APIJSON.response(r.accreditation, status: HTTPStatus(code: r.status), location: r.status == 201 ? location : nil)
            }
            // Up to 10,000 results: written directly (JSONEncoder takes most of a second for this on Linux).
            var writer = JSONWriter()
            writer.raw("{\"results\":[")
            for (i, r) in results.enumerated() {
                if i > 0 { writer.raw(",") }
                r.write(to: &writer)
            }
            writer.raw("]}")
            return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: writer.bytes)
        }

        routes.authed(.GET, "/v1/accreditations", roles: [.admin, .courseProvider, .practitioner]) { request, principal in
            var errors: [APIProblem.FieldError] = []
            var filter = RegisterStore.AccreditationFilter()
            if let text = request.query("courseId") {
                filter.courseId = UUID(uuidString: text)
                if filter.courseId == nil { errors.append(.init(field: "courseId", message: "must be a UUID")) }
            }
            if let text = request.query("late") {
                if text == "true" {
                    filter.late = true
                } else if text == "false" {
                    filter.late = false
                } else {
                    errors.append(.init(field: "late", message: "must be true or false"))
                }
            }
            do { filter.from = try request.dateQuery("from") } catch let p as APIProblem { errors += p.errors ?? [] }
            do { filter.to = try request.dateQuery("to") } catch let p as APIProblem { errors += p.errors ?? [] }
            filter.registrationNumber = request.query("registrationNumber").map(RegistrationNumber.canonical)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            switch principal.role {
            case .courseProvider: filter.providerId = principal.organization.id
            case .practitioner:
                guard let own = principal.membership.practitionerId else {
                    throw APIProblem.forbidden("this membership names no practitioner")
                }
                filter.practitionerId = own
            default: break
            }
            let page = try await store.accreditations(filter, page: try request.pageRequest())
            try await store.auditRead(
                .search, objectType: "accreditation", objectId: filter.practitionerId,
                details: ["registrationNumber": filter.registrationNumber ?? "", "results": String(page.items.count)],
                by: principal.actor(request))
            return try APIJSON.response(
                ListBody(items: page.items.map(AccreditationJSON.init), total: page.total, nextCursor: page.nextCursor))
        }

        routes.authed(.DELETE, "/v1/accreditations/:id", roles: [.admin, .courseProvider]) { request, principal in
            let id = try request.uuidParameter("id", "accreditation")
            guard let a = try await store.accreditation(id: id), principal.isAdmin || RegisterAccess.providerId(principal) == a.providerId
            else {
                throw APIProblem.notFound("accreditation")
            }
            return try APIJSON.response(
                AccreditationJSON(try await completions.withdraw(accreditationId: a.id, by: principal.actor(request))))
        }
    }
}
