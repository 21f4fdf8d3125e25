/// One category of the dossier with its two lights (DOMAIN §4).
///
/// - The **points** light: the category's points reach its minimum. Surplus points in another category never
///   help (more than 12 in A does not lower the minimum of C).
/// - The **subjects** light: every mandatory subject has at least its minimum number of completions, and, when the
///   norm asks for it (norm 2023 C), the category has at least that many different courses.
/// - The category is **green** (`met`) only when both lights are.
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

/// A subject of a category. Only a mandatory subject (minimum ≥ 1) carries a status (the dossier's dot, DOMAIN
/// §2a): `akkoord` once followed at least its minimum number of times, else `nogTeDoen`. A subject that is not
/// mandatory (kunstvoeding) is listed with its completions and no status (absent in the JSON): its points count
/// for its category, and there is nothing to tick off.
public struct DossierSubject: Sendable, Hashable, Encodable {
    public let code: String
    public let name: String
    /// 0: not mandatory, no status.
    public let minCompletions: Int
    public let completions: Int
    /// nil for a subject that is not mandatory.
    public let status: SubjectStatus?
    /// Points of this subject in the period (for annotations); not in the JSON.
    public let points: Points

    private enum CodingKeys: String, CodingKey { case code, name, minCompletions, completions, status }
}

public enum SubjectStatus: String, Sendable, Hashable, Codable {
    case akkoord, nogTeDoen
}

extension DossierCategory {
    /// The lights of a counted category; `counted` are the accreditations counted. A negative minimum in the norm
    /// counts as 0.
    init(_ category: NormCategory, _ count: CategoryCount, counted: DossierAccreditations) {
        let subjects = zip(category.subjects, count.subjects).map(DossierSubject.init)
        let distinctCourses = count.distinctCourses(of: counted)
        let minDistinctCourses = max(0, category.minDistinctCourses)
        let pointsMet = count.points >= category.minPoints
        let subjectsMet = subjects.allSatisfy { $0.status != .nogTeDoen } && distinctCourses >= minDistinctCourses
        self.init(
            code: category.code, name: category.name, minPoints: category.minPoints, points: count.points,
            pointsMet: pointsMet, subjects: subjects, distinctCourses: distinctCourses,
            minDistinctCourses: minDistinctCourses, subjectsMet: subjectsMet, met: pointsMet && subjectsMet)
    }
}

extension DossierSubject {
    init(_ subject: NormSubject, _ count: SubjectCount) {
        let minCompletions = max(0, subject.minCompletions)
        self.init(
            code: subject.code, name: subject.name, minCompletions: minCompletions,
            completions: count.completions,
            status: minCompletions == 0 ? nil : count.completions >= minCompletions ? .akkoord : .nogTeDoen, points: count.points)
    }
}
