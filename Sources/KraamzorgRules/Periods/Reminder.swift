/// A reminder before a period ends (as PE-online's three messages).
public struct Reminder: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Effective end − 3 months: the submission window opens.
        case threeMonths
        /// Effective end − 8 weeks.
        case eightWeeks
        /// Effective end − 1 day: the last warning.
        case oneDay
    }

    public let kind: Kind
    public let date: CivilDate

    public init(kind: Kind, date: CivilDate) {
        self.kind = kind
        self.date = date
    }
}

extension Reminder {
    /// The three reminders before `effectiveEnd`, or none once the period's dossier is with the register or
    /// decided (DOMAIN §2a): submitted, infoRequested (she gets the reviewer's question instead), approved,
    /// refused or cancelled.
    public static func schedule(effectiveEnd end: CivilDate, status: PeriodStatus) -> [Reminder] {
        switch status {
        case .submitted, .infoRequested, .approved, .refused, .cancelled: return []
        case .upcoming, .active, .expired:
            return [
                Reminder(kind: .threeMonths, date: end.adding(months: -3)),
                Reminder(kind: .eightWeeks, date: end.adding(weeks: -8)),
                Reminder(kind: .oneDay, date: end.adding(days: -1)),
            ]
        }
    }
}

extension RegistrationPeriod {
    public var reminders: [Reminder] { Reminder.schedule(effectiveEnd: effectiveEndDate, status: status) }
}
