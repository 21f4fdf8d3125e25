import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// Register standing, all decided by the rules.
enum Standing {
    static func status(_ p: PractitionerRecord, _ periods: [PeriodRecord], on date: CivilDate) -> String {
        if let s = p.struckOffOn, s <= date { return "struckOff" }
        if let d = p.deregisteredOn, d <= date { return "deregistered" }
        return registered(p, periods, on: date) ? "registered" : "expired"
    }

    static func registered(_ p: PractitionerRecord, _ periods: [PeriodRecord], on date: CivilDate) -> Bool {
        RegisterStanding.isRegistered(
            on: date, periods: periods.map(\.period), struckOffOn: p.struckOffOn, deregisteredOn: p.deregisteredOn)
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
            var until = RegistrationPeriod.covering(date, in: periods.map(\.period))?.effectiveEndDate
        else { return nil }
        while let next = periods.first(where: {
            $0.period.status != .cancelled && $0.period.status != .upcoming
                && $0.period.startDate == until.adding(days: 1)
        }) {
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
        entryDeadline = p.entryDeadline; status = Standing.status(p, periods, on: today);
        registered = Standing.registered(p, periods, on: today)
        struckOffOn = p.struckOffOn; struckOffReason = p.struckOffReason; deregisteredOn = p.deregisteredOn
        currentPeriod = Standing.current(periods, on: today).map { PeriodJSON($0, today: today) }
        createdAt = p.createdAt
    }
}
