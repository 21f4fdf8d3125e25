import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// Which rows a viewer could possibly see: a coarse SQL pre-filter only. The rules decide per row.
public enum ClientScope: Sendable {
    case all
    case nothing
    case regions([UUID])
    case insurer(organizations: [UUID], preferentRegions: [UUID])
    case provider(UUID, servedRegions: [UUID])

    public init(_ viewer: Viewer) {
        func ids(_ s: Set<String>) -> [UUID] { s.compactMap(UUID.init(uuidString:)) }
        switch viewer {
        case .admin: self = .all
        case .coordinator(let c): self = .regions(ids(c.regionIds))
        case .insurer(let i):
            self = .insurer(organizations: ids(i.labelIds.union([i.organizationId])), preferentRegions: ids(i.preferentRegionIds))
        case .careProvider(let p):
            self = .provider(UUID(uuidString: p.organizationId)!, servedRegions: ids(p.servedRegionIds))
        case .practitioner, .courseProvider: self = .nothing
        }
    }
}

/// Clients, their invitations and links: SQL and row mapping only. What happens to a client (the
/// workflows, with their messages, audit and domain events) is in KraamzorgUseCases' `ClientWorkflows`,
/// which calls the static functions here on its transaction's connection (`ClientStore+Changes.swift`).
public struct ClientStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    static let columns = """
        c.id, c.waitlist_id, c.region_id, c.insurer_id, io.parent_id AS insurer_parent_id, c.status, c.enrolling_provider_id,
        c.enrolled_on, c.enrolled_from_status, w.name AS waitlist_name, r.name AS region_name, c.client_number, c.due_date,
        c.postcode_area, p.name AS provider_name, c.first_name, c.last_name, c.email, c.phone, c.postcode, c.placed_at, c.born_on
        """
    static let from = """
        clients c JOIN waitlists w ON w.id = c.waitlist_id JOIN regions r ON r.id = c.region_id
        JOIN organizations io ON io.id = c.insurer_id LEFT JOIN organizations p ON p.id = c.enrolling_provider_id
        """

    static func row(_ row: PostgresRow) throws -> ClientRow {
        let postcodeText: String? = try row.decode("postcode")
        let fromStatus: String? = try row.decode("enrolled_from_status")
        return ClientRow(
            id: try row.decode("id"), waitlistId: try row.decode("waitlist_id"), regionId: try row.decode("region_id"),
            insurerId: try row.decode("insurer_id"), insurerParentId: try row.decode("insurer_parent_id"),
            status: ClientStatus(rawValue: try row.decode("status")) ?? .withdrawn,
            enrollingProviderId: try row.decode("enrolling_provider_id"), enrolledOn: try row.decode("enrolled_on"),
            enrolledFromStatus: fromStatus.flatMap(ClientStatus.init(rawValue:)),
            waitlistName: try row.decode("waitlist_name"), regionName: try row.decode("region_name"),
            clientNumber: try row.decode("client_number"), dueDate: try row.decode("due_date"),
            postcodeArea: PC4(try row.decode("postcode_area", as: Int.self))!, providerName: try row.decode("provider_name"),
            firstName: try row.decode("first_name"), lastName: try row.decode("last_name"), email: try row.decode("email"),
            phone: try row.decode("phone"), postcode: postcodeText.flatMap { try? Postcode(parsing: $0) },
            placedAt: try row.decode("placed_at"), bornOn: try row.decode("born_on"))
    }

    public static func client(id: UUID, lock: Bool, on conn: PostgresConnection) async throws -> ClientRow? {
        try await conn.query(
            """
            SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: from) WHERE c.id = \(id) \(unsafeRaw: lock ? "FOR UPDATE OF c" : "")
            """
        ).first.map(row)
    }

    // MARK: reads

    /// Rows the scope might see, filtered by the plain filters; the caller applies the rules.
    public func clients(scope: ClientScope, filter: ClientFilter) async throws -> [ClientRow] {
        var regions: [UUID]? = nil, orgs: [UUID]? = nil, provider: UUID? = nil
        switch scope {
        case .all: break
        case .nothing: return []
        case .regions(let r): regions = r
        case .insurer(let o, let p): orgs = o; regions = p
        case .provider(let p, let r): provider = p; regions = r
        }
        let restricted = regions != nil || orgs != nil || provider != nil
        return try await pool.query(
            """
            SELECT \(unsafeRaw: ClientStore.columns) FROM \(unsafeRaw: ClientStore.from)
            WHERE (NOT \(restricted) OR c.region_id = ANY(\(regions ?? [])::uuid[]) OR c.insurer_id = ANY(\(orgs ?? [])::uuid[])
                   OR c.enrolling_provider_id = \(provider))
              AND (\(filter.status?.rawValue)::text IS NULL OR c.status = \(filter.status?.rawValue))
              AND (\(filter.waitlistId)::uuid IS NULL OR c.waitlist_id = \(filter.waitlistId))
              AND (\(filter.dueFrom)::date IS NULL OR c.due_date >= \(filter.dueFrom))
              AND (\(filter.dueTo)::date IS NULL OR c.due_date <= \(filter.dueTo))
            ORDER BY c.due_date, c.id
            """
        ).map(ClientStore.row)
    }

    public func client(id: UUID) async throws -> ClientRow? {
        try await pool.withConnection { conn in try await ClientStore.client(id: id, lock: false, on: conn) }
    }

    /// Records reads, searches and exports of client data (one event per client).
    public func audit(_ action: AuditAction, clientIds: [UUID], details: [String: String] = [:], by actor: AuditActor) async throws {
        guard !clientIds.isEmpty else { return }
        try await pool.withConnection { conn in
            try await ClientStore.audit(action, clientIds: clientIds, details: details, by: actor, on: conn)
        }
    }

    /// One audit event per client, in one statement on the caller's connection.
    public static func audit(
        _ action: AuditAction, clientIds: [UUID], details: [String: String] = [:], by actor: AuditActor,
        on conn: PostgresConnection
    ) async throws {
        let detailsJSON = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        _ = try await conn.execute(
            """
            INSERT INTO audit_events (action, outcome, user_id, user_name, organization_id, role, membership_id,
                                      object_type, object_id, client_id, request_id, details)
            SELECT \(action.rawValue), 'success', \(actor.userId), \(actor.userName), \(actor.organizationId), \(actor.role),
                   \(actor.membershipId), 'client', x, x, \(actor.requestId), \(detailsJSON)::jsonb
            FROM unnest(\(clientIds)::uuid[]) AS x
            """)
    }

    // MARK: client links

    /// The client behind a live link token.
    public func clientId(linkTokenHash: [UInt8]) async throws -> UUID? {
        try await pool.query("SELECT client_id FROM client_links WHERE token_hash = \(linkTokenHash) AND expires_at > now()")
            .first.map { try $0.decode("client_id") }
    }
}
