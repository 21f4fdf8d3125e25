/// Why a provider's push is refused (422).
public enum PushRefusal: Error, Sendable, Hashable {
    case futureDate
    /// No active, submitted, infoRequested, upcoming or expired period of hers covers the date.
    case noCoveringPeriod
    /// The course has no accreditation line for the norm of the period it would count in.
    case noLineForNorm(String)
}

/// Where an accepted push counts.
public struct CompletionPlacement: Sendable, Hashable {
    public let period: RegistrationPeriod
    /// The course's lines for that period's norm.
    public let lines: [AccreditationLine]
    public let late: Bool
}

public enum CompletionPush {
    /// Periods a push may land in (DOMAIN §3). Approved and refused periods are closed; cancelled ones never count.
    public static func acceptsCompletions(_ status: PeriodStatus) -> Bool {
        switch status {
        case .active, .submitted, .infoRequested, .upcoming, .expired: true
        case .approved, .refused, .cancelled: false
        }
    }

    /// The same check the provider's dry run ("controleren") shows, without booking anything.
    public static func check(
        completedOn: CivilDate, recordedAt today: CivilDate, courseLines: [AccreditationLine],
        periods: [RegistrationPeriod]
    ) throws(PushRefusal) -> CompletionPlacement {
        guard completedOn <= today else { throw .futureDate }
        guard let period = periods.first(where: { acceptsCompletions($0.status) && $0.covers(completedOn) }) else {
            throw .noCoveringPeriod
        }
        let lines = courseLines.filter { $0.norm == period.normCode }
        guard !lines.isEmpty else { throw .noLineForNorm(period.normCode) }
        let late = completedOn.days(until: today) > Completion.lateAfterDays
        return CompletionPlacement(period: period, lines: lines, late: late)
    }

    /// The period a completion counts in today (by date only), or nil.
    public static func countingPeriod(for completedOn: CivilDate, in periods: [RegistrationPeriod])
        -> RegistrationPeriod?
    {
        RegistrationPeriod.covering(completedOn, in: periods)
    }
}
