import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Testing

/// Organisations through `IdentityWorkflows`: only an insurer has labels, one level deep.
@Suite struct OrganizationWorkflowTests {
    typealias Fx = IdentityUseCaseFixtures

    @Test func anInsurerHasLabelsButALabelHasNoneAndNoOtherKindHasAny() async throws {
        let pool = try await Fx.pool()
        let workflows = IdentityWorkflows(pool: pool)
        let insurer = try await Fx.organization(.insurer, pool)
        let label = try await workflows.createOrganization(
            NewOrganization(
                kind: .insurer, name: "Label \(UUID().uuidString.prefix(6))",
                parentId: insurer.id), by: Fx.admin())
        #expect(label.parentId == insurer.id)

        let provider = try await Fx.organization(.careProvider, pool)
        let refused: [NewOrganization] = [
            NewOrganization(kind: .insurer, name: "Label van label", parentId: label.id),
            NewOrganization(kind: .careProvider, name: "Zorgaanbieder onder verzekeraar", parentId: insurer.id),
            NewOrganization(kind: .insurer, name: "Verzekeraar onder zorgaanbieder", parentId: provider.id),
        ]
        for new in refused {
            await #expect(throws: StoreError.refused([IdentityRefusals.labelsOnlyUnderInsurers])) {
                _ = try await workflows.createOrganization(new, by: Fx.admin())
            }
        }
        await #expect(throws: StoreError.refused([IdentityRefusals.noSuchOrganization(field: "parentId")])) {
            _ = try await workflows.createOrganization(NewOrganization(kind: .insurer, name: "Wees", parentId: UUID()), by: Fx.admin())
        }
        #expect(
            try await Fx.count(
                pool,
                """
                SELECT count(*)::bigint AS n FROM organizations WHERE name IN ('Label van label', 'Zorgaanbieder onder verzekeraar',
                                                                               'Verzekeraar onder zorgaanbieder', 'Wees')
                """) == 0)
    }
}
