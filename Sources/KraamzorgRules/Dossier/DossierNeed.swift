/// What a red item still lacks, with agenda courses that would close it (DOMAIN §5 "what is still needed").
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

    init(
        kind: Kind, category: String?, subject: String? = nil, pointsShort: Points? = nil,
        completionsShort: Int? = nil, coursesShort: Int? = nil, suggestedCourses: [SuggestedCourse] = []
    ) {
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

extension DossierNeed {
    /// One need per red item, in the dossier's order: per category (the norm's order) the points short, then each
    /// mandatory subject's completions short, then the different courses short; then the total points short;
    /// then the EHBO certificate when it does not cover the period. No suggestions yet (`CoursePlanner` adds them).
    /// A negative minimum in the norm counts as 0.
    /// `counted` are the accreditations counted.
    static func needs(
        norm: Norm, counts: [CategoryCount], counted: DossierAccreditations, totalPoints: Points,
        ehbo: DossierEhbo
    ) -> [DossierNeed] {
        var needs: [DossierNeed] = []
        for c in norm.categories.indices {
            let code = norm.categories[c].code, minPoints = norm.categories[c].minPoints, points = counts[c].points
            if points < minPoints {
                needs.append(
                    DossierNeed(
                        kind: .categoryPoints, category: code,
                        pointsShort: points.shortfall(to: minPoints)))
            }
            for s in norm.categories[c].subjects.indices {
                let minimum = norm.categories[c].subjects[s].minCompletions, done = counts[c].subjects[s].completions
                if done < minimum {
                    needs.append(
                        DossierNeed(
                            kind: .subjectCompletions, category: code,
                            subject: norm.categories[c].subjects[s].code,
                            completionsShort: minimum - done))
                }
            }
            // Only where the norm has the rule are the different courses counted at all.
            let minDistinct = norm.categories[c].minDistinctCourses
            if minDistinct > 0 {
                let short = minDistinct - counts[c].distinctCourses(of: counted)
                if short > 0 { needs.append(DossierNeed(kind: .distinctCourses, category: code, coursesShort: short)) }
            }
        }
        if totalPoints < norm.minTotalPoints {
            needs.append(
                DossierNeed(
                    kind: .totalPoints, category: nil,
                    pointsShort: totalPoints.shortfall(to: norm.minTotalPoints)))
        }
        if !ehbo.met { needs.append(DossierNeed(kind: .ehboCertificate, category: nil)) }
        return needs
    }

    /// The same need with `courses` suggested to close it.
    func suggesting(_ courses: [SuggestedCourse]) -> DossierNeed {
        DossierNeed(
            kind: kind, category: category, subject: subject, pointsShort: pointsShort,
            completionsShort: completionsShort, coursesShort: coursesShort, suggestedCourses: courses)
    }
}

/// An agenda course suggested for a need; `points` is what it adds toward that need.
public struct SuggestedCourse: Sendable, Hashable, Codable {
    public let id: String
    public let title: String
    public let startDate: CivilDate
    public let points: Points
}
