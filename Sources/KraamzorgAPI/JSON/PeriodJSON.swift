import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

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
        periodId = c.periodId.lowercasedString; validFrom = c.validFrom; validUntil = c.validUntil; annotations = c.annotations;
        issuedOn = c.issuedOn
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
        id = r.id.lowercasedString; practitionerId = r.practitionerId.lowercasedString; registrationNumber = r.registrationNumber;
        periodId = r.periodId.lowercasedString
        kind = r.kind; until = r.until; nextStart = r.nextStart; reason = r.reason; specialCircumstances = r.specialCircumstances;
        status = r.status
        evidence = r.evidenceContentType.map { Evidence(contentType: $0, size: r.evidenceSize ?? 0) }
        decisionMessage = r.decisionMessage; decidedAt = r.decidedAt; createdAt = r.createdAt
    }
}
