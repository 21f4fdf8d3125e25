#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// Who may see a practitioner's record: admins, and the practitioner herself. Anyone else gets 404 (the
/// record's existence is not theirs to know); roles outside the route's list get 403 before this.
enum RegisterAccess {
    static func isSelf(_ principal: Principal, _ practitionerId: UUID) -> Bool {
        principal.role == .practitioner && principal.membership.practitionerId == practitionerId
    }

    static func practitioner(_ ref: String?, _ principal: Principal, _ store: RegisterStore) async throws -> PractitionerRecord {
        guard let ref, let p = try await store.practitioner(ref: ref) else { throw APIProblem.notFound("practitioner") }
        guard principal.isAdmin || isSelf(principal, p.id) else { throw APIProblem.notFound("practitioner") }
        return p
    }

    /// The caller's course-provider organisation, when it acts as one.
    static func providerId(_ principal: Principal) -> UUID? {
        principal.role == .courseProvider ? principal.organization.id : nil
    }
}

extension HTTPRequest {
    /// An optional `YYYY-MM-DD` query parameter; an impossible date is a 400.
    func dateQuery(_ name: String) throws -> CivilDate? {
        guard let text = query(name) else { return nil }
        guard let d = CivilDate(iso: text.trimmingSpaces()) else {
            throw APIProblem.validation([.init(field: name, message: "must be a date YYYY-MM-DD")])
        }
        return d
    }

    var wantsCSV: Bool { (headers["Accept"] ?? "").lowercased().contains("text/csv") }
}

/// Uploads: the declared type must be PDF, JPEG or PNG and the content must start like one.
enum Upload {
    static let maxBytes = 10 * 1024 * 1024
    static let options = RouteOptions(bodyLimit: Upload.maxBytes)
    static let types = ["application/pdf", "image/jpeg", "image/png"]

    static func sniff(_ b: [UInt8]) -> String? {
        if b.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        return nil
    }

    static func check(_ request: HTTPRequest) throws -> String {
        let declared = (request.headers["Content-Type"] ?? "").split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard types.contains(declared) else {
            throw APIProblem(status: .unsupportedMediaType, detail: "send the file as application/pdf, image/jpeg or image/png")
        }
        guard !request.body.isEmpty else { throw APIProblem.validation([.init(field: "(body)", message: "the file is empty")]) }
        guard request.body.count <= maxBytes else { throw APIProblem(status: HTTPStatus(code: 413), detail: "the file is larger than 10 MB") }
        guard sniff(request.body) == declared else {
            throw APIProblem.validation([.init(field: "(body)", message: "the content is not a \(declared) file (checked by its first bytes)")])
        }
        return declared
    }
}

// MARK: JSON views

struct PeriodChangeJSON: Encodable {
    let kind: String
    let oldStartDate: CivilDate, oldEndDate: CivilDate, oldEffectiveEndDate: CivilDate
    let newStartDate: CivilDate, newEndDate: CivilDate, newEffectiveEndDate: CivilDate
    let reason: String
    let changedBy: String?
    let changedAt: Date

    init(_ c: PeriodDateChange) {
        kind = c.kind
        oldStartDate = c.oldStartDate; oldEndDate = c.oldEndDate; oldEffectiveEndDate = c.oldEffectiveEndDate
        newStartDate = c.newStartDate; newEndDate = c.newEndDate; newEffectiveEndDate = c.newEffectiveEndDate
        reason = c.reason; changedBy = c.changedByName; changedAt = c.changedAt
    }
}

/// API.md's period: `id, startDate, endDate, effectiveEndDate, registeredOn, norm, status` (status as of today,
/// so a period past its end without approval shows `expired`), plus its date changes where listed.
struct PeriodJSON: Encodable {
    let id: String
    let startDate: CivilDate
    let endDate: CivilDate
    let effectiveEndDate: CivilDate
    let registeredOn: CivilDate
    let norm: String
    let status: String
    let submittedOn: CivilDate?
    let changes: [PeriodChangeJSON]?

    init(_ r: PeriodRecord, today: CivilDate, changes: [PeriodDateChange]? = nil) {
        id = r.id.lowercasedString
        startDate = r.period.startDate
        endDate = r.period.endDate
        effectiveEndDate = r.period.effectiveEndDate
        registeredOn = r.period.registeredOn
        norm = r.period.normCode
        status = r.period.status(on: today).rawValue
        submittedOn = r.submittedOn
        self.changes = changes.map { $0.filter { $0.periodId == r.id }.map(PeriodChangeJSON.init) }
    }
}

struct CertificateJSON: Encodable {
    let id: String
    let verificationCode: String
    let registrationNumber: String
    let name: String
    let periodId: String
    let validFrom: CivilDate
    let validUntil: CivilDate
    let annotations: [String]
    let issuedOn: CivilDate

    init(_ c: CertificateRecord) {
        id = c.id.lowercasedString; verificationCode = c.verificationCode; registrationNumber = c.registrationNumber; name = c.name
        periodId = c.periodId.lowercasedString; validFrom = c.validFrom; validUntil = c.validUntil; annotations = c.annotations; issuedOn = c.issuedOn
    }
}

/// Register standing, all decided by the rules.
enum Standing {
    static func status(_ p: PractitionerRecord, _ periods: [PeriodRecord], on date: CivilDate) -> String {
        if let s = p.struckOffOn, s <= date { return "struckOff" }
        if let d = p.deregisteredOn, d <= date { return "deregistered" }
        return registered(p, periods, on: date) ? "registered" : "expired"
    }

    static func registered(_ p: PractitionerRecord, _ periods: [PeriodRecord], on date: CivilDate) -> Bool {
        RegisterStanding.isRegistered(on: date, periods: periods.map(\.period), struckOffOn: p.struckOffOn, deregisteredOn: p.deregisteredOn)
    }

    /// The period in force on `date`, else the latest live one that started by then, else the first upcoming.
    static func current(_ periods: [PeriodRecord], on date: CivilDate) -> PeriodRecord? {
        if let covering = RegistrationPeriod.covering(date, in: periods.map(\.period)) {
            return periods.first { $0.period.id == covering.id }
        }
        let live = periods.filter { $0.period.status != .cancelled }
        return live.last { $0.period.startDate <= date } ?? live.first
    }

    /// Until when she stays registered from `date`: the covering period, continued by the live (not upcoming)
    /// periods that connect to it, and cut off by a strike-off or deregistration.
    static func validUntil(_ p: PractitionerRecord, _ periods: [PeriodRecord], on date: CivilDate) -> CivilDate? {
        guard registered(p, periods, on: date),
              var until = RegistrationPeriod.covering(date, in: periods.map(\.period))?.effectiveEndDate else { return nil }
        while let next = periods.first(where: { $0.period.status != .cancelled && $0.period.status != .upcoming
                && $0.period.startDate == until.adding(days: 1) }) {
            until = next.period.effectiveEndDate
        }
        for end in [p.struckOffOn, p.deregisteredOn].compactMap({ $0 }) where end > date && end.adding(days: -1) < until {
            until = end.adding(days: -1)
        }
        return until
    }

    /// Annotations on the certificate of the period in force.
    static func annotations(_ periods: [PeriodRecord], _ certificates: [CertificateRecord], on date: CivilDate) -> [String] {
        guard let covering = RegistrationPeriod.covering(date, in: periods.map(\.period)) else { return [] }
        return certificates.last { $0.periodId.lowercasedString == covering.id }?.annotations ?? []
    }
}

struct PractitionerJSON: Encodable {
    let id: String
    let registrationNumber: String
    let firstName: String
    let lastName: String
    let name: String
    let email: String
    let dateOfBirth: CivilDate?
    let diplomaObtainedOn: CivilDate?
    let reentrant: Bool
    let entryDeadline: CivilDate?
    let status: String
    let registered: Bool
    let struckOffOn: CivilDate?
    let struckOffReason: String?
    let deregisteredOn: CivilDate?
    @ExplicitNull var currentPeriod: PeriodJSON?
    let createdAt: Date

    /// Only admins and the practitioner herself reach this view (the routes enforce it), so email and date of
    /// birth are included; fields without a value are absent.
    init(_ p: PractitionerRecord, periods: [PeriodRecord], today: CivilDate) {
        id = p.id.lowercasedString; registrationNumber = p.registrationNumber; firstName = p.firstName; lastName = p.lastName; name = p.name
        email = p.email; dateOfBirth = p.dateOfBirth; diplomaObtainedOn = p.diplomaObtainedOn; reentrant = p.reentrant
        entryDeadline = p.entryDeadline; status = Standing.status(p, periods, on: today); registered = Standing.registered(p, periods, on: today)
        struckOffOn = p.struckOffOn; struckOffReason = p.struckOffReason; deregisteredOn = p.deregisteredOn
        currentPeriod = Standing.current(periods, on: today).map { PeriodJSON($0, today: today) }
        createdAt = p.createdAt
    }
}

struct LineJSON: Encodable {
    let category: String
    @ExplicitNull var subject: String?  // null for a category-only line, as in the dossier
    let points: Points
}

/// API.md's accreditation; `periodId`/`norm`: where it counts today, `lines`: that norm's lines.
struct AccreditationJSON: Encodable {
    let id: String
    let courseId: String
    let courseTitle: String
    let registrationNumber: String
    let completedOn: CivilDate
    let recordedAt: Date
    let late: Bool
    @ExplicitNull var periodId: String?
    @ExplicitNull var norm: String?
    let lines: [LineJSON]
    let withdrawn: Bool

    init(_ v: AccreditationView) {
        let r = v.record
        id = r.id.lowercasedString; courseId = r.courseId.lowercasedString; courseTitle = r.courseTitle; registrationNumber = r.registrationNumber
        completedOn = r.completedOn; recordedAt = r.recordedAt; late = r.late; periodId = v.period?.id; norm = v.period?.normCode
        lines = v.period.map { p in r.lines.filter { $0.norm == p.normCode }.map { LineJSON(category: $0.category, subject: $0.subject, points: $0.points) } } ?? []
        withdrawn = r.withdrawnAt != nil
    }
}

struct CourseJSON: Encodable {
    let id: String
    let providerId: String
    let providerName: String
    let externalId: String?
    let title: String
    let format: String
    let startDate: CivilDate
    let endDate: CivilDate?
    let location: String?
    let contact: String?
    let accreditations: [AccreditationLine]

    init(_ c: CourseRecord) {
        id = c.id.lowercasedString; providerId = c.providerId.lowercasedString; providerName = c.providerName; externalId = c.externalId; title = c.title
        format = c.format; startDate = c.startDate; endDate = c.endDate; location = c.location; contact = c.contact; accreditations = c.lines
    }
}

struct EhboJSON: Encodable {
    let id: String
    let practitionerId: String
    let obtainedOn: CivilDate
    let validUntil: CivilDate
    let status: String
    let contentType: String?
    let fileSize: Int?
    let reviewReason: String?
    let reviewedAt: Date?
    let createdAt: Date

    init(_ e: EhboRecord) {
        id = e.id.lowercasedString; practitionerId = e.practitionerId.lowercasedString; obtainedOn = e.obtainedOn; validUntil = e.validUntil
        status = e.status.rawValue; contentType = e.contentType; fileSize = e.fileSize; reviewReason = e.reviewReason
        reviewedAt = e.reviewedAt; createdAt = e.createdAt
    }
}

struct PeriodRequestJSON: Encodable {
    let id: String
    let practitionerId: String
    let registrationNumber: String
    let periodId: String
    let kind: String
    let until: CivilDate?
    let nextStart: CivilDate?
    let reason: String
    let specialCircumstances: Bool
    let status: String
    let evidence: Evidence?
    let decisionMessage: String?
    let decidedAt: Date?
    let createdAt: Date

    struct Evidence: Encodable { let contentType: String; let size: Int }

    init(_ r: PeriodRequestRecord) {
        id = r.id.lowercasedString; practitionerId = r.practitionerId.lowercasedString; registrationNumber = r.registrationNumber; periodId = r.periodId.lowercasedString
        kind = r.kind; until = r.until; nextStart = r.nextStart; reason = r.reason; specialCircumstances = r.specialCircumstances; status = r.status
        evidence = r.evidenceContentType.map { Evidence(contentType: $0, size: r.evidenceSize ?? 0) }
        decisionMessage = r.decisionMessage; decidedAt = r.decidedAt; createdAt = r.createdAt
    }
}

/// Text fields: trimmed, non-empty, bounded, no control characters.
enum Text {
    static func required(_ value: String?, _ field: String, max: Int = 200, into errors: inout [APIProblem.FieldError]) -> String {
        guard let value else { errors.append(.init(field: field, message: "is required")); return "" }
        let t = value.trimmingSpaces()
        errors += Validate.name(t, field: field, max: max)
        return t
    }

    static func optional(_ value: String?, _ field: String, max: Int = 500, into errors: inout [APIProblem.FieldError]) -> String? {
        guard let value else { return nil }
        let t = value.trimmingSpaces()
        if t.isEmpty { return nil }
        errors += Validate.name(t, field: field, max: max)
        return t
    }
}
