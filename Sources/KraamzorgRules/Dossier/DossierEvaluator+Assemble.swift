extension DossierEvaluator {
    /// Turns the tallies into the dossier: lights, total, EHBO, care hours, needs, submission, reminders.
    func assemble(period: RegistrationPeriod, asOf: CivilDate, categoryTenths: UnsafeMutablePointer<Int>,
                  distinct: UnsafeMutablePointer<Int>, subjectCompletions: UnsafeMutablePointer<Int>,
                  subjectTenths: UnsafeMutablePointer<Int>, masks: UnsafeMutablePointer<Int>,
                  accreditations: [DossierAccreditation], ehboCertificates: [EhboCertificate],
                  careHours: [CareHoursRecord], agenda: [AgendaCourse]) -> Dossier {
        let norm = prepared.norm
        let start = period.startDate, end = period.effectiveEndDate
        var categories: [DossierCategory] = []
        categories.reserveCapacity(prepared.categoryCount)
        var needs: [DossierNeed] = []
        var reasons: [SubmissionReason] = []
        if !period.acceptsSubmission { reasons.append(.periodStatus(period.status)) }
        let opensOn = period.submissionWindowOpensOn
        if asOf < opensOn { reasons.append(.windowNotOpen(opensOn: opensOn)) }

        var totalTenths = 0
        var allGreen = true
        for ci in 0..<prepared.categoryCount {
            let category = norm.categories[ci]
            let tenths = categoryTenths[ci]
            totalTenths += tenths
            let first = prepared.subjectStart[ci]
            var subjects: [DossierSubject] = []
            subjects.reserveCapacity(category.subjects.count)
            var subjectsMet = true
            for (offset, subject) in category.subjects.enumerated() {
                let si = first + offset
                let done = subjectCompletions[si], minimum = prepared.subjectMinCompletions[si]
                let ok = done >= minimum
                if !ok { subjectsMet = false }
                subjects.append(DossierSubject(code: subject.code, name: subject.name, minCompletions: minimum,
                                               completions: done, status: ok ? .akkoord : .nogTeDoen,
                                               points: Points(tenths: subjectTenths[si])))
            }
            let minDistinct = max(0, category.minDistinctCourses)
            if distinct[ci] < minDistinct { subjectsMet = false }
            let pointsMet = tenths >= category.minPoints.tenths
            let met = pointsMet && subjectsMet
            if !met { allGreen = false }
            categories.append(DossierCategory(
                code: category.code, name: category.name, minPoints: category.minPoints,
                points: Points(tenths: tenths), pointsMet: pointsMet, subjects: subjects,
                distinctCourses: distinct[ci], minDistinctCourses: minDistinct, subjectsMet: subjectsMet, met: met))

            if !pointsMet {
                let short = Points(tenths: category.minPoints.tenths - tenths)
                needs.append(DossierNeed(kind: .categoryPoints, category: category.code, pointsShort: short))
                reasons.append(.categoryPointsShort(category: category.code, short: short))
            }
            for (offset, subject) in category.subjects.enumerated() {
                let si = first + offset
                let short = prepared.subjectMinCompletions[si] - subjectCompletions[si]
                if short > 0 {
                    needs.append(DossierNeed(kind: .subjectCompletions, category: category.code,
                                             subject: subject.code, completionsShort: short))
                    reasons.append(.subjectCompletionsShort(category: category.code, subject: subject.code,
                                                            short: short))
                }
            }
            if distinct[ci] < minDistinct {
                let short = minDistinct - distinct[ci]
                needs.append(DossierNeed(kind: .distinctCourses, category: category.code, coursesShort: short))
                reasons.append(.distinctCoursesShort(category: category.code, short: short))
            }
        }

        let totalMet = totalTenths >= norm.minTotalPoints.tenths
        if !totalMet {
            let short = Points(tenths: norm.minTotalPoints.tenths - totalTenths)
            needs.append(DossierNeed(kind: .totalPoints, category: nil, pointsShort: short))
            reasons.append(.totalPointsShort(short: short))
        }

        let ehbo: DossierEhbo
        if norm.ehboCertificateRequired {
            let coverage = EhboCoverage.evaluate(ehboCertificates, from: start, through: end)
            ehbo = DossierEhbo(required: true, status: coverage.status, firstUncoveredDate: coverage.firstUncoveredDate)
            if coverage.status != .coversPeriod {
                needs.append(DossierNeed(kind: .ehboCertificate, category: nil))
                reasons.append(.ehbo(coverage.status, firstUncoveredDate: coverage.firstUncoveredDate))
            }
        } else {
            ehbo = DossierEhbo(required: false, status: nil, firstUncoveredDate: nil)
        }

        if !needs.isEmpty && !agenda.isEmpty {
            needs = suggest(for: needs, agenda: agenda, from: max(asOf, start), through: end,
                            masks: masks, accreditations: accreditations)
        }

        var annotations: [String] = []
        for a in prepared.annotations where subjectTenths[a.subject] >= a.minTenths {
            annotations.append(a.label)
        }

        return Dossier(
            periodId: period.id, norm: norm.code, normVersion: norm.version, startDate: start,
            effectiveEndDate: end, asOf: asOf, categories: categories, totalPoints: Points(tenths: totalTenths),
            minTotalPoints: norm.minTotalPoints, ehbo: ehbo,
            careHours: CareHoursSummary.years(careHours, minimum: norm.careHoursPerYear, from: start,
                                              through: min(end, max(asOf, start))),
            complete: allGreen && totalMet && ehbo.met, annotations: annotations,
            submission: SubmissionEligibility(windowOpensOn: opensOn, reasons: reasons),
            reminders: period.reminders, needs: needs, accreditations: accreditations)
    }

    /// Off the hot path: only dossiers with red items and a non-empty agenda get here.
    private func suggest(for needs: [DossierNeed], agenda: [AgendaCourse], from: CivilDate, through: CivilDate,
                         masks: UnsafeMutablePointer<Int>, accreditations: [DossierAccreditation]) -> [DossierNeed] {
        let planner = CoursePlanner(prepared: prepared, agenda: agenda, from: from, through: through,
                                    counted: accreditations.map(\.completion))
        guard !planner.candidates.isEmpty else { return needs }
        return needs.map { need in
            var suggested: [SuggestedCourse] = []
            let ci = need.category.flatMap { prepared.categoryIndex($0) }
            switch need.kind {
            case .categoryPoints:
                if let ci { suggested = planner.forCategoryPoints(ci, short: need.pointsShort?.tenths ?? 0) }
            case .subjectCompletions:
                if let ci, let s = need.subject, let si = prepared.subjectIndex(s, inCategory: ci) {
                    suggested = planner.forSubject(si, short: need.completionsShort ?? 0)
                }
            case .distinctCourses:
                if let ci {
                    var ids: [String] = []
                    for (a, acc) in accreditations.enumerated() where masks[a] & (1 &<< ci) != 0 {
                        ids.append(acc.completion.courseId)
                    }
                    suggested = planner.forDistinctCourses(ci, short: need.coursesShort ?? 0, countedCourseIds: ids)
                }
            case .totalPoints:
                suggested = planner.forTotal(short: need.pointsShort?.tenths ?? 0)
            case .ehboCertificate:
                break
            }
            return DossierNeed(kind: need.kind, category: need.category, subject: need.subject,
                               pointsShort: need.pointsShort, completionsShort: need.completionsShort,
                               coursesShort: need.coursesShort, suggestedCourses: suggested)
        }
    }
}
