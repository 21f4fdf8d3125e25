import Testing
import KraamzorgRules

private let due = CivilDate(2026, 6, 23)
private func daysBefore(_ n: Int) -> CivilDate { due.adding(days: -n) }

@Suite struct ClientStatusPregnancyWeekTests {
    @Test func onTheDueDateSheIsInWeek40() {
        #expect(Pregnancy.week(on: due, dueDate: due) == 40)
    }

    @Test func sixDaysBeforeTheDueDateIsStillWeek40() {
        #expect(Pregnancy.week(on: daysBefore(6), dueDate: due) == 40)
        #expect(Pregnancy.week(on: daysBefore(7), dueDate: due) == 39)
    }

    @Test func week32SpansFiftySixToSixtyTwoDaysBeforeTheDueDate() {
        #expect(Pregnancy.week(on: daysBefore(63), dueDate: due) == 31)
        #expect(Pregnancy.week(on: daysBefore(62), dueDate: due) == 32)
        #expect(Pregnancy.week(on: daysBefore(56), dueDate: due) == 32)
        #expect(Pregnancy.week(on: daysBefore(55), dueDate: due) == 33)
    }

    @Test func week24IsSixteenWholeWeeksBefore() {
        #expect(Pregnancy.week(on: daysBefore(16 * 7), dueDate: due) == 24)
    }

    @Test func afterTheDueDateWeeksCountOnToAtMost42() {
        #expect(Pregnancy.week(on: due.adding(days: 1), dueDate: due) == 40)
        #expect(Pregnancy.week(on: due.adding(days: 7), dueDate: due) == 41)
        #expect(Pregnancy.week(on: due.adding(days: 14), dueDate: due) == 42)
        #expect(Pregnancy.week(on: due.adding(days: 100), dueDate: due) == 42)
    }

    @Test func aDueDateFarAwayNeverGivesAWeekBelowOne() {
        #expect(Pregnancy.week(on: daysBefore(39 * 7), dueDate: due) == 1)
        #expect(Pregnancy.week(on: daysBefore(400), dueDate: due) == 1)
    }

    @Test func waitingClientBecomesUrgentOnTheFirstDayOfWeek32() {
        #expect(!Pregnancy.isUrgent(status: .waiting, dueDate: due, on: daysBefore(63)))
        #expect(Pregnancy.isUrgent(status: .waiting, dueDate: due, on: daysBefore(62)))
    }

    @Test func waitingClientStaysUrgentAfterWeek32() {
        #expect(Pregnancy.isUrgent(status: .waiting, week: 36))
        #expect(Pregnancy.isUrgent(status: .waiting, week: 41))
    }

    @Test func birthReportedIsAlwaysUrgent() {
        #expect(Pregnancy.isUrgent(status: .birthReported, week: 20))
        #expect(Pregnancy.isUrgent(status: .birthReported, dueDate: due, on: daysBefore(100)))
    }

    @Test func enrolledInvitedAndWithdrawnAreNeverUrgent() {
        for s in [ClientStatus.enrolled, .invited, .withdrawn] {
            #expect(!Pregnancy.isUrgent(status: s, week: 38))
        }
    }

    @Test func urgentFromDateIsSixtyTwoDaysBeforeTheDueDate() {
        #expect(Pregnancy.urgentFrom(dueDate: due) == daysBefore(62))
        #expect(Pregnancy.week(on: Pregnancy.urgentFrom(dueDate: due), dueDate: due) == 32)
    }

    @Test func latestUrgentDueDateMatchesTheWeekRule() {
        let today = CivilDate(2026, 4, 1)
        let edge = Pregnancy.latestUrgentDueDate(on: today)
        #expect(Pregnancy.week(on: today, dueDate: edge) == 32)
        #expect(Pregnancy.week(on: today, dueDate: edge.adding(days: 1)) == 31)
    }

    @Test func intakeWindowIsWeeks24To32() {
        #expect(!Pregnancy.isInIntakeWindow(week: 23))
        #expect(Pregnancy.isInIntakeWindow(week: 24))
        #expect(Pregnancy.isInIntakeWindow(week: 32))
        #expect(!Pregnancy.isInIntakeWindow(week: 33))
    }
}
