import Foundation
import Logging
import KraamzorgJobs
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import PostgresClient
import SMTPClient
import Testing
import TestSupport

/// Scheduled jobs: once per period, and exactly once with two instances. (Running them through
/// `/v1/jobs` is the API suite's `JobRouteTests`.)
@Suite struct JobRunTests {
    func bodies(_ db: JobsDatabase, kind: String) async throws -> [(to: String, orgId: UUID?, body: String)] {
        try await db.pool.query("SELECT recipient, organization_id, body FROM notifications WHERE kind = \(kind) ORDER BY recipient").map {
            (try $0.decode("recipient"), try $0.decode("organization_id"), try $0.decode("body"))
        }
    }

    @Test func theWeeklyUpdateGoesToCoordinatorsAndInsurersWithTheirOwnCountsOncePerWeek() async throws {
        let db = try await JobsDatabase.make()
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 1)
        // The preferent insurer with two members (one without AVG access), a second coordinator of the region
        // (without), and a non-preferent insurer with one member.
        try await WaitlistWorld.member(of: world.insurerId, role: "insurer", regionIds: [], db.pool)
        try await WaitlistWorld.member(of: world.insurerId, role: "insurer", regionIds: [], avgAccess: false, db.pool)
        try await WaitlistWorld.member(
            of: try await WaitlistWorld.organization("ksv", db.pool), role: "coordinator", regionIds: [world.regionId],
            avgAccess: false, db.pool)
        let otherInsurerId = try await WaitlistWorld.organization("insurer", db.pool)
        try await WaitlistWorld.member(of: otherInsurerId, role: "insurer", regionIds: [], db.pool)
        _ = try await world.placedClient()
        _ = try await world.placedClient(insurerId: otherInsurerId)

        let scheduler = db.scheduler()
        let wednesday = CivilDate(2031, 3, 5)
        let first = try #require(try await scheduler.run("weekly-update", now: noon(wednesday)))
        #expect(first.ran == true)
        #expect(first.periodKey == ISOWeek(containing: wednesday).description)
        // Later in the same week: the period is done, with the first run's result.
        let again = try #require(try await scheduler.run("weekly-update", now: noon(wednesday.adding(days: 2))))
        #expect(again.ran == false)
        #expect(again.result["messages"] == first.result["messages"])

        let messages = try await bodies(db, kind: "weeklyUpdate")
        let preferent = messages.filter { $0.orgId == world.insurerId }
        let other = messages.filter { $0.orgId == otherInsurerId }
        let coordinators = messages.filter { $0.orgId != world.insurerId && $0.orgId != otherInsurerId }
        #expect(preferent.count == 2)  // its two members
        #expect(other.count == 1)
        #expect(coordinators.count == 2)  // both coordinators of the region
        // Each recipient's counts per its own visibility: the preferent insurer sees both, the other only its insured.
        #expect(preferent.allSatisfy { $0.body.contains("Totaal: 2 wachtend") })
        #expect(other.allSatisfy { $0.body.contains("Totaal: 1 wachtend") })
        #expect(coordinators.allSatisfy { $0.body.contains("Totaal: 2 wachtend") })
        #expect(messages.allSatisfy { !$0.body.contains("Anna") })
        #expect(scheduler.names.contains("retention"))
        await db.close()
    }

    @Test func aJobThatIsStillReadingDoesNotHoldUpTheEventFeedAndASecondInstanceWaitsItsTurn() async throws {
        let db = try await JobsDatabase.make()
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 0)
        let runs = JobRuns(pool: db.pool)
        let (entered, enteredGo) = AsyncStream<Void>.makeStream()
        let (release, releaseGo) = AsyncStream<Void>.makeStream()
        let first = Task {
            try await runs.run(job: "test-job", periodKey: "p1", trigger: "manual") { _ in
                enteredGo.yield()
                for await _ in release { break }
                return ["done": "yes"]
            }
        }
        for await _ in entered { break }
        // While the job is open, a placement's event becomes readable (the job holds no transaction id).
        let client = try await world.placedClient()
        try await db.eventsSettled(timeout: .seconds(5))
        let feed = try await DomainEvents.read(after: .start, limit: 100, on: db.pool)
        #expect(feed.contains { $0.clientId == client && $0.type == DomainEvents.Kind.clientPlaced.rawValue })
        // A second instance waits for the first, then finds the period done.
        let second = Task { try await runs.run(job: "test-job", periodKey: "p1", trigger: "schedule") { _ in ["done": "twice"] } }
        releaseGo.yield()
        let a = try await first.value, b = try await second.value
        #expect(a.ran && !b.ran && b.result == ["done": "yes"])
        await db.close()
    }

    @Test func retentionErasesPersonalFieldsSixMonthsAfterTheDueDateOncePerDay() async throws {
        let db = try await JobsDatabase.make()
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 0)
        let due = CivilDate(2031, 6, 11)
        let c = try await world.placedClient(dueDate: due)
        let scheduler = db.scheduler()
        let early = try await scheduler.run("retention", now: noon(due.adding(days: 20)))
        #expect(early?.ran == true && early?.result["erased"] == "0")
        let later = noon(due.adding(days: 210))
        let erased = try await scheduler.run("retention", now: later)
        #expect(erased?.result["erased"] == "1")
        #expect(try await scheduler.run("retention", now: later)?.ran == false)
        let row = try await db.pool.query("SELECT first_name, email FROM clients WHERE id = \(c)")[0]
        #expect(row.isNull("first_name") && row.isNull("email"))
        await db.close()
    }

    @Test func twoInstancesSendEveryMessageAndDeliveryExactlyOnceAndRunEachJobOnce() async throws {
        let db = try await JobsDatabase.make()
        let sink = try SMTPSink()
        defer { sink.stop() }
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 1)
        // A manager of the preferent insurer subscribes to placements.
        try await WaitlistWorld.member(of: world.insurerId, role: "insurer", regionIds: [], manager: true, db.pool)
        _ = try await db.subscribe(organizationId: world.insurerId, url: receiver.url, events: ["client.placed"])
        for _ in 0..<4 { _ = try await world.placedClient() }
        try await db.pool.withConnection { conn in
            for i in 0..<40 {
                try await Outbox.enqueue(
                    .reminder, to: "bulk\(i)@example.nl", clientId: nil, subject: "Bulk \(i)", body: "Bericht \(i)", on: conn)
            }
        }

        try await db.eventsSettled()
        // Instance B: its own pool, sender, deliverer and scheduler.
        var configuration = try PostgresConfiguration(url: db.url)
        configuration.poolSize = 4
        let poolB = PostgresPool(configuration: configuration)
        let mailer = SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port))
        let logger = Logger(level: .error)
        func instance(_ pool: PostgresPool) -> (OutboxSender, WebhookDeliverer, JobScheduler) {
            let w = WaitlistStore(pool: pool), c = ClientStore(pool: pool)
            return (
                OutboxSender(delivery: OutboxDelivery(pool: pool), mailer: mailer, from: "noreply@kraamzorg.test", logger: logger),
                WebhookDeliverer(
                    store: db.webhooks(pool: pool), waitlists: w, clients: c,
                    http: WebhookHTTPClient(allowPrivate: true), logger: logger),
                JobScheduler(
                    pool: pool, jobs: StandardJobs.all(waitlists: w, clients: c, register: RegisterStore(pool: pool)), logger: logger)
            )
        }
        let a = instance(db.pool), b = instance(poolB)
        // Each pass takes the moment it runs at: what the jobs write during the run is due for the passes after them.
        @Sendable func loop(_ i: (OutboxSender, WebhookDeliverer, JobScheduler)) async throws -> [JobRunOutcome] {
            var outcomes: [JobRunOutcome] = []
            for _ in 0..<3 {
                outcomes += await i.2.runDue(now: Date())
                _ = try await i.0.runOnce(now: Date(), maxBatches: 2)
                _ = try await i.1.runOnce(now: Date(), maxBatches: 2)
            }
            return outcomes
        }
        async let runA = loop(a)
        async let runB = loop(b)
        let outcomes = try await runA + runB
        // Whatever is left (the weekly update written during the run), by both again.
        async let lastA = a.0.runOnce(now: Date())
        async let lastB = b.0.runOnce(now: Date())
        _ = try await (lastA, lastB)
        async let dA = a.1.runOnce(now: Date())
        async let dB = b.1.runOnce(now: Date())
        _ = try await (dA, dB)

        // Each job ran once for its period.
        #expect(
            outcomes.filter(\.ran).map(\.job).sorted() == [
                "audit-partitions", "overdue-reviews", "reminders", "retention", "weekly-update",
            ])
        #expect(try await db.count("SELECT count(*)::bigint FROM job_runs") == 5)
        // Every message sent, each exactly once.
        let total = try await db.count("SELECT count(*)::bigint FROM notifications WHERE status <> 'failed'")
        #expect(try await db.statuses()["pending"] == nil)
        let ids = sink.messages.compactMap { $0.header("Message-ID") }
        #expect(ids.count == total)
        #expect(Set(ids).count == total)
        // Every placement delivered once.
        let hits = receiver.hits
        #expect(hits.count == 4)
        #expect(Set(hits.compactMap(\.eventId)).count == 4)
        #expect(try await db.count("SELECT count(*)::bigint FROM webhook_deliveries WHERE status = 'delivered' AND attempts = 1") == 4)
        await poolB.close()
        await db.close()
    }
}
