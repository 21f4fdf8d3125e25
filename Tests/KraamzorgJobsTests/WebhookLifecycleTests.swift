import Foundation
import KraamzorgJobs
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing
import TestSupport

/// Subscriptions over their life: `*`, pings and redeliveries, secret rotation with a 24-hour overlap, the
/// event as it was when it happened (in event order), and switching off after a week of failures.
@Suite struct WebhookLifecycleTests {
    func body(_ hit: WebhookReceiver.Hit) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(hit.body)) as? [String: Any])
    }

    @Test func placedThenEnrolledArriveInThatOrderEachShowingItsOwnState() async throws {
        let db = try await JobsDatabase.make()
        let receiver = try WebhookReceiver(script: [500])
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 1)
        let provider = world.providers[0]
        // The provider's own subscription, to everything.
        _ = try await db.subscribe(organizationId: provider, url: receiver.url, events: ["*"])
        let client = try await world.placedClient()
        _ = try await ClientWorkflows(pool: db.pool).enrol(
            clientId: client, viewer: world.providerViewer(provider), providerId: provider, by: actor("careProvider", provider))
        try await db.eventsSettled()

        let deliverer = db.deliverer()
        let t0 = Date()
        // The first (placed) fails once; the enrolled one must wait behind it, not overtake it.
        var r = try await deliverer.runOnce(now: t0)
        #expect(r.queued == 2 && r.retrying == 1 && r.delivered == 0)
        r = try await deliverer.runOnce(now: t0.addingTimeInterval(61))
        #expect(r.delivered == 2)
        let hits = receiver.hits
        try #require(hits.count == 3)
        let types = try hits.map { try body($0)["type"] as? String }
        #expect(types == ["client.placed", "client.placed", "client.enrolled"])
        let placed = try #require(try body(hits[1])["client"] as? [String: Any])
        let enrolled = try #require(try body(hits[2])["client"] as? [String: Any])
        #expect(placed["status"] as? String == "waiting")
        #expect(enrolled["status"] as? String == "enrolled")
        await db.close()
    }

    @Test func aPingAndARedeliveryAreSentAndLogged() async throws {
        let db = try await JobsDatabase.make()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 0)
        let (id, _) = try await db.subscribe(organizationId: world.insurerId, url: receiver.url, events: ["client.placed"])
        _ = try await world.placedClient()
        try await db.eventsSettled()
        let store = db.webhooks()
        let now = Date()
        let ping = try await store.ping(subscriptionId: id, now: now)
        #expect(ping.kind == "ping" && ping.eventType == "ping" && ping.status == "pending")
        #expect(try await db.deliverer().runOnce(now: now).delivered == 2)
        let original = try #require(try await store.deliveries(subscriptionId: id).first { $0.kind == "event" })
        let again = try #require(try await store.redeliver(deliveryId: original.id, subscriptionId: id, now: now))
        #expect(again.kind == "redelivery" && again.redeliveryOf == original.id && again.eventId == original.eventId)
        #expect(try await db.deliverer().runOnce(now: now).delivered == 1)
        let hits = receiver.hits
        #expect(hits.count == 3)
        #expect(try body(hits[0])["type"] as? String == "ping" || body(hits[1])["type"] as? String == "ping")
        #expect(hits.filter { $0.eventId == original.eventId?.uuidString.lowercased() }.count == 2)
        #expect(try await store.deliveries(subscriptionId: id).allSatisfy { $0.status == "delivered" })
        // Another subscription's delivery cannot be redelivered through this one.
        #expect(try await store.redeliver(deliveryId: original.id, subscriptionId: UUID(), now: now) == nil)
        await db.close()
    }

    @Test func afterARotationBothSignaturesAreSentFor24HoursThenOnlyTheNew() async throws {
        let db = try await JobsDatabase.make()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 0)
        let (id, old) = try await db.subscribe(organizationId: world.insurerId, url: receiver.url, events: ["*"])
        let store = db.webhooks()
        let t0 = Date()
        let rotated = try #require(try await store.rotateSecret(id: id, now: t0))
        let new = rotated.secret
        #expect(new != old && new.hasPrefix("whsec_"))

        _ = try await store.ping(subscriptionId: id, now: t0.addingTimeInterval(3600))
        #expect(try await db.deliverer().runOnce(now: t0.addingTimeInterval(3600)).delivered == 1)
        let during = try #require(receiver.hits.last)
        let header = try #require(during.signature)
        #expect(header.components(separatedBy: ",v1=").count == 3)  // t=…,v1=<new>,v1=<old>
        let at1 = t0.addingTimeInterval(3600)
        #expect(WebhookSignature.verify(header: header, secret: new, body: during.body, now: at1))
        #expect(WebhookSignature.verify(header: header, secret: old, body: during.body, now: at1))

        let later = t0.addingTimeInterval(24 * 3600 + 60)
        _ = try await store.ping(subscriptionId: id, now: later)
        #expect(try await db.deliverer().runOnce(now: later).delivered == 1)
        let after = try #require(receiver.hits.last)
        let header2 = try #require(after.signature)
        #expect(header2.components(separatedBy: ",v1=").count == 2)
        #expect(WebhookSignature.verify(header: header2, secret: new, body: after.body, now: later))
        #expect(!WebhookSignature.verify(header: header2, secret: old, body: after.body, now: later))
        await db.close()
    }

    @Test func aWeekOfFailuresSwitchesTheSubscriptionOffAndTellsTheManagers() async throws {
        let db = try await JobsDatabase.make()
        let receiver = try WebhookReceiver(script: Array(repeating: 503, count: 100))
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 0)
        let manager = try await WaitlistWorld.member(of: world.insurerId, role: "insurer", regionIds: [], manager: true, db.pool)
        let plain = try await WaitlistWorld.member(of: world.insurerId, role: "insurer", regionIds: [], manager: false, db.pool)
        let (id, _) = try await db.subscribe(organizationId: world.insurerId, url: receiver.url, events: ["*"])
        let store = db.webhooks()
        let deliverer = db.deliverer()
        let t0 = Date()
        var t = t0
        // A ping a day fails; on the 8th day (7 days after the first failure) it is switched off.
        for day in 0..<7 {
            t = t0.addingTimeInterval(Double(day) * 86_400)
            _ = try await store.ping(subscriptionId: id, now: t)
            let r = try await deliverer.runOnce(now: t)
            #expect(r.disabled == 0)
        }
        t = t0.addingTimeInterval(7 * 86_400)
        _ = try await store.ping(subscriptionId: id, now: t)
        let r = try await deliverer.runOnce(now: t)
        #expect(r.disabled == 1)
        let sub = try #require(try await store.subscription(id: id))
        #expect(!sub.active && sub.disabledReason == WebhookMessages.disabledReason)
        #expect(try await store.deliveries(subscriptionId: id).allSatisfy { $0.status != "pending" })
        let told = try await db.pool.query("SELECT recipient, body FROM notifications WHERE kind = 'webhookDisabled'")
        #expect(try told.map { try $0.decode("recipient", as: String.self) } == [manager])
        #expect(try told.first?.decode("body", as: String.self).contains(receiver.url) == true)
        _ = plain
        // Off: nothing more is sent; switched on again, deliveries resume.
        let hitsBefore = receiver.hits.count
        _ = try await store.ping(subscriptionId: id, now: t)
        #expect(try await deliverer.runOnce(now: t).delivered == 0)
        #expect(receiver.hits.count == hitsBefore)
        let on = try #require(try await store.update(id: id, url: nil, eventTypes: nil, active: true))
        #expect(on.active && on.disabledAt == nil)
        await db.close()
    }
}
