import Foundation
import DatesAndIDs
import Hashing
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Synchronization
import TestSupport

/// One database of this suite's own, created next to the shared test database (`DATABASE_URL`) and
/// migrated once: the retention erasure touches every client in it, and the postcode areas handed
/// out here cannot meet the API suites' regions.
enum UseCaseDatabase {
    static let shared = Task<PostgresPool, any Error> {
        guard let url = testDatabaseURL() else { throw FixtureError("DATABASE_URL is not set (run under scripts/with-test-postgres.sh)") }
        let name = "usecases_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = PostgresPool(configuration: try PostgresConfiguration(url: url))
        try await admin.withConnection { conn in try await conn.simpleQuery(unsafeSQL: "CREATE DATABASE \(name)") }
        await admin.close()
        guard let slash = url.lastIndex(of: "/") else { throw FixtureError("DATABASE_URL has no database name") }
        var rest = String(url[url.index(after: slash)...])
        if let q = rest.firstIndex(of: "?") { rest = String(rest[q...]) } else { rest = "" }
        var configuration = try PostgresConfiguration(url: String(url[...slash]) + name + rest)
        configuration.poolSize = 8
        let pool = PostgresPool(configuration: configuration)
        try await Migrator.bundled().migrate(pool)
        return pool
    }

    static func pool() async throws -> PostgresPool { try await shared.value }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Disjoint postcode areas for the regions of parallel tests (one area each).
enum PostcodeAreas {
    private static let next = Mutex(1000)
    static func take() -> Int { next.withLock { v in defer { v += 1 }; return v } }
}

/// A fixed moment, written as ISO 8601 with its offset.
func moment(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

/// One region (one postcode area) with an open waitlist, its preferent insurer, providers serving it
/// (each with a member, so every notice has an address), one that does not, and a coordinator, all
/// written with plain SQL.
struct WaitlistWorld {
    let pool: PostgresPool
    let area: Int
    let regionId: UUID
    let regionName: String
    let waitlistId: UUID
    let waitlistName: String
    let insurerId: UUID
    let providers: [UUID]
    let strangerProvider: UUID
    let coordinatorEmail: String

    static func make(providers count: Int = 2, dueFrom: CivilDate = CivilDate(2020, 1, 1), dueTo: CivilDate = CivilDate(2099, 12, 31)) async throws -> WaitlistWorld {
        let pool = try await UseCaseDatabase.pool()
        let area = PostcodeAreas.take()
        let tag = UUID().uuidString.prefix(6)
        let insurerId = try await organization("insurer", pool)
        let regionName = "Regio \(area) \(tag)"
        let regionId: UUID = try await pool.query("""
            INSERT INTO regions (name, client_info) VALUES (\(regionName), 'V: Wat nu? A: Wacht op bericht.') RETURNING id
            """)[0].decode("id")
        _ = try await pool.execute("INSERT INTO region_postcode_ranges (region_id, pc_from, pc_to) VALUES (\(regionId), \(area), \(area))")
        _ = try await pool.execute("INSERT INTO region_preferent_insurers (region_id, insurer_id) VALUES (\(regionId), \(insurerId))")
        let waitlistName = "Wachtlijst \(area) \(tag)"
        let waitlistId: UUID = try await pool.query("""
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
        return WaitlistWorld(pool: pool, area: area, regionId: regionId, regionName: regionName, waitlistId: waitlistId, waitlistName: waitlistName,
                             insurerId: insurerId, providers: providers, strangerProvider: stranger, coordinatorEmail: coordinatorEmail)
    }

    static func organization(_ kind: String, _ pool: PostgresPool) async throws -> UUID {
        try await pool.query("INSERT INTO organizations (kind, name) VALUES (\(kind), \("Org \(UUID().uuidString.prefix(8))")) RETURNING id")[0].decode("id")
    }

    /// A user with one membership; returns her email.
    static func member(of organizationId: UUID, role: String, regionIds: [UUID], _ pool: PostgresPool) async throws -> String {
        let email = "\(UUID().uuidString.lowercased())@example.nl"
        let userId: UUID = try await pool.query("INSERT INTO users (name, email) VALUES ('Test', \(email)) RETURNING id")[0].decode("id")
        _ = try await pool.execute("""
            INSERT INTO memberships (user_id, organization_id, role, avg_access, region_ids) VALUES (\(userId), \(organizationId), \(role), true, \(regionIds)::uuid[])
            """)
        return email
    }

    var postcode: Postcode { try! Postcode(parsing: "\(area) AB") }

    /// A waiting client with her personal fields, her consent and a live link (as an acceptance leaves her).
    func waitingClient(dueDate: CivilDate = CivilDate(2031, 6, 1), status: ClientStatus = .waiting) async throws -> UUID {
        let id: UUID = try await pool.query("""
            INSERT INTO clients (waitlist_id, region_id, insurer_id, insurer_group_id, client_number, status, due_date, postcode_area, postcode,
                                 email, first_name, last_name, phone, placed_at)
            VALUES (\(waitlistId), \(regionId), \(insurerId), \(insurerId), \("CN-\(UUID().uuidString.prefix(8))"), \(status.rawValue), \(dueDate),
                    \(area), \(postcode.canonical), 'anna@example.nl', 'Anna', 'de Vries', '06 12345678', now())
            RETURNING id
            """)[0].decode("id")
        _ = try await pool.execute("INSERT INTO consents (client_id, version) VALUES (\(id), '2026-1')")
        _ = try await pool.execute("""
            INSERT INTO client_links (client_id, token_hash, expires_at) VALUES (\(id), \(SecretToken.hash(SecretToken.generate())), now() + interval '400 days')
            """)
        return id
    }

    func providerViewer(_ providerId: UUID) -> Viewer {
        .careProvider(CareProviderViewer(organizationId: providerId.lowercasedString, servedRegionIds: [regionId.lowercasedString], avgAccess: true))
    }

    func count(_ sql: PostgresQuery) async throws -> Int { try await pool.query(sql)[0].decode(0, as: Int.self) }
}

/// Who acts in a test: a member of `organizationId` in `role`.
func actor(_ role: String, _ organizationId: UUID? = nil) -> AuditActor {
    AuditActor(userId: UUID(), userName: "Test \(role)", organizationId: organizationId, role: role, membershipId: nil,
               requestId: "test-\(UUID().uuidString.prefix(8))")
}
