import Foundation
import KraamzorgAPI
import PostgresClient
import Synchronization
import Testing
import TestSupport

/// A slow table cannot take everything down: while another session holds `LOCK TABLE clients IN ACCESS
/// EXCLUSIVE MODE`, waves of concurrent requests hit `GET /v1/clients` (which reads the table), `GET /v1/me`
/// and `/readyz` (which do not). The client route's requests hold at most their class's share of the pool and
/// answer 503 with `Retry-After` (no free connection of their class soon enough, or their statement timeout
/// ended the lock wait); the others answer 200 throughout. Outcomes are counted; no duration is asserted.
///
/// A database of its own, so the lock stops no other suite, and a service of its own with production's short
/// waits: a pool of 6 (each class may hold 3), 1 s to get a connection, statements ended after 1.5 s.
@Suite struct TableLockTests {
    @Test func aLockedClientsTableTakesDownOnlyTheRoutesThatReadIt() async throws {
        let url = try await IsolatedDatabase.url()
        let app = try await TestApp.start(
            databaseURL: url, poolSize: 6,
            database: DatabaseClasses(
                acquireTimeout: .seconds(1), statementTimeout: .milliseconds(1_500)))
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        _ = try await world.placedClient()
        #expect(try await app.call("GET", "/v1/clients", token: world.coordinator).status == 200)

        let locker = PostgresPool(configuration: try PostgresConfiguration(url: url))
        let locked = ReleaseGate(), unlock = ReleaseGate()
        let holder = Task {
            try await locker.withTransaction { conn in
                try await conn.simpleQuery(unsafeSQL: "LOCK TABLE clients IN ACCESS EXCLUSIVE MODE")
                locked.open()
                await unlock.wait()
            }
        }
        await locked.wait()

        // The most connections the client routes' class held at once, sampled while the waves run.
        let peak = Atomic<Int>(0), sampling = Atomic<Bool>(true)
        let sampler = Task {
            while sampling.load(ordering: .relaxed) {
                peak.max(app.pool.statistics.inUseByClass[DatabaseClasses.waitlists] ?? 0, ordering: .relaxed)
                try? await Task.sleep(for: .milliseconds(2))
            }
        }

        var outcomes: [String: [String: Int]] = [:]
        var missingRetryAfter = 0
        for _ in 0..<3 {
            let wave = try await withThrowingTaskGroup(of: (String, TestResponse).self) { group in
                for _ in 0..<10 {
                    group.addTask { ("clients", try await app.call("GET", "/v1/clients", token: world.coordinator)) }
                    group.addTask { ("me", try await app.call("GET", "/v1/me", token: world.coordinator)) }
                    group.addTask { ("readyz", try await app.call("GET", "/readyz")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for (route, response) in wave {
                var outcome = String(response.status)
                if response.status == 503 {
                    if response.header("Retry-After") == nil { missingRetryAfter += 1 }
                    let detail = (try? response.object()["detail"] as? String) ?? ""
                    outcome += detail.contains("busy") ? " busy" : detail.contains("too long") ? " too long" : " other"
                }
                outcomes[route, default: [:]][outcome, default: 0] += 1
            }
        }
        sampling.store(false, ordering: .relaxed)
        await sampler.value
        // Every wave ran while the table was locked: the lock is released only now.
        unlock.open()
        try await holder.value
        await locker.close()

        print(
            "TableLockTests outcomes while clients was locked: \(outcomes.sorted { $0.key < $1.key }); "
                + "peak connections of the client routes' class: \(peak.load(ordering: .relaxed)) of \(app.pool.statistics.maxSize)")
        #expect(outcomes["me"] == ["200": 30], "GET /v1/me never touches clients")
        #expect(outcomes["readyz"] == ["200": 30], "/readyz stays ready while the database answers")
        let clients = outcomes["clients"] ?? [:]
        #expect(clients.values.reduce(0, +) == 30)
        #expect(clients.keys.allSatisfy { $0.hasPrefix("503 busy") || $0.hasPrefix("503 too long") }, "\(clients)")
        #expect(clients["503 too long", default: 0] > 0, "some requests waited on the lock until their statement timeout")
        #expect(missingRetryAfter == 0)
        #expect(peak.load(ordering: .relaxed) == 3, "the client routes held their class's cap, never more")

        // Once the lock is gone the client route answers again.
        #expect(try await app.call("GET", "/v1/clients", token: world.coordinator).status == 200)
        #expect(try await app.call("GET", "/v1/me", token: world.coordinator).status == 200)
        await app.stop()
    }
}
