import Testing
import KraamzorgRules

@Suite struct PeriodTests {
    @Test func aPeriodLastsFourYearsMinusOneDay() {
        #expect(RegistrationPeriod.endDate(forStart: CivilDate(2023, 6, 1)) == CivilDate(2027, 5, 31))
    }

    @Test func aPeriodStartingOnALeapDayEndsOn28February() {
        #expect(RegistrationPeriod.endDate(forStart: CivilDate(2024, 2, 29)) == CivilDate(2028, 2, 28))
    }

    @Test func theNextPeriodStartsTheDayAfterTheEffectiveEnd() throws {
        let p = try Fx.period2023.extended(until: CivilDate(2027, 7, 15))
        let next = try p.nextPeriod(id: "n", submittedOn: CivilDate(2027, 7, 1), catalog: .seeded)
        #expect(next.startDate == CivilDate(2027, 7, 16))
        #expect(next.endDate == CivilDate(2031, 7, 15))
    }

    @Test func aFirstRegistrationTakesTheNormOfItsStartUnlessAnotherDateIsGiven() throws {
        #expect(try NormCatalog.seeded.norm(for: .first(periodStart: CivilDate(2023, 3, 1))).code == "2019")
        let imported = Registration.first(periodStart: CivilDate(2023, 3, 1), registeredOn: CivilDate(2023, 4, 2))
        #expect(try NormCatalog.seeded.norm(for: imported).code == "2023")
    }

    @Test func anExtensionMustEndAfterTheOriginalEnd() {
        #expect(throws: ExtensionRefusal.notAfterEnd(endDate: CivilDate(2027, 5, 31))) {
            try Fx.period2023.extended(until: CivilDate(2027, 5, 31))
        }
    }

    @Test func twoExtensionsTogetherStayWithinThreeMonths() throws {
        let once = try Fx.period2023.extended(until: CivilDate(2027, 7, 31))
        #expect(throws: ExtensionRefusal.self) { try once.extended(until: CivilDate(2027, 9, 1)) }
    }

    @Test func aSubmittedPeriodIsNotExtended() {
        var p = Fx.period2023
        p.status = .submitted
        #expect(throws: ExtensionRefusal.periodClosed(.submitted)) { try p.extended(until: CivilDate(2027, 6, 30)) }
    }

    @Test func specialCircumstancesNeedAReason() {
        #expect(throws: ExtensionRefusal.specialCircumstancesReasonMissing) {
            try Fx.period2023.extended(
                until: CivilDate(2028, 1, 1),
                specialCircumstances: SpecialCircumstances(reason: " ", evidence: "doc"))
        }
    }

    @Test func anAdvanceMustBeEarlierThanTheRegularStart() {
        #expect(throws: AdvanceRefusal.notEarlier(regularStart: CivilDate(2027, 6, 1))) {
            try Fx.period2023.advancing(nextStart: CivilDate(2027, 6, 1))
        }
    }

    @Test func anAdvanceAppliedToTheUpcomingPeriodMovesBothDates() throws {
        let next = try Fx.period2023.nextPeriod(id: "n", submittedOn: CivilDate(2027, 3, 10), catalog: .seeded)
        let moved = try Fx.period2023.advancing(nextStart: CivilDate(2027, 4, 1)).apply(to: next)
        #expect(moved.startDate == CivilDate(2027, 4, 1))
        #expect(moved.effectiveEndDate == CivilDate(2031, 3, 31))
    }

    @Test func anAdvanceMovesACompletionIntoTheNextPeriod() throws {
        let advance = try Fx.period2023.advancing(nextStart: CivilDate(2027, 4, 1))
        let next = RegistrationPeriod(
            id: "n", startDate: advance.nextStart, endDate: advance.nextEnd, normCode: "2023",
            status: .upcoming)
        let course = Fx.completion("X", on: CivilDate(2027, 4, 15), [Fx.line("2023", "C", nil, 3)])
        #expect(Fx.evaluate2023([course], period: Fx.period2023).totalPoints == 3)
        #expect(Fx.evaluate2023([course], period: advance.previous).totalPoints == 0)
        #expect(Fx.evaluate2023([course], period: next).totalPoints == 3)
        #expect(CompletionPush.countingPeriod(for: course.completedOn, in: [advance.previous, next])?.id == "n")
    }

    @Test func theCoveringPeriodIgnoresCancelledPeriods() {
        var cancelled = RegistrationPeriod(id: "x", startDate: CivilDate(2027, 6, 1), normCode: "2023")
        cancelled.status = .cancelled
        #expect(RegistrationPeriod.covering(CivilDate(2027, 7, 1), in: [Fx.period2023, cancelled]) == nil)
        #expect(RegistrationPeriod.covering(CivilDate(2027, 5, 31), in: [Fx.period2023, cancelled])?.id == "p2023")
    }

    @Test func registeredOnADateNeedsACoveringPeriodAndNoStrikeOff() {
        let periods = [Fx.period2023]
        #expect(RegisterStanding.isRegistered(on: CivilDate(2024, 1, 1), periods: periods))
        #expect(!RegisterStanding.isRegistered(on: CivilDate(2027, 6, 1), periods: periods))
        #expect(
            !RegisterStanding.isRegistered(
                on: CivilDate(2024, 1, 1), periods: periods,
                struckOffOn: CivilDate(2024, 1, 1)))
        #expect(
            RegisterStanding.isRegistered(
                on: CivilDate(2023, 12, 31), periods: periods,
                struckOffOn: CivilDate(2024, 1, 1)))
        #expect(
            !RegisterStanding.isRegistered(
                on: CivilDate(2025, 1, 1), periods: periods,
                deregisteredOn: CivilDate(2024, 6, 1)))
    }

    @Test func anActivePeriodIsExpiredOnceItsEffectiveEndHasPassed() {
        #expect(Fx.period2023.status(on: CivilDate(2027, 5, 31)) == .active)
        #expect(Fx.period2023.status(on: CivilDate(2027, 6, 1)) == .expired)
        var approved = Fx.period2023
        approved.status = .approved
        #expect(approved.status(on: CivilDate(2027, 6, 1)) == .approved)
    }

    @Test func aRecentDiplomaNeedsNoDeadline() throws {
        #expect(
            try FirstRegistration.check(
                registrationDate: CivilDate(2024, 6, 1),
                diplomaObtainedOn: CivilDate(2023, 6, 1), reentrant: false) == nil)
    }

    @Test func aReentrantGetsFourMonthsToMeetTheEntryRequirements() throws {
        #expect(
            try FirstRegistration.check(
                registrationDate: CivilDate(2024, 6, 1), diplomaObtainedOn: CivilDate(2010, 1, 1),
                reentrant: true) == CivilDate(2024, 10, 1))
    }

    @Test func anOlderDiplomaWithoutReentrantStatusIsRefused() {
        #expect(
            throws: FirstRegistrationRefusal.diplomaTooOld(
                obtainedOn: CivilDate(2023, 5, 31),
                earliestAccepted: CivilDate(2023, 6, 1))
        ) {
            try FirstRegistration.check(
                registrationDate: CivilDate(2024, 6, 1), diplomaObtainedOn: CivilDate(2023, 5, 31),
                reentrant: false)
        }
        #expect(throws: FirstRegistrationRefusal.diplomaOrReentrantRequired) {
            try FirstRegistration.check(registrationDate: CivilDate(2024, 6, 1), diplomaObtainedOn: nil, reentrant: false)
        }
    }
}

@Suite struct CompletionPushTests {
    let lines = [Fx.line("2023", "C", nil, 2), Fx.line("2019", "C", nil, 2)]

    @Test func aFutureDateIsRefused() {
        #expect(throws: PushRefusal.futureDate) {
            try CompletionPush.check(
                completedOn: CivilDate(2024, 1, 2), recordedAt: CivilDate(2024, 1, 1),
                courseLines: lines, periods: [Fx.period2023])
        }
    }

    @Test func aDateNoPeriodCoversIsRefused() {
        #expect(throws: PushRefusal.noCoveringPeriod) {
            try CompletionPush.check(
                completedOn: CivilDate(2023, 5, 31), recordedAt: CivilDate(2024, 1, 1),
                courseLines: lines, periods: [Fx.period2023])
        }
    }

    @Test func aCourseWithoutALineForThePeriodsNormIsRefused() {
        #expect(throws: PushRefusal.noLineForNorm("2023")) {
            try CompletionPush.check(
                completedOn: CivilDate(2024, 1, 1), recordedAt: CivilDate(2024, 1, 1),
                courseLines: [Fx.line("2019", "C", nil, 2)], periods: [Fx.period2023])
        }
    }

    @Test func anApprovedPeriodTakesNoMoreCompletions() {
        var p = Fx.period2023
        p.status = .approved
        #expect(throws: PushRefusal.noCoveringPeriod) {
            try CompletionPush.check(
                completedOn: CivilDate(2024, 1, 1), recordedAt: CivilDate(2024, 1, 1),
                courseLines: lines, periods: [p])
        }
    }

    @Test func anAcceptedPushKeepsOnlyThePeriodsNormLines() throws {
        let placement = try CompletionPush.check(
            completedOn: CivilDate(2024, 1, 1), recordedAt: CivilDate(2024, 1, 1),
            courseLines: lines, periods: [Fx.period2023])
        #expect(placement.period.id == "p2023")
        #expect(placement.lines.map(\.norm) == ["2023"])
    }

    @Test func theIdempotencyKeyIsCoursePractitionerAndDate() {
        let a = CompletionKey(courseId: "c", practitionerId: "p", completedOn: CivilDate(2024, 1, 1))
        #expect(a == CompletionKey(courseId: "c", practitionerId: "p", completedOn: CivilDate(2024, 1, 1)))
        #expect(a != CompletionKey(courseId: "c", practitionerId: "p", completedOn: CivilDate(2024, 1, 2)))
    }
}
