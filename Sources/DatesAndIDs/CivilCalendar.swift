/// The proleptic Gregorian calendar as day numbers: days since 1970-01-01 to and from (year, month, day).
/// Howard Hinnant's `days_from_civil` / `civil_from_days`, exact for every year. The one copy of it:
/// civil dates, PostgreSQL timestamps, JSON dates, mail headers and Dutch clock time all use it.
public enum CivilCalendar {
    /// Days since 1970-01-01 (negative before).
    public static func days(year y0: Int, month m: Int, day d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number.
    public static func date(days z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Monday = 1 … Sunday = 7 (ISO 8601) of a day number (1970-01-01 was a Thursday).
    public static func isoWeekday(days: Int) -> Int {
        ((days % 7) + 7 + 3) % 7 + 1
    }

    /// A whole-second Unix time as its day number and second of that day (0..<86400), also before 1970.
    public static func split(unixSeconds: Int) -> (days: Int, secondOfDay: Int) {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        return (days, unixSeconds - days * 86_400)
    }
}
