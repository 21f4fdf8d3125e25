import Foundation
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Testing
import TestSupport

/// Hand-back is not a way to read personal data (DOMAIN §7a), and inviting needs AVG access.
@Suite struct HandBackTests {
    func enrol(_ app: TestApp, _ client: String, _ token: String) async throws -> TestResponse {
        try await app.call("POST", "/v1/clients/\(client)/enrolment", token: token)
    }

    func release(_ app: TestApp, _ client: String, _ token: String) async throws -> TestResponse {
        try await app.call("POST", "/v1/clients/\(client)/release", token: token, json: ["reason": "Geen plek in die week"])
    }

    @Test func aProviderThatHandedHerBackNeverEnrolsHerAgainAndSheAndHerCoordinatorsAreTold() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 2)
        let client = try await world.placedClient()
        let first = world.providers[0].token, second = world.providers[1].token
        #expect(try await enrol(app, client.id, first).status == 201)
        #expect(try await release(app, client.id, first).status == 200)
        let again = try await enrol(app, client.id, first)
        #expect(again.status == 409)
        #expect(again.text.contains("handed this client back before"))
        // The group-1 member of the same provider is refused too: it is the organisation's act.
        #expect(try await enrol(app, client.id, world.providers[0].group1).status == 409)
        // Another provider enrols and hands her back in between: the first still cannot; now neither can.
        #expect(try await enrol(app, client.id, second).status == 201)
        #expect(try await release(app, client.id, second).status == 200)
        #expect(try await enrol(app, client.id, first).status == 409)
        #expect(try await enrol(app, client.id, second).status == 409)
        let uuid = UUID(uuidString: client.id)!
        #expect(try await app.count("SELECT count(*) FROM clients WHERE id = \(uuid) AND status = 'waiting'") == 1)

        // Each hand-back told her (her address from the invitation) and both coordinators of the region.
        let told = try await app.pool.query(
            "SELECT recipient, body FROM notifications WHERE kind = 'releaseNotice' AND client_id = \(uuid) ORDER BY created_at")
        let toHer = try told.filter { try $0.decode("recipient", as: String.self).hasPrefix("client-") }
        let toCoordinators = try told.filter { !(try $0.decode("recipient", as: String.self).hasPrefix("client-")) }
        #expect(toHer.count == 2)
        #expect(toCoordinators.count == 4)  // two coordinators, two hand-backs
        #expect(try toHer.allSatisfy { try $0.decode("body", as: String.self).contains("Beste Anna") })
        // The coordinators' message has group-1 facts only (one coordinator is group 1).
        #expect(try toCoordinators.allSatisfy { !(try $0.decode("body", as: String.self).contains("Anna")) })
        // This week's report counts the hand-backs per provider, per the caller's visibility.
        let report = try await app.call("GET", "/v1/waitlists/\(world.waitlistId)/report", token: world.coordinator).object()
        let handBacks = (report["handBacks"] as? [[String: Any]]) ?? []
        #expect(handBacks.compactMap { $0["providerId"] as? String }.sorted() == [world.providers[0].id, world.providers[1].id].sorted())
        #expect(handBacks.allSatisfy { $0["count"] as? Int == 1 })
        let notHers = try await app.call("GET", "/v1/waitlists/\(world.waitlistId)/report", token: world.otherInsurer).object()
        #expect((notHers["handBacks"] as? [Any])?.isEmpty == true)
        // Still in the 7-day window but not the enrolling provider: the old refusal stands.
        #expect(try await enrol(app, client.id, world.strangerProvider.token).status == 404)
    }

    @Test func theSixthHandBackIn24HoursIs429UntilTheWindowPassesAndTwoAtOnceCannotPassTheLimit() async throws {
        let moment = LockedValue(Date())
        let app = try await TestApp.start(databaseURL: nil, clock: DutchClock(now: { moment.get() }))
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let provider = world.providers[0].token
        var clients: [String] = []
        for _ in 0..<7 {
            let c = try await world.placedClient()
            #expect(try await enrol(app, c.id, provider).status == 201)
            clients.append(c.id)
        }
        for c in clients.prefix(4) { #expect(try await release(app, c, provider).status == 200) }
        // The fifth and sixth at once: the provider's row lock makes them take turns; exactly one passes.
        let fifth = clients[4], sixth = clients[5]
        async let a = release(app, fifth, provider)
        async let b = release(app, sixth, provider)
        let both = try await [a, b]
        #expect(both.map(\.status).sorted() == [200, 429])
        let refused = try #require(both.first { $0.status == 429 })
        let retry = try #require(refused.header("Retry-After").flatMap { Int($0) })
        #expect(retry > 86_000 && retry <= 86_400)
        #expect(refused.header("Content-Type") == "application/problem+json")
        #expect(refused.header("RateLimit-Limit") == "5" && refused.header("RateLimit-Remaining") == "0")
        #expect(refused.text.contains("at most 5 clients in 24 hours"))
        let refusedId = both[0].status == 429 ? clients[4] : clients[5]
        #expect(try await app.count("SELECT count(*) FROM clients WHERE id = \(UUID(uuidString: refusedId)!) AND status = 'enrolled'") == 1)
        #expect(try await release(app, clients[6], provider).status == 429)

        // 23 hours later: still the limit (the oldest hand-back leaves the window in about an hour).
        let start = moment.get()
        moment.set(start.addingTimeInterval(23 * 3600))
        let later = try await release(app, refusedId, provider)
        #expect(later.status == 429)
        #expect((later.header("Retry-After").flatMap { Int($0) } ?? 0) <= 3600)
        // 24 hours after the first hand-backs: allowed again, and she and her coordinators are told.
        moment.set(start.addingTimeInterval(24 * 3600 + 60))
        #expect(try await release(app, refusedId, provider).status == 200)
        let uuid = UUID(uuidString: refusedId)!
        #expect(try await app.count("SELECT count(*) FROM notifications WHERE kind = 'releaseNotice' AND client_id = \(uuid)") == 3)
        #expect(
            try await app.count("SELECT count(*) FROM client_releases WHERE provider_id = \(UUID(uuidString: world.providers[0].id)!)") == 6
        )
        await app.stop()
    }

    @Test func invitingNeedsAVGAccessForInsurersAndCoordinators() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let noAVG = try await world.invite(token: world.coordinatorGroup1, insurerId: world.insurerId)
        #expect(noAVG.status == 403)
        #expect(noAVG.text.contains("AVG access"))
        #expect(try await world.invite(token: world.coordinator, insurerId: world.insurerId).status == 201)
        #expect(try await world.invite(token: world.insurerGroup1).status == 403)
        #expect(try await world.invite(token: world.insurer).status == 201)
        // A coordinator of another region (with AVG access) does not learn of the waitlist.
        let elsewhere = try await WaitlistWorld.make(app: app, providers: 0)
        #expect(try await world.invite(token: elsewhere.coordinator, insurerId: world.insurerId).status == 404)
        #expect(try await world.invite(token: world.providers.first?.token ?? world.strangerProvider.token).status == 403)
        #expect(try await app.count("SELECT count(*) FROM clients WHERE waitlist_id = \(UUID(uuidString: world.waitlistId)!)") == 2)
    }
}
