extension RegistrationPeriod {
    /// The non-cancelled period whose [start, effective end] contains `date`. Periods never overlap, so
    /// there is at most one.
    public static func covering(_ date: CivilDate, in periods: [RegistrationPeriod]) -> RegistrationPeriod? {
        periods.first { $0.status != .cancelled && $0.covers(date) }
    }
}
