import Foundation
import Testing
import KraamzorgRules

@Suite struct DossierBoundaryTests {
    let c3 = [Fx.line("2023", "C", nil, 3)]

    @Test func aCompletionOnTheFirstDayCounts() {
        #expect(Fx.evaluate2023([Fx.completion("X", on: CivilDate(2023, 6, 1), c3)]).totalPoints == 3)
    }

    @Test func aCompletionOnTheLastDayCounts() {
        #expect(Fx.evaluate2023([Fx.completion("X", on: CivilDate(2027, 5, 31), c3)]).totalPoints == 3)
    }

    @Test func aCompletionTheDayBeforeTheStartDoesNotCount() {
        #expect(Fx.evaluate2023([Fx.completion("X", on: CivilDate(2023, 5, 31), c3)]).totalPoints == 0)
    }

    @Test func aCompletionInTheExtensionCounts() throws {
        let extended = try Fx.period2023.extended(until: CivilDate(2027, 8, 31))
        let course = Fx.completion("X", on: CivilDate(2027, 8, 31), c3)
        #expect(Fx.evaluate2023([course], period: extended).totalPoints == 3)
        #expect(Fx.evaluate2023([course]).totalPoints == 0)
    }

    @Test func aCompletionAfterAsOfDoesNotCountYet() {
        let course = Fx.completion("X", on: CivilDate(2024, 6, 2), c3)
        #expect(Fx.evaluate2023([course], asOf: CivilDate(2024, 6, 1)).totalPoints == 0)
        #expect(Fx.evaluate2023([course], asOf: CivilDate(2024, 6, 2)).totalPoints == 3)
    }

    @Test func aWithdrawnCompletionDoesNotCount() {
        let course = Fx.completion("X", on: CivilDate(2024, 6, 2), c3, withdrawn: true)
        #expect(Fx.evaluate2023([course]).totalPoints == 0)
    }

    @Test func aLeapDayPeriodCountsItsLastDay28February() {
        let p = RegistrationPeriod(id: "leap", startDate: CivilDate(2024, 2, 29), normCode: "2023")
        let onEnd = Fx.completion("X", on: CivilDate(2028, 2, 28), c3)
        let after = Fx.completion("Y", on: CivilDate(2028, 2, 29), c3)
        let dossier = Fx.evaluate2023([onEnd, after], period: p)
        #expect(dossier.effectiveEndDate == CivilDate(2028, 2, 28))
        #expect(dossier.totalPoints == 3)
    }

    @Test func aCertificateGapOfOneDayIsReportedWithThatDay() {
        let p = Fx.period2023
        let first = EhboCertificate(
            id: "1", obtainedOn: CivilDate(2023, 1, 1), validUntil: CivilDate(2025, 3, 9),
            status: .approved)
        let second = EhboCertificate(
            id: "2", obtainedOn: CivilDate(2025, 3, 11), validUntil: CivilDate(2028, 1, 1),
            status: .approved)
        let dossier = Fx.evaluate2023(Fx.complete2023(), certificates: [first, second])
        #expect(dossier.ehbo.status == .gap)
        #expect(dossier.ehbo.firstUncoveredDate == CivilDate(2025, 3, 10))
        #expect(dossier.complete == false)
        let touching = EhboCertificate(
            id: "2", obtainedOn: CivilDate(2025, 3, 10), validUntil: p.effectiveEndDate,
            status: .approved)
        #expect(Fx.evaluate2023(Fx.complete2023(), certificates: [first, touching]).ehbo.status == .coversPeriod)
    }

    @Test func noCertificateIsMissingAndARejectedOneDoesNotCount() {
        #expect(Fx.evaluate2023([], certificates: []).ehbo.status == .missing)
        let rejected = Fx.certificate(covering: Fx.period2023, status: .rejected)
        #expect(Fx.evaluate2023([], certificates: [rejected]).ehbo.status == .missing)
    }

    @Test func careHoursAreShownPerYearButDoNotDecideComplete() {
        let dossier = DossierEvaluator.evaluate(
            norm: .seeded2023, period: Fx.period2023, completions: Fx.complete2023(),
            ehboCertificates: [Fx.certificate(covering: Fx.period2023)],
            careHours: [CareHoursRecord(year: 2023, hours: 250), CareHoursRecord(year: 2024, hours: 120)],
            asOf: CivilDate(2025, 1, 1))
        #expect(dossier.careHours.map(\.year) == [2023, 2024, 2025])
        #expect(dossier.careHours.map(\.met) == [true, false, false])
        #expect(Fx.evaluate2019(Fx.complete2019()).careHours.isEmpty)
    }

    @Test func anUpcomingPeriodCannotBeSubmitted() {
        var p = Fx.period2023
        p.status = .upcoming
        let dossier = Fx.evaluate2023(Fx.complete2023(), period: p)
        #expect(dossier.submission.reasons == [.periodStatus(.upcoming)])
    }
}

@Suite struct DossierNeedsTests {
    static let agenda = [
        AgendaCourse(id: "ag-c1", title: "C course", startDate: CivilDate(2026, 1, 10), lines: [Fx.line("2023", "C", nil, 3)]),
        AgendaCourse(id: "ag-c2", title: "C course 2", startDate: CivilDate(2026, 2, 10), lines: [Fx.line("2023", "C", nil, 4)]),
        AgendaCourse(
            id: "ag-rea", title: "Reanimatie", startDate: CivilDate(2026, 3, 1),
            lines: [Fx.line("2023", "A", "reanimatie-theorie", 2), Fx.line("2019", "A", "reanimatie", 2)]),
        AgendaCourse(
            id: "ag-old", title: "Already past", startDate: CivilDate(2025, 1, 1),
            lines: [Fx.line("2023", "A", "reanimatie-theorie", 2)]),
        AgendaCourse(
            id: "ag-2019", title: "Only 2019", startDate: CivilDate(2026, 3, 1),
            lines: [Fx.line("2019", "C", nil, 9)]),
    ]

    @Test func eachRedItemIsANeedWithWhatIsShort() {
        let list = Fx.without("C1", Fx.without("A-reanimatie-theorie", Fx.complete2023()))
        let needs = Fx.evaluate2023(list, asOf: CivilDate(2025, 6, 1)).needs
        #expect(needs.map(\.kind) == [.subjectCompletions, .categoryPoints, .distinctCourses])
        #expect(needs[0].subject == "reanimatie-theorie" && needs[0].completionsShort == 1)
        #expect(needs[1].category == "C" && needs[1].pointsShort == 2)
        #expect(needs[2].coursesShort == 1)
    }

    @Test func suggestedCoursesAreUpcomingInThePeriodAndForThisNorm() {
        let list = Fx.without("C1", Fx.without("A-reanimatie-theorie", Fx.complete2023()))
        let needs = Fx.evaluate2023(list, asOf: CivilDate(2025, 6, 1), agenda: Self.agenda).needs
        #expect(needs[0].suggestedCourses.map(\.id) == ["ag-rea"])
        #expect(needs[1].suggestedCourses.map(\.id) == ["ag-c2"])
        #expect(needs[2].suggestedCourses.map(\.id) == ["ag-c1"])
    }

    @Test func theEhboNeedHasNoCourses() {
        let dossier = Fx.evaluate2023(Fx.complete2023(), certificates: [], agenda: Self.agenda)
        #expect(dossier.needs.map(\.kind) == [.ehboCertificate])
        #expect(dossier.needs[0].suggestedCourses.isEmpty)
    }
}

@Suite struct DossierJSONTests {
    @Test func dossierEncodesToTheAPIFieldNames() throws {
        let list = Fx.without("C1", Fx.complete2023())
        let dossier = Fx.evaluate2023(list, asOf: CivilDate(2025, 6, 1), agenda: DossierNeedsTests.agenda)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(dossier)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "periodId", "norm", "normVersion", "startDate", "effectiveEndDate", "asOf",
                "categories", "totalPoints", "minTotalPoints", "ehbo", "careHours", "complete",
                "annotations", "submission", "reminders", "needs", "accreditations",
            ])
        let category = try #require((object["categories"] as? [[String: Any]])?.first)
        #expect(
            Set(category.keys) == [
                "code", "name", "minPoints", "points", "pointsMet", "subjects",
                "distinctCourses", "minDistinctCourses", "subjectsMet", "met",
            ])
        let subject = try #require((category["subjects"] as? [[String: Any]])?.first)
        #expect(Set(subject.keys) == ["code", "name", "minCompletions", "completions", "status"])
        #expect(Set((object["ehbo"] as? [String: Any] ?? [:]).keys) == ["required", "status", "firstUncoveredDate"])
        #expect(Set((object["submission"] as? [String: Any] ?? [:]).keys) == ["allowed", "windowOpensOn", "reasons"])
        let need = try #require((object["needs"] as? [[String: Any]])?.first)
        #expect(
            Set(need.keys).isSubset(of: [
                "kind", "category", "subject", "pointsShort", "completionsShort",
                "coursesShort", "suggestedCourses",
            ]))
        let suggested = try #require((need["suggestedCourses"] as? [[String: Any]])?.first)
        #expect(Set(suggested.keys) == ["id", "title", "startDate", "points"])
        let accreditation = try #require((object["accreditations"] as? [[String: Any]])?.first)
        #expect(
            Set(accreditation.keys) == [
                "id", "courseId", "courseTitle", "completedOn", "recordedAt", "late",
                "periodId", "norm", "lines", "withdrawn",
            ])
        #expect((accreditation["lines"] as? [[String: Any]])?.count == 1)
        #expect(object["startDate"] as? String == "2023-06-01")
    }
}
