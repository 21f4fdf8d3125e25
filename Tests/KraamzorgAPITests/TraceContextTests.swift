import Foundation
import KraamzorgJobs
import PostgresClient
import Testing
import TestSupport

/// A request's W3C `traceparent` travels with the change it makes: the domain event keeps it (migration 0024) and
/// the webhook delivery of that event passes it on, so the receiver's logs join the request's.
@Suite struct TraceContextTests {
    @Test func aWebhookDeliveryCarriesTheTraceparentOfTheRequestThatCausedIt() async throws {
        let flow = try await SecretsInADumpTests.Flow.start()
        let app = flow.app
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let manager = try await app.user(role: "insurer", organizationId: world.insurerId, avgAccess: true, manager: true).token
        let subscribed = try await app.call(
            "POST", "/v1/webhooks", token: manager, json: ["url": receiver.url, "events": ["client.enrolled", "client.released"]])
        #expect(subscribed.status == 201)

        let client = try await flow.placedClient(world, dueDate: day(100))
        let trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let enrolled = try await app.call(
            "POST", "/v1/clients/\(client.id)/enrolment", token: world.providers[0].token, headers: [("traceparent", trace)])
        #expect(enrolled.status == 201)
        // A request with an invalid one: its event has none.
        let released = try await app.call(
            "POST", "/v1/clients/\(client.id)/release", token: world.providers[0].token, json: ["reason": "geen plek"],
            headers: [("traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01")])
        #expect(released.status == 200)

        #expect(try await app.count("SELECT count(*) FROM events WHERE type = 'client.enrolled' AND traceparent = \(trace)") == 1)
        try await app.eventsSettled()
        let delivered = try await flow.deliverer.runOnce(now: Date())
        #expect(delivered.delivered == 2)
        let byType = Dictionary(
            receiver.hits.compactMap { hit in
                (try? JSONSerialization.jsonObject(with: Data(hit.body)) as? [String: Any])?["type"].flatMap { $0 as? String }.map {
                    ($0, hit)
                }
            }, uniquingKeysWith: { a, _ in a })
        #expect(byType["client.enrolled"]?.headers["traceparent"] == trace)
        #expect(byType["client.released"] != nil)
        #expect(byType["client.released"]?.headers["traceparent"] == nil)
        await flow.stop()
    }
}
