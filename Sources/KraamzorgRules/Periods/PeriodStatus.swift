/// Where a registration period stands (DOMAIN §2). `expired` is derived: see `RegistrationPeriod.status(on:)`.
public enum PeriodStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case upcoming, active, submitted, infoRequested, approved, expired, cancelled

    /// A submitted or approved period gets no reminders and cannot be submitted again.
    public var isSubmittedOrApproved: Bool { self == .submitted || self == .approved }
}
