extension RegistrationPeriod {
    /// The `upcoming` period created when this period's dossier is submitted on `submittedOn`. It connects
    /// automatically (starts the day after the effective end) and takes the norm in force on the submission
    /// date, so courses followed after the end are counted there.
    public func nextPeriod(id: String, submittedOn: CivilDate, catalog: NormCatalog)
        throws(NormRefusal) -> RegistrationPeriod
    {
        let norm = try catalog.norm(for: .reRegistration(submittedOn: submittedOn))
        return RegistrationPeriod(
            id: id, startDate: regularNextStart, registeredOn: submittedOn,
            normCode: norm.code, status: .upcoming)
    }
}
