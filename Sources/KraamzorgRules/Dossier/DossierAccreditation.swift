/// The counted completions of a dossier (DOMAIN §3, §5), in the dossier's order: by date, then course, then id.
///
/// A completion counts when it is not withdrawn and dated in [period start, effective end] and on or before the
/// evaluation date. The same course on the same day is one completion pushed twice: it counts once, as the push
/// with the smallest id.
///
/// Kept as positions in the completions the dossier was evaluated with rather than as copies of them: copying a
/// completion retains each of its strings and its lines, which for 30 completions costs about as much as the
/// rest of the evaluation.
public struct DossierAccreditations: RandomAccessCollection, Sendable, Hashable, Encodable {
    /// The completions as given to the evaluation, counted or not.
    let completions: [Completion]
    /// The positions in `completions` of the counted ones, in the dossier's order.
    let positions: [Int]
    let periodId: String
    let norm: String

    init(counting completions: [Completion], in period: RegistrationPeriod, norm: String, asOf: CivilDate) {
        let first = period.startDate, last = Swift.min(period.effectiveEndDate, asOf)
        var candidates: [Int] = []
        candidates.reserveCapacity(completions.count)
        for position in completions.indices where completions[position].counts(from: first, through: last) {
            candidates.append(position)
        }
        candidates.sort { completions[$0].precedes(completions[$1]) }
        var positions: [Int] = []
        positions.reserveCapacity(candidates.count)
        for position in candidates {
            if let previous = positions.last, completions[previous].isSamePush(as: completions[position]) { continue }
            positions.append(position)
        }
        self.completions = completions
        self.positions = positions
        self.periodId = period.id
        self.norm = norm
    }

    /// One completion of `course` on its start date, counted as is: an agenda course "as if followed".
    init(following course: AgendaCourse, norm: String) {
        completions = [
            Completion(
                id: course.id, courseId: course.id, courseTitle: course.title,
                completedOn: course.startDate, lines: course.lines)
        ]
        positions = [0]
        periodId = ""
        self.norm = norm
    }

    public var startIndex: Int { positions.startIndex }
    public var endIndex: Int { positions.endIndex }

    public subscript(i: Int) -> DossierAccreditation {
        DossierAccreditation(completion: completions[positions[i]], periodId: periodId, norm: norm)
    }

    /// The course of accreditation `a`.
    func courseId(_ a: Int) -> String { completions[positions[a]].courseId }

    /// Whether a completion of this course on that day is counted.
    func contains(courseId: String, on date: CivilDate) -> Bool {
        positions.contains { completions[$0].completedOn == date && completions[$0].courseId == courseId }
    }

    /// Equal when the same completions are counted (whatever the order of the input they came from).
    public static func == (a: DossierAccreditations, b: DossierAccreditations) -> Bool {
        a.periodId == b.periodId && a.norm == b.norm && a.elementsEqual(b) { $0.completion == $1.completion }
    }

    public func hash(into h: inout Hasher) {
        h.combine(count)
        for a in self { h.combine(a.completion) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        for a in self { try c.encode(a) }
    }
}

/// A counted completion as it appears under the dossier's `accreditations`: only the lines of the period's norm.
public struct DossierAccreditation: Sendable, Hashable, Encodable {
    public let completion: Completion
    public let periodId: String
    public let norm: String

    public var late: Bool { completion.isLate }
    /// The completion's lines for this norm.
    public var lines: [AccreditationLine] { completion.lines.filter { $0.norm == norm } }

    private enum CodingKeys: String, CodingKey {
        case id, courseId, courseTitle, completedOn, recordedAt, late, periodId, norm, lines, withdrawn
    }
    private enum LineKeys: String, CodingKey { case category, subject, points }

    /// The completion's fields flattened in, with `late` and only this norm's lines (without their norm).
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

extension Completion {
    /// Not withdrawn and dated in [first, last].
    func counts(from first: CivilDate, through last: CivilDate) -> Bool {
        !withdrawn && completedOn >= first && completedOn <= last
    }

    /// The dossier's order: by date, then course, then id.
    func precedes(_ other: Completion) -> Bool {
        (completedOn, courseId, id) < (other.completedOn, other.courseId, other.id)
    }

    /// The same course on the same day: the same completion, pushed again.
    func isSamePush(as other: Completion) -> Bool {
        completedOn == other.completedOn && courseId == other.courseId
    }
}
