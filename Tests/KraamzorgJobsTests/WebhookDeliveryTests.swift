import Foundation
import Hashing
import KraamzorgJobs
import KraamzorgStore
import KraamzorgTestFixtures
import PostgresClient
import Testing
import TestSupport
import DatesAndIDs

/// Signed webhook deliveries with retries, leases and the register's own view. (Subscribing through
/// `/v1/webhooks`, its checks and the delivery log's route are the API suite's `WebhookSubscriptionTests`.)
@Suite struct WebhookDeliveryTests {
    @Test func aReceiverAnswering500TwiceGetsTheEventAgainAfterEachFailureAndIsMarkedDelivered() async throws {
        let db = try await JobsDatabase.make()
        let receiver = try WebhookReceiver(script: [500, 500])
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 1)
        let (id, secret) = try await db.subscribe(
            organizationId: world.insurerId, url: receiver.url, events: ["client.placed", "client.enrolled"])

        let client = try await world.placedClient()
        try await db.eventsSettled()
        let deliverer = db.deliverer()  // backoff 60 s, 120 s, …
        let t0 = Date()
        var r = try await deliverer.runOnce(now: t0)
        #expect(r.queued == 1 && r.retrying == 1)
        #expect(try await deliverer.runOnce(now: t0.addingTimeInterval(30)).retrying == 0)  // not due yet
        r = try await deliverer.runOnce(now: t0.addingTimeInterval(61))
        #expect(r.retrying == 1)
        r = try await deliverer.runOnce(now: t0.addingTimeInterval(61 + 121))
        #expect(r.delivered == 1)
        #expect(try await deliverer.runOnce(now: t0.addingTimeInterval(10_000)) == .init())

        let hits = receiver.hits
        try #require(hits.count == 3)
        #expect(Set(hits.compactMap(\.eventId)).count == 1)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(hits[2].body)) as? [String: Any])
        #expect(body["type"] as? String == "client.placed")
        let shown = try #require(body["client"] as? [String: Any])
        #expect(shown["id"] as? String == client.uuidString.lowercased())
        // An organisation is not a person with AVG access: group-1 fields only.
        #expect(shown["clientNumber"] != nil && shown["firstName"] == nil && shown["email"] == nil)

        // The receiver recomputes the signature from the secret: HMAC-SHA256 of "t.body".
        for hit in hits {
            let header = try #require(hit.signature)
            let parts = Dictionary(
                uniqueKeysWithValues: header.split(separator: ",").map { p -> (String, String) in
                    let kv = p.split(separator: "=", maxSplits: 1); return (String(kv[0]), String(kv[1]))
                })
            let t = try #require(parts["t"])
            let mac = HMAC_SHA256.authenticate(message: Array("\(t).".utf8) + hit.body, key: Array(secret.utf8))
            #expect(parts["v1"] == Hex.encode(mac))
            #expect(WebhookSignature.verify(header: header, secret: secret, body: hit.body, now: Date(timeIntervalSince1970: Double(t)!)))
            #expect(
                !WebhookSignature.verify(
                    header: header, secret: "whsec_wrong", body: hit.body, now: Date(timeIntervalSince1970: Double(t)!)))
        }

        // The delivery log.
        let log = try await db.webhooks().deliveries(subscriptionId: id)
        #expect(log.count == 1)
        #expect(log.first?.status == "delivered")
        #expect(log.first?.attempts == 3)
        #expect(log.first?.lastStatus == 200)
        await db.close()
    }

    @Test func aDelivererThatCrashesAfterClaimingIsRetriedAfterTheLeaseAndTheEventArrivesOnce() async throws {
        let db = try await JobsDatabase.make()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 0)
        _ = try await db.subscribe(organizationId: world.insurerId, url: receiver.url, events: ["client.placed"])
        _ = try await world.placedClient()
        try await db.eventsSettled()
        let now = Date()
        // Instance A fans out and claims, then "crashes" (never posts, never marks).
        let store = db.webhooks(policy: RetryPolicy(lease: .seconds(120)))
        #expect(try await store.fanOut(now: now) { _, events in events } == 1)
        #expect(try await store.claim(instance: UUID(), now: now).count == 1)
        // Instance B: nothing while the lease holds, then the delivery, once.
        let b = db.deliverer()
        #expect(try await b.runOnce(now: now.addingTimeInterval(60)).delivered == 0)
        #expect(try await b.runOnce(now: now.addingTimeInterval(121)).delivered == 1)
        #expect(try await b.runOnce(now: now.addingTimeInterval(500)) == .init())
        #expect(receiver.hits.count == 1)
        await db.close()
    }

    @Test func theRegistersOwnWebhookGetsEveryClientEventWithoutPersonalFields() async throws {
        let db = try await JobsDatabase.make()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 0)
        // An admin's subscription belongs to the register organisation.
        _ = try await db.subscribe(organizationId: try await db.registerOrganizationId(), url: receiver.url, events: ["client.placed"])
        // Invited by an insurer that is not the region's preferent one.
        let otherInsurerId = try await WaitlistWorld.organization("insurer", db.pool)
        let client = try await world.placedClient(insurerId: otherInsurerId)
        try await db.eventsSettled()
        #expect(try await db.deliverer().runOnce(now: Date()).delivered == 1)
        let hit = try #require(receiver.hits.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(hit.body)) as? [String: Any])
        let shown = try #require(body["client"] as? [String: Any])
        #expect(shown["id"] as? String == client.uuidString.lowercased() && shown["clientNumber"] != nil)
        #expect(personalFields.allSatisfy { shown[$0] == nil })
        await db.close()
    }
}
