#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient

/// The register's workflows against the test PostgreSQL (`DATABASE_URL`); fixtures by store calls and plain SQL.
enum RegisterUseCaseFixtures {
    struct NoDatabase: Error {}

    /// The shared test database, migrated once per run. Tests make their own practitioners and courses.
    static let shared = Task<PostgresPool, any Error> { try await pool(url: try databaseURL()) }

    /// A fresh database of its own, migrated: for the jobs' workflows, which take every row that is due.
    static func isolated() async throws -> PostgresPool {
        let url = try databaseURL()
        let name = "register_uc_\(UUID().uuidString.prefix(12).lowercased().replacingAll("-", with: ""))"
        let admin = PostgresPool(configuration: try PostgresConfiguration(url: url))
        try await admin.withConnection { conn in try await conn.simpleQuery(unsafeSQL: "CREATE DATABASE \(name)") }
        await admin.close()
        guard let slash = url.lastIndex(of: "/") else { throw NoDatabase() }
        var rest = String(url[url.index(after: slash)...])
        if let q = rest.firstIndex(of: "?") { rest = String(rest[q...]) } else { rest = "" }
        return try await pool(url: String(url[...slash]) + name + rest)
    }

    static func databaseURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else { throw NoDatabase() }
        return url
    }

    static func pool(url: String) async throws -> PostgresPool {
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 4
        let pool = PostgresPool(configuration: configuration)
        try await Migrator.bundled().migrate(pool)
        return pool
    }

    /// Noon in the Netherlands on `day`: a clock standing still there.
    static func clock(_ day: CivilDate) -> DutchClock { .fixed(DutchTime.startOfDay(day).addingTimeInterval(12 * 3600)) }

    /// An admin acting with a request id of its own, so its audit events can be found.
    static func admin() -> AuditActor {
        AuditActor(userId: nil, userName: "Beoordelaar", organizationId: nil, role: "admin", membershipId: nil, requestId: "uc-\(UUID().uuidString)")
    }

    /// A practitioner registered with one period from `start` (its norm: the one in force then) and its certificate.
    static func practitioner(_ store: RegisterStore, start: CivilDate) async throws -> (practitioner: PractitionerRecord, period: PeriodRecord) {
        let new = NewRegistration(firstName: "Anna", lastName: "Jansen \(UUID().uuidString.prefix(6))", email: "\(UUID().uuidString.lowercased())@example.nl",
                                  dateOfBirth: nil, registrationNumber: nil, periodStart: start, registeredOn: nil, diplomaObtainedOn: start,
                                  reentrant: false)
        let (p, period, _) = try await RegisterWorkflows(store: store, clock: clock(start)).registerPractitioner(new, by: .system)
        return (p, period)
    }

    /// A course provider organisation.
    static func provider(_ pool: PostgresPool) async throws -> UUID {
        try await pool.query("INSERT INTO organizations (kind, name) VALUES ('courseProvider', \("Opleider \(UUID().uuidString.prefix(6))")) RETURNING id")[0]
            .decode("id")
    }

    /// A course with these lines (`norm, category, subject?, points`).
    static func course(_ store: RegisterStore, provider: UUID, title: String, lines: [(String, String, String?, Int)]) async throws -> CourseRecord {
        try await CourseWorkflows(store: store).createCourse(providerId: provider, CourseFields(
            title: title, externalId: nil, format: "classroom", startDate: CivilDate(2019, 1, 1), endDate: nil, location: nil, contact: nil,
            lines: lines.map { AccreditationLine(norm: $0.0, category: $0.1, subject: $0.2, points: Points(tenths: $0.3)) }), by: .system)
    }

    /// Three courses that together complete a norm 2019 dossier (41 points, every mandatory subject).
    static func complete2019Courses(_ store: RegisterStore, provider: UUID) async throws -> [CourseRecord] {
        [try await course(store, provider: provider, title: "Verplichte scholing (2019 A)", lines: [
            ("2019", "A", "voeding-verdieping", 35), ("2019", "A", "kinder-ehbo", 35), ("2019", "A", "reanimatie", 35),
            ("2019", "A", "fysiologie-baring", 35), ("2019", "A", "fysiologie-kraambed", 35), ("2019", "A", "vroegsignalering", 35)]),
         try await course(store, provider: provider, title: "Scholing op onderwerp (2019 B)", lines: [("2019", "B", nil, 100)]),
         try await course(store, provider: provider, title: "Partusassistentie (2019 C)", lines: [("2019", "C", "partusassistentie", 100)])]
    }

    static func count(_ pool: PostgresPool, _ query: PostgresQuery) async throws -> Int {
        try await pool.query(query)[0].decode("n", as: Int.self)
    }
}
