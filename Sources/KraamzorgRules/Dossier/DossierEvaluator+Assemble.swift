extension DossierEvaluator {
    /// Turns the tallies into the dossier: lights, total, EHBO, care hours, needs, submission, reminders.
    func assemble(period: RegistrationPeriod, asOf: CivilDate, tallies: Tallies, masks: UnsafeMutablePointer<Int>,
                  accreditations: DossierAccreditations, ehboCertificates: [EhboCertificate],
                  careHours: [CareHoursRecord], agenda: [AgendaCourse]) -> Dossier {
        let t = prepared.tables
        let norm = t.norm
        let start = period.startDate, end = period.effectiveEndDate
        let C = t.categoryCodes.count, S = t.subjectCodes.count
        let opensOn = period.submissionWindowOpensOn

        // First the lights and how many needs there are, so the needs array is allocated once.
        var totalTenths = 0
        var redCategories: UInt64 = 0
        var needCount = 0
        for ci in 0..<C {
            let tenths = tallies[ci]
            totalTenths += tenths
            var red = false
            if tenths < t.categoryMinTenths[ci] { red = true; needCount += 1 }
            for si in t.subjectStart[ci]..<t.subjectStart[ci + 1] where tallies[2 * C + si] < t.subjectMinCompletions[si] {
                red = true
                needCount += 1
            }
            if tallies[C + ci] < t.categoryMinDistinct[ci] { red = true; needCount += 1 }
            if red { redCategories |= 1 &<< UInt64(ci) }
        }
        let allGreen = redCategories == 0
        let totalMet = totalTenths >= norm.minTotalPoints.tenths
        if !totalMet { needCount += 1 }
        let coverage = norm.ehboCertificateRequired
            ? EhboCoverage.evaluate(ehboCertificates, from: start, through: end) : nil
        if let coverage, coverage.status != .coversPeriod { needCount += 1 }

        var needs: [DossierNeed] = []
        if needCount > 0 {
            needs.reserveCapacity(needCount)
            var red = redCategories
            while red != 0 {
                let ci = red.trailingZeroBitCount
                red &= red &- 1
                let tenths = tallies[ci], code = t.categoryCodes[ci]
                if tenths < t.categoryMinTenths[ci] {
                    needs.append(DossierNeed(kind: .categoryPoints, category: code,
                                             pointsShort: Points(tenths: t.categoryMinTenths[ci] - tenths)))
                }
                for si in t.subjectStart[ci]..<t.subjectStart[ci + 1] {
                    let short = t.subjectMinCompletions[si] - tallies[2 * C + si]
                    if short > 0 {
                        needs.append(DossierNeed(kind: .subjectCompletions, category: code,
                                                 subject: t.subjectCodes[si], completionsShort: short))
                    }
                }
                let distinct = tallies[C + ci], minDistinct = t.categoryMinDistinct[ci]
                if distinct < minDistinct {
                    needs.append(DossierNeed(kind: .distinctCourses, category: code,
                                             coursesShort: minDistinct - distinct))
                }
            }
            if !totalMet {
                let short = Points(tenths: norm.minTotalPoints.tenths - totalTenths)
                needs.append(DossierNeed(kind: .totalPoints, category: nil, pointsShort: short))
            }
            if let coverage, coverage.status != .coversPeriod {
                needs.append(DossierNeed(kind: .ehboCertificate, category: nil))
            }
        }

        let ehbo = coverage.map {
            DossierEhbo(required: true, status: $0.status, firstUncoveredDate: $0.firstUncoveredDate)
        } ?? DossierEhbo(required: false, status: nil, firstUncoveredDate: nil)

        if !needs.isEmpty && !agenda.isEmpty {
            needs = suggest(for: needs, agenda: agenda, from: max(asOf, start), through: end,
                            masks: masks, accreditations: accreditations)
        }

        var annotations: [String] = []
        for a in 0..<t.annotationSubjects.count
        where tallies[2 * C + S + t.annotationSubjects[a]] >= t.annotationMinTenths[a] {
            annotations.append(t.annotations[a].label)
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
            periodStatus: period.status, needs: needs, accreditations: accreditations, normUsed: NormUsed(prepared: prepared),
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
