import FoundationEssentials

import Glibc
import CLinuxSystem

/// The write end of the self-pipe; a signal handler may only do async-signal-safe work, so it
/// writes the signal number here and a normal thread does the rest.
nonisolated(unsafe) private var stopPipeWriteEnd: Int32 = -1

/// SIGTERM and SIGINT through a handler and a self-pipe: whichever thread the kernel picks runs the
/// handler, and `next()` hears about it on a thread of its own.
enum StopSignals {
    nonisolated(unsafe) private static var readEnd: Int32 = -1

    /// Installs the handlers; call once, before serving.
    static func install() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { fatalError("pipe() failed: \(errno)") }
        readEnd = fds[0]
        stopPipeWriteEnd = fds[1]
        signal(SIGPIPE, SIG_IGN)
        for sig in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var byte = UInt8(truncatingIfNeeded: sig)
                _ = write(stopPipeWriteEnd, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
    }

    /// Waits for the first stop signal and returns its number.
    static func next() async -> Int32 {
        let fd = readEnd
        return await withCheckedContinuation { continuation in
            startThread {
                var byte: UInt8 = 0
                while read(fd, &byte, 1) != 1 {}
                continuation.resume(returning: Int32(byte))
            }
        }
    }

    /// A detached POSIX thread named "stop-signals" (Foundation's Thread is not in FoundationEssentials).
    private static func startThread(_ body: @escaping @Sendable () -> Void) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { argument in
                clinux_set_thread_name("stop-signals")
                Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
                return nil
            }, Unmanaged.passRetained(Box(body)).toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }
}
