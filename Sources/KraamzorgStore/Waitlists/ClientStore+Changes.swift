import FoundationEssentials
import KraamzorgRules
import PostgresClient

/// The SQL of the client workflows (`ClientWorkflows` in KraamzorgUseCases), each on the caller's
/// transaction. They decide nothing: the caller has checked the rules and, where it says so, holds her row lock.
extension ClientStore {
    // MARK: invitation

    /// An organisation's kind and parent insurer, or nil when it does not exist.
    public static func organization(id: UUID, on conn: PostgresConnection) async throws -> (kind: String, parentId: UUID?)? {
        try await conn.query("SELECT kind, parent_id FROM organizations WHERE id = \(id)").first.map {
            (try $0.decode("kind", as: String.self), try $0.decode("parent_id", as: UUID?.self))
        }
    }

    /// An invitation of this number that expired unanswered no longer holds it: she is withdrawn and her email erased.
    public static func withdrawExpiredInvitations(insurerGroupId: UUID, clientNumber: ClientNumber, on conn: PostgresConnection)
        async throws
    {
        _ = try await conn.execute(
            """
            UPDATE clients c SET status = 'withdrawn', withdrawn_at = now(), withdrawal_reason = 'invitation expired',
                   email = NULL, updated_at = now()
            WHERE c.insurer_group_id = \(insurerGroupId) AND c.client_number = \(clientNumber.value) AND c.status = 'invited'
              AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.client_id = c.id AND i.used_at IS NULL AND i.expires_at > now())
            """)
    }

    /// Whether a client of the insurer group holds this number (any status but withdrawn).
    public static func isClientNumberActive(insurerGroupId: UUID, clientNumber: ClientNumber, on conn: PostgresConnection) async throws
        -> Bool
    {
        !(try await conn.query(
            """
            SELECT 1 FROM clients WHERE insurer_group_id = \(insurerGroupId) AND client_number = \(clientNumber.value) AND status <> 'withdrawn'
            """)).isEmpty
    }

    /// The invited client (not yet on the waitlist); returns her id.
    public static func insertInvitedClient(
        _ new: NewInvitation, waitlist: WaitlistRecord, insurerGroupId: UUID, invitedBy membershipId: UUID?,
        on conn: PostgresConnection
    ) async throws -> UUID {
        var postcode: String?
        if case .full(let p) = new.postcode { postcode = p.canonical }
        let rows = try await conn.query(
            """
            INSERT INTO clients (waitlist_id, region_id, insurer_id, insurer_group_id, client_number, status, due_date,
                                 postcode_area, postcode, email, invited_by)
            VALUES (\(waitlist.id), \(waitlist.regionId), \(new.insurerId), \(insurerGroupId), \(new.clientNumber.value), 'invited',
                    \(new.dueDate), \(new.postcode.area.value), \(postcode), \(new.email), \(membershipId))
            RETURNING id
            """)
        return try rows[0].decode("id")
    }

    /// Her invitation (only the token's hash is kept); returns its id.
    public static func insertInvitation(clientId: UUID, tokenHash: [UInt8], expiresAt: Date, on conn: PostgresConnection) async throws
        -> UUID
    {
        let rows = try await conn.query(
            """
            INSERT INTO invitations (client_id, token_hash, expires_at) VALUES (\(clientId), \(tokenHash), \(expiresAt)) RETURNING id
            """)
        return try rows[0].decode("id")
    }

    /// What she sees behind a live invitation (unused, unexpired, she is still invited), or nil.
    public static func invitationView(tokenHash: [UInt8], on conn: PostgresConnection) async throws -> InvitationView? {
        let rows = try await conn.query(
            """
            SELECT i.id, i.client_id, i.expires_at, c.due_date, c.postcode_area, c.email, c.waitlist_id, c.region_id
            FROM invitations i JOIN clients c ON c.id = i.client_id
            WHERE i.token_hash = \(tokenHash) AND i.used_at IS NULL AND i.expires_at > now() AND c.status = 'invited'
            """)
        guard let r = rows.first else { return nil }
        let w = try await conn.query(
            "SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.id = \(try r.decode("waitlist_id", as: UUID.self))"
        )
        let region = try await WaitlistStore.region(id: try r.decode("region_id"), on: conn)!
        return InvitationView(
            invitationId: try r.decode("id"), clientId: try r.decode("client_id"), waitlist: try WaitlistStore.waitlist(w[0]),
            region: region, dueDate: try r.decode("due_date"), postcodeArea: PC4(try r.decode("postcode_area", as: Int.self))!,
            email: try r.decode("email"), expiresAt: try r.decode("expires_at"))
    }

    // MARK: acceptance

    /// A live invitation (unused, unexpired), locked until the transaction ends; nil when there is none.
    public static func lockLiveInvitation(tokenHash: [UInt8], on conn: PostgresConnection) async throws -> (id: UUID, clientId: UUID)? {
        try await conn.query(
            """
            SELECT i.id, i.client_id FROM invitations i
            WHERE i.token_hash = \(tokenHash) AND i.used_at IS NULL AND i.expires_at > now() FOR UPDATE
            """
        ).first.map { (try $0.decode("id", as: UUID.self), try $0.decode("client_id", as: UUID.self)) }
    }

    /// Her details from the acceptance, and her placement now (the caller holds her row lock).
    public static func recordAcceptance(clientId: UUID, status: ClientStatus, _ a: Acceptance, on conn: PostgresConnection) async throws {
        _ = try await conn.execute(
            """
            UPDATE clients SET status = \(status.rawValue), first_name = \(a.firstName), last_name = \(a.lastName), phone = \(a.phone),
                   postcode = \(a.postcode.canonical), postcode_area = \(a.postcode.pc4), due_date = \(a.dueDate),
                   preferred_provider_ids = \(a.preferredProviderIds)::uuid[], placed_at = now(), updated_at = now()
            WHERE id = \(clientId)
            """)
    }

    public static func markInvitationUsed(id: UUID, on conn: PostgresConnection) async throws {
        _ = try await conn.execute("UPDATE invitations SET used_at = now() WHERE id = \(id)")
    }

    /// Her consent to the text of `version`, given now.
    public static func recordConsent(clientId: UUID, version: String, on conn: PostgresConnection) async throws {
        _ = try await conn.execute("INSERT INTO consents (client_id, version) VALUES (\(clientId), \(version))")
    }

    /// Her personal link (only the token's hash is kept), working until the start of `expiresOn` in Dutch time.
    public static func insertClientLink(clientId: UUID, tokenHash: [UInt8], expiresOn: CivilDate, on conn: PostgresConnection) async throws
    {
        _ = try await conn.execute(
            """
            INSERT INTO client_links (client_id, token_hash, expires_at)
            VALUES (\(clientId), \(tokenHash), (\(expiresOn)::date)::timestamp AT TIME ZONE 'Europe/Amsterdam')
            """)
    }

    // MARK: enrolment and release

    /// Her enrolment by `providerId` on `day` (the caller holds her row lock).
    public static func recordEnrolment(
        clientId: UUID, status: ClientStatus, providerId: UUID, on day: CivilDate, from previous: ClientStatus,
        on conn: PostgresConnection
    ) async throws {
        _ = try await conn.execute(
            """
            UPDATE clients SET status = \(status.rawValue), enrolling_provider_id = \(providerId), enrolled_at = now(), enrolled_on = \(day),
                   enrolled_from_status = \(previous.rawValue), updated_at = now()
            WHERE id = \(clientId)
            """)
    }

    /// Her hand-back: no enrolling provider any more (the caller holds her row lock).
    public static func recordRelease(clientId: UUID, status: ClientStatus, on conn: PostgresConnection) async throws {
        _ = try await conn.execute(
            """
            UPDATE clients SET status = \(status.rawValue), enrolling_provider_id = NULL, enrolled_at = NULL, enrolled_on = NULL,
                   enrolled_from_status = NULL, updated_at = now()
            WHERE id = \(clientId)
            """)
    }

    /// The care providers serving a region, but `except`.
    public static func providers(servingRegion regionId: UUID, except: UUID? = nil, on conn: PostgresConnection) async throws -> [UUID] {
        try await conn.query(
            """
            SELECT provider_id FROM provider_regions WHERE region_id = \(regionId) AND (\(except)::uuid IS NULL OR provider_id <> \(except))
            """
        ).map { try $0.decode("provider_id", as: UUID.self) }
    }

    // MARK: withdrawal

    /// Her withdrawal with its reason (the caller holds her row lock and erases her personal data next,
    /// `erasePersonalData(clientIds:texts:on:)`, which erases the reason too: it is free text).
    public static func recordWithdrawal(clientId: UUID, status: ClientStatus, reason: String, on conn: PostgresConnection) async throws {
        _ = try await conn.execute(
            """
            UPDATE clients SET status = \(status.rawValue), withdrawn_at = now(), withdrawal_reason = \(reason), updated_at = now()
            WHERE id = \(clientId)
            """)
    }

    /// Her consents still in force end now.
    public static func withdrawConsents(clientId: UUID, on conn: PostgresConnection) async throws {
        _ = try await conn.execute("UPDATE consents SET withdrawn_at = now() WHERE client_id = \(clientId) AND withdrawn_at IS NULL")
    }

    /// Her links work at most `days` more days.
    public static func limitClientLinks(clientId: UUID, toDays days: Int, on conn: PostgresConnection) async throws {
        _ = try await conn.execute(
            """
            UPDATE client_links SET expires_at = least(expires_at, now() + make_interval(days => \(days)::int)) WHERE client_id = \(clientId)
            """)
    }

    // MARK: birth

    /// Her birth on `bornOn`, reported at `reportedAt` (the workflow's clock: her 24 hours to undo it run from
    /// there; the caller holds her row lock).
    public static func recordBirth(
        clientId: UUID, status: ClientStatus, bornOn: CivilDate, reportedAt: Date, on conn: PostgresConnection
    ) async throws {
        _ = try await conn.execute(
            """
            UPDATE clients SET status = \(status.rawValue), born_on = \(bornOn), birth_reported_at = \(reportedAt), updated_at = now()
            WHERE id = \(clientId)
            """)
    }

    // MARK: her own view

    /// Who accessed her data, newest first, without her own views through her link (role `client`); the caller
    /// names and merges the entries (`AccessLogNaming`).
    public static func accessLog(clientId: UUID, on conn: PostgresConnection) async throws -> [AccessLogEntry] {
        try await conn.query(
            """
            SELECT a.at, a.action, o.name AS organization_name, o.kind AS organization_kind, a.role, a.request_id
            FROM audit_events a LEFT JOIN organizations o ON o.id = a.organization_id
            WHERE a.client_id = \(clientId) AND a.role IS DISTINCT FROM 'client' ORDER BY a.at DESC, a.id DESC
            """
        ).map {
            AccessLogEntry(
                at: try $0.decode("at"), action: try $0.decode("action"),
                organizationName: try $0.decode("organization_name"), role: try $0.decode("role"),
                organizationKind: try $0.decode("organization_kind"), requestId: try $0.decode("request_id"))
        }
    }

    // MARK: retention

    /// Every client due on or before `lastDueDate`, and every withdrawn client, not erased yet, locked for
    /// the erasure that follows (`erasePersonalData(clientIds:texts:on:)`).
    public static func clientsDueForErasure(dueOnOrBefore lastDueDate: CivilDate, on conn: PostgresConnection) async throws -> [UUID] {
        try await conn.query(
            """
            SELECT id FROM clients WHERE erased_at IS NULL AND (due_date <= \(lastDueDate) OR status = 'withdrawn')
            ORDER BY id FOR UPDATE
            """
        ).map { try $0.decode("id", as: UUID.self) }
    }
}
