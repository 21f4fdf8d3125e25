import Testing
import KraamzorgRules

/// Standing in the public register (DOMAIN §1, §2a): only what the register decided counts.
@Suite struct StandingTests {
    /// 2023-06-01 … 2027-05-31, and the next period 2027-06-01 … 2031-05-31 created by a submission.
    static let end = CivilDate(2027, 5, 31)
    static let dayAfter = CivilDate(2027, 6, 1)

    static func periods(_ status: PeriodStatus, submittedOn: CivilDate?, next: PeriodStatus = .upcoming) -> [RegistrationPeriod] {
        var current = Fx.period2023
        current.status = status
        current.firstSubmittedOn = submittedOn
        let upcoming = RegistrationPeriod(id: "next", startDate: dayAfter, normCode: "2023", status: next)
        return [current, upcoming]
    }

    static func standing(_ periods: [RegistrationPeriod], on date: CivilDate, today: CivilDate? = nil) -> StandingDecision {
        RegisterStanding.standing(on: date, today: today ?? date, periods: periods)
    }

    @Test func anActivePeriodMakesHerRegisteredUntilItsEnd() {
        let d = Self.standing([Fx.period2023], on: CivilDate(2024, 1, 1))
        #expect(d.standing == .registered && d.registered)
        #expect(d.registeredUntil == Self.end && d.period?.id == "p2023")
        #expect(Self.standing([Fx.period2023], on: Self.dayAfter).standing == .notRegistered)
        #expect(Self.standing([Fx.period2023], on: CivilDate(2023, 5, 31)).standing == .notRegistered)
    }

    @Test func anUpcomingPeriodNeverMakesHerRegistered() {
        let only = [RegistrationPeriod(id: "u", startDate: CivilDate(2024, 1, 1), normCode: "2023", status: .upcoming)]
        #expect(Self.standing(only, on: CivilDate(2025, 1, 1)).standing == .notRegistered)
        // Submitted in time, asked today (before the end) about a date in the next period: not decided.
        let periods = Self.periods(.submitted, submittedOn: CivilDate(2027, 4, 1))
        let d = Self.standing(periods, on: CivilDate(2028, 1, 1), today: CivilDate(2027, 4, 2))
        #expect(d.standing == .notRegistered && !d.registered)
        // Within her own dates the submitted period is still the one granted to her; the next does not continue it.
        let now = Self.standing(periods, on: CivilDate(2027, 4, 2))
        #expect(now.standing == .registered && now.registeredUntil == Self.end)
    }

    @Test func aDossierSubmittedInTimeKeepsHerRegisteredAfterTheEndUntilTheDecision() {
        for status in [PeriodStatus.submitted, .infoRequested] {
            for submitted in [CivilDate(2027, 3, 1), Self.end] {
                let d = Self.standing(Self.periods(status, submittedOn: submitted), on: Self.dayAfter)
                #expect(d.standing == .reviewPending && d.registered)
                #expect(d.period?.id == "p2023" && d.registeredUntil == nil)
            }
        }
        // Weeks later, still undecided: still under the grace (asked on that day).
        let later = Self.standing(Self.periods(.submitted, submittedOn: CivilDate(2027, 3, 1)), on: CivilDate(2027, 8, 1))
        #expect(later.standing == .reviewPending)
    }

    @Test func aDossierSubmittedAfterTheEndGivesNoGrace() {
        let periods = Self.periods(.submitted, submittedOn: Self.dayAfter.adding(days: 10))
        #expect(Self.standing(periods, on: Self.dayAfter).standing == .notRegistered)
        #expect(Self.standing(periods, on: Self.dayAfter.adding(days: 20)).standing == .notRegistered)
        #expect(Self.standing(periods, on: Self.end).standing == .registered)
    }

    @Test func onApprovalTheNextPeriodCountsFromItsStart() {
        let periods = Self.periods(.approved, submittedOn: CivilDate(2027, 3, 1), next: .active)
        let d = Self.standing(periods, on: Self.dayAfter)
        #expect(d.standing == .registered && d.period?.id == "next")
        #expect(d.registeredUntil == CivilDate(2031, 5, 31))
        // Before the end the approved period covers, continued by the approved next one.
        #expect(Self.standing(periods, on: CivilDate(2027, 5, 1)).registeredUntil == CivilDate(2031, 5, 31))
        // Approved late (submitted after the end): registered again from the next period's start, retroactively.
        let late = Self.periods(.approved, submittedOn: CivilDate(2027, 7, 1), next: .active)
        #expect(Self.standing(late, on: Self.dayAfter).standing == .registered)
    }

    @Test func aRefusalEndsHerRegistrationAtThePeriodsEnd() {
        let periods = Self.periods(.refused, submittedOn: CivilDate(2027, 3, 1), next: .cancelled)
        #expect(Self.standing(periods, on: CivilDate(2027, 5, 1)).standing == .registered)
        #expect(Self.standing(periods, on: Self.dayAfter).standing == .notRegistered)
    }

    @Test func strikeOffAndDeregistrationWinFromTheirDate() {
        let periods = Self.periods(.submitted, submittedOn: CivilDate(2027, 3, 1))
        let struck = RegisterStanding.standing(
            on: Self.dayAfter, today: Self.dayAfter, periods: periods, struckOffOn: CivilDate(2027, 6, 1))
        #expect(struck.standing == .struckOff && !struck.registered)
        let dereg = RegisterStanding.standing(
            on: CivilDate(2025, 1, 1), today: CivilDate(2025, 1, 1), periods: [Fx.period2023], deregisteredOn: CivilDate(2024, 6, 1))
        #expect(dereg.standing == .deregistered)
        // A strike-off ahead cuts off the validity the day before.
        let ahead = RegisterStanding.standing(
            on: CivilDate(2025, 1, 1), today: CivilDate(2025, 1, 1), periods: [Fx.period2023], struckOffOn: CivilDate(2026, 1, 1))
        #expect(ahead.standing == .registered && ahead.registeredUntil == CivilDate(2025, 12, 31))
    }

    @Test func isRegisteredIsTheStandingsYesOrNo() {
        let periods = Self.periods(.submitted, submittedOn: CivilDate(2027, 3, 1))
        #expect(RegisterStanding.isRegistered(on: Self.dayAfter, periods: periods))
        #expect(!RegisterStanding.isRegistered(on: Self.dayAfter, today: CivilDate(2027, 5, 1), periods: periods))
    }

    @Test func noRemindersOnceTheDossierIsWithTheRegisterOrDecided() {
        for status in [PeriodStatus.submitted, .infoRequested, .approved, .refused, .cancelled] {
            #expect(Reminder.schedule(effectiveEnd: Self.end, status: status).isEmpty)
        }
        for status in [PeriodStatus.active, .upcoming, .expired] {
            #expect(Reminder.schedule(effectiveEnd: Self.end, status: status).count == 3)
        }
    }

    @Test func onlyMandatorySubjectsCarryAStatus() {
        let dossier = Fx.evaluate2023([])
        for category in dossier.categories {
            for subject in category.subjects {
                #expect((subject.status == nil) == (subject.minCompletions == 0))
            }
        }
        // Category D has no mandatory subject: its subjects light is not a "0/0 akkoord" list of dots.
        #expect(dossier.category("D")?.subjects.allSatisfy { $0.status == nil } == true)
        #expect(dossier.category("B")?.subjects.first { $0.code == "kunstvoeding" }?.status == nil)
        #expect(dossier.category("B")?.subjects.first { $0.code == "borstvoeding" }?.status == .nogTeDoen)
    }
}
