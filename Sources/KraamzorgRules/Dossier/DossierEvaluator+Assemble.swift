extension DossierEvaluator {
    /// Turns the tallies into the dossier: lights, total, EHBO, care hours, needs, submission, reminders.
    func assemble(period: RegistrationPeriod, asOf: CivilDate, tallies: Tallies, masks: UnsafeMutablePointer<Int>,
                  accreditations: DossierAccreditations, ehboCertificates: [EhboCertificate],
                  careHours: [CareHoursRecord], agenda: [AgendaCourse]) -> Dossier {
        let norm = prepared.norm
        let start = period.startDate, end = period.effectiveEndDate
        let C = prepared.categoryCount, S = prepared.subjectCount
        var needs: [DossierNeed] = []
        let opensOn = period.submissionWindowOpensOn

        var totalTenths = 0
        var allGreen = true
        for ci in 0..<C {
            let tenths = tallies[ci]
            totalTenths += tenths
            let first = prepared.subjectStart[ci]
            var subjectsMet = true
            for si in first..<prepared.subjectStart[ci + 1] where tallies[2 * C + si] < prepared.subjectMinCompletions[si] {
                subjectsMet = false
            }
            let minDistinct = prepared.categoryMinDistinct[ci]
            let distinct = tallies[C + ci]
            if distinct < minDistinct { subjectsMet = false }
            let pointsMet = tenths >= prepared.categoryMinTenths[ci]
            if pointsMet && subjectsMet { continue }
            allGreen = false
            let category = norm.categories[ci]

            if !pointsMet {
                let short = Points(tenths: category.minPoints.tenths - tenths)
                needs.append(DossierNeed(kind: .categoryPoints, category: category.code, pointsShort: short))
            }
            for (offset, subject) in category.subjects.enumerated() {
                let si = first + offset
                let short = prepared.subjectMinCompletions[si] - tallies[2 * C + si]
                if short > 0 {
                    needs.append(DossierNeed(kind: .subjectCompletions, category: category.code,
                                             subject: subject.code, completionsShort: short))
                }
            }
            if distinct < minDistinct {
                let short = minDistinct - distinct
                needs.append(DossierNeed(kind: .distinctCourses, category: category.code, coursesShort: short))
            }
        }

        let totalMet = totalTenths >= norm.minTotalPoints.tenths
        if !totalMet {
            let short = Points(tenths: norm.minTotalPoints.tenths - totalTenths)
            needs.append(DossierNeed(kind: .totalPoints, category: nil, pointsShort: short))
        }

        let ehbo: DossierEhbo
        if norm.ehboCertificateRequired {
            let coverage = EhboCoverage.evaluate(ehboCertificates, from: start, through: end)
            ehbo = DossierEhbo(required: true, status: coverage.status, firstUncoveredDate: coverage.firstUncoveredDate)
            if coverage.status != .coversPeriod {
                needs.append(DossierNeed(kind: .ehboCertificate, category: nil))
            }
        } else {
            ehbo = DossierEhbo(required: false, status: nil, firstUncoveredDate: nil)
        }

        if !needs.isEmpty && !agenda.isEmpty {
            needs = suggest(for: needs, agenda: agenda, from: max(asOf, start), through: end,
                            masks: masks, accreditations: accreditations)
        }

        var annotations: [String] = []
        for a in prepared.annotations where tallies[2 * C + S + a.subject] >= a.minTenths {
            annotations.append(a.label)
        }

        return Dossier(
            periodId: period.id, norm: norm.code, normVersion: norm.version, startDate: start,
            effectiveEndDate: end, asOf: asOf, totalPoints: Points(tenths: totalTenths),
            minTotalPoints: norm.minTotalPoints, ehbo: ehbo,
            careHours: CareHoursSummary.years(careHours, minimum: norm.careHoursPerYear, from: start,
                                              through: min(end, max(asOf, start))),
            complete: allGreen && totalMet && ehbo.met, annotations: annotations,
            submission: SubmissionEligibility(windowOpensOn: opensOn, windowOpen: asOf >= opensOn,
                                              blockingStatus: period.acceptsSubmission ? nil : period.status,
                                              needs: needs, ehbo: ehbo),
            periodStatus: period.status, needs: needs, accreditations: accreditations, normUsed: norm,
            tallies: tallies)
    }

    /// Off the hot path: only dossiers with red items and a non-empty agenda get here.
    private func suggest(for needs: [DossierNeed], agenda: [AgendaCourse], from: CivilDate, through: CivilDate,
                         masks: UnsafeMutablePointer<Int>, accreditations: DossierAccreditations) -> [DossierNeed] {
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
