import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// Regions, waitlists, who serves and who is preferent where, and the viewer a membership is: reads and
/// row mapping here, the SQL of changes in `WaitlistStore+Changes.swift`. The changes themselves (rule
/// checks, audit events) are KraamzorgUseCases' `RegionWorkflows` and `WaitlistWorkflows`.
public struct WaitlistStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    static let regionColumns = """
        r.id, r.name, r.client_info, r.created_at,
        coalesce((SELECT array_agg(pc_from ORDER BY pc_from) FROM region_postcode_ranges WHERE region_id = r.id), '{}') AS pc_from,
        coalesce((SELECT array_agg(pc_to ORDER BY pc_from) FROM region_postcode_ranges WHERE region_id = r.id), '{}') AS pc_to,
        coalesce((SELECT array_agg(insurer_id ORDER BY insurer_id) FROM region_preferent_insurers WHERE region_id = r.id), '{}') AS preferent
        """

    static func region(_ row: PostgresRow) throws -> RegionRecord {
        let froms: [Int] = try row.decode("pc_from"), tos: [Int] = try row.decode("pc_to")
        var ranges: [PostcodeRange] = []
        for (f, t) in zip(froms, tos) { ranges.append(try PostcodeRange(from: f, to: t)) }
        return RegionRecord(
            id: try row.decode("id"), name: try row.decode("name"), clientInfo: try row.decode("client_info"),
            postcodeRanges: ranges, preferentInsurerIds: try row.decode("preferent"), createdAt: try row.decode("created_at"))
    }

    static let waitlistColumns = "w.id, w.region_id, w.name, w.status, w.due_from, w.due_to, w.created_at"

    static func waitlist(_ row: PostgresRow) throws -> WaitlistRecord {
        let status = WaitlistStatus(rawValue: try row.decode("status")) ?? .closed
        let range = try DueDateRange(dueFrom: try row.decode("due_from"), dueTo: try row.decode("due_to"))
        return WaitlistRecord(
            id: try row.decode("id"), regionId: try row.decode("region_id"), name: try row.decode("name"),
            status: status, dueDates: range, createdAt: try row.decode("created_at"))
    }

    // MARK: regions

    public func regions() async throws -> [RegionRecord] {
        try await pool.query("SELECT \(unsafeRaw: WaitlistStore.regionColumns) FROM regions r ORDER BY r.name, r.id").map(
            WaitlistStore.region)
    }

    public func region(id: UUID) async throws -> RegionRecord? {
        try await pool.query("SELECT \(unsafeRaw: WaitlistStore.regionColumns) FROM regions r WHERE r.id = \(id)").first.map(
            WaitlistStore.region)
    }

    public static func region(id: UUID, on conn: PostgresConnection) async throws -> RegionRecord? {
        try await conn.query("SELECT \(unsafeRaw: WaitlistStore.regionColumns) FROM regions r WHERE r.id = \(id)").first.map(
            WaitlistStore.region)
    }

    // MARK: organisations' regions

    /// Care provider: the regions it serves. Insurer: the regions where it is preferent.
    public func organizationRegions(id: UUID) async throws -> (served: [UUID], preferent: [UUID]) {
        let rows = try await pool.query(
            """
            SELECT coalesce((SELECT array_agg(region_id ORDER BY region_id) FROM provider_regions WHERE provider_id = \(id)), '{}') AS served,
                   coalesce((SELECT array_agg(region_id ORDER BY region_id) FROM region_preferent_insurers WHERE insurer_id = \(id)), '{}') AS preferent
            """)
        return (try rows[0].decode("served"), try rows[0].decode("preferent"))
    }

    // MARK: waitlists

    public func waitlists(regionIds: [UUID]?) async throws -> [WaitlistRecord] {
        try await pool.query(
            """
            SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w
            WHERE (\(regionIds)::uuid[] IS NULL OR w.region_id = ANY(\(regionIds)::uuid[]))
            ORDER BY w.due_from, w.id
            """
        ).map(WaitlistStore.waitlist)
    }

    public func waitlist(id: UUID) async throws -> WaitlistRecord? {
        try await pool.query("SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.id = \(id)").first.map(
            WaitlistStore.waitlist)
    }

    /// Step 1: regions and the region's waitlists, decided by the rules.
    public func availability(area: PC4, dueDate: CivilDate) async throws -> (Availability, RegionRecord?) {
        let regions = try await self.regions()
        let map = RegionMap(regions.map(\.rule))
        guard let region = map.region(for: area), let record = regions.first(where: { $0.id.lowercasedString == region.id }) else {
            return (Availability.check(area: area, dueDate: dueDate, regions: map, waitlists: []), nil)
        }
        let lists = try await waitlists(regionIds: [record.id]).map(\.rule)
        return (Availability.check(area: area, dueDate: dueDate, regions: map, waitlists: lists), record)
    }

    // MARK: viewer

    /// The membership as the visibility rules see it.
    public func viewer(for principal: Principal) async throws -> Viewer {
        let m = principal.membership
        switch m.role {
        case .admin:
            return .admin
        case .coordinator:
            return .coordinator(CoordinatorViewer(regionIds: Set(m.regionIds.map(\.lowercasedString)), avgAccess: m.avgAccess))
        case .insurer:
            let org = principal.organization
            let rows = try await pool.query(
                """
                SELECT coalesce((SELECT array_agg(id) FROM organizations WHERE parent_id = \(org.id)), '{}') AS labels,
                       coalesce((SELECT array_agg(DISTINCT region_id) FROM region_preferent_insurers
                                 WHERE insurer_id = \(org.id) OR insurer_id = \(org.parentId)), '{}') AS preferent
                """)
            let labels: [UUID] = try rows[0].decode("labels"), preferent: [UUID] = try rows[0].decode("preferent")
            return .insurer(
                InsurerViewer(
                    organizationId: org.id.lowercasedString, parentId: org.parentId?.lowercasedString,
                    labelIds: Set(labels.map(\.lowercasedString)), preferentRegionIds: Set(preferent.map(\.lowercasedString)),
                    avgAccess: m.avgAccess))
        case .careProvider:
            let served = try await organizationRegions(id: principal.organization.id).served
            return .careProvider(
                CareProviderViewer(
                    organizationId: principal.organization.id.lowercasedString,
                    servedRegionIds: Set(served.map(\.lowercasedString)), avgAccess: m.avgAccess))
        case .practitioner:
            return .practitioner
        case .courseProvider:
            return .courseProvider
        }
    }
}
