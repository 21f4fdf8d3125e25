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

/// The connections and their accounting, shared by a pool and its class views.
final class PoolCore: Sendable {
    let configuration: PostgresConfiguration
    /// The connection kept for health checks: a pool of one of its own, outside `poolSize` (nil inside it).
    let healthConnection: PoolCore?
    private let state: Mutex<State>
    private static let connectionIDs = Atomic<Int>(0)

    private struct Waiter {
        var id: Int
        var className: String?
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
        /// Connections lent per class (counted from the lease to the release, also while being opened).
        var lentByClass: [String: Int] = [:]
        var capByClass: [String: Int] = [:]

        func mayLend(to className: String?) -> Bool {
            guard let className, let cap = capByClass[className] else { return true }
            return lentByClass[className, default: 0] < cap
        }

        mutating func count(_ className: String?, _ delta: Int) {
            guard let className else { return }
            lentByClass[className, default: 0] += delta
        }
    }

    init(configuration: PostgresConfiguration, keepsHealthConnection: Bool) {
        self.configuration = configuration
        self.state = Mutex(State())
        if keepsHealthConnection {
            var health = configuration
            health.poolSize = 1
            self.healthConnection = PoolCore(configuration: health, keepsHealthConnection: false)
        } else {
            self.healthConnection = nil
        }
    }

    deinit {
        for connection in state.withLock({ $0.idle }) { connection.closeInBackground() }
    }

    var statistics: PostgresPoolStatistics {
        let reserved = healthConnection?.state.withLock { $0.open } ?? 0
        return state.withLock { state in
            PostgresPoolStatistics(
                open: state.open, inUse: state.open - state.idle.count, idle: state.idle.count,
                waiting: state.waiters.count, maxSize: configuration.poolSize,
                inUseByClass: state.lentByClass, healthConnections: reserved)
        }
    }

    func setCap(_ cap: Int, for className: String) {
        let handed = state.withLock { state in
            state.capByClass[className] = max(1, cap)
            return Self.serve(&state, maxSize: configuration.poolSize)
        }
        Self.resume(handed)
    }

    func close() async {
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
        await healthConnection?.close()
    }

    // MARK: Lending

    /// A live connection for `className` (nil: no class), and whether it was opened just now.
    func acquire(
        className: String?, timeout: Duration, file: String = #fileID, line: Int = #line
    ) async throws -> (PostgresConnection, fresh: Bool) {
        try await ready(
            try await lease(className: className, timeout: timeout, file: file, line: line),
            className: className, file: file, line: line)
    }

    /// A live connection without a class if one is idle or a slot is free right now; nil when the caller would have to wait.
    func acquireWithoutWaiting(file: String = #fileID, line: Int = #line) async throws -> (PostgresConnection, fresh: Bool)? {
        let immediate: Result<Lease, PostgresError>? = state.withLock { state in
            Self.tryLease(&state, className: nil, maxSize: configuration.poolSize, file: file, line: line)
        }
        guard let immediate else { return nil }
        return try await ready(try immediate.get(), className: nil, file: file, line: line)
    }

    private func ready(_ lease: Lease, className: String?, file: String, line: Int) async throws -> (PostgresConnection, fresh: Bool) {
        switch lease {
        case .connection(let connection):
            if connection.probeIdle() { return (connection, false) }
            // Died while idle (server restart, terminated backend): open a fresh one in its slot.
            connection.closeInBackground()
            return (try await open(className: className, file: file, line: line), true)
        case .connect:
            return (try await open(className: className, file: file, line: line), true)
        }
    }

    /// Takes back a lent connection: to a waiter, to the idle list, or closed if broken.
    func release(_ connection: PostgresConnection, className: String?) async {
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
            releaseSlot(className: className)
            return
        }
        let (handed, close): ([(Waiter, Lease)], Bool) = state.withLock { state in
            state.count(className, -1)
            if state.closed {
                state.open -= 1
                return ([], true)
            }
            state.idle.append(connection)
            return (Self.serve(&state, maxSize: configuration.poolSize), false)
        }
        Self.resume(handed)
        if close { await connection.close() }
    }

    /// A slot freed without a connection to hand on: a waiter may open one instead.
    private func releaseSlot(className: String?) {
        let handed: [(Waiter, Lease)] = state.withLock { state in
            state.count(className, -1)
            state.open -= 1
            guard !state.closed else { return [] }
            return Self.serve(&state, maxSize: configuration.poolSize)
        }
        Self.resume(handed)
    }

    private func open(className: String?, file: String, line: Int) async throws -> PostgresConnection {
        let id = Self.connectionIDs.add(1, ordering: .relaxed).newValue
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: id)
        } catch let error as PostgresError {
            releaseSlot(className: className)
            throw error.at(file: file, line: line)
        } catch {
            releaseSlot(className: className)
            throw error
        }
    }

    private func lease(className: String?, timeout: Duration, file: String, line: Int) async throws -> Lease {
        // Fast path: no continuation, no timer.
        let immediate: Result<Lease, PostgresError>? = state.withLock { state in
            Self.tryLease(&state, className: className, maxSize: configuration.poolSize, file: file, line: line)
        }
        if let immediate { return try immediate.get() }

        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let immediate: Result<Lease, any Error>? = state.withLock { state in
                    if let result = Self.tryLease(&state, className: className, maxSize: configuration.poolSize, file: file, line: line) {
                        return result.mapError { $0 }
                    }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters.append(Waiter(id: id, className: className, continuation: continuation))
                    return nil
                }
                if let immediate {
                    continuation.resume(with: immediate)
                    return
                }
                let nanoseconds = max(0, PostgresConfiguration.milliseconds(timeout)) * 1_000_000
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [weak self] in
                    guard let self else { return }
                    let cap = className.flatMap { name in self.state.withLock { $0.capByClass[name] } }
                    let share = className.map { name in " for \(name)" + (cap.map { " (at most \($0) at once)" } ?? "") } ?? ""
                    self.abandonWaiter(
                        id,
                        error: PostgresError(
                            kind: .timeout,
                            message: "no connection became free\(share) within \(timeout) (pool size \(self.configuration.poolSize))",
                            file: file, line: line))
                }
            }
        } onCancel: {
            self.abandonWaiter(id, error: CancellationError())
        }
    }

    private static func tryLease(
        _ state: inout State, className: String?, maxSize: Int, file: String, line: Int
    ) -> Result<Lease, PostgresError>? {
        if state.closed {
            return .failure(PostgresError(kind: .poolClosed, message: "the pool is closed", file: file, line: line))
        }
        guard state.mayLend(to: className) else { return nil }
        if let connection = state.idle.popLast() {
            state.count(className, 1)
            return .success(.connection(connection))
        }
        if state.open < maxSize {
            state.open += 1
            state.count(className, 1)
            return .success(.connect)
        }
        return nil
    }

    /// Hands idle connections and free slots to waiters, first come first served among those whose class
    /// is under its cap. Returns whom to resume (outside the lock).
    private static func serve(_ state: inout State, maxSize: Int) -> [(Waiter, Lease)] {
        var handed: [(Waiter, Lease)] = []
        var index = 0
        while index < state.waiters.count, !state.idle.isEmpty || state.open < maxSize {
            let className = state.waiters[index].className
            guard state.mayLend(to: className) else {
                index += 1
                continue
            }
            let waiter = state.waiters.remove(at: index)
            state.count(className, 1)
            if let connection = state.idle.popLast() {
                handed.append((waiter, .connection(connection)))
            } else {
                state.open += 1
                handed.append((waiter, .connect))
            }
        }
        return handed
    }

    private static func resume(_ handed: [(Waiter, Lease)]) {
        for (waiter, lease) in handed { waiter.continuation.resume(returning: lease) }
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
