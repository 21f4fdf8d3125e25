/// Suggests agenda courses that would close a dossier's needs (DOMAIN §5 "what is still needed").
///
/// The candidates are the agenda courses starting in [max(asOf, period start), effective end] with at least one
/// line that counts under the norm, except a course on the same day as a counted completion of that course (it
/// would be the same completion again). Each is counted as if followed, by the dossier's own rules.
///
/// Greedy, not optimal, and a few courses per need:
/// - points short (a category or the total): most points first, then earliest, until the shortfall is covered;
/// - completions of a subject short: earliest first, each course one more completion;
/// - different courses short: earliest first, skipping courses she already has in the category.
struct CoursePlanner {
    struct Candidate {
        let course: AgendaCourse
        /// What following the course would add, per category of the norm.
        let counts: [CategoryCount]
    }

    let norm: Norm
    let candidates: [Candidate]
    /// The completions the dossier counts.
    let counted: DossierAccreditations

    /// `counted` are the completions the dossier counts.
    init(
        norm: Norm, agenda: [AgendaCourse], from: CivilDate, through: CivilDate,
        counted: DossierAccreditations
    ) {
        var candidates: [Candidate] = []
        for course in agenda where course.startDate >= from && course.startDate <= through {
            if counted.contains(courseId: course.id, on: course.startDate) { continue }
            let counts = norm.count(DossierAccreditations(following: course, norm: norm.code))
            guard counts.contains(where: { !$0.accreditations.isEmpty }) else { continue }
            candidates.append(Candidate(course: course, counts: counts))
        }
        self.norm = norm
        self.candidates = candidates
        self.counted = counted
    }

    /// The needs with their suggested courses; `counts` are the dossier's own.
    func suggest(for needs: [DossierNeed], counts: [CategoryCount]) -> [DossierNeed] {
        guard !candidates.isEmpty else { return needs }
        return needs.map { $0.suggesting(courses(closing: $0, counts: counts)) }
    }

    func courses(closing need: DossierNeed, counts: [CategoryCount]) -> [SuggestedCourse] {
        switch need.kind {
        case .categoryPoints:
            guard let c = need.category.flatMap(norm.categoryIndex) else { return [] }
            return coverPoints(need.pointsShort ?? .zero) { $0.counts[c].points }
        case .totalPoints:
            return coverPoints(need.pointsShort ?? .zero) { $0.counts.totalPoints }
        case .subjectCompletions:
            guard let c = need.category.flatMap(norm.categoryIndex),
                let s = norm.categories[c].subjects.firstIndex(where: { $0.code == need.subject })
            else { return [] }
            return forSubject(c, s, short: need.completionsShort ?? 0)
        case .distinctCourses:
            guard let c = need.category.flatMap(norm.categoryIndex) else { return [] }
            return forDistinctCourses(
                c, short: need.coursesShort ?? 0,
                alreadyFollowed: counts[c].courseIds(of: counted))
        case .ehboCertificate:
            return []
        }
    }

    /// Most points first (then earliest) until the shortfall is covered.
    private func coverPoints(_ short: Points, value: (Candidate) -> Points) -> [SuggestedCourse] {
        let useful = candidates.filter { value($0) > .zero }.sorted {
            let va = value($0), vb = value($1)
            return va != vb ? va > vb : CoursePlanner.earlier($0, $1)
        }
        var result: [SuggestedCourse] = [], sum = Points.zero
        for candidate in useful where sum < short {
            sum += value(candidate)
            result.append(suggestion(candidate, points: value(candidate)))
        }
        return result
    }

    /// Earliest first; each course is one more completion of subject `s` of category `c`.
    private func forSubject(_ c: Int, _ s: Int, short: Int) -> [SuggestedCourse] {
        let useful = candidates.filter { $0.counts[c].subjects[s].completions > 0 }.sorted(by: CoursePlanner.earlier)
        var result: [SuggestedCourse] = [], completions = 0
        for candidate in useful where completions < short {
            completions += candidate.counts[c].subjects[s].completions
            result.append(suggestion(candidate, points: candidate.counts[c].subjects[s].points))
        }
        return result
    }

    /// Earliest first, courses with points in category `c`; courses she already has there, or already
    /// suggested, add nothing.
    private func forDistinctCourses(_ c: Int, short: Int, alreadyFollowed: [String]) -> [SuggestedCourse] {
        let useful = candidates.filter { $0.counts[c].points > .zero }.sorted(by: CoursePlanner.earlier)
        var result: [SuggestedCourse] = []
        for candidate in useful where result.count < short {
            let id = candidate.course.id
            if alreadyFollowed.contains(id) || result.contains(where: { $0.id == id }) { continue }
            result.append(suggestion(candidate, points: candidate.counts[c].points))
        }
        return result
    }

    private static func earlier(_ a: Candidate, _ b: Candidate) -> Bool {
        (a.course.startDate, a.course.id) < (b.course.startDate, b.course.id)
    }

    private func suggestion(_ c: Candidate, points: Points) -> SuggestedCourse {
        SuggestedCourse(id: c.course.id, title: c.course.title, startDate: c.course.startDate, points: points)
    }
}
