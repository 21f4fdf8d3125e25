import Foundation
import Testing
import TestSupport

/// The service outlives its database: `/readyz` says 503 while PostgreSQL is down and 200 once it is
/// back, without restarting the service. Runs against a private cluster, never the shared one.
@Suite struct ReadinessTests {
    @Test func readinessFollowsTheDatabaseAcrossARestart() async throws {
        let cluster = try PostgresTestCluster()
        defer { cluster.remove() }
        try cluster.start()
        let app = try await TestApp.start(databaseURL: cluster.url)
        #expect(try await app.call("GET", "/readyz").status == 200)
        #expect(try await app.call("GET", "/v1/me", token: app.adminToken).status == 200)

        try cluster.stop()
        let down = try await app.call("GET", "/readyz")
        #expect(down.status == 503)
        #expect(down.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        // Liveness does not depend on the database; an authenticated route says 503, not 500.
        #expect(try await app.call("GET", "/healthz").status == 200)
        #expect(try await app.call("GET", "/v1/me", token: app.adminToken).status == 503)

        try cluster.start()
        #expect(try await app.call("GET", "/readyz").status == 200)
        #expect(try await app.call("GET", "/v1/me", token: app.adminToken).status == 200)
        await app.stop()
    }
}
