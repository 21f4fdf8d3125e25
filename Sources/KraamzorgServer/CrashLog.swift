import Glibc

/// Per signal number: the prepared line, and the handler that was installed before ours (the Swift
/// runtime's backtracer, or the default). Written once before serving; a signal handler may only do
/// async-signal-safe work, so it only reads these.
nonisolated(unsafe) private var crashLineTable: UnsafeMutablePointer<UnsafeMutableBufferPointer<UInt8>?>? = nil
nonisolated(unsafe) private var previousActions: UnsafeMutablePointer<sigaction>? = nil

/// A fatal error (a Swift trap is SIGILL or SIGTRAP; a crash SIGSEGV, SIGBUS, SIGABRT, SIGFPE) is logged
/// as one JSON line on standard output, like every other log line. Then the previous handler is put
/// back and the signal raised again, so the runtime's backtrace (stderr) and the exit status stay as
/// they were; should that handler return, the default action ends the process.
enum CrashLog {
    static let signals: [(Int32, String)] = [
        (SIGILL, "SIGILL"), (SIGTRAP, "SIGTRAP"), (SIGSEGV, "SIGSEGV"), (SIGBUS, "SIGBUS"),
        (SIGABRT, "SIGABRT"), (SIGFPE, "SIGFPE"),
    ]
    static let tableSize = 65

    static func install() {
        let table = UnsafeMutablePointer<UnsafeMutableBufferPointer<UInt8>?>.allocate(capacity: tableSize)
        table.initialize(repeating: nil, count: tableSize)
        let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: tableSize)
        previous.initialize(repeating: sigaction(), count: tableSize)
        for (number, name) in signals {
            let line = Array(#"{"level":"error","msg":"fatal error: the process stops","signal":"\#(name)"}"#.utf8) + [10]
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: line.count)
            _ = buffer.initialize(from: line)
            table[Int(number)] = buffer
        }
        crashLineTable = table
        previousActions = previous
        for (number, _) in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                guard sig > 0, sig < CrashLog.tableSize else { return }
                if let table = crashLineTable, let line = table[Int(sig)] { _ = write(1, line.baseAddress, line.count) }
                if let previous = previousActions { sigaction(sig, previous + Int(sig), nil) }
                raise(sig)
                // The previous handler returned (a signal sent with kill, not a fault): end as the signal would.
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(number, &action, previous + Int(number))
        }
    }
}
