/// What the counted completions brought one category of a norm (DOMAIN §3 "Counting").
///
/// Each accreditation line of the norm adds its points to its category and counts as one completion of its
/// subject. In detail:
/// - a line of another norm counts nowhere (a course carries lines for every norm it is accredited for);
/// - a line whose category is not in the norm counts nowhere;
/// - a line naming no subject, or a subject its category does not have, counts for the category only;
/// - a line repeated within one completion (same norm, category and subject) counts once: PE-online may send
///   the same message twice;
/// - a category also notes the course of every completion with a line in it, for the "different courses" rule.
///
/// A norm's counts are an array in the order of its categories (`Norm.uncounted(completions:)`), each with its
/// subjects' counts in the order of the category's subjects. Codes are looked up in the norm's order, so should a
/// norm repeat a code, the first one counts.
struct CategoryCount: Sendable, Hashable {
    var points: Points = .zero
    /// `subjects[s]` counts subject `s` of the category.
    var subjects: [SubjectCount]
    /// The course of each completion with a line in this category; a course followed twice is here twice.
    var courseIds: [String] = []

    /// Nothing counted yet, with room for the courses of `completions` completions.
    init(subjectCount: Int, completions: Int) {
        subjects = Array(repeating: SubjectCount(), count: subjectCount)
        courseIds.reserveCapacity(completions)
    }

    /// Different courses with at least one line in this category: each course counts at its first completion.
    var distinctCourses: Int {
        var count = 0
        for i in courseIds.indices where !courseIds[..<i].contains(courseIds[i]) { count += 1 }
        return count
    }
}

/// How often one subject was followed and the points it brought.
struct SubjectCount: Sendable, Hashable {
    var completions = 0
    var points: Points = .zero
}

extension Norm {
    /// Nothing counted yet: one count per category, in the norm's order, for up to `completions` completions.
    func uncounted(completions: Int) -> [CategoryCount] {
        categories.map { CategoryCount(subjectCount: $0.subjects.count, completions: completions) }
    }

    /// Counts the lines of one completion (or agenda course) of `courseId` into `counts` (this norm's counts);
    /// returns whether at least one line counted.
    @discardableResult
    func count(_ lines: [AccreditationLine], of courseId: String, into counts: inout [CategoryCount]) -> Bool {
        var counted = false
        for position in lines.indices {
            guard let (c, s) = place(lines[position]),
                  !lines[..<position].contains(where: { $0.sameAccreditation(as: lines[position]) }) else { continue }
            let points = lines[position].points
            counts[c].points += points
            counts[c].courseIds.append(courseId)
            if let s {
                counts[c].subjects[s].completions += 1
                counts[c].subjects[s].points += points
            }
            counted = true
        }
        return counted
    }

    /// Where a line counts under this norm: the position of its category and, when that category has the line's
    /// subject, of the subject; nil for a line of another norm or of a category the norm does not have.
    func place(_ line: AccreditationLine) -> (category: Int, subject: Int?)? {
        guard line.norm == code, let c = categories.firstIndex(where: { $0.code == line.category }) else { return nil }
        guard let subject = line.subject else { return (c, nil) }
        return (c, categories[c].subjects.firstIndex { $0.code == subject })
    }

    /// The position of the category with this code.
    func categoryIndex(_ code: String) -> Int? { categories.firstIndex { $0.code == code } }
}

extension AccreditationLine {
    /// Same norm, category and subject (points aside): the same accreditation sent twice.
    func sameAccreditation(as other: AccreditationLine) -> Bool {
        norm == other.norm && category == other.category && subject == other.subject
    }
}

extension Array where Element == CategoryCount {
    /// The sum of the categories' points.
    var totalPoints: Points { reduce(.zero) { $0 + $1.points } }
}

