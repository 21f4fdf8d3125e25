import FoundationEssentials
import PostgresClient

/// How the API's requests borrow database connections. Each family of routes borrows through a class of its
/// own (`PostgresPool.forClass`), capped at part of the pool, so requests stuck on one table (a lock, a slow
/// query) hold at most that class's connections: the token lookup of every request and the other route
/// families keep the rest. A request that cannot get a connection soon answers 503 with `Retry-After`.
public struct DatabaseClasses: Sendable {
    /// The token lookup of every request (and its `last_used_at` touch).
    public static let auth = "auth"
    /// Organisations, users, memberships, tokens (`/v1/me`), webhook subscriptions.
    public static let accounts = "accounts"
    /// The practitioners' register: practitioners, periods, courses, accreditations, lookups, files.
    public static let register = "register"
    /// Regions, waitlists, clients, the client pages, reports and the event feed.
    public static let waitlists = "waitlists"
    /// The resource locks of writes (`ResourceLocks`): one connection per write to a resource while it runs.
    public static let locks = "locks"
    /// `/metrics`' outbox backlog (at most one connection).
    public static let operations = "operations"
    /// The scheduled jobs, the outbox sender and the webhook deliverer (see `jobs(poolSize:acquireTimeout:)`).
    public static let jobs = "jobs"

    /// How long a request waits for a free connection of its class before answering 503 (`DB_ACQUIRE_TIMEOUT_MS`).
    public var acquireTimeout: Duration
    /// `statement_timeout` of the requests' statements, so a wait for a lock ends (`DB_STATEMENT_TIMEOUT_MS`);
    /// nil: the pool's own (`statement_timeout` in `DATABASE_URL`, 30 s by default).
    public var statementTimeout: Duration?
    /// Connections one class may hold at once (`DB_CLASS_MAX_CONNECTIONS`); nil: half the pool, rounded up.
    public var maxConnectionsPerClass: Int?

    public init(
        acquireTimeout: Duration = .milliseconds(1_500), statementTimeout: Duration? = .seconds(10), maxConnectionsPerClass: Int? = nil
    ) {
        self.acquireTimeout = acquireTimeout
        self.statementTimeout = statementTimeout
        self.maxConnectionsPerClass = maxConnectionsPerClass.map { max(1, $0) }
    }

    /// The cap of every class in a pool of `poolSize`.
    public func cap(poolSize: Int) -> Int {
        maxConnectionsPerClass ?? Self.half(poolSize)
    }

    /// `pool` as the request class `name` borrows it.
    func pool(_ name: String, from pool: PostgresPool) -> PostgresPool {
        let cap = name == Self.operations ? 1 : cap(poolSize: pool.configuration.poolSize)
        return pool.forClass(.init(name: name, maxConnections: cap, acquireTimeout: acquireTimeout, statementTimeout: statementTimeout))
    }

    /// The jobs' class: capped like the request classes, but waiting as long as `acquireTimeout` (by default the
    /// pool's own) and with the pool's `statement_timeout`: a job may take its time, a request may not.
    public static func jobs(poolSize: Int, maxConnections: Int? = nil, acquireTimeout: Duration) -> PostgresPool.TrafficClass {
        PostgresPool.TrafficClass(name: jobs, maxConnections: maxConnections ?? half(poolSize), acquireTimeout: acquireTimeout)
    }

    private static func half(_ poolSize: Int) -> Int { max(1, (poolSize + 1) / 2) }
}
