/// Evaluates a period's dossier (DOMAIN §5): a pure function of (norm, period, completions, certificates,
/// care hours, date, agenda) that gives the same dossier whatever the order of its inputs.
///
/// The rules, in the order the dossier shows them:
/// - **Counted completions**: those not withdrawn, dated in [start, effective end] and on or before the
///   evaluation date. The same course on the same day is one completion pushed twice: it counts once, as the
///   push with the smallest id. They are listed by date, then course, then id.
/// - **Per category**, in the norm's order: its points against its minimum (the first light); each mandatory
///   subject followed at least its minimum number of times and, where the norm asks for it, enough different
///   courses (the second light). A category is green only when both lights are. Surplus points never move
///   between categories.
/// - **Total** points (the sum of the categories) against the norm's minimum.
/// - **EHBO** (when the norm requires a certificate): approved certificates cover every day of the period.
/// - **Care hours** (when the norm has that rule): per calendar year, shown; not part of complete.
/// - **Complete**: every category green, the total met and, when required, the period covered by EHBO.
/// - **Annotations**: a subject with at least an annotation's points earns its label for the next certificate.
/// - **Needs**: one per red item, with the agenda courses that would close it (`CoursePlanner`); then whether the
///   dossier may be submitted and the reminder dates.
///
/// An evaluator is its norm; `evaluate(norm:…)` is the same thing in one call.
public struct DossierEvaluator: Sendable {
    public let norm: Norm

    public init(norm: Norm) { self.norm = norm }

    /// One-off evaluation. The norm should be the period's norm (`period.normCode`); its lines decide.
    public static func evaluate(
        norm: Norm, period: RegistrationPeriod, completions: [Completion],
        ehboCertificates: [EhboCertificate] = [], careHours: [CareHoursRecord] = [],
        asOf: CivilDate, agenda: [AgendaCourse] = []
    ) -> Dossier {
        DossierEvaluator(norm: norm).evaluate(
            period: period, completions: completions,
            ehboCertificates: ehboCertificates, careHours: careHours,
            asOf: asOf, agenda: agenda)
    }

    public func evaluate(
        period: RegistrationPeriod, completions: [Completion],
        ehboCertificates: [EhboCertificate] = [], careHours: [CareHoursRecord] = [],
        asOf: CivilDate, agenda: [AgendaCourse] = []
    ) -> Dossier {
        let start = period.startDate, end = period.effectiveEndDate

        // What counts, and what it brings each category.
        let accreditations = DossierAccreditations(counting: completions, in: period, norm: norm.code, asOf: asOf)
        let counts = norm.count(accreditations)
        let totalPoints = counts.totalPoints
        let ehbo = DossierEhbo(norm: norm, certificates: ehboCertificates, from: start, through: end)

        // One need per red item; complete (every category green, the total met, EHBO met) is nothing needed.
        var needs = DossierNeed.needs(
            norm: norm, counts: counts, counted: accreditations, totalPoints: totalPoints,
            ehbo: ehbo)
        let complete = needs.isEmpty
        if !needs.isEmpty && !agenda.isEmpty {
            let planner = CoursePlanner(
                norm: norm, agenda: agenda, from: max(asOf, start), through: end,
                counted: accreditations)
            needs = planner.suggest(for: needs, counts: counts)
        }

        let windowOpensOn = period.submissionWindowOpensOn
        let submission = SubmissionEligibility(
            windowOpensOn: windowOpensOn, windowOpen: asOf >= windowOpensOn,
            blockingStatus: period.acceptsSubmission ? nil : period.status, needs: needs, ehbo: ehbo)

        return Dossier(
            periodId: period.id, norm: norm.code, normVersion: norm.version, startDate: start,
            effectiveEndDate: end, asOf: asOf, totalPoints: totalPoints, minTotalPoints: norm.minTotalPoints,
            ehbo: ehbo,
            careHours: CareHoursSummary.years(
                careHours, minimum: norm.careHoursPerYear, from: start,
                through: min(end, max(asOf, start))),
            complete: complete, annotations: norm.annotations(earnedBy: counts), submission: submission,
            periodStatus: period.status, needs: needs, accreditations: accreditations, normUsed: norm, counts: counts)
    }
}

extension Norm {
    /// The labels earned: for each annotation of the norm (in the norm's order), at least its points in its
    /// subject. An annotation naming a subject its category does not have is never earned.
    func annotations(earnedBy counts: [CategoryCount]) -> [String] {
        var labels: [String] = []
        for c in categories.indices {
            for annotation in categories[c].annotations {
                guard let s = categories[c].subjects.firstIndex(where: { $0.code == annotation.subject }) else {
                    continue
                }
                if counts[c].subjects[s].points >= annotation.minPoints { labels.append(annotation.label) }
            }
        }
        return labels
    }
}
