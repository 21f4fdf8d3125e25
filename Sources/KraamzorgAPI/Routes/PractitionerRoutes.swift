import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// `/v1/practitioners`: first registration, search, the record, strike-off, deregistration, care hours.
struct PractitionerRoutes {
    let store: RegisterStore
    let workflows: RegisterWorkflows
    let clock: DutchClock

    struct CreateBody: Decodable {
        let firstName: String
        let lastName: String
        let email: String
        let dateOfBirth: CivilDate?
        let registrationNumber: String?
        let periodStart: CivilDate
        let registeredOn: CivilDate?
        let diplomaObtainedOn: CivilDate?
        let reentrant: Bool?
    }

    struct PatchBody: Decodable {
        let firstName: String?
        let lastName: String?
        let email: String?
        let dateOfBirth: CivilDate?
    }

    struct StrikeOffBody: Decodable { let on: CivilDate; let reason: String }
    struct DeregistrationBody: Decodable { let on: CivilDate }
    struct CareHoursBody: Decodable { let hours: Int; let statement: String? }

    struct CreatedJSON: Encodable {
        let id: String
        let registrationNumber: String
        let practitioner: PractitionerJSON
        let currentPeriod: PeriodJSON
        let certificate: CertificateJSON
    }

    func register(_ routes: inout RouteBuilder) {
        let clock = self.clock
        let store = self.store, workflows = self.workflows

        routes.authed(.POST, "/v1/practitioners", roles: [.admin]) { request, principal in
            let body = try APIJSON.decode(CreateBody.self, from: request)
            let today = workflows.today
            var errors: [APIProblem.FieldError] = []
            let first = Text.required(body.firstName, "firstName", into: &errors)
            let last = Text.required(body.lastName, "lastName", into: &errors)
            let email = EmailAddress.normalized(body.email)
            if email == nil { errors.append(.init(field: "email", message: "must be an email address")) }
            var number: String?
            if let raw = body.registrationNumber {
                let canonical = RegistrationNumber.canonical(raw)
                if RegistrationNumber.isValid(canonical) {
                    number = canonical
                } else {
                    errors.append(.init(field: "registrationNumber", message: "must be KCKZ- followed by 4 to 8 digits"))
                }
            }
            if let dob = body.dateOfBirth, dob > today { errors.append(.init(field: "dateOfBirth", message: "must not be in the future")) }
            guard errors.isEmpty, let email else { throw APIProblem.validation(errors) }

            let (p, period, certificate) = try await workflows.registerPractitioner(
                NewRegistration(
                    firstName: first, lastName: last, email: email, dateOfBirth: body.dateOfBirth, registrationNumber: number,
                    periodStart: body.periodStart, registeredOn: body.registeredOn, diplomaObtainedOn: body.diplomaObtainedOn,
                    reentrant: body.reentrant ?? false),
                by: principal.actor(request))
            let created = CreatedJSON(
                id: p.id.lowercasedString, registrationNumber: p.registrationNumber,
                practitioner: PractitionerJSON(p, periods: [period], today: today),
                currentPeriod: PeriodJSON(period, today: today), certificate: CertificateJSON(certificate))
            return try APIJSON.response(created, status: .created, location: "/v1/practitioners/\(p.id.lowercasedString)")
        }

        routes.authed(.GET, "/v1/practitioners", roles: [.admin]) { request, principal in
            let status = request.query("status")
            if let status, !["registered", "expired", "struckOff", "deregistered"].contains(status) {
                throw APIProblem.validation([.init(field: "status", message: "must be registered, expired, struckOff or deregistered")])
            }
            let q = request.query("q").map { $0.trimmingSpaces() }.flatMap { $0.isEmpty ? nil : $0 }
            let today = clock.today
            let page = try await store.practitioners(.init(q: q, status: status, today: today), page: try request.pageRequest())
            let periods = try await store.periods(practitionerIds: page.items.map(\.id))
            try await store.auditRead(
                .search, objectType: "practitioner", objectId: nil,
                details: ["q": q ?? "", "status": status ?? "", "results": String(page.items.count)], by: principal.actor(request))
            return try APIJSON.response(
                ListBody(
                    items: page.items.map { PractitionerJSON($0, periods: periods[$0.id] ?? [], today: today) },
                    total: page.total, nextCursor: page.nextCursor))
        }

        routes.authed(.GET, "/v1/practitioners/:ref", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let periods = try await store.periods(practitionerId: p.id)
            try await store.auditRead(objectType: "practitioner", objectId: p.id, by: principal.actor(request))
            return try APIJSON.response(PractitionerJSON(p, periods: periods, today: clock.today))
        }

        routes.authed(.PATCH, "/v1/practitioners/:ref", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let body = try APIJSON.decode(PatchBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let first = body.firstName.map { Text.required($0, "firstName", into: &errors) }
            let last = body.lastName.map { Text.required($0, "lastName", into: &errors) }
            var email: String?
            if let raw = body.email {
                email = EmailAddress.normalized(raw)
                if email == nil { errors.append(.init(field: "email", message: "must be an email address")) }
            }
            if let dob = body.dateOfBirth, dob > clock.today {
                errors.append(.init(field: "dateOfBirth", message: "must not be in the future"))
            }
            if body.firstName == nil && body.lastName == nil && body.email == nil && body.dateOfBirth == nil {
                errors.append(.init(field: "(body)", message: "give at least one of firstName, lastName, email, dateOfBirth"))
            }
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let updated = try await store.updateContact(
                id: p.id, .init(firstName: first, lastName: last, email: email, dateOfBirth: body.dateOfBirth.map { .some($0) }),
                by: principal.actor(request))
            let periods = try await store.periods(practitionerId: p.id)
            return try APIJSON.response(PractitionerJSON(updated, periods: periods, today: clock.today))
        }

        routes.authed(.POST, "/v1/practitioners/:ref/strike-off", roles: [.admin]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let body = try APIJSON.decode(StrikeOffBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            let reason = Text.required(body.reason, "reason", max: 2000, into: &errors)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let updated = try await workflows.strikeOff(practitionerId: p.id, on: body.on, reason: reason, by: principal.actor(request))
            let periods = try await store.periods(practitionerId: p.id)
            return try APIJSON.response(PractitionerJSON(updated, periods: periods, today: clock.today))
        }

        routes.authed(.POST, "/v1/practitioners/:ref/deregistration", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            let body = try APIJSON.decode(DeregistrationBody.self, from: request)
            let updated = try await workflows.deregister(practitionerId: p.id, on: body.on, by: principal.actor(request))
            let periods = try await store.periods(practitionerId: p.id)
            return try APIJSON.response(PractitionerJSON(updated, periods: periods, today: clock.today))
        }

        routes.authed(.PUT, "/v1/practitioners/:ref/care-hours/:year", roles: [.admin, .practitioner]) { request, principal in
            let p = try await RegisterAccess.practitioner(request.pathParameters["ref"], principal, store)
            guard let yearText = request.pathParameters["year"], yearText.count == 4, let year = Int(yearText), year >= 1900 else {
                throw APIProblem.validation([.init(field: "year", message: "must be a year YYYY")])
            }
            let body = try APIJSON.decode(CareHoursBody.self, from: request)
            var errors: [APIProblem.FieldError] = []
            if body.hours < 0 || body.hours > 8784 {
                errors.append(.init(field: "hours", message: "must be from 0 to 8784 (the hours in a year)"))
            }
            if year > clock.today.year { errors.append(.init(field: "year", message: "must not be in the future")) }
            let statement = Text.optional(body.statement, "statement", into: &errors)
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let (record, _) = try await store.putCareHours(
                practitionerId: p.id, year: year, hours: body.hours, statement: statement,
                by: principal.actor(request))
            struct CareHoursJSON: Encodable { let year: Int; let hours: Int; let statement: String? }
            return try APIJSON.response(CareHoursJSON(year: record.year, hours: record.hours, statement: record.statement))
        }
    }
}
