import Synchronization
@testable import HTTPServer

/// A whole server's clock: monotonic nanoseconds that move only when the test says so. Timeouts and
/// the shutdown grace period are measured on it, so a test advances it instead of sleeping.
final class ManualServerClock: Sendable {
    private let nanos = Atomic<UInt64>(1_000_000_000)

    var now: UInt64 { nanos.load(ordering: .sequentiallyConsistent) }

    func advance(by duration: Duration) {
        nanos.wrappingAdd(duration.nanoseconds, ordering: .sequentiallyConsistent)
    }

    /// What `Server(configuration:router:logger:clock:)` reads.
    var reading: @Sendable () -> UInt64 { { [self] in now } }
}

/// Holds handlers until the test opens it, and tells the test when they are waiting: a handler that is
/// "slow" for exactly as long as the test needs, with no sleep.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiting = 0
        var handlers: [CheckedContinuation<Void, Never>] = []
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// Handlers waiting now.
    var waiting: Int { state.withLock { $0.waiting } }

    /// Called by a handler: returns once the gate is open.
    func pass() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (passNow, ready) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                if state.isOpen { return (true, []) }
                state.waiting += 1
                state.handlers.append(continuation)
                let count = state.waiting
                let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
                state.watchers.removeAll { $0.count <= count }
                return (false, ready)
            }
            if passNow { continuation.resume() }
            for watcher in ready { watcher.resume() }
        }
    }

    /// Returns once `count` handlers are waiting at the gate.
    func waitForHandlers(_ count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.waiting >= count || state.isOpen { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    func open() {
        let (handlers, watchers) = state.withLock { state in
            state.isOpen = true
            state.waiting = 0
            defer { state.handlers = []; state.watchers = [] }
            return (state.handlers, state.watchers.map(\.continuation))
        }
        for handler in handlers { handler.resume() }
        for watcher in watchers { watcher.resume() }
    }
}

/// Polls `condition` (every 10 ms, at most `attempts` times) until it holds; returns whether it did.
func eventually(attempts: Int = 500, _ condition: () -> Bool) async throws -> Bool {
    for _ in 0..<attempts {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
