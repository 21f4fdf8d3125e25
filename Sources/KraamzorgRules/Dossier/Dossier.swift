/// The evaluation of one period's dossier (DOMAIN §5), as `DossierEvaluator` makes it; encodes to API.md's
/// dossier JSON.
///
/// The categories are kept as what was counted in them and put together with the norm's names and minimums
/// when read (`categories`): the evaluation itself needs only the counts.
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
    /// Where she stands in the register on `asOf` (DOMAIN §2a), and that in a sentence for her. Set by whoever
    /// knows all her periods (`RegisterStanding.standing`); absent from the JSON when not set.
    public var standing: Standing? = nil
    public var standingText: String? = nil

    /// The norm as evaluated (names, minimums).
    let normUsed: Norm
    /// What the counted completions brought each category of `normUsed`, in its order.
    let counts: [CategoryCount]

    /// Per category, in the norm's order: points, subjects, distinct courses, both lights.
    public var categories: [DossierCategory] {
        zip(normUsed.categories, counts).map { DossierCategory($0, $1, counted: accreditations) }
    }

    /// Effective end − 3 months, − 8 weeks, − 1 day; none once submitted, approved or cancelled.
    public var reminders: [Reminder] { Reminder.schedule(effectiveEnd: effectiveEndDate, status: periodStatus) }

    public func category(_ code: String) -> DossierCategory? { categories.first { $0.code == code } }

    private enum CodingKeys: String, CodingKey {
        case periodId, norm, normVersion, startDate, effectiveEndDate, asOf, categories, totalPoints,
            minTotalPoints, ehbo, careHours, complete, annotations, submission, reminders, needs, accreditations,
            standing, standingText
    }

    /// The stored fields and the reminders; not `periodStatus`; the standing when set.
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
        try c.encodeIfPresent(standing, forKey: .standing)
        try c.encodeIfPresent(standingText, forKey: .standingText)
    }
}
