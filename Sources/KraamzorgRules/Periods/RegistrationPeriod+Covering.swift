extension RegistrationPeriod {
    /// The non-cancelled period whose [start, effective end] contains `date`. Periods never overlap, so
    /// there is at most one.
    public static func covering(_ date: CivilDate, in periods: [RegistrationPeriod]) -> RegistrationPeriod? {
        periods.first { $0.status != .cancelled && $0.covers(date) }
    }
}

/// Register membership on a date (DOMAIN §1), the question the public lookup answers.
public enum RegisterStanding {
    /// A non-cancelled period covers `date`, and she was not struck off or deregistered on or before it.
    /// Both end the registration *from* their date.
    public static func isRegistered(
        on date: CivilDate, periods: [RegistrationPeriod],
        struckOffOn: CivilDate? = nil, deregisteredOn: CivilDate? = nil
    ) -> Bool {
        if let s = struckOffOn, s <= date { return false }
        if let d = deregisteredOn, d <= date { return false }
        return RegistrationPeriod.covering(date, in: periods) != nil
    }
}
