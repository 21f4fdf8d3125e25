import Foundation
import KraamzorgRules
import KraamzorgTestFixtures
import PostgresClient

/// One database of this suite's own, created next to the shared test database (`DATABASE_URL`) and
/// migrated once: the retention erasure touches every client in it, and the postcode areas handed
/// out here cannot meet the API suites' regions.
enum UseCaseDatabase {
    static let shared = Task<PostgresPool, any Error> { try await TestDatabases.isolated(prefix: "usecases", poolSize: 8) }

    static func pool() async throws -> PostgresPool { try await shared.value }
}

extension WaitlistWorld {
    /// A world (`KraamzorgTestFixtures`) in this suite's database.
    static func make(providers count: Int = 2, dueFrom: CivilDate = CivilDate(2020, 1, 1), dueTo: CivilDate = CivilDate(2099, 12, 31))
        async throws -> WaitlistWorld
    {
        try await make(pool: try await UseCaseDatabase.pool(), providers: count, dueFrom: dueFrom, dueTo: dueTo)
    }
}
