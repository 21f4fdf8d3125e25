/// A completed course as pushed by its provider: a fact, never deleted (a withdrawal only marks it).
public struct Completion: Sendable, Hashable {
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

    public init(
        id: String, courseId: String, courseTitle: String = "", completedOn: CivilDate,
        recordedAt: CivilDate? = nil, withdrawn: Bool = false, lines: [AccreditationLine]
    ) {
        self.id = id
        self.courseId = courseId
        self.courseTitle = courseTitle
        self.completedOn = completedOn
        self.recordedAt = recordedAt ?? completedOn
        self.withdrawn = withdrawn
        self.lines = lines
    }

    /// Providers must push within 3 weeks; later pushes are accepted but reported.
    public static let lateAfterDays = 21

    public var isLate: Bool { completedOn.days(until: recordedAt) > Completion.lateAfterDays }
}

/// What makes two pushes the same completion: the same course for the same practitioner on the same day.
/// The same course on another day is a second completion (some subjects must be followed twice).
public struct CompletionKey: Sendable, Hashable {
    public var courseId: String
    public var practitionerId: String
    public var completedOn: CivilDate

    public init(courseId: String, practitionerId: String, completedOn: CivilDate) {
        self.courseId = courseId
        self.practitionerId = practitionerId
        self.completedOn = completedOn
    }
}
