import Foundation
import Hashing
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing

/// Step 2 and the acceptance through `ClientWorkflows`.
@Suite struct InvitationWorkflowTests {
    @Test func anInvitationExpiresFourteenDaysAfterTheClocksMomentAndSendsHerTheLink() async throws {
        let world = try await WaitlistWorld.make(providers: 1)
        let now = moment("2031-02-01T10:00:00+01:00")
        let token = SecretToken.generate()
        let created = try await ClientWorkflows(pool: world.pool, clock: .fixed(now))
            .createInvitation(
                world.newInvitation(number: "CN-\(UUID().uuidString.prefix(8))", token: token), invitedBy: nil,
                by: actor("insurer", world.insurerId))
        #expect(created.expiresAt == now.addingTimeInterval(14 * 86_400))
        let mail = try await world.pool.query(
            "SELECT recipient, subject, body, link FROM notifications WHERE client_id = \(created.clientId) AND kind = 'invitation'")
        #expect(mail.count == 1)
        #expect(try mail[0].decode("recipient", as: String.self) == "client@example.nl")
        #expect(try mail[0].decode("subject", as: String.self) == "Uitnodiging: wachtlijst kraamzorg \(world.regionName)")
        #expect(try mail[0].decode("body", as: String.self).hasSuffix("De link werkt 14 dagen en één keer."))
        #expect(try mail[0].decode("link", as: String.self) == "https://kraamzorg.test/uitnodiging/\(token)")
        #expect(try await world.count("SELECT count(*) FROM clients WHERE id = \(created.clientId) AND status = 'invited'") == 1)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM audit_events WHERE client_id = \(created.clientId) AND action = 'create' AND details->>'event' = 'invited'
                """) == 1)
    }

    @Test func anActiveClientNumberCannotBeInvitedTwiceAndOnlyAnInsurerInvites() async throws {
        let world = try await WaitlistWorld.make(providers: 0)
        let workflows = ClientWorkflows(pool: world.pool)
        let number = "CN-\(UUID().uuidString.prefix(8))"
        _ = try await workflows.createInvitation(
            world.newInvitation(number: number, token: SecretToken.generate()), invitedBy: nil, by: actor("insurer"))
        await #expect(throws: StoreError.conflict("this client number is already active for this insurer")) {
            try await workflows.createInvitation(
                world.newInvitation(number: " \(number.lowercased()) ", token: SecretToken.generate()),
                invitedBy: nil, by: actor("insurer"))
        }
        var byProvider = world.newInvitation(number: "CN-\(UUID().uuidString.prefix(8))", token: SecretToken.generate())
        byProvider.insurerId = world.providers.first ?? world.strangerProvider
        await #expect(throws: StoreError.refused([.init(field: "insurerId", message: "must be an existing insurer")])) {
            try await workflows.createInvitation(byProvider, invitedBy: nil, by: actor("coordinator"))
        }
    }

    @Test func acceptanceWithConsentPlacesHerAndTellsTheRegionsProviders() async throws {
        let world = try await WaitlistWorld.make(providers: 2)
        let workflows = ClientWorkflows(pool: world.pool)
        let token = SecretToken.generate(), linkToken = SecretToken.generate()
        let created = try await workflows.createInvitation(
            world.newInvitation(number: "CN-\(UUID().uuidString.prefix(8))", token: token),
            invitedBy: nil, by: actor("insurer"))
        let view = try #require(try await workflows.invitation(tokenHash: SecretToken.hash(token), actor: actor("client")))
        #expect(view.clientId == created.clientId && view.region.name == world.regionName)
        let placed = try await workflows.accept(
            tokenHash: SecretToken.hash(token), world.acceptance(linkToken: linkToken), actor: actor("client"))
        #expect(placed.status == .waiting && placed.firstName == "Anna" && placed.postcode == world.postcode)
        let clientId = created.clientId
        #expect(try await world.count("SELECT count(*) FROM consents WHERE client_id = \(clientId) AND version = '2026-1'") == 1)
        #expect(try await world.count("SELECT count(*) FROM invitations WHERE client_id = \(clientId) AND used_at IS NOT NULL") == 1)
        // Her link works until the start of the 91st day after her due date, Dutch time.
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM client_links WHERE client_id = \(clientId) AND expires_at = '2031-08-31 00:00:00+02'::timestamptz
                """) == 1)
        let confirmation = try await world.pool.query(
            """
            SELECT subject, body, link FROM notifications WHERE client_id = \(clientId) AND kind = 'placementConfirmation'
            """)
        #expect(confirmation.count == 1)
        #expect(try confirmation[0].decode("subject", as: String.self) == "U staat op de wachtlijst kraamzorg \(world.regionName)")
        #expect(try confirmation[0].decode("body", as: String.self).hasSuffix("Vragen en antwoorden:\nV: Wat nu? A: Wacht op bericht."))
        #expect(try confirmation[0].decode("link", as: String.self) == "https://kraamzorg.test/aanmelding/\(linkToken)")
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM notifications WHERE client_id = \(clientId) AND kind = 'providerNotice'
                  AND organization_id = ANY(\(world.providers)::uuid[]) AND subject = \("Nieuwe cliënt op wachtlijst \(world.waitlistName)")
                """) == 2)
        #expect(try await world.count("SELECT count(*) FROM events WHERE client_id = \(clientId) AND type = 'client.placed'") == 1)
        // The link is used: a second acceptance finds no invitation.
        await #expect(throws: StoreError.notFound("invitation")) {
            try await workflows.accept(
                tokenHash: SecretToken.hash(token), world.acceptance(linkToken: SecretToken.generate()), actor: actor("client"))
        }
        #expect(try await workflows.invitation(tokenHash: SecretToken.hash(token), actor: actor("client")) == nil)
    }

    @Test func anAcceptanceOutsideTheWaitlistIsRefusedWithEveryReason() async throws {
        let world = try await WaitlistWorld.make(providers: 1, dueFrom: CivilDate(2031, 1, 1), dueTo: CivilDate(2031, 12, 31))
        let workflows = ClientWorkflows(pool: world.pool)
        let token = SecretToken.generate()
        _ = try await workflows.createInvitation(
            world.newInvitation(number: "CN-\(UUID().uuidString.prefix(8))", token: token),
            invitedBy: nil, by: actor("insurer"))
        _ = try await world.pool.execute("UPDATE waitlists SET status = 'closed' WHERE id = \(world.waitlistId)")
        do {
            _ = try await workflows.accept(
                tokenHash: SecretToken.hash(token), world.acceptance(linkToken: SecretToken.generate(), dueDate: CivilDate(2032, 2, 1)),
                actor: actor("client"))
            Issue.record("the acceptance was not refused")
        } catch StoreError.refused(let reasons) {
            #expect(reasons.map(\.field) == ["waitlist", "dueDate"])
        }
        #expect(
            try await world.count(
                "SELECT count(*) FROM notifications WHERE kind = 'placementConfirmation' AND link LIKE '%aanmelding%' AND client_id IN (SELECT id FROM clients WHERE waitlist_id = \(world.waitlistId))"
            ) == 0)
    }
}
