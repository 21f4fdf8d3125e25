import DatesAndIDs
/// A calendar date without time or time zone (proleptic Gregorian), stored as days since 1970-01-01.
///
/// All register rules are date-only: a period "ends on" a day, a course is "completed on" a day.
/// Keeping dates as a day count makes comparison and day arithmetic integer operations.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// Traps on an impossible date; use `init?(iso:)` or `init?(validatingYear:month:day:)` for input.
    public init(_ year: Int, _ month: Int, _ day: Int) {
        precondition(CivilDate.isValid(year: year, month: month, day: day), "invalid date \(year)-\(month)-\(day)")
        self.dayNumber = CivilCalendar.days(year: year, month: month, day: day)
    }

    public init?(validatingYear year: Int, month: Int, day: Int) {
        guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
        self.dayNumber = CivilCalendar.days(year: year, month: month, day: day)
    }

    /// The years a date from outside may have. Everything this service reasons about (births, diplomas,
    /// periods, due dates) lies well inside; the bound keeps arithmetic on input far from year 1 and 9999.
    public static let acceptedYears = 1900...2200

    /// Parses exactly `YYYY-MM-DD`, with a year in `acceptedYears`.
    public init?(iso text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let c = u[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), CivilDate.acceptedYears.contains(y) else { return nil }
        self.init(validatingYear: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) { CivilCalendar.date(days: dayNumber) }
    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    /// ISO weekday, Monday = 1 … Sunday = 7.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (dayNumber + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    public var iso: String {
        let (y, m, d) = components
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public var description: String { iso }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    // MARK: arithmetic

    public func adding(days n: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + n) }
    public func adding(weeks n: Int) -> CivilDate { adding(days: 7 * n) }

    /// Calendar months; the day is clamped to the target month's last day (31 Jan + 1 month = 28/29 Feb).
    public func adding(months n: Int) -> CivilDate {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + n
        let ny = total >= 0 ? total / 12 : (total - 11) / 12
        let nm = total - ny * 12 + 1
        return CivilDate(ny, nm, min(d, CivilDate.daysInMonth(year: ny, month: nm)))
    }

    /// Calendar years; 29 February becomes 28 February in a common year.
    public func adding(years n: Int) -> CivilDate { adding(months: 12 * n) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

    // MARK: calendar helpers

    public static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1...9999).contains(year) && (1...12).contains(month) && day >= 1 && day <= daysInMonth(year: year, month: month)
    }

    // MARK: Codable as "YYYY-MM-DD"

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = CivilDate(iso: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be a date YYYY-MM-DD between 1900 and 2200")
        }
        self = d
    }

    /// Kept by hand: a date is the string `"YYYY-MM-DD"`, not its day count.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}
