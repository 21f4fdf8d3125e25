import Foundation
import KraamzorgJobs
import KraamzorgStore
import KraamzorgTestFixtures
import PostgresClient
import Testing
import TestSupport

/// The outbox sender against a real SMTP sink, each test on a database of its own. (How the admins'
/// `/v1/notifications` and `/metrics` show the outbox is the API suite's `NotificationViewTests`.)
@Suite struct DeliveryOutboxTests {
    func enqueue(_ db: JobsDatabase, _ n: Int, subject: String = "Test") async throws -> [UUID] {
        var ids: [UUID] = []
        for i in 0..<n {
            let id: UUID = try await db.pool.withConnection { conn in
                try await Outbox.enqueue(
                    .reminder, to: "p\(i)@example.nl", clientId: nil, subject: "\(subject) \(i)", body: "Body \(i)\n.line with a dot",
                    on: conn)
                return try await conn.query("SELECT id FROM notifications ORDER BY created_at DESC LIMIT 1")[0].decode("id", as: UUID.self)
            }
            ids.append(id)
        }
        return ids
    }

    @Test func messagesOfAWaitlistFlowArriveOnceWithHeadersAndAreMarkedSent() async throws {
        let db = try await JobsDatabase.make()
        let sink = try SMTPSink()
        defer { sink.stop() }
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 1)
        _ = try await world.placedClient()
        let pending = try await db.statuses()["pending"] ?? 0
        #expect(pending >= 3)  // invitation, confirmation, provider notice

        let report = try await db.sender(sink: sink).runOnce(now: Date())
        #expect(report.sent == pending)
        #expect(try await db.statuses() == ["sent": pending])
        #expect(sink.messages.count == pending)
        #expect(Set(sink.messages.compactMap { $0.header("Message-ID") }).count == pending)
        let confirmation = try #require(
            sink.messages.first { $0.header("Subject")?.hasPrefix("=?utf-8?B?") == false && $0.decodedBody.contains("/aanmelding/") })
        #expect(confirmation.header("From") == "noreply@kraamzorg.test")
        #expect(confirmation.header("Date") != nil)

        // A second pass finds nothing to send.
        #expect(try await db.sender(sink: sink).runOnce(now: Date()).sent == 0)
        #expect(sink.messages.count == pending)

        // The confirmation is marked sent, after one attempt.
        let rows = try await db.pool.query("SELECT status, attempts FROM notifications WHERE kind = 'placementConfirmation'")
        #expect(rows.count == 1)
        #expect(try rows.first?.decode("status", as: String.self) == "sent")
        #expect(try rows.first?.decode("attempts", as: Int.self) == 1)
        await db.close()
    }

    @Test func withoutSMTPHostMessagesStayPending() async throws {
        let db = try await JobsDatabase.make()
        _ = try await enqueue(db, 2)
        let report = try await db.sender(sink: nil).runOnce(now: Date())
        #expect(report.held == 2 && report.sent == 0)
        #expect(try await db.statuses() == ["pending": 2])
        // What /metrics shows as outbox_messages{queue="email",status="pending"}.
        let backlog = try await OutboxDelivery.backlog(on: db.pool)
        #expect(backlog.filter { $0.queue == "email" }.map { "\($0.status)=\($0.count)" } == ["pending=2"])
        await db.close()
    }

    @Test func smtpDownIsRetriedWithBackoffThenFailedWithTheErrorAndNothingIsLostOrDuplicated() async throws {
        let db = try await JobsDatabase.make()
        let sink = try SMTPSink()
        defer { sink.stop() }
        let ids = try await enqueue(db, 3)
        let sender = db.sender(sink: sink)  // 3 attempts, backoff 60 s, 120 s
        let t0 = Date()
        sink.setDown(true)
        var r = try await sender.runOnce(now: t0)
        #expect(r.retrying == 3 && r.sent == 0)
        // Not due yet: nothing is tried before the backoff.
        r = try await sender.runOnce(now: t0.addingTimeInterval(30))
        #expect(r == .init())
        r = try await sender.runOnce(now: t0.addingTimeInterval(61))
        #expect(r.retrying == 3)
        // The relay comes back: each message arrives exactly once.
        sink.setDown(false)
        r = try await sender.runOnce(now: t0.addingTimeInterval(61 + 121))
        #expect(r.sent == 3)
        #expect(sink.messages.count == 3)
        #expect(Set(sink.messages.compactMap { $0.header("Message-ID") }) == Set(ids.map { "<\($0.uuidString.lowercased())@kraamzorg>" }))
        #expect(sink.messages.allSatisfy { $0.decodedBody.contains("\r\n.line with a dot") })

        // Down for every attempt: failed, with the last error kept (for the admins' view).
        let more = try await enqueue(db, 1, subject: "Doomed")
        sink.setDown(true)
        var t = t0.addingTimeInterval(1000)
        for _ in 0..<3 { _ = try await sender.runOnce(now: t); t = t.addingTimeInterval(3600) }
        let row = try await db.pool.query("SELECT status, attempts, last_error FROM notifications WHERE id = \(more[0])")[0]
        #expect(try row.decode("status", as: String.self) == "failed")
        #expect(try row.decode("attempts", as: Int.self) == 3)
        #expect(try row.decode("last_error", as: String?.self)?.contains("421") == true)
        #expect(try await db.statuses() == ["sent": 3, "failed": 1])
        // A failed message is not retried any more.
        sink.setDown(false)
        #expect(try await sender.runOnce(now: t.addingTimeInterval(86_400)).sent == 0)
        #expect(sink.messages.count == 3)
        await db.close()
    }

    @Test func aCrashBetweenClaimAndSendLeadsToARetryAfterTheLeaseNotALoss() async throws {
        let db = try await JobsDatabase.make()
        let sink = try SMTPSink()
        defer { sink.stop() }
        _ = try await enqueue(db, 2)
        let now = Date()
        // Instance A claims and "crashes" (never sends, never marks).
        let crashed = OutboxDelivery(pool: db.pool, policy: RetryPolicy(maxAttempts: 3, lease: .seconds(120)))
        #expect(try await crashed.claim(instance: UUID(), now: now).count == 2)
        // Instance B: the lease holds, nothing to do…
        let b = db.sender(sink: sink)
        #expect(try await b.runOnce(now: now.addingTimeInterval(60)).sent == 0)
        // …until it runs out.
        #expect(try await b.runOnce(now: now.addingTimeInterval(121)).sent == 2)
        #expect(sink.messages.count == 2)
        #expect(try await db.statuses() == ["sent": 2])
        await db.close()
    }
}
