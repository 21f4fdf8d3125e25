import Foundation
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing

/// Enrolment and hand-back through `ClientWorkflows`, against the real database.
@Suite struct EnrolmentWorkflowTests {
    @Test func twentyConcurrentEnrolmentsHaveExactlyOneWinner() async throws {
        let world = try await WaitlistWorld.make(providers: 20)
        let clientId = try await world.waitingClient()
        let workflows = ClientWorkflows(pool: world.pool)
        let outcomes = await withTaskGroup(of: Result<UUID, StoreError>.self) { group in
            for provider in world.providers {
                group.addTask {
                    do {
                        _ = try await workflows.enrol(
                            clientId: clientId, viewer: world.providerViewer(provider), providerId: provider,
                            by: actor("careProvider", provider))
                        return .success(provider)
                    } catch let error as StoreError {
                        return .failure(error)
                    } catch {
                        return .failure(.conflict("unexpected: \(error)"))
                    }
                }
            }
            var all: [Result<UUID, StoreError>] = []
            for await r in group { all.append(r) }
            return all
        }
        let winners = outcomes.compactMap { try? $0.get() }
        #expect(winners.count == 1)
        let refusals = outcomes.compactMap { r -> StoreError? in if case .failure(let e) = r { e } else { nil } }
        #expect(refusals.count == 19)
        #expect(refusals.allSatisfy { $0 == .conflict("this client is already enrolled by a care provider") })
        let row = try await world.pool.query("SELECT status, enrolling_provider_id FROM clients WHERE id = \(clientId)")[0]
        #expect(try row.decode("status", as: String.self) == "enrolled")
        #expect(try row.decode("enrolling_provider_id", as: UUID.self) == winners.first)
        #expect(try await world.count("SELECT count(*) FROM events WHERE client_id = \(clientId) AND type = 'client.enrolled'") == 1)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM audit_events WHERE client_id = \(clientId) AND action = 'update' AND details->>'event' = 'enrolled'
                """) == 1)
    }

    @Test func theFixedClockDecidesTheDutchDayOfEnrolment() async throws {
        let world = try await WaitlistWorld.make(providers: 1)
        let clientId = try await world.waitingClient()
        // 23:30 UTC on 4 March is 00:30 on 5 March in Amsterdam (CET).
        let workflows = ClientWorkflows(pool: world.pool, clock: .fixed(moment("2031-03-04T23:30:00Z")))
        let provider = world.providers[0]
        let enrolled = try await workflows.enrol(
            clientId: clientId, viewer: world.providerViewer(provider), providerId: provider,
            by: actor("careProvider", provider))
        #expect(enrolled.enrolledOn == CivilDate(2031, 3, 5))
        let stored: CivilDate = try await world.pool.query("SELECT enrolled_on FROM clients WHERE id = \(clientId)")[0].decode(
            "enrolled_on")
        #expect(stored == CivilDate(2031, 3, 5))
    }

    @Test func enrolmentTellsHerTheOtherProvidersAndHerInsurer() async throws {
        let world = try await WaitlistWorld.make(providers: 3)
        let clientId = try await world.waitingClient()
        let provider = world.providers[0]
        _ = try await ClientWorkflows(pool: world.pool).enrol(
            clientId: clientId, viewer: world.providerViewer(provider), providerId: provider,
            by: actor("careProvider", provider))
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM notifications WHERE client_id = \(clientId) AND kind = 'enrolmentNotice' AND recipient = 'anna@example.nl'
                """) == 1)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM notifications WHERE client_id = \(clientId) AND kind = 'enrolmentNotice'
                  AND organization_id = ANY(\(Array(world.providers.dropFirst()))::uuid[]) AND subject = \("Cliënt geplaatst (\(world.waitlistName))")
                """) == 2)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM notifications WHERE client_id = \(clientId) AND organization_id = \(provider) AND kind = 'enrolmentNotice'
                """) == 0)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM notifications WHERE client_id = \(clientId) AND kind = 'enrolmentNotice' AND organization_id = \(world.insurerId)
                """) == 1)
    }

    @Test func aReleasePutsHerBackToWaitingAndTellsTheRegionsProviders() async throws {
        let world = try await WaitlistWorld.make(providers: 3)
        let clientId = try await world.waitingClient()
        let provider = world.providers[1]
        let workflows = ClientWorkflows(pool: world.pool, clock: .fixed(moment("2031-03-10T09:00:00+01:00")))
        _ = try await workflows.enrol(
            clientId: clientId, viewer: world.providerViewer(provider), providerId: provider, by: actor("careProvider", provider))
        let released = try await workflows.release(
            clientId: clientId, viewer: world.providerViewer(provider), providerId: provider,
            reason: "geen plek meer", by: actor("careProvider", provider))
        #expect(released.status == .waiting)
        #expect(released.enrollingProviderId == nil && released.enrolledOn == nil)
        let notices = try await world.pool.query(
            """
            SELECT organization_id, subject, status FROM notifications WHERE client_id = \(clientId) AND kind = 'providerNotice'
            """)
        #expect(Set(try notices.map { try $0.decode("organization_id", as: UUID.self) }) == Set(world.providers))
        #expect(
            try notices.allSatisfy { try $0.decode("subject", as: String.self) == "Cliënt weer op de wachtlijst \(world.waitlistName)" })
        #expect(try notices.allSatisfy { try $0.decode("status", as: String.self) == "pending" })
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM notifications WHERE client_id = \(clientId) AND organization_id = \(world.strangerProvider)
                """) == 0)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM audit_events WHERE client_id = \(clientId) AND details->>'event' = 'released' AND details->>'reasonGiven' = 'true'
                  AND NOT details ? 'reason'
                """) == 1)
        #expect(try await world.count("SELECT count(*) FROM events WHERE client_id = \(clientId) AND type = 'client.released'") == 1)
    }

    @Test func aReleaseAfterSevenDaysIsRefusedByTheRulesWithTheClocksDay() async throws {
        let world = try await WaitlistWorld.make(providers: 1)
        let clientId = try await world.waitingClient()
        let provider = world.providers[0]
        _ = try await ClientWorkflows(pool: world.pool, clock: .fixed(moment("2031-03-01T12:00:00+01:00")))
            .enrol(clientId: clientId, viewer: world.providerViewer(provider), providerId: provider, by: actor("careProvider", provider))
        let late = ClientWorkflows(pool: world.pool, clock: .fixed(moment("2031-03-09T12:00:00+01:00")))
        await #expect(throws: StoreError.self) {
            try await late.release(
                clientId: clientId, viewer: world.providerViewer(provider), providerId: provider, reason: "te laat",
                by: actor("careProvider", provider))
        }
        let status: String = try await world.pool.query("SELECT status FROM clients WHERE id = \(clientId)")[0].decode("status")
        #expect(status == "enrolled")
    }
}
