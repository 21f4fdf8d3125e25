import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// Register standing, all decided by the rules (`RegisterStanding.standing`, DOMAIN §1, §2a).
enum PractitionerStanding {
    /// The rules' answer for her on `date`, asked `today`.
    static func decision(_ p: PractitionerRecord, _ periods: [PeriodRecord], on date: CivilDate, today: CivilDate) -> StandingDecision {
        RegisterStanding.standing(
            on: date, today: today, periods: periods.map(\.period), struckOffOn: p.struckOffOn, deregisteredOn: p.deregisteredOn)
    }

    /// The admin list's status: `registered` (also while a review keeps her registered), `struckOff`,
    /// `deregistered`, else `expired`.
    static func status(_ d: StandingDecision) -> String {
        switch d.standing {
        case .registered, .reviewPending: "registered"
        case .struckOff: "struckOff"
        case .deregistered: "deregistered"
        case .notRegistered: "expired"
        }
    }

    /// The period in force on `date`, else the latest live one that started by then, else the first upcoming.
    static func current(_ periods: [PeriodRecord], on date: CivilDate) -> PeriodRecord? {
        if let covering = RegistrationPeriod.covering(date, in: periods.map(\.period)) {
            return periods.first { $0.period.id == covering.id }
        }
        let live = periods.filter { $0.period.status != .cancelled }
        return live.last { $0.period.startDate <= date } ?? live.first
    }

    /// Annotations on the certificate of the period her standing rests on.
    static func annotations(_ d: StandingDecision, _ certificates: [CertificateRecord]) -> [String] {
        guard d.registered, let period = d.period else { return [] }
        return certificates.last { $0.periodId.lowercasedString == period.id }?.annotations ?? []
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
    let standing: Standing
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
        let decision = PractitionerStanding.decision(p, periods, on: today, today: today)
        entryDeadline = p.entryDeadline; status = PractitionerStanding.status(decision)
        registered = decision.registered; standing = decision.standing
        struckOffOn = p.struckOffOn; struckOffReason = p.struckOffReason; deregisteredOn = p.deregisteredOn
        currentPeriod = PractitionerStanding.current(periods, on: today).map { PeriodJSON($0, today: today) }
        createdAt = p.createdAt
    }
}
