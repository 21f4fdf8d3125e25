/// Care hours given in one calendar year (norm 2023: at least 200), with an optional employer statement.
public struct CareHoursRecord: Sendable, Hashable, Codable {
    public var year: Int
    public var hours: Int
    public var statement: String?

    public init(year: Int, hours: Int, statement: String? = nil) {
        self.year = year
        self.hours = hours
        self.statement = statement
    }
}

/// One year in the dossier's care-hours list. Shown to the reviewer; not part of "complete".
public struct CareHoursYear: Sendable, Hashable, Codable {
    public let year: Int
    public let hours: Int
    public let met: Bool
}

enum CareHoursSummary {
    /// Every calendar year from the period's start through the last evaluated day, unrecorded years as 0.
    static func years(_ records: [CareHoursRecord], minimum: Int?, from: CivilDate, through: CivilDate)
        -> [CareHoursYear]
    {
        guard let minimum, from <= through else { return [] }
        let first = from.year, last = through.year
        var result: [CareHoursYear] = []
        result.reserveCapacity(last - first + 1)
        for year in first...last {
            var hours = 0
            for r in records where r.year == year { hours = r.hours }
            result.append(CareHoursYear(year: year, hours: hours, met: hours >= minimum))
        }
        return result
    }
}
