/// The evaluation of one period's dossier (DOMAIN §5); encodes to API.md's dossier JSON.
public struct Dossier: Sendable, Hashable, Encodable {
    public let periodId: String
    public let norm: String
    public let normVersion: Int
    public let startDate: CivilDate
    public let effectiveEndDate: CivilDate
    public let asOf: CivilDate
    public let categories: [DossierCategory]
    public let totalPoints: Points
    public let minTotalPoints: Points
    public let ehbo: DossierEhbo
    public let careHours: [CareHoursYear]
    /// Every category green ∧ total ≥ minimum ∧ (when required) EHBO covers the period. Care hours do not count.
    public let complete: Bool
    /// Labels earned for the next certificate.
    public let annotations: [String]
    public let submission: SubmissionEligibility
    public let reminders: [Reminder]
    /// One entry per red item, with the agenda courses that would close it.
    public let needs: [DossierNeed]
    /// Every counted completion, by date (duplicates and withdrawn ones left out).
    public let accreditations: [DossierAccreditation]

    public func category(_ code: String) -> DossierCategory? { categories.first { $0.code == code } }
}

public enum SubjectStatus: String, Sendable, Hashable, Codable {
    case akkoord, nogTeDoen
}

public struct DossierSubject: Sendable, Hashable, Encodable {
    public let code: String
    public let name: String
    /// 0: not mandatory, always `akkoord`.
    public let minCompletions: Int
    public let completions: Int
    public let status: SubjectStatus
    /// Points of this subject in the period (for annotations); not in the JSON.
    public let points: Points

    private enum CodingKeys: String, CodingKey { case code, name, minCompletions, completions, status }
}

public struct DossierCategory: Sendable, Hashable, Encodable {
    public let code: String
    public let name: String
    public let minPoints: Points
    public let points: Points
    public let pointsMet: Bool
    public let subjects: [DossierSubject]
    /// Different courses with at least one line in this category.
    public let distinctCourses: Int
    public let minDistinctCourses: Int
    /// The second light: every mandatory subject `akkoord` and the distinct-course rule met.
    public let subjectsMet: Bool
    /// Green: both lights.
    public let met: Bool
}

public struct DossierEhbo: Sendable, Hashable, Encodable {
    public let required: Bool
    /// nil (JSON null) when the norm does not require a certificate.
    public let status: EhboCoverageStatus?
    public let firstUncoveredDate: CivilDate?

    private enum CodingKeys: String, CodingKey { case required, status, firstUncoveredDate }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(required, forKey: .required)
        try c.encode(status, forKey: .status)
        try c.encode(firstUncoveredDate, forKey: .firstUncoveredDate)
    }

    /// Whether the EHBO rule is satisfied (trivially so when not required).
    public var met: Bool { !required || status == .coversPeriod }
}

/// A counted completion as it appears under `accreditations`: only the lines of the period's norm.
public struct DossierAccreditation: Sendable, Hashable, Encodable {
    public let completion: Completion
    public let periodId: String
    public let norm: String

    public var late: Bool { completion.isLate }
    /// The completion's lines for this norm (computed on demand, off the hot path).
    public var lines: [AccreditationLine] { completion.lines.filter { $0.norm == norm } }

    private enum CodingKeys: String, CodingKey {
        case id, courseId, courseTitle, completedOn, recordedAt, late, periodId, norm, lines, withdrawn
    }
    private enum LineKeys: String, CodingKey { case category, subject, points }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(completion.id, forKey: .id)
        try c.encode(completion.courseId, forKey: .courseId)
        try c.encode(completion.courseTitle, forKey: .courseTitle)
        try c.encode(completion.completedOn, forKey: .completedOn)
        try c.encode(completion.recordedAt, forKey: .recordedAt)
        try c.encode(late, forKey: .late)
        try c.encode(periodId, forKey: .periodId)
        try c.encode(norm, forKey: .norm)
        var lc = c.nestedUnkeyedContainer(forKey: .lines)
        for line in lines {
            var l = lc.nestedContainer(keyedBy: LineKeys.self)
            try l.encode(line.category, forKey: .category)
            try l.encode(line.subject, forKey: .subject)
            try l.encode(line.points, forKey: .points)
        }
        try c.encode(completion.withdrawn, forKey: .withdrawn)
    }
}
