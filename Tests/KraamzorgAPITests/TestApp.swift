import Foundation
import Hashing
import HTTPServer
import Logging
import KraamzorgAPI
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import TestSupport

/// The service running in-process on a loopback port against the test PostgreSQL (`DATABASE_URL`).
/// One instance serves every test in the run; tests create their own organisations and users.
struct TestApp: Sendable {
    let pool: PostgresPool
    let server: Server
    let client: HTTPTestClient
    let adminToken: String
    /// The key the service derives webhook secrets from; a deliverer in a test uses it too.
    let webhookKey: WebhookSecretKey

    static let shared = Task<TestApp, any Error> { try await TestApp.start(databaseURL: nil) }

    /// Waits for connections as long as the pool did before classes had caps and short waits (10 s, the pool's
    /// statement timeout): the suites run side by side on two cores, and a request of theirs must not answer
    /// 503 because the machine is busy. `TableLockTests` tries the short waits of production.
    static let patientDatabaseClasses = DatabaseClasses(acquireTimeout: .seconds(10), statementTimeout: nil)

    static func start(
        databaseURL: String?, poolSize: Int = 8, database: DatabaseClasses = patientDatabaseClasses, clock: DutchClock = .system,
        releasesPerDay: Int = 5
    ) async throws -> TestApp {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] else {
            throw TestAppError.noDatabase
        }
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = poolSize
        let pool = PostgresPool(configuration: configuration)
        try await TestApp.migrate(pool, url: url)
        let adminToken = SecretToken.generate()
        try await IdentityStore(pool: pool).bootstrapAdmin(tokenHash: SecretToken.hash(adminToken))
        let logger = Logger(level: .warn)
        let box = MetricsBox()
        let webhookKey = WebhookSecretKey.random()
        let app = KraamzorgApp(
            pool: pool, logger: logger, jobs: standardScheduler(pool), clock: clock,
            configuration: .init(
                openAPIDocument: Array("openapi: 3.1.0\n".utf8), httpMetrics: { box.text() }, webhookSecretKey: webhookKey,
                webhookAllowPrivate: true,
                database: database, releasesPerDay: releasesPerDay))
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.port = 0
        serverConfiguration.problemType = app.serverProblemTypes
        let server = Server(configuration: serverConfiguration, router: app.router(), logger: logger)
        box.set(server.metrics)
        let port = try server.start()
        return TestApp(pool: pool, server: server, client: HTTPTestClient(port: port), adminToken: adminToken, webhookKey: webhookKey)
    }

    /// Migrates the database of `url` as the owner (`DATABASE_OWNER_URL`), who grants the request role
    /// (`DATABASE_URL`, the role of `pool`) what it needs: the service under test has its own privileges only.
    static func migrate(_ pool: PostgresPool, url: String) async throws {
        _ = try await DatabaseRoles.migrate(
            requestPool: pool, ownerURL: testOwnerURL(forDatabaseOf: url), requestRole: testDatabaseAppRole())
    }

    func stop() async {
        await server.shutdown()
        await pool.close()
    }

    // MARK: requests

    func call(
        _ method: String, _ path: String, token: String? = nil, json: Any? = nil,
        headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        var body: [UInt8]?
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            all.append(("Content-Type", "application/json"))
        }
        return try await client.request(method, path, headers: all, body: body)
    }

    func admin(_ method: String, _ path: String, json: Any? = nil) async throws -> TestResponse {
        try await call(method, path, token: adminToken, json: json)
    }

    // MARK: fixtures

    /// A fresh organisation of the given kind; returns its id.
    func organization(_ kind: String, name: String = "Org \(UUID().uuidString.prefix(8))", parentId: String? = nil) async throws -> String {
        var body: [String: Any] = ["kind": kind, "name": name]
        if let parentId { body["parentId"] = parentId }
        let r = try await admin("POST", "/v1/organizations", json: body)
        guard r.status == 201, let id = try r.object()["id"] as? String else {
            throw TestAppError.fixture("organization: \(r.status) \(r.text)")
        }
        return id
    }

    /// A fresh user with one membership; returns (user id, token).
    func user(
        role: String, organizationId: String?, avgAccess: Bool = false, manager: Bool = false,
        by token: String? = nil
    ) async throws -> (id: String, token: String) {
        let email = "\(UUID().uuidString.lowercased())@example.nl"
        var body: [String: Any] = ["name": "Test \(role)", "email": email, "role": role, "avgAccess": avgAccess, "manager": manager]
        if let organizationId { body["organizationId"] = organizationId }
        let r = try await call("POST", "/v1/users", token: token ?? adminToken, json: body)
        guard r.status == 201, let object = try? r.object(), let id = object["id"] as? String else {
            throw TestAppError.fixture("user: \(r.status) \(r.text)")
        }
        // An admin's answer shows the token once; a manager's never does: it went to the person by email.
        if let secret = object["token"] as? String { return (id, secret) }
        return (id, try await credential(sentTo: email))
    }

    /// The token of the newest membership credential emailed to `email` (the outbox keeps it until sent).
    func credential(sentTo email: String) async throws -> String {
        let rows = try await pool.query(
            "SELECT link FROM notifications WHERE kind = 'membershipCredential' AND recipient = \(email) ORDER BY created_at DESC LIMIT 1")
        guard let token: String = try rows.first?.decode("link") else { throw TestAppError.fixture("no credential emailed to \(email)") }
        return token
    }
}

enum TestAppError: Error { case noDatabase, fixture(String) }

final class MetricsBox: Sendable {
    private let metrics = LockedValue<HTTPMetrics?>(nil)
    func set(_ m: HTTPMetrics) { metrics.set(m) }
    func text() -> String { metrics.get()?.prometheusText() ?? "" }
}

import Synchronization

final class LockedValue<T: Sendable>: Sendable {
    private let mutex: Mutex<T>
    init(_ value: T) { mutex = Mutex(value) }
    func get() -> T { mutex.withLock { $0 } }
    func set(_ value: T) { mutex.withLock { $0 = value } }
}

extension TestResponse {
    func object() throws -> [String: Any] {
        guard let o = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw TestAppError.fixture("not an object: \(text)")
        }
        return o
    }
}
