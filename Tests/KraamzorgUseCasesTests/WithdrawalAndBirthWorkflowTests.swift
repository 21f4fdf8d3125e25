import Foundation
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing

/// Withdrawal, birth reports and the retention erasure through `ClientWorkflows`.
@Suite struct WithdrawalAndBirthWorkflowTests {
    @Test func aWithdrawalErasesHerPersonalFieldsAndWritesTheAuditEvent() async throws {
        let world = try await WaitlistWorld.make(providers: 1)
        let clientId = try await world.waitingClient()
        let out = try await ClientWorkflows(pool: world.pool).withdraw(
            clientId: clientId, reason: "verhuisd", consentWithdrawn: true,
            by: actor("client"))
        #expect(out.status == .withdrawn)
        #expect(out.firstName == nil && out.lastName == nil && out.email == nil && out.phone == nil && out.postcode == nil)
        #expect(out.postcodeArea.value == world.area)
        let row = try await world.pool.query(
            """
            SELECT first_name, last_name, email, phone, postcode, erased_at, withdrawal_reason FROM clients WHERE id = \(clientId)
            """)[0]
        for column in ["first_name", "last_name", "email", "phone", "postcode"] { #expect(row.isNull(column)) }
        #expect(!row.isNull("erased_at"))
        // The reason is free text (it may name her): erased with her other personal data.
        #expect(try row.decode("withdrawal_reason", as: String.self) == ClientPersonalData.placeholder)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM audit_events WHERE client_id = \(clientId) AND action = 'update' AND role = 'client'
                  AND details->>'event' = 'withdrawn' AND details->>'reasonGiven' = 'true' AND NOT details ? 'reason'
                  AND details->>'consentWithdrawn' = 'true'
                """) == 1)
        #expect(try await world.count("SELECT count(*) FROM events WHERE client_id = \(clientId) AND type = 'client.withdrawn'") == 1)
        #expect(try await world.count("SELECT count(*) FROM consents WHERE client_id = \(clientId) AND withdrawn_at IS NULL") == 0)
        // Her link keeps working at most 30 days more.
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM client_links WHERE client_id = \(clientId) AND expires_at > now() + interval '30 days 1 minute'
                """) == 0)
        #expect(
            try await world.count(
                "SELECT count(*) FROM client_links WHERE client_id = \(clientId) AND expires_at > now() + interval '29 days'") == 1)
    }

    @Test func aWithdrawalByACoordinatorKeepsHerConsentRecordAndCannotBeRepeated() async throws {
        let world = try await WaitlistWorld.make(providers: 0)
        let clientId = try await world.waitingClient()
        let workflows = ClientWorkflows(pool: world.pool)
        _ = try await workflows.withdraw(clientId: clientId, reason: "dubbel", consentWithdrawn: false, by: actor("coordinator"))
        #expect(try await world.count("SELECT count(*) FROM consents WHERE client_id = \(clientId) AND withdrawn_at IS NULL") == 1)
        await #expect(throws: StoreError.conflict("a client with status withdrawn cannot be withdrawn")) {
            try await workflows.withdraw(clientId: clientId, reason: "nog eens", consentWithdrawn: false, by: actor("coordinator"))
        }
    }

    @Test func aBirthBeforeEnrolmentTellsTheCoordinatorsAndProvidersAtOnceAndOnlyOnce() async throws {
        let world = try await WaitlistWorld.make(providers: 2)
        let clientId = try await world.waitingClient()
        let workflows = ClientWorkflows(pool: world.pool)
        let bornOn = CivilDate(2031, 5, 20)
        let b = try await workflows.reportBirth(clientId: clientId, bornOn: bornOn, by: actor("client"))
        #expect(b.status == .birthReported && b.bornOn == bornOn)
        let subject = "SPOED: bevallen zonder kraamzorg (\(world.waitlistName))"
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM notifications WHERE client_id = \(clientId) AND kind = 'urgentBirthNotice' AND recipient = \(world.coordinatorEmail)
                  AND subject = \(subject) AND body LIKE 'SPOED: deze cliënt op wachtlijst %is op 2031-05-20 bevallen zonder kraamzorg.%'
                """) == 1)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM notifications WHERE client_id = \(clientId) AND kind = 'urgentBirthNotice'
                  AND organization_id = ANY(\(world.providers)::uuid[]) AND subject = \(subject)
                """) == 2)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM events WHERE client_id = \(clientId) AND type = 'client.birthReported' AND data->>'bornOn' = '2031-05-20'
                """) == 1)
        await #expect(throws: StoreError.conflict("a birth can only be reported for a waiting client (status birthReported)")) {
            try await workflows.reportBirth(clientId: clientId, bornOn: bornOn, by: actor("client"))
        }
    }

    @Test func retentionErasesHerPersonalFieldsSixMonthsAfterTheDueDateOfTheClocksDay() async throws {
        let world = try await WaitlistWorld.make(providers: 0)
        let due = CivilDate(2020, 1, 15)
        let old = try await world.waitingClient(dueDate: due)
        let later = try await world.waitingClient(dueDate: CivilDate(2020, 1, 16))
        let dayBefore = ClientWorkflows(pool: world.pool, clock: .fixed(moment("2020-07-14T12:00:00+02:00")))
        #expect(!(try await dayBefore.erasePersonalData()).contains(old))
        let sixMonths = ClientWorkflows(pool: world.pool, clock: .fixed(moment("2020-07-15T00:10:00+02:00")))
        let erased = try await sixMonths.erasePersonalData()
        #expect(erased.contains(old) && !erased.contains(later))
        let row = try await world.pool.query("SELECT first_name, email, phone, postcode, client_number FROM clients WHERE id = \(old)")[0]
        #expect(
            row.isNull("first_name") && row.isNull("email") && row.isNull("phone") && row.isNull("postcode") && !row.isNull("client_number")
        )
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM audit_events WHERE client_id = \(old) AND action = 'delete' AND user_name = 'system' AND details->>'event' = 'retentionErasure'
                """) == 1)
        #expect(try await world.count("SELECT count(*) FROM clients WHERE id = \(later) AND first_name = 'Anna'") == 1)
    }
}
