import CLibPQ
import Dispatch
import Synchronization

/// One libpq connection. Every libpq call runs on the connection's own serial `DispatchQueue`, so
/// Swift's cooperative threads never block on the network; callers await a continuation.
///
/// Borrow one with `PostgresPool.withConnection`; it must not be used after that closure returns.
/// Statements are prepared once per connection and then executed by name.
public final class PostgresConnection: Sendable {
    /// Unique within the process; names the connection's queue.
    public let id: Int

    private let queue: DispatchQueue
    /// The libpq handle and statement cache; locked only on `queue`, around each libpq call.
    private let session: Mutex<PostgresSession>
    /// What the pool needs to know between calls; never held across a libpq call.
    private let health: Mutex<Health>

    struct Health: Sendable {
        var isBroken = false
        var transactionStatus = PostgresTransactionStatus.idle
        var preparedStatements = 0
        var queries = 0
        /// Of `queries`, those sent from the caller's thread and answered without the queue (`sendAndAwait`).
        var reactorAnswers = 0
        /// The session's `statement_timeout` in milliseconds as this client last set it (at connect, or by the pool
        /// for a traffic class with a timeout of its own).
        var statementTimeoutMillis = 0
    }

    private init(id: Int, queue: DispatchQueue, session: sending PostgresSession, statementTimeoutMillis: Int) {
        self.id = id
        self.queue = queue
        self.session = Mutex(session)
        self.health = Mutex(Health(statementTimeoutMillis: statementTimeoutMillis))
    }

    /// Opens a connection on a new serial queue; throws `PostgresError(kind: .connection)`.
    static func connect(configuration: PostgresConfiguration, id: Int) async throws -> PostgresConnection {
        let queue = DispatchQueue(label: "postgres.connection.\(id)")
        let parameters = configuration.libpqParameters
        let cacheSize = configuration.preparedStatementCacheSize
        let handle: PostgresHandle = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try PostgresHandle.connect(parameters) })
            }
        }
        return PostgresConnection(
            id: id, queue: queue, session: PostgresSession(handle: handle, cacheLimit: cacheSize),
            statementTimeoutMillis: configuration.statementTimeoutMillis)
    }

    // MARK: Queries

    /// Runs a parameterized statement (prepared on first use on this connection) and reads all rows.
    public func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresRows {
        if let rows = try await sendAndAwait(query, file: file, line: line) { return rows }
        return try await run(file: file, line: line) { session in try session.execute(query) }
    }

    /// Runs a parameterized statement; returns the affected row count.
    @discardableResult
    public func execute(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> Int {
        if let rows = try await sendAndAwait(query, file: file, line: line) { return rows.affectedRows }
        return try await run(file: file, line: line) { session in try session.execute(query).affectedRows }
    }

    /// A statement this connection has prepared is sent from the caller's own thread, and its answer read when it
    /// arrives, by the caller's HTTP event loop or else the reactor (`PostgresReactor.watch`): no hop to the
    /// connection's queue, no thread blocked waiting.
    /// nil when the query must take the queue instead (not prepared here yet, large parameters, or the server
    /// lost the statement and it is to be prepared again).
    private func sendAndAwait(_ query: PostgresQuery, file: String, line: Int) async throws -> PostgresRows? {
        do {
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PostgresRows?, any Error>) in
                let sent: Result<Int32?, any Error> = session.withLock { session in
                    let sent = Result { try session.send(query) }
                    if case .failure = sent { record(session.healthSnapshot) }
                    return sent
                }
                guard case .success(let socket?) = sent else {
                    continuation.resume(with: sent.map { _ in nil })
                    return
                }
                let watched = PostgresReactor.watch(fd: socket, token: UInt64(id)) { canWaitAgain in
                    let answer = self.session.withLock { session in
                        var answer = session.receive()
                        if case .pending = answer, !canWaitAgain { answer = session.abandon() }
                        if case .pending = answer {} else { self.record(session.healthSnapshot) }
                        return answer
                    }
                    if case .done = answer { self.health.withLock { $0.reactorAnswers += 1 } }
                    switch answer {
                    case .pending: return false
                    case .done(let outcome): continuation.resume(with: outcome.map { Optional($0) }.mapError { $0 as any Error })
                    case .prepareAgain: continuation.resume(returning: nil)
                    }
                    return true
                }
                if !watched {
                    let answer = session.withLock { session in
                        let answer = session.abandon()
                        record(session.healthSnapshot)
                        return answer
                    }
                    if case .done(let outcome) = answer {
                        continuation.resume(with: outcome.map { Optional($0) }.mapError { $0 as any Error })
                    }
                }
            }
        } catch let error as PostgresError {
            throw error.at(file: file, line: line)
        }
    }

    /// Sends SQL text as is, with the simple protocol: several statements allowed, no parameters,
    /// no prepared statement. For migrations and fixed commands only, never for text built from input.
    public func simpleQuery(unsafeSQL: String, file: String = #fileID, line: Int = #line) async throws {
        _ = try await run(file: file, line: line) { session in try session.simpleQuery(unsafeSQL) }
    }

    /// COMMIT; returns the command tag, which is `ROLLBACK` when the transaction had failed.
    func commit(file: String, line: Int) async throws -> String {
        try await run(file: file, line: line) { session in try session.simpleQuery("COMMIT").tag }
    }

    /// Closes the connection; later calls fail with `PostgresError(kind: .connection)`.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.session.withLock { $0.close() }
                self.health.withLock { $0.isBroken = true }
                continuation.resume()
            }
        }
    }

    // MARK: For the pool and tests

    var isBroken: Bool { health.withLock { $0.isBroken } }
    var transactionStatus: PostgresTransactionStatus { health.withLock { $0.transactionStatus } }
    /// Statements this connection has prepared so far (for tests and statistics).
    var preparedStatementCount: Int { health.withLock { $0.preparedStatements } }
    var queryCount: Int { health.withLock { $0.queries } }
    var reactorAnswerCount: Int { health.withLock { $0.reactorAnswers } }
    var statementTimeoutMillis: Int { health.withLock { $0.statementTimeoutMillis } }

    /// Sets the session's `statement_timeout` unless it already is `milliseconds`. Only on an idle connection
    /// (outside a transaction), so the setting outlives the statement; the pool calls it when it lends one.
    func ensureStatementTimeout(milliseconds: Int, file: String = #fileID, line: Int = #line) async throws {
        guard statementTimeoutMillis != milliseconds else { return }
        try await simpleQuery(unsafeSQL: "SET statement_timeout = \(max(0, milliseconds))", file: file, line: line)
        health.withLock { $0.statementTimeoutMillis = milliseconds }
    }

    /// Cheap, non-blocking liveness check for an idle connection: reads whatever the server sent while
    /// the connection sat in the pool, which reveals a closed socket (server restart, terminated
    /// backend). False when in use on the queue right now (the pool never probes a busy connection).
    func probeIdle() -> Bool {
        let alive = session.withLockIfAvailable { $0.probe() } ?? false
        if !alive { health.withLock { $0.isBroken = true } }
        return alive
    }

    /// Closes without waiting; for connections the pool discards.
    func closeInBackground() {
        queue.async {
            self.session.withLock { $0.close() }
            self.health.withLock { $0.isBroken = true }
        }
    }

    private func run<Result: Sendable>(
        file: String, line: Int, _ work: @escaping @Sendable (inout PostgresSession) throws -> Result
    ) async throws -> Result {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    let outcome = self.session.withLock { session in
                        let outcome = Swift.Result { try work(&session) }
                        if case .failure(let error as PostgresError) = outcome, error.kind == .connection {
                            session.close()
                        }
                        self.record(session.healthSnapshot)
                        return outcome
                    }
                    continuation.resume(with: outcome)
                }
            }
        } catch let error as PostgresError {
            throw error.at(file: file, line: line)
        }
    }
}

extension PostgresConnection {
    /// What the pool reads between calls, after a statement.
    fileprivate func record(_ snapshot: PostgresSession.HealthSnapshot) {
        health.withLock { health in
            health.isBroken = snapshot.isBroken
            health.transactionStatus = snapshot.transactionStatus
            health.preparedStatements = snapshot.preparedStatements
            health.queries += 1
        }
    }
}

enum PostgresTransactionStatus: Sendable {
    case idle, active, inTransaction, failedTransaction, unknown
}
