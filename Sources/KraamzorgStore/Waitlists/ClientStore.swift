#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

/// Invitations, clients and everything that happens to them. Changes write their audit events and
/// outbox messages in their own transaction.
public struct ClientStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public static let invitationDays = 14
    public static let clientLinkDaysAfterDue = 90

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
        try await conn.query("""
            SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: from) WHERE c.id = \(id) \(unsafeRaw: lock ? "FOR UPDATE OF c" : "")
            """).first.map(row)
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
        return try await pool.query("""
            SELECT \(unsafeRaw: ClientStore.columns) FROM \(unsafeRaw: ClientStore.from)
            WHERE (NOT \(restricted) OR c.region_id = ANY(\(regions ?? [])::uuid[]) OR c.insurer_id = ANY(\(orgs ?? [])::uuid[])
                   OR c.enrolling_provider_id = \(provider))
              AND (\(filter.status?.rawValue)::text IS NULL OR c.status = \(filter.status?.rawValue))
              AND (\(filter.waitlistId)::uuid IS NULL OR c.waitlist_id = \(filter.waitlistId))
              AND (\(filter.dueFrom)::date IS NULL OR c.due_date >= \(filter.dueFrom))
              AND (\(filter.dueTo)::date IS NULL OR c.due_date <= \(filter.dueTo))
            ORDER BY c.due_date, c.id
            """).map(ClientStore.row)
    }

    public func client(id: UUID) async throws -> ClientRow? {
        try await pool.withConnection { conn in try await ClientStore.client(id: id, lock: false, on: conn) }
    }

    /// Records reads, searches and exports of client data (one event per client).
    public func audit(_ action: AuditAction, clientIds: [UUID], details: [String: String] = [:], by actor: AuditActor) async throws {
        guard !clientIds.isEmpty else { return }
        try await pool.withConnection { conn in try await ClientStore.audit(action, clientIds: clientIds, details: details, by: actor, on: conn) }
    }

    static func audit(_ action: AuditAction, clientIds: [UUID], details: [String: String] = [:], by actor: AuditActor,
                      on conn: PostgresConnection) async throws {
        let detailsJSON = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        _ = try await conn.execute("""
            INSERT INTO audit_events (action, outcome, user_id, user_name, organization_id, role, membership_id,
                                      object_type, object_id, client_id, request_id, details)
            SELECT \(action.rawValue), 'success', \(actor.userId), \(actor.userName), \(actor.organizationId), \(actor.role),
                   \(actor.membershipId), 'client', x, x, \(actor.requestId), \(detailsJSON)::jsonb
            FROM unnest(\(clientIds)::uuid[]) AS x
            """)
    }

    // MARK: invitations

    public func createInvitation(_ new: NewInvitation, invitedBy membershipId: UUID?, by actor: AuditActor) async throws -> CreatedInvitation {
        try await pool.withTransaction { conn in
            guard let waitlist = try await conn.query("SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.id = \(new.waitlistId) FOR SHARE")
                .first.map(WaitlistStore.waitlist) else { throw StoreError.notFound("waitlist") }
            let region = try await WaitlistStore.region(id: waitlist.regionId, on: conn)!
            let insurer = try await conn.query("SELECT kind, parent_id FROM organizations WHERE id = \(new.insurerId)")
            guard let ins = insurer.first, try ins.decode("kind", as: String.self) == OrganizationKind.insurer.rawValue else {
                throw StoreError.refused([.init(field: "insurerId", message: "must be an existing insurer")])
            }
            let parentId: UUID? = try ins.decode("parent_id")
            let reasons = AcceptanceRefusal.reasons(waitlist: waitlist.rule, region: region.rule, area: new.postcode.area, dueDate: new.dueDate)
            if !reasons.isEmpty { throw StoreError.refused(reasons.map(ClientStore.reason)) }
            let key = ActiveClientKey(insurerId: new.insurerId.ruleID, insurerParentId: parentId?.ruleID, clientNumber: new.clientNumber)
            let groupId = UUID(uuidString: key.insurerGroupId)!
            // An invitation that expired unanswered no longer holds the number.
            _ = try await conn.execute("""
                UPDATE clients c SET status = 'withdrawn', withdrawn_at = now(), withdrawal_reason = 'invitation expired',
                       email = NULL, updated_at = now()
                WHERE c.insurer_group_id = \(groupId) AND c.client_number = \(key.clientNumber.value) AND c.status = 'invited'
                  AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.client_id = c.id AND i.used_at IS NULL AND i.expires_at > now())
                """)
            let existing = try await conn.query("""
                SELECT 1 FROM clients WHERE insurer_group_id = \(groupId) AND client_number = \(key.clientNumber.value) AND status <> 'withdrawn'
                """)
            if !existing.isEmpty { throw StoreError.conflict("this client number is already active for this insurer") }
            var postcode: String?
            if case .full(let p) = new.postcode { postcode = p.canonical }
            let client = try await conn.query("""
                INSERT INTO clients (waitlist_id, region_id, insurer_id, insurer_group_id, client_number, status, due_date,
                                     postcode_area, postcode, email, invited_by)
                VALUES (\(waitlist.id), \(waitlist.regionId), \(new.insurerId), \(groupId), \(key.clientNumber.value), 'invited',
                        \(new.dueDate), \(new.postcode.area.value), \(postcode), \(new.email), \(membershipId))
                RETURNING id
                """)
            let clientId: UUID = try client[0].decode("id")
            let expiresAt = Date().addingTimeInterval(Double(ClientStore.invitationDays) * 86_400)
            let inv = try await conn.query("""
                INSERT INTO invitations (client_id, token_hash, expires_at) VALUES (\(clientId), \(new.tokenHash), \(expiresAt)) RETURNING id
                """)
            let invitationId: UUID = try inv[0].decode("id")
            try await Outbox.enqueue(.invitation, to: new.email, clientId: clientId,
                                     subject: "Uitnodiging: wachtlijst kraamzorg \(region.name)",
                                     body: """
                                        Beste cliënt,

                                        Uw zorgverzekeraar heeft voor u nog geen kraamzorg kunnen vinden. In uw regio (\(region.name)) is daarom een wachtlijst: \(waitlist.name).
                                        Via de link hieronder vult u uw gegevens in en geeft u toestemming om ze te delen met kraamzorgaanbieders. Daarna staat u op de wachtlijst.
                                        De link werkt \(ClientStore.invitationDays) dagen en één keer.
                                        """,
                                     link: new.link, on: conn)
            try await AuditLog.record(.create, objectType: "client", objectId: clientId, clientId: clientId,
                                      details: ["event": "invited", "waitlistId": waitlist.id.ruleID], by: actor, on: conn)
            return CreatedInvitation(id: invitationId, clientId: clientId, waitlistId: waitlist.id, expiresAt: expiresAt)
        }
    }

    static func reason(_ r: AcceptanceRefusal) -> StoreError.Reason {
        switch r {
        case .waitlistClosed: .init(field: "waitlist", message: r.message)
        case .dueDateOutsideRange: .init(field: "dueDate", message: r.message)
        case .postcodeOutsideRegion: .init(field: "postcode", message: r.message)
        }
    }

    /// A live invitation (unused, unexpired, client still invited), or nil.
    public func invitation(tokenHash: [UInt8], actor: AuditActor) async throws -> InvitationView? {
        try await pool.withTransaction { conn in
            let rows = try await conn.query("""
                SELECT i.id, i.client_id, i.expires_at, c.due_date, c.postcode_area, c.email, c.waitlist_id, c.region_id
                FROM invitations i JOIN clients c ON c.id = i.client_id
                WHERE i.token_hash = \(tokenHash) AND i.used_at IS NULL AND i.expires_at > now() AND c.status = 'invited'
                """)
            guard let r = rows.first else { return nil }
            let clientId: UUID = try r.decode("client_id")
            let w = try await conn.query("SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.id = \(try r.decode("waitlist_id", as: UUID.self))")
            let region = try await WaitlistStore.region(id: try r.decode("region_id"), on: conn)!
            try await AuditLog.record(.read, objectType: "client", objectId: clientId, clientId: clientId, details: ["via": "invitation link"], by: actor, on: conn)
            return InvitationView(invitationId: try r.decode("id"), clientId: clientId, waitlist: try WaitlistStore.waitlist(w[0]), region: region,
                                  dueDate: try r.decode("due_date"), postcodeArea: PC4(try r.decode("postcode_area", as: Int.self))!,
                                  email: try r.decode("email"), expiresAt: try r.decode("expires_at"))
        }
    }

    /// Acceptance with consent: she is placed (`waiting`), gets her confirmation with her link and the
    /// region's Q&A, and every provider serving the region is told.
    public func accept(tokenHash: [UInt8], _ a: Acceptance, actor: AuditActor) async throws -> ClientRow {
        try await pool.withTransaction { conn in
            let rows = try await conn.query("""
                SELECT i.id, i.client_id FROM invitations i
                WHERE i.token_hash = \(tokenHash) AND i.used_at IS NULL AND i.expires_at > now() FOR UPDATE
                """)
            guard let inv = rows.first else { throw StoreError.notFound("invitation") }
            let clientId: UUID = try inv.decode("client_id")
            guard let client = try await ClientStore.client(id: clientId, lock: true, on: conn), client.status == .invited else {
                throw StoreError.notFound("invitation")
            }
            let waitlist = try await conn.query("SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.id = \(client.waitlistId) FOR SHARE")
                .map(WaitlistStore.waitlist)[0]
            let region = try await WaitlistStore.region(id: client.regionId, on: conn)!
            let reasons = AcceptanceRefusal.reasons(waitlist: waitlist.rule, region: region.rule, area: a.postcode.area, dueDate: a.dueDate)
            if !reasons.isEmpty { throw StoreError.refused(reasons.map(ClientStore.reason)) }
            guard case .success(let next) = ClientStatus.transition(from: client.status, event: .accept) else {
                throw StoreError.conflict("this invitation can no longer be accepted")
            }
            try await WaitlistStore.requireKind(.careProvider, a.preferredProviderIds, field: "preferredProviderIds", on: conn)
            _ = try await conn.execute("""
                UPDATE clients SET status = \(next.rawValue), first_name = \(a.firstName), last_name = \(a.lastName), phone = \(a.phone),
                       postcode = \(a.postcode.canonical), postcode_area = \(a.postcode.pc4), due_date = \(a.dueDate),
                       preferred_provider_ids = \(a.preferredProviderIds)::uuid[], placed_at = now(), updated_at = now()
                WHERE id = \(clientId)
                """)
            _ = try await conn.execute("UPDATE invitations SET used_at = now() WHERE id = \(try inv.decode("id", as: UUID.self))")
            _ = try await conn.execute("INSERT INTO consents (client_id, version) VALUES (\(clientId), \(a.consentVersion))")
            let linkExpiry = a.dueDate.adding(days: ClientStore.clientLinkDaysAfterDue + 1)
            _ = try await conn.execute("""
                INSERT INTO client_links (client_id, token_hash, expires_at)
                VALUES (\(clientId), \(a.linkTokenHash), (\(linkExpiry)::date)::timestamp AT TIME ZONE 'Europe/Amsterdam')
                """)
            let placed = try await ClientStore.client(id: clientId, lock: false, on: conn)!
            if let email = placed.email {
                try await Outbox.enqueue(.placementConfirmation, to: email, clientId: clientId,
                                         subject: "U staat op de wachtlijst kraamzorg \(region.name)",
                                         body: """
                                            Beste \(a.firstName),

                                            U staat op de wachtlijst \(waitlist.name) in regio \(region.name). Zodra een kraamzorgaanbieder u inschrijft, krijgt u bericht.
                                            Bevalt u voordat een kraamzorgaanbieder u heeft ingeschreven? Meld dit dan meteen via uw persoonlijke link. Via die link ziet u ook wie uw gegevens heeft bekeken, en kunt u zich afmelden.

                                            Vragen en antwoorden:
                                            \(region.clientInfo)
                                            """,
                                         link: a.linkURL, on: conn)
            }
            let providers = try await conn.query("SELECT provider_id FROM provider_regions WHERE region_id = \(client.regionId)")
                .map { try $0.decode("provider_id", as: UUID.self) }
            try await Outbox.enqueueToOrganizations(.providerNotice, providers, clientId: clientId,
                                                    subject: "Nieuwe cliënt op wachtlijst \(waitlist.name)",
                                                    body: ClientStore.groupOneSummary(placed, intro: "Er staat een nieuwe cliënt op de wachtlijst \(waitlist.name) (\(region.name))."),
                                                    on: conn)
            try await AuditLog.record(.update, objectType: "client", objectId: clientId, clientId: clientId,
                                      details: ["event": "accepted", "consentVersion": a.consentVersion], by: actor, on: conn)
            try await DomainEvents.record(.clientPlaced, clientId: clientId, data: ["waitlistId": placed.waitlistId.lowercasedString], on: conn)
            return placed
        }
    }

    /// What organisations are told: group-1 facts only.
    static func groupOneSummary(_ c: ClientRow, intro: String) -> String {
        """
        \(intro)
        Cliëntnummer: \(c.clientNumber)
        Postcodegebied: \(c.postcodeArea)
        Uitgerekende datum: \(c.dueDate.iso)
        """
    }

    // MARK: changes by members

    /// Her enrolment by `providerId` on `day` (the caller holds her row lock).
    public static func recordEnrolment(clientId: UUID, status: ClientStatus, providerId: UUID, on day: CivilDate, from previous: ClientStatus,
                                       on conn: PostgresConnection) async throws {
        _ = try await conn.execute("""
            UPDATE clients SET status = \(status.rawValue), enrolling_provider_id = \(providerId), enrolled_at = now(), enrolled_on = \(day),
                   enrolled_from_status = \(previous.rawValue), updated_at = now()
            WHERE id = \(clientId)
            """)
    }

    /// Her hand-back: no enrolling provider any more (the caller holds her row lock).
    public static func recordRelease(clientId: UUID, status: ClientStatus, on conn: PostgresConnection) async throws {
        _ = try await conn.execute("""
            UPDATE clients SET status = \(status.rawValue), enrolling_provider_id = NULL, enrolled_at = NULL, enrolled_on = NULL,
                   enrolled_from_status = NULL, updated_at = now()
            WHERE id = \(clientId)
            """)
    }

    /// The care providers serving a region, but `except`.
    public static func providers(servingRegion regionId: UUID, except: UUID? = nil, on conn: PostgresConnection) async throws -> [UUID] {
        try await conn.query("""
            SELECT provider_id FROM provider_regions WHERE region_id = \(regionId) AND (\(except)::uuid IS NULL OR provider_id <> \(except))
            """).map { try $0.decode("provider_id", as: UUID.self) }
    }

    /// Withdrawal (by a coordinator/admin, or by her link, which also withdraws her consent): her personal data is erased.
    public func withdraw(clientId: UUID, reason: String, consentWithdrawn: Bool, by actor: AuditActor) async throws -> ClientRow {
        try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn) else { throw StoreError.notFound("client") }
            guard case .success(let next) = ClientStatus.transition(from: c.status, event: .withdraw) else {
                throw StoreError.conflict("a client with status \(c.status.rawValue) cannot be withdrawn")
            }
            _ = try await conn.execute("""
                UPDATE clients SET status = \(next.rawValue), withdrawn_at = now(), withdrawal_reason = \(reason),
                       first_name = NULL, last_name = NULL, email = NULL, phone = NULL, postcode = NULL, erased_at = now(), updated_at = now()
                WHERE id = \(clientId)
                """)
            if consentWithdrawn {
                _ = try await conn.execute("UPDATE consents SET withdrawn_at = now() WHERE client_id = \(clientId) AND withdrawn_at IS NULL")
            }
            _ = try await conn.execute("UPDATE client_links SET expires_at = least(expires_at, now() + interval '30 days') WHERE client_id = \(clientId)")
            try await AuditLog.record(.update, objectType: "client", objectId: clientId, clientId: clientId,
                                      details: ["event": "withdrawn", "reason": reason, "consentWithdrawn": String(consentWithdrawn)], by: actor, on: conn)
            try await DomainEvents.record(.clientWithdrawn, clientId: clientId, data: ["waitlistId": c.waitlistId.lowercasedString], on: conn)
            return try await ClientStore.client(id: clientId, lock: false, on: conn)!
        }
    }

    /// Birth before enrolment: `birthReported`, and coordinators and providers of the region are told at once.
    public func reportBirth(clientId: UUID, bornOn: CivilDate, by actor: AuditActor) async throws -> ClientRow {
        try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn) else { throw StoreError.notFound("client") }
            guard case .success(let next) = ClientStatus.transition(from: c.status, event: .reportBirth) else {
                throw StoreError.conflict("a birth can only be reported for a waiting client (status \(c.status.rawValue))")
            }
            _ = try await conn.execute("""
                UPDATE clients SET status = \(next.rawValue), born_on = \(bornOn), birth_reported_at = now(), updated_at = now() WHERE id = \(clientId)
                """)
            let b = try await ClientStore.client(id: clientId, lock: false, on: conn)!
            let summary = ClientStore.groupOneSummary(b, intro: "SPOED: deze cliënt op wachtlijst \(b.waitlistName) is op \(bornOn.iso) bevallen zonder kraamzorg. Schrijf haar zo snel mogelijk in.")
            try await Outbox.enqueueToCoordinators(.urgentBirthNotice, regionId: b.regionId, clientId: clientId,
                                                   subject: "SPOED: bevallen zonder kraamzorg (\(b.waitlistName))", body: summary, on: conn)
            let providers = try await conn.query("SELECT provider_id FROM provider_regions WHERE region_id = \(b.regionId)")
                .map { try $0.decode("provider_id", as: UUID.self) }
            try await Outbox.enqueueToOrganizations(.urgentBirthNotice, providers, clientId: clientId,
                                                    subject: "SPOED: bevallen zonder kraamzorg (\(b.waitlistName))", body: summary, on: conn)
            try await AuditLog.record(.update, objectType: "client", objectId: clientId, clientId: clientId,
                                      details: ["event": "birthReported", "bornOn": bornOn.iso], by: actor, on: conn)
            try await DomainEvents.record(.clientBirthReported, clientId: clientId, data: ["waitlistId": b.waitlistId.lowercasedString, "bornOn": bornOn.iso], on: conn)
            return b
        }
    }

    // MARK: client links

    /// The client behind a live link token.
    public func clientId(linkTokenHash: [UInt8]) async throws -> UUID? {
        try await pool.query("SELECT client_id FROM client_links WHERE token_hash = \(linkTokenHash) AND expires_at > now()")
            .first.map { try $0.decode("client_id") }
    }

    public func ownView(clientId: UUID, actor: AuditActor) async throws -> (ClientRow, RegionRecord) {
        try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: false, on: conn) else { throw StoreError.notFound("client link") }
            try await AuditLog.record(.read, objectType: "client", objectId: clientId, clientId: clientId, details: ["via": "client link"], by: actor, on: conn)
            return (c, try await WaitlistStore.region(id: c.regionId, on: conn)!)
        }
    }

    /// Who accessed her data, oldest first; reading it is logged too.
    public func accessLog(clientId: UUID, actor: AuditActor) async throws -> [AccessLogEntry] {
        try await pool.withTransaction { conn in
            try await AuditLog.record(.read, objectType: "accessLog", objectId: clientId, clientId: clientId, details: ["via": "client link"], by: actor, on: conn)
            return try await conn.query("""
                SELECT a.at, a.action, o.name AS organization_name, a.role FROM audit_events a LEFT JOIN organizations o ON o.id = a.organization_id
                WHERE a.client_id = \(clientId) ORDER BY a.at, a.id
                """).map { AccessLogEntry(at: try $0.decode("at"), action: try $0.decode("action"),
                                          organizationName: try $0.decode("organization_name"), role: try $0.decode("role")) }
        }
    }

    // MARK: retention

    /// Erases name, email, phone and full postcode six months after the due date (and of withdrawn
    /// clients); counts stay. Returns the clients erased now. The jobs issue schedules this.
    @discardableResult
    public func erasePersonalData(asOf today: CivilDate) async throws -> [UUID] {
        try await pool.withTransaction { conn in try await ClientStore.erasePersonalData(asOf: today, on: conn) }
    }

    /// The retention erasure inside the caller's transaction (the retention job's run row commits with it).
    public static func erasePersonalData(asOf today: CivilDate, on conn: PostgresConnection) async throws -> [UUID] {
        let cutoff = today.adding(months: -6)
        do {
            let ids = try await conn.query("""
                UPDATE clients SET first_name = NULL, last_name = NULL, email = NULL, phone = NULL, postcode = NULL, erased_at = now(), updated_at = now()
                WHERE erased_at IS NULL AND (due_date <= \(cutoff) OR status = 'withdrawn')
                RETURNING id
                """).map { try $0.decode("id", as: UUID.self) }
            try await ClientStore.audit(.delete, clientIds: ids, details: ["event": "retentionErasure"], by: .system, on: conn)
            return ids
        }
    }
}
