extension RegistrationPeriod {
    /// The status on `date`: an `active` period whose effective end has passed is `expired` (not approved in
    /// time). Other stored statuses are kept: a submitted period stays submitted while the review runs.
    public func status(on date: CivilDate) -> PeriodStatus {
        if status == .active && date > effectiveEndDate { return .expired }
        return status
    }
}
