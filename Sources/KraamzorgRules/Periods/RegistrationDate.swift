/// How a period came to be; decides its registration date and so its norm (DOMAIN §2).
public enum Registration: Sendable, Hashable {
    /// First registration: the period start, unless a registration date is given (import).
    case first(periodStart: CivilDate, registeredOn: CivilDate? = nil)
    /// Re-registration: the day she submitted the dossier that led to the new period, not its start.
    case reRegistration(submittedOn: CivilDate)

    public var registrationDate: CivilDate {
        switch self {
        case .first(let start, let given): given ?? start
        case .reRegistration(let submitted): submitted
        }
    }
}

extension NormCatalog {
    /// The norm of a new period. Trap: a re-registration submitted in March 2023 whose period starts in
    /// June 2023 still gets norm 2019.
    public func norm(for registration: Registration) throws(NormRefusal) -> Norm {
        try norm(forRegistrationDate: registration.registrationDate)
    }
}
