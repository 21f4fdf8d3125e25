import Foundation
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing

/// The weekly update through `WeeklyUpdateWorkflow`, on a connection as the job gives it.
@Suite struct WeeklyUpdateWorkflowTests {
    @Test func theWeeklyUpdateCountsLastWeeksPlacementForTheCoordinatorsAndThePreferentInsurer() async throws {
        let world = try await WaitlistWorld.make(providers: 1)
        let due = CivilDate(2031, 6, 1)
        _ = try await world.waitingClient(dueDate: due)
        // A week from now, "last week" is this week, when she was placed.
        let thisWeek = ISOWeek(containing: DutchClock.system.today)
        let workflow = WeeklyUpdateWorkflow(waitlists: WaitlistStore(pool: world.pool), clients: ClientStore(pool: world.pool))
        let sent = try await world.pool.withTransaction { conn in
            try await workflow.send(asOf: DutchClock.system.today.adding(weeks: 1), on: conn)
        }
        #expect(sent.week == thisWeek && sent.messages >= 2)
        let subject = "Weekoverzicht wachtlijst \(world.waitlistName) (\(thisWeek.description))"
        let body = """
            Weekoverzicht van wachtlijst \(world.waitlistName), week \(thisWeek.description).
            Alleen cliënten die u mag zien zijn meegeteld.

            Totaal: 1 wachtend, 0 urgent, 0 ingeschreven, 1 nieuw geplaatst.

            Per week van de uitgerekende datum (wachtend / urgent / ingeschreven / nieuw):
            \(ISOWeek(containing: due).description): 1 / 0 / 0 / 1

            Teruggegeven cliënten deze week, per kraamzorgaanbieder:
            (geen)
            """
        let toCoordinator = try await world.pool.query(
            """
            SELECT body FROM notifications WHERE kind = 'weeklyUpdate' AND recipient = \(world.coordinatorEmail) AND subject = \(subject)
            """)
        #expect(toCoordinator.count == 1)
        #expect(try toCoordinator.first?.decode("body", as: String.self) == body)
        let toInsurer = try await world.pool.query(
            """
            SELECT body FROM notifications WHERE kind = 'weeklyUpdate' AND organization_id = \(world.insurerId) AND subject = \(subject)
            """)
        #expect(try toInsurer.map { try $0.decode("body", as: String.self) } == [body])
    }
}
