import Foundation
import KraamzorgJobs
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Testing
import TestSupport

/// Practitioner reminders and the admins' overdue list, on chosen dates.
@Suite struct ReminderJobTests {
    func noon(_ d: CivilDate) -> Date { DutchTime.startOfDay(d).addingTimeInterval(12 * 3600) }

    func reminders(_ app: TestApp, to email: String) async throws -> [String] {
        try await app.pool.query("SELECT subject FROM notifications WHERE kind = 'reminder' AND recipient = \(email) ORDER BY created_at").map { try $0.decode("subject") }
    }

    func email(_ app: TestApp, _ practitionerId: String) async throws -> String {
        try await app.pool.query("SELECT email FROM practitioners WHERE id = \(UUID(uuidString: practitionerId)!)")[0].decode("email")
    }

    @Test func theThreeRemindersGoOutOnTheirDatesOnceEachAndNoneAfterSubmission() async throws {
        let app = try await IsolatedDatabase.app()
        let a = try await app.practitioner(start: "2023-06-01")
        let b = try await app.practitioner(start: "2023-06-01")
        let emailA = try await email(app, a.id), emailB = try await email(app, b.id)
        let end = CivilDate(2027, 5, 31)
        let schedule = Reminder.schedule(effectiveEnd: end, status: .active)
        #expect(schedule.map(\.date) == [CivilDate(2027, 2, 28), CivilDate(2027, 4, 5), CivilDate(2027, 5, 30)])
        let scheduler = app.scheduler()

        // The day before the first reminder: nothing.
        #expect(try await scheduler.run("reminders", now: noon(schedule[0].date.adding(days: -1)))?.result["sent"] == "0")
        // Three months before the end: both get the first reminder, with what is still red.
        let first = try await scheduler.run("reminders", now: noon(schedule[0].date))
        #expect(first?.result["sent"] == "2")
        #expect(try await reminders(app, to: emailA) == ["Over drie maanden loopt uw registratie af"])
        let body: String = try await app.pool.query("SELECT body FROM notifications WHERE recipient = \(emailA)").first?.decode("body") ?? ""
        #expect(body.contains(a.number) && body.contains("2027-05-31") && body.contains("Nog open"))
        // The next day: no repeat.
        #expect(try await scheduler.run("reminders", now: noon(schedule[0].date.adding(days: 1)))?.result["sent"] == "0")

        // B submits (her period is submitted): no more reminders for her.
        _ = try await app.pool.execute("UPDATE registration_periods SET status = 'submitted' WHERE practitioner_id = \(UUID(uuidString: b.id)!)")
        #expect(try await scheduler.run("reminders", now: noon(schedule[1].date))?.result["sent"] == "1")
        #expect(try await scheduler.run("reminders", now: noon(schedule[2].date))?.result["sent"] == "1")
        // Run again the same day (already done) and the day after (end date): nothing more.
        #expect(try await scheduler.run("reminders", now: noon(schedule[2].date))?.ran == false)
        #expect(try await scheduler.run("reminders", now: noon(end))?.result["sent"] == "0")

        #expect(try await reminders(app, to: emailA) == ["Over drie maanden loopt uw registratie af", "Over acht weken loopt uw registratie af",
                                                         "Morgen loopt uw registratie af"])
        #expect(try await reminders(app, to: emailB) == ["Over drie maanden loopt uw registratie af"])

        // After the end, A's period is expired and unsubmitted: the admins are told.
        let overdue = try await scheduler.run("overdue-reviews", now: noon(end.adding(days: 1)))
        #expect(overdue?.result["expired"] == "1")
        let list: String = try await app.pool.query("SELECT body FROM notifications WHERE kind = 'overdueReviews' LIMIT 1")[0].decode("body")
        #expect(list.contains(a.number) && !list.contains(b.number))
        await app.stop()
    }

    @Test func aMissedReminderDayIsCaughtUpWithOneMessage() async throws {
        let app = try await IsolatedDatabase.app()
        let a = try await app.practitioner(start: "2023-06-01")
        let scheduler = app.scheduler()
        // The service was down on 2027-05-30 (the one-day reminder) and the eight-week one was never sent either.
        #expect(try await scheduler.run("reminders", now: noon(CivilDate(2027, 5, 31)))?.result["sent"] == "1")
        #expect(try await reminders(app, to: try await email(app, a.id)) == ["Morgen loopt uw registratie af"])
        await app.stop()
    }
}
