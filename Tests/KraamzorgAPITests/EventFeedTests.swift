import Foundation
import PostgresClient
import Testing
import TestSupport

/// `GET /v1/events`: a cursor returns each event once; what a caller sees follows client visibility.
@Suite struct EventFeedTests {
    func all(_ app: TestApp, token: String, limit: Int = 2) async throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        var cursor: String?
        for _ in 0..<50 {
            let path = "/v1/events?limit=\(limit)" + (cursor.map { "&after=\($0)" } ?? "")
            let r = try await app.call("GET", path, token: token)
            #expect(r.status == 200)
            let page = try r.object()
            let items = (page["items"] as? [[String: Any]]) ?? []
            let next = try #require(page["nextCursor"] as? String)
            out += items
            if items.isEmpty { #expect(next == cursor || cursor == nil); break }
            cursor = next
        }
        return out
    }

    @Test func theFeedWithACursorReturnsEachEventOnceAndRespectsVisibility() async throws {
        let app = try await IsolatedDatabase.app()
        let world = try await WaitlistWorld.make(app: app, providers: 2)
        let a = try await world.placedClient()
        let b = try await world.placedClient(token: world.otherInsurer)  // insured with the non-preferent insurer
        let enrol = try await app.call("POST", "/v1/clients/\(a.id)/enrolment", token: world.providers[0].token)
        #expect(enrol.status == 201)
        #expect(try await app.call("POST", "/v1/clients/\(b.id)/birth", token: world.coordinator, json: ["bornOn": day(0)]).status == 200)

        try await app.eventsSettled()
        // Coordinator, group 2: all four events, with personal fields; each exactly once across pages.
        let coordinator = try await all(app, token: world.coordinator)
        #expect(coordinator.map { $0["type"] as? String } == ["client.placed", "client.placed", "client.enrolled", "client.birthReported"])
        #expect(Set(coordinator.compactMap { $0["id"] as? String }).count == 4)
        #expect((coordinator[0]["client"] as? [String: Any])?["firstName"] as? String == "Anna")
        // Showing personal fields is a read of personal data: it is in the audit log (NEN 7513).
        let audit = try app.items(try await app.admin("GET", "/v1/audit-events?clientId=\(a.id)"))
        #expect(
            audit.contains { $0["action"] as? String == "read" && ($0["details"] as? [String: Any])?["event"] as? String == "eventFeed" })

        // Group 1 of the same region: the same events, without personal fields.
        let group1 = try await all(app, token: world.coordinatorGroup1)
        #expect(group1.count == 4)
        #expect(
            group1.allSatisfy {
                ($0["client"] as? [String: Any])?["firstName"] == nil && ($0["client"] as? [String: Any])?["clientNumber"] != nil
            })

        // The non-preferent insurer sees only its own insured (b).
        let other = try await all(app, token: world.otherInsurer)
        #expect(Set(other.compactMap { ($0["client"] as? [String: Any])?["id"] as? String }) == [b.id])
        // The provider that enrolled a sees her; the other provider sees only waiting clients' events.
        let second = try await all(app, token: world.providers[1].token)
        #expect(!second.contains { ($0["client"] as? [String: Any])?["id"] as? String == a.id })
        // A provider that does not serve the region sees nothing.
        #expect(try await all(app, token: world.strangerProvider.token).isEmpty)

        // Polling again from the last cursor returns only what is new.
        let first = try await app.call("GET", "/v1/events?limit=500", token: world.coordinator).object()
        let cursor = try #require(first["nextCursor"] as? String)
        #expect(try app.items(try await app.call("GET", "/v1/events?after=\(cursor)", token: world.coordinator)).isEmpty)
        #expect(
            try await app.call("POST", "/v1/clients/\(b.id)/withdrawal", token: world.coordinator, json: ["reason": "verhuisd"]).status
                == 200)
        try await app.eventsSettled()
        let fresh = try app.items(try await app.call("GET", "/v1/events?after=\(cursor)", token: world.coordinator))
        #expect(fresh.map { $0["type"] as? String } == ["client.withdrawn"])

        #expect(try await app.call("GET", "/v1/events?after=garbage", token: world.coordinator).status == 400)
        await app.stop()
    }
}
