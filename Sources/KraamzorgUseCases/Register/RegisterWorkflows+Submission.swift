import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

public struct SubmissionResult: Sendable {
    public let period: PeriodRecord
    public let next: PeriodRecord
    public let submissionId: UUID
}

public struct ReviewResult: Sendable {
    public let period: PeriodRecord
    public let next: PeriodRecord?
    public let certificate: CertificateRecord?
}

extension RegisterWorkflows {
    /// Submission (DOMAIN §2): evaluated by the rules inside the transaction that records it; creates the upcoming
    /// next period (or keeps the one a previous submission created).
    public func submit(practitionerId: UUID, periodId: UUID, by actor: AuditActor) async throws -> SubmissionResult {
        let today = clock.today
        let catalog = try await store.normCatalog()
        return try await pool.withTransaction { conn in
            _ = try await RegisterStore.lockPractitioner(practitionerId, on: conn)
            let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: true, on: conn)
            guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
            guard let norm = catalog.norm(code: record.period.normCode) else {
                throw StoreError.refused([RegisterRefusals.normNotPublished])
            }
            let inputs = try await RegisterWorkflows.dossierInputs(practitionerId: practitionerId, periodId: periodId, on: conn)
            let dossier = DossierEvaluator.evaluate(
                norm: norm, period: record.period, completions: inputs.completions,
                ehboCertificates: inputs.ehbo, careHours: inputs.careHours, asOf: today)
            guard dossier.submission.allowed else { throw StoreError.refused(RegisterRefusals.submission(dossier.submission)) }
            let submitted = try await RegisterStore.markSubmitted(periodId: periodId, on: today, on: conn)
            let nextStart = record.period.regularNextStart
            let next: PeriodRecord
            if let existing = all.first(where: { $0.period.status == .upcoming && $0.period.startDate == nextStart }) {
                next = existing
            } else {
                let candidate: RegistrationPeriod
                do { candidate = try record.period.nextPeriod(id: "", submittedOn: today, catalog: catalog) } catch {
                    throw StoreError.refused([RegisterRefusals.noNormApplies(on: today)])
                }
                next = try await RegisterStore.insertPeriod(candidate, practitionerId: practitionerId, on: conn)
            }
            let submissionId = try await RegisterStore.recordSubmission(
                periodId: periodId, on: today, nextPeriodId: next.id, by: actor, on: conn)
            try await AuditLog.record(
                .create, objectType: "submission", objectId: submissionId,
                details: ["periodId": periodId.lowercasedString, "practitionerId": practitionerId.lowercasedString],
                by: actor, on: conn)
            return SubmissionResult(period: submitted, next: next, submissionId: submissionId)
        }
    }

    /// Review of a submitted period (approve or ask for information), as a yes/no.
    public func review(practitionerId: UUID, periodId: UUID, approve: Bool, message: String?, by actor: AuditActor) async throws
        -> ReviewResult
    {
        try await review(
            practitionerId: practitionerId, periodId: periodId, decision: approve ? .approve : .requestInfo, message: message,
            by: actor)
    }

    /// Review of a submitted period (DOMAIN §2): approve (the next period becomes the registered one, with a
    /// certificate and the annotations earned in this period), ask for information (her period goes back to her
    /// with the question), or refuse (with the reason as `message`: the period is refused and the upcoming next
    /// one cancelled; also while the register waits for her answer). She is told each time.
    public func review(
        practitionerId: UUID, periodId: UUID, decision: RegisterStore.ReviewDecision, message: String?, by actor: AuditActor
    ) async throws -> ReviewResult {
        let today = clock.today
        let catalog = try await store.normCatalog()
        return try await pool.withTransaction { conn in
            let practitioner = try await RegisterStore.lockPractitioner(practitionerId, on: conn)
            let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: true, on: conn)
            guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
            let status = record.period.status
            guard status == .submitted || (decision == .refuse && status == .infoRequested) else {
                throw StoreError.conflict(RegisterRefusals.notSubmitted(status))
            }
            guard let submission = try await RegisterStore.latestSubmission(periodId: periodId, on: conn) else {
                throw StoreError.conflict(RegisterRefusals.noSubmission)
            }
            try await RegisterStore.recordReview(
                submissionId: submission.id, periodId: periodId, decision: decision, message: message,
                by: actor, on: conn)
            switch decision {
            case .requestInfo:
                let period = try await RegisterStore.setStatus(.infoRequested, periodId: periodId, on: conn)
                try await AuditLog.record(
                    .update, objectType: "period", objectId: periodId, details: ["review": "requestInfo"], by: actor, on: conn)
                let m = RegisterMessages.infoRequested(practitioner, period: period.period, question: message ?? "")
                try await Outbox.enqueue(.reviewOutcome, to: practitioner.email, clientId: nil, subject: m.subject, body: m.body, on: conn)
                return ReviewResult(period: period, next: all.first { $0.id == submission.nextPeriodId }, certificate: nil)
            case .refuse:
                return try await RegisterWorkflows.refuse(
                    practitioner, record: record, nextPeriodId: submission.nextPeriodId, reason: message ?? "", all: all, by: actor,
                    on: conn)
            case .approve: break
            }
            guard let norm = catalog.norm(code: record.period.normCode) else {
                throw StoreError.refused([RegisterRefusals.normNotPublished])
            }
            let inputs = try await RegisterWorkflows.dossierInputs(practitionerId: practitionerId, periodId: periodId, on: conn)
            let dossier = DossierEvaluator.evaluate(
                norm: norm, period: record.period, completions: inputs.completions,
                ehboCertificates: inputs.ehbo, careHours: inputs.careHours, asOf: today)
            let period = try await RegisterStore.setStatus(.approved, periodId: periodId, on: conn)
            guard let next = try await RegisterStore.activateUpcoming(periodId: submission.nextPeriodId, on: conn) else {
                throw StoreError.conflict(RegisterRefusals.nextNoLongerUpcoming)
            }
            let certificate = try await RegisterStore.issueCertificate(
                practitioner, period: next.period, annotations: dossier.annotations,
                today: today, on: conn)
            try await AuditLog.record(
                .update, objectType: "period", objectId: periodId,
                details: ["review": "approve", "certificateId": certificate.id.lowercasedString], by: actor, on: conn)
            let m = RegisterMessages.approved(practitioner, certificate: certificate)
            try await Outbox.enqueue(.reviewOutcome, to: practitioner.email, clientId: nil, subject: m.subject, body: m.body, on: conn)
            try await DomainEvents.record(
                .periodApproved, practitionerId: practitionerId,
                data: [
                    "periodId": periodId.lowercasedString, "registrationNumber": practitioner.registrationNumber,
                    "validUntil": certificate.validUntil.iso,
                ], on: conn)
            return ReviewResult(period: period, next: next, certificate: certificate)
        }
    }

    /// Refusal, in the review's transaction: the period `refused`, the upcoming next period `cancelled`, her
    /// email with the reason, the audit event and `period.refused`.
    static func refuse(
        _ practitioner: PractitionerRecord, record: PeriodRecord, nextPeriodId: UUID, reason: String, all: [PeriodRecord],
        by actor: AuditActor, on conn: PostgresConnection
    ) async throws -> ReviewResult {
        let period = try await RegisterStore.setStatus(.refused, periodId: record.id, on: conn)
        let cancelled = try await RegisterStore.cancelUpcoming(periodId: nextPeriodId, on: conn)
        var details = ["review": "refuse"]
        if let cancelled { details["cancelledPeriodId"] = cancelled.id.lowercasedString }
        try await AuditLog.record(.update, objectType: "period", objectId: record.id, details: details, by: actor, on: conn)
        let m = RegisterMessages.refused(practitioner, period: record.period, reason: reason)
        try await Outbox.enqueue(.reviewOutcome, to: practitioner.email, clientId: nil, subject: m.subject, body: m.body, on: conn)
        var data = [
            "periodId": record.id.lowercasedString, "registrationNumber": practitioner.registrationNumber,
            "effectiveEndDate": record.period.effectiveEndDate.iso,
        ]
        if let cancelled { data["cancelledPeriodId"] = cancelled.id.lowercasedString }
        try await DomainEvents.record(.periodRefused, practitionerId: practitioner.id, data: data, on: conn)
        return ReviewResult(period: period, next: cancelled ?? all.first { $0.id == nextPeriodId }, certificate: nil)
    }
}
