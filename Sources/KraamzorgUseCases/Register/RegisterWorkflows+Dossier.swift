import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

/// Which period's dossier is asked for.
public enum DossierPeriod: Sendable, Equatable {
    /// The period in force on the day asked about (else the latest that started, else the first upcoming).
    case current
    case id(UUID)
}

extension RegisterWorkflows {
    /// Her record, her periods and the facts of the asked period's dossier, in one round trip; nil when no
    /// practitioner has this reference. For `.current` the facts are those of the period covering `asOf`.
    public func dossierFacts(ref: String, period: DossierPeriod, asOf: CivilDate) async throws -> DossierFacts? {
        let choice: DossierPeriodChoice
        switch period {
        case .current: choice = .covering(asOf)
        case .id(let id): choice = .id(id)
        }
        return try await pool.withConnection { conn in try await RegisterStore.dossierFacts(of: .ref(ref), period: choice, on: conn) }
    }

    /// The dossier of `record` (one of `facts.periods`) on `asOf`, with agenda courses that would close what is
    /// still open, and where she stands in the register. When `facts` were loaded for another period (no period covers `asOf`), that period's are read.
    public func dossier(_ facts: DossierFacts, period record: PeriodRecord, asOf: CivilDate) async throws -> Dossier {
        var inputs = facts.inputs
        if facts.inputsPeriodId != record.id {
            inputs = try await pool.withConnection { conn in
                try await RegisterWorkflows.dossierInputs(practitionerId: facts.practitioner.id, periodId: record.id, on: conn)
            }
        }
        let catalog = try await store.normCatalog()
        guard let norm = catalog.norm(code: record.period.normCode) else { throw StoreError.notFound("norm \(record.period.normCode)") }
        let agenda = try await store.agendaCourses(
            norm: norm.code, from: max(asOf, record.period.startDate), through: record.period.effectiveEndDate)
        var dossier = DossierEvaluator.evaluate(
            norm: norm, period: record.period, completions: inputs.completions,
            ehboCertificates: inputs.ehbo, careHours: inputs.careHours, asOf: asOf, agenda: agenda)
        // Where she stands on `asOf`, as the public register says it, in words she understands (DOMAIN §2a).
        let p = facts.practitioner
        let standing = RegisterStanding.standing(
            on: asOf, today: clock.today, periods: facts.periods.map(\.period), struckOffOn: p.struckOffOn,
            deregisteredOn: p.deregisteredOn)
        dossier.standing = standing.standing
        dossier.standingText = RegisterMessages.standingSentence(standing)
        return dossier
    }

    /// The facts of one period's dossier, by the one loader.
    static func dossierInputs(practitionerId: UUID, periodId: UUID, on conn: PostgresConnection) async throws -> DossierInputs {
        guard let facts = try await RegisterStore.dossierFacts(of: .id(practitionerId), period: .id(periodId), on: conn) else {
            throw StoreError.notFound("practitioner")
        }
        return facts.inputs
    }
}
