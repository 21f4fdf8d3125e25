import Testing
import KraamzorgRules

/// Every rule example in the register FAQ (seeds/000), one behaviour per test.
@Suite struct Seed000RegisterFAQTests {
    // "Er staan meer dan de vereiste 40 accreditatiepunten … toch is mijn dossier niet compleet."
    @Test func moreThan40PointsYetIncompleteBecauseAMandatorySubjectIsMissing() {
        var list = Fx.without("A-reanimatie-praktijk", Fx.complete2023())
        list.append(Fx.completion("C4", on: CivilDate(2024, 9, 1), [Fx.line("2023", "C", nil, 6)]))
        let dossier = Fx.evaluate2023(list)
        #expect(dossier.totalPoints > 40)
        #expect(dossier.category("A")?.pointsMet == true)
        #expect(dossier.category("A")?.met == false)
        #expect(dossier.complete == false)
        #expect(dossier.needs.contains { $0.subject == "reanimatie-praktijk" && $0.completionsShort == 1 })
    }

    @Test func aCompleteDossierNeedsBothLightsInEveryCategoryAndTheTotal() {
        let dossier = Fx.evaluate2023(Fx.complete2023())
        #expect(dossier.categories.allSatisfy { $0.met })
        #expect(dossier.totalPoints == 48)
        #expect(dossier.complete)
        #expect(dossier.needs.isEmpty)
    }

    // "Ik heb de scholing Kinder-EHBO gevolgd … Toch staat het bolletje … nog op rood."
    @Test func kinderEhboFollowedOnceStaysRedUnderNorm2023() {
        let dossier = Fx.evaluate2023(Fx.without("A-ehbo-theorie", Fx.complete2023()))
        let subject = dossier.category("A")?.subjects.first { $0.code == "ehbo-theorie" }
        #expect(subject?.completions == 1)
        #expect(subject?.status == .nogTeDoen)
        #expect(dossier.category("A")?.met == false)
    }

    @Test func kinderEhboTurnsGreenWhenFollowedTwice() {
        let dossier = Fx.evaluate2023(Fx.complete2023())
        let subject = dossier.category("A")?.subjects.first { $0.code == "ehbo-theorie" }
        #expect(subject?.completions == 2)
        #expect(subject?.status == .akkoord)
    }

    // "Ik heb de scholing over Borstvoeding gevolgd … Toch staat het bolletje … nog op rood."
    @Test func breastfeedingFollowedOnceStaysRedUnderNorm2023() {
        let dossier = Fx.evaluate2023(Fx.without("B-borstvoeding", Fx.complete2023()))
        let subject = dossier.category("B")?.subjects.first { $0.code == "borstvoeding" }
        #expect(subject?.status == .nogTeDoen)
        #expect(dossier.complete == false)
    }

    @Test func breastfeedingTurnsGreenWhenFollowedTwice() {
        let dossier = Fx.evaluate2023(Fx.complete2023())
        #expect(dossier.category("B")?.subjects.first { $0.code == "borstvoeding" }?.status == .akkoord)
    }

    @Test func theSameCourseOnTwoDatesIsTwoCompletions() {
        let twice = [
            Fx.completion("BV", on: CivilDate(2024, 1, 10), [Fx.line("2023", "B", "borstvoeding", 3)]),
            Fx.completion("BV", on: CivilDate(2025, 1, 10), [Fx.line("2023", "B", "borstvoeding", 3)]),
        ]
        let dossier = Fx.evaluate2023(twice)
        #expect(dossier.category("B")?.subjects.first { $0.code == "borstvoeding" }?.completions == 2)
        #expect(dossier.category("B")?.distinctCourses == 1)
    }

    // "Ik heb een scholing over Kunstvoeding gevolgd …"
    @Test func formulaFeedingPointsCountTowardBWithoutBeingAMandatorySubject() {
        let dossier = Fx.evaluate2023([
            Fx.completion(
                "KV", on: CivilDate(2024, 3, 1),
                [Fx.line("2023", "B", "kunstvoeding", 4)])
        ])
        let b = dossier.category("B")
        #expect(b?.points == 4)
        let subject = b?.subjects.first { $0.code == "kunstvoeding" }
        #expect(subject?.minCompletions == 0)
        #expect(subject?.completions == 1)
        // "Kunstvoeding is geen verplicht onderwerp": listed without a dot.
        #expect(subject != nil && subject?.status == nil)
        #expect(!dossier.needs.contains { $0.subject == "kunstvoeding" })
    }

    // "Als ik een Basisscholing Borstvoeding ga volgen, kan deze … bij norm 2019 categorie A?"
    @Test func basicBreastfeedingCountsInCUnderNorm2019NotInA() {
        let basic = Fx.completion(
            "BASIS", on: CivilDate(2021, 5, 1),
            [Fx.line("2019", "C", "basis-borstvoeding", 4), Fx.line("2023", "B", "borstvoeding", 4)])
        let dossier = Fx.evaluate2019([basic])
        #expect(dossier.category("C")?.points == 4)
        #expect(dossier.category("A")?.points == 0)
        #expect(dossier.category("A")?.subjects.first { $0.code == "voeding-verdieping" }?.status == .nogTeDoen)
    }

    @Test func allBreastfeedingCoursesCountInBUnderNorm2023() {
        let basic = Fx.completion(
            "BASIS", on: CivilDate(2024, 5, 1),
            [Fx.line("2019", "C", "basis-borstvoeding", 4), Fx.line("2023", "B", "borstvoeding", 4)])
        let dossier = Fx.evaluate2023([basic])
        #expect(dossier.category("B")?.points == 4)
        #expect(dossier.category("C")?.points == 0)
    }

    // "Ik heb voor de scholing categorieën A en/of B meer dan de minimaal vereiste punten behaald …"
    @Test func surplusPointsInAAndBNeverLowerTheMinimumOfC() {
        var list = Fx.without("C2", Fx.complete2019())
        list.append(Fx.completion("A-extra", on: CivilDate(2022, 1, 1), [Fx.line("2019", "A", nil, 20)]))
        list.append(Fx.completion("B-extra", on: CivilDate(2022, 2, 1), [Fx.line("2019", "B", nil, 20)]))
        let dossier = Fx.evaluate2019(list)
        #expect(dossier.totalPoints > 40)
        #expect(dossier.category("C")?.minPoints == 10)
        #expect(dossier.category("C")?.points == 5)
        #expect(dossier.category("C")?.met == false)
        #expect(dossier.complete == false)
    }

    // "Ik heb bij onderdeel D nog niet het minimaal aantal punten … partusassistentie … Toch … groen"
    @Test func categoryDIsGreenAt8PointsEvenWithFewerThan8InPartusassistentie() {
        var list = Fx.without("D1", Fx.without("D2", Fx.complete2023()))
        list.append(Fx.completion("PA", on: CivilDate(2024, 2, 1), [Fx.line("2023", "D", "partusassistentie", 5)]))
        list.append(Fx.completion("GEN", on: CivilDate(2024, 3, 1), [Fx.line("2023", "D", nil, 3)]))
        let dossier = Fx.evaluate2023(list)
        #expect(dossier.category("D")?.points == 8)
        #expect(dossier.category("D")?.met == true)
        #expect(dossier.annotations.isEmpty)
    }

    @Test func thePartusassistentieAnnotationIsEarnedOnlyAt8PointsInThatSubject() {
        var list = Fx.complete2023()
        list.append(Fx.completion("PA1", on: CivilDate(2024, 2, 1), [Fx.line("2023", "D", "partusassistentie", 5)]))
        #expect(Fx.evaluate2023(list).annotations.isEmpty)
        list.append(Fx.completion("PA2", on: CivilDate(2024, 4, 1), [Fx.line("2023", "D", "partusassistentie", 3)]))
        #expect(Fx.evaluate2023(list).annotations == ["Verdieping partusassistentie"])
    }

    // "Ik heb bij categorie C nog niet het minimaal aantal punten … (norm 2019)"
    @Test func categoryCUnderNorm2019IsGreenAt10PointsWithTheAnnotationOnlyAt10InTheSubject() {
        let list = [
            Fx.completion("VT", on: CivilDate(2021, 2, 1), [Fx.line("2019", "C", "verpleegtechnisch", 6)]),
            Fx.completion("GEN", on: CivilDate(2021, 3, 1), [Fx.line("2019", "C", nil, 4)]),
        ]
        let dossier = Fx.evaluate2019(list)
        #expect(dossier.category("C")?.met == true)
        #expect(dossier.annotations.isEmpty)
        let more =
            list + [
                Fx.completion(
                    "VT2", on: CivilDate(2021, 6, 1),
                    [Fx.line("2019", "C", "verpleegtechnisch", 4)])
            ]
        #expect(Fx.evaluate2019(more).annotations == ["Verdieping verpleegtechnische handelingen"])
    }

    // "Kan ik de extra punten meenemen …?" and "Kan ik alvast scholingen gaan volgen …?"
    @Test func pointsAreNeverCarriedOverToTheNextPeriod() {
        let current = Fx.period2023
        let next = RegistrationPeriod(
            id: "next", startDate: current.regularNextStart, normCode: "2023",
            status: .upcoming)
        let list = Fx.complete2023()
        let dossier = Fx.evaluate2023(list, period: next, asOf: next.effectiveEndDate)
        #expect(dossier.totalPoints == 0)
        #expect(dossier.accreditations.isEmpty)
    }

    @Test func aCourseFollowedBeforeTheNextPeriodStartsIsNotBookedAhead() {
        let current = Fx.period2023
        let early = Fx.completion("EARLY", on: current.effectiveEndDate.adding(days: -5), [Fx.line("2023", "C", nil, 3)])
        let periods = [
            current,
            RegistrationPeriod(
                id: "next", startDate: current.regularNextStart, normCode: "2023",
                status: .upcoming),
        ]
        #expect(CompletionPush.countingPeriod(for: early.completedOn, in: periods)?.id == current.id)
        let next = periods[1]
        #expect(Fx.evaluate2023([early], period: next).totalPoints == 0)
    }

    // "Elke scholing is geaccrediteerd voor zowel norm 2019 als norm 2023. Tevens … meerdere categorieën."
    @Test func aCourseAccreditedInTwoCategoriesOfOneNormAddsEachLinesPointsToItsOwnCategory() {
        let course = Fx.completion(
            "TWO", on: CivilDate(2024, 1, 1),
            [
                Fx.line("2023", "B", "voorlichting-instructie", 2), Fx.line("2023", "C", nil, 1.5),
                Fx.line("2019", "C", nil, 3.5),
            ])
        let dossier = Fx.evaluate2023([course])
        #expect(dossier.category("B")?.points == 2)
        #expect(dossier.category("C")?.points == Points(tenths: 15))
        #expect(dossier.totalPoints == Points(tenths: 35))
    }

    @Test func onlyTheLinesOfTheDossiersNormCount() {
        let course = Fx.completion(
            "X", on: CivilDate(2024, 1, 1),
            [
                Fx.line("2023", "C", nil, 2),
                Fx.line("2019", "C", nil, 5),
            ])
        #expect(Fx.evaluate2023([course]).totalPoints == 2)
    }

    // "Krijg ik dan ook dubbele punten? Nee …"
    @Test func aRepeatedMessageForTheSameCompletionNeverDoublesThePoints() {
        let one = Fx.completion("X", on: CivilDate(2024, 1, 1), [Fx.line("2023", "C", nil, 2)], id: "a")
        let again = Fx.completion("X", on: CivilDate(2024, 1, 1), [Fx.line("2023", "C", nil, 2)], id: "b")
        let dossier = Fx.evaluate2023([one, again])
        #expect(dossier.totalPoints == 2)
        #expect(dossier.accreditations.count == 1)
    }

    @Test func aRepeatedLineForTheSameCategoryAndNormNeverDoublesThePoints() {
        let course = Fx.completion(
            "X", on: CivilDate(2024, 1, 1),
            [Fx.line("2023", "B", "borstvoeding", 2), Fx.line("2023", "B", "borstvoeding", 2)])
        let dossier = Fx.evaluate2023([course])
        #expect(dossier.category("B")?.points == 2)
        #expect(dossier.category("B")?.subjects.first { $0.code == "borstvoeding" }?.completions == 1)
    }

    // "Je kunt je dossier pas aanmelden nadat je het 1e herinneringsbericht hebt ontvangen …"
    @Test func submissionIsRefusedBeforeThreeMonthsBeforeTheEndWithTheOpeningDate() {
        let p = Fx.period2023
        let dossier = Fx.evaluate2023(Fx.complete2023(), asOf: CivilDate(2027, 2, 27))
        #expect(dossier.complete)
        #expect(dossier.submission.allowed == false)
        #expect(dossier.submission.windowOpensOn == CivilDate(2027, 2, 28))
        #expect(dossier.submission.reasons == [.windowNotOpen(opensOn: p.effectiveEndDate.adding(months: -3))])
    }

    @Test func submissionIsAllowedFromThreeMonthsBeforeTheEndWhenComplete() {
        let dossier = Fx.evaluate2023(Fx.complete2023(), asOf: CivilDate(2027, 2, 28))
        #expect(dossier.submission.allowed)
        #expect(dossier.submission.reasons.isEmpty)
    }

    @Test func submissionIsRefusedWhenIncompleteWithEveryRedItem() {
        let list = Fx.without("C1", Fx.without("A-reanimatie-theorie", Fx.complete2023()))
        let dossier = Fx.evaluate2023(list, certificates: [], asOf: CivilDate(2027, 3, 1))
        #expect(dossier.submission.allowed == false)
        let codes = dossier.submission.reasons.map(\.code)
        #expect(codes.contains("subjectCompletionsShort"))
        #expect(codes.contains("distinctCoursesShort"))
        #expect(codes.contains("ehboCertificate"))
        #expect(!codes.contains("windowNotOpen"))
    }

    // "Mijn registratieperiode is verlopen … met terugwerkende kracht aanmelden"
    @Test func aCompleteDossierCanBeSubmittedRetroactivelyAfterTheEnd() {
        let dossier = Fx.evaluate2023(Fx.complete2023(), asOf: CivilDate(2027, 9, 1))
        #expect(dossier.submission.allowed)
    }

    @Test func pointsRecordedLateForACourseWithinThePeriodStillCountRetroactively() {
        let p = Fx.period2023
        let late = Fx.completion(
            "LATE", on: p.effectiveEndDate, [Fx.line("2023", "C", nil, 3)],
            recordedAt: p.effectiveEndDate.adding(days: 30))
        let dossier = Fx.evaluate2023([late], asOf: p.effectiveEndDate.adding(days: 40))
        #expect(dossier.category("C")?.points == 3)
        #expect(dossier.accreditations.first?.late == true)
    }

    @Test func coursesAfterTheEndNeverMakeAnExpiredDossierComplete() {
        let p = Fx.period2023
        var list = Fx.without("D2", Fx.complete2023())
        list.append(Fx.completion("D-after", on: p.effectiveEndDate.adding(days: 1), [Fx.line("2023", "D", nil, 4)]))
        let dossier = Fx.evaluate2023(list, asOf: p.effectiveEndDate.adding(days: 30))
        #expect(dossier.complete == false)
        #expect(dossier.submission.allowed == false)
    }

    // "Wij kunnen je registratieperiode verlengen met maximaal 3 maanden."
    @Test func anExtensionOfAtMostThreeMonthsIsAccepted() throws {
        let p = Fx.period2023
        let extended = try p.extended(until: CivilDate(2027, 8, 31))
        #expect(extended.effectiveEndDate == CivilDate(2027, 8, 31))
        #expect(extended.endDate == p.endDate)
    }

    @Test func anExtensionBeyondThreeMonthsIsRefusedWithoutSpecialCircumstances() {
        #expect(throws: ExtensionRefusal.beyondThreeMonths(latestWithoutSpecialCircumstances: CivilDate(2027, 8, 31))) {
            try Fx.period2023.extended(until: CivilDate(2027, 9, 1))
        }
    }

    @Test func anExtensionBeyondThreeMonthsNeedsAReasonAndEvidence() throws {
        let p = Fx.period2023
        #expect(throws: ExtensionRefusal.specialCircumstancesEvidenceMissing) {
            try p.extended(
                until: CivilDate(2028, 1, 1),
                specialCircumstances: SpecialCircumstances(reason: "ziekte", evidence: ""))
        }
        let ok = try p.extended(
            until: CivilDate(2028, 1, 1),
            specialCircumstances: SpecialCircumstances(reason: "ziekte", evidence: "doc-1"))
        #expect(ok.effectiveEndDate == CivilDate(2028, 1, 1))
    }

    // "Dan is het mogelijk om de nieuwe periode met maximaal 3 maanden te vervroegen … eindigt … ook eerder."
    @Test func anAdvanceOfAtMostThreeMonthsEndsTheNewPeriodEarlier() throws {
        let p = Fx.period2023  // ends 2027-05-31, next would start 2027-06-01
        let advance = try p.advancing(nextStart: CivilDate(2027, 3, 1))
        #expect(advance.previous.effectiveEndDate == CivilDate(2027, 2, 28))
        #expect(advance.nextStart == CivilDate(2027, 3, 1))
        #expect(advance.nextEnd == CivilDate(2031, 2, 28))
    }

    @Test func anAdvanceOfMoreThanThreeMonthsIsRefused() {
        #expect(throws: AdvanceRefusal.moreThanThreeMonths(earliest: CivilDate(2027, 3, 1))) {
            try Fx.period2023.advancing(nextStart: CivilDate(2027, 2, 28))
        }
    }

    @Test func submittingEarlyDoesNotMoveTheNextPeriodForward() throws {
        let next = try Fx.period2023.nextPeriod(id: "n", submittedOn: CivilDate(2027, 3, 15), catalog: .seeded)
        #expect(next.startDate == CivilDate(2027, 6, 1))
        #expect(next.status == .upcoming)
    }

    // "Norm 2019: … vóór 1-4-2023 … Norm 2023: … ná 1-4-2023"
    @Test func aRegistrationOnTheLastDayOfMarch2023GetsNorm2019() throws {
        #expect(try NormCatalog.seeded.norm(forRegistrationDate: CivilDate(2023, 3, 31)).code == "2019")
    }

    @Test func aRegistrationFromTheFirstOfApril2023GetsNorm2023() throws {
        #expect(try NormCatalog.seeded.norm(forRegistrationDate: CivilDate(2023, 4, 1)).code == "2023")
    }

    @Test func aReRegistrationSubmittedInMarch2023WithTheNextPeriodStartingInJune2023GetsNorm2019() throws {
        let current = RegistrationPeriod(id: "p", startDate: CivilDate(2019, 6, 1), normCode: "2019")
        let next = try current.nextPeriod(id: "n", submittedOn: CivilDate(2023, 3, 20), catalog: .seeded)
        #expect(next.startDate == CivilDate(2023, 6, 1))
        #expect(next.normCode == "2019")
        #expect(next.registeredOn == CivilDate(2023, 3, 20))
    }

    @Test func aReRegistrationSubmittedInApril2023GetsNorm2023() throws {
        let current = RegistrationPeriod(id: "p", startDate: CivilDate(2019, 6, 1), normCode: "2019")
        #expect(try current.nextPeriod(id: "n", submittedOn: CivilDate(2023, 4, 3), catalog: .seeded).normCode == "2023")
    }

    // "Via PE-online ontvang je drie herinneringsberichten"
    @Test func threeRemindersThreeMonthsEightWeeksAndOneDayBeforeTheEnd() {
        #expect(
            Fx.period2023.reminders == [
                Reminder(kind: .threeMonths, date: CivilDate(2027, 2, 28)),
                Reminder(kind: .eightWeeks, date: CivilDate(2027, 4, 5)),
                Reminder(kind: .oneDay, date: CivilDate(2027, 5, 30)),
            ])
    }

    @Test func noRemindersOnceSubmitted() {
        var p = Fx.period2023
        p.status = .submitted
        #expect(p.reminders.isEmpty)
        #expect(Fx.evaluate2023([], period: p).reminders.isEmpty)
    }

    // "Nadat je dit hebt gedaan duurt het nog even voor het bolletje op groen springt … beoordeeld"
    @Test func anUploadedEhboCertificateStaysPendingUntilReviewed() {
        let p = Fx.period2023
        let pending = Fx.evaluate2023(Fx.complete2023(), certificates: [Fx.certificate(covering: p, status: .pendingReview)])
        #expect(pending.ehbo.status == .pendingReview)
        #expect(pending.complete == false)
        #expect(Fx.evaluate2023(Fx.complete2023()).ehbo.status == .coversPeriod)
    }

    @Test func theEhboCertificateIsOnlyRequiredUnderNorm2023() {
        let dossier = Fx.evaluate2019(Fx.complete2019())
        #expect(dossier.ehbo.required == false)
        #expect(dossier.ehbo.status == nil)
        #expect(dossier.complete)
    }

    // "dient de punten binnen drie weken na de scholing bij te schrijven"
    @Test func aPushMoreThanThreeWeeksAfterTheCourseIsMarkedLate() throws {
        let lines = [Fx.line("2023", "C", nil, 2)]
        let onTime = try CompletionPush.check(
            completedOn: CivilDate(2024, 1, 1), recordedAt: CivilDate(2024, 1, 22),
            courseLines: lines, periods: [Fx.period2023])
        let late = try CompletionPush.check(
            completedOn: CivilDate(2024, 1, 1), recordedAt: CivilDate(2024, 1, 23),
            courseLines: lines, periods: [Fx.period2023])
        #expect(onTime.late == false)
        #expect(late.late == true)
    }
}
