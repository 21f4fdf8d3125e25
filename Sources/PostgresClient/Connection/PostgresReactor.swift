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
