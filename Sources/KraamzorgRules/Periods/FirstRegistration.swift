public enum FirstRegistrationRefusal: Error, Sendable, Hashable {
    /// The diploma is more than one year older than the registration date and she is not a re-entrant.
    case diplomaTooOld(obtainedOn: CivilDate, earliestAccepted: CivilDate)
    case diplomaAfterRegistration(obtainedOn: CivilDate)
    /// Neither a diploma date nor re-entrant status was given.
    case diplomaOrReentrantRequired
}

/// The entry check for a first registration by register staff (DOMAIN §1).
public enum FirstRegistration {
    /// Returns the deadline for meeting the entry requirements (re-entrant: registration + 4 months), or nil
    /// when a recent diploma already meets them. A recent diploma wins over re-entrant status.
    public static func check(registrationDate: CivilDate, diplomaObtainedOn: CivilDate?, reentrant: Bool)
        throws(FirstRegistrationRefusal) -> CivilDate?
    {
        let earliest = registrationDate.adding(years: -1)
        if let diploma = diplomaObtainedOn {
            guard diploma <= registrationDate else { throw .diplomaAfterRegistration(obtainedOn: diploma) }
            if diploma >= earliest { return nil }
            guard reentrant else { throw .diplomaTooOld(obtainedOn: diploma, earliestAccepted: earliest) }
        } else if !reentrant {
            throw .diplomaOrReentrantRequired
        }
        return registrationDate.adding(months: 4)
    }
}
