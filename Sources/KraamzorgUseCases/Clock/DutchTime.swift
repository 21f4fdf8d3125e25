import FoundationEssentials
import KraamzorgRules

/// Clock time in the Netherlands (Europe/Amsterdam), by hand: without FoundationInternationalization
/// (ICU) `TimeZone(identifier:)` knows no named zones. CET (UTC+1); CEST (UTC+2) under the EU rules
/// the Netherlands has followed since 1977 (switching at 01:00 UTC). 1947–1976: CET all year, as in
/// the time zone data; the years before are not modelled.
public enum DutchTime {
    /// Seconds east of UTC at `date`: 3600 or 7200.
    public static func utcOffset(at date: Date) -> Int {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        let year = CivilDate(dayNumber: floorDiv(t, 86400)).year
        guard year >= 1977 else { return 3600 }
        let start: CivilDate = year <= 1980 ? firstSunday(year, 4) : lastSunday(year, 3)
        let end: CivilDate
        switch year {
        case 1977: end = lastSunday(year, 9)
        case 1978: end = CivilDate(1978, 10, 1)
        case ...1995: end = lastSunday(year, 9)
        default: end = lastSunday(year, 10)
        }
        let startsAt = start.dayNumber * 86400 + 3600, endsAt = end.dayNumber * 86400 + 3600
        return t >= startsAt && t < endsAt ? 7200 : 3600
    }

    /// The calendar day, hour and minute of `date` in the Netherlands.
    public static func local(_ date: Date) -> (day: CivilDate, hour: Int, minute: Int) {
        let t = Int(date.timeIntervalSince1970.rounded(.down)) + utcOffset(at: date)
        let seconds = t - floorDiv(t, 86400) * 86400
        return (CivilDate(dayNumber: floorDiv(t, 86400)), seconds / 3600, seconds / 60 % 60)
    }

    /// The calendar day of `date` in the Netherlands.
    public static func day(_ date: Date) -> CivilDate { local(date).day }

    /// Midnight in the Netherlands at the start of `day`. (Clocks change at 02:00 or 03:00 local
    /// time, so the offset an hour before local midnight read as UTC is the one in force then.)
    public static func startOfDay(_ day: CivilDate) -> Date {
        let midnightAsUTC = day.dayNumber * 86400
        let offset = utcOffset(at: Date(timeIntervalSince1970: Double(midnightAsUTC - 3600)))
        return Date(timeIntervalSince1970: Double(midnightAsUTC - offset))
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : (a - b + 1) / b }

    private static func lastSunday(_ year: Int, _ month: Int) -> CivilDate {
        let last = CivilDate(year, month, CivilDate.daysInMonth(year: year, month: month))
        return last.adding(days: -(last.isoWeekday % 7))
    }

    private static func firstSunday(_ year: Int, _ month: Int) -> CivilDate {
        let first = CivilDate(year, month, 1)
        return first.adding(days: (7 - first.isoWeekday) % 7)
    }
}
