import CLinuxSystem
import Glibc

/// Lets code running on an event loop's thread (an `inline` route's handler) have that loop watch a socket of its
/// own, such as a database connection's: its answer is then read on the same thread, with no other thread woken.
public enum LoopSockets {
    /// Called on the loop's thread when the socket is readable: true when done, false to wait for more. Given
    /// `false` the socket can no longer be watched (the loop is stopping): it must finish now.
    public typealias Callback = @Sendable (_ canWaitAgain: Bool) -> Bool

    /// On an event loop's thread: has the loop call `callback` once `fd` is readable, and returns true. On any other
    /// thread, or when the socket cannot be watched: false, and the caller waits its own way.
    public static func whenReadable(fd: Int32, _ callback: @escaping Callback) -> Bool {
        guard let loop = EventLoop.current else { return false }
        return loop.watch(fd: fd, callback)
    }
}

/// The loop running on this thread, if any.
private let currentLoopKey: pthread_key_t = {
    var key = pthread_key_t()
    precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
    return key
}()

extension EventLoop {
    static var current: EventLoop? {
        pthread_getspecific(currentLoopKey).map { Unmanaged<EventLoop>.fromOpaque($0).takeUnretainedValue() }
    }

    static func setCurrent(_ loop: EventLoop?) {
        pthread_setspecific(currentLoopKey, loop.map { Unmanaged.passUnretained($0).toOpaque() })
    }

    /// One-shot interest in the loop's own epoll set. A descriptor stays registered (disarmed) after it fired, and
    /// may be in other loops' sets too (a pooled connection serves tasks of every loop); closing it removes it.
    func watch(fd: Int32, _ callback: @escaping LoopSockets.Callback) -> Bool {
        guard fd >= 0 else { return false }
        let events = CLINUX_EPOLLIN | CLINUX_EPOLLONESHOT
        let token = UInt64(UInt32(bitPattern: fd))
        if clinux_epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, events, token) != 0 {
            guard errno == ENOENT, clinux_epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, events, token) == 0 else { return false }
        }
        watchedSockets[fd] = callback
        return true
    }

    func readableWatched(fd: Int32) {
        guard let callback = watchedSockets.removeValue(forKey: fd) else { return }
        if !callback(true) && !watch(fd: fd, callback) { _ = callback(false) }
    }

    /// The loop stops: whoever still waits is told to finish now.
    func abandonWatched() {
        let waiting = watchedSockets
        watchedSockets = [:]
        for callback in waiting.values { _ = callback(false) }
    }
}
