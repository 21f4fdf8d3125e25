/// A completed course as pushed by its provider: a fact, never deleted (a withdrawal only marks it).
public struct Completion: Sendable, Hashable, Codable {
    public var id: String
    public var courseId: String
    public var courseTitle: String
    public var completedOn: CivilDate
    /// The day the provider pushed it; more than 21 days after `completedOn` is `late`.
    public var recordedAt: CivilDate
    /// Withdrawn by the provider: kept, but no longer counted.
    public var withdrawn: Bool
    /// The course's lines for every norm; only the counting period's norm is used.
    public var lines: [AccreditationLine]

    public init(id: String, courseId: String, courseTitle: String = "", completedOn: CivilDate,
                recordedAt: CivilDate? = nil, withdrawn: Bool = false, lines: [AccreditationLine]) {
        self.id = id
        self.courseId = courseId
        self.courseTitle = courseTitle
        self.completedOn = completedOn
        self.recordedAt = recordedAt ?? completedOn
        self.withdrawn = withdrawn
        self.lines = lines
    }

    private enum CodingKeys: String, CodingKey {
        case id, courseId, courseTitle, completedOn, recordedAt, withdrawn, lines
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), courseId: try c.decode(String.self, forKey: .courseId),
                  courseTitle: try c.decodeIfPresent(String.self, forKey: .courseTitle) ?? "",
                  completedOn: try c.decode(CivilDate.self, forKey: .completedOn),
                  recordedAt: try c.decodeIfPresent(CivilDate.self, forKey: .recordedAt),
                  withdrawn: try c.decodeIfPresent(Bool.self, forKey: .withdrawn) ?? false,
                  lines: try c.decode([AccreditationLine].self, forKey: .lines))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(courseId, forKey: .courseId)
        try c.encode(courseTitle, forKey: .courseTitle)
        try c.encode(completedOn, forKey: .completedOn)
        try c.encode(recordedAt, forKey: .recordedAt)
        try c.encode(withdrawn, forKey: .withdrawn)
        try c.encode(lines, forKey: .lines)
    }

    /// Providers must push within 3 weeks; later pushes are accepted but reported.
    public static let lateAfterDays = 21

    public var isLate: Bool { completedOn.days(until: recordedAt) > Completion.lateAfterDays }
}

/// What makes two pushes the same completion: the same course for the same practitioner on the same day.
/// The same course on another day is a second completion (some subjects must be followed twice).
public struct CompletionKey: Sendable, Hashable, Codable {
    public var courseId: String
    public var practitionerId: String
    public var completedOn: CivilDate

    public init(courseId: String, practitionerId: String, completedOn: CivilDate) {
        self.courseId = courseId
        self.practitionerId = practitionerId
        self.completedOn = completedOn
    }
}
