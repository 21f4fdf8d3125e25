import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing
import DatesAndIDs

/// Strike-off and deregistration through `RegisterWorkflows`: once each, decided under the lock on her record.
@Suite struct StandingWorkflowTests {
    typealias Fx = RegisterFixtures

    @Test func strikingHerOffCancelsHerUpcomingPeriodAndStrikingHerOffAgainIsRefusedWithTheDateOfTheFirst() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let (p, _) = try await Fx.practitioner(store, start: CivilDate(2019, 6, 1))
        let upcoming: UUID = try await pool.query(
            """
            INSERT INTO registration_periods (practitioner_id, start_date, end_date, registered_on, norm_code, status)
            VALUES (\(p.id), '2023-06-01', '2027-05-31', '2023-06-01', '2023', 'upcoming') RETURNING id
            """)[0].decode("id")
        let workflows = RegisterWorkflows(store: store, clock: Fx.clock(CivilDate(2022, 3, 1)))
        let admin = Fx.admin()

        let struck = try await workflows.strikeOff(practitionerId: p.id, on: CivilDate(2022, 3, 1), reason: "Tuchtrecht", by: admin)
        #expect(struck.struckOffOn == CivilDate(2022, 3, 1) && struck.struckOffReason == "Tuchtrecht")
        #expect(
            try await Fx.count(
                pool, "SELECT count(*)::bigint AS n FROM registration_periods WHERE id = \(upcoming) AND status = 'cancelled'") == 1)

        await #expect(throws: StoreError.conflict(RegisterRefusals.alreadyStruckOff(on: CivilDate(2022, 3, 1)))) {
            _ = try await workflows.strikeOff(practitionerId: p.id, on: CivilDate(2022, 4, 1), reason: "Nogmaals", by: admin)
        }
        #expect(RegisterRefusals.alreadyStruckOff(on: CivilDate(2022, 3, 1)) == "she is already struck off (2022-03-01)")
        let kept = try #require(try await store.practitioner(id: p.id))
        #expect(kept.struckOffOn == CivilDate(2022, 3, 1) && kept.struckOffReason == "Tuchtrecht")
        #expect(
            try await Fx.count(
                pool,
                """
                SELECT count(*)::bigint AS n FROM audit_events WHERE request_id = \(admin.requestId) AND object_type = 'practitioner'
                  AND object_id = \(p.id) AND details->>'action' = 'strikeOff' AND details->>'on' = '2022-03-01'
                """) == 1)
    }

    @Test func deregisteringHerTwiceIsRefusedWithTheDateOfTheFirst() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let (p, _) = try await Fx.practitioner(store, start: CivilDate(2019, 6, 1))
        let workflows = RegisterWorkflows(store: store, clock: Fx.clock(CivilDate(2022, 3, 1)))
        let admin = Fx.admin()

        let gone = try await workflows.deregister(practitionerId: p.id, on: CivilDate(2022, 5, 1), by: admin)
        #expect(gone.deregisteredOn == CivilDate(2022, 5, 1))
        await #expect(throws: StoreError.conflict(RegisterRefusals.alreadyDeregistered(on: CivilDate(2022, 5, 1)))) {
            _ = try await workflows.deregister(practitionerId: p.id, on: CivilDate(2022, 6, 1), by: admin)
        }
        #expect(RegisterRefusals.alreadyDeregistered(on: CivilDate(2022, 5, 1)) == "she is already deregistered (2022-05-01)")
        #expect(try await store.practitioner(id: p.id)?.deregisteredOn == CivilDate(2022, 5, 1))
        #expect(
            try await Fx.count(
                pool,
                """
                SELECT count(*)::bigint AS n FROM audit_events WHERE request_id = \(admin.requestId) AND object_id = \(p.id)
                  AND details->>'action' = 'deregistration'
                """) == 1)
    }

    @Test func aPractitionerWhoDoesNotExistIsNotFound() async throws {
        let workflows = RegisterWorkflows(store: RegisterStore(pool: try await Fx.shared.value), clock: Fx.clock(CivilDate(2022, 3, 1)))
        await #expect(throws: StoreError.notFound("practitioner")) {
            _ = try await workflows.strikeOff(practitionerId: UUID(), on: CivilDate(2022, 3, 1), reason: "x", by: Fx.admin())
        }
    }
}
