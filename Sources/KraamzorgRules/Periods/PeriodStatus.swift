/// Where a registration period stands (DOMAIN §2). `expired` is derived: see `RegistrationPeriod.status(on:)`.
public enum PeriodStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case upcoming, active, submitted, infoRequested, approved, refused, expired, cancelled

    /// The register decided on it (approved or refused) or it no longer counts (cancelled): no reminders,
    /// no review, no submission.
    public var isDecided: Bool { self == .approved || self == .refused || self == .cancelled }

    /// Submitted and not yet decided: waiting for the register (`submitted`) or for her answer (`infoRequested`).
    public var isUnderReview: Bool { self == .submitted || self == .infoRequested }
}
