/// Retention (DOMAIN §7, decision): six months after her due date, or on withdrawal, a client's name,
/// email, phone and full postcode are erased; counts stay.
public enum Retention {
    public static let monthsAfterDueDate = 6

    /// The last due date whose client's personal fields are erased on `today`.
    public static func lastDueDateErased(on today: CivilDate) -> CivilDate { today.adding(months: -monthsAfterDueDate) }
}
