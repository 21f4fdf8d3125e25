public enum AdvanceRefusal: Error, Sendable, Hashable {
    /// The next start must be earlier than the day after the current effective end.
    case notEarlier(regularStart: CivilDate)
    /// At most 3 calendar months earlier than the regular start.
    case moreThanThreeMonths(earliest: CivilDate)
    case periodCancelled
}

/// An approved advance (vervroegen): the current period ends the day before `nextStart`, and the next one
/// runs 4 years from there, so it also ends earlier.
public struct PeriodAdvance: Sendable, Hashable {
    /// The current period, now ending the day before `nextStart` (any extension beyond that is dropped).
    public let previous: RegistrationPeriod
    public let nextStart: CivilDate
    public let nextEnd: CivilDate

    /// Moves an existing next (upcoming) period to the advanced dates.
    public func apply(to next: RegistrationPeriod) -> RegistrationPeriod {
        var copy = next
        copy.startDate = nextStart
        copy.endDate = nextEnd
        copy.extendedUntil = nil
        return copy
    }
}

extension RegistrationPeriod {
    /// The start the next period gets without an advance: the day after the effective end.
    public var regularNextStart: CivilDate { effectiveEndDate.adding(days: 1) }

    /// The earliest start an advance may give the next period.
    public var earliestAdvancedNextStart: CivilDate { regularNextStart.adding(months: -3) }

    /// Validates and computes an advance of the next period's start to `nextStart`.
    public func advancing(nextStart: CivilDate) throws(AdvanceRefusal) -> PeriodAdvance {
        guard status != .cancelled else { throw .periodCancelled }
        guard nextStart < regularNextStart else { throw .notEarlier(regularStart: regularNextStart) }
        guard nextStart >= earliestAdvancedNextStart, nextStart > startDate else {
            throw .moreThanThreeMonths(earliest: earliestAdvancedNextStart)
        }
        let newEnd = nextStart.adding(days: -1)
        var previous = self
        if newEnd > endDate {
            previous.extendedUntil = newEnd
        } else {
            previous.endDate = newEnd
            previous.extendedUntil = nil
        }
        return PeriodAdvance(
            previous: previous, nextStart: nextStart,
            nextEnd: RegistrationPeriod.endDate(forStart: nextStart))
    }
}
