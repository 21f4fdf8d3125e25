/// What a red item still lacks, with agenda courses that would close it.
public struct DossierNeed: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case categoryPoints, subjectCompletions, distinctCourses, totalPoints, ehboCertificate
    }

    public let kind: Kind
    /// nil (JSON null) for the total and the EHBO certificate.
    public let category: String?
    public let subject: String?
    public let pointsShort: Points?
    public let completionsShort: Int?
    public let coursesShort: Int?
    /// Few and in the period: empty when the agenda has nothing that helps (or for EHBO).
    public let suggestedCourses: [SuggestedCourse]

    init(kind: Kind, category: String?, subject: String? = nil, pointsShort: Points? = nil,
         completionsShort: Int? = nil, coursesShort: Int? = nil, suggestedCourses: [SuggestedCourse] = []) {
        self.kind = kind
        self.category = category
        self.subject = subject
        self.pointsShort = pointsShort
        self.completionsShort = completionsShort
        self.coursesShort = coursesShort
        self.suggestedCourses = suggestedCourses
    }

    private enum CodingKeys: String, CodingKey {
        case kind, category, subject, pointsShort, completionsShort, coursesShort, suggestedCourses
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(category, forKey: .category)
        try c.encodeIfPresent(subject, forKey: .subject)
        try c.encodeIfPresent(pointsShort, forKey: .pointsShort)
        try c.encodeIfPresent(completionsShort, forKey: .completionsShort)
        try c.encodeIfPresent(coursesShort, forKey: .coursesShort)
        try c.encode(suggestedCourses, forKey: .suggestedCourses)
    }
}

/// An agenda course suggested for a need; `points` is what it adds toward that need.
public struct SuggestedCourse: Sendable, Hashable, Codable {
    public let id: String
    public let title: String
    public let startDate: CivilDate
    public let points: Points
}
