import Foundation
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing

/// Regions and waitlists through `RegionWorkflows` and `WaitlistWorkflows`: the rules' checks, named refusals, audit events.
@Suite struct RegionAndWaitlistWorkflowTests {
    @Test func aRegionOverlappingAnotherIsRefusedNamingThatRegionAndNothingIsWritten() async throws {
        let world = try await WaitlistWorld.make(providers: 0)
        let regions = RegionWorkflows(pool: world.pool)
        let other = PostcodeAreas.take()
        let name = "Overlap \(UUID().uuidString.prefix(6))"
        let new = NewRegion(
            name: name, postcodeRanges: [try PostcodeRange(from: world.area, to: world.area), try PostcodeRange(from: other, to: other)],
            preferentInsurerIds: [], clientInfo: "")
        await #expect(
            throws: StoreError.conflict("postcode areas \(world.area)–\(world.area) already belong to region \(world.regionName)")
        ) {
            try await regions.createRegion(new, by: actor("admin"))
        }
        #expect(try await world.count("SELECT count(*) FROM regions WHERE name = \(name)") == 0)
        let created = try await regions.createRegion(
            NewRegion(
                name: name, postcodeRanges: [try PostcodeRange(from: other, to: other)],
                preferentInsurerIds: [world.insurerId], clientInfo: "Q&A"), by: actor("admin"))
        #expect(created.preferentInsurerIds == [world.insurerId] && created.postcodeRanges.count == 1)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM audit_events WHERE object_id = \(created.id) AND object_type = 'region' AND action = 'create'
                """) == 1)
    }

    @Test func preferentInsurersMustBeInsurers() async throws {
        let world = try await WaitlistWorld.make(providers: 1)
        await #expect(
            throws: StoreError.refused([.init(field: "preferentInsurerIds", message: "every id must be an existing insurer organisation")])
        ) {
            try await RegionWorkflows(pool: world.pool).updateRegion(
                id: world.regionId, RegionChanges(preferentInsurerIds: [world.providers[0]]),
                by: actor("admin"))
        }
    }

    @Test func overlappingDueDatesInARegionAreRefusedAndAdjacentOnesAccepted() async throws {
        let world = try await WaitlistWorld.make(providers: 0, dueFrom: CivilDate(2031, 1, 1), dueTo: CivilDate(2031, 6, 30))
        let waitlists = WaitlistWorkflows(pool: world.pool)
        await #expect(
            throws: StoreError.conflict("the due dates 2031-06-01…2031-06-30 are already covered by another waitlist of this region")
        ) {
            try await waitlists.createWaitlist(
                regionId: world.regionId, name: "Te veel", status: .open,
                dueDates: try DueDateRange(dueFrom: CivilDate(2031, 6, 1), dueTo: CivilDate(2031, 12, 31)), by: actor("coordinator"))
        }
        let next = try await waitlists.createWaitlist(
            regionId: world.regionId, name: "Volgende", status: .closed,
            dueDates: try DueDateRange(dueFrom: CivilDate(2031, 7, 1), dueTo: CivilDate(2031, 12, 31)), by: actor("coordinator"))
        await #expect(
            throws: StoreError.conflict("the due dates 2031-07-01…2031-07-31 are already covered by another waitlist of this region")
        ) {
            try await waitlists.updateWaitlist(
                id: world.waitlistId, WaitlistChanges(dueTo: CivilDate(2031, 7, 31)), by: actor("coordinator"))
        }
        let reopened = try await waitlists.updateWaitlist(id: next.id, WaitlistChanges(status: .open), by: actor("coordinator"))
        #expect(reopened.status == .open)
        await #expect(throws: StoreError.refused([.init(field: "regionId", message: "no region has this id")])) {
            try await waitlists.createWaitlist(
                regionId: UUID(), name: "Nergens", status: .open,
                dueDates: try DueDateRange(dueFrom: CivilDate(2031, 1, 1), dueTo: CivilDate(2031, 2, 1)), by: actor("admin"))
        }
    }

    @Test func anOrganisationsRegionsMustExist() async throws {
        let world = try await WaitlistWorld.make(providers: 1)
        let regions = RegionWorkflows(pool: world.pool)
        await #expect(throws: StoreError.refused([.init(field: "regionIds", message: "every id must be an existing region")])) {
            try await regions.validateRegions([world.regionId, UUID()], field: "regionIds")
        }
        let provider = world.providers[0]
        try await regions.setOrganizationRegions(id: provider, served: [], preferent: nil, by: actor("admin"))
        #expect(try await world.count("SELECT count(*) FROM provider_regions WHERE provider_id = \(provider)") == 0)
        #expect(
            try await world.count(
                """
                SELECT count(*) FROM audit_events WHERE object_id = \(provider) AND object_type = 'organization' AND details->>'fields' = 'regionIds'
                """) == 1)
    }
}
