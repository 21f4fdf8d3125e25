import Foundation
import HTTPServer
import KraamzorgRules
@testable import KraamzorgAPI
@testable import KraamzorgStore
import Logging
import PostgresClient
import Testing
import TestSupport

/// Authentication without a query per request (issue 23): a token's principal is kept in memory for a while, and a
/// revocation through one instance empties the cache of every instance (`LISTEN/NOTIFY`). Two instances on one database.
@Suite(.serialized) struct TokenCacheTests {
    /// A second instance of the service on the shared database, with a pool and a cache of its own.
    struct Instance: Sendable {
        let app: KraamzorgApp
        let server: Server
        let pool: PostgresPool
        let http: HTTPTestClient

        /// `privateChannel`: listens on a channel nobody notifies, so that the changes other suites make meanwhile
        /// (each empties every cache on the shared channel) leave its cache alone.
        static func start(privateChannel: Bool = false) async throws -> Instance {
            guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else { throw TestAppError.noDatabase }
            var configuration = try PostgresConfiguration(url: url)
            configuration.poolSize = 4
            configuration.applicationName = "kraamzorg-instance-b"
            let pool = PostgresPool(configuration: configuration)
            var appConfiguration = KraamzorgApp.Configuration(
                openAPIDocument: [], httpMetrics: { "" }, webhookSecretKey: .random(), database: TestApp.patientDatabaseClasses)
            if privateChannel { appConfiguration.tokenCacheChannel = "kraamzorg_auth_test_\(UInt32.random(in: 0...UInt32.max))" }
            let app = KraamzorgApp(
                pool: pool, logger: Logger(level: .error), jobs: standardScheduler(pool), configuration: appConfiguration)
            var serverConfiguration = ServerConfiguration()
            serverConfiguration.port = 0
            let server = Server(configuration: serverConfiguration, router: app.router(), logger: Logger(level: .error))
            let instance = Instance(app: app, server: server, pool: pool, http: HTTPTestClient(port: try server.start()))
            try await instance.waitUntilListening()
            return instance
        }

        /// The listener connects on a thread of its own: wait (at most 5 s) until it listens, so the cache is in use.
        func waitUntilListening() async throws {
            for _ in 0..<500 where !app.tokenCacheListening { try await Task.sleep(for: .milliseconds(10)) }
            #expect(app.tokenCacheListening)
        }

        func me(_ token: String) async throws -> TestResponse {
            try await http.request("GET", "/v1/me", headers: [("Authorization", "Bearer \(token)")])
        }

        var cached: Int { app.authNotifications?.cache.count ?? -1 }

        func stop() async {
            app.stop()
            await server.shutdown()
            await pool.close()
        }
    }

    /// Asks instance B until it answers `status` (at most 2 s); returns how many answers it took (1: the very next one).
    func askUntil(_ status: Int, _ ask: () async throws -> TestResponse) async throws -> Int? {
        let deadline = ContinuousClock.now + .seconds(2)
        var attempts = 0
        while ContinuousClock.now < deadline {
            attempts += 1
            if try await ask().status == status { return attempts }
        }
        return nil
    }

    @Test func aTokenSeenOnceIsAnsweredFromMemoryByBothInstances() async throws {
        let a = try await TestApp.shared.value
        let b = try await Instance.start(privateChannel: true)
        defer { Task { await b.stop() } }
        let org = try await a.organization("insurer")
        let (_, token) = try await a.user(role: "insurer", organizationId: org)
        #expect(try await b.me(token).status == 200)
        let cachedAfterFirst = b.cached
        #expect(cachedAfterFirst >= 1)
        // While the token sits in B's cache, the database is not asked: with B's pool closed, the token still answers,
        // and a token B has not seen cannot be looked up.
        await b.pool.close()
        #expect(try await b.me(token).status == 200)
        #expect(try await b.me(token).status == 200)
        #expect(try await b.me("not-a-token-b-has-seen").status == 503)
    }

    @Test func aUserDeactivatedThroughInstanceAIsRefusedByInstanceBAtOnce() async throws {
        let a = try await TestApp.shared.value
        let b = try await Instance.start()
        defer { Task { await b.stop() } }
        let org = try await a.organization("careProvider")
        let (id, token) = try await a.user(role: "careProvider", organizationId: org)
        // Both instances have the token in memory.
        #expect(try await a.call("GET", "/v1/me", token: token).status == 200)
        #expect(try await b.me(token).status == 200)
        #expect(try await b.me(token).status == 200)

        #expect(try await a.admin("DELETE", "/v1/users/\(id)").status == 204)
        // Instance A emptied its own cache before answering: its very next request refuses the token.
        #expect(try await a.call("GET", "/v1/me", token: token).status == 401)
        // Instance B empties its cache when the NOTIFY of A's transaction reaches its listener, which PostgreSQL
        // sends at that commit. Bounded at 2 s; in practice the very next request (attempts == 1).
        let attempts = try await askUntil(401) { try await b.me(token) }
        #expect(attempts != nil, "instance B still accepted a deactivated user's token after 2 s")
    }

    @Test func aRevokedTokenAndAChangedMembershipReachInstanceB() async throws {
        let a = try await TestApp.shared.value
        let b = try await Instance.start()
        defer { Task { await b.stop() } }
        let org = try await a.organization("insurer")
        let (_, token) = try await a.user(role: "insurer", organizationId: org, avgAccess: true)
        let me = try await b.me(token).object()
        let membership = try #require(me["membership"] as? [String: Any], "\(me)")
        #expect(membership["avgAccess"] as? Bool == true)
        let membershipId = try #require(membership["id"] as? String)
        let tokenId = try #require((me["token"] as? [String: Any])?["id"] as? String)

        // The membership loses its AVG access through A: B's next answers show it.
        #expect(try await a.admin("PATCH", "/v1/memberships/\(membershipId)", json: ["avgAccess": false]).status == 200)
        var changed = false
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline && !changed {
            let now = try await b.me(token).object()
            changed = (now["membership"] as? [String: Any])?["avgAccess"] as? Bool == false
        }
        #expect(changed, "instance B kept the membership's old AVG access")

        // The token revoked through A (its own revocation): B refuses it.
        #expect(try await a.call("DELETE", "/v1/tokens/\(tokenId)", token: token).status == 204)
        #expect(try await askUntil(401) { try await b.me(token) } != nil)
    }

    @Test func afterItsListeningConnectionIsKilledAnInstanceStopsUsingTheCacheReconnectsAndStillHearsRevocations() async throws {
        let a = try await TestApp.shared.value
        let b = try await Instance.start()
        defer { Task { await b.stop() } }
        let org = try await a.organization("insurer")
        let (id, token) = try await a.user(role: "insurer", organizationId: org)
        #expect(try await b.me(token).status == 200)
        let listened = try #require(b.app.authNotifications).timesListened

        // The listening backend of B goes away (a server restart, a network failure look the same to it).
        let killed = try await a.pool.query(
            """
            SELECT count(pg_terminate_backend(pid))::bigint AS n FROM pg_stat_activity
            WHERE application_name = 'kraamzorg-instance-b-listen'
            """)[0].decode("n", as: Int.self)
        #expect(killed >= 1)
        // It notices (the cache is then unused and emptied), reconnects and listens again: bounded wait on that count.
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline && b.app.authNotifications?.timesListened == listened {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(b.app.authNotifications?.timesListened == listened + 1)
        #expect(b.app.tokenCacheListening)

        #expect(try await b.me(token).status == 200)
        #expect(try await a.admin("DELETE", "/v1/users/\(id)").status == 204)
        #expect(try await askUntil(401) { try await b.me(token) } != nil)
    }

    @Test func tokenCacheKeepsNothingReadBeforeItWasEmptied() {
        let cache = TokenCache(timeToLive: .seconds(30), capacity: 2)
        let hash = Array(repeating: UInt8(1), count: 32)
        // Not listening: never used.
        guard case .miss(generation: nil) = cache.lookup(hash) else {
            Issue.record("a cache that does not listen was used")
            return
        }
        cache.setListening(true)
        guard case .miss(generation: let generation?) = cache.lookup(hash) else {
            Issue.record("no generation handed out while listening")
            return
        }
        // A notification arrives between the database read and the store: the stale read is not kept.
        cache.empty()
        cache.store(hash, Self.principal(), generation: generation, touchedAt: nil)
        #expect(cache.count == 0)
        guard case .miss(generation: let fresh?) = cache.lookup(hash) else { return }
        cache.store(hash, Self.principal(), generation: fresh, touchedAt: nil)
        #expect(cache.count == 1)
        // Bounded: a third token pushes one out.
        guard case .miss(generation: let g2?) = cache.lookup([2]), case .miss(generation: let g3?) = cache.lookup([3]) else { return }
        cache.store([2], Self.principal(), generation: g2, touchedAt: nil)
        cache.store([3], Self.principal(), generation: g3, touchedAt: nil)
        #expect(cache.count == 2)
        // An expired token is not answered from memory.
        let expired = TokenCache(timeToLive: .seconds(30))
        expired.setListening(true)
        guard case .miss(generation: let g?) = expired.lookup(hash) else { return }
        expired.store(hash, Self.principal(expiresAt: Date(timeIntervalSinceNow: -1)), generation: g, touchedAt: nil)
        guard case .miss = expired.lookup(hash) else {
            Issue.record("an expired token was answered from memory")
            return
        }
    }

    static func principal(expiresAt: Date? = nil) -> Principal {
        Principal(
            tokenId: UUID(), user: User(id: UUID(), name: "T", email: "t@example.nl", createdAt: Date(), revokedAt: nil),
            membership: Membership(
                id: UUID(), userId: UUID(), organizationId: UUID(), role: .insurer, avgAccess: false, manager: false,
                practitionerId: nil, regionIds: [], createdAt: Date(), revokedAt: nil),
            organization: Organization(
                id: UUID(), kind: .insurer, name: "O", parentId: nil, agbCode: nil, kvkNumber: nil, createdAt: Date()),
            tokenLastUsedAt: nil, tokenExpiresAt: expiresAt)
    }
}
