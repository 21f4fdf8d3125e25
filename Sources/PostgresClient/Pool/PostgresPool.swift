import Dispatch
import Synchronization

/// A bounded set of connections, opened lazily and shared by every task of the process.
///
/// A connection that broke (server restart, terminated backend, network) is discarded when it is
/// returned or found dead on its way out of the pool; the next caller gets a fresh one. So after
/// PostgreSQL comes back, the pool heals by itself.
///
/// **Traffic classes.** `forClass(_:)` gives a view of the same pool that lends at most
/// `maxConnections` connections at a time to its class (by name), waits for one at most the class's
/// `acquireTimeout`, and may run its statements with a `statement_timeout` of its own. So work stuck in
/// one class (say, behind a table lock) holds at most its cap, and the other classes keep the rest.
/// The pool itself (no class) is capped only by `poolSize`.
///
/// **Health checks.** `ping` never queues behind other callers: it takes a free connection if there is
/// one at that moment, and otherwise uses one connection kept apart for health checks (opened when first
/// needed, outside `poolSize`).
public final class PostgresPool: Sendable {
    /// The pool's configuration; in a class's view, `acquireTimeout` and `statementTimeout` are the class's.
    public let configuration: PostgresConfiguration
    /// The class this view lends to; nil for the pool itself.
    public let trafficClass: TrafficClass?
    let core: PoolCore

    /// A named share of the pool: at most `maxConnections` lent to it at once.
    public struct TrafficClass: Sendable, Hashable {
        public var name: String
        /// Connections lent to this class at once at most (at least 1; more than `poolSize` means no cap of its own).
        public var maxConnections: Int
        /// How long a caller of this class waits for a connection; then `PostgresError(kind: .timeout)`.
        public var acquireTimeout: Duration
        /// `statement_timeout` while a connection is lent to this class; nil: the pool's `statementTimeout`.
        public var statementTimeout: Duration?

        public init(name: String, maxConnections: Int, acquireTimeout: Duration, statementTimeout: Duration? = nil) {
            self.name = name
            self.maxConnections = max(1, maxConnections)
            self.acquireTimeout = acquireTimeout
            self.statementTimeout = statementTimeout
        }
    }

    public init(configuration: PostgresConfiguration) {
        var configuration = configuration
        configuration.poolSize = max(1, configuration.poolSize)
        self.configuration = configuration
        self.trafficClass = nil
        self.core = PoolCore(configuration: configuration, keepsHealthConnection: true)
    }

    private init(core: PoolCore, trafficClass: TrafficClass, configuration: PostgresConfiguration) {
        self.core = core
        self.trafficClass = trafficClass
        self.configuration = configuration
    }

    /// The same pool, lending to `trafficClass` within its cap (see the type's documentation). Views of one
    /// name share their count; the cap last given for a name applies to all of them. Closing a view closes the pool.
    public func forClass(_ trafficClass: TrafficClass) -> PostgresPool {
        core.setCap(trafficClass.maxConnections, for: trafficClass.name)
        var configuration = core.configuration
        configuration.acquireTimeout = trafficClass.acquireTimeout
        if let statementTimeout = trafficClass.statementTimeout { configuration.statementTimeout = statementTimeout }
        return PostgresPool(core: core, trafficClass: trafficClass, configuration: configuration)
    }

    /// The whole pool's figures (the same from every view).
    public var statistics: PostgresPoolStatistics { core.statistics }

    // MARK: Running statements

    /// Runs one statement on whichever connection is free.
    public func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresRows {
        try await withConnection(file: file, line: line) { connection in
            try await connection.query(query, file: file, line: line)
        }
    }

    /// Runs one read-only statement on a connection shared with other such reads (`PostgresConfiguration
    /// .sharedReadConnections`): statements that arrive while a batch is at the server go out together as the next
    /// batch, so the server answers many per round trip. For short reads of many concurrent callers (the public
    /// register). The statement must not write: the session is read-only, and a batch is one implicit transaction.
    /// Runs on the pool as `query` does when no shared connection is open yet, or when it could not run there.
    public func sharedRead(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresRows {
        if let shared = core.sharedReads(className: trafficClass?.name, configuration: configuration) {
            do {
                if let rows = try await shared.read(query) { return rows }
            } catch let error as PostgresError {
                throw error.at(file: file, line: line)
            }
        }
        return try await self.query(query, file: file, line: line)
    }

    /// Runs one statement on whichever connection is free; returns the affected row count.
    @discardableResult
    public func execute(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> Int {
        try await withConnection(file: file, line: line) { connection in
            try await connection.execute(query, file: file, line: line)
        }
    }

    /// Lends a connection for the closure and always takes it back. The closure must not keep or
    /// share the connection beyond its own end. A transaction left open by the closure is rolled back.
    public func withConnection<T: Sendable>(
        file: String = #fileID, line: Int = #line,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let className = trafficClass?.name
        let (connection, _) = try await core.acquire(className: className, timeout: configuration.acquireTimeout, file: file, line: line)
        let value: T
        do {
            try await connection.ensureStatementTimeout(milliseconds: configuration.statementTimeoutMillis, file: file, line: line)
            value = try await body(connection)
        } catch {
            await core.release(connection, className: className)
            throw error
        }
        await core.release(connection, className: className)
        return value
    }

    /// True when the database answers `SELECT 1` within `timeout` (2 s by default), on a connection free at
    /// this moment or else on the one kept for health checks: never behind callers waiting for a connection.
    /// A connection found broken is replaced and the ping tried once more, so a restarted server answers at once.
    public func ping(timeout: Duration = .seconds(2)) async -> Bool {
        let answer = OneShot<Bool>()
        return await withCheckedContinuation { continuation in
            answer.set(continuation)
            Task {
                answer.resume(await self.pingOnce(timeout: timeout))
            }
            let nanoseconds = max(0, PostgresConfiguration.milliseconds(timeout)) * 1_000_000
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
                answer.resume(false)
            }
        }
    }

    public func ping() async -> Bool {
        await ping(timeout: .seconds(2))
    }

    private func pingOnce(timeout: Duration) async -> Bool {
        for attempt in 0..<2 {
            let connection: PostgresConnection, fresh: Bool, lender: PoolCore
            do {
                if let now = try await core.acquireWithoutWaiting() {
                    (connection, fresh, lender) = (now.0, now.fresh, core)
                } else if let reserve = core.healthConnection {
                    let lent = try await reserve.acquire(className: nil, timeout: timeout)
                    (connection, fresh, lender) = (lent.0, lent.fresh, reserve)
                } else {
                    return false
                }
            } catch {
                return false
            }
            do {
                _ = try await connection.query("SELECT 1")
                await lender.release(connection, className: nil)
                return true
            } catch let error as PostgresError where error.kind == .connection && !fresh && attempt == 0 {
                await lender.release(connection, className: nil)
                continue
            } catch {
                await lender.release(connection, className: nil)
                return false
            }
        }
        return false
    }

    /// Closes idle connections now and every lent one when it comes back; waiting callers and later
    /// calls fail with `PostgresError(kind: .poolClosed)`. Closes the whole pool, whichever view it is called on.
    public func close() async {
        await core.close()
    }
}
