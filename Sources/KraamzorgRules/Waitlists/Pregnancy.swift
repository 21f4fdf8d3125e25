/// Pregnancy week and urgency of a client on the waitlist (DOMAIN §7, urgency).
///
/// **Definition.** With `d` = days from `on` to the due date:
/// - `d ≥ 0`: week = 40 − ⌊d / 7⌋. The due date itself and the 6 days before it are week 40; 56 to 62
///   days before it are week 32.
/// - `d < 0` (past the due date, not yet born): week = 40 + ⌊−d / 7⌋, capped at 42 (a pregnancy is not
///   left to run past 42 weeks; the cap keeps the number meaningful when a birth goes unreported).
/// - Never below 1 (a due date more than 39 weeks away is a typing error, not week −3).
public enum Pregnancy {
    public static let maximumWeek = 42
    /// Intake should happen between these weeks; from the last one on a waiting client is urgent.
    public static let intakeWindow = 24...32
    public static let urgentFromWeek = 32

    public static func week(on date: CivilDate, dueDate: CivilDate) -> Int {
        let d = date.days(until: dueDate)
        let w = d >= 0 ? 40 - d / 7 : 40 + (-d) / 7
        return min(max(w, 1), maximumWeek)
    }

    /// The first day on which a client with this due date is in week 32: 62 days before the due date.
    public static func urgentFrom(dueDate: CivilDate) -> CivilDate {
        dueDate.adding(days: -(7 * (40 - urgentFromWeek) + 6))
    }

    /// The latest due date that is in week 32 or later on `date` (for a SQL filter `due_date <= $1`).
    public static func latestUrgentDueDate(on date: CivilDate) -> CivilDate {
        date.adding(days: 7 * (40 - urgentFromWeek) + 6)
    }

    public static func isInIntakeWindow(week: Int) -> Bool { intakeWindow.contains(week) }

    /// A `birthReported` client is always urgent; a `waiting` one from week 32 on; nobody else
    /// (invited: not yet on the list; enrolled: she has care; withdrawn: left the list).
    public static func isUrgent(status: ClientStatus, week: Int) -> Bool {
        switch status {
        case .birthReported: true
        case .waiting: week >= urgentFromWeek
        case .invited, .enrolled, .withdrawn: false
        }
    }

    public static func isUrgent(status: ClientStatus, dueDate: CivilDate, on date: CivilDate) -> Bool {
        isUrgent(status: status, week: week(on: date, dueDate: dueDate))
    }
}
