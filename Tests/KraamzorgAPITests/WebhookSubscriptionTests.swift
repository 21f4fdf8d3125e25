import Foundation
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Testing
import TestSupport

/// Webhook subscriptions through `/v1/webhooks`: the secret shown once, the delivery log, ownership, and the
/// URL rules. (Delivering, signing and retrying are the deliverer's, in KraamzorgJobsTests.)
@Suite struct WebhookSubscriptionTests {
    /// A manager of the region's preferent insurer (webhooks are managed per organisation).
    func manager(_ world: WaitlistWorld) async throws -> String {
        try await world.app.user(role: "insurer", organizationId: world.insurerId, avgAccess: true, manager: true).token
    }

    @Test func aSubscriptionShowsItsSecretOnceListsItsDeliveriesAndOnlyItsOrganisationSeesOrDeletesIt() async throws {
        let app = try await IsolatedDatabase.app()
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let manager = try await manager(world)

        let created = try await app.call(
            "POST", "/v1/webhooks", token: manager,
            json: ["url": "http://127.0.0.1:9/hook", "events": ["client.placed", "client.enrolled"]])
        #expect(created.status == 201)
        let sub = try created.object()
        let id = try #require(sub["id"] as? String)
        #expect((sub["secret"] as? String)?.hasPrefix("whsec_") == true)
        #expect(created.header("Location") == "/v1/webhooks/\(id)")
        let one = try await app.call("GET", "/v1/webhooks/\(id)", token: manager)
        let oneBody = try one.object()
        #expect(one.status == 200 && oneBody["url"] as? String == "http://127.0.0.1:9/hook" && oneBody["secret"] == nil)
        // The secret is shown once.
        let listed = try app.items(try await app.call("GET", "/v1/webhooks", token: manager))
        #expect(listed.count == 1 && listed[0]["secret"] == nil)

        // A placement, fanned out to it and delivered (the store marks it as the deliverer would after a 200).
        _ = try await world.placedClient()
        try await app.eventsSettled()
        let store = WebhookStore(pool: app.pool, secretKey: app.webhookKey)
        let instance = UUID(), now = Date()
        #expect(try await store.fanOut(now: now) { _, events in events } == 1)
        let claimed = try #require(try await store.claim(instance: instance, now: now).first)
        #expect(try await store.markDelivered(claimed.id, instance: instance, status: 200, now: now))

        // The delivery log.
        let log = try app.items(try await app.call("GET", "/v1/webhooks/\(id)/deliveries", token: manager))
        #expect(log.count == 1)
        #expect(log[0]["eventType"] as? String == "client.placed")
        #expect(log[0]["status"] as? String == "delivered")
        #expect(log[0]["attempts"] as? Int == 1)
        #expect(log[0]["lastStatus"] as? Int == 200)

        // Another organisation cannot see or delete it; the owner can.
        let other = try await app.user(role: "insurer", organizationId: world.otherInsurerId, avgAccess: true, manager: true).token
        #expect(try await app.call("GET", "/v1/webhooks/\(id)/deliveries", token: other).status == 404)
        #expect(try await app.call("DELETE", "/v1/webhooks/\(id)", token: other).status == 404)
        #expect(try await app.call("DELETE", "/v1/webhooks/\(id)", token: manager).status == 204)
        #expect(try app.items(try await app.call("GET", "/v1/webhooks", token: manager)).isEmpty)
        await app.stop()
    }

    @Test func aManagerSubscribesToEverythingOverHTTPSChangesPingsRedeliversAndRotatesItsSecret() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let manager = try await manager(world)
        let created = try await app.call(
            "POST", "/v1/webhooks", token: manager, json: ["url": "https://127.0.0.1:9/hook", "events": ["*"]])
        #expect(created.status == 201)
        let sub = try created.object()
        let id = try #require(sub["id"] as? String)
        let secret = try #require(sub["secret"] as? String)
        #expect(sub["events"] as? [String] == ["*"] && sub["active"] as? Bool == true)

        // PATCH: url, events, active; checked as at creation; only the owner's managers.
        let patched = try await app.call(
            "PATCH", "/v1/webhooks/\(id)", token: manager,
            json: ["url": "http://127.0.0.1:9/other", "events": ["client.enrolled", "client.placed"], "active": false])
        #expect(patched.status == 200)
        let p = try patched.object()
        #expect(p["url"] as? String == "http://127.0.0.1:9/other" && p["events"] as? [String] == ["client.enrolled", "client.placed"])
        #expect(p["active"] as? Bool == false)
        #expect(try await app.call("PATCH", "/v1/webhooks/\(id)", token: manager, json: ["events": ["nope"]]).status == 400)
        #expect(try await app.call("PATCH", "/v1/webhooks/\(id)", token: manager, json: ["url": "ftp://x/"]).status == 400)
        #expect(try await app.call("PATCH", "/v1/webhooks/\(id)", token: manager, json: ["colour": "red"]).status == 400)
        #expect(try await app.call("PATCH", "/v1/webhooks/\(id)", token: world.insurer, json: ["active": true]).status == 403)
        let other = try await app.user(role: "insurer", organizationId: world.otherInsurerId, avgAccess: true, manager: true).token
        #expect(try await app.call("PATCH", "/v1/webhooks/\(id)", token: other, json: ["active": true]).status == 404)

        // Switched off: no ping. Switched on: a ping, answered with its delivery record, which can be redelivered.
        #expect(try await app.call("POST", "/v1/webhooks/\(id)/ping", token: manager).status == 409)
        #expect(try await app.call("PATCH", "/v1/webhooks/\(id)", token: manager, json: ["active": true]).status == 200)
        let ping = try await app.call("POST", "/v1/webhooks/\(id)/ping", token: manager)
        #expect(ping.status == 202)
        let delivery = try ping.object()
        #expect(
            delivery["kind"] as? String == "ping" && delivery["eventType"] as? String == "ping"
                && delivery["status"] as? String == "pending")
        let deliveryId = try #require(delivery["id"] as? String)
        let again = try await app.call("POST", "/v1/webhooks/\(id)/deliveries/\(deliveryId)/redeliver", token: manager)
        #expect(again.status == 202)
        #expect(try again.object()["redeliveryOf"] as? String == deliveryId)
        #expect(
            try await app.call("POST", "/v1/webhooks/\(id)/deliveries/\(UUID().uuidString.lowercased())/redeliver", token: manager).status
                == 404)
        #expect(try await app.call("POST", "/v1/webhooks/\(id)/ping", token: other).status == 404)
        #expect(try app.items(try await app.call("GET", "/v1/webhooks/\(id)/deliveries", token: manager)).count == 2)

        // Rotation: a new secret, shown once; the old one signs too until previousSecretValidUntil.
        let rotated = try await app.call("POST", "/v1/webhooks/\(id)/rotate-secret", token: manager)
        #expect(rotated.status == 200)
        let r = try rotated.object()
        let newSecret = try #require(r["secret"] as? String)
        #expect(newSecret != secret && newSecret.hasPrefix("whsec_"))
        #expect(r["previousSecretValidUntil"] is String)
        #expect(try await app.call("GET", "/v1/webhooks/\(id)", token: manager).object()["secret"] == nil)
        #expect(try await app.call("POST", "/v1/webhooks/\(id)/rotate-secret", token: other).status == 404)
        #expect(try await app.call("POST", "/v1/webhooks/\(id)/rotate-secret", token: world.insurer).status == 403)
    }

    @Test func theEventTypesInOpenAPIAreTheOneListInCode() throws {
        #expect(try OpenAPIContractTests.enumValues(of: "WebhookEventType") == DomainEvents.typeNames)
    }

    @Test func subscriptionsAreValidated() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let manager = try await manager(world)
        for (url, events) in [
            ("ftp://example.nl/x", ["client.placed"]), ("http://127.0.0.1:9/x", ["*", "client.placed"]), ("http://127.0.0.1:9/x", ["nope"]),
            ("not a url", ["client.placed"]),
            ("http://127.0.0.1:9/x", [String]()),
        ] {
            let r = try await app.call("POST", "/v1/webhooks", token: manager, json: ["url": url, "events": events])
            #expect(r.status == 400, "\(url) \(events)")
        }
        // Members who are not managers may not subscribe.
        #expect(
            try await app.call(
                "POST", "/v1/webhooks", token: world.insurer, json: ["url": "http://127.0.0.1:9/x", "events": ["client.placed"]]
            ).status == 403)
        #expect(
            try await app.call(
                "POST", "/v1/webhooks", token: world.coordinatorGroup1, json: ["url": "http://127.0.0.1:9/x", "events": ["client.placed"]]
            ).status == 403)
        // A manager of the register organisation who is not an admin (a coordinator) cannot subscribe with the register's view.
        let coordinatorManager = try await app.member(
            role: "coordinator", organizationId: nil, avgAccess: true, regionIds: [world.regionId])
        #expect(
            try await app.call(
                "POST", "/v1/webhooks", token: coordinatorManager, json: ["url": "http://127.0.0.1:9/x", "events": ["client.placed"]]
            ).status == 403)
    }

    @Test func loopbackAndPrivateAddressesAreRefusedUnlessAllowed() throws {
        for url in [
            "http://127.0.0.1/x", "http://10.1.2.3/x", "http://192.168.1.1/x", "http://172.20.0.1/x", "http://[::1]/x",
            "http://169.254.169.254/latest", "http://localhost:8080/",
        ] {
            #expect(throws: WebhookURLError.self, "\(url)") { try WebhookURL(url).resolve(allowPrivate: false) }
            #expect(throws: Never.self) { _ = try WebhookURL(url).resolve(allowPrivate: true) }
        }
        #expect(try WebhookURL("http://93.184.216.34/hook").resolve(allowPrivate: false).count == 1)
        #expect(throws: WebhookURLError.self) { try WebhookURL("gopher://example.nl/") }
        #expect(throws: WebhookURLError.self) { try WebhookURL("http://user:pw@example.nl/") }
    }
}
