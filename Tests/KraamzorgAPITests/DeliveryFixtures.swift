import Foundation
import HTTPServer
import Logging
import KraamzorgJobs
import KraamzorgStore
import PostgresClient
import SMTPClient
import Synchronization
import TestSupport

/// A fresh database of its own (created next to the shared test database), so that senders, deliverers
/// and jobs that take every pending row see only what the test made.
enum IsolatedDatabase {
    static func url() async throws -> String {
        guard let shared = ProcessInfo.processInfo.environment["DATABASE_URL"] else { throw TestAppError.noDatabase }
        let name = "jobs_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        let admin = PostgresPool(configuration: try PostgresConfiguration(url: shared))
        try await admin.withConnection { conn in try await conn.simpleQuery(unsafeSQL: "CREATE DATABASE \(name)") }
        await admin.close()
        guard let slash = shared.lastIndex(of: "/") else { throw TestAppError.noDatabase }
        var rest = String(shared[shared.index(after: slash)...])
        if let q = rest.firstIndex(of: "?") { rest = String(rest[q...]) } else { rest = "" }
        return String(shared[...slash]) + name + rest
    }

    /// A whole service (HTTP + stores) on its own database.
    static func app() async throws -> TestApp {
        try await TestApp.start(databaseURL: try await url())
    }

    /// The same, with the URL so a test can open a second instance's pool.
    static func appAndURL() async throws -> (TestApp, String) {
        let url = try await url()
        return (try await TestApp.start(databaseURL: url), url)
    }
}

extension TestApp {
    var waitlistStore: WaitlistStore { WaitlistStore(pool: pool) }
    var clientStore: ClientStore { ClientStore(pool: pool) }

    func sender(sink: SMTPSink?, policy: RetryPolicy = RetryPolicy(maxAttempts: 3, base: .seconds(60), lease: .seconds(120)),
                instance: UUID = UUID()) -> OutboxSender {
        let mailer: (any Mailer)? = sink.map { SMTPClient(configuration: .init(host: "127.0.0.1", port: $0.port, timeout: .seconds(5))) }
        return OutboxSender(delivery: OutboxDelivery(pool: pool, policy: policy), mailer: mailer, from: "noreply@kraamzorg.test",
                            logger: Logger(level: .error), instance: instance)
    }

    func deliverer(policy: RetryPolicy = RetryPolicy(maxAttempts: 5, base: .seconds(60), lease: .seconds(120))) -> WebhookDeliverer {
        WebhookDeliverer(store: WebhookStore(pool: pool, policy: policy), waitlists: waitlistStore, clients: clientStore,
                         http: WebhookHTTPClient(timeout: .seconds(5), allowPrivate: true), logger: Logger(level: .error))
    }

    func scheduler(pool other: PostgresPool? = nil) -> JobScheduler { standardScheduler(other ?? pool) }

    /// Waits until every event is readable by the feed and the fan-out: they show events only once every
    /// older transaction in the cluster has ended (other suites run transactions in parallel).
    func eventsSettled(timeout: Duration = .seconds(10)) async throws {
        let clock = ContinuousClock(), deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            let open = try await count("SELECT count(*)::bigint FROM events WHERE txid >= pg_snapshot_xmin(pg_current_snapshot())")
            if open == 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestAppError.fixture("events did not settle")
    }

    func statuses(kind: String? = nil) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await pool.query("SELECT status, count(*)::bigint AS n FROM notifications WHERE (\(kind)::text IS NULL OR kind = \(kind)) GROUP BY status") {
            out[try row.decode("status")] = try row.decode("n", as: Int.self)
        }
        return out
    }
}

/// A webhook receiver on our own HTTP server (port 0): answers the statuses in `script` in turn, then 200,
/// and keeps every request.
final class WebhookReceiver: Sendable {
    struct Hit: Sendable { let body: [UInt8]; let signature: String?; let eventId: String? }
    final class State: Sendable {
        let mutex: Mutex<(script: [Int], hits: [Hit])>
        init(_ script: [Int]) { mutex = Mutex((script, [])) }
        func withLock<T>(_ body: (inout (script: [Int], hits: [Hit])) -> T) -> T { mutex.withLock { body(&$0) } }
    }
    let server: Server
    let port: Int
    private let state: State

    init(script: [Int] = []) throws {
        let state = State(script)
        var router = Router()
        router.add(.POST, "/hook") { request in
            let status = state.withLock { s -> Int in
                s.hits.append(Hit(body: request.body, signature: request.headers["X-Signature"], eventId: request.headers["X-Event-Id"]))
                return s.script.isEmpty ? 200 : s.script.removeFirst()
            }
            return HTTPResponse(status: HTTPStatus(code: status), body: Array("ok".utf8))
        }
        var configuration = ServerConfiguration()
        configuration.port = 0
        server = Server(configuration: configuration, router: router, logger: Logger(level: .error))
        port = try server.start()
        self.state = state
    }

    var hits: [Hit] { state.withLock { $0.hits } }
    var url: String { "http://127.0.0.1:\(port)/hook" }
    func stop() async { await server.shutdown() }
}

/// The scheduler the executable builds, on `pool`.
func standardScheduler(_ pool: PostgresPool) -> JobScheduler {
    JobScheduler(pool: pool, jobs: StandardJobs.all(waitlists: WaitlistStore(pool: pool), clients: ClientStore(pool: pool), register: RegisterStore(pool: pool)),
                 logger: Logger(level: .error))
}
