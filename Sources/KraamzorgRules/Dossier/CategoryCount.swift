/// What a dossier's accreditations (its counted completions, `DossierAccreditations`) brought one category of the
/// norm (DOMAIN §3 "Counting").
///
/// Each accreditation line of the norm adds its points to its category and counts as one completion of its
/// subject. In detail:
/// - a line of another norm counts nowhere (a course carries lines for every norm it is accredited for);
/// - a line whose category is not in the norm counts nowhere;
/// - a line naming no subject, or a subject its category does not have, counts for the category only;
/// - a line repeated within one completion (same norm, category and subject) counts once: PE-online may send
///   the same message twice;
/// - a category also notes which accreditations have a line in it, for the "different courses" rule.
///
/// A norm's counts are an array in the order of its categories (`Norm.count(_:)`), each with its subjects' counts
/// in the order of the category's subjects. Codes are looked up in the norm's order, so should a norm repeat a
/// code, the first one counts.
struct CategoryCount: Sendable, Hashable {
    var points: Points = .zero
    /// `subjects[s]` counts subject `s` of the category.
    var subjects: [SubjectCount]
    /// The accreditations with a line in this category, as their indices in the accreditations counted.
    var accreditations: [Int] = []

    /// Nothing counted yet, with room for `accreditations` accreditations.
    init(subjectCount: Int, accreditations: Int) {
        subjects = Array(repeating: SubjectCount(), count: subjectCount)
        self.accreditations.reserveCapacity(accreditations)
    }

    /// The different courses with a line in this category, in the order first followed; `counted` are the
    /// accreditations counted.
    func courseIds(of counted: DossierAccreditations) -> [String] {
        var ids: [String] = []
        for a in accreditations where !ids.contains(counted.courseId(a)) { ids.append(counted.courseId(a)) }
        return ids
    }

    /// How many different courses have a line in this category; `counted` are the accreditations counted.
    func distinctCourses(of counted: DossierAccreditations) -> Int { courseIds(of: counted).count }
}

/// How often one subject was followed and the points it brought.
struct SubjectCount: Sendable, Hashable {
    var completions = 0
    var points: Points = .zero
}

extension Norm {
    /// Counts every one of `accreditations`: one count per category, in the norm's order.
    func count(_ accreditations: DossierAccreditations) -> [CategoryCount] {
        var counts = categories.indices.map {
            CategoryCount(subjectCount: categories[$0].subjects.count, accreditations: accreditations.count)
        }
        for a in accreditations.indices { count(a, of: accreditations, into: &counts) }
        return counts
    }

    /// Counts the lines of accreditation `a` into `counts`. The completion is read where it is, not copied out
    /// (a copy retains each of its strings and its lines).
    private func count(_ a: Int, of accreditations: DossierAccreditations, into counts: inout [CategoryCount]) {
        let completion = accreditations.positions[a]
        let completions = accreditations.completions
        for l in completions[completion].lines.indices {
            guard let (c, s) = place(completions[completion].lines[l]),
                !completions[completion].lines[..<l].contains(where: {
                    $0.sameAccreditation(as: completions[completion].lines[l])
                })
            else { continue }
            let points = completions[completion].lines[l].points
            counts[c].points += points
            counts[c].accreditations.append(a)
            if let s {
                counts[c].subjects[s].completions += 1
                counts[c].subjects[s].points += points
            }
        }
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
