/// A 4-year registration period. Periods of one practitioner never overlap; the next starts the day after
/// the previous one's effective end.
public struct RegistrationPeriod: Sendable, Hashable, Decodable {
    public var id: String
    public var startDate: CivilDate
    /// The end without extensions: start + 4 years − 1 day, or the day before an advanced next start.
    public var endDate: CivilDate
    /// Set by an approved extension (uitstel); completions up to this date count in this period.
    public var extendedUntil: CivilDate?
    /// The day she (re)registered; decides the norm.
    public var registeredOn: CivilDate
    /// Code of the norm in force on `registeredOn` (JSON `norm`).
    public var normCode: String
    /// The stored status; ask `status(on:)` for the status including `expired`.
    public var status: PeriodStatus
    /// The day its dossier was first submitted (JSON `firstSubmittedOn`); nil when never. A dossier first
    /// submitted by the effective end keeps her registered while it is reviewed (DOMAIN §2a), even when a
    /// request for information makes her submit it again later.
    public var firstSubmittedOn: CivilDate?

    public init(
        id: String, startDate: CivilDate, endDate: CivilDate? = nil, extendedUntil: CivilDate? = nil,
        registeredOn: CivilDate? = nil, normCode: String, status: PeriodStatus = .active, firstSubmittedOn: CivilDate? = nil
    ) {
        self.id = id
        self.startDate = startDate
        self.endDate = endDate ?? RegistrationPeriod.endDate(forStart: startDate)
        self.extendedUntil = extendedUntil
        self.registeredOn = registeredOn ?? startDate
        self.normCode = normCode
        self.status = status
        self.firstSubmittedOn = firstSubmittedOn
    }

    /// The extended end when there is one, else `endDate`.
    public var effectiveEndDate: CivilDate {
        if let e = extendedUntil, e > endDate { return e }
        return endDate
    }

    /// start + 4 years − 1 day; a start on 29 February ends on 28 February (not 1 March).
    public static func endDate(forStart start: CivilDate) -> CivilDate {
        start.adding(years: 4).adding(days: -1)
    }

    /// start ≤ date ≤ effective end.
    public func covers(_ date: CivilDate) -> Bool { startDate <= date && date <= effectiveEndDate }

    /// The period as the store's dossier query builds it: `effectiveEndDate` (an extension when later than
    /// `endDate`), `norm` (the code) and, when it was submitted, `firstSubmittedOn`.
    private enum CodingKeys: String, CodingKey {
        case id, startDate, endDate, effectiveEndDate, registeredOn, norm, status, firstSubmittedOn
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        startDate = try c.decode(CivilDate.self, forKey: .startDate)
        let end = try c.decode(CivilDate.self, forKey: .endDate)
        endDate = end
        let effective = try c.decodeIfPresent(CivilDate.self, forKey: .effectiveEndDate)
        extendedUntil = effective.flatMap { $0 > end ? $0 : nil }
        registeredOn = try c.decode(CivilDate.self, forKey: .registeredOn)
        normCode = try c.decode(String.self, forKey: .norm)
        status = try c.decode(PeriodStatus.self, forKey: .status)
        firstSubmittedOn = try c.decodeIfPresent(CivilDate.self, forKey: .firstSubmittedOn)
    }
}
