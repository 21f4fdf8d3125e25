import Foundation
import HTTPServer
import KraamzorgAPI
import KraamzorgStore
import Logging
import Testing
import TestSupport

/// Rate limits by route class (hardening issue): anonymous lookups use up their own bucket, not a client's
/// own pages; bulk lookups are counted per number; limited answers say when to come back.
@Suite struct FairLimitsTests {
    /// A second server on the shared database, with small limits, so its buckets are this suite's alone.
    static func limitedServer(_ shared: TestApp) throws -> (Server, HTTPTestClient) {
        let app = KraamzorgApp(
            pool: shared.pool, logger: Logger(level: .error), jobs: standardScheduler(shared.pool),
            configuration: .init(
                openAPIDocument: [], httpMetrics: { "" }, webhookSecretKey: .random(), lookupNumbersPerMinute: 10,
                database: TestApp.patientDatabaseClasses))
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.rateLimit = RateLimit(requests: 5, per: .seconds(60))
        configuration.rateLimitBuckets = [
            RouteClasses.lookupsBucket: RateLimit(requests: 3, per: .seconds(60)),
            RouteClasses.clientLinksBucket: RateLimit(requests: 60, per: .seconds(60)),
        ]
        let server = Server(configuration: configuration, router: app.router(), logger: Logger(level: .error))
        return (server, HTTPTestClient(port: try server.start()))
    }

    @Test func aClientsOwnPageStillAnswersWhileAnonymousLookupsAreLimited() async throws {
        let shared = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: shared, providers: 0)
        let client = try await world.placedClient()
        let (server, http) = try Self.limitedServer(shared)
        defer { Task { await server.shutdown() } }

        for _ in 0..<3 {
            let lookup = try await http.request("GET", "/v1/register/KCKZ-00000000")
            #expect(lookup.status == 404)
            #expect(lookup.header("RateLimit-Limit") == "3")
        }
        let limited = try await http.request("GET", "/v1/register/KCKZ-00000000")
        #expect(limited.status == 429)
        // 20 s for one token at 3 a minute, less what refilled while the test ran.
        #expect((15...20).contains(Int(limited.header("Retry-After") ?? "") ?? 0) && limited.header("RateLimit-Remaining") == "0")
        #expect(limited.header("Content-Type") == "application/problem+json")

        // Her own link (JSON and page) and the public agenda are other classes.
        let own = try await http.request("GET", "/v1/client-links/\(client.link)")
        #expect(own.status == 200, "\(own.text)")
        #expect(own.header("RateLimit-Limit") == "60")
        #expect(try await http.request("GET", "/aanmelding/\(client.link)").status == 200)
        #expect(try await http.request("GET", "/v1/courses").status == 200)
    }

    @Test func bulkLookupsAreCountedPerNumber() async throws {
        let shared = try await TestApp.shared.value
        let (server, http) = try Self.limitedServer(shared)
        defer { Task { await server.shutdown() } }
        func lookups(_ n: Int) async throws -> TestResponse {
            let items = (0..<n).map { ["registrationNumber": String(format: "KCKZ-%08d", $0)] }
            let body = Array(try JSONSerialization.data(withJSONObject: ["items": items]))
            return try await http.request(
                "POST", "/v1/register/lookups",
                headers: [("Authorization", "Bearer \(shared.adminToken)"), ("Content-Type", "application/json")], body: body)
        }
        let first = try await lookups(6)
        #expect(first.status == 200)
        #expect(first.header("RateLimit-Limit") == "10" && first.header("RateLimit-Remaining") == "4")
        let second = try await lookups(6)
        #expect(second.status == 429)
        #expect((8...12).contains(Int(second.header("Retry-After") ?? "") ?? 0))  // 2 numbers short at 10 a minute
        #expect(try await lookups(4).status == 200)  // what is left can still be used
    }
}
