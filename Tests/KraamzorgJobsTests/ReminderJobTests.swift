import Foundation
import KraamzorgJobs
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import PostgresClient
import Testing

/// Practitioner reminders and the admins' overdue list, on chosen dates.
@Suite struct ReminderJobTests {
    func reminders(_ db: JobsDatabase, to email: String) async throws -> [String] {
        try await db.pool.query("SELECT subject FROM notifications WHERE kind = 'reminder' AND recipient = \(email) ORDER BY created_at")
            .map { try $0.decode("subject") }
    }

    @Test func theThreeRemindersGoOutOnTheirDatesOnceEachAndNoneAfterSubmission() async throws {
        let db = try await JobsDatabase.make()
        let store = RegisterStore(pool: db.pool)
        // The register's admin, who gets the overdue list.
        try await WaitlistWorld.member(of: try await db.registerOrganizationId(), role: "admin", regionIds: [], db.pool)
        let (a, _) = try await RegisterFixtures.practitioner(store, start: CivilDate(2023, 6, 1))
        let (b, _) = try await RegisterFixtures.practitioner(store, start: CivilDate(2023, 6, 1))
        let end = CivilDate(2027, 5, 31)
        let schedule = Reminder.schedule(effectiveEnd: end, status: .active)
        #expect(schedule.map(\.date) == [CivilDate(2027, 2, 28), CivilDate(2027, 4, 5), CivilDate(2027, 5, 30)])
        let scheduler = db.scheduler()

        // The day before the first reminder: nothing.
        #expect(try await scheduler.run("reminders", now: noon(schedule[0].date.adding(days: -1)))?.result["sent"] == "0")
        // Three months before the end: both get the first reminder, with what is still red.
        let first = try await scheduler.run("reminders", now: noon(schedule[0].date))
        #expect(first?.result["sent"] == "2")
        #expect(try await reminders(db, to: a.email) == ["Over drie maanden loopt uw registratie af"])
        let body: String =
            try await db.pool.query("SELECT body FROM notifications WHERE recipient = \(a.email)").first?.decode("body") ?? ""
        #expect(body.contains(a.registrationNumber) && body.contains("2027-05-31") && body.contains("Nog open"))
        // The next day: no repeat.
        #expect(try await scheduler.run("reminders", now: noon(schedule[0].date.adding(days: 1)))?.result["sent"] == "0")

        // B submits (her period is submitted): no more reminders for her.
        _ = try await db.pool.execute("UPDATE registration_periods SET status = 'submitted' WHERE practitioner_id = \(b.id)")
        #expect(try await scheduler.run("reminders", now: noon(schedule[1].date))?.result["sent"] == "1")
        #expect(try await scheduler.run("reminders", now: noon(schedule[2].date))?.result["sent"] == "1")
        // Run again the same day (already done) and the day after (end date): nothing more.
        #expect(try await scheduler.run("reminders", now: noon(schedule[2].date))?.ran == false)
        #expect(try await scheduler.run("reminders", now: noon(end))?.result["sent"] == "0")

        #expect(
            try await reminders(db, to: a.email) == [
                "Over drie maanden loopt uw registratie af", "Over acht weken loopt uw registratie af",
                "Morgen loopt uw registratie af",
            ])
        #expect(try await reminders(db, to: b.email) == ["Over drie maanden loopt uw registratie af"])

        // After the end, A's period is expired and unsubmitted: the admins are told.
        let overdue = try await scheduler.run("overdue-reviews", now: noon(end.adding(days: 1)))
        #expect(overdue?.result["expired"] == "1")
        let list: String = try await db.pool.query("SELECT body FROM notifications WHERE kind = 'overdueReviews' LIMIT 1")[0].decode("body")
        #expect(list.contains(a.registrationNumber) && !list.contains(b.registrationNumber))
        await db.close()
    }

    /// DOMAIN §2a: no reminder for a period that is submitted, infoRequested, approved, refused or cancelled; a
    /// period still with her gets it.
    @Test func noReminderOnceTheDossierIsWithTheRegisterOrDecided() async throws {
        let db = try await JobsDatabase.make()
        let store = RegisterStore(pool: db.pool)
        let statuses = ["submitted", "infoRequested", "approved", "refused", "cancelled"]
        var quiet: [String] = []
        for status in statuses {
            let (p, period) = try await RegisterFixtures.practitioner(store, start: CivilDate(2023, 6, 1))
            _ = try await db.pool.execute("UPDATE registration_periods SET status = \(status) WHERE id = \(period.id)")
            quiet.append(p.email)
        }
        let (active, _) = try await RegisterFixtures.practitioner(store, start: CivilDate(2023, 6, 1))
        let scheduler = db.scheduler()
        for day in Reminder.schedule(effectiveEnd: CivilDate(2027, 5, 31), status: .active).map(\.date) {
            #expect(try await scheduler.run("reminders", now: noon(day))?.result["sent"] == "1")
        }
        for email in quiet { #expect(try await reminders(db, to: email).isEmpty) }
        #expect(try await reminders(db, to: active.email).count == 3)
        // A reminder missed until after the end is not sent late: the period has expired by then.
        let (missed, _) = try await RegisterFixtures.practitioner(store, start: CivilDate(2023, 6, 2))
        #expect(try await scheduler.run("reminders", now: noon(CivilDate(2027, 6, 3)))?.result["sent"] == "0")
        #expect(try await reminders(db, to: missed.email).isEmpty)
        await db.close()
    }

    @Test func aMissedReminderDayIsCaughtUpWithOneMessage() async throws {
        let db = try await JobsDatabase.make()
        let (a, _) = try await RegisterFixtures.practitioner(RegisterStore(pool: db.pool), start: CivilDate(2023, 6, 1))
        let scheduler = db.scheduler()
        // The service was down on 2027-05-30 (the one-day reminder) and the eight-week one was never sent either.
        #expect(try await scheduler.run("reminders", now: noon(CivilDate(2027, 5, 31)))?.result["sent"] == "1")
        #expect(try await reminders(db, to: a.email) == ["Morgen loopt uw registratie af"])
        await db.close()
    }
}
