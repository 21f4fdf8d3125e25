/// The evaluation of one period's dossier (DOMAIN §5); encodes to API.md's dossier JSON.
///
/// Categories and accreditations are kept as tallies and positions and expanded on access, so an
/// evaluation allocates little; read `categories` once if you need it repeatedly.
public struct Dossier: Sendable, Hashable, Encodable {
    public let periodId: String
    public let norm: String
    public let normVersion: Int
    public let startDate: CivilDate
    public let effectiveEndDate: CivilDate
    public let asOf: CivilDate
    public let totalPoints: Points
    public let minTotalPoints: Points
    public let ehbo: DossierEhbo
    public let careHours: [CareHoursYear]
    /// Every category green ∧ total ≥ minimum ∧ (when required) EHBO covers the period. Care hours do not count.
    public let complete: Bool
    /// Labels earned for the next certificate.
    public let annotations: [String]
    public let submission: SubmissionEligibility
    /// The period's stored status (decides whether reminders are still due).
    public let periodStatus: PeriodStatus
    /// One entry per red item, with the agenda courses that would close it.
    public let needs: [DossierNeed]
    /// Every counted completion, by date (duplicates and withdrawn ones left out).
    public let accreditations: DossierAccreditations

    /// The norm as evaluated (names, minimums), with the tables it was evaluated by.
    let normUsed: NormUsed
    /// `[category points C][distinct courses C][subject completions S][subject points S]`, flat subject order,
    /// followed by the counted positions (shared with `accreditations`: one allocation for both).
    /// Distinct courses are counted by the evaluation only for categories with a distinct-course rule
    /// (0 for the others); `categories` counts them all.
    let tallies: Tallies

    /// Effective end − 3 months, − 8 weeks, − 1 day; none once submitted, approved or cancelled.
    public var reminders: [Reminder] { Reminder.schedule(effectiveEnd: effectiveEndDate, status: periodStatus) }

    /// Per category: points, subjects, distinct courses, both lights.
    public var categories: [DossierCategory] {
        let categories = normUsed.norm.categories.prefix(Norm.maxCategories)
        let C = categories.count
        let S = categories.reduce(0) { $0 + $1.subjects.count }
        let distinct = distinctCourses()
        var result: [DossierCategory] = []
        result.reserveCapacity(C)
        var si = 0
        for (ci, category) in categories.enumerated() {
            var subjects: [DossierSubject] = []
            var subjectsMet = true
            for subject in category.subjects {
                let done = tallies[2 * C + si], minimum = max(0, subject.minCompletions)
                if done < minimum { subjectsMet = false }
                subjects.append(DossierSubject(code: subject.code, name: subject.name, minCompletions: minimum,
                                               completions: done, status: done >= minimum ? .akkoord : .nogTeDoen,
                                               points: Points(tenths: tallies[2 * C + S + si])))
                si += 1
            }
            let minDistinct = max(0, category.minDistinctCourses)
            if distinct[ci] < minDistinct { subjectsMet = false }
            let pointsMet = tallies[ci] >= category.minPoints.tenths
            result.append(DossierCategory(
                code: category.code, name: category.name, minPoints: category.minPoints,
                points: Points(tenths: tallies[ci]), pointsMet: pointsMet, subjects: subjects,
                distinctCourses: distinct[ci], minDistinctCourses: minDistinct, subjectsMet: subjectsMet,
                met: pointsMet && subjectsMet))
        }
        return result
    }

    public func category(_ code: String) -> DossierCategory? { categories.first { $0.code == code } }

    /// Different courses per category, for every category: the evaluation only counts them where a
    /// distinct-course rule needs them, so the counted completions are grouped again here.
    func distinctCourses() -> [Int] {
        let prepared = normUsed.prepared
        let C = prepared.categoryCount, S = prepared.subjectCount, k = accreditations.count
        var distinct = [Int](repeating: 0, count: C)
        guard k > 0 else { return distinct }
        var slots = 8
        while slots < 2 * k { slots &<<= 1 }
        let offset = accreditations.offset
        accreditations.completions.withUnsafeBufferPointer { cs in
            accreditations.storage.withUnsafeBufferPointer { positions in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * k + slots + C + 2 * S) { buffer in
                    let masks = buffer.baseAddress!, courseMasks = masks + k
                    let table = UnsafeMutableBufferPointer(start: courseMasks + k, count: slots)
                    let scratch = courseMasks + k + slots
                    scratch.initialize(repeating: 0, count: C + 2 * S)
                    let order = positions.baseAddress! + offset
                    for a in 0..<k {
                        // Only the categories touched matter; the sums in `scratch` are thrown away.
                        let bits = prepared.tally(cs[order[a]].lines, categoryTenths: scratch,
                                                  subjectCompletions: scratch + C, subjectTenths: scratch + C + S)
                        masks[a] = Int(bitPattern: UInt(bits))
                    }
                    distinct.withUnsafeMutableBufferPointer { d in
                        DossierEvaluator.countDistinctCourses(cs, order: order, masks: masks, count: k, only: ~0,
                                                              courseMasks: courseMasks, table: table,
                                                              distinct: d.baseAddress!)
                    }
                }
            }
        }
        return distinct
    }

    private enum CodingKeys: String, CodingKey {
        case periodId, norm, normVersion, startDate, effectiveEndDate, asOf, categories, totalPoints,
             minTotalPoints, ehbo, careHours, complete, annotations, submission, reminders, needs, accreditations
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(periodId, forKey: .periodId)
        try c.encode(norm, forKey: .norm)
        try c.encode(normVersion, forKey: .normVersion)
        try c.encode(startDate, forKey: .startDate)
        try c.encode(effectiveEndDate, forKey: .effectiveEndDate)
        try c.encode(asOf, forKey: .asOf)
        try c.encode(categories, forKey: .categories)
        try c.encode(totalPoints, forKey: .totalPoints)
        try c.encode(minTotalPoints, forKey: .minTotalPoints)
        try c.encode(ehbo, forKey: .ehbo)
        try c.encode(careHours, forKey: .careHours)
        try c.encode(complete, forKey: .complete)
        try c.encode(annotations, forKey: .annotations)
        try c.encode(submission, forKey: .submission)
        try c.encode(reminders, forKey: .reminders)
        try c.encode(needs, forKey: .needs)
        try c.encode(accreditations, forKey: .accreditations)
    }
}

/// The norm a dossier was evaluated with; equal when the norms are (the tables follow from the norm).
struct NormUsed: Sendable, Hashable {
    let prepared: PreparedNorm
    var norm: Norm { prepared.norm }

    static func == (a: NormUsed, b: NormUsed) -> Bool { a.prepared.tables === b.prepared.tables || a.norm == b.norm }
    func hash(into h: inout Hasher) { h.combine(norm) }
}

/// The flat tally array; equality looks only at the tallies, not at the positions stored after them.
struct Tallies: Sendable, Hashable {
    let storage: [Int]
    let count: Int

    subscript(i: Int) -> Int { storage[i] }

    static func == (a: Tallies, b: Tallies) -> Bool {
        a.count == b.count && a.storage[..<a.count].elementsEqual(b.storage[..<b.count])
    }

    func hash(into h: inout Hasher) {
        for i in 0..<count { h.combine(storage[i]) }
    }
}

/// The counted completions of a dossier, in order, without copying them out of the input.
public struct DossierAccreditations: RandomAccessCollection, Sendable, Hashable, Encodable {
    let completions: [Completion]
    /// `storage[offset ..< offset + count]` are indices into `completions`.
    let storage: [Int]
    let offset: Int
    public let count: Int
    let periodId: String
    let norm: String

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(i: Int) -> DossierAccreditation {
        DossierAccreditation(completion: completions[storage[offset + i]], periodId: periodId, norm: norm)
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
