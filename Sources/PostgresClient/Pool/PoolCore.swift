import Dispatch
import Synchronization

/// The connections and their accounting, shared by a pool and its class views.
final class PoolCore: Sendable {
    let configuration: PostgresConfiguration
    /// The connection kept for health checks: a pool of one of its own, outside `poolSize` (nil inside it).
    let healthConnection: PoolCore?
    private let state: Mutex<State>
    static let connectionIDs = Atomic<Int>(0)
    /// Pipelined connections for `PostgresPool.sharedRead`, per traffic class ("" without one), made on first use.
    private let sharedReadSets = Mutex<[String: SharedReads]>([:])

    private struct Waiter {
        var id: Int
        var className: String?
        var continuation: CheckedContinuation<Lease, any Error>
        /// When it gives up (`acquireTimeout`), and what it then says.
        var deadline: DispatchTime
        var timeout: Duration
        var file: String
        var line: Int
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
        /// The waiters' timer: when it fires and which one it is (nil: none set). One timer for the pool, not one per
        /// waiter: under load nearly every request waits, and a timer each kept libdispatch's timer thread busy.
        var timer: (deadline: DispatchTime, number: Int)?
        var timersArmed = 0
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
        var statistics = state.withLock { state in
            PostgresPoolStatistics(
                open: state.open, inUse: state.open - state.idle.count, idle: state.idle.count,
                waiting: state.waiters.count, maxSize: configuration.poolSize,
                inUseByClass: state.lentByClass, healthConnections: reserved)
        }
        for set in sharedReadSets.withLock({ Array($0.values) }) {
            let shared = set.statistics
            statistics.sharedReads += shared.statements
            statistics.sharedReadBatches += shared.batches
            statistics.sharedReadConnections += shared.connected
        }
        return statistics
    }

    /// The pipelined connections of `className`, made with `configuration` (the class's view) on first use; nil when
    /// the pool is closed or has none.
    func sharedReads(className: String?, configuration: PostgresConfiguration) -> SharedReads? {
        guard configuration.sharedReadConnections > 0, !state.withLock({ $0.closed }) else { return nil }
        return sharedReadSets.withLock { sets in
            if let set = sets[className ?? ""] { return set }
            let set = SharedReads(configuration: configuration) { Self.connectionIDs.add(1, ordering: .relaxed).newValue }
            sets[className ?? ""] = set
            return set
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
        for set in sharedReadSets.withLock({ Array($0.values) }) { set.close() }
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
        let nanoseconds = max(0, PostgresConfiguration.milliseconds(timeout)) * 1_000_000
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let deadline = DispatchTime.now() + .nanoseconds(nanoseconds)
                var arm: Int?
                let immediate: Result<Lease, any Error>? = state.withLock { state in
                    if let result = Self.tryLease(&state, className: className, maxSize: configuration.poolSize, file: file, line: line) {
                        return result.mapError { $0 }
                    }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters.append(
                        Waiter(
                            id: id, className: className, continuation: continuation, deadline: deadline, timeout: timeout, file: file,
                            line: line))
                    if state.timer.map({ deadline < $0.deadline }) ?? true {
                        state.timersArmed += 1
                        state.timer = (deadline, state.timersArmed)
                        arm = state.timersArmed
                    }
                    return nil
                }
                if let arm { armTimer(at: deadline, number: arm) }
                if let immediate {
                    continuation.resume(with: immediate)
                    return
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

    private func armTimer(at deadline: DispatchTime, number: Int) {
        DispatchQueue.global().asyncAfter(deadline: deadline) { [weak self] in self?.expireWaiters(timer: number) }
    }

    /// A timer fired: fails the waiters whose deadline passed; the pool's current timer (a timer replaced by an
    /// earlier one only does the former) sets itself again for the earliest deadline left.
    private func expireWaiters(timer number: Int) {
        let now = DispatchTime.now()
        let (expired, next, caps): ([Waiter], (deadline: DispatchTime, number: Int)?, [String: Int]) = state.withLock { state in
            let expired = state.waiters.filter { $0.deadline <= now }
            if !expired.isEmpty { state.waiters.removeAll { $0.deadline <= now } }
            guard state.timer?.number == number else { return (expired, nil, state.capByClass) }
            state.timer = nil
            if let earliest = state.waiters.map(\.deadline).min() {
                state.timersArmed += 1
                state.timer = (earliest, state.timersArmed)
            }
            return (expired, state.timer, state.capByClass)
        }
        if let next { armTimer(at: next.deadline, number: next.number) }
        for waiter in expired {
            let cap = waiter.className.flatMap { caps[$0] }
            let share = waiter.className.map { name in " for \(name)" + (cap.map { " (at most \($0) at once)" } ?? "") } ?? ""
            waiter.continuation.resume(
                throwing: PostgresError(
                    kind: .timeout,
                    message: "no connection became free\(share) within \(waiter.timeout) (pool size \(configuration.poolSize))",
                    file: waiter.file, line: waiter.line))
        }
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
