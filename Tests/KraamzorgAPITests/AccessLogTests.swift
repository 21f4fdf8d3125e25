import Foundation
import PostgresClient
import Testing
import TestSupport

/// Her access log through her link (DOMAIN §8): newest first, her own views left out, identical accesses
/// merged, each line named as she would recognise the organisation and role.
@Suite struct AccessLogTests {
    @Test func newestFirstWithoutHerOwnViewsMergedAndNamedAsSheKnowsThem() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let client = try await world.placedClient()
        // Her own visits: never listed.
        for _ in 0..<2 { #expect(try await app.call("GET", "/v1/client-links/\(client.link)").status == 200) }
        for _ in 0..<3 { #expect(try await app.call("GET", "/v1/clients/\(client.id)", token: world.coordinator).status == 200) }
        let enrolled = try await app.call("POST", "/v1/clients/\(client.id)/enrolment", token: world.providers[0].token)
        #expect(enrolled.status == 201)
        let providerName = try #require(try enrolled.object()["providerName"] as? String)
        #expect(try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)", token: world.insurer).status == 200)
        let insurerName = try #require(try await app.admin("GET", "/v1/organizations/\(world.insurerId)").object()["name"] as? String)

        let log = try await app.call("GET", "/v1/client-links/\(client.link)/access-log")
        #expect(log.status == 200)
        // Admins of the register may read her too (other suites read the outbox meanwhile): left aside here.
        let items = try app.items(log).filter { $0["role"] as? String != "admin" }
        // Newest first.
        let times = items.compactMap { $0["at"] as? String }
        #expect(times.count == items.count && times == times.sorted(by: >))
        #expect(!items.contains { $0["role"] as? String == "client" })
        let whos = items.compactMap { $0["who"] as? String }
        #expect(whos.count == items.count)
        #expect(whos.first == "\(insurerName) (zorgverzekeraar)")  // the list search, the newest
        #expect(items.first?["action"] as? String == "search")
        #expect(items[1]["who"] as? String == "\(providerName) (kraamzorgaanbieder)")
        #expect(items[1]["action"] as? String == "update")
        // The coordinator's three reads are one line, named after her region, not the register.
        let coordinatorReads = items.filter { $0["role"] as? String == "coordinator" && $0["action"] as? String == "read" }
        #expect(coordinatorReads.count == 1)
        #expect(coordinatorReads.first?["times"] as? Int == 3)
        #expect(coordinatorReads.first?["who"] as? String == "Coördinator wachtlijst Regio \(world.pc4)")
        #expect(coordinatorReads.first?["organization"] as? String == "Wachtlijst kraamzorg Regio \(world.pc4)")
        // The invitation by her insurer is the oldest line.
        #expect(items.last?["action"] as? String == "create")
        #expect(items.last?["who"] as? String == "\(insurerName) (zorgverzekeraar)")
        // Reading her log is itself logged (as hers, so not listed).
        let uuid = UUID(uuidString: client.id)!
        #expect(try await app.count("SELECT count(*) FROM audit_events WHERE client_id = \(uuid) AND object_type = 'accessLog'") == 1)
    }
}
