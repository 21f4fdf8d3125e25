import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// What a client list asks for: the plain filters of `GET /v1/clients`, an urgency and postcode filter
/// that depend on the day and on what the viewer may see, and a keyset page.
public struct ClientListQuery: Sendable {
    public var filter: ClientFilter
    /// Urgent as `Pregnancy.isUrgent` says on `today`.
    public var urgent: Bool?
    /// Matched against the postcode the viewer may see: the full one for group 2, else the PC4 area.
    public var postcodeContains: String?
    public var today: CivilDate
    public var page: PageRequest

    public init(
        filter: ClientFilter = ClientFilter(), urgent: Bool? = nil, postcodeContains: String? = nil, today: CivilDate,
        page: PageRequest = PageRequest()
    ) {
        self.filter = filter
        self.urgent = urgent
        self.postcodeContains = postcodeContains
        self.today = today
        self.page = page
    }
}

/// One page of a client list, with the number of rows on all pages.
public struct ClientPage: Sendable {
    public let rows: [ClientRow]
    public let total: Int
    /// The key of the last row when more rows follow.
    public let next: PageCursor?
}

extension ClientStore {
    /// The clients `viewer` may see, filtered, sorted by due date (then id) and paged in SQL, with the total.
    ///
    /// The visibility rules (`KraamzorgRules.canSee`) are written once more here as SQL so that a page costs a
    /// page, not the region's whole history; `ClientListSQLTests` holds this SQL to the rules over generated
    /// worlds and viewers. Invitations not yet accepted are never listed.
    public func page(for viewer: Viewer, _ query: ClientListQuery) async throws -> ClientPage {
        guard let visible = ClientStore.visibility(viewer) else { return ClientPage(rows: [], total: 0, next: nil) }
        let f = query.filter
        var conditions: [PostgresQuery] = [visible, "c.status <> 'invited'"]
        if let s = f.status { conditions.append("c.status = \(s.rawValue)") }
        if let w = f.waitlistId { conditions.append("c.waitlist_id = \(w)") }
        if let d = f.dueFrom { conditions.append("c.due_date >= \(d)") }
        if let d = f.dueTo { conditions.append("c.due_date <= \(d)") }
        if let urgent = query.urgent {
            let latest = Pregnancy.latestUrgentDueDate(on: query.today)
            let isUrgent: PostgresQuery = "(c.status = 'birthReported' OR (c.status = 'waiting' AND c.due_date <= \(latest)))"
            conditions.append(urgent ? isUrgent : "NOT \(isUrgent)")
        }
        if let text = query.postcodeContains {
            let full = ClientStore.seesFullPostcode(viewer)
            conditions.append(
                "strpos(CASE WHEN \(full) AND c.postcode IS NOT NULL THEN c.postcode ELSE c.postcode_area::text END, \(text)) > 0")
        }
        let matching = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        // Without a condition on her due date or postcode, every condition is on columns client_counts keeps
        // (migration 0025): the total sums its rows, not every client the viewer may see.
        let counted: PostgresQuery =
            f.dueFrom == nil && f.dueTo == nil && query.urgent == nil && query.postcodeContains == nil
            ? "SELECT coalesce(sum(c.n), 0)::bigint AS total FROM client_counts c JOIN organizations io ON io.id = c.insurer_id"
            : "SELECT count(*) AS total FROM clients c JOIN organizations io ON io.id = c.insurer_id"
        var keyset: PostgresQuery = "true"
        if let after = query.page.after {
            guard let due = CivilDate(iso: after.key) else { return ClientPage(rows: [], total: 0, next: nil) }
            keyset = "(c.due_date, c.id) > (\(due), \(after.id))"
        }
        // One statement: the count of every page, and this page with one row more to know whether another follows.
        let rows = try await pool.query(
            """
            SELECT t.total, p.* FROM (
                \(counted) WHERE \(matching)
            ) t LEFT JOIN LATERAL (
                SELECT \(unsafeRaw: ClientStore.columns) FROM (
                    SELECT c.id FROM clients c JOIN organizations io ON io.id = c.insurer_id
                    WHERE \(matching) AND \(keyset) ORDER BY c.due_date, c.id LIMIT \(query.page.limit + 1)
                ) m JOIN \(unsafeRaw: ClientStore.from) ON c.id = m.id
            ) p ON true
            ORDER BY p.due_date, p.id
            """)
        let total: Int = try rows.first?.decode("total") ?? 0
        var page: [ClientRow] = []
        for row in rows where try row.decode("id", as: UUID?.self) != nil { page.append(try ClientStore.row(row)) }
        var next: PageCursor?
        if page.count > query.page.limit {
            page.removeLast(page.count - query.page.limit)
            next = page.last.map { PageCursor(key: $0.dueDate.iso, id: $0.id) }
        }
        return ClientPage(rows: page, total: total, next: next)
    }

    /// The object level of the visibility rules as a SQL condition on `c` (clients) and `io` (her insurer's
    /// organisation); nil when the viewer sees no client at all.
    static func visibility(_ viewer: Viewer) -> PostgresQuery? {
        func ids(_ s: Set<String>) -> [UUID] { s.compactMap(UUID.init(uuidString:)).sorted { $0.uuidString < $1.uuidString } }
        switch viewer {
        case .admin:
            return "true"
        case .practitioner, .courseProvider:
            return nil
        case .coordinator(let c):
            return "c.region_id = ANY(\(ids(c.regionIds))::uuid[])"
        case .insurer(let i):
            let org = UUID(uuidString: i.organizationId)!
            // `InsurerViewer.insures`: her own insurer, or for a parent one of its labels; preferent regions
            // show every placed client.
            let own: PostgresQuery =
                i.parentId == nil
                ? "(c.insurer_id = ANY(\(ids(i.labelIds.union([i.organizationId])))::uuid[]) OR io.parent_id = \(org))"
                : "c.insurer_id = \(org)"
            return "(\(own) OR (c.region_id = ANY(\(ids(i.preferentRegionIds))::uuid[]) AND c.status <> 'invited'))"
        case .careProvider(let p):
            let org = UUID(uuidString: p.organizationId)!
            return """
                ((c.status IN ('waiting', 'birthReported') AND c.region_id = ANY(\(ids(p.servedRegionIds))::uuid[]))
                 OR (c.status = 'enrolled' AND c.enrolling_provider_id = \(org)))
                """
        }
    }

    /// Whether the viewer's fields include the full postcode (group 2), as `visibleFields` decides per row:
    /// a SQL boolean on `c`.
    static func seesFullPostcode(_ viewer: Viewer) -> PostgresQuery {
        switch viewer {
        case .admin: return "true"
        case .practitioner, .courseProvider: return "false"
        case .coordinator(let c): return c.avgAccess ? "c.status <> 'withdrawn'" : "false"
        case .insurer(let i): return i.avgAccess ? "c.status <> 'withdrawn'" : "false"
        case .careProvider(let p): return p.avgAccess ? "c.status = 'enrolled'" : "false"
        }
    }
}
