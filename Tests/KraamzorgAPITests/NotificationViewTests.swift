import Foundation
import KraamzorgStore
import PostgresClient
import Testing
import TestSupport

/// The admins' view of the outbox (`/v1/notifications`) and its gauge in `/metrics`. (Sending is the
/// outbox sender's, in KraamzorgJobsTests; here the store marks the rows as a sender would.)
@Suite struct NotificationViewTests {
    @Test func theAdminsSeeEachMessagesStatusAttemptsAndLastErrorAndMetricsCountThePending() async throws {
        let app = try await IsolatedDatabase.app()
        try await app.pool.withConnection { conn in
            try await Outbox.enqueue(
                .placementConfirmation, to: "sent@example.nl", clientId: nil, subject: "Bevestiging", body: "Welkom", on: conn)
            try await Outbox.enqueue(.reminder, to: "doomed@example.nl", clientId: nil, subject: "Doomed", body: "Herinnering", on: conn)
            for i in 0..<2 {
                try await Outbox.enqueue(
                    .reminder, to: "p\(i)@example.nl", clientId: nil, subject: "Test \(i)", body: "Body \(i)", on: conn)
            }
        }
        // An instance claims all four, sends one and fails one for good; the other two stay pending.
        let delivery = OutboxDelivery(pool: app.pool, policy: RetryPolicy(maxAttempts: 3, base: .seconds(60), lease: .seconds(120)))
        let instance = UUID(), now = Date()
        let claimed = try await delivery.claim(instance: instance, now: now)
        #expect(claimed.count == 4)
        let sent = try #require(claimed.first { $0.recipient == "sent@example.nl" })
        let doomed = try #require(claimed.first { $0.recipient == "doomed@example.nl" })
        #expect(try await delivery.markSent(sent.id, instance: instance, now: now))
        try await delivery.markFailed(
            doomed.id, instance: instance, attempts: doomed.attempts, error: "421 sink.test service not available",
            permanent: true, now: now)

        let list = try await app.admin("GET", "/v1/notifications?kind=placementConfirmation")
        let item = try #require(try app.items(list).first)
        #expect(item["status"] as? String == "sent")
        #expect(item["attempts"] as? Int == 1)

        let shown = try app.items(try await app.admin("GET", "/v1/notifications?kind=reminder")).first {
            $0["id"] as? String == doomed.id.uuidString.lowercased()
        }
        #expect(shown?["status"] as? String == "failed")
        #expect((shown?["lastError"] as? String)?.contains("421") == true)
        let failed = try app.items(try await app.admin("GET", "/v1/notifications?status=failed"))
        #expect(failed.map { $0["id"] as? String } == [doomed.id.uuidString.lowercased()])
        #expect(try await app.admin("GET", "/v1/notifications?status=lost").status == 400)

        let metrics = try await app.call("GET", "/metrics").text
        #expect(metrics.contains(#"outbox_messages{queue="email",status="pending"} 2"#))
        await app.stop()
    }
}
