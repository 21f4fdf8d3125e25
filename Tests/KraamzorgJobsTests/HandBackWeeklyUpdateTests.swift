import Foundation
import KraamzorgJobs
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing

/// The weekly update counts last week's hand-backs per provider (DOMAIN §7a), per each recipient's visibility.
@Suite struct HandBackWeeklyUpdateTests {
    @Test func theWeeklyUpdateCountsHandBacksPerProviderForCoordinatorsAndInsurersThatSeeThem() async throws {
        let db = try await JobsDatabase.make()
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 2)
        let otherInsurerId = try await WaitlistWorld.organization("insurer", db.pool)
        try await WaitlistWorld.member(of: otherInsurerId, role: "insurer", regionIds: [], db.pool)
        try await WaitlistWorld.member(of: world.insurerId, role: "insurer", regionIds: [], db.pool)
        let names = try await db.pool.query(
            "SELECT id, name FROM organizations WHERE id = ANY(\(world.providers)::uuid[])"
        ).reduce(into: [UUID: String]()) { $0[try $1.decode("id")] = try $1.decode("name") }
        let first = try #require(names[world.providers[0]]), second = try #require(names[world.providers[1]])

        // Last week (the job runs on Wednesday 2031-03-05 for week 2031-W09): the first provider hands back two
        // clients, the second one; the week before, the second one more (not counted).
        func handBack(_ provider: UUID, on day: CivilDate, insurerId: UUID? = nil) async throws {
            let client = try await world.placedClient(insurerId: insurerId)
            let workflows = ClientWorkflows(pool: db.pool, clock: .fixed(noon(day)))
            _ = try await workflows.enrol(
                clientId: client, viewer: world.providerViewer(provider), providerId: provider, by: actor("careProvider", provider))
            _ = try await workflows.release(
                clientId: client, viewer: world.providerViewer(provider), providerId: provider, reason: "vol",
                by: actor("careProvider", provider))
        }
        try await handBack(world.providers[0], on: CivilDate(2031, 2, 25))
        try await handBack(world.providers[0], on: CivilDate(2031, 2, 27))
        try await handBack(world.providers[1], on: CivilDate(2031, 3, 1))
        try await handBack(world.providers[1], on: CivilDate(2031, 2, 20))
        _ = try await world.placedClient(insurerId: otherInsurerId)  // so the other insurer has a waitlist to hear of

        let run = try #require(try await db.scheduler().run("weekly-update", now: noon(CivilDate(2031, 3, 5))))
        #expect(run.ran == true)
        let messages = try await db.pool.query(
            "SELECT organization_id, body FROM notifications WHERE kind = 'weeklyUpdate'"
        ).map { (try $0.decode("organization_id", as: UUID?.self), try $0.decode("body", as: String.self)) }
        let coordinators = messages.filter { $0.0 != world.insurerId && $0.0 != otherInsurerId }
        #expect(!coordinators.isEmpty)
        for (_, body) in coordinators + messages.filter({ $0.0 == world.insurerId }) {
            #expect(body.contains("Teruggegeven cliënten deze week, per kraamzorgaanbieder:\n\(first): 2\n\(second): 1"))
        }
        // The non-preferent insurer sees none of these clients, so no hand-backs either.
        let other = messages.filter { $0.0 == otherInsurerId }
        #expect(other.count == 1)
        #expect(other.allSatisfy { $0.1.contains("per kraamzorgaanbieder:\n(geen)") })
        await db.close()
    }
}
