import Dispatch
import Synchronization

/// A bounded set of connections, opened lazily and shared by every task of the process.
///
/// A connection that broke (server restart, terminated backend, network) is discarded when it is
/// returned or found dead on its way out of the pool; the next caller gets a fresh one. So after
/// PostgreSQL comes back, the pool heals by itself.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    private let state: Mutex<State>
    private static let connectionIDs = Atomic<Int>(0)

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Lease, any Error>
    }

    private enum Lease: Sendable {
        /// An idle connection handed over.
        case connection(PostgresConnection)
        /// A slot is reserved (counted in `open`): the caller opens the connection itself.
        case connect
    }

    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var closed = false
    }

    public init(configuration: PostgresConfiguration) {
        var configuration = configuration
        configuration.poolSize = max(1, configuration.poolSize)
        self.configuration = configuration
        self.state = Mutex(State())
    }

    deinit {
        for connection in state.withLock({ $0.idle }) { connection.closeInBackground() }
    }

    public var statistics: PostgresPoolStatistics {
        state.withLock { state in
            PostgresPoolStatistics(
                open: state.open, inUse: state.open - state.idle.count, idle: state.idle.count,
                waiting: state.waiters.count, maxSize: configuration.poolSize)
        }
    }

    // MARK: Running statements

    /// Runs one statement on whichever connection is free.
    public func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresRows {
        try await withConnection(file: file, line: line) { connection in
            try await connection.query(query, file: file, line: line)
        }
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
        let (connection, _) = try await acquire(timeout: configuration.acquireTimeout, file: file, line: line)
        let value: T
        do {
            value = try await body(connection)
        } catch {
            await release(connection)
            throw error
        }
        await release(connection)
        return value
    }

    /// True when the database answers `SELECT 1` within `timeout` (2 s by default). A pooled connection
    /// found broken is replaced and the ping tried once more, so a restarted server answers at once.
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
            let connection: PostgresConnection
            let fresh: Bool
            do {
                (connection, fresh) = try await acquire(timeout: min(timeout, configuration.acquireTimeout))
            } catch {
                return false
            }
            do {
                _ = try await connection.query("SELECT 1")
                await release(connection)
                return true
            } catch let error as PostgresError where error.kind == .connection && !fresh && attempt == 0 {
                await release(connection)
                continue
            } catch {
                await release(connection)
                return false
            }
        }
        return false
    }

    /// Closes idle connections now and every lent one when it comes back; waiting callers and later
    /// calls fail with `PostgresError(kind: .poolClosed)`.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            let taken = (state.idle, state.waiters)
            state.open -= state.idle.count
            state.idle = []
            state.waiters = []
            return taken
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(kind: .poolClosed, message: "the pool is closed"))
        }
        for connection in idle { await connection.close() }
    }

    // MARK: Lending

    /// A live connection, and whether it was opened just now.
    func acquire(
        timeout: Duration, file: String = #fileID, line: Int = #line
    ) async throws -> (PostgresConnection, fresh: Bool) {
        switch try await lease(timeout: timeout, file: file, line: line) {
        case .connection(let connection):
            if connection.probeIdle() { return (connection, false) }
            // Died while idle (server restart, terminated backend): open a fresh one in its slot.
            connection.closeInBackground()
            return (try await open(file: file, line: line), true)
        case .connect:
            return (try await open(file: file, line: line), true)
        }
    }

    /// Takes back a lent connection: to a waiter, to the idle list, or closed if broken.
    func release(_ connection: PostgresConnection) async {
        switch connection.transactionStatus {
        case .idle:
            break
        case .inTransaction, .failedTransaction:
            try? await connection.simpleQuery(unsafeSQL: "ROLLBACK")
        case .active, .unknown:
            connection.closeInBackground()
        }
        guard !connection.isBroken, connection.transactionStatus == .idle else {
            connection.closeInBackground()
            releaseSlot()
            return
        }
        let outcome: (Waiter?, close: Bool) = state.withLock { state in
            if state.closed {
                state.open -= 1
                return (nil, true)
            }
            if !state.waiters.isEmpty {
                return (state.waiters.removeFirst(), false)
            }
            state.idle.append(connection)
            return (nil, false)
        }
        if let waiter = outcome.0 {
            waiter.continuation.resume(returning: .connection(connection))
        } else if outcome.close {
            await connection.close()
        }
    }

    /// A slot freed without a connection to hand on: a waiter may open one instead.
    private func releaseSlot() {
        let waiter: Waiter? = state.withLock { state in
            state.open -= 1
            guard !state.closed, !state.waiters.isEmpty else { return nil }
            state.open += 1
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: .connect)
    }

    private func open(file: String, line: Int) async throws -> PostgresConnection {
        let id = Self.connectionIDs.add(1, ordering: .relaxed).newValue
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: id)
        } catch let error as PostgresError {
            releaseSlot()
            throw error.at(file: file, line: line)
        } catch {
            releaseSlot()
            throw error
        }
    }

    private func lease(timeout: Duration, file: String, line: Int) async throws -> Lease {
        // Fast path: no continuation, no timer.
        let immediate: Result<Lease, PostgresError>? = state.withLock { state in
            Self.tryLease(&state, maxSize: configuration.poolSize, file: file, line: line)
        }
        if let immediate { return try immediate.get() }

        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let immediate: Result<Lease, any Error>? = state.withLock { state in
                    if let result = Self.tryLease(&state, maxSize: configuration.poolSize, file: file, line: line) {
                        return result.mapError { $0 }
                    }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate {
                    continuation.resume(with: immediate)
                    return
                }
                let nanoseconds = max(0, PostgresConfiguration.milliseconds(timeout)) * 1_000_000
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [weak self] in
                    self?.abandonWaiter(
                        id,
                        error: PostgresError(
                            kind: .timeout,
                            message: "no connection became free within \(timeout) (pool size \(self?.configuration.poolSize ?? 0))",
                            file: file, line: line))
                }
            }
        } onCancel: {
            self.abandonWaiter(id, error: CancellationError())
        }
    }

    private static func tryLease(
        _ state: inout State, maxSize: Int, file: String, line: Int
    ) -> Result<Lease, PostgresError>? {
        if state.closed {
            return .failure(PostgresError(kind: .poolClosed, message: "the pool is closed", file: file, line: line))
        }
        if let connection = state.idle.popLast() { return .success(.connection(connection)) }
        if state.open < maxSize {
            state.open += 1
            return .success(.connect)
        }
        return nil
    }

    private func abandonWaiter(_ id: Int, error: any Error) {
        let waiter: Waiter? = state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }
}

/// Resumes a continuation once, whichever side comes first.
final class OneShot<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, Never>?, early: Value?, done: Bool)>((nil, nil, false))

    func set(_ continuation: CheckedContinuation<Value, Never>) {
        let early: Value? = state.withLock { state in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(_ value: Value) {
        let continuation: CheckedContinuation<Value, Never>? = state.withLock { state in
            guard !state.done else { return nil }
            state.done = true
            guard let continuation = state.continuation else {
                state.early = value
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: value)
    }
}
