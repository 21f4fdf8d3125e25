/// Where she stands in the public register on a date (DOMAIN §1, §2a): the one answer the lookup, the bulk
/// lookup, certificate verification, the statistics and her own dossier give.
public enum Standing: String, Sendable, Hashable, Codable, CaseIterable {
    /// An approved period covers the date (`active`, or `approved`/`submitted`/`infoRequested`/`refused`
    /// within its own dates: the period itself was granted; those statuses are about the *next* one).
    case registered
    /// After the end of a period whose dossier was submitted in time and is not decided yet: registered until
    /// the decision (the grace of §2a).
    case reviewPending
    /// No decided period covers the date: never registered yet on it, expired, refused, or submitted late.
    case notRegistered
    /// Struck off (doorhaling) on or before the date.
    case struckOff
    /// Deregistered (uitschrijving) on or before the date.
    case deregistered

    /// What the lookup's `registered` says.
    public var isRegistered: Bool { self == .registered || self == .reviewPending }
}

/// The standing on a date and the period it rests on.
public struct StandingDecision: Sendable, Hashable {
    public let standing: Standing
    /// The period that makes her registered (covering the date), or the one under review (`reviewPending`);
    /// nil otherwise.
    public let period: RegistrationPeriod?
    /// Until when the register has decided she is registered: the period's effective end, continued by
    /// decided periods that connect to it, cut off the day before a strike-off or deregistration. nil when
    /// not registered, and while a review is pending (the end depends on the decision).
    public let registeredUntil: CivilDate?

    public var registered: Bool { standing.isRegistered }
}

/// Register membership on a date (DOMAIN §1, §2a), decided from her periods only.
public enum RegisterStanding {
    /// Statuses of a period the register granted: within its own dates it makes her registered. `upcoming`
    /// (not decided) and `cancelled` never do.
    public static func granted(_ status: PeriodStatus) -> Bool {
        switch status {
        case .active, .submitted, .infoRequested, .approved, .refused, .expired: true
        case .upcoming, .cancelled: false
        }
    }

    /// The standing on `date`, asked on `today`.
    ///
    /// - Struck off or deregistered on or before `date` → that (both end her registration *from* their date).
    /// - A granted period covers `date` → `registered`.
    /// - Else, when the latest granted period that started by `date` has ended, is still under review
    ///   (`submitted` or `infoRequested`), and was first submitted on or before its effective end → the grace
    ///   holds for dates up to `today` (`reviewPending`): what will hold after today is not decided yet.
    /// - Else `notRegistered`. An upcoming period counts only once approved (it is then `active`), from its start.
    public static func standing(
        on date: CivilDate, today: CivilDate, periods: [RegistrationPeriod],
        struckOffOn: CivilDate? = nil, deregisteredOn: CivilDate? = nil
    ) -> StandingDecision {
        if let s = struckOffOn, s <= date { return StandingDecision(standing: .struckOff, period: nil, registeredUntil: nil) }
        if let d = deregisteredOn, d <= date { return StandingDecision(standing: .deregistered, period: nil, registeredUntil: nil) }
        let decided = periods.filter { granted($0.status) }.sorted { $0.startDate < $1.startDate }
        guard let latest = decided.last(where: { $0.startDate <= date }) else {
            return StandingDecision(standing: .notRegistered, period: nil, registeredUntil: nil)
        }
        if latest.covers(date) {
            var until = latest.effectiveEndDate
            while let next = decided.first(where: { $0.startDate == until.adding(days: 1) }) { until = next.effectiveEndDate }
            for end in [struckOffOn, deregisteredOn].compactMap({ $0 }) where end > date && end.adding(days: -1) < until {
                until = end.adding(days: -1)
            }
            return StandingDecision(standing: .registered, period: latest, registeredUntil: until)
        }
        if latest.status.isUnderReview, let submitted = latest.firstSubmittedOn, submitted <= latest.effectiveEndDate,
            date <= today
        {
            return StandingDecision(standing: .reviewPending, period: latest, registeredUntil: nil)
        }
        return StandingDecision(standing: .notRegistered, period: nil, registeredUntil: nil)
    }

    /// Whether she is registered on `date` (registered or under the grace of a pending review), asked on
    /// `today` (default: that day).
    public static func isRegistered(
        on date: CivilDate, today: CivilDate? = nil, periods: [RegistrationPeriod],
        struckOffOn: CivilDate? = nil, deregisteredOn: CivilDate? = nil
    ) -> Bool {
        standing(on: date, today: today ?? date, periods: periods, struckOffOn: struckOffOn, deregisteredOn: deregisteredOn)
            .registered
    }
}
