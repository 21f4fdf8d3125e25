import Glibc
import CLinuxSystem

/// A failed system call: the call's name and errno. EAGAIN never becomes one (see `IOResult`).
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public let call: String
    public let errno: Int32

    public var description: String {
        let message = String(cString: strerror(errno))
        return "\(call) failed: \(message) (errno \(errno))"
    }
}

/// The outcome of a non-blocking call: a value, or "would block" (EAGAIN/EWOULDBLOCK).
enum IOResult<T> {
    case done(T)
    case wouldBlock
}

/// Every syscall of this module goes through here: EINTR is retried, EAGAIN becomes `.wouldBlock`,
/// any other failure throws a `SystemError` naming the call. EBADF and EFAULT mean our own bug: they trap.
/// The one exception is close(2), which has its own wrapper (`closeDescriptor`): it is never retried.
@inline(__always)
func syscall<T: FixedWidthInteger>(_ call: StaticString, _ body: () -> T) throws(SystemError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .done(result) }
        let code = Glibc.errno
        switch code {
        case EINTR:
            continue
        case EAGAIN, EWOULDBLOCK:
            return .wouldBlock
        case EBADF, EFAULT:
            fatalError("\(call) failed with errno \(code): file descriptor misuse is a bug")
        default:
            throw SystemError(call: "\(call)", errno: code)
        }
    }
}

/// As `syscall`, for calls that cannot return EAGAIN (setup calls): returns the value directly.
@inline(__always)
@discardableResult
func blockingSyscall<T: FixedWidthInteger>(_ call: StaticString, _ body: () -> T) throws(SystemError) -> T {
    switch try syscall(call, body) {
    case .done(let value): return value
    case .wouldBlock: throw SystemError(call: "\(call)", errno: EAGAIN)
    }
}

/// close(2), the exception to the EINTR rule. On Linux the descriptor is released before close returns,
/// even when it fails with EINTR, so a retry could close a descriptor another thread has just been given.
/// Hence one attempt, never retried: EINTR counts as closed, and any other failure (EIO) is reported
/// although the descriptor is gone all the same. EBADF traps, as above (a double close is our bug).
func closeDescriptor(_ fd: Int32, _ call: StaticString = "close") throws(SystemError) {
    if close(fd) == 0 { return }
    let code = Glibc.errno
    switch code {
    case EINTR:
        return
    case EBADF:
        fatalError("\(call) failed with errno \(code): file descriptor misuse is a bug")
    default:
        throw SystemError(call: "\(call)", errno: code)
    }
}
