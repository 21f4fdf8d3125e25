import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing

/// Reminders and the admins' overdue list, each on a database of its own (they take every row that is due).
@Suite struct RegisterNoticeWorkflowTests {
    typealias Fx = RegisterFixtures

    func subjects(_ pool: PostgresPool, to email: String) async throws -> [String] {
        try await pool.query("SELECT subject FROM notifications WHERE kind = 'reminder' AND recipient = \(email) ORDER BY created_at")
            .map { try $0.decode("subject") }
    }

    @Test func aFixedClockDecidesWhichReminderIsDue() async throws {
        let pool = try await Fx.isolated()
        let store = RegisterStore(pool: pool)
        // Her period ends 2027-05-31: reminders on 2027-02-28, 2027-04-05 and 2027-05-30.
        let (p, period) = try await Fx.practitioner(store, start: CivilDate(2023, 6, 1))
        func send(on day: CivilDate) async throws -> Int {
            try await pool.withTransaction { conn in
                try await RegisterNoticeWorkflows(store: store, clock: Fx.clock(day)).sendReminders(on: conn)
            }
        }

        #expect(try await send(on: CivilDate(2027, 2, 27)) == 0)
        // Eight weeks before: the three-month one is too long ago to catch up, so only the eight-week one.
        #expect(try await send(on: CivilDate(2027, 4, 5)) == 1)
        #expect(try await send(on: CivilDate(2027, 4, 6)) == 0)
        let expected = RegisterMessages.reminder(.eightWeeks, to: p, period: period.period, dossier: nil)
        #expect(try await subjects(pool, to: p.email) == [expected.subject])
        #expect(expected.subject == "Over acht weken loopt uw registratie af")
        let body: String = try await pool.query("SELECT body FROM notifications WHERE recipient = \(p.email)")[0].decode("body")
        #expect(body.hasPrefix(expected.body) && body.contains("Nog open"))
        // A day's gap before the one-day reminder is caught up with it.
        #expect(try await send(on: CivilDate(2027, 5, 31)) == 1)
        #expect(try await subjects(pool, to: p.email) == [expected.subject, "Morgen loopt uw registratie af"])
        await pool.close()
    }

    @Test func theOverdueListNamesExpiredPeriodsToTheRegistersAdmins() async throws {
        let pool = try await Fx.isolated()
        let store = RegisterStore(pool: pool)
        let (p, _) = try await Fx.practitioner(store, start: CivilDate(2019, 6, 1))
        let notices = RegisterNoticeWorkflows(store: store, clock: Fx.clock(CivilDate(2023, 6, 2)))
        let counts = try await pool.withTransaction { conn in try await notices.reportOverdue(on: conn) }
        #expect(counts.reviews == 0 && counts.expired == 1)
        let mail = try await pool.query("SELECT subject, body FROM notifications WHERE kind = 'overdueReviews'")
        let expected = RegisterMessages.overdue(
            on: CivilDate(2023, 6, 2), reviews: [],
            expired: [.init(registrationNumber: p.registrationNumber, name: p.name, date: CivilDate(2023, 5, 31))])
        #expect(try mail.first?.decode("subject", as: String.self) == expected.subject)
        #expect(try mail.first?.decode("body", as: String.self) == expected.body)
        #expect(expected.body.contains("\(p.registrationNumber) \(p.name), verlopen op 2023-05-31"))
        await pool.close()
    }
}
