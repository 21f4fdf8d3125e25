/// Suggests agenda courses that would close a dossier's gaps: a few courses per need, taken from the
/// courses starting in [max(asOf, period start), effective end] that have lines for the norm.
///
/// Greedy, not optimal: most points first for point gaps, earliest first for completion and course gaps.
struct CoursePlanner {
    struct Candidate {
        let course: AgendaCourse
        let categoryTenths: [Int]
        let subjectCompletions: [Int]
        let subjectTenths: [Int]
        let totalTenths: Int
    }

    let candidates: [Candidate]

    /// `counted` are the completions already counted: an agenda course on the same day as a counted
    /// completion of the same course would be a duplicate, so it is never suggested.
    init(prepared: PreparedNorm, agenda: [AgendaCourse], from: CivilDate, through: CivilDate,
         counted: [Completion]) {
        var list: [Candidate] = []
        let C = prepared.categoryCount, S = prepared.subjectCount
        for course in agenda where course.startDate >= from && course.startDate <= through {
            if counted.contains(where: { $0.completedOn == course.startDate && $0.courseId == course.id }) { continue }
            var cat = [Int](repeating: 0, count: C)
            var subj = [Int](repeating: 0, count: S)
            var subjPts = [Int](repeating: 0, count: S)
            let bits = cat.withUnsafeMutableBufferPointer { c in
                subj.withUnsafeMutableBufferPointer { s in
                    subjPts.withUnsafeMutableBufferPointer { sp in
                        prepared.tally(course.lines, categoryTenths: c.baseAddress!,
                                       subjectCompletions: s.baseAddress!, subjectTenths: sp.baseAddress!)
                    }
                }
            }
            guard bits != 0 else { continue }
            list.append(Candidate(course: course, categoryTenths: cat, subjectCompletions: subj,
                                  subjectTenths: subjPts, totalTenths: cat.reduce(0, +)))
        }
        candidates = list
    }

    private static func byDate(_ a: Candidate, _ b: Candidate) -> Bool {
        (a.course.startDate, a.course.id) < (b.course.startDate, b.course.id)
    }

    private func suggestion(_ c: Candidate, tenths: Int) -> SuggestedCourse {
        SuggestedCourse(id: c.course.id, title: c.course.title, startDate: c.course.startDate,
                        points: Points(tenths: tenths))
    }

    /// Most points first until the shortfall is covered.
    private func coverPoints(_ short: Int, value: (Candidate) -> Int) -> [SuggestedCourse] {
        let useful = candidates.filter { value($0) > 0 }.sorted {
            let va = value($0), vb = value($1)
            return va != vb ? va > vb : CoursePlanner.byDate($0, $1)
        }
        var result: [SuggestedCourse] = [], sum = 0
        for c in useful where sum < short {
            sum += value(c)
            result.append(suggestion(c, tenths: value(c)))
        }
        return result
    }

    func forCategoryPoints(_ ci: Int, short: Int) -> [SuggestedCourse] {
        coverPoints(short) { $0.categoryTenths[ci] }
    }

    func forTotal(short: Int) -> [SuggestedCourse] { coverPoints(short) { $0.totalTenths } }

    /// Earliest first; each agenda entry is one more completion of the subject.
    func forSubject(_ si: Int, short: Int) -> [SuggestedCourse] {
        var result: [SuggestedCourse] = [], count = 0
        for c in candidates.filter({ $0.subjectCompletions[si] > 0 }).sorted(by: CoursePlanner.byDate)
        where count < short {
            count += c.subjectCompletions[si]
            result.append(suggestion(c, tenths: c.subjectTenths[si]))
        }
        return result
    }

    /// Earliest first; courses she already has in the category, or already suggested, add nothing.
    func forDistinctCourses(_ ci: Int, short: Int, countedCourseIds: [String]) -> [SuggestedCourse] {
        var result: [SuggestedCourse] = []
        for c in candidates.filter({ $0.categoryTenths[ci] > 0 }).sorted(by: CoursePlanner.byDate)
        where result.count < short {
            let id = c.course.id
            if countedCourseIds.contains(id) || result.contains(where: { $0.id == id }) { continue }
            result.append(suggestion(c, tenths: c.categoryTenths[ci]))
        }
        return result
    }
}
