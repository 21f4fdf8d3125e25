import CLinuxSystem
import Glibc
import Synchronization

/// One thread that waits for the answers of statements sent without blocking (`PostgresConnection.query`).
///
/// The caller sends an already prepared statement from its own thread and suspends; this thread reads the answer
/// when the connection's socket turns readable and resumes the caller. Before, every statement woke a dispatch
/// thread that then blocked in poll(2) for its answer: a thread hop and a sleep per statement, a good part of the
/// cost of a one-statement route (issue 23). This thread serves every connection with one epoll(7), as pgbench does.
final class PostgresReactor: Sendable {
    /// The process's reactor, started when first used.
    static let shared = PostgresReactor()

    /// Called on the reactor's thread when the socket is readable: true when done, false to wait for more. Given
    /// `false` (the socket can no longer be watched, which epoll only does out of memory), it must finish now.
    typealias Callback = @Sendable (_ canWaitAgain: Bool) -> Bool

    private let epollFD: Int32
    /// Token (the connection's id) → what to do when its socket turns readable.
    private let waiting = Mutex<[UInt64: (fd: Int32, callback: Callback)]>([:])

    private init() {
        epollFD = epoll_create1(CLINUX_EPOLL_CLOEXEC)
        precondition(epollFD >= 0, "epoll_create1 failed: \(errno)")
        let box = Unmanaged.passRetained(ReactorThread(self)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, reactorThreadEntry, box)
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }

    /// A waiter tried first (`PostgresSocketWaiting.useLocalWaiter`). Boxed: a closure kept in a `Mutex` directly
    /// gained a reabstraction thunk at every access (it is `inout` there), and calls through it grew without bound.
    private static let localWaiter = Mutex<LocalWaiter?>(nil)

    private final class LocalWaiter: Sendable {
        let wait: PostgresSocketWaiting.Waiter
        init(_ wait: @escaping PostgresSocketWaiting.Waiter) { self.wait = wait }
    }

    static func setLocalWaiter(_ waiter: PostgresSocketWaiting.Waiter?) {
        let box = waiter.map(LocalWaiter.init)
        localWaiter.withLock { $0 = box }
    }

    /// Has `callback` run once `fd` is readable: by the local waiter if it takes it (a statement sent from an HTTP
    /// event loop's thread is answered on that thread), else by the reactor. False when neither can watch it.
    static func watch(fd: Int32, token: UInt64, _ callback: @escaping Callback) -> Bool {
        if let local = localWaiter.withLock({ $0 }), local.wait(fd, callback) { return true }
        return shared.whenReadable(fd: fd, token: token, callback)
    }

    /// Runs `callback` on the reactor's thread once `fd` is readable (again until it returns true). False when the
    /// socket cannot be watched (the caller then waits its own way).
    func whenReadable(fd: Int32, token: UInt64, _ callback: @escaping Callback) -> Bool {
        waiting.withLock { $0[token] = (fd, callback) }
        if arm(fd: fd, token: token) { return true }
        waiting.withLock { $0[token] = nil }
        return false
    }

    /// One-shot interest: a closed descriptor leaves the epoll set by itself, so a later connection on the same
    /// number is added afresh.
    private func arm(fd: Int32, token: UInt64) -> Bool {
        let events = CLINUX_EPOLLIN | CLINUX_EPOLLONESHOT
        if clinux_epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, events, token) == 0 { return true }
        guard errno == ENOENT else { return false }
        return clinux_epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, events, token) == 0
    }

    fileprivate func run() {
        let capacity: Int32 = 128
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Int(clinux_epoll_event_size()) * Int(capacity), alignment: 16)
        while true {
            let count = clinux_epoll_wait(epollFD, buffer, capacity, -1)
            if count < 0 {
                precondition(errno == EINTR, "epoll_wait failed: \(errno)")
                continue
            }
            for i in 0..<count {
                let token = clinux_epoll_event_data(buffer, i)
                guard let (fd, callback) = waiting.withLock({ $0.removeValue(forKey: token) }) else { continue }
                // Error and hang-up events count as readable: libpq reads the failure and reports it.
                if !callback(true) && !whenReadable(fd: fd, token: token, callback) {
                    _ = callback(false)
                }
            }
        }
    }
}

private final class ReactorThread {
    let reactor: PostgresReactor
    init(_ reactor: PostgresReactor) { self.reactor = reactor }
}

private func reactorThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    clinux_set_thread_name("postgres-reactor")
    let box = Unmanaged<ReactorThread>.fromOpaque(argument!).takeRetainedValue()
    box.reactor.run()
    return nil
}

/// Who else may wait for a connection's answer (see `PostgresReactor`).
public enum PostgresSocketWaiting {
    /// Takes `callback` to run on its own thread once `fd` is readable (again while it returns false; told `false`
    /// when it can no longer watch, and the callback then finishes at once); returns false to decline.
    public typealias Waiter = @Sendable (_ fd: Int32, _ callback: @escaping @Sendable (_ canWaitAgain: Bool) -> Bool) -> Bool

    /// Installs the waiter tried before the reactor (the HTTP server's event loops: `LoopSockets.whenReadable`), for
    /// the whole process; nil removes it.
    public static func useLocalWaiter(_ waiter: Waiter?) {
        PostgresReactor.setLocalWaiter(waiter)
    }
}
