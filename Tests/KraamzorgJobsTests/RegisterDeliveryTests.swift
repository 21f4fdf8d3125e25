import Foundation
import KraamzorgJobs
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing

/// The register's side of delivery: the dossier watcher's `dossier.complete`, and review outcomes to the
/// practitioner. (Who reads the register's events in the feed is the API suite's `RegisterEventFeedTests`.)
@Suite struct RegisterDeliveryTests {
    typealias Fx = RegisterFixtures

    @Test func theDossierWatcherRecordsACompleteDossierOnceWhoeverRunsItAndReviewOutcomesAreMailed() async throws {
        let db = try await JobsDatabase.make()
        let clock = Fx.clock(CivilDate(2023, 4, 15))
        // Her 2019 period, ending 2023-05-31, completed by three bookings.
        let (p, period) = try await Fx.completeDossier(db.pool, clock: clock)
        // The watcher sees the bookings and records dossier.complete once, whoever runs it and how often.
        try await db.eventsSettled()
        let now = clock.now()
        let watcher = DossierWatcher(pool: db.pool)
        async let w1 = watcher.runOnce(now: now)
        async let w2 = DossierWatcher(pool: db.pool).runOnce(now: now)
        let (n1, n2) = try await (w1, w2)
        #expect(try await watcher.runOnce(now: now) == 0)
        #expect(n1 + n2 == 1)
        #expect(
            try await db.count("SELECT count(*)::bigint FROM events WHERE type = 'dossier.complete' AND practitioner_id = \(p.id)") == 1)

        let workflows = RegisterWorkflows(store: RegisterStore(pool: db.pool), clock: clock)
        _ = try await workflows.submit(practitionerId: p.id, periodId: period.id, by: Fx.admin())
        let info = try await workflows.review(
            practitionerId: p.id, periodId: period.id, approve: false, message: "Stuur de werkgeversverklaring mee.",
            by: Fx.admin())
        #expect(info.period.period.status == .infoRequested)
        _ = try await workflows.submit(practitionerId: p.id, periodId: period.id, by: Fx.admin())
        let approved = try await workflows.review(practitionerId: p.id, periodId: period.id, approve: true, message: nil, by: Fx.admin())
        let code = try #require(approved.certificate?.verificationCode)

        // Review outcomes, to her address, in Dutch.
        let outcomes = try await db.pool.query(
            "SELECT subject, body FROM notifications WHERE kind = 'reviewOutcome' AND recipient = \(p.email)"
        ).map {
            (subject: try $0.decode("subject", as: String.self), body: try $0.decode("body", as: String.self))
        }
        #expect(outcomes.count == 2)
        // The request for information is its own message, with the staff's question, and never says the
        // dossier can be submitted now.
        #expect(
            outcomes.contains {
                $0.subject == "Vraag over uw aanmelding voor herregistratie" && $0.body.contains("Stuur de werkgeversverklaring mee.")
                    && !$0.body.contains("Uw dossier is compleet")
            })
        #expect(outcomes.contains { $0.subject == "Uw herregistratie is goedgekeurd" && $0.body.contains(code) })
        await db.close()
    }
}
