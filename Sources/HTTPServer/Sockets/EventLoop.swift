import Glibc
import CLinuxSystem
import Synchronization
import Logging
import DatesAndIDs

/// State shared by every loop of one server.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let router: Router
    let logger: Logger
    let metrics: HTTPMetrics
    let rateLimiter: RateLimiter
    let connectionsPerAddress: AddressConnectionCounts
    let timeouts: ConnectionStateMachine.Timeouts
    /// Monotonic nanoseconds: every deadline and duration of the loops is measured on it (tests pass a manual one).
    let now: @Sendable () -> UInt64
    /// Called by each loop's thread once the loop has closed everything and stopped.
    let loopStopped: @Sendable (Int) -> Void

    init(
        configuration: ServerConfiguration, router: Router, logger: Logger, metrics: HTTPMetrics,
        now: @escaping @Sendable () -> UInt64, loopStopped: @escaping @Sendable (Int) -> Void
    ) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.metrics = metrics
        self.rateLimiter = RateLimiter(configuration.rateLimit, buckets: configuration.rateLimitBuckets)
        self.connectionsPerAddress = AddressConnectionCounts(limit: configuration.maxConnectionsPerAddress)
        self.timeouts = .init(
            header: configuration.headerTimeout, idle: configuration.idleTimeout,
            body: configuration.bodyTimeout, write: configuration.writeTimeout)
        self.now = now
        self.loopStopped = loopStopped
    }
}

/// One epoll loop on its own thread, owning a listener (SO_REUSEPORT) and the connections it accepted.
///
/// Everything but `inbox` is touched only by the loop's thread; that is what makes the unchecked
/// Sendable sound. Other threads talk to the loop through `inbox` (a lock plus an eventfd wake-up):
/// handler tasks hand their responses back, `shutdown()` sends commands. The loop is also a
/// `TaskExecutor`, so `inline` routes run their handler task on this thread without a hop.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    struct Completion {
        let fd: Int32
        let connectionID: UInt32
        let response: HTTPResponse
    }

    enum Command {
        case drain(deadline: UInt64)
    }

    struct Inbox {
        var jobs: [UnownedJob] = []
        var completions: [Completion] = []
        var commands: [Command] = []
        var wakePending = false
        var stopped = false
    }

    private enum RunState { case running, draining(deadline: UInt64), stopping }

    let index: Int
    let context: ServerContext
    let epollFD: Int32
    private let wakeFD: Int32
    private let inbox = Mutex(Inbox())
    private let threadID = Atomic<UInt>(0)

    // Loop-thread state.
    var listenerFD: Int32
    private var listenerRegistered = false
    var acceptResumeAt: UInt64? = nil
    var connections: [Int32: Connection] = [:]
    var nextConnectionID: UInt32 = 1
    private var runState = RunState.running
    let readBuffer: UnsafeMutableRawBufferPointer
    private let eventBuffer: UnsafeMutableRawPointer
    private let eventCapacity = 256
    var dateCache = DateCache()
    /// Access-log lines of this iteration, written together at its end.
    var pendingLogLines: [String] = []
    /// Other modules' sockets this loop watches (`LoopSockets`), by descriptor; their epoll token is the bare descriptor.
    var watchedSockets: [Int32: LoopSockets.Callback] = [:]
    var random: SplitMix64
    private let tickInterval: UInt64
    private var nextTick: UInt64 = 0
    var lastOverloadLog: UInt64 = 0

    static let listenerToken: UInt64 = UInt64.max
    static let wakeToken: UInt64 = UInt64.max - 1

    init(index: Int, listenerFD: Int32, context: ServerContext) throws {
        self.index = index
        self.context = context
        self.listenerFD = listenerFD
        epollFD = try blockingSyscall("epoll_create1") { epoll_create1(CLINUX_EPOLL_CLOEXEC) }
        do {
            wakeFD = try blockingSyscall("eventfd") { eventfd(0, CLINUX_EFD_NONBLOCK | CLINUX_EFD_CLOEXEC) }
        } catch {
            try? closeDescriptor(epollFD, "close(epoll)")
            throw error
        }
        readBuffer = .allocate(byteCount: 64 << 10, alignment: 16)
        eventBuffer = .allocate(byteCount: Int(clinux_epoll_event_size()) * eventCapacity, alignment: 16)
        var system = SystemRandomNumberGenerator()
        random = SplitMix64(seed: system.next())
        let t = context.timeouts
        let shortest = [t.header, t.idle, t.body, t.write].min()!
        tickInterval = min(max(shortest / 8, 5_000_000), 250_000_000)
        try blockingSyscall("epoll_ctl(wake)") {
            clinux_epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, CLINUX_EPOLLIN, Self.wakeToken)
        }
        try registerListener()
    }

    deinit {
        readBuffer.deallocate()
        eventBuffer.deallocate()
    }

    // MARK: - Cross-thread entry points

    /// Hands a handler's response back to the loop (from any thread).
    func complete(_ completion: Completion) {
        post { $0.completions.append(completion) }
    }

    func send(_ command: Command) {
        post { $0.commands.append(command) }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let accepted = post { $0.jobs.append(unowned) }
        if !accepted {
            // The loop is gone: let the global executor finish the task instead of leaking it.
            globalConcurrentExecutor.enqueue(unowned)
        }
    }

    @discardableResult
    private func post(_ update: (inout Inbox) -> Void) -> Bool {
        let onLoop = pthread_self() == threadID.load(ordering: .relaxed)
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            if inbox.stopped { return (false, false) }
            update(&inbox)
            if onLoop || inbox.wakePending { return (true, false) }
            inbox.wakePending = true
            return (true, true)
        }
        if wake {
            var one: UInt64 = 1
            // The eventfd cannot be closed here: `stopped` is set under the lock before it is closed.
            _ = try? syscall("write(eventfd)") { write(wakeFD, &one, 8) }
        }
        return accepted
    }

    // MARK: - The loop

    /// Runs until the loop has drained and closed everything. Call on the loop's own thread.
    func run() {
        threadID.store(pthread_self(), ordering: .relaxed)
        EventLoop.setCurrent(self)
        nextTick = context.now() &+ tickInterval
        while true {
            let morePending = processInbox()
            flushLog()
            if case .stopping = runState { break }
            if case .draining = runState, connections.isEmpty { break }
            let now = context.now()
            let timeout: Int32 = morePending ? 0 : Int32(clamping: (nextTick > now ? nextTick - now : 0) / 1_000_000 + 1)
            let count: Int32
            do {
                count = try blockingSyscall("epoll_wait") {
                    clinux_epoll_wait(epollFD, eventBuffer, Int32(eventCapacity), timeout)
                }
            } catch {
                context.logger.error("epoll_wait failed", ["errno": .int(Int(error.errno)), "loop": .int(index)])
                break
            }
            for i in 0..<Int(count) {
                let token = clinux_epoll_event_data(eventBuffer, Int32(i))
                let events = clinux_epoll_event_events(eventBuffer, Int32(i))
                switch token {
                case Self.listenerToken:
                    acceptConnections()
                case Self.wakeToken:
                    var value: UInt64 = 0
                    _ = try? syscall("read(eventfd)") { read(wakeFD, &value, 8) }
                case let token where token >> 32 == 0:
                    // Connection tokens carry their id (never 0) in the high half; a bare descriptor is a watched socket.
                    readableWatched(fd: Int32(truncatingIfNeeded: token))
                default:
                    let fd = Int32(truncatingIfNeeded: token & 0xFFFF_FFFF)
                    let id = UInt32(truncatingIfNeeded: token >> 32)
                    guard let connection = connections[fd], connection.id == id else { continue }
                    handle(events: events, on: connection)
                }
            }
            let after = context.now()
            if after >= nextTick {
                nextTick = after &+ tickInterval
                tick(now: after)
            }
        }
        stop()
    }

    /// Runs queued jobs, completions and commands. Returns true when more work arrived meanwhile.
    private func processInbox() -> Bool {
        for _ in 0..<8 {
            // Nothing queued (the usual case on a busy loop): no copy, no allocation.
            let taken = inbox.withLock { inbox -> Inbox? in
                inbox.wakePending = false
                if inbox.jobs.isEmpty && inbox.completions.isEmpty && inbox.commands.isEmpty { return nil }
                let taken = inbox
                inbox.jobs = []
                inbox.completions = []
                inbox.commands = []
                return taken
            }
            guard let taken else { return false }
            for command in taken.commands { run(command) }
            for completion in taken.completions { deliver(completion) }
            for job in taken.jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
        return true
    }

    private func run(_ command: Command) {
        switch command {
        case .drain(let deadline):
            if case .running = runState {
                runState = .draining(deadline: deadline)
                closeListener()
                let now = context.now()
                for connection in Array(connections.values) { drain(connection, now: now) }
            }
        }
    }

    private func tick(now: UInt64) {
        if let resume = acceptResumeAt, now >= resume, case .running = runState {
            acceptResumeAt = nil
            try? registerListener()
        }
        if case .draining(let deadline) = runState, now >= deadline {
            if !connections.isEmpty {
                context.logger.warn(
                    "shutdown grace period over, closing connections", ["count": .int(connections.count), "loop": .int(index)])
            }
            for connection in Array(connections.values) { closeConnection(connection) }
            runState = .stopping
            return
        }
        for connection in Array(connections.values) {
            guard let deadline = connection.state.deadline, now >= deadline else { continue }
            timerFired(connection, now: now)
        }
    }

    private func flushLog() {
        guard !pendingLogLines.isEmpty else { return }
        context.logger.emit(pendingLogLines)
        pendingLogLines.removeAll(keepingCapacity: true)
    }

    private func stop() {
        inbox.withLock { $0.stopped = true }
        closeListener()
        for connection in Array(connections.values) { closeConnection(connection) }
        // Jobs that arrived before `stopped` was set still need an executor.
        let leftover = inbox.withLock { inbox -> [UnownedJob] in
            let jobs = inbox.jobs
            inbox.jobs = []
            return jobs
        }
        for job in leftover { globalConcurrentExecutor.enqueue(job) }
        abandonWatched()
        EventLoop.setCurrent(nil)
        flushLog()
        try? closeDescriptor(wakeFD, "close(eventfd)")
        try? closeDescriptor(epollFD, "close(epoll)")
        context.loopStopped(index)
    }

    // MARK: - Accepting

    private func registerListener() throws {
        guard listenerFD >= 0, !listenerRegistered else { return }
        try blockingSyscall("epoll_ctl(listener)") {
            clinux_epoll_ctl(epollFD, EPOLL_CTL_ADD, listenerFD, CLINUX_EPOLLIN, Self.listenerToken)
        }
        listenerRegistered = true
    }

    func unregisterListener() {
        guard listenerRegistered else { return }
        _ = try? blockingSyscall("epoll_ctl(del listener)") { clinux_epoll_ctl(epollFD, EPOLL_CTL_DEL, listenerFD, 0, 0) }
        listenerRegistered = false
    }

    private func closeListener() {
        guard listenerFD >= 0 else { return }
        unregisterListener()
        try? closeDescriptor(listenerFD, "close(listener)")
        listenerFD = -1
    }

    // MARK: - Connection bookkeeping

    func closeConnection(_ connection: Connection) {
        guard connections[connection.fd] === connection else { return }  // closed already
        connection.state.closed()
        connection.task?.cancel()
        connection.task = nil
        connections[connection.fd] = nil
        try? closeDescriptor(connection.fd)  // also removes it from the epoll set
        context.metrics.openConnections.wrappingSubtract(1, ordering: .relaxed)
        if connection.countedPerAddress { context.connectionsPerAddress.close(connection.remoteAddress) }
    }

    func generateRequestID() -> String {
        RequestID.generate(using: &random)
    }
}
