import Foundation
import Hashing
import KraamzorgJobs
import KraamzorgUseCases
import KraamzorgStore
import PostgresClient
import Testing
import TestSupport
import DatesAndIDs

/// Webhook subscriptions, signed deliveries with retries, and the URL rules.
@Suite struct WebhookDeliveryTests {
    /// A manager of the region's preferent insurer (webhooks are managed per organisation).
    func manager(_ world: WaitlistWorld) async throws -> String {
        try await world.app.user(role: "insurer", organizationId: world.insurerId, avgAccess: true, manager: true).token
    }

    @Test func aReceiverAnswering500TwiceGetsTheEventAgainAfterEachFailureAndIsMarkedDelivered() async throws {
        let app = try await IsolatedDatabase.app()
        let receiver = try WebhookReceiver(script: [500, 500])
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let manager = try await manager(world)

        let created = try await app.call("POST", "/v1/webhooks", token: manager, json: ["url": receiver.url, "events": ["client.placed", "client.enrolled"]])
        #expect(created.status == 201)
        let sub = try created.object()
        let id = try #require(sub["id"] as? String)
        let secret = try #require(sub["secret"] as? String)
        #expect(created.header("Location") == "/v1/webhooks/\(id)")
        let one = try await app.call("GET", "/v1/webhooks/\(id)", token: manager)
        let oneBody = try one.object()
        #expect(one.status == 200 && oneBody["url"] as? String == receiver.url && oneBody["secret"] == nil)
        // The secret is shown once.
        let listed = try app.items(try await app.call("GET", "/v1/webhooks", token: manager))
        #expect(listed.count == 1 && listed[0]["secret"] == nil)

        let client = try await world.placedClient()
        try await app.eventsSettled()
        let deliverer = app.deliverer()  // backoff 60 s, 120 s, …
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
        #expect(shown["id"] as? String == client.id)
        // An organisation is not a person with AVG access: group-1 fields only.
        #expect(shown["clientNumber"] != nil && shown["firstName"] == nil && shown["email"] == nil)

        // The receiver recomputes the signature from the secret: HMAC-SHA256 of "t.body".
        for hit in hits {
            let header = try #require(hit.signature)
            let parts = Dictionary(uniqueKeysWithValues: header.split(separator: ",").map { p -> (String, String) in
                let kv = p.split(separator: "=", maxSplits: 1); return (String(kv[0]), String(kv[1]))
            })
            let t = try #require(parts["t"])
            let mac = HMAC_SHA256.authenticate(message: Array("\(t).".utf8) + hit.body, key: Array(secret.utf8))
            #expect(parts["v1"] == Hex.encode(mac))
            #expect(WebhookSignature.verify(header: header, secret: secret, body: hit.body, now: Date(timeIntervalSince1970: Double(t)!)))
            #expect(!WebhookSignature.verify(header: header, secret: "whsec_wrong", body: hit.body, now: Date(timeIntervalSince1970: Double(t)!)))
        }

        // The delivery log.
        let log = try app.items(try await app.call("GET", "/v1/webhooks/\(id)/deliveries", token: manager))
        #expect(log.count == 1)
        #expect(log[0]["status"] as? String == "delivered")
        #expect(log[0]["attempts"] as? Int == 3)
        #expect(log[0]["lastStatus"] as? Int == 200)

        // Another organisation cannot see or delete it; the owner can.
        let other = try await app.user(role: "insurer", organizationId: world.otherInsurerId, avgAccess: true, manager: true).token
        #expect(try await app.call("GET", "/v1/webhooks/\(id)/deliveries", token: other).status == 404)
        #expect(try await app.call("DELETE", "/v1/webhooks/\(id)", token: other).status == 404)
        #expect(try await app.call("DELETE", "/v1/webhooks/\(id)", token: manager).status == 204)
        #expect(try app.items(try await app.call("GET", "/v1/webhooks", token: manager)).isEmpty)
        await receiver.stop()
        await app.stop()
    }

    @Test func aDelivererThatCrashesAfterClaimingIsRetriedAfterTheLeaseAndTheEventArrivesOnce() async throws {
        let app = try await IsolatedDatabase.app()
        let receiver = try WebhookReceiver()
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let manager = try await manager(world)
        #expect(try await app.call("POST", "/v1/webhooks", token: manager, json: ["url": receiver.url, "events": ["client.placed"]]).status == 201)
        _ = try await world.placedClient()
        try await app.eventsSettled()
        let now = Date()
        // Instance A fans out and claims, then "crashes" (never posts, never marks).
        let store = WebhookStore(pool: app.pool, policy: RetryPolicy(lease: .seconds(120)))
        #expect(try await store.fanOut(now: now) { _, events in events } == 1)
        #expect(try await store.claim(instance: UUID(), now: now).count == 1)
        // Instance B: nothing while the lease holds, then the delivery, once.
        let b = app.deliverer()
        #expect(try await b.runOnce(now: now.addingTimeInterval(60)).delivered == 0)
        #expect(try await b.runOnce(now: now.addingTimeInterval(121)).delivered == 1)
        #expect(try await b.runOnce(now: now.addingTimeInterval(500)) == .init())
        #expect(receiver.hits.count == 1)
        await receiver.stop()
        await app.stop()
    }

    @Test func theRegistersOwnWebhookGetsEveryClientEventWithoutPersonalFields() async throws {
        let app = try await IsolatedDatabase.app()
        let receiver = try WebhookReceiver()
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        #expect(try await app.admin("POST", "/v1/webhooks", json: ["url": receiver.url, "events": ["client.placed"]]).status == 201)
        let client = try await world.placedClient(token: world.otherInsurer)
        try await app.eventsSettled()
        #expect(try await app.deliverer().runOnce(now: Date()).delivered == 1)
        let hit = try #require(receiver.hits.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(hit.body)) as? [String: Any])
        let shown = try #require(body["client"] as? [String: Any])
        #expect(shown["id"] as? String == client.id && shown["clientNumber"] != nil)
        #expect(personalFields.allSatisfy { shown[$0] == nil })
        await receiver.stop()
        await app.stop()
    }

    @Test func subscriptionsAreValidated() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let manager = try await manager(world)
        for (url, events) in [("ftp://example.nl/x", ["client.placed"]), ("https://127.0.0.1:9/x", ["client.placed"]), ("http://127.0.0.1:9/x", ["nope"]), ("not a url", ["client.placed"]),
                              ("http://127.0.0.1:9/x", [String]())] {
            let r = try await app.call("POST", "/v1/webhooks", token: manager, json: ["url": url, "events": events])
            #expect(r.status == 400, "\(url) \(events)")
        }
        // Members who are not managers may not subscribe.
        #expect(try await app.call("POST", "/v1/webhooks", token: world.insurer, json: ["url": "http://127.0.0.1:9/x", "events": ["client.placed"]]).status == 403)
        #expect(try await app.call("POST", "/v1/webhooks", token: world.coordinatorGroup1, json: ["url": "http://127.0.0.1:9/x", "events": ["client.placed"]]).status == 403)
        // A manager of the register organisation who is not an admin (a coordinator) cannot subscribe with the register's view.
        let coordinatorManager = try await app.member(role: "coordinator", organizationId: nil, avgAccess: true, regionIds: [world.regionId])
        #expect(try await app.call("POST", "/v1/webhooks", token: coordinatorManager, json: ["url": "http://127.0.0.1:9/x", "events": ["client.placed"]]).status == 403)
    }

    @Test func loopbackAndPrivateAddressesAreRefusedUnlessAllowed() throws {
        for url in ["http://127.0.0.1/x", "http://10.1.2.3/x", "http://192.168.1.1/x", "http://172.20.0.1/x", "http://[::1]/x", "http://169.254.169.254/latest", "http://localhost:8080/"] {
            #expect(throws: WebhookURLError.self, "\(url)") { try WebhookURL(url).resolve(allowPrivate: false) }
            #expect(throws: Never.self) { _ = try WebhookURL(url).resolve(allowPrivate: true) }
        }
        #expect(try WebhookURL("http://93.184.216.34/hook").resolve(allowPrivate: false).count == 1)
        #expect(throws: WebhookURLError.self) { try WebhookURL("gopher://example.nl/") }
        #expect(throws: WebhookURLError.self) { try WebhookURL("http://user:pw@example.nl/") }
    }

    @Test func httpsDeliveryIsRefusedWithAClearError() async throws {
        let client = WebhookHTTPClient(allowPrivate: true)
        do {
            _ = try await client.post(url: "https://127.0.0.1:1/x", body: [], headers: [])
            Issue.record("https was attempted")
        } catch {
            #expect("\(error)".contains("https"))
        }
    }
}
