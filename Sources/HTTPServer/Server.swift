import Glibc
import CLinuxSystem
import Synchronization
import Logging

/// An HTTP/1.1 server: `eventLoopCount` epoll loops on dedicated threads (never on Swift's cooperative
/// pool), each with its own SO_REUSEPORT listener. Handlers run as tasks on the cooperative pool
/// (or on the loop's thread for `inline` routes) and hand their response back through an eventfd.
public final class Server: Sendable {
    private enum State {
        case idle
        case running(loops: [EventLoop], remaining: Int)
        case stopping(remaining: Int, waiters: [CheckedContinuation<Void, Never>])
        case stopped
    }

    public let configuration: ServerConfiguration
    public let metrics: HTTPMetrics
    private let router: Router
    private let logger: Logger
    private let state = Mutex(State.idle)
    /// Monotonic nanoseconds for every timeout and the shutdown grace period.
    private let clock: @Sendable () -> UInt64

    public convenience init(configuration: ServerConfiguration, router: Router, logger: Logger) {
        self.init(configuration: configuration, router: router, logger: logger, clock: { clinux_monotonic_nanos() })
    }

    /// With a clock of the caller's: tests drive time by hand instead of sleeping.
    init(configuration: ServerConfiguration, router: Router, logger: Logger, clock: @escaping @Sendable () -> UInt64) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.metrics = HTTPMetrics(shardCount: configuration.eventLoopCount)
        self.clock = clock
    }

    /// Binds, listens, and starts the loops on their threads. Returns the bound port (useful with port 0).
    /// Throws `SystemError` when the address cannot be bound; throws if already started.
    @discardableResult
    public func start() throws -> Int {
        clinux_ignore_sigpipe()
        let alreadyStarted = state.withLock { state -> Bool in
            if case .idle = state { return false }
            return true
        }
        if alreadyStarted { throw SystemError(call: "Server.start (already started)", errno: EALREADY) }

        let context = ServerContext(
            configuration: configuration, router: router, logger: logger, metrics: metrics,
            now: clock, loopStopped: { [weak self] _ in self?.loopStopped() })
        var listeners: [Int32] = []
        var port = configuration.port
        do {
            for _ in 0..<configuration.eventLoopCount {
                let listener = try Socket.listen(host: configuration.host, port: port, backlog: configuration.backlog)
                listeners.append(listener.fd)
                port = listener.port
            }
        } catch {
            for fd in listeners { try? closeDescriptor(fd, "close(listener)") }
            throw error
        }
        var loops: [EventLoop] = []
        do {
            for (index, fd) in listeners.enumerated() {
                loops.append(try EventLoop(index: index, listenerFD: fd, context: context))
            }
        } catch {
            for fd in listeners { try? closeDescriptor(fd, "close(listener)") }
            throw error
        }
        state.withLock { $0 = .running(loops: loops, remaining: loops.count) }
        for loop in loops {
            LoopThread.start(name: "http-loop-\(loop.index)") { loop.run() }
        }
        logger.info(
            "http server listening",
            [
                "host": .string(configuration.host), "port": .int(port),
                "eventLoops": .int(loops.count),
            ])
        return port
    }

    /// Stops accepting, closes idle connections, lets in-flight requests finish (at most
    /// `shutdownGracePeriod`), then closes the rest. Returns when every loop has stopped. Safe to call
    /// from any task, more than once, and before `start()`.
    public func shutdown() async {
        let loops: [EventLoop]? = state.withLock { state in
            switch state {
            case .idle:
                state = .stopped
                return nil
            case .running(let loops, let remaining):
                state = .stopping(remaining: remaining, waiters: [])
                return loops
            case .stopping, .stopped:
                return nil
            }
        }
        if let loops {
            logger.info(
                "http server shutting down", ["gracePeriodMs": .int(Int(configuration.shutdownGracePeriod.nanoseconds / 1_000_000))])
            let deadline = clock() &+ configuration.shutdownGracePeriod.nanoseconds
            for loop in loops { loop.send(.drain(deadline: deadline)) }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if case .stopping(let remaining, var waiters) = state {
                    waiters.append(continuation)
                    state = .stopping(remaining: remaining, waiters: waiters)
                    return false
                }
                return true
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func loopStopped() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            switch state {
            case .running(let loops, let remaining):
                // A loop died on its own (epoll failure): count it.
                state = .running(loops: loops, remaining: remaining - 1)
                return []
            case .stopping(let remaining, let waiters):
                if remaining <= 1 {
                    state = .stopped
                    return waiters
                }
                state = .stopping(remaining: remaining - 1, waiters: waiters)
                return []
            default:
                return []
            }
        }
        if !waiters.isEmpty { logger.info("http server stopped") }
        for waiter in waiters { waiter.resume() }
    }
}

/// A detached POSIX thread running a closure (Foundation's Thread would pull in all of Foundation).
enum LoopThread {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, loopThreadEntry, box)
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }
}

private func loopThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    clinux_set_thread_name("http-loop")
    let box = Unmanaged<LoopThread.Box>.fromOpaque(argument!).takeRetainedValue()
    box.body()
    return nil
}
