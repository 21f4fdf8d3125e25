import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// A first registration as register staff enter it, already checked for shape by the API.
public struct NewRegistration: Sendable {
    public var firstName: String
    public var lastName: String
    public var email: String
    public var dateOfBirth: CivilDate?
    /// An imported number (canonical), kept as given; nil: the next in sequence.
    public var registrationNumber: String?
    public var periodStart: CivilDate
    /// The registration date when it is not the period's start (an import).
    public var registeredOn: CivilDate?
    public var diplomaObtainedOn: CivilDate?
    public var reentrant: Bool

    public init(
        firstName: String, lastName: String, email: String, dateOfBirth: CivilDate?, registrationNumber: String?, periodStart: CivilDate,
        registeredOn: CivilDate?, diplomaObtainedOn: CivilDate?, reentrant: Bool
    ) {
        self.firstName = firstName; self.lastName = lastName; self.email = email; self.dateOfBirth = dateOfBirth
        self.registrationNumber = registrationNumber; self.periodStart = periodStart; self.registeredOn = registeredOn
        self.diplomaObtainedOn = diplomaObtainedOn; self.reentrant = reentrant
    }
}

extension RegisterWorkflows {
    /// First registration (DOMAIN §1, §2): the norm in force on the registration date and the entry check
    /// (diploma at most a year old, or a re-entrant with a deadline) decide; every reason is given at once.
    /// Then the practitioner, her first period and its certificate, in one transaction.
    public func registerPractitioner(_ new: NewRegistration, by actor: AuditActor) async throws -> (
        PractitionerRecord, PeriodRecord, CertificateRecord
    ) {
        let today = clock.today
        let registeredOn = new.registeredOn ?? new.periodStart
        var reasons: [StoreError.Reason] = []
        let catalog = try await store.normCatalog()
        var normCode = ""
        do throws(NormRefusal) {
            normCode = try catalog.norm(for: .first(periodStart: new.periodStart, registeredOn: new.registeredOn)).code
        } catch {
            reasons.append(RegisterRefusals.norm(error, registeredOnGiven: new.registeredOn != nil))
        }
        var deadline: CivilDate?
        do throws(FirstRegistrationRefusal) {
            deadline = try FirstRegistration.check(
                registrationDate: registeredOn, diplomaObtainedOn: new.diplomaObtainedOn, reentrant: new.reentrant)
        } catch {
            reasons.append(RegisterRefusals.entry(error))
        }
        guard reasons.isEmpty else { throw StoreError.refused(reasons) }

        let record = RegisterStore.NewPractitioner(
            firstName: new.firstName, lastName: new.lastName, email: new.email, dateOfBirth: new.dateOfBirth,
            registrationNumber: new.registrationNumber,
            periodStart: new.periodStart, registeredOn: registeredOn, diplomaObtainedOn: new.diplomaObtainedOn, reentrant: new.reentrant,
            entryDeadline: deadline, normCode: normCode)
        return try await pool.withTransaction { conn in
            var number = record.registrationNumber
            if number == nil { number = try await RegisterStore.nextRegistrationNumber(on: conn) }
            guard let number else { throw StoreError.conflict(RegisterRefusals.noFreeRegistrationNumber) }
            let practitioner = try await RegisterStore.insertPractitioner(record, number: number, on: conn)
            let period = RegistrationPeriod(
                id: "", startDate: record.periodStart, registeredOn: record.registeredOn, normCode: record.normCode)
            let stored = try await RegisterStore.insertPeriod(period, practitionerId: practitioner.id, on: conn)
            let certificate = try await RegisterStore.issueCertificate(
                practitioner, period: stored.period, annotations: [], today: today, on: conn)
            try await AuditLog.record(
                .create, objectType: "practitioner", objectId: practitioner.id,
                details: ["registrationNumber": number, "periodId": stored.id.lowercasedString], by: actor, on: conn)
            return (practitioner, stored, certificate)
        }
    }
}
