import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// Visibility for an organisation rather than a membership (webhooks, weekly updates): always group 1,
/// since a system or a whole organisation is not a person with AVG access.
extension WaitlistStore {
    /// The organisation's kind, or nil when it does not exist.
    public func organizationKind(id: UUID) async throws -> String? {
        try await pool.query("SELECT kind FROM organizations WHERE id = \(id)").first.map { try $0.decode("kind") }
    }

    public func organizationViewer(id: UUID) async throws -> Viewer? {
        let rows = try await pool.query(
            """
            SELECT o.kind, o.parent_id,
                   coalesce((SELECT array_agg(id) FROM organizations WHERE parent_id = o.id), '{}') AS labels,
                   coalesce((SELECT array_agg(DISTINCT region_id) FROM region_preferent_insurers
                             WHERE insurer_id = o.id OR insurer_id = o.parent_id), '{}') AS preferent,
                   coalesce((SELECT array_agg(region_id) FROM provider_regions WHERE provider_id = o.id), '{}') AS served
            FROM organizations o WHERE o.id = \(id)
            """)
        guard let r = rows.first else { return nil }
        let kind: String = try r.decode("kind")
        switch kind {
        case "register":
            // Every client, but as group 1: an organisation's system is not a person with AVG access.
            let all: [UUID] = try await pool.query("SELECT coalesce(array_agg(id), '{}') AS ids FROM regions")[0].decode("ids")
            return .coordinator(CoordinatorViewer(regionIds: Set(all.map(\.lowercasedString)), avgAccess: false))
        case "insurer":
            let labels: [UUID] = try r.decode("labels"), preferent: [UUID] = try r.decode("preferent")
            let parent: UUID? = try r.decode("parent_id")
            return .insurer(
                InsurerViewer(
                    organizationId: id.lowercasedString, parentId: parent?.lowercasedString, labelIds: Set(labels.map(\.lowercasedString)),
                    preferentRegionIds: Set(preferent.map(\.lowercasedString)), avgAccess: false))
        case "careProvider":
            let served: [UUID] = try r.decode("served")
            return .careProvider(
                CareProviderViewer(
                    organizationId: id.lowercasedString, servedRegionIds: Set(served.map(\.lowercasedString)), avgAccess: false))
        case "courseProvider": return .courseProvider
        // A KSV's systems are not subscribed (coordinators read the feed per membership): no client events.
        default: return .practitioner
        }
    }

    /// Insurer organisations that may see a client on this waitlist: preferent in its region (with their
    /// labels), or insuring one of its clients (and their parents).
    public func insurersSeeing(waitlistId: UUID) async throws -> [UUID] {
        try await pool.query(
            """
            WITH w AS (SELECT region_id FROM waitlists WHERE id = \(waitlistId)),
            pref AS (SELECT p.insurer_id AS id FROM region_preferent_insurers p JOIN w ON w.region_id = p.region_id),
            direct AS (SELECT DISTINCT insurer_id AS id FROM clients WHERE waitlist_id = \(waitlistId) AND status <> 'invited')
            SELECT id FROM pref
            UNION SELECT o.id FROM organizations o JOIN pref ON o.parent_id = pref.id
            UNION SELECT id FROM direct
            UNION SELECT o.parent_id FROM organizations o JOIN direct ON o.id = direct.id WHERE o.parent_id IS NOT NULL
            """
        ).map { try $0.decode("id") }
    }

    /// Every waitlist (id, region, name).
    public func allWaitlists() async throws -> [(id: UUID, regionId: UUID, name: String)] {
        try await pool.query("SELECT id, region_id, name FROM waitlists ORDER BY created_at, id").map {
            (try $0.decode("id"), try $0.decode("region_id"), try $0.decode("name"))
        }
    }
}
