import FoundationEssentials
import Hashing
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Testing
import DatesAndIDs

/// Memberships through `MembershipWorkflows` and `IdentityWorkflows.createUser`: the organisation's kind
/// decides the roles, an organisation keeps a manager, refusals are the texts of `IdentityRefusals`.
@Suite struct MembershipWorkflowTests {
    typealias Fx = IdentityUseCaseFixtures

    @Test func theLastManagerCannotBeRemovedOrDemotedUntilSomeoneElseIsManager() async throws {
        let pool = try await Fx.pool()
        let workflows = MembershipWorkflows(pool: pool)
        let org = try await Fx.organization(.careProvider, pool)
        let first = try await Fx.member(NewMembership(organizationId: org.id, role: .careProvider, avgAccess: true, manager: true), pool)

        await #expect(throws: StoreError.refused([IdentityRefusals.lastManager])) {
            try await workflows.revokeMembership(id: first.id, by: Fx.admin())
        }
        await #expect(throws: StoreError.refused([IdentityRefusals.lastManager])) {
            _ = try await workflows.updateMembership(id: first.id, MembershipChanges(manager: false), by: Fx.admin())
        }
        #expect(IdentityRefusals.lastManager.message == "this is the organisation's last manager; make someone else manager first")
        #expect(
            try await Fx.count(
                pool,
                """
                SELECT count(*)::bigint AS n FROM memberships WHERE id = \(first.id) AND manager AND revoked_at IS NULL
                """) == 1)

        let second = try await Fx.member(NewMembership(organizationId: org.id, role: .careProvider, avgAccess: false), pool)
        _ = try await workflows.updateMembership(id: second.id, MembershipChanges(manager: true), by: Fx.admin())
        let admin = Fx.admin()
        try await workflows.revokeMembership(id: first.id, by: admin)
        #expect(
            try await Fx.count(pool, "SELECT count(*)::bigint AS n FROM memberships WHERE id = \(first.id) AND revoked_at IS NOT NULL") == 1
        )
        #expect(
            try await Fx.count(
                pool,
                """
                SELECT count(*)::bigint AS n FROM api_tokens WHERE membership_id = \(first.id) AND revoked_at IS NULL
                """) == 0)
        #expect(
            try await Fx.count(
                pool,
                """
                SELECT count(*)::bigint AS n FROM audit_events WHERE request_id = \(admin.requestId) AND object_type = 'membership'
                  AND object_id = \(first.id) AND action = 'delete' AND details->>'organizationId' = \(org.id.lowercasedString)
                """) == 1)
        // Now the second is the last one.
        await #expect(throws: StoreError.refused([IdentityRefusals.lastManager])) {
            try await workflows.revokeMembership(id: second.id, by: Fx.admin())
        }
    }

    @Test func onlyACoordinatorHasRegions() async throws {
        let pool = try await Fx.pool()
        let org = try await Fx.organization(.careProvider, pool)
        let member = try await Fx.member(NewMembership(organizationId: org.id, role: .careProvider, avgAccess: true), pool)
        await #expect(throws: StoreError.refused([IdentityRefusals.regionsOnlyForCoordinators])) {
            _ = try await MembershipWorkflows(pool: pool).updateMembership(
                id: member.id, MembershipChanges(regionIds: [UUID()]), by: Fx.admin())
        }
        // No regions is no region: that change is kept.
        let updated = try await MembershipWorkflows(pool: pool).updateMembership(
            id: member.id, MembershipChanges(avgAccess: false, regionIds: []),
            by: Fx.admin())
        #expect(updated.avgAccess == false && updated.regionIds.isEmpty)
    }

    @Test func aRoleTheOrganisationsKindDoesNotHaveIsRefusedAndNoUserIsWritten() async throws {
        let pool = try await Fx.pool()
        let org = try await Fx.organization(.careProvider, pool)
        let email = Fx.email()
        await #expect(throws: StoreError.refused([IdentityRefusals.roleNotAllowed(in: .careProvider)])) {
            _ = try await IdentityWorkflows(pool: pool).createUser(
                name: "Test", email: email, membership: NewMembership(organizationId: org.id, role: .coordinator, avgAccess: false),
                tokenHash: SecretToken.hash(SecretToken.generate()), tokenExpiresAt: Date().addingTimeInterval(3600), by: Fx.admin())
        }
        #expect(
            IdentityRefusals.roleNotAllowed(in: .register).message
                == "a register organisation has memberships with role admin, coordinator, practitioner only")
        #expect(try await Fx.count(pool, "SELECT count(*)::bigint AS n FROM users WHERE email = \(email)") == 0)
    }

    @Test func exactlyAPractitionerMembershipNamesHerRegisterRecord() async throws {
        let pool = try await Fx.pool()
        let register = try await pool.withConnection { conn in try #require(try await IdentityStore.registerOrganization(on: conn)) }
        await #expect(throws: StoreError.refused([IdentityRefusals.practitionerMembershipNamesRecord])) {
            _ = try await Fx.member(NewMembership(organizationId: nil, role: .practitioner, avgAccess: false), pool)
        }
        let ksv = try await Fx.organization(.ksv, pool)
        await #expect(throws: StoreError.refused([IdentityRefusals.onlyPractitionerMembershipNamesRecord])) {
            _ = try await Fx.member(
                NewMembership(organizationId: ksv.id, role: .coordinator, avgAccess: false, practitionerId: UUID()), pool)
        }
        // No organisation named: the register's.
        let coordinator = try await Fx.member(NewMembership(organizationId: nil, role: .coordinator, avgAccess: false), pool)
        #expect(coordinator.organizationId == register.id)
    }

    @Test func aMembershipInAnOrganisationThatDoesNotExistIsRefused() async throws {
        let pool = try await Fx.pool()
        let org = try await Fx.organization(.insurer, pool)
        let user = try await Fx.member(NewMembership(organizationId: org.id, role: .insurer, avgAccess: false), pool)
        let workflows = MembershipWorkflows(pool: pool)
        await #expect(throws: StoreError.refused([IdentityRefusals.noSuchOrganization(field: "organizationId")])) {
            _ = try await workflows.addMembership(
                userId: user.userId, NewMembership(organizationId: UUID(), role: .insurer, avgAccess: false),
                tokenHash: SecretToken.hash(SecretToken.generate()), tokenExpiresAt: Date(), by: Fx.admin())
        }
        await #expect(throws: StoreError.notFound("user")) {
            _ = try await workflows.addMembership(
                userId: UUID(), NewMembership(organizationId: org.id, role: .insurer, avgAccess: false),
                tokenHash: SecretToken.hash(SecretToken.generate()), tokenExpiresAt: Date(), by: Fx.admin())
        }
    }
}
