import DatesAndIDs
import Foundation
import Hashing
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Synchronization

/// Disjoint postcode areas for the regions of parallel tests (one area each).
public enum PostcodeAreas {
    private static let next = Mutex(1000)
    public static func take() -> Int {
        next.withLock { v in
            defer { v += 1 }; return v
        }
    }
}

/// A fixed moment, written as ISO 8601 with its offset.
public func moment(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

/// Who acts in a test: a member of `organizationId` in `role`.
public func actor(_ role: String, _ organizationId: UUID? = nil) -> AuditActor {
    AuditActor(
        userId: UUID(), userName: "Test \(role)", organizationId: organizationId, role: role, membershipId: nil,
        requestId: "test-\(UUID().uuidString.prefix(8))")
}

/// One region (one postcode area) with an open waitlist, its preferent insurer, providers serving it
/// (each with a member, so every notice has an address), one that does not, and a coordinator, all
/// written with plain SQL. Clients are placed with plain SQL (`waitingClient`) or through the
/// invitation and acceptance workflows (`placedClient`).
public struct WaitlistWorld: Sendable {
    public let pool: PostgresPool
    public let area: Int
    public let regionId: UUID
    public let regionName: String
    public let waitlistId: UUID
    public let waitlistName: String
    public let insurerId: UUID
    public let providers: [UUID]
    public let strangerProvider: UUID
    public let coordinatorEmail: String

    public static func make(
        pool: PostgresPool, providers count: Int = 2, dueFrom: CivilDate = CivilDate(2020, 1, 1),
        dueTo: CivilDate = CivilDate(2099, 12, 31)
    ) async throws -> WaitlistWorld {
        let area = PostcodeAreas.take()
        let tag = UUID().uuidString.prefix(6)
        let insurerId = try await organization("insurer", pool)
        let regionName = "Regio \(area) \(tag)"
        let regionId: UUID = try await pool.query(
            """
            INSERT INTO regions (name, client_info) VALUES (\(regionName), 'V: Wat nu? A: Wacht op bericht.') RETURNING id
            """)[0].decode("id")
        _ = try await pool.execute("INSERT INTO region_postcode_ranges (region_id, pc_from, pc_to) VALUES (\(regionId), \(area), \(area))")
        _ = try await pool.execute("INSERT INTO region_preferent_insurers (region_id, insurer_id) VALUES (\(regionId), \(insurerId))")
        let waitlistName = "Wachtlijst \(area) \(tag)"
        let waitlistId: UUID = try await pool.query(
            """
            INSERT INTO waitlists (region_id, name, status, due_from, due_to) VALUES (\(regionId), \(waitlistName), 'open', \(dueFrom), \(dueTo)) RETURNING id
            """)[0].decode("id")
        var providers: [UUID] = []
        for _ in 0..<count {
            let id = try await organization("careProvider", pool)
            _ = try await pool.execute("INSERT INTO provider_regions (provider_id, region_id) VALUES (\(id), \(regionId))")
            _ = try await member(of: id, role: "careProvider", regionIds: [], pool)
            providers.append(id)
        }
        let stranger = try await organization("careProvider", pool)
        _ = try await member(of: stranger, role: "careProvider", regionIds: [], pool)
        let coordinatorEmail = try await member(of: try await organization("ksv", pool), role: "coordinator", regionIds: [regionId], pool)
        return WaitlistWorld(
            pool: pool, area: area, regionId: regionId, regionName: regionName, waitlistId: waitlistId, waitlistName: waitlistName,
            insurerId: insurerId, providers: providers, strangerProvider: stranger, coordinatorEmail: coordinatorEmail)
    }

    public static func organization(_ kind: String, _ pool: PostgresPool) async throws -> UUID {
        try await pool.query(
            "INSERT INTO organizations (kind, name) VALUES (\(kind), \("Org \(UUID().uuidString.prefix(8))")) RETURNING id")[0].decode("id")
    }

    /// A user with one membership; returns her email.
    @discardableResult
    public static func member(
        of organizationId: UUID, role: String, regionIds: [UUID], avgAccess: Bool = true, manager: Bool = false,
        _ pool: PostgresPool
    ) async throws -> String {
        let email = "\(UUID().uuidString.lowercased())@example.nl"
        let userId: UUID = try await pool.query("INSERT INTO users (name, email) VALUES ('Test', \(email)) RETURNING id")[0].decode("id")
        _ = try await pool.execute(
            """
            INSERT INTO memberships (user_id, organization_id, role, avg_access, manager, region_ids)
            VALUES (\(userId), \(organizationId), \(role), \(avgAccess), \(manager), \(regionIds)::uuid[])
            """)
        return email
    }

    public var postcode: Postcode { try! Postcode(parsing: "\(area) AB") }

    /// A waiting client with her personal fields, her consent and a live link (as an acceptance leaves her).
    public func waitingClient(dueDate: CivilDate = CivilDate(2031, 6, 1), status: ClientStatus = .waiting) async throws -> UUID {
        let id: UUID = try await pool.query(
            """
            INSERT INTO clients (waitlist_id, region_id, insurer_id, insurer_group_id, client_number, status, due_date, postcode_area, postcode,
                                 email, first_name, last_name, phone, placed_at)
            VALUES (\(waitlistId), \(regionId), \(insurerId), \(insurerId), \("CN-\(UUID().uuidString.prefix(8))"), \(status.rawValue), \(dueDate),
                    \(area), \(postcode.canonical), 'anna@example.nl', 'Anna', 'de Vries', '06 12345678', now())
            RETURNING id
            """)[0].decode("id")
        _ = try await pool.execute("INSERT INTO consents (client_id, version) VALUES (\(id), '2026-1')")
        _ = try await pool.execute(
            """
            INSERT INTO client_links (client_id, token_hash, expires_at) VALUES (\(id), \(SecretToken.hash(SecretToken.generate())), now() + interval '400 days')
            """)
        return id
    }

    /// Step 2 for this world's waitlist, by the preferent insurer unless `insurerId` says otherwise.
    public func newInvitation(number: String, token: String, dueDate: CivilDate = CivilDate(2031, 6, 1), insurerId: UUID? = nil)
        -> NewInvitation
    {
        NewInvitation(
            waitlistId: waitlistId, insurerId: insurerId ?? self.insurerId, clientNumber: ClientNumber(number)!, email: "client@example.nl",
            postcode: .area(PC4(area)!), dueDate: dueDate, tokenHash: SecretToken.hash(token),
            link: "https://kraamzorg.test/uitnodiging/\(token)")
    }

    /// Her acceptance with consent, preferring the first provider (if any).
    public func acceptance(linkToken: String, dueDate: CivilDate = CivilDate(2031, 6, 1)) -> Acceptance {
        Acceptance(
            firstName: "Anna", lastName: "de Vries", phone: "06 12345678", postcode: postcode, dueDate: dueDate,
            preferredProviderIds: Array(providers.prefix(1)), consentVersion: "2026-1", linkTokenHash: SecretToken.hash(linkToken),
            linkURL: "https://kraamzorg.test/aanmelding/\(linkToken)")
    }

    /// Invitation and acceptance through `ClientWorkflows` (the system clock): a waiting client, with her
    /// messages in the outbox and her `client.placed` event. Returns her id.
    public func placedClient(dueDate: CivilDate = CivilDate(2031, 6, 1), insurerId: UUID? = nil) async throws -> UUID {
        let workflows = ClientWorkflows(pool: pool)
        let token = SecretToken.generate()
        let created = try await workflows.createInvitation(
            newInvitation(
                number: "CN-\(UUID().uuidString.prefix(8))", token: token, dueDate: dueDate,
                insurerId: insurerId),
            invitedBy: nil, by: actor("insurer", insurerId ?? self.insurerId))
        _ = try await workflows.accept(
            tokenHash: SecretToken.hash(token), acceptance(linkToken: SecretToken.generate(), dueDate: dueDate),
            actor: actor("client"))
        return created.clientId
    }

    public func providerViewer(_ providerId: UUID) -> Viewer {
        .careProvider(
            CareProviderViewer(organizationId: providerId.lowercasedString, servedRegionIds: [regionId.lowercasedString], avgAccess: true))
    }

    public func count(_ sql: PostgresQuery) async throws -> Int { try await pool.query(sql)[0].decode(0, as: Int.self) }
}
