/// An ISO 8601 week such as `2026-W48` (weeks start on Monday; week 1 holds the year's first Thursday).
public struct ISOWeek: Sendable, Hashable, Comparable, Encodable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    public init?(year: Int, week: Int) {
        guard (1...9999).contains(year), week >= 1, week <= ISOWeek.weeksIn(year: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// The ISO week that contains `date`.
    public init(containing date: CivilDate) {
        // The Thursday of this week decides the year.
        let thursday = date.adding(days: 4 - date.isoWeekday)
        let y = thursday.year
        let jan1 = CivilDate(y, 1, 1)
        self.year = y
        self.week = jan1.days(until: thursday) / 7 + 1
    }

    /// Parses `YYYY-Www` (e.g. `2026-W48`).
    public init?(_ text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 8, u[4] == UInt8(ascii: "-"), u[5] == UInt8(ascii: "W") else { return nil }
        var y = 0, w = 0
        for i in 0..<4 { guard (48...57).contains(u[i]) else { return nil }; y = y * 10 + Int(u[i] - 48) }
        for i in 6..<8 { guard (48...57).contains(u[i]) else { return nil }; w = w * 10 + Int(u[i] - 48) }
        self.init(year: y, week: w)
    }

    /// Monday of this week.
    public var monday: CivilDate {
        let jan4 = CivilDate(year, 1, 4)
        return jan4.adding(days: 1 - jan4.isoWeekday).adding(weeks: week - 1)
    }

    public var sunday: CivilDate { monday.adding(days: 6) }

    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }

    public static func weeksIn(year: Int) -> Int {
        // A year has 53 weeks when 28 December falls in week 53.
        let dec28 = CivilDate(year, 12, 28)
        return ISOWeek(containing: dec28).week
    }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }

    /// Kept by hand: a week is the string `"2026-W48"`, not its year and week.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
