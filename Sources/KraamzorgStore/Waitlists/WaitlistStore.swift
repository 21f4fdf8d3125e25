#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KraamzorgRules
import PostgresClient

/// Regions, waitlists, who serves and who is preferent where, and the viewer a membership is.
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
        return RegionRecord(id: try row.decode("id"), name: try row.decode("name"), clientInfo: try row.decode("client_info"),
                            postcodeRanges: ranges, preferentInsurerIds: try row.decode("preferent"), createdAt: try row.decode("created_at"))
    }

    static let waitlistColumns = "w.id, w.region_id, w.name, w.status, w.due_from, w.due_to, w.created_at"

    static func waitlist(_ row: PostgresRow) throws -> WaitlistRecord {
        let status = WaitlistStatus(rawValue: try row.decode("status")) ?? .closed
        let range = try DueDateRange(dueFrom: try row.decode("due_from"), dueTo: try row.decode("due_to"))
        return WaitlistRecord(id: try row.decode("id"), regionId: try row.decode("region_id"), name: try row.decode("name"),
                              status: status, dueDates: range, createdAt: try row.decode("created_at"))
    }

    // MARK: regions

    public func regions() async throws -> [RegionRecord] {
        try await pool.query("SELECT \(unsafeRaw: WaitlistStore.regionColumns) FROM regions r ORDER BY r.name, r.id").map(WaitlistStore.region)
    }

    public func region(id: UUID) async throws -> RegionRecord? {
        try await pool.query("SELECT \(unsafeRaw: WaitlistStore.regionColumns) FROM regions r WHERE r.id = \(id)").first.map(WaitlistStore.region)
    }

    public static func region(id: UUID, on conn: PostgresConnection) async throws -> RegionRecord? {
        try await conn.query("SELECT \(unsafeRaw: WaitlistStore.regionColumns) FROM regions r WHERE r.id = \(id)").first.map(WaitlistStore.region)
    }

    public func createRegion(_ new: NewRegion, by actor: AuditActor) async throws -> RegionRecord {
        try await pool.withTransaction { conn in
            let rows = try await conn.query("""
                INSERT INTO regions (name, client_info) VALUES (\(new.name), \(new.clientInfo)) RETURNING id
                """)
            let id: UUID = try rows[0].decode("id")
            try await WaitlistStore.replaceRanges(of: id, name: new.name, new.postcodeRanges, on: conn)
            try await WaitlistStore.replacePreferent(of: id, new.preferentInsurerIds, on: conn)
            try await AuditLog.record(.create, objectType: "region", objectId: id, details: ["name": new.name], by: actor, on: conn)
            return try await WaitlistStore.region(id: id, on: conn)!
        }
    }

    public func updateRegion(id: UUID, _ changes: RegionChanges, by actor: AuditActor) async throws -> RegionRecord {
        try await pool.withTransaction { conn in
            let rows = try await conn.query("""
                UPDATE regions SET name = coalesce(\(changes.name), name), client_info = coalesce(\(changes.clientInfo), client_info),
                       updated_at = now()
                WHERE id = \(id) RETURNING name
                """)
            guard let row = rows.first else { throw StoreError.notFound("region") }
            if let ranges = changes.postcodeRanges {
                try await WaitlistStore.replaceRanges(of: id, name: try row.decode("name"), ranges, on: conn)
            }
            if let ids = changes.preferentInsurerIds { try await WaitlistStore.replacePreferent(of: id, ids, on: conn) }
            var fields: [String] = []
            if changes.name != nil { fields.append("name") }
            if changes.postcodeRanges != nil { fields.append("postcodeRanges") }
            if changes.preferentInsurerIds != nil { fields.append("preferentInsurerIds") }
            if changes.clientInfo != nil { fields.append("clientInfo") }
            try await AuditLog.record(.update, objectType: "region", objectId: id, details: ["fields": fields.joined(separator: ",")], by: actor, on: conn)
            return try await WaitlistStore.region(id: id, on: conn)!
        }
    }

    /// Checks the ranges with the rules (every conflict named), then writes them; the exclusion
    /// constraint still guards against a concurrent region taking the same areas.
    static func replaceRanges(of id: UUID, name: String, _ ranges: [PostcodeRange], on conn: PostgresConnection) async throws {
        // Serialise range changes so the rule check sees every committed region.
        _ = try await conn.query("SELECT pg_advisory_xact_lock(\(Int64(0x6B7A5F726567696F)))")
        let others = try await conn.query("""
            SELECT \(unsafeRaw: WaitlistStore.regionColumns) FROM regions r WHERE r.id <> \(id)
            """).map(WaitlistStore.region).map(\.rule)
        let candidate = Region(id: id.ruleID, name: name, postcodeRanges: ranges)
        let conflicts = Region.postcodeConflicts(of: candidate, with: others)
        if !conflicts.isEmpty {
            let names = Dictionary(others.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let text = conflicts.map { c -> String in
                let other = c.firstRegionId == candidate.id ? c.secondRegionId : c.firstRegionId
                let who = other == candidate.id ? "another range of this region" : "region \(names[other] ?? other)"
                return "postcode areas \(c.overlap.lowerBound)–\(c.overlap.upperBound) already belong to \(who)"
            }
            throw StoreError.conflict(text.joined(separator: "; "))
        }
        _ = try await conn.execute("DELETE FROM region_postcode_ranges WHERE region_id = \(id)")
        for r in ranges {
            _ = try await conn.execute("INSERT INTO region_postcode_ranges (region_id, pc_from, pc_to) VALUES (\(id), \(r.from), \(r.to))")
        }
    }

    static func replacePreferent(of regionId: UUID, _ insurerIds: [UUID], on conn: PostgresConnection) async throws {
        try await requireKind(.insurer, insurerIds, field: "preferentInsurerIds", on: conn)
        _ = try await conn.execute("DELETE FROM region_preferent_insurers WHERE region_id = \(regionId)")
        _ = try await conn.execute("""
            INSERT INTO region_preferent_insurers (region_id, insurer_id) SELECT \(regionId), unnest(\(Array(Set(insurerIds)))::uuid[])
            """)
    }

    static func requireKind(_ kind: OrganizationKind, _ ids: [UUID], field: String, on conn: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        let found = try await conn.query("""
            SELECT count(*) AS n FROM organizations WHERE id = ANY(\(Array(Set(ids)))::uuid[]) AND kind = \(kind.rawValue)
            """)
        guard try found[0].decode("n", as: Int.self) == Set(ids).count else {
            throw StoreError.refused([.init(field: field, message: "every id must be an existing \(kind.rawValue) organisation")])
        }
    }

    static func requireRegions(_ ids: [UUID], field: String, on conn: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        let found = try await conn.query("SELECT count(*) AS n FROM regions WHERE id = ANY(\(Array(Set(ids)))::uuid[])")
        guard try found[0].decode("n", as: Int.self) == Set(ids).count else {
            throw StoreError.refused([.init(field: field, message: "every id must be an existing region")])
        }
    }

    // MARK: organisations' regions

    /// Care provider: the regions it serves. Insurer: the regions where it is preferent.
    public func organizationRegions(id: UUID) async throws -> (served: [UUID], preferent: [UUID]) {
        let rows = try await pool.query("""
            SELECT coalesce((SELECT array_agg(region_id ORDER BY region_id) FROM provider_regions WHERE provider_id = \(id)), '{}') AS served,
                   coalesce((SELECT array_agg(region_id ORDER BY region_id) FROM region_preferent_insurers WHERE insurer_id = \(id)), '{}') AS preferent
            """)
        return (try rows[0].decode("served"), try rows[0].decode("preferent"))
    }

    public func validateRegions(_ ids: [UUID], field: String) async throws {
        try await pool.withConnection { conn in try await WaitlistStore.requireRegions(ids, field: field, on: conn) }
    }

    public func setOrganizationRegions(id: UUID, served: [UUID]?, preferent: [UUID]?, by actor: AuditActor) async throws {
        guard served != nil || preferent != nil else { return }
        try await pool.withTransaction { conn in
            if let served {
                try await WaitlistStore.requireRegions(served, field: "regionIds", on: conn)
                _ = try await conn.execute("DELETE FROM provider_regions WHERE provider_id = \(id)")
                _ = try await conn.execute("INSERT INTO provider_regions (provider_id, region_id) SELECT \(id), unnest(\(Array(Set(served)))::uuid[])")
            }
            if let preferent {
                try await WaitlistStore.requireRegions(preferent, field: "preferentRegionIds", on: conn)
                _ = try await conn.execute("DELETE FROM region_preferent_insurers WHERE insurer_id = \(id)")
                _ = try await conn.execute("""
                    INSERT INTO region_preferent_insurers (region_id, insurer_id) SELECT unnest(\(Array(Set(preferent)))::uuid[]), \(id)
                    """)
            }
            try await AuditLog.record(.update, objectType: "organization", objectId: id,
                                      details: ["fields": [served.map { _ in "regionIds" }, preferent.map { _ in "preferentRegionIds" }].compactMap { $0 }.joined(separator: ",")],
                                      by: actor, on: conn)
        }
    }

    // MARK: waitlists

    public func waitlists(regionIds: [UUID]?) async throws -> [WaitlistRecord] {
        try await pool.query("""
            SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w
            WHERE (\(regionIds)::uuid[] IS NULL OR w.region_id = ANY(\(regionIds)::uuid[]))
            ORDER BY w.due_from, w.id
            """).map(WaitlistStore.waitlist)
    }

    public func waitlist(id: UUID) async throws -> WaitlistRecord? {
        try await pool.query("SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.id = \(id)").first.map(WaitlistStore.waitlist)
    }

    public func createWaitlist(regionId: UUID, name: String, status: WaitlistStatus, dueDates: DueDateRange, by actor: AuditActor) async throws -> WaitlistRecord {
        try await pool.withTransaction { conn in
            guard try await WaitlistStore.region(id: regionId, on: conn) != nil else {
                throw StoreError.refused([.init(field: "regionId", message: "no region has this id")])
            }
            let id = UUID()
            try await WaitlistStore.checkOverlap(Waitlist(id: id.ruleID, regionId: regionId.ruleID, name: name, status: status, dueDates: dueDates), on: conn)
            let rows = try await conn.query("""
                INSERT INTO waitlists AS w (id, region_id, name, status, due_from, due_to)
                VALUES (\(id), \(regionId), \(name), \(status.rawValue), \(dueDates.dueFrom), \(dueDates.dueTo))
                RETURNING \(unsafeRaw: WaitlistStore.waitlistColumns)
                """)
            try await AuditLog.record(.create, objectType: "waitlist", objectId: id, details: ["name": name], by: actor, on: conn)
            return try WaitlistStore.waitlist(rows[0])
        }
    }

    public func updateWaitlist(id: UUID, _ changes: WaitlistChanges, by actor: AuditActor) async throws -> WaitlistRecord {
        try await pool.withTransaction { conn in
            guard let old = try await conn.query("SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.id = \(id) FOR UPDATE")
                .first.map(WaitlistStore.waitlist) else { throw StoreError.notFound("waitlist") }
            let range: DueDateRange
            let dueFrom = changes.dueFrom ?? old.dueDates.dueFrom, dueTo = changes.dueTo ?? old.dueDates.dueTo
            do throws(DueDateRangeError) {
                range = try DueDateRange(dueFrom: dueFrom, dueTo: dueTo)
            } catch {
                throw StoreError.refused([.init(field: "dueTo", message: error.message)])
            }
            let candidate = Waitlist(id: id.ruleID, regionId: old.regionId.ruleID, name: changes.name ?? old.name,
                                     status: changes.status ?? old.status, dueDates: range)
            try await WaitlistStore.checkOverlap(candidate, on: conn)
            let rows = try await conn.query("""
                UPDATE waitlists w SET name = \(candidate.name), status = \(candidate.status.rawValue), due_from = \(range.dueFrom),
                       due_to = \(range.dueTo), updated_at = now()
                WHERE w.id = \(id) RETURNING \(unsafeRaw: WaitlistStore.waitlistColumns)
                """)
            try await AuditLog.record(.update, objectType: "waitlist", objectId: id, details: ["status": candidate.status.rawValue], by: actor, on: conn)
            return try WaitlistStore.waitlist(rows[0])
        }
    }

    static func checkOverlap(_ candidate: Waitlist, on conn: PostgresConnection) async throws {
        let existing = try await conn.query("""
            SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.region_id::text = \(candidate.regionId)
            """).map(WaitlistStore.waitlist).map(\.rule)
        let conflicts = Waitlist.dueDateConflicts(of: candidate, with: existing)
        if !conflicts.isEmpty {
            throw StoreError.conflict(conflicts.map { "the due dates \($0.overlap) are already covered by another waitlist of this region" }.joined(separator: "; "))
        }
    }

    /// Step 1: regions and the region's waitlists, decided by the rules.
    public func availability(area: PC4, dueDate: CivilDate) async throws -> (Availability, RegionRecord?) {
        let regions = try await self.regions()
        let map = RegionMap(regions.map(\.rule))
        guard let region = map.region(for: area), let record = regions.first(where: { $0.id.ruleID == region.id }) else {
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
            return .coordinator(CoordinatorViewer(regionIds: Set(m.regionIds.map(\.ruleID)), avgAccess: m.avgAccess))
        case .insurer:
            let org = principal.organization
            let rows = try await pool.query("""
                SELECT coalesce((SELECT array_agg(id) FROM organizations WHERE parent_id = \(org.id)), '{}') AS labels,
                       coalesce((SELECT array_agg(DISTINCT region_id) FROM region_preferent_insurers
                                 WHERE insurer_id = \(org.id) OR insurer_id = \(org.parentId)), '{}') AS preferent
                """)
            let labels: [UUID] = try rows[0].decode("labels"), preferent: [UUID] = try rows[0].decode("preferent")
            return .insurer(InsurerViewer(organizationId: org.id.ruleID, parentId: org.parentId?.ruleID,
                                          labelIds: Set(labels.map(\.ruleID)), preferentRegionIds: Set(preferent.map(\.ruleID)),
                                          avgAccess: m.avgAccess))
        case .careProvider:
            let served = try await organizationRegions(id: principal.organization.id).served
            return .careProvider(CareProviderViewer(organizationId: principal.organization.id.ruleID,
                                                    servedRegionIds: Set(served.map(\.ruleID)), avgAccess: m.avgAccess))
        case .practitioner:
            return .practitioner
        case .courseProvider:
            return .courseProvider
        }
    }
}
