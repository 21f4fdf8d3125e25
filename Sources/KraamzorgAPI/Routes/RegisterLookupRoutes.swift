import FoundationEssentials
import DatesAndIDs
import HTTPServer
import JSONInput
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases

/// The public face of the register: lookup by number, batch lookup, certificate verification, norms, statistics.
struct RegisterLookupRoutes {
    let store: RegisterStore
    /// The public lookups, bulk lookups and statistics: on the read replica when there is one (`ReadReplica`).
    let reads: ReadReplica
    let clock: DutchClock
    /// Charges bulk lookups one token per number (`RouteClasses.lookupNumbersBucket`).
    let numbersLimiter: RateLimiter

    /// Name, standing, validity and annotations: nothing more. Only what the register decided counts
    /// (`RegisterStanding.standing`): an upcoming period never makes her registered; a review pending after a
    /// dossier submitted in time does (`reviewPending`, `validUntil` null until the decision).
    struct LookupJSON: Encodable {
        let registrationNumber: String
        let name: String
        let registered: Bool
        let standing: Standing
        @ExplicitNull var validUntil: CivilDate?
        let annotations: [String]

        init(
            _ p: PractitionerRecord, _ periods: [PeriodRecord], _ certificates: [CertificateRecord], on date: CivilDate,
            today: CivilDate
        ) {
            let decision = PractitionerStanding.decision(p, periods, on: date, today: today)
            registrationNumber = p.registrationNumber
            name = p.name
            registered = decision.registered
            standing = decision.standing
            validUntil = decision.registeredUntil
            annotations = PractitionerStanding.annotations(decision, certificates)
        }
    }

    struct BatchResult: Encodable {
        let registrationNumber: String
        let on: CivilDate?
        let found: Bool
        let result: LookupJSON?
        let problem: APIProblem.Body?

        private enum CodingKeys: String, CodingKey {
            case registrationNumber, on, found, name, registered, standing, validUntil, annotations, problem
        }
        /// Kept by hand: the lookup's members are flattened into the result, and `validUntil` is null when found, absent when not.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(result?.registrationNumber ?? registrationNumber, forKey: .registrationNumber)
            try c.encodeIfPresent(on, forKey: .on)
            try c.encode(found, forKey: .found)
            if let r = result {
                try c.encode(r.name, forKey: .name)
                try c.encode(r.registered, forKey: .registered)
                try c.encode(r.standing, forKey: .standing)
                try c.encode(r.validUntil, forKey: .validUntil)
                try c.encode(r.annotations, forKey: .annotations)
            } else {
                try c.encode(false, forKey: .registered)
            }
            try c.encodeIfPresent(problem, forKey: .problem)
        }
    }

    /// Read loosely, so one bad item is that item's problem and not the batch's: not an object, or (claimed from
    /// the strict decoder) fields a lookup does not have. A key twice in an item is still the whole body's 400.
    struct BatchItem: Decodable {
        let registrationNumber: String?
        let on: String?
        let bad: String?
        /// Keys of the item that are not fields of a lookup.
        let unknown: [String]

        init(from decoder: any Decoder) throws {
            guard let c = try? decoder.container(keyedBy: CodingKeys.self) else {
                registrationNumber = nil; on = nil; bad = "must be an object"; unknown = []; return
            }
            registrationNumber = try? c.decodeIfPresent(String.self, forKey: .registrationNumber)
            on = try? c.decodeIfPresent(String.self, forKey: .on)
            bad = nil
            unknown = (decoder as? any StrictDecoder)?.claimUnknownKeys() ?? []
        }
        enum CodingKeys: String, CodingKey { case registrationNumber, on }
    }
    struct BatchBody: Decodable { let items: [BatchItem] }

    struct VerificationJSON: Encodable {
        let valid: Bool
        /// Her standing today (the lookup's).
        let standing: Standing
        let registrationNumber: String
        let name: String
        let validFrom: CivilDate
        let validUntil: CivilDate
        let annotations: [String]
    }

    func register(_ routes: inout RouteBuilder) {
        let clock = self.clock, numbersLimiter = self.numbersLimiter
        let store = self.store, reads = self.reads, typeBase = routes.problemTypeBase

        // On the event loop's thread (`inline`): the handler only awaits its one statement, and two thread hops
        // a request were a good part of the lookup's cost (issue 23).
        let lookupOptions = RouteOptions(rateLimit: RouteClasses.lookups, inline: true)
        routes.open(.GET, "/v1/register/:registrationNumber", options: lookupOptions) { request in
            let number = RegistrationNumber.canonical(request.pathParameters["registrationNumber"] ?? "")
            let on = try request.dateQuery("on") ?? clock.today
            guard RegistrationNumber.isValid(number),
                let (p, periods, certificates) = try await reads.read({ try await $0.lookup(number: number) })
            else {
                throw APIProblem.notFound("practitioner in the register")
            }
            return try APIJSON.response(LookupJSON(p, periods, certificates, on: on, today: clock.today))
        }

        routes.authed(.POST, "/v1/register/lookups") { request, principal in
            let body = try APIJSON.decode(BatchBody.self, from: request)
            guard !body.items.isEmpty, body.items.count <= 1000 else {
                throw APIProblem.validation([.init(field: "items", message: "send 1 to 1,000 items")])
            }
            // Counted per number: a bulk call is as many lookups as it names.
            let charge = numbersLimiter.acquire(
                bucket: RouteClasses.lookupNumbersBucket, key: principal.membership.id.lowercasedString,
                cost: body.items.count, now: MonotonicClock.nanoseconds())
            if case .limited(let limit, let retryAfter) = charge {
                throw APIProblem(
                    status: .tooManyRequests, detail: "at most \(limit) numbers a minute; retry after \(retryAfter) s",
                    headers: charge.headers)
            }
            let today = clock.today
            var parsed: [(number: String, on: CivilDate?, problems: [APIProblem.FieldError])] = []
            for (i, item) in body.items.enumerated() {
                if let bad = item.bad { parsed.append(("", nil, [.init(field: "items[\(i)]", message: bad)])); continue }
                let unknown = item.unknown.map {
                    APIProblem.FieldError(field: "items[\(i)].\($0)", message: APIProblem.unknownFieldMessage)
                }
                guard let raw = item.registrationNumber else {
                    parsed.append(("", nil, unknown + [.init(field: "items[\(i)].registrationNumber", message: "is required")])); continue
                }
                var on: CivilDate?
                if let text = item.on {
                    guard let d = CivilDate(iso: text) else {
                        parsed.append((raw, nil, unknown + [.init(field: "items[\(i)].on", message: "must be a date YYYY-MM-DD")]));
                        continue
                    }
                    on = d
                }
                parsed.append((unknown.isEmpty ? RegistrationNumber.canonical(raw) : raw, on, unknown))
            }
            let numbers = Array(Set(parsed.filter { $0.problems.isEmpty }.map(\.number)))
            let found = try await reads.read { try await $0.lookup(numbers: numbers) }
            let results = parsed.map { item -> BatchResult in
                if !item.problems.isEmpty {
                    return BatchResult(
                        registrationNumber: item.number, on: item.on, found: false, result: nil,
                        problem: APIProblem.validation(item.problems).body(typeBase: typeBase))
                }
                guard let (p, periods, certificates) = found[item.number] else {
                    return BatchResult(registrationNumber: item.number, on: item.on, found: false, result: nil, problem: nil)
                }
                return BatchResult(
                    registrationNumber: item.number, on: item.on, found: true,
                    result: LookupJSON(p, periods, certificates, on: item.on ?? today, today: today), problem: nil)
            }
            struct Results: Encodable { let results: [BatchResult] }
            var response = try APIJSON.response(Results(results: results))
            for (name, value) in charge.headers { response.headers[name] = value }
            return response
        }

        routes.open(.GET, "/v1/certificates/:code", options: RouteOptions(rateLimit: RouteClasses.lookups)) { request in
            let code = (request.pathParameters["code"] ?? "").trimmingSpaces().uppercased()
            guard code.count <= 40, let c = try await reads.read({ try await $0.certificate(code: code) }),
                let (p, periods, _) = try await reads.read({ try await $0.lookup(number: c.registrationNumber) })
            else {
                throw APIProblem.notFound("certificate")
            }
            let today = clock.today
            // Valid while she is registered today on this certificate's period (or on a decided period it
            // belongs to that has not started yet), as the lookup decides it; the grace of a pending review
            // keeps the certificate of the period under review valid until the decision.
            let decision = PractitionerStanding.decision(p, periods, on: today, today: today)
            let period = periods.first { $0.id == c.periodId }?.period
            let until = period?.effectiveEndDate ?? c.validUntil
            var valid = false
            if let period, decision.registered, RegisterStanding.granted(period.status) {
                valid = decision.period?.id == period.id || (period.startDate > today && today <= until)
            }
            return try APIJSON.response(
                VerificationJSON(
                    valid: valid, standing: decision.standing, registrationNumber: c.registrationNumber,
                    name: c.name, validFrom: c.validFrom, validUntil: until, annotations: c.annotations))
        }

        routes.open(.GET, "/v1/norms") { _ in
            let catalog = try await store.normCatalog()
            return try APIJSON.response(ListBody(items: catalog.norms, total: catalog.norms.count, nextCursor: nil))
        }

        routes.open(.GET, "/v1/norms/:code") { request in
            guard let norm = try await store.normCatalog().norm(code: request.pathParameters["code"] ?? "") else {
                throw APIProblem.notFound("norm")
            }
            return try APIJSON.response(norm)
        }

        routes.authed(.PUT, "/v1/norms/:code", roles: [.admin]) { request, principal in
            let code = request.pathParameters["code"] ?? ""
            var norm = try APIJSON.decode(Norm.self, from: request)
            var errors: [APIProblem.FieldError] = []
            if norm.code != code { errors.append(.init(field: "code", message: "must equal the code in the path (\(code))")) }
            norm.version = 1  // assigned by the store
            errors += norm.validate().map { .init(field: $0.field, message: $0.message) }
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            let catalog = try await store.normCatalog()
            if let other = catalog.norms.first(where: { $0.appliesFrom == norm.appliesFrom && $0.code != norm.code }) {
                throw APIProblem.conflict("norm \(other.code) already applies from \(norm.appliesFrom.iso)")
            }
            let published = try await store.publishNorm(norm, by: principal.actor(request))
            return try APIJSON.response(published)
        }

        routes.open(.GET, "/v1/statistics") { _ in
            let today = clock.today
            let s = try await reads.read { try await $0.statistics(today: today) }
            struct StatisticsJSON: Encodable {
                let date: CivilDate
                let registeredPractitioners: Int
                let registeredByNorm: [String: Int]
                let registeredByAnnotation: [String: Int]
                let periodsByStatus: [String: Int]
            }
            return try APIJSON.response(
                StatisticsJSON(
                    date: today, registeredPractitioners: s.registered, registeredByNorm: s.registeredByNorm,
                    registeredByAnnotation: s.registeredByAnnotation, periodsByStatus: s.periodsByStatus))
        }
    }
}
