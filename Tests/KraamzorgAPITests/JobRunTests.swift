import Foundation
import HTTPServer
import Logging
import KraamzorgJobs
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import SMTPClient
import Testing
import TestSupport

/// Scheduled jobs: once per period, on demand through the API, and exactly once with two instances.
@Suite struct JobRunTests {
    func bodies(_ app: TestApp, kind: String) async throws -> [(to: String, orgId: UUID?, body: String)] {
        try await app.pool.query("SELECT recipient, organization_id, body FROM notifications WHERE kind = \(kind) ORDER BY recipient").map {
            (try $0.decode("recipient"), try $0.decode("organization_id"), try $0.decode("body"))
        }
    }

    @Test func theWeeklyUpdateGoesToCoordinatorsAndInsurersWithTheirOwnCountsOncePerWeek() async throws {
        let app = try await IsolatedDatabase.app()
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        _ = try await world.placedClient()
        _ = try await world.placedClient(token: world.otherInsurer)

        let run = try await app.admin("POST", "/v1/jobs/weekly-update/run")
        #expect(run.status == 200)
        let o = try run.object()
        #expect(o["ran"] as? Bool == true)
        #expect(o["period"] as? String == ISOWeek(containing: CivilDate.todayForTests()).description)
        let again = try await app.admin("POST", "/v1/jobs/weekly-update/run").object()
        #expect(again["ran"] as? Bool == false)
        #expect((again["result"] as? [String: Any])?["messages"] as? String == (o["result"] as? [String: Any])?["messages"] as? String)

        let messages = try await bodies(app, kind: "weeklyUpdate")
        let preferent = messages.filter { $0.orgId == UUID(uuidString: world.insurerId) }
        let other = messages.filter { $0.orgId == UUID(uuidString: world.otherInsurerId) }
        let coordinators = messages.filter { $0.orgId != UUID(uuidString: world.insurerId) && $0.orgId != UUID(uuidString: world.otherInsurerId) }
        #expect(preferent.count == 2)        // its two members
        #expect(other.count == 1)
        #expect(coordinators.count == 2)     // both coordinators of the region
        // Each recipient's counts per its own visibility: the preferent insurer sees both, the other only its insured.
        #expect(preferent.allSatisfy { $0.body.contains("Totaal: 2 wachtend") })
        #expect(other.allSatisfy { $0.body.contains("Totaal: 1 wachtend") })
        #expect(coordinators.allSatisfy { $0.body.contains("Totaal: 2 wachtend") })
        #expect(messages.allSatisfy { !$0.body.contains("Anna") })

        #expect(try await app.admin("POST", "/v1/jobs/nope/run").status == 404)
        #expect(try await app.call("POST", "/v1/jobs/weekly-update/run", token: world.coordinator).status == 403)
        let names = try await app.admin("GET", "/v1/jobs").object()["items"] as? [String]
        #expect(names?.contains("retention") == true)
        await app.stop()
    }

    @Test func aJobThatIsStillReadingDoesNotHoldUpTheEventFeedAndASecondInstanceWaitsItsTurn() async throws {
        let app = try await IsolatedDatabase.app()
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let runs = JobRuns(pool: app.pool)
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
        try await app.eventsSettled(timeout: .seconds(5))
        let feed = try app.items(try await app.call("GET", "/v1/events", token: world.coordinator))
        #expect(feed.contains { ($0["client"] as? [String: Any])?["id"] as? String == client.id })
        // A second instance waits for the first, then finds the period done.
        let second = Task { try await runs.run(job: "test-job", periodKey: "p1", trigger: "schedule") { _ in ["done": "twice"] } }
        releaseGo.yield()
        let a = try await first.value, b = try await second.value
        #expect(a.ran && !b.ran && b.result == ["done": "yes"])
        await app.stop()
    }

    @Test func retentionErasesPersonalFieldsSixMonthsAfterTheDueDateOncePerDay() async throws {
        let app = try await IsolatedDatabase.app()
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let c = try await world.placedClient(dueDate: day(10))
        let scheduler = app.scheduler()
        let early = try await scheduler.run("retention", now: Date().addingTimeInterval(86_400 * 30))
        #expect(early?.ran == true && early?.result["erased"] == "0")
        let later = Date().addingTimeInterval(86_400 * 220)
        let due = try await scheduler.run("retention", now: later)
        #expect(due?.result["erased"] == "1")
        #expect(try await scheduler.run("retention", now: later)?.ran == false)
        let row = try await app.pool.query("SELECT first_name, email FROM clients WHERE id = \(UUID(uuidString: c.id)!)")[0]
        #expect(row.isNull("first_name") && row.isNull("email"))
        await app.stop()
    }

    @Test func twoInstancesSendEveryMessageAndDeliveryExactlyOnceAndRunEachJobOnce() async throws {
        let (app, url) = try await IsolatedDatabase.appAndURL()
        let sink = try SMTPSink()
        defer { sink.stop() }
        let receiver = try WebhookReceiver()
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let manager = try await app.user(role: "insurer", organizationId: world.insurerId, avgAccess: true, manager: true).token
        #expect(try await app.call("POST", "/v1/webhooks", token: manager, json: ["url": receiver.url, "events": ["client.placed"]]).status == 201)
        for _ in 0..<4 { _ = try await world.placedClient() }
        try await app.pool.withConnection { conn in
            for i in 0..<40 {
                try await Outbox.enqueue(.reminder, to: "bulk\(i)@example.nl", clientId: nil, subject: "Bulk \(i)", body: "Bericht \(i)", on: conn)
            }
        }

        try await app.eventsSettled()
        // Instance B: its own pool, sender, deliverer and scheduler.
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 4
        let poolB = PostgresPool(configuration: configuration)
        let mailer = SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port))
        let logger = Logger(level: .error)
        func instance(_ pool: PostgresPool) -> (OutboxSender, WebhookDeliverer, JobScheduler) {
            let w = WaitlistStore(pool: pool), c = ClientStore(pool: pool)
            return (OutboxSender(delivery: OutboxDelivery(pool: pool), mailer: mailer, from: "noreply@kraamzorg.test", logger: logger),
                    WebhookDeliverer(store: WebhookStore(pool: pool), waitlists: w, clients: c,
                                     http: WebhookHTTPClient(allowPrivate: true), logger: logger),
                    JobScheduler(pool: pool, jobs: StandardJobs.all(waitlists: w, clients: c, register: RegisterStore(pool: pool)), logger: logger))
        }
        let a = instance(app.pool), b = instance(poolB)
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
        #expect(outcomes.filter(\.ran).map(\.job).sorted() == ["overdue-reviews", "reminders", "retention", "weekly-update"])
        #expect(try await app.count("SELECT count(*)::bigint FROM job_runs") == 4)
        // Every message sent, each exactly once.
        let total = try await app.count("SELECT count(*)::bigint FROM notifications WHERE status <> 'failed'")
        #expect(try await app.statuses()["pending"] == nil)
        let ids = sink.messages.compactMap { $0.header("Message-ID") }
        #expect(ids.count == total)
        #expect(Set(ids).count == total)
        // Every placement delivered once.
        let hits = receiver.hits
        #expect(hits.count == 4)
        #expect(Set(hits.compactMap(\.eventId)).count == 4)
        #expect(try await app.count("SELECT count(*)::bigint FROM webhook_deliveries WHERE status = 'delivered' AND attempts = 1") == 4)
        await poolB.close()
        await receiver.stop()
        await app.stop()
    }
}
